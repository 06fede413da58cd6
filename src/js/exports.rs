//! Every `#[wasm_bindgen]` export of the package.

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use super::abort::abortable;
use super::errors::to_js_error;
use super::options::{option_value, runtime, JsOptions};
use super::page::page_object;
use super::transport::FetchTransport;
use crate::client::fetch_page;
use crate::error::Error;
use crate::options::{conversations_options, messages_options, proof_arguments, OptionValue, RequestOptions, Runtime};
use crate::proof::app_secret_proof;

/// `listConversations(options)`, or `listMessages(options)` when `messages` is true: one page.
/// (One export for both, named by `pkg/api.js` and `pkg/index.js`: each async export costs the
/// module a `future_to_promise` state machine and shims of its own.)
#[wasm_bindgen(js_name = listPage)]
pub async fn list_page(options: JsValue, messages: bool) -> Result<JsValue, JsValue> {
    let validate: fn(&JsOptions<'_>, Runtime) -> Result<RequestOptions, Error> = if messages {
        |source, runtime| messages_options(source, runtime)
    } else {
        |source, runtime| conversations_options(source, runtime)
    };
    list(&options, validate).await
}

/// `listConversations(options)`: one page of a Page's conversations.
pub async fn list_conversations(options: JsValue) -> Result<JsValue, JsValue> {
    list_page(options, false).await
}

/// `listMessages(options)`: one page of a conversation's messages.
pub async fn list_messages(options: JsValue) -> Result<JsValue, JsValue> {
    list_page(options, true).await
}

/// Validates the options, then fetches one page unless the signal fires first.
async fn list(
    options: &JsValue,
    validate: fn(&JsOptions<'_>, Runtime) -> Result<RequestOptions, Error>,
) -> Result<JsValue, JsValue> {
    let checked = (|| {
        let source = JsOptions::checked(options)?;
        let validated = validate(&source, runtime())?;
        Ok((validated, source.signal()?))
    })();
    let (validated, signal) = checked.map_err(|error: Error| to_js_error(&error))?;
    abortable(signal, async {
        fetch_page(&FetchTransport, &validated, None)
            .await
            .map(page_object)
            .map_err(|error| to_js_error(&error))
    })
    .await
}

/// `appSecretProof(accessToken, appSecret, unixSeconds?)`: a promise of the hex HMAC-SHA256
/// proof (computed at once: a settled promise, without an async state machine in the module).
#[wasm_bindgen(js_name = appSecretProof)]
pub fn app_secret_proof_export(access_token: JsValue, app_secret: JsValue, unix_seconds: JsValue) -> js_sys::Promise {
    let arguments = |name: &str| match name {
        "accessToken" => option_value(&access_token),
        "appSecret" => option_value(&app_secret),
        "unixSeconds" => option_value(&unix_seconds),
        _ => OptionValue::Absent,
    };
    match proof_arguments(&arguments) {
        Ok((token, secret, seconds)) => {
            js_sys::Promise::resolve(&JsValue::from_str(&app_secret_proof(&token, &secret, seconds)))
        }
        Err(error) => js_sys::Promise::reject(&to_js_error(&error)),
    }
}
