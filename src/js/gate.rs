//! The fleet gate in JavaScript: [`GateCore`] is [`crate::gate::GateState`] for the
//! `ConversationsGate` Durable Object (`pkg/gate.js`), [`gate_fetch`] is the object's Graph fetch,
//! and [`GateRoute`] is a caller's way to the object (`pkg/gate-client.js`), used by the
//! transport when a call has the `gate` option.

use js_sys::{JsString, Object};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::json::{json_parse, read_text, usage_headers};
use super::page::set;
use super::transport::{fetch_response, thrown_text, with_timeout};
use crate::error::Error;
use crate::gate::{outcome_of, Arrival, Backoff, GateState, Outcome, Settled};
use crate::redact::Secrets;
use crate::request::HttpRequest;
use crate::response::{too_large, BODY_LIMIT_BYTES};
use crate::usage::RateLimitUsage;

/// The headers of Graph's answer the object hands back with it (the caller reads them as
/// Graph's): the three usage headers, the content type and a redirect's location.
const KEPT_HEADERS: [&str; 5] = [APP_USAGE, PAGE_USAGE, BUSINESS_USE_CASE_USAGE, "content-type", "location"];
const APP_USAGE: &str = "x-app-usage";
const PAGE_USAGE: &str = "x-page-usage";
const BUSINESS_USE_CASE_USAGE: &str = "x-business-use-case-usage";

// The package's own module beside the glue (pkg/gen/page_conversations.js imports
// `../gate-client.js`), so that the wasm and the package's entries share one instance of it (one set of
// error classes for `instanceof`, one gate state). wasm-bindgen-test's runner has no pkg/ beside
// its glue: the tests (feature `test-snippets`) have wasm-bindgen copy the module in instead.
#[cfg_attr(not(feature = "test-snippets"), wasm_bindgen(raw_module = "../gate-client.js"))]
#[cfg_attr(feature = "test-snippets", wasm_bindgen(module = "/pkg/gate-client.js"))]
extern "C" {
    /// `askGate(namespace, name, request, signal)` of `pkg/gate-client.js` (never rejects): a
    /// `Response` (Graph's answer, fetched by the object), `{ refused }`, `{ failed, timeout }`,
    /// `{ left }`, or `null` when the gate cannot be used.
    #[wasm_bindgen(js_name = askGate)]
    fn ask_gate(namespace: &JsValue, name: &str, request: &JsValue, signal: &web_sys::AbortSignal) -> js_sys::Promise;
}

/// The decisions of one Page's gate, for the Durable Object. Times are `Date.now()` values.
#[wasm_bindgen]
pub struct GateCore(GateState);

/// A plain object of the given fields.
fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (name, value) in fields {
        set(&object, name, value);
    }
    object.into()
}

/// Ids as a JavaScript array of numbers.
fn ids(ids: impl IntoIterator<Item = u64>) -> JsValue {
    ids.into_iter().map(|id| JsValue::from_f64(id as f64)).collect::<js_sys::Array>().into()
}

/// [`Settled`] as `{ answered, refused: [[caller, ms]], dropped }`.
fn settled_object(settled: Settled) -> JsValue {
    let refused: js_sys::Array = settled
        .refused
        .into_iter()
        .map(|(caller, ms)| js_sys::Array::of2(&JsValue::from_f64(caller as f64), &JsValue::from_f64(ms as f64)))
        .collect();
    object(&[
        ("answered", ids(settled.answered)),
        ("refused", refused.into()),
        ("dropped", ids(settled.dropped)),
    ])
}

#[wasm_bindgen]
impl GateCore {
    /// A gate pacing at `requests_per_second`.
    #[wasm_bindgen(constructor)]
    pub fn new(requests_per_second: f64) -> GateCore {
        GateCore(GateState::new(requests_per_second))
    }

    /// Changes the rate (the latest caller's `requestsPerSecond`); returns what that settles.
    #[wasm_bindgen(js_name = setRate)]
    pub fn set_rate(&mut self, requests_per_second: f64, now_ms: f64) -> JsValue {
        settled_object(self.0.set_rate(requests_per_second, now_ms))
    }

    /// A caller asks for the read `key`: `{ kind: "queued" | "joined", caller, read }`,
    /// `{ kind: "refused", retryAfterMs }` or `{ kind: "overloaded" }`.
    pub fn ask(&mut self, key: &str, now_ms: f64) -> JsValue {
        let kind = |name: &str| ("kind", JsValue::from_str(name));
        let id = |name, id: u64| (name, JsValue::from_f64(id as f64));
        match self.0.ask(key, now_ms) {
            Arrival::Queued { caller, read } => object(&[kind("queued"), id("caller", caller), id("read", read)]),
            Arrival::Joined { caller, read } => object(&[kind("joined"), id("caller", caller), id("read", read)]),
            Arrival::Refused { retry_after_ms } => object(&[kind("refused"), id("retryAfterMs", retry_after_ms)]),
            Arrival::Overloaded => object(&[kind("overloaded")]),
        }
    }

    /// When the object should look again (its timer), if anything waits.
    #[wasm_bindgen(js_name = wakeAt)]
    pub fn wake_at(&self, now_ms: f64) -> Option<f64> {
        self.0.wake_at(now_ms)
    }

    /// The reads to send now (counted as sent).
    #[wasm_bindgen(js_name = takeDue)]
    pub fn take_due(&mut self, now_ms: f64) -> Vec<f64> {
        self.0.take_due(now_ms).into_iter().map(|read| read as f64).collect()
    }

    /// A read ended: `outcome` is `"ok"`, `"rateLimited"` (with Graph's `retry_after_ms`, when
    /// known) or `"failed"`. Returns whom to answer and whom the new backoff refuses.
    pub fn finished(&mut self, read: f64, outcome: &str, retry_after_ms: Option<f64>, now_ms: f64) -> JsValue {
        let outcome = match outcome {
            "ok" => Outcome::Ok,
            "rateLimited" => Outcome::RateLimited {
                retry_after_ms: retry_after_ms.filter(|ms| ms.is_finite() && *ms >= 0.0).map(|ms| ms as u64),
            },
            _ => Outcome::Failed,
        };
        settled_object(self.0.finished(read as u64, outcome, now_ms))
    }

    /// A caller went away; returns the read dropped with it (nobody else wanted it), if any.
    pub fn leave(&mut self, caller: f64) -> Option<f64> {
        self.0.leave(caller as u64).map(|read| read as f64)
    }

    /// The backoff to keep in storage (`{ untilMs, strikes }`), or `null`: nothing to keep.
    pub fn backoff(&self) -> JsValue {
        self.0.backoff().map_or(JsValue::NULL, |backoff| {
            object(&[
                ("untilMs", JsValue::from_f64(backoff.until_ms)),
                ("strikes", JsValue::from(backoff.strikes)),
            ])
        })
    }

    /// Restores a backoff read from storage; returns what that settles.
    #[wasm_bindgen(js_name = restoreBackoff)]
    pub fn restore_backoff(&mut self, until_ms: f64, strikes: u32, now_ms: f64) -> JsValue {
        settled_object(self.0.restore_backoff(Backoff { until_ms, strikes }, now_ms))
    }
}

/// The object's fetch of one read: `{ kind: "answer", status, headers, body, outcome,
/// retryAfterMs }` (`body` null when over the body limit), or `{ kind: "failed", reason,
/// timeout }`. Through gloo-net, redirects not followed, as every fetch of the package.
#[wasm_bindgen(js_name = gateFetch)]
pub async fn gate_fetch(url: String, authorization: Option<String>, timeout_ms: u32) -> JsValue {
    let request = HttpRequest {
        url,
        authorization,
        secrets: Secrets::new(&[]),
    };
    let request = &request;
    let answer = with_timeout(request, timeout_ms, |signal| async move {
        let response = fetch_response(request, &signal).await?;
        let text = JsFuture::from(read_text(&response, BODY_LIMIT_BYTES))
            .await
            .map_err(|error| Error::network(&request.url, &thrown_text(&error), &request.secrets))?;
        Ok((response, text.dyn_into::<JsString>().ok()))
    })
    .await;
    let result = Object::new();
    match answer {
        Ok((response, body)) => {
            let status = response.status();
            let headers = Object::new();
            let header = |name: &str| response.headers().get(name).ok().flatten();
            for name in KEPT_HEADERS {
                if let Some(value) = header(name) {
                    set(&headers, name, &JsValue::from_str(&value));
                }
            }
            let outcome = match &body {
                Some(text) => {
                    let usage = usage_headers(&response).dyn_into::<js_sys::Array>().ok().and_then(|headers| {
                        let header = |index: u32| Some(headers.get(index)).filter(|value| !value.is_undefined());
                        RateLimitUsage::from_parsed(header(0), header(1), header(2))
                    });
                    outcome_of(status, json_parse(text), usage.as_ref())
                }
                None => Outcome::Failed,
            };
            set(&result, "kind", &JsValue::from_str("answer"));
            set(&result, "status", &JsValue::from(status));
            set(&result, "headers", &headers);
            set(&result, "body", &body.map_or(JsValue::NULL, JsValue::from));
            let (name, retry_after_ms) = match outcome {
                Outcome::Ok => ("ok", None),
                Outcome::RateLimited { retry_after_ms } => ("rateLimited", retry_after_ms),
                Outcome::Failed => ("failed", None),
            };
            set(&result, "outcome", &JsValue::from_str(name));
            set(&result, "retryAfterMs", &retry_after_ms.map_or(JsValue::NULL, |ms| JsValue::from_f64(ms as f64)));
        }
        Err(error) => {
            set(&result, "kind", &JsValue::from_str("failed"));
            let (reason, timeout) = match error {
                Error::Network { reason, .. } => (reason, false),
                Error::Timeout { .. } => (String::from("timed out"), true),
                other => (other.message(), false),
            };
            set(&result, "reason", &JsValue::from_str(&reason));
            set(&result, "timeout", &JsValue::from_bool(timeout));
        }
    }
    result.into()
}

/// A caller's way to its Page's gate: the namespace bound to `ConversationsGate`, the object's
/// name (the pacing key) and the rate asked for.
#[derive(Clone, Debug)]
pub struct GateRoute {
    /// The Durable Object namespace (the `gate` option).
    pub namespace: JsValue,
    /// The object's name: the listing's pacing key (`page:…` or `conversation:…`).
    pub name: String,
    /// The `requestsPerSecond` the object paces at.
    pub requests_per_second: f64,
}

/// What the gate said of one attempt.
pub enum GateAnswer {
    /// Graph's answer, fetched by the object, to read as if fetched here.
    Response(web_sys::Response),
    /// The object's fetch failed (or the caller left): the error to report.
    Failed(Error),
    /// The gate cannot be used: pace in this isolate and fetch here.
    Unavailable,
}

impl GateRoute {
    /// Asks the object to send `request` (waiting for the Page's turn, or joining an identical
    /// read); `signal` aborting (the attempt dropped) gives the turn back.
    pub async fn ask(&self, request: &HttpRequest, timeout_ms: u32, signal: &web_sys::AbortSignal) -> GateAnswer {
        let described = Object::new();
        set(&described, "url", &JsValue::from_str(&request.url));
        set(
            &described,
            "authorization",
            &request.authorization.as_deref().map_or(JsValue::NULL, JsValue::from_str),
        );
        set(&described, "key", &JsValue::from_str(&crate::gate::read_key_of(request)));
        set(&described, "requestsPerSecond", &JsValue::from_f64(self.requests_per_second));
        set(&described, "timeoutMs", &JsValue::from(timeout_ms));
        let answer = JsFuture::from(ask_gate(&self.namespace, &self.name, &described.into(), signal))
            .await
            .unwrap_or(JsValue::NULL);
        if answer.is_null() || answer.is_undefined() {
            return GateAnswer::Unavailable;
        }
        let answer = match answer.dyn_into::<web_sys::Response>() {
            Ok(response) => return GateAnswer::Response(response),
            Err(answer) => answer,
        };
        let field = |name: &str| js_sys::Reflect::get(&answer, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
        if let Some(status) = field("tooLarge").as_f64() {
            return GateAnswer::Failed(too_large(status as u16));
        }
        if let Some(ms) = field("refused").as_f64() {
            return GateAnswer::Failed(Error::gate_refused(ms.max(0.0) as u64));
        }
        if field("timeout").as_bool() == Some(true) {
            return GateAnswer::Failed(Error::Timeout { timeout_ms });
        }
        let reason = field("failed").as_string().unwrap_or_else(|| String::from("the fleet gate failed"));
        GateAnswer::Failed(Error::network(&request.url, &reason, &request.secrets))
    }
}
