//! The fetch transport: gloo-net behind [`Transport`], with a per-attempt timeout and
//! cancel-on-drop through an internal `AbortController`.

use std::time::Duration;

use futures_util::future::{select, Either};
use js_sys::JsString;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortController;

use super::json::{carries_secret, json_parse, json_parse_redacted, parse_header};
use crate::client::{Reply, Transport};
use crate::error::Error;
use crate::json::JsonView;
use crate::redact::Secrets;
use crate::request::HttpRequest;
use crate::response::BodyShape;
use crate::usage::RateLimitUsage;

/// Sends requests with the global `fetch`, through gloo-net.
pub struct FetchTransport;

/// Aborts the attempt's fetch when the attempt is dropped (finished, timed out or cancelled).
struct AbortOnDrop(AbortController);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl Transport for FetchTransport {
    type Data = JsValue;
    type Json = JsValue;

    async fn get(&self, request: &HttpRequest, timeout_ms: u32) -> Result<Reply<JsValue, JsValue>, Error> {
        let controller = AbortController::new().map_err(|error| network_error(&error, &request.secrets))?;
        let guard = AbortOnDrop(controller);
        let attempt = std::pin::pin!(send(request, &guard.0));
        let timeout = std::pin::pin!(gloo_timers::future::sleep(Duration::from_millis(u64::from(timeout_ms))));
        match select(attempt, timeout).await {
            Either::Left((reply, _)) => reply,
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

/// One attempt: fetch, read the usage headers, read and parse the body.
async fn send(request: &HttpRequest, controller: &AbortController) -> Result<Reply<JsValue, JsValue>, Error> {
    let secrets = &request.secrets;
    let mut builder = gloo_net::http::RequestBuilder::new(&request.url).abort_signal(Some(&controller.signal()));
    if let Some(authorization) = &request.authorization {
        builder = builder.header("Authorization", authorization);
    }
    let response = builder.send().await.map_err(|error| Error::Network {
        detail: secrets.redact(&error.to_string()),
    })?;
    let status = response.status();
    let headers = response.headers();
    let usage = RateLimitUsage::from_parsed(
        parse_header(headers.get("x-app-usage")),
        parse_header(headers.get("x-page-usage")),
        parse_header(headers.get("x-business-use-case-usage")),
    );
    let raw: web_sys::Response = response.into();
    let text_promise = raw.text().map_err(|error| network_error(&error, secrets))?;
    let text: JsString = JsFuture::from(text_promise)
        .await
        .map_err(|error| network_error(&error, secrets))?
        .unchecked_into();
    let (shape, data) = read_body(&text, secrets);
    Ok(Reply {
        status,
        usage,
        shape,
        data,
    })
}

/// Parses the body in JavaScript, after removing secrets when any appear in it, and reads only
/// `error` and `paging` into Rust. The common case, the token and proof as query parameters of
/// nested paging links, is removed by two regular expressions without copying the body into
/// Rust; anything left (a token echoed in a message) is redacted string by string as the engine
/// parses (a reviver), so keys and escapes are never touched.
fn read_body(text: &JsString, secrets: &Secrets) -> (BodyShape<JsValue>, Option<JsValue>) {
    let parsed = if carries_secret(text, secrets) {
        let stripped = strip_secret_parameters(text, secrets);
        if carries_secret(&stripped, secrets) {
            json_parse_redacted(&stripped, secrets)
        } else {
            json_parse(&stripped)
        }
    } else {
        json_parse(text)
    };
    let Some(body) = parsed else {
        return (BodyShape::NotJson, None);
    };
    let data = body.member("data").filter(|data| data.is_array());
    (BodyShape::from_parsed(body), data)
}

/// `text` without the `access_token=SECRET` and `appsecret_proof=SECRET` parameters of the links
/// in it: one followed by another parameter goes with its `&`; one that ends a link (the JSON
/// string's closing quote follows) goes with the `?` or `&` before it.
fn strip_secret_parameters(text: &JsString, secrets: &Secrets) -> JsString {
    let forms: Vec<String> = secrets.forms().iter().map(|form| escape_regex(form)).collect();
    let parameter = format!("(?:access_token|appsecret_proof)=(?:{})", forms.join("|"));
    let followed = js_sys::RegExp::new(&format!("(?<=[?&]){parameter}&"), "g");
    let last = js_sys::RegExp::new(&format!("[?&]{parameter}(?=\")"), "g");
    text.replace_by_pattern(&followed, "").replace_by_pattern(&last, "")
}

/// `text` with the characters special in a JavaScript regular expression escaped.
fn escape_regex(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\^$.*+?()[]{}|/-".contains(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// A network failure described by the runtime's error message, redacted.
fn network_error(error: &JsValue, secrets: &Secrets) -> Error {
    let message = error
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| String::from("fetch failed"));
    Error::Network {
        detail: secrets.redact(&message),
    }
}
