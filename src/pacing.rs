//! Request pacing: at most `requests_per_second` requests for one key (a Page, or a
//! conversation), shared by every paced call of that key in one instance, retries included.
//!
//! Callers take turns in the order they asked. A caller asks for a turn ([`PacingTable::ask`]),
//! then checks ([`PacingTable::take`]) until it is first in line and a full interval has passed
//! since the last request sent; only then is its request counted as sent. A caller that goes
//! away before its turn (aborted, or its future dropped) gives the turn back
//! ([`PacingTable::give_back`], done by [`Turn`]'s `Drop`): nothing is sent for it and nobody
//! waits for it. The gap between two requests actually sent is never shorter than the interval,
//! even when a timer fires late.

use std::cell::RefCell;

/// Every interval is this much longer than 1/rate: timers, the event loop and the network add
/// jitter between the moment a request is confirmed and the moment Graph sees it (up to 25 ms
/// measured when another pager starts meanwhile), so at Graph's 2 per second a margin of 15 ms,
/// half of that, keeps any two intervals Graph observes at least a second long. A fraction
/// rather than a constant, so that high rates stay close to what is asked.
const MARGIN: f64 = 0.03;

/// Keys with nobody waiting are forgotten once their last request is this far in the past.
const FORGET_AFTER_MS: f64 = 60_000.0;

/// The longest a waiter sleeps before it looks again: callers ahead of it may give their turns
/// back meanwhile, and it should not oversleep their slots.
pub const MAX_CHECK_INTERVAL_MS: f64 = 1_000.0;

/// The pacing of one key.
#[derive(Clone, Debug)]
struct KeyPacing {
    /// When the last request was sent.
    sent_ms: f64,
    /// The tickets of the callers waiting, in the order they asked.
    waiting: Vec<u64>,
}

/// The pacing of every key.
#[derive(Debug, Default)]
pub struct PacingTable {
    keys: Vec<(String, KeyPacing)>,
    next_ticket: u64,
}

impl PacingTable {
    /// Joins the line of `key`: the returned ticket is passed to [`take`](Self::take) and, if
    /// the caller goes away, to [`give_back`](Self::give_back).
    pub fn ask(&mut self, key: &str, now_ms: f64) -> u64 {
        if self.keys.len() > 256 {
            self.keys
                .retain(|(_, pacing)| !pacing.waiting.is_empty() || pacing.sent_ms > now_ms - FORGET_AFTER_MS);
        }
        let ticket = self.next_ticket;
        self.next_ticket = self.next_ticket.wrapping_add(1);
        match self.get(key) {
            Some(pacing) => pacing.waiting.push(ticket),
            None => self.keys.push((
                key.to_owned(),
                KeyPacing {
                    sent_ms: f64::NEG_INFINITY,
                    waiting: vec![ticket],
                },
            )),
        }
        ticket
    }

    /// 0 when `ticket` may send now: it is then counted as sent and leaves the line. Otherwise
    /// how long it should wait before looking again (its estimated turn, at most
    /// [`MAX_CHECK_INTERVAL_MS`]). A rate of 0 or less (or not finite) never waits.
    pub fn take(&mut self, key: &str, ticket: u64, requests_per_second: f64, now_ms: f64) -> f64 {
        let interval = interval_ms(requests_per_second);
        let Some(pacing) = self.get(key) else {
            return 0.0;
        };
        let Some(position) = pacing.waiting.iter().position(|&waiting| waiting == ticket) else {
            return 0.0;
        };
        let Some(interval) = interval else {
            pacing.waiting.remove(position);
            return 0.0;
        };
        let first_due = pacing.sent_ms + interval;
        if position == 0 && now_ms >= first_due {
            pacing.waiting.remove(position);
            pacing.sent_ms = now_ms;
            return 0.0;
        }
        let due = first_due.max(now_ms) + interval * position as f64;
        (due - now_ms).clamp(1.0, MAX_CHECK_INTERVAL_MS)
    }

    /// Gives `ticket`'s turn back (the caller went away): the callers behind it move up. Nothing
    /// happens if it has already been taken.
    pub fn give_back(&mut self, key: &str, ticket: u64) {
        if let Some(pacing) = self.get(key) {
            pacing.waiting.retain(|&waiting| waiting != ticket);
        }
    }

    /// How many callers wait for `key`.
    pub fn waiting(&mut self, key: &str) -> usize {
        self.get(key).map_or(0, |pacing| pacing.waiting.len())
    }

    /// The pacing of `key`, if it has one.
    fn get(&mut self, key: &str) -> Option<&mut KeyPacing> {
        self.keys
            .iter_mut()
            .find(|(known, _)| known == key)
            .map(|(_, pacing)| pacing)
    }
}

/// The interval between two requests at `requests_per_second`, margin included (the fleet gate
/// spaces its sends the same way); `None`: no pacing.
pub fn interval_ms(requests_per_second: f64) -> Option<f64> {
    (requests_per_second > 0.0 && requests_per_second.is_finite()).then(|| 1000.0 * (1.0 + MARGIN) / requests_per_second)
}

thread_local! {
    /// The instance's table: one wasm instance is one thread.
    static PACING: RefCell<PacingTable> = RefCell::new(PacingTable::default());
}

/// Runs `f` on the instance's shared table (`R::default()` if it is somehow busy).
pub fn with_shared<R: Default>(f: impl FnOnce(&mut PacingTable) -> R) -> R {
    PACING
        .try_with(|table| {
            table
                .try_borrow_mut()
                .map(|mut table| f(&mut table))
                .unwrap_or_default()
        })
        .unwrap_or_default()
}

/// A caller's place in the shared line of a key: given back when dropped before it was taken.
#[derive(Debug)]
pub struct Turn<'a> {
    key: &'a str,
    ticket: u64,
}

impl<'a> Turn<'a> {
    /// Joins the shared line of `key`.
    pub fn ask(key: &'a str, now_ms: f64) -> Turn<'a> {
        let ticket = with_shared(|table| table.ask(key, now_ms));
        Turn { key, ticket }
    }

    /// See [`PacingTable::take`].
    pub fn take(&self, requests_per_second: f64, now_ms: f64) -> f64 {
        with_shared(|table| table.take(self.key, self.ticket, requests_per_second, now_ms))
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        with_shared(|table| table.give_back(self.key, self.ticket));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INTERVAL: f64 = 500.0 * (1.0 + MARGIN);

    #[test]
    fn spaces_requests_per_key_in_order_of_asking() {
        let mut table = PacingTable::default();
        let first = table.ask("p", 1000.0);
        assert_eq!(table.take("p", first, 2.0, 1000.0), 0.0);
        let second = table.ask("p", 1000.0);
        let third = table.ask("p", 1000.0);
        assert_eq!(table.take("p", second, 2.0, 1000.0), INTERVAL);
        assert_eq!(table.take("p", third, 2.0, 1100.0), 2.0 * INTERVAL - 100.0, "the third queues behind");
        assert_eq!(table.take("p", third, 2.0, 1000.0 + INTERVAL), INTERVAL, "never before the second");
        let other = table.ask("q", 1100.0);
        assert_eq!(table.take("q", other, 2.0, 1100.0), 0.0, "other keys are independent");
        assert_eq!(table.take("p", second, 2.0, 1000.0 + INTERVAL), 0.0);
        assert_eq!(table.take("p", third, 2.0, 1000.0 + 2.0 * INTERVAL), 0.0);
    }

    #[test]
    fn rate_zero_never_waits() {
        let mut table = PacingTable::default();
        let first = table.ask("p", 0.0);
        assert_eq!(table.take("p", first, 2.0, 0.0), 0.0);
        let second = table.ask("p", 0.0);
        assert_eq!(table.take("p", second, 0.0, 0.0), 0.0);
        assert_eq!(table.waiting("p"), 0);
    }

    #[test]
    fn a_late_request_pushes_the_next_one_back() {
        let mut table = PacingTable::default();
        let first = table.ask("p", 0.0);
        assert_eq!(table.take("p", first, 2.0, 0.0), 0.0);
        let second = table.ask("p", 0.0);
        let third = table.ask("p", 0.0);
        assert_eq!(table.take("p", second, 2.0, INTERVAL + 46.0), 0.0, "the second's timer fired late");
        assert_eq!(table.take("p", third, 2.0, 2.0 * INTERVAL), 46.0, "the third keeps a full interval");
        assert_eq!(table.take("p", third, 2.0, 2.0 * INTERVAL + 46.0), 0.0);
    }

    #[test]
    fn turns_given_back_free_the_line() {
        let mut table = PacingTable::default();
        let first = table.ask("p", 0.0);
        assert_eq!(table.take("p", first, 2.0, 0.0), 0.0);
        let gone: Vec<u64> = (0..40).map(|_| table.ask("p", 0.0)).collect();
        for ticket in &gone {
            table.give_back("p", *ticket);
        }
        assert_eq!(table.waiting("p"), 0);
        let fresh = table.ask("p", INTERVAL);
        assert_eq!(table.take("p", fresh, 2.0, INTERVAL), 0.0, "paced as if they never existed");
    }

    #[test]
    fn waits_are_bounded_whatever_the_line() {
        let mut table = PacingTable::default();
        let tickets: Vec<u64> = (0..10_000).map(|_| table.ask("p", 0.0)).collect();
        for ticket in tickets.iter().skip(1) {
            let wait = table.take("p", *ticket, 0.01, 0.0);
            assert!((1.0..=MAX_CHECK_INTERVAL_MS).contains(&wait), "{wait}");
        }
    }

    #[test]
    fn a_dropped_turn_is_given_back() {
        let first = Turn::ask("dropped", 0.0);
        assert_eq!(first.take(2.0, 0.0), 0.0);
        let waiting = Turn::ask("dropped", 0.0);
        assert!(waiting.take(2.0, 0.0) > 0.0);
        assert_eq!(with_shared(|table| table.waiting("dropped")), 1);
        drop(waiting);
        assert_eq!(with_shared(|table| table.waiting("dropped")), 0);
    }
}
