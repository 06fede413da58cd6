//! Builds the JavaScript `{ data, paging, usage }` object of a page, and the usage object.

use js_sys::{Object, Reflect};
use serde::Serialize;
use wasm_bindgen::JsValue;

use super::json::page_object as make_page;
use super::keys::key;
use crate::client::Page;
use crate::cursor::Cursor;
use crate::usage::RateLimitUsage;

/// `{ data, paging: { nextCursor, previousCursor }, usage }`.
pub fn page_object(page: Page<JsValue>) -> JsValue {
    let cursor = |cursor: Option<Cursor>| cursor.map_or(JsValue::NULL, |c| JsValue::from_str(&c.encode()));
    make_page(
        &page.data,
        &cursor(page.next_cursor),
        &cursor(page.previous_cursor),
        &usage_object(page.usage.as_ref()),
    )
}

/// `{ app, page, businessUseCase }` (the `RateLimitUsage` of `index.d.ts`), or `null`: the
/// usage's `Serialize` through serde-wasm-bindgen, as JSON would have it (maps as plain objects,
/// `None` as `null`).
pub fn usage_object(usage: Option<&RateLimitUsage>) -> JsValue {
    usage
        .and_then(|usage| usage.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).ok())
        .unwrap_or(JsValue::NULL)
}

/// `object[name] = value` on a plain object just created (which cannot throw).
pub fn set(object: &Object, name: &str, value: &JsValue) {
    let _ = Reflect::set(object, &key(name), value);
}
