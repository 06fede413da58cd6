//! Request pacing: at most `requests_per_second` requests for one key (a Page, or a
//! conversation), shared by every pager of that key in one instance, retries included.

use std::cell::RefCell;
use std::collections::HashMap;

/// Entries are dropped once their last slot is this far in the past.
const FORGET_AFTER_MS: f64 = 60_000.0;

/// The time of the last request slot taken, per key.
#[derive(Debug, Default)]
pub struct PacingTable {
    last_slot_ms: HashMap<String, f64>,
}

impl PacingTable {
    /// Takes the next request slot for `key` at `requests_per_second` (0 or less: no pacing)
    /// and returns how long to wait for it from `now_ms`.
    pub fn reserve(&mut self, key: &str, requests_per_second: f64, now_ms: f64) -> f64 {
        if !(requests_per_second > 0.0 && requests_per_second.is_finite()) {
            return 0.0;
        }
        if self.last_slot_ms.len() > 256 {
            self.last_slot_ms.retain(|_, slot| *slot > now_ms - FORGET_AFTER_MS);
        }
        let interval = 1000.0 / requests_per_second;
        let slot = match self.last_slot_ms.get(key) {
            Some(last) => (last + interval).max(now_ms),
            None => now_ms,
        };
        self.last_slot_ms.insert(key.to_owned(), slot);
        slot - now_ms
    }
}

thread_local! {
    /// The instance's table: one wasm instance is one thread.
    static PACING: RefCell<PacingTable> = RefCell::new(PacingTable::default());
}

/// [`PacingTable::reserve`] on the instance's shared table.
pub fn reserve_shared(key: &str, requests_per_second: f64, now_ms: f64) -> f64 {
    PACING.with(|table| {
        table
            .try_borrow_mut()
            .map_or(0.0, |mut table| table.reserve(key, requests_per_second, now_ms))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_requests_per_key() {
        let mut table = PacingTable::default();
        assert_eq!(table.reserve("p", 2.0, 1000.0), 0.0);
        assert_eq!(table.reserve("p", 2.0, 1000.0), 500.0);
        assert_eq!(table.reserve("p", 2.0, 1100.0), 900.0);
        assert_eq!(table.reserve("q", 2.0, 1100.0), 0.0, "other keys are independent");
        assert_eq!(table.reserve("p", 2.0, 5000.0), 0.0, "idle time is not banked");
        assert_eq!(table.reserve("p", 0.0, 5000.0), 0.0, "0 turns pacing off");
    }
}
