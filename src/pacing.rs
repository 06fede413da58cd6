//! Request pacing: at most `requests_per_second` requests for one key (a Page, or a
//! conversation), shared by every pager of that key in one instance, retries included.
//!
//! A request first reserves a slot (so that concurrent pagers queue behind each other), sleeps
//! until it, then confirms just before sending: a timer that fired late for the previous request
//! pushes this one back, so the gap between two requests actually sent is never shorter than
//! the interval.

use std::cell::RefCell;

/// Every interval is this much longer than 1/rate: timers, the event loop and the network add
/// jitter between the moment a request is confirmed and the moment Graph sees it (up to 25 ms
/// measured when another pager starts meanwhile), so at Graph's 2 per second a margin of 15 ms,
/// half of that, keeps any two intervals Graph observes at least a second long. A fraction
/// rather than a constant, so that high rates stay close to what is asked.
const MARGIN: f64 = 0.03;

/// Entries are dropped once they are this far in the past.
const FORGET_AFTER_MS: f64 = 60_000.0;

/// The pacing of one key.
#[derive(Clone, Copy, Debug)]
struct KeyPacing {
    /// The latest slot reserved.
    reserved_ms: f64,
    /// When the last request was actually sent.
    sent_ms: f64,
}

/// The pacing of every key (a few at a time: a list, searched in order, costs the wasm module
/// far less code than a hash map).
#[derive(Debug, Default)]
pub struct PacingTable {
    keys: Vec<(String, KeyPacing)>,
}

impl PacingTable {
    /// Reserves the next request slot for `key` at `requests_per_second` (0 or less: no
    /// pacing) and returns how long to wait for it from `now_ms`.
    pub fn reserve(&mut self, key: &str, requests_per_second: f64, now_ms: f64) -> f64 {
        let Some(interval) = interval_ms(requests_per_second) else {
            return 0.0;
        };
        if self.keys.len() > 256 {
            self.keys
                .retain(|(_, pacing)| pacing.reserved_ms > now_ms - FORGET_AFTER_MS);
        }
        let slot = match self.get(key) {
            Some(pacing) => {
                let slot = (pacing.reserved_ms + interval).max(now_ms);
                pacing.reserved_ms = slot;
                slot
            }
            None => {
                self.insert(key, now_ms);
                now_ms
            }
        };
        slot - now_ms
    }

    /// Just before sending: 0 when the request may go now (it is then counted as sent), else
    /// how much longer to wait because the previous request went out late.
    pub fn confirm(&mut self, key: &str, requests_per_second: f64, now_ms: f64) -> f64 {
        let Some(interval) = interval_ms(requests_per_second) else {
            return 0.0;
        };
        if self.get(key).is_none() {
            self.insert(key, now_ms);
        }
        let Some(pacing) = self.get(key) else {
            return 0.0;
        };
        let wait = pacing.sent_ms + interval - now_ms;
        if wait > 0.0 {
            return wait;
        }
        pacing.sent_ms = now_ms;
        pacing.reserved_ms = pacing.reserved_ms.max(now_ms);
        0.0
    }

    /// The pacing of `key`, if it has one.
    fn get(&mut self, key: &str) -> Option<&mut KeyPacing> {
        self.keys
            .iter_mut()
            .find(|(known, _)| known == key)
            .map(|(_, pacing)| pacing)
    }

    /// A new key, with a slot reserved at `reserved_ms` and nothing sent yet.
    fn insert(&mut self, key: &str, reserved_ms: f64) {
        self.keys.push((
            key.to_owned(),
            KeyPacing {
                reserved_ms,
                sent_ms: f64::NEG_INFINITY,
            },
        ));
    }
}

fn interval_ms(requests_per_second: f64) -> Option<f64> {
    (requests_per_second > 0.0 && requests_per_second.is_finite()).then(|| 1000.0 * (1.0 + MARGIN) / requests_per_second)
}

thread_local! {
    /// The instance's table: one wasm instance is one thread.
    /// (A `const` initializer: a lazily initialized thread-local brings its initialization
    /// state and message into the module.)
    static PACING: RefCell<PacingTable> = const { RefCell::new(PacingTable { keys: Vec::new() }) };
}

/// Runs `f` on the instance's shared table (no pacing if it is somehow busy). (`try_with`: a
/// thread-local is never destroyed in a wasm instance, and `with` would bring the standard
/// library's panic for that case into the module.)
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

#[cfg(test)]
mod tests {
    use super::*;

    const INTERVAL: f64 = 500.0 * (1.0 + MARGIN);

    #[test]
    fn spaces_requests_per_key() {
        let mut table = PacingTable::default();
        assert_eq!(table.reserve("p", 2.0, 1000.0), 0.0);
        assert_eq!(table.confirm("p", 2.0, 1000.0), 0.0);
        assert_eq!(table.reserve("p", 2.0, 1000.0), INTERVAL);
        assert_eq!(
            table.reserve("p", 2.0, 1100.0),
            2.0 * INTERVAL - 100.0,
            "a second waiter queues"
        );
        assert_eq!(table.reserve("q", 2.0, 1100.0), 0.0, "other keys are independent");
        assert_eq!(table.reserve("p", 0.0, 5000.0), 0.0, "0 turns pacing off");
    }

    #[test]
    fn a_late_request_pushes_the_next_one_back() {
        let mut table = PacingTable::default();
        table.reserve("p", 2.0, 0.0);
        assert_eq!(table.confirm("p", 2.0, 0.0), 0.0);
        assert_eq!(table.reserve("p", 2.0, 0.0), INTERVAL);
        assert_eq!(table.reserve("p", 2.0, 0.0), 2.0 * INTERVAL);
        assert_eq!(
            table.confirm("p", 2.0, INTERVAL + 46.0),
            0.0,
            "the first waiter's timer fired late"
        );
        assert_eq!(
            table.confirm("p", 2.0, 2.0 * INTERVAL),
            46.0,
            "the second keeps a full interval"
        );
        assert_eq!(table.confirm("p", 2.0, 2.0 * INTERVAL + 46.0), 0.0);
    }
}
