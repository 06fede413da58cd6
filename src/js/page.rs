//! Builds the JavaScript `{ data, paging, usage }` object of a page.

use js_sys::{Object, Reflect};
use serde::Serialize;
use wasm_bindgen::JsValue;

use crate::client::Page;
use crate::cursor::Cursor;

/// Serializes plain data for JavaScript: maps as objects, `None` as `null`.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> JsValue {
    let serializer = serde_wasm_bindgen::Serializer::new()
        .serialize_maps_as_objects(true)
        .serialize_missing_as_null(true);
    value.serialize(&serializer).unwrap_or(JsValue::NULL)
}

/// `{ data, paging: { nextCursor, previousCursor }, usage }`.
pub fn page_object(page: Page<JsValue>) -> JsValue {
    let cursor = |cursor: Option<Cursor>| cursor.map_or(JsValue::NULL, |c| JsValue::from_str(&c.encode()));
    let paging = Object::new();
    set(&paging, "nextCursor", &cursor(page.next_cursor));
    set(&paging, "previousCursor", &cursor(page.previous_cursor));
    let object = Object::new();
    set(&object, "data", &page.data);
    set(&object, "paging", &paging);
    set(&object, "usage", &to_js(&page.usage));
    object.into()
}

/// `object[name] = value` on a plain object just created (which cannot throw).
pub fn set(object: &Object, name: &str, value: &JsValue) {
    let _ = Reflect::set(object, &JsValue::from_str(name), value);
}
