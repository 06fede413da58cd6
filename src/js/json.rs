//! [`JsonView`] over JavaScript values, so the core reads what `JSON.parse` produced without
//! copying it into Rust.

use js_sys::{Array, JsString, Object, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use crate::json::JsonView;
use crate::redact::Secrets;

#[wasm_bindgen(module = "/pkg/json.js")]
extern "C" {
    /// `JSON.parse(text, reviver)` of `pkg/json.js`: `undefined` instead of an exception (a
    /// throwing import leaks an externref slot per call).
    #[wasm_bindgen(js_name = parseJson)]
    fn parse_json(text: &JsString, reviver: &JsValue) -> JsValue;
}

/// `JSON.parse` on a JavaScript string, without copying it into Rust; `None` when not JSON.
pub fn json_parse(text: &JsString) -> Option<JsValue> {
    let value = parse_json(text, &JsValue::UNDEFINED);
    (!value.is_undefined()).then_some(value)
}

/// Whether any form of a secret appears in `text`.
pub fn carries_secret(text: &JsString, secrets: &Secrets) -> bool {
    secrets.forms().iter().any(|form| text.includes(form, 0))
}

/// Parses `text` with every string value that carries a secret redacted by
/// [`Secrets::redact`]; keys and structure are the engine's own parse, so nothing else changes.
pub fn json_parse_redacted(text: &JsString, secrets: &Secrets) -> Option<JsValue> {
    let secrets = secrets.clone();
    let reviver = Closure::<dyn FnMut(JsValue, JsValue) -> JsValue>::new(move |_key: JsValue, value: JsValue| {
        match value.dyn_ref::<JsString>() {
            Some(text) if carries_secret(text, &secrets) => JsValue::from_str(&secrets.redact(&String::from(text))),
            _ => value,
        }
    });
    let value = parse_json(text, reviver.as_ref());
    (!value.is_undefined()).then_some(value)
}

impl JsonView for JsValue {
    fn member(&self, key: &str) -> Option<Self> {
        if !JsonView::is_object(self) {
            return None;
        }
        let value = Reflect::get(self, &JsValue::from_str(key)).ok()?;
        (!value.is_undefined()).then_some(value)
    }

    fn text(&self) -> Option<String> {
        self.as_string()
    }

    fn number(&self) -> Option<f64> {
        self.as_f64()
    }

    fn boolean(&self) -> Option<bool> {
        self.as_bool()
    }

    fn is_object(&self) -> bool {
        self.is_object() && !Array::is_array(self)
    }

    fn is_array(&self) -> bool {
        Array::is_array(self)
    }

    fn members(&self) -> Vec<(String, Self)> {
        if !JsonView::is_object(self) {
            return Vec::new();
        }
        Object::entries(self.unchecked_ref())
            .iter()
            .filter_map(|entry| {
                let entry: Array = entry.dyn_into().ok()?;
                Some((entry.get(0).as_string()?, entry.get(1)))
            })
            .collect()
    }

    fn items(&self) -> Vec<Self> {
        self.dyn_ref::<Array>()
            .map_or_else(Vec::new, |array| array.iter().collect())
    }
}

/// Parses a header's text; `None` when it is not JSON.
pub fn parse_header(text: Option<String>) -> Option<JsValue> {
    json_parse(&JsString::from(text?))
}
