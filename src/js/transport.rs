//! The fetch transport: gloo-net behind [`Transport`], with a per-attempt timeout,
//! cancel-on-drop through an internal `AbortController`, redirects never followed and bodies
//! read up to [`BODY_LIMIT_BYTES`].

use std::time::Duration;

use futures_util::future::{select, Either};
use js_sys::{Array, JsString, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, RequestInit, RequestRedirect};

use super::json::{json_parse, json_parse_redacted, read_text, usage_headers, SecretScan};
use super::keys::key;
use std::future::Future;

use super::gate::{GateAnswer, GateRoute};
use crate::client::{wait_for_turn, Pace, Reply, Transport};
use crate::error::Error;
use crate::json::JsonView;
use crate::redact::Secrets;
use crate::request::HttpRequest;
use crate::response::{is_redirect, redirect_error, too_large, BodyShape, BODY_LIMIT_BYTES};
use crate::usage::RateLimitUsage;

/// Sends requests with the global `fetch`, through gloo-net; with a [`GateRoute`], through the
/// Page's fleet gate instead (which fetches for every isolate), or, when the gate cannot be used,
/// paced in this isolate.
#[derive(Clone, Debug, Default)]
pub struct FetchTransport {
    /// The call's `gate`, if it has one.
    pub gate: Option<GateRoute>,
}

/// Aborts the attempt's fetch when the attempt is dropped before its answer was read whole
/// (timed out, or cancelled by the caller) or ends with an error (a redirect, a body over the
/// limit: whatever is left of the answer is then never read). Once the answer is read there is nothing left to
/// abort, and aborting would still cost an `AbortError` and an event dispatch: [`disarm`].
///
/// [`disarm`]: AbortOnDrop::disarm
struct AbortOnDrop(Option<AbortController>);

impl AbortOnDrop {
    fn disarm(&mut self) {
        self.0 = None;
    }
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(controller) = self.0.take() {
            controller.abort();
        }
    }
}

impl Transport for FetchTransport {
    type Data = JsValue;
    type Json = JsValue;

    async fn get(&self, request: &HttpRequest, timeout_ms: u32) -> Result<Reply<JsValue, JsValue>, Error> {
        if let Some(gate) = &self.gate {
            // The wait for the Page's turn is not part of the attempt's time: the object applies
            // `timeout_ms` to its own fetch. Dropped while waiting (the caller went away), the
            // controller aborts, and the caller leaves the object's line.
            let (controller, signal) = abort_controller(request)?;
            let mut guard = AbortOnDrop(Some(controller));
            let answer = gate.ask(request, timeout_ms, &signal).await;
            guard.disarm();
            match answer {
                GateAnswer::Response(response) => return read_response(request, &response).await,
                GateAnswer::Failed(error) => return Err(error),
                GateAnswer::Unavailable => {
                    let pace = Pace {
                        key: &gate.name,
                        requests_per_second: gate.requests_per_second,
                    };
                    wait_for_turn(self, pace).await;
                }
            }
        }
        with_timeout(request, timeout_ms, |signal| async move { send(request, &signal).await }).await
    }

    async fn sleep(&self, ms: u64) {
        gloo_timers::future::sleep(Duration::from_millis(ms)).await;
    }

    fn random(&self) -> f64 {
        js_sys::Math::random()
    }

    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }
}

/// A new `AbortController` and its signal.
fn abort_controller(request: &HttpRequest) -> Result<(AbortController, AbortSignal), Error> {
    let controller = AbortController::new()
        .map_err(|error| Error::network(&request.url, &thrown_text(&error), &request.secrets))?;
    let signal = controller.signal();
    Ok((controller, signal))
}

/// Runs `attempt` with a signal that aborts when it takes longer than `timeout_ms` (then
/// [`Error::Timeout`]), when it fails, or when it is dropped unfinished.
pub async fn with_timeout<T, F, Attempt>(request: &HttpRequest, timeout_ms: u32, attempt: F) -> Result<T, Error>
where
    F: FnOnce(AbortSignal) -> Attempt,
    Attempt: Future<Output = Result<T, Error>>,
{
    let (controller, signal) = abort_controller(request)?;
    let mut guard = AbortOnDrop(Some(controller));
    let attempt = std::pin::pin!(attempt(signal));
    let timeout = std::pin::pin!(gloo_timers::future::sleep(Duration::from_millis(u64::from(timeout_ms))));
    match select(attempt, timeout).await {
        Either::Left((result, _)) => {
            if result.is_ok() {
                guard.disarm();
            }
            result
        }
        Either::Right(((), _)) => Err(Error::Timeout { timeout_ms }),
    }
}

/// One attempt: fetch (redirects not followed), then read the answer.
async fn send(request: &HttpRequest, signal: &AbortSignal) -> Result<Reply<JsValue, JsValue>, Error> {
    let response = fetch_response(request, signal).await?;
    read_response(request, &response).await
}

/// Fetches `request` through gloo-net, redirects not followed. The `Request` is built once, here
/// (gloo-net's builder would build two and parse the URL again).
pub async fn fetch_response(request: &HttpRequest, signal: &AbortSignal) -> Result<web_sys::Response, Error> {
    let failed = |reason: &str| Error::network(&request.url, reason, &request.secrets);
    let init = RequestInit::new();
    init.set_signal(Some(signal));
    init.set_redirect(RequestRedirect::Manual);
    if let Some(authorization) = &request.authorization {
        let headers = Object::new();
        let _ = Reflect::set(&headers, &key("Authorization"), &JsValue::from_str(authorization));
        init.set_headers(&headers);
    }
    let raw_request =
        web_sys::Request::new_with_str_and_init(&request.url, &init).map_err(|error| failed(&thrown_text(&error)))?;
    let response = gloo_net::http::Request::from(raw_request)
        .send()
        .await
        .map_err(|error| failed(&gloo_error_text(error)))?;
    Ok(response.into())
}

/// Reads an answer to `request`: a redirect is refused, the usage headers are read (redacted),
/// and the body is read up to [`BODY_LIMIT_BYTES`] and parsed.
pub async fn read_response(request: &HttpRequest, response: &web_sys::Response) -> Result<Reply<JsValue, JsValue>, Error> {
    let secrets = &request.secrets;
    let status = response.status();
    if is_redirect(status) {
        let location = response.headers().get("location").ok().flatten();
        return Err(redirect_error(status, location.as_deref(), secrets));
    }
    let usage = usage_headers(response).dyn_into::<Array>().ok().and_then(|headers| {
        let header = |index: u32| Some(headers.get(index)).filter(|value| !value.is_undefined());
        RateLimitUsage::from_parsed(header(0), header(1), header(2)).map(|usage| usage.redacted(secrets))
    });
    let text = JsFuture::from(read_text(response, BODY_LIMIT_BYTES))
        .await
        .map_err(|error| {
            Error::network(&request.url, &format!("reading the body: {}", thrown_text(&error)), secrets)
        })?
        .dyn_into::<JsString>()
        .map_err(|_| too_large(status))?;
    let (shape, data) = read_body(&text, secrets);
    Ok(Reply {
        status,
        usage,
        shape,
        data,
    })
}

/// Parses the body in JavaScript and reads only `error` and `paging` into Rust, with the secrets
/// removed when any appear in the text. The common case, the token and proof as query parameters
/// of the page's own paging links and of its nested edges' links (`messages.paging.next`), is
/// handled on the parsed page without copying the body (the page's links become cursors, the
/// nested ones lose these parameters). Otherwise the parameters are removed from the text by one
/// regular expression, and anything left (a token echoed in a message) is redacted string by
/// string as the engine parses (a reviver), so keys and escapes are never touched. A secret spelled
/// with `\u00XX` escapes is not looked for: Graph escapes only non-ASCII characters, and the
/// secrets are ASCII; finding such escapes costs 150-185 µs a page of 300 KB (measured), 4 %.
fn read_body(text: &JsString, secrets: &Secrets) -> (BodyShape<JsValue>, Option<JsValue>) {
    let scan = SecretScan::of(secrets);
    let parsed = if !scan.appears_in(text) {
        json_parse(text)
    } else if let Some(body) = scan.parse_clean_links(text) {
        Some(body)
    } else {
        let stripped = scan.strip_parameters(text);
        if scan.appears_in(&stripped) {
            json_parse_redacted(&stripped, secrets, scan)
        } else {
            json_parse(&stripped)
        }
    };
    let Some(body) = parsed else {
        return (BodyShape::NotJson, None);
    };
    let data = body.member("data").filter(|data| data.is_array());
    let shape = BodyShape::from_parsed(body);
    (shape, data)
}

/// What gloo-net says of a failed fetch: the JavaScript error's `toString()` (`name: message`).
/// (gloo-net keeps only these words of the runtime's error, not the error itself: Node's
/// `ECONNREFUSED`, which sits in that error's `cause`, does not reach the package.)
fn gloo_error_text(error: gloo_net::Error) -> String {
    match error {
        gloo_net::Error::JsError(error) => error_to_string(error.name, error.message),
        gloo_net::Error::GlooError(text) => text,
    }
}

/// What a JavaScript exception says: an `Error`'s `toString()`, a string, or a general word.
pub fn thrown_text(error: &JsValue) -> String {
    match error.dyn_ref::<js_sys::Error>() {
        Some(error) => error_to_string(String::from(error.name()), String::from(error.message())),
        None => error.as_string().unwrap_or_else(|| String::from("failed")),
    }
}

/// `Error.prototype.toString`: `name: message`, or the one that is not empty.
fn error_to_string(name: String, message: String) -> String {
    match (name.is_empty(), message.is_empty()) {
        (true, _) => message,
        (false, true) => name,
        (false, false) => format!("{name}: {message}"),
    }
}
