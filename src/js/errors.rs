//! Turns [`Error`]s into instances of the package's JavaScript error classes (`pkg/errors.js`),
//! so that `instanceof` works from every entry.

use std::cell::RefCell;

use js_sys::{Array, Object};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use super::json::SecretScan;
use super::page::{set, usage_object};
use crate::error::Error;
use crate::redact::Secrets;

#[wasm_bindgen(module = "/pkg/errors.js")]
extern "C" {
    /// `createError(kind, message, details)` of `pkg/errors.js`.
    #[wasm_bindgen(js_name = createError)]
    fn create_error(kind: &str, message: &str, details: JsValue) -> JsValue;
}

#[wasm_bindgen(module = "/pkg/json.js")]
extern "C" {
    /// `[reason, cause]` of a failed fetch (`fetchFailure` of `pkg/json.js`, which never
    /// throws): what it says, and the runtime's error, `undefined` when it holds a secret.
    #[wasm_bindgen(js_name = fetchFailure)]
    fn fetch_failure(error: &JsValue, forms: &Array) -> Array;
}

/// How many network failures keep their runtime error for [`to_js_error`].
const KEPT_CAUSES: usize = 8;

thread_local! {
    /// The runtime's errors behind the last [`KEPT_CAUSES`] network failures, oldest first, by
    /// the [`fingerprint`] of the failure's `detail`: the core's [`Error`] carries no JavaScript
    /// value, and the error a call rejects with is its last attempt's, made moments before.
    /// (Fingerprints, not the texts: nothing kept here takes wasm memory beyond the list itself.)
    static CAUSES: RefCell<Vec<(u64, JsValue)>> = const { RefCell::new(Vec::new()) };
}

/// FNV-1a of `text`: which failure a kept cause belongs to.
fn fingerprint(text: &str) -> u64 {
    text.bytes()
        .fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

/// The network failure of a GET of `url` that failed with the runtime's `error` (`while`: what
/// was being done, e.g. `"reading the body: "`, or empty). Its message names the URL and the
/// runtime's reason, redacted (see [`Error::network`]); the runtime's error is kept as its
/// `cause`, or a redacted copy of it when it holds a secret.
pub fn network_error(url: &str, error: &JsValue, secrets: &Secrets, while_: &str) -> Error {
    let failure = fetch_failure(error, SecretScan::of(secrets).js_forms());
    let reason = failure.get(0).as_string().unwrap_or_default();
    let error = Error::network(url, &crate::text::concat(&[while_, &reason]), secrets);
    let cause = failure.get(1);
    let cause = if cause.is_undefined() {
        js_sys::Error::new(&secrets.redact(&reason)).into()
    } else {
        cause
    };
    if let Error::Network { detail } = &error {
        let _ = CAUSES.try_with(|causes| {
            if let Ok(mut causes) = causes.try_borrow_mut() {
                if causes.len() >= KEPT_CAUSES {
                    causes.remove(0);
                } else if causes.is_empty() {
                    causes.reserve_exact(KEPT_CAUSES);
                }
                causes.push((fingerprint(detail), cause));
            }
        });
    }
    error
}

/// The runtime's error kept for the network failure described by `detail`, the latest if several.
fn cause_of(detail: &str) -> Option<JsValue> {
    CAUSES
        .try_with(|causes| {
            let causes = causes.try_borrow().ok()?;
            let wanted = fingerprint(detail);
            causes.iter().rev().find(|(known, _)| *known == wanted).map(|(_, cause)| cause.clone())
        })
        .ok()
        .flatten()
}

/// A string, or `null`.
fn text_or_null(text: Option<&str>) -> JsValue {
    text.map_or(JsValue::NULL, JsValue::from_str)
}

/// An integer as a JavaScript number, or `null`.
fn number_or_null(number: Option<f64>) -> JsValue {
    number.map_or(JsValue::NULL, JsValue::from_f64)
}

/// The JavaScript error for `error`, with the fields its class reads (`status`, `option`,
/// `timeoutMs`, and Graph's details for `GraphApiError` and its subclasses). An abort never gets
/// here: it rejects with the signal's reason.
pub fn to_js_error(error: &Error) -> JsValue {
    let details = Object::new();
    match error {
        Error::InvalidOptions { option, .. } => set(&details, "option", &JsValue::from_str(option)),
        Error::GraphApi(failure) => {
            set(&details, "status", &JsValue::from(failure.status));
            set(&details, "graphCode", &number_or_null(failure.code.map(|code| code as f64)));
            set(&details, "graphSubcode", &number_or_null(failure.subcode.map(|code| code as f64)));
            set(&details, "graphType", &text_or_null(failure.error_type.as_deref()));
            set(&details, "fbtraceId", &text_or_null(failure.fbtrace_id.as_deref()));
            set(&details, "userTitle", &text_or_null(failure.user_title.as_deref()));
            set(&details, "userMessage", &text_or_null(failure.user_message.as_deref()));
            set(&details, "isTransient", &JsValue::from_bool(failure.is_transient));
            set(&details, "usage", &usage_object(failure.usage.as_ref()));
            set(&details, "retryAfterMs", &number_or_null(failure.retry_after_ms.map(|ms| ms as f64)));
        }
        Error::Timeout { timeout_ms } => set(&details, "timeoutMs", &JsValue::from(*timeout_ms)),
        Error::InvalidResponse { status, .. } => set(&details, "status", &JsValue::from(*status)),
        Error::Network { detail } => {
            if let Some(cause) = cause_of(detail) {
                set(&details, "cause", &cause);
            }
        }
        Error::Paging { .. } | Error::Aborted => {}
    }
    create_error(error.class_name(), &error.message(), details.into())
}
