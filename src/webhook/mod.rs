//! Webhooks: what Graph pushes to a Page's app about new messages (API.md "Webhooks", GRAPH.md
//! "Webhooks"), verified and read without doing any I/O.
//!
//! * [`verify_signature`]: `X-Hub-Signature-256` over the raw body bytes;
//! * [`subscribe_challenge`]: the `GET` subscribe handshake;
//! * [`parse_payload`] / [`read_payload`]: a payload into [`WebhookEvent`]s, or a
//!   [`WebhookError`]; `read_payload` reads any [`JsonView`] (`serde_json::Value` on the host,
//!   the value of JavaScript's `JSON.parse` in the binding, whose module then holds no JSON
//!   parser: [`payload_text`] keeps `serde_json`'s limits for it);
//! * [`handle`]: the three together, as `handleWebhook` answers a request ([`handle_with`]
//!   with another parser).
//!
//! Nothing here panics on what the sender sent, and nothing it returns contains the app secret
//! or the verify token (see [`handle`]).

mod handshake;
mod payload;
mod signature;

pub use handshake::{subscribe_challenge, MAX_CHALLENGE_LEN};
pub use payload::{
    parse_body, parse_payload, payload_text, read_payload, EventKind, Platform, WebhookError, WebhookEvent, MAX_DEPTH,
};

use serde_json::Value;

use crate::json::JsonView;
pub use signature::{signature_header, verify_signature};

/// The largest body [`handle`] reads: 1 MB, counted in decimal (1 000 000 bytes). A body of
/// more bytes is refused with 413 before its signature is checked or its JSON parsed, which also
/// bounds the memory and time the JSON parser spends on it (Graph's payloads are a few KB).
pub const MAX_BODY_BYTES: usize = 1_000_000;

/// The header carrying the body's signature.
pub const SIGNATURE_HEADER: &str = "X-Hub-Signature-256";

/// The methods [`handle`] answers, for the `Allow` header of a 405.
pub const ALLOWED_METHODS: &str = "GET, POST";

/// The body of a `POST` that was read: Meta only looks at the status.
pub const RECEIVED_BODY: &str = "EVENT_RECEIVED";

/// What [`handle`] answers (its events read from `J`: see [`handle_with`]).
#[derive(Clone, Debug, PartialEq)]
pub struct WebhookResponse<J = Value> {
    /// The HTTP status: 200, 400, 401, 403, 405 or 413.
    pub status: u16,
    /// The body, as text (`text/plain`): the challenge of a handshake, [`RECEIVED_BODY`], or
    /// a short reason for a refusal.
    pub body: String,
    /// The events of a `POST` answered 200, in payload order; empty otherwise.
    pub events: Vec<WebhookEvent<J>>,
}

impl<J> WebhookResponse<J> {
    /// A refusal: `status` with `body` and no events.
    pub fn refusal(status: u16, body: &str) -> WebhookResponse<J> {
        WebhookResponse {
            status,
            body: String::from(body),
            events: Vec::new(),
        }
    }
}

/// Answers one webhook request, as API.md's `handleWebhook`:
///
/// * `GET`: 200 with the `hub.challenge` as the body when [`subscribe_challenge`] accepts the
///   query, else 403;
/// * `POST`: 413 when `raw_body` is longer than [`MAX_BODY_BYTES`]; 401 unless `signature` (the
///   `X-Hub-Signature-256` header, `None` when absent) is the body's signature with
///   `app_secret` ([`verify_signature`]); 400 when the body is not a Page or Instagram webhook
///   payload ([`parse_payload`], `serde_json`; the body names the reason); else 200 with the
///   events;
/// * any other method (methods are case-sensitive, as the Fetch API hands them over): 405.
///
/// `query` is the URL's query, with or without its leading `?`; it is only read for `GET`.
/// An empty `app_secret` verifies no signature and an empty `verify_token` matches no token
/// (the binding refuses both as invalid options before calling this).
///
/// The bodies of refusals are fixed texts and, for 400, positions in the payload (never its
/// content); a challenge is only echoed when it contains neither secret. The events are the
/// signed payload's own content: they could only hold a secret that whoever signed it put there.
pub fn handle(
    method: &str,
    query: &str,
    signature: Option<&str>,
    raw_body: &[u8],
    app_secret: &str,
    verify_token: &str,
) -> WebhookResponse {
    handle_with(method, query, signature, raw_body, app_secret, verify_token, parse_body)
}

/// [`handle`] with another JSON parser: `parse` turns a body that passed the size limit and the
/// signature into the value [`read_payload`] reads, or the [`WebhookError`] of a 400 (the
/// binding hands [`payload_text`] to JavaScript's `JSON.parse`). Nothing else differs.
pub fn handle_with<J: JsonView>(
    method: &str,
    query: &str,
    signature: Option<&str>,
    raw_body: &[u8],
    app_secret: &str,
    verify_token: &str,
    parse: impl FnOnce(&[u8]) -> Result<J, WebhookError>,
) -> WebhookResponse<J> {
    match method {
        "GET" => match subscribe_challenge(query, verify_token)
            .filter(|challenge| app_secret.is_empty() || !crate::search::contains(challenge, app_secret))
        {
            Some(challenge) => WebhookResponse {
                status: 200,
                body: challenge,
                events: Vec::new(),
            },
            None => WebhookResponse::refusal(403, "Forbidden"),
        },
        "POST" => {
            if raw_body.len() > MAX_BODY_BYTES {
                return WebhookResponse::refusal(413, "Payload too large");
            }
            if !verify_signature(raw_body, signature, app_secret) {
                return WebhookResponse::refusal(401, "Invalid signature");
            }
            match parse(raw_body).and_then(read_payload) {
                Ok(events) => WebhookResponse {
                    status: 200,
                    body: String::from(RECEIVED_BODY),
                    events,
                },
                Err(error) => WebhookResponse {
                    status: 400,
                    body: error.message(),
                    events: Vec::new(),
                },
            }
        }
        _ => WebhookResponse::refusal(405, "Method not allowed"),
    }
}
