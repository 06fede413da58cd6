//! The fleet gate's decisions (src/gate.rs): a unit test per rule, then property tests driving
//! one Page's gate through random interleavings of arrivals (keys from a small set, so reads
//! coalesce), callers leaving, time passing, sends and outcomes (pages, rate limits with and
//! without Graph's regain time, other errors). A model kept by the test, from what it told the
//! gate and what API.md promises, says what every answer should be; on top of it the
//! properties check the promises themselves: the rate is kept, nothing is sent during a
//! backoff, each coalesced read is sent once, no caller is lost or answered twice, a read left
//! by all its callers is never sent, and refusals happen only for waits over 60 seconds.

#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};

use page_conversations::gate::{
    read_key, read_key_of, Arrival, Backoff, CallerId, GateState, Outcome, ReadId, Settled, MAX_CALLERS,
};
use page_conversations::redact::Secrets;
use page_conversations::request::HttpRequest;
use proptest::collection::vec;
use proptest::prelude::*;

mod common;

fn config() -> ProptestConfig {
    common::proptest_config()
}

/// A realistic clock: milliseconds since the Unix epoch.
const T0: f64 = 1_700_000_000_000.0;
/// The interval at 2 per second: 500 ms and the 3 % margin.
const INTERVAL: f64 = 515.0;
/// Float tolerance at epoch-sized times.
const EPS: f64 = 1e-3;
const LIMIT: f64 = 60_000.0;

fn queued(arrival: Arrival) -> (CallerId, ReadId) {
    match arrival {
        Arrival::Queued { caller, read } => (caller, read),
        other => panic!("expected Queued, got {other:?}"),
    }
}

fn joined(arrival: Arrival) -> (CallerId, ReadId) {
    match arrival {
        Arrival::Joined { caller, read } => (caller, read),
        other => panic!("expected Joined, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Pace

#[test]
fn reads_go_one_interval_apart_in_order_of_asking() {
    let mut gate = GateState::new(2.0);
    assert!((gate.interval_ms() - INTERVAL).abs() < 1e-9);
    let (_, a) = queued(gate.ask("a", T0));
    let (_, b) = queued(gate.ask("b", T0));
    let (_, c) = queued(gate.ask("c", T0 + 10.0));
    assert_eq!(gate.wake_at(T0), Some(T0));
    assert_eq!(gate.take_due(T0), vec![a], "one at a time");
    assert_eq!(gate.wake_at(T0 + 1.0), Some(T0 + INTERVAL));
    assert!(gate.take_due(T0 + INTERVAL - 1.0).is_empty());
    assert_eq!(gate.take_due(T0 + INTERVAL), vec![b]);
    assert_eq!(gate.take_due(T0 + 2.0 * INTERVAL), vec![c]);
}

#[test]
fn a_late_send_pushes_the_next_one_back() {
    let mut gate = GateState::new(2.0);
    let (_, a) = queued(gate.ask("a", T0));
    let (_, b) = queued(gate.ask("b", T0));
    let (_, c) = queued(gate.ask("c", T0));
    assert_eq!(gate.take_due(T0), vec![a]);
    assert_eq!(gate.take_due(T0 + INTERVAL + 300.0), vec![b], "the timer fired late");
    assert!(
        gate.take_due(T0 + 2.0 * INTERVAL).is_empty(),
        "never closer than the interval"
    );
    assert_eq!(gate.wake_at(T0 + 2.0 * INTERVAL), Some(T0 + 2.0 * INTERVAL + 300.0));
    assert_eq!(gate.take_due(T0 + 2.0 * INTERVAL + 300.0), vec![c]);
}

#[test]
fn unpaced_gate_sends_everything_due_but_still_backs_off() {
    let mut gate = GateState::new(0.0);
    let reads: Vec<ReadId> = (0..5)
        .map(|index| queued(gate.ask(&format!("k{index}"), T0)).1)
        .collect();
    assert_eq!(gate.take_due(T0), reads);
    let settled = gate.finished(
        reads[0],
        Outcome::RateLimited {
            retry_after_ms: Some(2_000),
        },
        T0 + 5.0,
    );
    assert_eq!(settled.answered.len(), 1);
    let (_, later) = queued(gate.ask("x", T0 + 10.0));
    assert!(gate.take_due(T0 + 2_004.0).is_empty());
    assert_eq!(gate.take_due(T0 + 2_005.0), vec![later]);
}

#[test]
fn rates_are_read_like_the_requests_per_second_option() {
    assert_eq!(GateState::default().interval_ms(), GateState::new(2.0).interval_ms());
    assert_eq!(GateState::new(0.0).interval_ms(), 0.0);
    assert!((GateState::new(1000.0).interval_ms() - 1.03).abs() < 1e-9);
    assert!(
        (GateState::new(1e12).interval_ms() - 1.03).abs() < 1e-9,
        "clamped to 1000"
    );
    assert!(
        (GateState::new(0.001).interval_ms() - 103_000.0).abs() < 1e-6,
        "clamped to 0.01"
    );
    assert!(
        (GateState::new(f64::NAN).interval_ms() - INTERVAL).abs() < 1e-9,
        "not a number: default"
    );
}

#[test]
fn a_lower_rate_refuses_waiters_pushed_past_a_minute() {
    let mut gate = GateState::new(1000.0);
    let (_, first) = queued(gate.ask("a", T0));
    assert_eq!(gate.take_due(T0), vec![first]);
    let (second_caller, second) = queued(gate.ask("b", T0));
    let (third_caller, third) = queued(gate.ask("c", T0 + 0.5));
    assert!(gate.set_rate(1.0, T0 + 1.0).refused.is_empty(), "1 s and 2 s away");
    let settled = gate.set_rate(0.01, T0 + 1.0);
    assert_eq!(settled.refused, vec![(second_caller, 102_999), (third_caller, 205_999)]);
    assert_eq!(settled.dropped, vec![second, third]);
}

// ---------------------------------------------------------------------------------------------
// Back off

#[test]
fn a_rate_limit_with_a_regain_time_holds_every_read_until_it() {
    let mut gate = GateState::new(2.0);
    let (_, a) = queued(gate.ask("a", T0));
    assert_eq!(gate.take_due(T0), vec![a]);
    let (waiter, b) = queued(gate.ask("b", T0 + 100.0));
    let settled = gate.finished(
        a,
        Outcome::RateLimited {
            retry_after_ms: Some(3_000),
        },
        T0 + 200.0,
    );
    assert!(settled.refused.is_empty(), "3 s is worth waiting");
    assert_eq!(
        gate.backoff(),
        Some(Backoff {
            until_ms: T0 + 3_200.0,
            strikes: 1
        })
    );
    assert_eq!(gate.wake_at(T0 + 300.0), Some(T0 + 3_200.0));
    assert!(gate.take_due(T0 + 3_199.0).is_empty());
    assert_eq!(gate.take_due(T0 + 3_200.0), vec![b]);
    let settled = gate.finished(b, Outcome::Ok, T0 + 3_400.0);
    assert_eq!(settled.answered, vec![waiter]);
    assert_eq!(gate.backoff(), None, "a success clears it");
}

#[test]
fn a_long_regain_time_refuses_waiters_and_newcomers_at_once() {
    let mut gate = GateState::new(2.0);
    let (_, a) = queued(gate.ask("a", T0));
    assert_eq!(gate.take_due(T0), vec![a]);
    let (w1, b) = queued(gate.ask("b", T0));
    let (w2, _) = joined(gate.ask("b", T0 + 1.0));
    let settled = gate.finished(
        a,
        Outcome::RateLimited {
            retry_after_ms: Some(120_000),
        },
        T0 + 1_000.0,
    );
    assert_eq!(settled.refused, vec![(w1, 120_000), (w2, 120_000)]);
    assert_eq!(settled.dropped, vec![b]);
    assert_eq!(gate.callers(), 0);
    assert_eq!(
        gate.ask("c", T0 + 11_000.0),
        Arrival::Refused {
            retry_after_ms: 110_000
        }
    );
    assert!(
        matches!(gate.ask("d", T0 + 61_000.0), Arrival::Queued { .. }),
        "60 s left: waits"
    );
}

#[test]
fn the_gates_own_backoff_grows_with_repeated_limits_and_resets_on_success() {
    let mut gate = GateState::new(0.0);
    let mut now = T0;
    let mut waits = Vec::new();
    for strike in 0..7 {
        let (_, read) = queued(gate.ask(&format!("k{strike}"), now));
        let due = gate.take_due(now);
        assert_eq!(due, vec![read]);
        gate.finished(
            read,
            Outcome::RateLimited {
                retry_after_ms: if strike % 2 == 0 { None } else { Some(0) },
            },
            now,
        );
        let backoff = gate.backoff().unwrap();
        waits.push(backoff.until_ms - now);
        assert_eq!(backoff.strikes, strike + 1);
        now = backoff.until_ms;
    }
    assert_eq!(
        waits,
        vec![1_000.0, 2_000.0, 4_000.0, 8_000.0, 16_000.0, 30_000.0, 30_000.0]
    );
    let (_, read) = queued(gate.ask("ok", now));
    assert_eq!(gate.take_due(now), vec![read]);
    gate.finished(read, Outcome::Ok, now + 100.0);
    assert_eq!(gate.backoff(), None);
    let (_, read) = queued(gate.ask("again", now + 200.0));
    gate.take_due(now + 200.0);
    gate.finished(read, Outcome::RateLimited { retry_after_ms: None }, now + 300.0);
    assert_eq!(
        gate.backoff(),
        Some(Backoff {
            until_ms: now + 1_300.0,
            strikes: 1
        })
    );
}

#[test]
fn a_limit_on_a_read_sent_before_the_last_limit_adds_no_strike() {
    let mut gate = GateState::new(0.0);
    let (_, a) = queued(gate.ask("a", T0));
    let (_, b) = queued(gate.ask("b", T0));
    assert_eq!(gate.take_due(T0), vec![a, b]);
    gate.finished(a, Outcome::RateLimited { retry_after_ms: None }, T0 + 100.0);
    gate.finished(b, Outcome::RateLimited { retry_after_ms: None }, T0 + 150.0);
    assert_eq!(
        gate.backoff(),
        Some(Backoff {
            until_ms: T0 + 1_150.0,
            strikes: 1
        })
    );
    // Nor does a success of such a read clear anything.
    let mut gate = GateState::new(0.0);
    let (_, a) = queued(gate.ask("a", T0));
    let (_, b) = queued(gate.ask("b", T0));
    gate.take_due(T0);
    gate.finished(
        a,
        Outcome::RateLimited {
            retry_after_ms: Some(5_000),
        },
        T0 + 100.0,
    );
    gate.finished(b, Outcome::Ok, T0 + 6_000.0);
    assert_eq!(
        gate.backoff(),
        Some(Backoff {
            until_ms: T0 + 5_100.0,
            strikes: 1
        })
    );
}

#[test]
fn other_errors_touch_neither_pacing_nor_backoff() {
    let mut gate = GateState::new(2.0);
    let (caller, a) = queued(gate.ask("a", T0));
    gate.take_due(T0);
    let settled = gate.finished(a, Outcome::Failed, T0 + 10.0);
    assert_eq!(
        settled,
        Settled {
            answered: vec![caller],
            ..Settled::default()
        }
    );
    assert_eq!(gate.backoff(), None);
}

#[test]
fn the_backoff_survives_eviction_as_plain_data() {
    let mut gate = GateState::new(2.0);
    let (_, a) = queued(gate.ask("a", T0));
    gate.take_due(T0);
    gate.finished(
        a,
        Outcome::RateLimited {
            retry_after_ms: Some(90_000),
        },
        T0 + 500.0,
    );
    let saved = gate.backoff().unwrap();
    let stored = serde_json::to_string(&saved).unwrap();
    assert_eq!(stored, format!(r#"{{"untilMs":{:?},"strikes":1}}"#, T0 + 90_500.0));
    let read_back: Backoff = serde_json::from_str(&stored).unwrap();

    let mut restarted = GateState::new(2.0);
    assert!(restarted.restore_backoff(read_back, T0 + 1_000.0).refused.is_empty());
    assert_eq!(
        restarted.ask("b", T0 + 1_000.0),
        Arrival::Refused { retry_after_ms: 89_500 }
    );
    let (_, b) = queued(restarted.ask("b", T0 + 31_000.0));
    assert!(restarted.take_due(T0 + 90_499.0).is_empty());
    assert_eq!(restarted.take_due(T0 + 90_500.0), vec![b]);
    // A stored backoff older than the object's own does not shorten it.
    restarted.restore_backoff(
        Backoff {
            until_ms: 0.0,
            strikes: 0,
        },
        T0 + 90_500.0,
    );
    assert_eq!(restarted.backoff(), Some(saved));
}

// ---------------------------------------------------------------------------------------------
// Coalesce

#[test]
fn identical_reads_waiting_or_in_flight_are_sent_once_and_answered_together() {
    let mut gate = GateState::new(2.0);
    let (_, other) = queued(gate.ask("other", T0));
    let (first, read) = queued(gate.ask("same", T0));
    let (second, joined_read) = joined(gate.ask("same", T0 + 1.0));
    assert_eq!(read, joined_read);
    assert_eq!(gate.take_due(T0), vec![other]);
    assert_eq!(gate.take_due(T0 + INTERVAL), vec![read]);
    let (third, in_flight) = joined(gate.ask("same", T0 + INTERVAL + 1.0));
    assert_eq!(in_flight, read, "joins the read in flight");
    assert!(gate.take_due(T0 + 10.0 * INTERVAL).is_empty(), "nothing more to send");
    let settled = gate.finished(read, Outcome::Failed, T0 + 2_000.0);
    assert_eq!(settled.answered, vec![first, second, third], "the same error for all");
    let (_, fresh) = queued(gate.ask("same", T0 + 2_001.0));
    assert_ne!(fresh, read, "a finished read is not joined");
}

#[test]
fn keys_ignore_proofs_and_where_the_token_goes_and_never_hold_it() {
    let token = "EAAsecretTOKEN123";
    let base = "https://graph.facebook.com/v25.0/1/conversations?fields=id&limit=25";
    let key = read_key(base, token);
    assert!(!key.contains(token) && !key.contains("secretTOKEN"));
    assert_eq!(
        read_key(&format!("{base}&appsecret_proof=abc&appsecret_time=17"), token),
        key
    );
    assert_eq!(
        read_key(&format!("{base}&access_token={token}&appsecret_proof=def"), token),
        key
    );
    assert_eq!(
        read_key(
            "https://graph.facebook.com/v25.0/1/conversations?appsecret_proof=x&fields=id&limit=25",
            token
        ),
        key
    );
    assert_ne!(read_key(base, "EAAanotherToken99"), key, "another token, another read");
    assert_ne!(
        read_key(&format!("{base}&after=QVFI"), token),
        key,
        "another page, another read"
    );
    assert_ne!(
        read_key(
            "https://graph.facebook.com/v25.0/1/conversations?fields=id&limit=26",
            token
        ),
        key
    );
    let header = HttpRequest {
        url: format!("{base}&appsecret_proof=1"),
        authorization: Some(format!("Bearer {token}")),
        secrets: Secrets::new(&[token]),
    };
    let query = HttpRequest {
        url: format!("{base}&access_token={token}&appsecret_proof=2&appsecret_time=3"),
        authorization: None,
        secrets: Secrets::new(&[token]),
    };
    assert_eq!(read_key_of(&header), key);
    assert_eq!(read_key_of(&query), key);
    assert!(read_key_of(&query).starts_with("https://graph.facebook.com/v25.0/1/conversations?fields=id&limit=25#"));
}

// ---------------------------------------------------------------------------------------------
// Let go

#[test]
fn callers_who_leave_give_their_place_back_and_unwanted_reads_are_not_sent() {
    let mut gate = GateState::new(2.0);
    let (_, a) = queued(gate.ask("a", T0));
    assert_eq!(gate.take_due(T0), vec![a]);
    let (b1, b) = queued(gate.ask("b", T0));
    let (b2, _) = joined(gate.ask("b", T0));
    let (c1, c) = queued(gate.ask("c", T0));
    assert_eq!(gate.leave(b1), None, "b still has a caller");
    assert_eq!(gate.leave(b2), Some(b), "nobody wants b");
    assert_eq!(gate.leave(b2), None, "leaving twice is harmless");
    assert_eq!(gate.waiting_reads(), 1);
    assert_eq!(gate.take_due(T0 + INTERVAL), vec![c], "c moved up into b's turn");
    let (d1, d) = joined(gate.ask("c", T0 + INTERVAL + 1.0));
    assert_eq!(d, c);
    assert_eq!(gate.leave(c1), None, "a read in flight stays in flight");
    let settled = gate.finished(c, Outcome::Ok, T0 + 1_000.0);
    assert_eq!(settled.answered, vec![d1], "who left is not answered");
    assert_eq!(
        gate.finished(c, Outcome::Ok, T0 + 1_001.0),
        Settled::default(),
        "nor twice"
    );
    assert_eq!(gate.finished(999, Outcome::Ok, T0), Settled::default());
    assert_eq!(gate.leave(999), None);
    assert_eq!(gate.callers(), 1, "a's caller");
    gate.finished(a, Outcome::Ok, T0 + 1_002.0);
    assert_eq!(gate.callers(), 0);
}

#[test]
fn the_gate_holds_a_bounded_number_of_callers() {
    let mut gate = GateState::new(0.0);
    for index in 0..MAX_CALLERS {
        assert!(matches!(
            gate.ask(&format!("k{}", index % 7), T0),
            Arrival::Queued { .. } | Arrival::Joined { .. }
        ));
    }
    assert_eq!(gate.ask("k0", T0), Arrival::Overloaded);
    assert_eq!(gate.ask("new", T0), Arrival::Overloaded);
    gate.leave(0);
    assert!(matches!(gate.ask("new", T0), Arrival::Queued { .. }));
}

// ---------------------------------------------------------------------------------------------
// Properties

#[derive(Clone, Debug)]
enum Op {
    /// A caller asks for the read of key `k`.
    Ask(usize),
    /// The caller picked by the index (among all callers so far) goes away.
    Leave(usize),
    /// Time passes.
    Advance(f64),
    /// The read in flight picked by the index ends.
    Finish(usize, Outcome),
    /// The object is told of a read it never sent.
    FinishUnknown,
}

fn outcome() -> impl Strategy<Value = Outcome> {
    prop_oneof![
        4 => Just(Outcome::Ok),
        1 => Just(Outcome::Failed),
        1 => Just(Outcome::RateLimited { retry_after_ms: None }),
        1 => Just(Outcome::RateLimited { retry_after_ms: Some(0) }),
        2 => (1_u64..8_000).prop_map(|ms| Outcome::RateLimited { retry_after_ms: Some(ms) }),
        1 => (50_000_u64..70_000).prop_map(|ms| Outcome::RateLimited { retry_after_ms: Some(ms) }),
        1 => (70_000_u64..300_000).prop_map(|ms| Outcome::RateLimited { retry_after_ms: Some(ms) }),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        5 => (0_usize..4).prop_map(Op::Ask),
        2 => any::<usize>().prop_map(Op::Leave),
        3 => prop_oneof![
            4 => 0.0..1_500.0_f64,
            2 => 0.0..20_000.0_f64,
            1 => 50_000.0..130_000.0_f64,
        ]
        .prop_map(Op::Advance),
        3 => (any::<usize>(), outcome()).prop_map(|(index, outcome)| Op::Finish(index, outcome)),
        1 => Just(Op::FinishUnknown),
    ]
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    Waiting,
    Left,
    Answered,
    Refused,
}

#[derive(Clone, Debug)]
struct ModelCaller {
    read: ReadId,
    asked_ms: f64,
    status: Status,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ReadState {
    Waiting,
    InFlight,
    Done,
    /// Never to be sent: all its callers left, or were refused.
    Dropped,
}

#[derive(Clone, Debug)]
struct ModelRead {
    key: usize,
    /// Its callers in order of arrival.
    callers: Vec<CallerId>,
    state: ReadState,
    sent_ms: f64,
}

/// What the test knows: everything it told the gate and the rules of API.md, nothing of the
/// gate's insides.
struct Model {
    gate: GateState,
    interval: f64,
    punctual: bool,
    now: f64,
    callers: BTreeMap<CallerId, ModelCaller>,
    reads: BTreeMap<ReadId, ModelRead>,
    /// Waiting reads in order of asking.
    line: Vec<ReadId>,
    /// Every send: when, and which read.
    sends: Vec<(f64, ReadId)>,
    deadline: f64,
    strikes: u32,
    limit_seen: f64,
    /// When a rate limit last moved the deadline: waits are promised from then, or the asking.
    last_limit: f64,
}

impl Model {
    fn new(rate: f64, punctual: bool) -> Model {
        let gate = GateState::new(rate);
        let contract = if rate == 0.0 { 0.0 } else { 1000.0 * 1.03 / rate };
        assert!((gate.interval_ms() - contract).abs() < 1e-9);
        let interval = gate.interval_ms();
        Model {
            gate,
            interval,
            punctual,
            now: T0,
            callers: BTreeMap::new(),
            reads: BTreeMap::new(),
            line: Vec::new(),
            sends: Vec::new(),
            deadline: f64::NEG_INFINITY,
            strikes: 0,
            limit_seen: f64::NEG_INFINITY,
            last_limit: f64::NEG_INFINITY,
        }
    }

    /// The earliest the first waiting read may go.
    fn start(&self) -> f64 {
        let last = self.sends.last().map_or(f64::NEG_INFINITY, |(at, _)| *at);
        self.now.max(last + self.interval).max(self.deadline)
    }

    fn wait_at(&self, position: usize) -> f64 {
        self.start() + self.interval * position as f64 - self.now
    }

    fn live(&self, read: ReadId) -> Vec<CallerId> {
        self.reads[&read]
            .callers
            .iter()
            .copied()
            .filter(|caller| self.callers[caller].status == Status::Waiting)
            .collect()
    }

    fn ask(&mut self, key: usize) -> Result<(), TestCaseError> {
        let arrival = self.gate.ask(&key_of(key), self.now);
        let pending = self
            .reads
            .iter()
            .find(|(_, read)| read.key == key && matches!(read.state, ReadState::Waiting | ReadState::InFlight))
            .map(|(id, read)| (*id, read.state));
        let position = match pending {
            Some((id, ReadState::Waiting)) => self.line.iter().position(|&read| read == id),
            Some(_) => None,
            None => Some(self.line.len()),
        };
        if let Some(position) = position {
            let wait = self.wait_at(position);
            if wait > LIMIT + EPS {
                // (f) refused when the wait is over 60 s, with that wait.
                match arrival {
                    Arrival::Refused { retry_after_ms } => {
                        prop_assert!(
                            (retry_after_ms as f64 - wait.ceil()).abs() <= 1.0,
                            "{retry_after_ms} vs {wait}"
                        );
                        prop_assert!(retry_after_ms > 60_000);
                        return Ok(());
                    }
                    other => prop_assert!(false, "a wait of {wait} ms must be refused, got {other:?}"),
                }
            } else if wait < LIMIT - EPS {
                prop_assert!(
                    !matches!(arrival, Arrival::Refused { .. }),
                    "refused a wait of {wait} ms"
                );
            } else if let Arrival::Refused { .. } = arrival {
                return Ok(());
            }
        }
        match (arrival, pending) {
            (Arrival::Joined { caller, read }, Some((pending, _))) => {
                // (c) an identical read waiting or in flight is joined, never duplicated.
                prop_assert_eq!(read, pending);
                prop_assert!(!self.callers.contains_key(&caller), "caller id reused");
                self.reads.get_mut(&read).unwrap().callers.push(caller);
                self.callers.insert(
                    caller,
                    ModelCaller {
                        read,
                        asked_ms: self.now,
                        status: Status::Waiting,
                    },
                );
            }
            (Arrival::Queued { caller, read }, None) => {
                prop_assert!(!self.reads.contains_key(&read), "read id reused");
                prop_assert!(!self.callers.contains_key(&caller), "caller id reused");
                self.reads.insert(
                    read,
                    ModelRead {
                        key,
                        callers: vec![caller],
                        state: ReadState::Waiting,
                        sent_ms: f64::NAN,
                    },
                );
                self.line.push(read);
                self.callers.insert(
                    caller,
                    ModelCaller {
                        read,
                        asked_ms: self.now,
                        status: Status::Waiting,
                    },
                );
            }
            (arrival, pending) => prop_assert!(false, "{arrival:?} with {pending:?} pending"),
        }
        Ok(())
    }

    fn leave(&mut self, index: usize) -> Result<(), TestCaseError> {
        if self.callers.is_empty() {
            return Ok(());
        }
        let caller = *self.callers.keys().nth(index % self.callers.len()).unwrap();
        let dropped = self.gate.leave(caller);
        let entry = self.callers[&caller].clone();
        if entry.status != Status::Waiting {
            prop_assert_eq!(dropped, None, "a caller no longer there leaves again");
            return Ok(());
        }
        self.callers.get_mut(&caller).unwrap().status = Status::Left;
        let read = entry.read;
        let expected = (self.reads[&read].state == ReadState::Waiting && self.live(read).is_empty()).then_some(read);
        prop_assert_eq!(dropped, expected);
        if expected.is_some() {
            self.reads.get_mut(&read).unwrap().state = ReadState::Dropped;
            self.line.retain(|&waiting| waiting != read);
        }
        Ok(())
    }

    fn send_due(&mut self) -> Result<(), TestCaseError> {
        let due = self.gate.take_due(self.now);
        for read in &due {
            let read = *read;
            // Turns in order of asking.
            prop_assert_eq!(self.line.first().copied(), Some(read), "sent out of turn");
            self.line.remove(0);
            // (a) the rate is kept.
            if let Some((last, _)) = self.sends.last() {
                prop_assert!(
                    self.now - last >= self.interval - EPS,
                    "gap {} < {}",
                    self.now - last,
                    self.interval
                );
            }
            // (b) nothing during a backoff.
            prop_assert!(
                self.now >= self.deadline - EPS,
                "sent at {} before the deadline {}",
                self.now,
                self.deadline
            );
            let entry = self.reads.get_mut(&read).unwrap();
            // (c) once; (e) never when nobody wants it.
            prop_assert_eq!(entry.state, ReadState::Waiting, "sent a read {:?}", entry.state);
            entry.state = ReadState::InFlight;
            entry.sent_ms = self.now;
            self.sends.push((self.now, read));
            let live = self.live(read);
            prop_assert!(!live.is_empty(), "sent a read nobody waits for");
            if self.punctual {
                // (f) admitted waits are at most 60 s, from the asking or the last rate limit.
                for caller in live {
                    let promised = self.callers[&caller].asked_ms.max(self.last_limit) + LIMIT;
                    prop_assert!(
                        self.now <= promised + EPS,
                        "waited {} ms",
                        self.now - self.callers[&caller].asked_ms
                    );
                }
            }
        }
        // Whatever is due is sent.
        if !self.line.is_empty() {
            prop_assert!(
                self.start() > self.now,
                "a read due at {} was not sent at {}",
                self.start(),
                self.now
            );
            prop_assert_eq!(self.gate.wake_at(self.now), Some(self.start()));
        } else {
            prop_assert_eq!(self.gate.wake_at(self.now), None);
        }
        Ok(())
    }

    fn advance(&mut self, by: f64) -> Result<(), TestCaseError> {
        let target = self.now + by;
        if self.punctual {
            // The object's timer fires exactly when asked.
            while let Some(wake) = self.gate.wake_at(self.now) {
                if wake > target {
                    break;
                }
                let before = self.sends.len();
                self.now = wake;
                self.send_due()?;
                prop_assert!(self.sends.len() > before, "woken for nothing");
            }
        }
        self.now = target;
        self.send_due()
    }

    fn finish(&mut self, index: usize, outcome: Outcome) -> Result<(), TestCaseError> {
        let in_flight: Vec<ReadId> = self
            .reads
            .iter()
            .filter(|(_, read)| read.state == ReadState::InFlight)
            .map(|(id, _)| *id)
            .collect();
        if in_flight.is_empty() {
            return Ok(());
        }
        let read = in_flight[index % in_flight.len()];
        let settled = self.gate.finished(read, outcome, self.now);
        // (c), (d) every caller still there gets this outcome, once.
        let expected = self.live(read);
        prop_assert_eq!(&settled.answered, &expected);
        for caller in &expected {
            self.callers.get_mut(caller).unwrap().status = Status::Answered;
        }
        let entry = self.reads.get_mut(&read).unwrap();
        entry.state = ReadState::Done;
        let fresh = entry.sent_ms > self.limit_seen;
        let mut refused = Vec::new();
        let mut dropped = Vec::new();
        match outcome {
            Outcome::Ok => {
                if fresh {
                    self.strikes = 0;
                }
            }
            Outcome::Failed => {}
            Outcome::RateLimited { retry_after_ms } => {
                if fresh {
                    self.strikes += 1;
                }
                self.limit_seen = self.limit_seen.max(self.now);
                let wait = match retry_after_ms {
                    Some(wait) if wait > 0 => wait as f64,
                    _ => (1_000.0 * 2_f64.powi(self.strikes.max(1) as i32 - 1)).min(30_000.0),
                };
                self.deadline = self.deadline.max(self.now + wait);
                self.last_limit = self.now;
                // (f) waiters are refused exactly when their turn moved over 60 s away.
                for (position, &waiting) in self.line.iter().enumerate() {
                    let wait = self.wait_at(position);
                    if wait > LIMIT {
                        dropped.push(waiting);
                        for caller in self.live(waiting) {
                            refused.push((caller, wait.ceil() as u64));
                        }
                    }
                }
            }
        }
        prop_assert_eq!(&settled.dropped, &dropped);
        prop_assert_eq!(settled.refused.len(), refused.len());
        for ((caller, after), (expected_caller, expected_after)) in settled.refused.iter().zip(&refused) {
            prop_assert_eq!(caller, expected_caller);
            prop_assert!(after.abs_diff(*expected_after) <= 1 && *after > 60_000);
        }
        for (caller, _) in &refused {
            self.callers.get_mut(caller).unwrap().status = Status::Refused;
        }
        for read in &dropped {
            self.reads.get_mut(read).unwrap().state = ReadState::Dropped;
        }
        self.line.retain(|read| !dropped.contains(read));
        Ok(())
    }

    /// Finishes everything in flight with pages and lets time run until nothing is left.
    fn drain(&mut self) -> Result<(), TestCaseError> {
        for _ in 0..100_000 {
            if self.reads.values().any(|read| read.state == ReadState::InFlight) {
                self.finish(0, Outcome::Ok)?;
            } else if let Some(wake) = self.gate.wake_at(self.now) {
                self.now = wake;
                self.send_due()?;
            } else {
                return Ok(());
            }
        }
        prop_assert!(false, "the gate never emptied");
        Ok(())
    }

    fn check_end(&self) -> Result<(), TestCaseError> {
        // (d) no caller lost: each one left, or was answered or refused (once, by construction).
        for (caller, entry) in &self.callers {
            prop_assert!(entry.status != Status::Waiting, "caller {caller} never answered");
        }
        prop_assert_eq!(self.gate.callers(), 0);
        prop_assert_eq!(self.gate.waiting_reads() + self.gate.in_flight_reads(), 0);
        // (c) each read sent at most once.
        let sent: BTreeSet<ReadId> = self.sends.iter().map(|(_, read)| *read).collect();
        prop_assert_eq!(sent.len(), self.sends.len());
        for (read, entry) in &self.reads {
            prop_assert_eq!(sent.contains(read), entry.state == ReadState::Done);
        }
        Ok(())
    }
}

fn key_of(key: usize) -> String {
    let token = if key % 2 == 0 {
        "EAAfirstToken1"
    } else {
        "EAAsecondToken2"
    };
    read_key(
        &format!(
            "https://graph.facebook.com/v25.0/1/conversations?limit={}&appsecret_proof={key}",
            key / 2 + 1
        ),
        token,
    )
}

fn run(rate: f64, punctual: bool, ops: Vec<Op>) -> Result<(), TestCaseError> {
    let mut model = Model::new(rate, punctual);
    for op in ops {
        match op {
            Op::Ask(key) => model.ask(key)?,
            Op::Leave(index) => model.leave(index)?,
            Op::Advance(by) => model.advance(by)?,
            Op::Finish(index, outcome) => model.finish(index, outcome)?,
            Op::FinishUnknown => prop_assert_eq!(
                model.gate.finished(u64::MAX, Outcome::Ok, model.now),
                Settled::default()
            ),
        }
        if punctual {
            model.send_due()?;
        }
    }
    model.drain()?;
    model.check_end()
}

proptest! {
    #![proptest_config(config())]

    /// (a)-(f) with an object whose timer fires exactly at `wake_at`.
    #[test]
    fn any_interleaving_keeps_the_rules_with_a_punctual_timer(
        rate in prop::sample::select(vec![0.0, 0.01, 0.5, 2.0, 7.5, 1000.0]),
        ops in vec(op(), 1..150),
    ) {
        run(rate, true, ops)?;
    }

    /// (a)-(e) and refusals only past 60 s, when the object looks only now and then (late
    /// timers, several arrivals between looks).
    #[test]
    fn any_interleaving_keeps_the_rules_with_late_timers(
        rate in prop::sample::select(vec![0.0, 0.01, 0.5, 2.0, 7.5, 1000.0]),
        ops in vec(op(), 1..150),
    ) {
        run(rate, false, ops)?;
    }

    /// Eviction at any point: the backoff exported as JSON and restored into a fresh gate keeps
    /// every read of the new gate until the same deadline, and refuses waits over 60 s.
    #[test]
    fn a_restored_backoff_holds_like_the_original(
        limits in vec((0.0..5_000.0_f64, prop::option::of(0_u64..200_000)), 1..6),
        later in 0.0..100_000.0_f64,
    ) {
        let mut gate = GateState::new(2.0);
        let mut now = T0;
        for (index, (step, retry_after_ms)) in limits.iter().enumerate() {
            now += step;
            let Arrival::Queued { read, .. } = gate.ask(&format!("k{index}"), now) else { continue };
            let Some(wake) = gate.wake_at(now) else { continue };
            if wake - now > 60_000.0 { continue; }
            now = wake;
            prop_assert_eq!(gate.take_due(now), vec![read]);
            gate.finished(read, Outcome::RateLimited { retry_after_ms: *retry_after_ms }, now);
        }
        let saved = gate.backoff().unwrap();
        let stored = serde_json::to_string(&saved).unwrap();
        let fields: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&stored).unwrap();
        prop_assert!(fields.keys().eq(["strikes", "untilMs"]), "times and counts only: {}", stored);
        prop_assert!(fields.values().all(serde_json::Value::is_number));
        // serde_json (without `float_roundtrip`) may read the last bit back differently; the
        // object keeps the number as JavaScript does, exactly.
        let read_back: Backoff = serde_json::from_str(&stored).unwrap();
        prop_assert!((read_back.until_ms - saved.until_ms).abs() < 0.01 && read_back.strikes == saved.strikes);
        let saved = read_back;
        let mut restarted = GateState::new(2.0);
        restarted.restore_backoff(saved, now);
        let at = now + later;
        let arrival = restarted.ask("fresh", at);
        let wait = saved.until_ms - at;
        if wait > 60_000.0 {
            prop_assert_eq!(arrival, Arrival::Refused { retry_after_ms: wait.ceil() as u64 });
        } else {
            let Arrival::Queued { read, .. } = arrival else { return Err(TestCaseError::fail("not queued")) };
            prop_assert_eq!(restarted.wake_at(at), Some(saved.until_ms.max(at)));
            if wait > 0.0 {
                prop_assert!(restarted.take_due(saved.until_ms - 0.5).is_empty());
            }
            prop_assert_eq!(restarted.take_due(saved.until_ms.max(at)), vec![read]);
        }
    }
}

#[test]
fn graph_answers_become_outcomes() {
    use page_conversations::RateLimitUsage;
    let outcome_of = |status: u16, body: &str, usage: Option<&RateLimitUsage>| {
        page_conversations::gate::outcome_of(status, serde_json::from_str::<serde_json::Value>(body).ok(), usage)
    };
    let page = r#"{"data":[{"id":"t_1"}],"paging":{"cursors":{"after":"QVFI"},"next":"https://graph.facebook.com/x"}}"#;
    assert_eq!(outcome_of(200, page, None), Outcome::Ok);
    let limited = r#"{"error":{"message":"(#32) Page request limit reached","type":"OAuthException","code":32,"fbtrace_id":"A"}}"#;
    assert_eq!(outcome_of(400, limited, None), Outcome::RateLimited { retry_after_ms: None });
    let usage = RateLimitUsage::from_headers(
        None,
        None,
        Some(r#"{"1":[{"type":"messenger","call_count":100,"total_cputime":1,"total_time":1,"estimated_time_to_regain_access":3}]}"#),
    );
    assert_eq!(
        outcome_of(400, limited, usage.as_ref()),
        Outcome::RateLimited { retry_after_ms: Some(180_000) }
    );
    let in_200 = r#"{"error":{"message":"(#4) Application request limit reached","code":4}}"#;
    assert_eq!(outcome_of(200, in_200, None), Outcome::RateLimited { retry_after_ms: None });
    assert_eq!(outcome_of(502, "<html>Bad gateway</html>", None), Outcome::Failed);
    let auth = r#"{"error":{"message":"Error validating access token","code":190}}"#;
    assert_eq!(outcome_of(400, auth, None), Outcome::Failed);
    let mentions_error = r#"{"data":[{"id":"t_1","snippet":"an \"error\" in a message"}]}"#;
    assert_eq!(outcome_of(200, mentions_error, None), Outcome::Ok);
}
