//! [`JsonView`] over JavaScript values, so the core reads what `JSON.parse` produced without
//! copying it into Rust.

use js_sys::{Array, JsString, Object, Reflect};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use crate::json::JsonView;

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse` on a JavaScript string, without copying it into Rust.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub fn json_parse(text: &JsString) -> Result<JsValue, JsValue>;
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
    json_parse(&JsString::from(text?)).ok()
}
