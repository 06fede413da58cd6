//! The fetch transport: the global `fetch` behind [`Transport`], with a per-attempt timeout,
//! cancel-on-drop through an internal `AbortController`, redirects never followed and bodies
//! read up to [`BODY_LIMIT_BYTES`].

use std::time::Duration;

use futures_util::future::{select, Either};
use js_sys::{Array, JsString, Object, Promise, Reflect};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, RequestInit, RequestRedirect};

use super::errors::network_error;
use super::json::{json_parse, json_parse_redacted, read_text, usage_headers, SecretScan};
use super::keys::key;
use crate::client::{Reply, Transport};
use crate::error::Error;
use crate::json::JsonView;
use crate::redact::Secrets;
use crate::request::HttpRequest;
use crate::response::{is_redirect, redirect_error, too_large, BodyShape, BODY_LIMIT_BYTES};
use crate::usage::RateLimitUsage;

#[wasm_bindgen]
extern "C" {
    /// The global `fetch(request)`, in every runtime (a window, a worker, workerd, Node). Called
    /// directly rather than through gloo-net, whose errors keep only the text of the runtime's
    /// error, which the `NetworkError` keeps whole as its `cause`.
    #[wasm_bindgen(js_name = fetch, catch)]
    fn global_fetch(request: &web_sys::Request) -> Result<Promise, JsValue>;
}

/// Sends requests with the global `fetch`.
pub struct FetchTransport;

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
        let controller =
            AbortController::new().map_err(|error| network_error(&request.url, &error, &request.secrets, ""))?;
        let signal = controller.signal();
        let mut guard = AbortOnDrop(Some(controller));
        let attempt = std::pin::pin!(send(request, &signal));
        let timeout = std::pin::pin!(gloo_timers::future::sleep(Duration::from_millis(u64::from(timeout_ms))));
        match select(attempt, timeout).await {
            Either::Left((reply, _)) => {
                if reply.is_ok() {
                    guard.disarm();
                }
                reply
            }
            Either::Right(((), _)) => Err(Error::Timeout { timeout_ms }),
        }
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

/// One attempt: fetch (redirects not followed), read the usage headers, read and parse the body.
async fn send(request: &HttpRequest, signal: &AbortSignal) -> Result<Reply<JsValue, JsValue>, Error> {
    let secrets = &request.secrets;
    let failed = |error: JsValue| network_error(&request.url, &error, secrets, "");
    let init = RequestInit::new();
    init.set_signal(Some(signal));
    init.set_redirect(RequestRedirect::Manual);
    if let Some(authorization) = &request.authorization {
        let headers = Object::new();
        let _ = Reflect::set(&headers, &key("Authorization"), &JsValue::from_str(authorization));
        init.set_headers(&headers);
    }
    let raw_request = web_sys::Request::new_with_str_and_init(&request.url, &init).map_err(failed)?;
    let response: web_sys::Response = JsFuture::from(global_fetch(&raw_request).map_err(failed)?)
        .await
        .map_err(failed)?
        .unchecked_into();
    let status = response.status();
    if is_redirect(status) {
        let location = response.headers().get("location").ok().flatten();
        return Err(redirect_error(status, location.as_deref(), secrets));
    }
    let usage = usage_headers(&response).dyn_into::<Array>().ok().and_then(|headers| {
        let header = |index: u32| Some(headers.get(index)).filter(|value| !value.is_undefined());
        RateLimitUsage::from_parsed(header(0), header(1), header(2)).map(|usage| usage.redacted(secrets))
    });
    let text = JsFuture::from(read_text(&response, BODY_LIMIT_BYTES))
        .await
        .map_err(|error| network_error(&request.url, &error, secrets, "reading the body: "))?
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
