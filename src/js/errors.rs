//! Turns [`Error`]s into instances of the package's JavaScript error classes (`pkg/errors.js`),
//! so that `instanceof` works from every entry.

use serde::Serialize;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use super::page::to_js;
use crate::error::Error;
use crate::usage::RateLimitUsage;

#[wasm_bindgen(module = "/pkg/errors.js")]
extern "C" {
    /// `createError(kind, message, details)` of `pkg/errors.js`.
    #[wasm_bindgen(js_name = createError)]
    fn create_error(kind: &str, message: &str, details: JsValue) -> JsValue;
}

/// The fields of the error classes, as `pkg/errors.js` reads them.
#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct ErrorDetails<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    option: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timeout_ms: Option<u32>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    graph: Option<GraphDetails<'a>>,
}

/// The fields of `GraphApiError` and its subclasses.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GraphDetails<'a> {
    graph_code: Option<i64>,
    graph_subcode: Option<i64>,
    graph_type: Option<&'a str>,
    fbtrace_id: Option<&'a str>,
    user_title: Option<&'a str>,
    user_message: Option<&'a str>,
    is_transient: bool,
    usage: Option<&'a RateLimitUsage>,
    retry_after_ms: Option<u64>,
}

/// The JavaScript error for `error`. An abort never gets here: it rejects with the signal's
/// reason.
pub fn to_js_error(error: &Error) -> JsValue {
    let details = match error {
        Error::InvalidOptions { option, .. } => ErrorDetails {
            option: Some(option),
            ..Default::default()
        },
        Error::GraphApi(failure) => ErrorDetails {
            status: Some(failure.status),
            graph: Some(GraphDetails {
                graph_code: failure.code,
                graph_subcode: failure.subcode,
                graph_type: failure.error_type.as_deref(),
                fbtrace_id: failure.fbtrace_id.as_deref(),
                user_title: failure.user_title.as_deref(),
                user_message: failure.user_message.as_deref(),
                is_transient: failure.is_transient,
                usage: failure.usage.as_ref(),
                retry_after_ms: failure.retry_after_ms,
            }),
            ..Default::default()
        },
        Error::Timeout { timeout_ms } => ErrorDetails {
            timeout_ms: Some(*timeout_ms),
            ..Default::default()
        },
        Error::InvalidResponse { status, .. } => ErrorDetails {
            status: Some(*status),
            ..Default::default()
        },
        Error::Network { .. } | Error::Paging { .. } | Error::Aborted => ErrorDetails::default(),
    };
    create_error(error.class_name(), &error.message(), to_js(&details))
}
