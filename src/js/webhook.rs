//! Webhooks in JavaScript: the exports behind `handleWebhook`, `verifyWebhookSignature` and
//! `parseWebhookEvents` (`pkg/webhook.js` reads the request, the body and the options). The
//! decisions are [`crate::webhook`]'s; this module only converts, and parses a body with
//! JavaScript's `JSON.parse` (`parse_body`), so that the module holds no JSON parser and each
//! event's `raw` is the item of that parse, exactly as Graph sent it.

use js_sys::{Array, JsString, Object};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use super::errors::to_js_error;
use super::json::json_parse;
use super::options::JsOptions;
use super::page::set;
use crate::error::Error;
use crate::options::{OptionSource, OptionValue};
use crate::webhook::{
    handle_with, payload_text, read_payload, verify_signature, WebhookError, WebhookEvent, WebhookResponse,
};

/// Checks the options `pkg/options.js` read for a webhook call: `appSecret` and, when
/// `verify_token` is true (`handleWebhook`), `verifyToken`, each a non-empty string. Throws
/// `InvalidOptionsError` for the first bad one.
#[wasm_bindgen(js_name = checkWebhookOptions)]
pub fn check_webhook_options(options: JsValue, verify_token: bool) -> Result<(), JsValue> {
    let source = JsOptions::checked(&options).map_err(|error| to_js_error(&error))?;
    let check = |name: &'static str| match source.get(name) {
        OptionValue::Text(text) if !text.is_empty() => Ok(()),
        OptionValue::Text(_) => Err(invalid(name, "must not be empty")),
        OptionValue::Absent => Err(invalid(name, "is required")),
        _ => Err(invalid(name, "must be a string")),
    };
    check("appSecret")?;
    if verify_token {
        check("verifyToken")?;
    }
    Ok(())
}

/// The `InvalidOptionsError` for `option`.
fn invalid(option: &'static str, reason: &str) -> JsValue {
    to_js_error(&Error::InvalidOptions {
        option,
        reason: String::from(reason),
    })
}

/// `handleWebhook`'s answer to one request, as `{ status, body, events }`
/// (`webhook_events`). `over_limit`: the body is longer than the limit and was not read (its
/// Content-Length said so, or reading stopped past the limit): 413 for a `POST`, as
/// [`crate::webhook::handle`] answers such a body. `signature` is the `X-Hub-Signature-256` header.
#[wasm_bindgen(js_name = webhookHandle)]
pub fn webhook_handle(
    method: &str,
    query: &str,
    signature: Option<String>,
    body: &[u8],
    over_limit: bool,
    app_secret: &str,
    verify_token: &str,
) -> JsValue {
    let answer = if over_limit && method == "POST" {
        WebhookResponse::refusal(413, "Payload too large")
    } else {
        handle_with(
            method,
            query,
            signature.as_deref(),
            body,
            app_secret,
            verify_token,
            parse_body,
        )
    };
    let out = webhook_events(answer.events);
    set(&out, "status", &JsValue::from(answer.status));
    set(&out, "body", &JsValue::from_str(&answer.body));
    out.into()
}

/// Whether `signature` is the `X-Hub-Signature-256` of `body` with `app_secret`.
#[wasm_bindgen(js_name = webhookVerify)]
pub fn webhook_verify(body: &[u8], signature: Option<String>, app_secret: &str) -> bool {
    verify_signature(body, signature.as_deref(), app_secret)
}

/// A payload's events as `{ events }` (`webhook_events`), or `{ error }`: the message of the
/// `WebhookError` to throw.
#[wasm_bindgen(js_name = webhookParse)]
pub fn webhook_parse(body: &[u8]) -> JsValue {
    match parse_body(body).and_then(read_payload) {
        Ok(events) => webhook_events(events).into(),
        Err(error) => {
            let out = Object::new();
            set(&out, "error", &JsValue::from_str(&error.message()));
            out.into()
        }
    }
}

/// A body parsed by JavaScript's `JSON.parse`: the text [`payload_text`] gives (UTF-8, no byte
/// order mark, nesting within `serde_json`'s limit), then parsed without an exception through
/// the module (`parseJson` gives `undefined` for anything `JSON.parse` throws, a `RangeError`
/// included). A 400's reason then names no line and column, which `JSON.parse` does not give
/// (but for the checks of `payload_text`).
fn parse_body(body: &[u8]) -> Result<JsValue, WebhookError> {
    let text = payload_text(body)?;
    json_parse(&JsString::from(text)).ok_or_else(WebhookError::not_json)
}

/// `{ events }`: the `WebhookEvent`s of `index.d.ts`, in payload order, each with its `raw`, the
/// item in the `JSON.parse` of the body.
fn webhook_events(events: Vec<WebhookEvent<JsValue>>) -> Object {
    let list = Array::new();
    for event in events {
        let item = Object::new();
        let text = |text: Option<String>| text.map_or(JsValue::NULL, |text| JsValue::from_str(&text));
        set(&item, "platform", &JsValue::from_str(event.platform.as_str()));
        set(&item, "pageId", &JsValue::from_str(&event.page_id));
        set(&item, "userId", &JsValue::from_str(&event.user_id));
        set(&item, "type", &JsValue::from_str(event.kind.as_str()));
        set(&item, "timestamp", &JsValue::from_f64(event.timestamp as f64));
        set(&item, "standby", &JsValue::from_bool(event.standby));
        set(&item, "messageId", &text(event.message_id));
        set(&item, "text", &text(event.text));
        set(&item, "raw", &event.raw);
        list.push(&item);
    }
    let out = Object::new();
    set(&out, "events", &list);
    out
}
