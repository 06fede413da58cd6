//! The fleet gate's decisions for one Page, sans-IO: the logic behind `ConversationsGate`, the
//! Durable Object that is the only place deciding when a Page's requests reach Graph (API.md,
//! "The fleet gate"; GRAPH.md, "Rate limits, fleet-wide").
//!
//! The object holds one [`GateState`] and performs the Graph fetches itself, for callers from
//! every isolate. It tells the state what happens, with the current time in milliseconds since
//! the Unix epoch (`Date.now()`), and does what the state answers:
//!
//! * a caller arrives: [`GateState::ask`] with the read's [`read_key`] says whether it queues a
//!   new read, joins an identical read waiting or in flight, or is refused at once;
//! * the object's timer fires at [`GateState::wake_at`]: [`GateState::take_due`] gives the reads
//!   to send now (counted as sent from then on);
//! * a fetch ends: [`GateState::finished`] gives the callers to answer with that outcome, and
//!   the waiting callers a new backoff refuses;
//! * a caller goes away: [`GateState::leave`] gives its place back (and drops its read when
//!   nobody else waits for it);
//! * after a rate limit, [`GateState::backoff`] is what the object keeps in its storage, and
//!   [`GateState::restore_backoff`] what it reads back after being evicted.
//!
//! **Pace.** Reads are sent in the order they were first asked, never closer together than the
//! interval of [`GateState::interval_ms`] (1/rate, plus the margin of the in-isolate pacing).
//! A send that comes late (a late timer) pushes the next one back: the gap is always kept.
//!
//! **Back off.** A rate limit met by any read sets a deadline before which nothing is sent:
//! Graph's `estimated_time_to_regain_access` when it gave one, else the gate's own backoff
//! (1 s, doubling with each rate limit in a row, at most 30 s). A success resets the count.
//! A rate limit answering a read sent before an earlier rate limit was seen adds no strike (it
//! tells nothing new), but its deadline still counts.
//!
//! **Refuse.** A caller whose turn would come more than [`MAX_RATE_LIMIT_WAIT_MS`] from now
//! (the same 60 s after which a rate limit is thrown instead of slept through) is refused at
//! once with the wait in milliseconds (`RateLimitError` with `retryAfterMs`); so are waiting
//! callers whose turn a new backoff moves that far away. Beyond [`MAX_CALLERS`] callers, a new
//! caller is refused as overloaded (the isolate then paces locally).
//!
//! **Coalesce.** Reads with the same [`read_key`] asked while one of them waits or is in flight
//! are one read: sent once, and every caller still there gets the same outcome.
//!
//! **Let go.** A caller that leaves is never answered; a read all of whose callers left before
//! it was sent is dropped, and the reads behind it move up.
//!
//! The state holds no token: keys carry a hash of it. What it exports ([`Backoff`]) is times and
//! counts only.


use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::options::{MAX_REQUESTS_PER_SECOND, MIN_REQUESTS_PER_SECOND};
use crate::proof::to_hex;
use crate::error::{ApiErrorClass, Error};
use crate::redact::Secrets;
use crate::request::HttpRequest;
use crate::json::JsonView;
use crate::response::{read_response, BodyShape};
use crate::usage::RateLimitUsage;
pub use crate::retry::MAX_RATE_LIMIT_WAIT_MS;
use crate::text::split_once;
use crate::urlencoded;

pub use crate::options::DEFAULT_REQUESTS_PER_SECOND;

/// The most callers one Page's gate holds at once (waiting, or joined to a read in flight);
/// beyond it a new caller is refused as [`Arrival::Overloaded`].
pub const MAX_CALLERS: usize = 1_000;

/// The gate's own backoff after a first rate limit without Graph's regain time.
pub const BACKOFF_FIRST_MS: u64 = 1_000;

/// The gate's own backoff never exceeds this.
pub const BACKOFF_CAP_MS: u64 = 30_000;

/// A caller of the gate, numbered by the gate in order of arrival.
pub type CallerId = u64;

/// One read the gate sends (or would send) to Graph, shared by every caller who joined it;
/// numbered by the gate in order of first asking.
pub type ReadId = u64;

/// What [`GateState::ask`] decided for an arriving caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arrival {
    /// A new read waits for its turn; the caller is its first.
    Queued {
        /// The caller, for [`GateState::leave`] and to match the answers of [`Settled`].
        caller: CallerId,
        /// The new read.
        read: ReadId,
    },
    /// The caller joined an identical read, waiting or in flight: it gets that read's outcome.
    Joined {
        /// The caller.
        caller: CallerId,
        /// The read joined.
        read: ReadId,
    },
    /// The caller's turn would come more than 60 s from now: reject at once with
    /// `RateLimitError`, `retryAfterMs` set to this.
    Refused {
        /// How long the caller would have waited, in milliseconds (rounded up).
        retry_after_ms: u64,
    },
    /// The gate holds [`MAX_CALLERS`] callers already: the caller paces in its own isolate.
    Overloaded,
}

/// How a sent read ended, as far as the gate cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Graph answered with a page.
    Ok,
    /// Graph said the rate limit was reached (`RateLimitError`).
    RateLimited {
        /// Graph's `estimated_time_to_regain_access` in milliseconds, when it gave a positive one
        /// (the error's `retry_after_ms`); otherwise the gate's own backoff applies.
        retry_after_ms: Option<u64>,
    },
    /// Any other failure: answered to the callers, no effect on pacing or backoff.
    Failed,
}

/// The callers to answer after [`GateState::finished`] (or a change of backoff or rate).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settled {
    /// The callers of the finished read still there, in order of arrival: each gets its outcome.
    pub answered: Vec<CallerId>,
    /// Waiting callers whose turn moved more than 60 s away: each rejects with `RateLimitError`
    /// and this `retryAfterMs`.
    pub refused: Vec<(CallerId, u64)>,
    /// Waiting reads that nobody waits for any more: never sent, their requests can be forgotten.
    pub dropped: Vec<ReadId>,
}

/// The backoff of a Page as plain data (times and counts only), for the object's storage: it
/// survives the object being evicted.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Backoff {
    /// Nothing is sent before this time (milliseconds since the Unix epoch); 0 for none.
    pub until_ms: f64,
    /// Rate limits met in a row: the gate's own backoff grows with them.
    pub strikes: u32,
}

/// One read: its key, its callers in order of arrival, and when it was sent.
#[derive(Clone, Debug)]
struct Read {
    key: String,
    callers: Vec<CallerId>,
    sent_ms: f64,
}

/// The gate of one Page: its line of waiting reads, its reads in flight, its pacing and backoff.
#[derive(Clone, Debug)]
pub struct GateState {
    /// The shortest gap between two sends; 0: unpaced.
    interval_ms: f64,
    /// When the last read was sent.
    last_sent_ms: f64,
    /// Nothing is sent before this.
    until_ms: f64,
    /// Rate limits in a row.
    strikes: u32,
    /// When the last rate limit was seen.
    limit_seen_ms: f64,
    /// The reads waiting for their turn, in order of asking: the line.
    waiting: Vec<(ReadId, Read)>,
    /// The reads sent and not finished.
    in_flight: Vec<(ReadId, Read)>,
    next_read: ReadId,
    next_caller: CallerId,
}

impl Default for GateState {
    /// A gate at [`DEFAULT_REQUESTS_PER_SECOND`].
    fn default() -> GateState {
        GateState::new(DEFAULT_REQUESTS_PER_SECOND)
    }
}

impl GateState {
    /// A gate sending at most `requests_per_second` reads per second: 0 for no pacing (backoff
    /// and coalescing still apply), else the range of the `requestsPerSecond` option (0.01 to
    /// 1000), a rate outside it clamped into it (not a number: the default).
    pub fn new(requests_per_second: f64) -> GateState {
        GateState {
            interval_ms: interval_for(requests_per_second),
            last_sent_ms: f64::NEG_INFINITY,
            until_ms: f64::NEG_INFINITY,
            strikes: 0,
            limit_seen_ms: f64::NEG_INFINITY,
            waiting: Vec::new(),
            in_flight: Vec::new(),
            next_read: 0,
            next_caller: 0,
        }
    }

    /// The shortest gap between two sends, in milliseconds (0: unpaced).
    pub fn interval_ms(&self) -> f64 {
        self.interval_ms
    }

    /// Changes the rate (as [`new`](Self::new) reads it) from the next send on. Waiting callers
    /// whose turn a lower rate moves more than 60 s away are refused.
    pub fn set_rate(&mut self, requests_per_second: f64, now_ms: f64) -> Settled {
        self.interval_ms = interval_for(requests_per_second);
        let mut settled = Settled::default();
        self.refuse_late(now_ms, &mut settled);
        settled
    }

    /// A caller asks for the read `key` (see [`read_key`]) at `now_ms`: it joins the identical
    /// read waiting or in flight, or queues a new one at the end of the line; it is refused when
    /// its turn would come more than 60 s from now, or when the gate is full.
    pub fn ask(&mut self, key: &str, now_ms: f64) -> Arrival {
        if self.callers() >= MAX_CALLERS {
            return Arrival::Overloaded;
        }
        let joined = self.reads().find(|(_, read)| read.key == key).map(|(id, _)| *id);
        let position = match joined {
            Some(read) => self.waiting.iter().position(|(waiting, _)| *waiting == read),
            None => Some(self.waiting.len()),
        };
        if let Some(position) = position {
            let wait = self.turn_ms(position, now_ms) - now_ms;
            if wait > MAX_RATE_LIMIT_WAIT_MS as f64 {
                return Arrival::Refused {
                    retry_after_ms: whole_ms(wait),
                };
            }
        }
        let caller = self.next_caller;
        self.next_caller = self.next_caller.wrapping_add(1);
        if let Some(read) = joined {
            if let Some(found) = self.read_mut(read) {
                found.callers.push(caller);
                return Arrival::Joined { caller, read };
            }
        }
        let read = self.next_read;
        self.next_read = self.next_read.wrapping_add(1);
        self.waiting.push((
            read,
            Read {
                key: key.to_owned(),
                callers: vec![caller],
                sent_ms: f64::NAN,
            },
        ));
        Arrival::Queued { caller, read }
    }

    /// When the first waiting read may be sent (at least `now_ms`); `None` when nothing waits.
    /// The object sets its timer to this and then calls [`take_due`](Self::take_due).
    pub fn wake_at(&self, now_ms: f64) -> Option<f64> {
        (!self.waiting.is_empty()).then(|| self.start_ms(now_ms))
    }

    /// The reads to send now, in order (at most one when paced): each is counted as sent at
    /// `now_ms` and is in flight until [`finished`](Self::finished). Nothing is sent before the
    /// backoff deadline, nor sooner than the interval after the last send.
    pub fn take_due(&mut self, now_ms: f64) -> Vec<ReadId> {
        let mut due = Vec::new();
        if !now_ms.is_finite() {
            return due;
        }
        while now_ms >= self.until_ms && now_ms >= self.last_sent_ms + self.interval_ms && !self.waiting.is_empty() {
            let (read, mut waiting) = self.waiting.remove(0);
            waiting.sent_ms = now_ms;
            self.last_sent_ms = now_ms;
            self.in_flight.push((read, waiting));
            due.push(read);
        }
        due
    }

    /// The read `read`, in flight, ended with `outcome` at `now_ms`: its callers still there are
    /// answered with it, and a rate limit sets the backoff (refusing the waiting callers whose
    /// turn it moves more than 60 s away). Nothing happens for a read not in flight.
    pub fn finished(&mut self, read: ReadId, outcome: Outcome, now_ms: f64) -> Settled {
        let mut settled = Settled::default();
        let Some(done) = take(&mut self.in_flight, read) else {
            return settled;
        };
        settled.answered = done.callers;
        let fresh = done.sent_ms > self.limit_seen_ms;
        match outcome {
            Outcome::Ok => {
                if fresh {
                    self.strikes = 0;
                    if self.until_ms <= now_ms {
                        self.until_ms = f64::NEG_INFINITY;
                    }
                }
            }
            Outcome::Failed => {}
            Outcome::RateLimited { retry_after_ms } => {
                if fresh {
                    self.strikes = self.strikes.saturating_add(1);
                }
                self.limit_seen_ms = self.limit_seen_ms.max(now_ms);
                let wait = match retry_after_ms {
                    Some(wait) if wait > 0 => wait,
                    _ => own_backoff_ms(self.strikes),
                };
                self.until_ms = self.until_ms.max(now_ms + wait as f64);
                self.refuse_late(now_ms, &mut settled);
            }
        }
        settled
    }

    /// The caller `caller` went away: it is not answered. If it was the last caller of a waiting
    /// read, that read is dropped (never sent; the reads behind it move up) and returned. A read
    /// in flight stays in flight. Nothing happens for a caller no longer there.
    pub fn leave(&mut self, caller: CallerId) -> Option<ReadId> {
        let read = self.reads().find(|(_, read)| read.callers.contains(&caller)).map(|(id, _)| *id)?;
        let found = self.read_mut(read)?;
        found.callers.retain(|&other| other != caller);
        if !found.callers.is_empty() || self.in_flight.iter().any(|(id, _)| *id == read) {
            return None;
        }
        take(&mut self.waiting, read).map(|_| read)
    }

    /// The backoff to keep in storage; `None` when there is none (no deadline, no strikes: the
    /// stored one can be deleted). Read it after every [`finished`](Self::finished).
    pub fn backoff(&self) -> Option<Backoff> {
        let until_ms = if self.until_ms.is_finite() { self.until_ms } else { 0.0 };
        (until_ms > 0.0 || self.strikes > 0).then_some(Backoff {
            until_ms,
            strikes: self.strikes,
        })
    }

    /// Takes back a stored backoff (after the object was evicted and restarted): the later
    /// deadline and the larger count win. Waiting callers it moves more than 60 s away are
    /// refused.
    pub fn restore_backoff(&mut self, saved: Backoff, now_ms: f64) -> Settled {
        if saved.until_ms.is_finite() {
            self.until_ms = self.until_ms.max(saved.until_ms);
        }
        self.strikes = self.strikes.max(saved.strikes);
        let mut settled = Settled::default();
        self.refuse_late(now_ms, &mut settled);
        settled
    }

    /// How many callers the gate holds (waiting, or joined to a read in flight).
    pub fn callers(&self) -> usize {
        self.reads().map(|(_, read)| read.callers.len()).sum()
    }

    /// How many reads wait for their turn.
    pub fn waiting_reads(&self) -> usize {
        self.waiting.len()
    }

    /// How many reads are in flight.
    pub fn in_flight_reads(&self) -> usize {
        self.in_flight.len()
    }

    /// The earliest the first waiting read may go: now, the interval after the last send, or
    /// the backoff deadline, whichever is latest.
    fn start_ms(&self, now_ms: f64) -> f64 {
        now_ms.max(self.last_sent_ms + self.interval_ms).max(self.until_ms)
    }

    /// When the read at `position` in the line would be sent, if nobody left.
    fn turn_ms(&self, position: usize, now_ms: f64) -> f64 {
        self.start_ms(now_ms) + self.interval_ms * position as f64
    }

    /// Refuses the waiting reads whose turn is more than 60 s from `now_ms` (each at its place
    /// in the line as it stands), with all their callers.
    fn refuse_late(&mut self, now_ms: f64, settled: &mut Settled) {
        let late: Vec<(ReadId, f64)> = self
            .waiting
            .iter()
            .enumerate()
            .map(|(position, (read, _))| (*read, self.turn_ms(position, now_ms) - now_ms))
            .filter(|&(_, wait)| wait > MAX_RATE_LIMIT_WAIT_MS as f64)
            .collect();
        for (read, wait) in late {
            let Some(gone) = take(&mut self.waiting, read) else {
                continue;
            };
            for caller in gone.callers {
                settled.refused.push((caller, whole_ms(wait)));
            }
            settled.dropped.push(read);
        }
    }

    /// Every read, waiting or in flight.
    fn reads(&self) -> impl Iterator<Item = &(ReadId, Read)> {
        self.waiting.iter().chain(&self.in_flight)
    }

    /// The read `read`, waiting or in flight.
    fn read_mut(&mut self, read: ReadId) -> Option<&mut Read> {
        self.waiting
            .iter_mut()
            .chain(&mut self.in_flight)
            .find(|(id, _)| *id == read)
            .map(|(_, found)| found)
    }
}

/// Removes the read `read` from `reads` (a few hundred at most: a list costs the wasm module far
/// less than a map), keeping the others in order.
fn take(reads: &mut Vec<(ReadId, Read)>, read: ReadId) -> Option<Read> {
    let position = reads.iter().position(|(id, _)| *id == read)?;
    Some(reads.remove(position).1)
}

/// The gate's own backoff after `strikes` rate limits in a row without Graph's regain time:
/// [`BACKOFF_FIRST_MS`], doubling each time, at most [`BACKOFF_CAP_MS`].
pub fn own_backoff_ms(strikes: u32) -> u64 {
    let doublings = strikes.saturating_sub(1).min(16);
    BACKOFF_FIRST_MS.saturating_mul(1 << doublings).min(BACKOFF_CAP_MS)
}

/// The key under which identical reads coalesce: the URL with its query, without
/// `appsecret_proof`, `appsecret_time` and `access_token`, then `#` and the first 128 bits of
/// the token's SHA-256 in hex. Two reads with the same key ask Graph the same thing with the
/// same token, whatever their proofs and wherever the token goes; the key never contains the
/// token.
pub fn read_key(url: &str, token: &str) -> String {
    let (base, query) = split_once(url, b'?').unwrap_or((url, ""));
    let mut key = String::with_capacity(url.len() + 33);
    key.push_str(base);
    let mut first = true;
    for part in crate::text::split(query, b'&').filter(|part| !part.is_empty()) {
        let raw_name = split_once(part, b'=').map_or(part, |(name, _)| name);
        let name = urlencoded::parse(raw_name)
            .next()
            .map(|(name, _)| name)
            .unwrap_or_default();
        if matches!(name.as_str(), "appsecret_proof" | "appsecret_time" | "access_token") {
            continue;
        }
        key.push(if first { '?' } else { '&' });
        first = false;
        key.push_str(part);
    }
    key.push('#');
    key.push_str(&to_hex(Sha256::digest(token.as_bytes()).get(..16).unwrap_or_default()));
    key
}

/// [`read_key`] of a request: its token taken from its `Authorization: Bearer` header, else from
/// the `access_token` of its query (none: the empty token).
pub fn read_key_of(request: &HttpRequest) -> String {
    let from_header = request
        .authorization
        .as_deref()
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::to_owned);
    let token = from_header.or_else(|| {
        let query = split_once(&request.url, b'?').map_or("", |(_, query)| query);
        urlencoded::parse(query)
            .find(|(name, _)| name == "access_token")
            .map(|(_, value)| value)
    });
    read_key(&request.url, token.as_deref().unwrap_or(""))
}

/// The interval between sends at `requests_per_second` (see [`GateState::new`]).
fn interval_for(requests_per_second: f64) -> f64 {
    let rate = if requests_per_second.is_nan() {
        DEFAULT_REQUESTS_PER_SECOND
    } else if requests_per_second == 0.0 {
        return 0.0;
    } else {
        requests_per_second.clamp(MIN_REQUESTS_PER_SECOND, MAX_REQUESTS_PER_SECOND)
    };
    crate::pacing::interval_ms(rate).unwrap_or(0.0)
}

/// What a Graph answer (its status, its body as parsed JSON, `None` when not JSON, and its usage
/// headers) tells the gate: a rate limit (with Graph's regain time, when a usage header gives
/// one), a page, or another failure.
pub fn outcome_of<J: JsonView>(status: u16, body: Option<J>, usage: Option<&RateLimitUsage>) -> Outcome {
    let shape = body.map_or(BodyShape::NotJson, BodyShape::from_parsed);
    match read_response(status, &shape, usage, &Secrets::new(&[])) {
        Ok(_) => Outcome::Ok,
        Err(Error::GraphApi(failure)) if failure.class == ApiErrorClass::RateLimit => Outcome::RateLimited {
            retry_after_ms: failure.retry_after_ms,
        },
        Err(_) => Outcome::Failed,
    }
}

/// A wait in whole milliseconds, rounded up.
fn whole_ms(wait: f64) -> u64 {
    wait.max(0.0).ceil() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    const INTERVAL: f64 = 500.0 * 1.03;

    #[test]
    fn one_read_per_interval_in_order() {
        let mut gate = GateState::new(2.0);
        let Arrival::Queued { read: first, .. } = gate.ask("a", 0.0) else {
            panic!("queued")
        };
        let Arrival::Queued { read: second, .. } = gate.ask("b", 0.0) else {
            panic!("queued")
        };
        assert_eq!(gate.take_due(0.0), vec![first]);
        assert_eq!(gate.wake_at(0.0), Some(INTERVAL));
        assert!(gate.take_due(INTERVAL - 1.0).is_empty());
        assert_eq!(gate.take_due(INTERVAL), vec![second]);
        assert_eq!(gate.wake_at(INTERVAL), None);
    }

    #[test]
    fn own_backoff_doubles_up_to_its_cap() {
        assert_eq!(own_backoff_ms(0), 1_000);
        assert_eq!(own_backoff_ms(1), 1_000);
        assert_eq!(own_backoff_ms(2), 2_000);
        assert_eq!(own_backoff_ms(5), 16_000);
        assert_eq!(own_backoff_ms(6), 30_000);
        assert_eq!(own_backoff_ms(u32::MAX), 30_000);
    }

    #[test]
    fn rates_are_read_like_the_option() {
        assert_eq!(GateState::new(0.0).interval_ms(), 0.0);
        assert_eq!(GateState::new(f64::NAN).interval_ms(), INTERVAL);
        assert_eq!(GateState::new(1e9).interval_ms(), 1.03);
        assert_eq!(GateState::new(-1.0).interval_ms(), 103_000.0);
    }
}
