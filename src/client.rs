//! Drives the sans-IO core through a [`Transport`]: build the request, send it, read the
//! answer, retry transient failures. The JavaScript binding and native tests share this code.

use crate::cursor::Cursor;
use crate::error::Error;
use crate::json::JsonView;
use crate::options::{Position, RequestOptions};
use crate::pacing::Turn;
use crate::request::{build_request, HttpRequest};
use crate::response::{read_response_without_usage, BodyShape};
use crate::retry::{decide, RetryDecision};
use crate::usage::RateLimitUsage;

/// An answer as a transport received it; `J` is the transport's parsed JSON.
#[derive(Clone, Debug)]
pub struct Reply<D, J = serde_json::Value> {
    /// The HTTP status.
    pub status: u16,
    /// The usage headers, when readable.
    pub usage: Option<RateLimitUsage>,
    /// What the core needs to know of the body.
    pub shape: BodyShape<J>,
    /// The page's `data`, in the transport's own representation, when the body had an array.
    pub data: Option<D>,
}

/// The I/O seam: one GET with a per-attempt timeout, a cancellable sleep, randomness and a
/// clock. Implementations must remove the request's secrets from what they return (see
/// [`crate::redact::Secrets`]).
#[allow(async_fn_in_trait)]
pub trait Transport {
    /// A page's `data` as the transport hands it back (a JavaScript array in the binding).
    type Data;
    /// Parsed JSON as the transport reads it (`serde_json::Value`, or a JavaScript value).
    type Json: JsonView;

    /// Sends `request`; fails with [`Error::Network`] or [`Error::Timeout`] after `timeout_ms`.
    async fn get(&self, request: &HttpRequest, timeout_ms: u32) -> Result<Reply<Self::Data, Self::Json>, Error>;

    /// Waits `ms` milliseconds.
    async fn sleep(&self, ms: u64);

    /// A number uniform in `[0, 1)`, for backoff jitter.
    fn random(&self) -> f64;

    /// The current time in epoch milliseconds, for pacing and timed proofs.
    fn now_ms(&self) -> f64;
}

/// One page of a listing.
#[derive(Clone, Debug)]
pub struct Page<D> {
    /// Graph's `data`, untouched.
    pub data: D,
    /// Where the next page starts, when there is one.
    pub next_cursor: Option<Cursor>,
    /// Where the previous page ends, when there is one.
    pub previous_cursor: Option<Cursor>,
    /// The usage headers of the answer.
    pub usage: Option<RateLimitUsage>,
}

/// Pacing of a listing: its key and rate (see [`crate::pacing`]).
#[derive(Clone, Copy, Debug)]
pub struct Pace<'a> {
    /// The Page or conversation the requests are counted for.
    pub key: &'a str,
    /// At most this many requests per second; 0 turns pacing off.
    pub requests_per_second: f64,
}

/// Fetches one page at `position` (or where `options` say), retrying transient failures as
/// [`crate::retry`] decides; paced only when `options` give `requests_per_second`.
pub async fn fetch_page<T: Transport>(
    transport: &T,
    options: &RequestOptions,
    position: Option<&Position>,
) -> Result<Page<T::Data>, Error> {
    let key = options.pace_key();
    let pace = options.requests_per_second.map(|requests_per_second| Pace {
        key: &key,
        requests_per_second,
    });
    fetch_page_paced(transport, options, position, pace).await
}

/// [`fetch_page`], with every attempt (retries included) paced by `pace`.
pub async fn fetch_page_paced<T: Transport>(
    transport: &T,
    options: &RequestOptions,
    position: Option<&Position>,
    pace: Option<Pace<'_>>,
) -> Result<Page<T::Data>, Error> {
    let mut retries_done = 0;
    loop {
        if let Some(pace) = pace {
            wait_for_turn(transport, pace).await;
        }
        let now_unix_seconds = (transport.now_ms() / 1000.0).max(0.0) as u64;
        let request = build_request(options, position, now_unix_seconds);
        let error = match transport.get(&request, options.timeout_ms).await {
            Ok(reply) => match read_response_without_usage(
                reply.status,
                &reply.shape,
                reply.usage.as_ref(),
                &request.secrets,
            ) {
                Ok(cursors) => match reply.data {
                    Some(data) => {
                        return Ok(Page {
                            data,
                            next_cursor: cursors.next,
                            previous_cursor: cursors.previous,
                            usage: reply.usage,
                        })
                    }
                    None => Error::InvalidResponse {
                        status: reply.status,
                        detail: String::from("the body has no \"data\" array"),
                    },
                },
                Err(mut error) => {
                    if let Error::GraphApi(failure) = &mut error {
                        failure.usage = reply.usage;
                    }
                    error
                }
            },
            Err(error) => error,
        };
        match decide(&error, retries_done, options.max_retries, transport.random()) {
            RetryDecision::RetryAfterMs(wait) => {
                transport.sleep(wait).await;
                retries_done += 1;
            }
            RetryDecision::GiveUp => return Err(error),
        }
    }
}

/// Waits until `pace` lets a request go. Dropped while waiting (the caller went away), the turn
/// is given back: nothing is sent for it, and nobody waits for it.
pub(crate) async fn wait_for_turn<T: Transport>(transport: &T, pace: Pace<'_>) {
    if crate::pacing::interval_ms(pace.requests_per_second).is_none() {
        return; // Unpaced: no turn to take.
    }
    let turn = Turn::ask(pace.key, transport.now_ms());
    loop {
        let wait = turn.take(pace.requests_per_second, transport.now_ms());
        if wait <= 0.0 {
            return;
        }
        transport.sleep(wait.ceil() as u64).await;
    }
}
