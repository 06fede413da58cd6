//! Which failures are retried, and how long to wait before the next attempt.

use crate::error::{ApiErrorClass, Error};

/// A rate limit asking for a longer wait than this is thrown at once instead of slept through.
pub const MAX_RATE_LIMIT_WAIT_MS: u64 = 60_000;

/// The first backoff is drawn from `BASE..=4*BASE`, doubling with each retry.
const BACKOFF_BASE_MS: u64 = 250;

/// No backoff wait exceeds this.
const BACKOFF_CAP_MS: u64 = 30_000;

/// What to do after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryDecision {
    /// Wait this long, then try again.
    RetryAfterMs(u64),
    /// Give up and report the error.
    GiveUp,
}

/// Decides after the failure `error` of an attempt, when `retries_done` retries have been made
/// and `max_retries` are allowed. `random` is uniform in `[0, 1)`, for the jitter.
pub fn decide(error: &Error, retries_done: u32, max_retries: u32, random: f64) -> RetryDecision {
    if !error.is_retryable() || retries_done >= max_retries {
        return RetryDecision::GiveUp;
    }
    if let Error::GraphApi(failure) = error {
        if failure.class == ApiErrorClass::RateLimit {
            match failure.retry_after_ms {
                Some(wait) if wait > MAX_RATE_LIMIT_WAIT_MS => return RetryDecision::GiveUp,
                Some(wait) if wait > 0 => return RetryDecision::RetryAfterMs(wait),
                _ => {}
            }
        }
    }
    RetryDecision::RetryAfterMs(backoff_ms(retries_done, random))
}

/// Exponential backoff with jitter: about a quarter to one second first, doubling each time.
pub fn backoff_ms(retries_done: u32, random: f64) -> u64 {
    let base = BACKOFF_BASE_MS.saturating_mul(1_u64 << retries_done.min(16));
    let jitter = (base as f64 * 3.0 * random.clamp(0.0, 1.0)) as u64;
    base.saturating_add(jitter).min(BACKOFF_CAP_MS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::GraphApiFailure;

    fn rate_limit(retry_after_ms: Option<u64>) -> Error {
        Error::GraphApi(Box::new(GraphApiFailure {
            class: ApiErrorClass::RateLimit,
            status: 400,
            message: String::new(),
            code: Some(80006),
            subcode: None,
            error_type: None,
            fbtrace_id: None,
            user_title: None,
            user_message: None,
            is_transient: false,
            usage: None,
            retry_after_ms,
        }))
    }

    #[test]
    fn backoff_grows_with_jitter_within_bounds() {
        assert_eq!(backoff_ms(0, 0.0), 250);
        assert_eq!(backoff_ms(0, 0.999_999), 999);
        assert_eq!(backoff_ms(1, 0.0), 500);
        assert_eq!(backoff_ms(3, 0.5), 5000);
        assert_eq!(backoff_ms(40, 1.0), BACKOFF_CAP_MS);
    }

    #[test]
    fn rate_limits_wait_as_graph_says_or_give_up_when_too_long() {
        assert_eq!(
            decide(&rate_limit(Some(5_000)), 0, 2, 0.5),
            RetryDecision::RetryAfterMs(5_000)
        );
        assert_eq!(decide(&rate_limit(Some(60_001)), 0, 2, 0.5), RetryDecision::GiveUp);
        assert_eq!(
            decide(&rate_limit(Some(60_000)), 0, 2, 0.5),
            RetryDecision::RetryAfterMs(60_000)
        );
        assert_eq!(decide(&rate_limit(None), 1, 2, 0.0), RetryDecision::RetryAfterMs(500));
        assert_eq!(decide(&rate_limit(None), 2, 2, 0.0), RetryDecision::GiveUp);
    }

    #[test]
    fn non_retryable_errors_give_up_at_once() {
        let error = Error::InvalidResponse {
            status: 200,
            detail: String::new(),
        };
        assert_eq!(decide(&error, 0, 5, 0.0), RetryDecision::GiveUp);
        let network = Error::network("http://h/p", "ECONNRESET", &crate::redact::Secrets::new(&[]));
        assert_eq!(decide(&network, 0, 0, 0.0), RetryDecision::GiveUp);
        assert_eq!(decide(&network, 0, 1, 0.0), RetryDecision::RetryAfterMs(250));
    }
}
