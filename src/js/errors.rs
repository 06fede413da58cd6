//! Turns [`Error`]s into instances of the package's JavaScript error classes (`pkg/errors.js`),
//! so that `instanceof` works from every entry.

use js_sys::Object;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use super::page::{set, usage_object};
use crate::error::Error;

// The package's own module beside the glue (pkg/gen/page_conversations.js imports
// `../errors.js`), so that the wasm and the package's entries share one instance of it (one set of
// error classes for `instanceof`, one gate state). wasm-bindgen-test's runner has no pkg/ beside
// its glue: the tests (feature `test-snippets`) have wasm-bindgen copy the module in instead.
#[cfg_attr(not(feature = "test-snippets"), wasm_bindgen(raw_module = "../errors.js"))]
#[cfg_attr(feature = "test-snippets", wasm_bindgen(module = "/pkg/errors.js"))]
extern "C" {
    /// `createError(kind, message, details)` of `pkg/errors.js`.
    #[wasm_bindgen(js_name = createError)]
    fn create_error(kind: &str, message: &str, details: JsValue) -> JsValue;
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
        Error::Network { reason, .. } => set(&details, "cause", &js_sys::Error::new(reason)),
        Error::Paging { .. } | Error::Aborted => {}
    }
    create_error(error.class_name(), &error.message(), details.into())
}
