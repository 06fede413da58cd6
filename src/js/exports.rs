//! Every `#[wasm_bindgen]` export of the package.

use std::future::Future;
use std::pin::Pin;

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use super::abort::abortable;
use super::errors::to_js_error;
use super::options::{runtime, JsOptions};
use super::page::page_object;
use crate::client::fetch_page;
use crate::error::Error;
use crate::options::{
    check_defaults, conversations_options, messages_options, proof_arguments, OptionSource, RequestOptions, Runtime,
};
use crate::proof::app_secret_proof;

/// `listConversations(options)`: a promise of one page of the Page's conversations.
#[wasm_bindgen(js_name = listConversations)]
pub fn list_conversations(options: JsValue) -> js_sys::Promise {
    promise(Box::pin(async move { list(&options, conversations_options).await }))
}

/// `listMessages(options)`: a promise of one page of a conversation's messages.
#[wasm_bindgen(js_name = listMessages)]
pub fn list_messages(options: JsValue) -> js_sys::Promise {
    promise(Box::pin(async move { list(&options, messages_options).await }))
}

/// A JavaScript promise of `work`: the one `future_to_promise` of the module.
pub fn promise(work: Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>>) -> js_sys::Promise {
    wasm_bindgen_futures::future_to_promise(work)
}

/// Validates the options, then fetches one page unless the signal fires first.
async fn list(
    options: &JsValue,
    validate: fn(&dyn OptionSource, Runtime) -> Result<RequestOptions, Error>,
) -> Result<JsValue, JsValue> {
    let checked = (|| {
        let source = JsOptions::checked(options)?;
        let mut validated = validate(&source, runtime())?;
        // With `gate`, a one-page call is paced by the gate (at the default rate when none is given).
        let transport = source.transport(&mut validated, None);
        Ok((validated, transport, source.signal()?))
    })();
    let (validated, transport, signal) = checked.map_err(|error: Error| to_js_error(&error))?;
    let work = async {
        fetch_page(&transport, &validated, None)
            .await
            .map(page_object)
            .map_err(|error| to_js_error(&error))
    };
    abortable(signal, Box::pin(work)).await
}

/// `appSecretProof({ accessToken, appSecret, unixSeconds })` (the arguments of the package's
/// `appSecretProof`, read by `pkg/options.js`): a promise of the hex HMAC-SHA256 proof.
#[wasm_bindgen(js_name = appSecretProof)]
pub fn app_secret_proof_export(arguments: JsValue) -> js_sys::Promise {
    match proof_arguments(&JsOptions(&arguments)) {
        Ok((token, secret, seconds)) => {
            js_sys::Promise::resolve(&JsValue::from_str(&app_secret_proof(&token, &secret, seconds)))
        }
        Err(error) => js_sys::Promise::reject(&to_js_error(&error)),
    }
}

/// `createClient(defaults)`'s check of its defaults (read by `pkg/options.js`): throws
/// `InvalidOptionsError` for the first bad one.
#[wasm_bindgen(js_name = checkDefaults)]
pub fn check_defaults_export(defaults: JsValue) -> Result<(), JsValue> {
    let source = JsOptions::checked(&defaults).map_err(|error| to_js_error(&error))?;
    check_defaults(&source, runtime()).map_err(|error| to_js_error(&error))
}
