//! [`JsonView`] over JavaScript values, so the core reads what `JSON.parse` produced without
//! copying it into Rust; the package's JavaScript helpers (`pkg/json.js`); and the search for
//! secrets in a body's text.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Array, JsString, Object, RegExp};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use super::keys::key;
use crate::json::JsonView;
use crate::redact::Secrets;

// One namespace object (`json`) rather than one import per function: wasm-bindgen 0.2.130
// writes a key of its imports object per function imported straight from a module, the same
// module name nine times over, which esbuild and wrangler warn about as duplicate keys.
// The package's own module beside the glue (pkg/gen/page_conversations.js imports
// `../json.js`), so that the wasm and the package's entries share one instance of it (one set of
// error classes for `instanceof`, one gate state). wasm-bindgen-test's runner has no pkg/ beside
// its glue: the tests (feature `test-snippets`) have wasm-bindgen copy the module in instead.
#[cfg_attr(not(feature = "test-snippets"), wasm_bindgen(raw_module = "../json.js", js_namespace = json))]
#[cfg_attr(feature = "test-snippets", wasm_bindgen(module = "/pkg/json.js", js_namespace = json))]
extern "C" {
    /// `JSON.parse(text, reviver)` of `pkg/json.js`: `undefined` instead of an exception (a
    /// throwing import leaks an externref slot per call).
    #[wasm_bindgen(js_name = parseJson)]
    fn parse_json(text: &JsString, reviver: &JsValue) -> JsValue;

    /// `[app, page, businessUseCase]`, the parsed usage headers of a response, or `undefined`.
    #[wasm_bindgen(js_name = usageHeaders)]
    pub fn usage_headers(response: &web_sys::Response) -> JsValue;

    /// `{ data, paging: { nextCursor, previousCursor }, usage }`.
    #[wasm_bindgen(js_name = pageObject)]
    pub fn page_object(data: &JsValue, next_cursor: &JsValue, previous_cursor: &JsValue, usage: &JsValue) -> JsValue;

    /// Removes the secrets of the paging links of a parsed page in place, when they are the only
    /// places the secrets appear in `text`; false otherwise (see `pkg/json.js`).
    #[wasm_bindgen(js_name = cleanLinks)]
    fn clean_links(body: &JsValue, text: &JsString, forms: &Array, strip: &RegExp) -> bool;

    /// `value[key]` when `value` is an object (not an array), else `undefined`: for parsed JSON.
    #[wasm_bindgen(js_name = member)]
    fn json_member(value: &JsValue, key: &JsValue) -> JsValue;

    /// Whether `value` is an object, not null and not an array.
    #[wasm_bindgen(js_name = isObject)]
    fn json_is_object(value: &JsValue) -> bool;

    /// Whether any of the strings `forms` appears in `text`.
    #[wasm_bindgen(js_name = includesAny)]
    fn includes_any(text: &JsString, forms: &Array) -> bool;

    /// Epoch milliseconds of the local date-time whose wall clock reads `wall_clock_ms` (as if
    /// it were UTC), as JavaScript's `Date` reads a date-time without an offset.
    #[wasm_bindgen(js_name = localTimeMs)]
    pub fn local_time_ms(wall_clock_ms: f64) -> f64;

    /// The body of `response` as text, or `undefined` past `limit` bytes (by its `Content-Length`
    /// or as it arrives; the rest is then not read). Rejects when the body cannot be read.
    #[wasm_bindgen(js_name = readText)]
    pub fn read_text(response: &web_sys::Response, limit: u32) -> js_sys::Promise;

    /// `{ page, pageNumber, itemCount }`.
    #[wasm_bindgen(js_name = pagerStep)]
    pub fn pager_step(page: &JsValue, page_number: f64, item_count: f64) -> JsValue;
}

/// `JSON.parse` on a JavaScript string, without copying it into Rust; `None` when not JSON.
pub fn json_parse(text: &JsString) -> Option<JsValue> {
    let value = parse_json(text, &JsValue::UNDEFINED);
    (!value.is_undefined()).then_some(value)
}

/// The secrets of a request as JavaScript strings, and the regular expression that removes them
/// from the links of a body: made once per set of secrets (every page of a listing has the same)
/// and kept for the next call.
pub struct SecretScan {
    forms: Vec<String>,
    js_forms: Array,
    /// Removes the secret parameters of the links in a body's text.
    strip: RegExp,
    /// The same for one link (a parsed string value).
    strip_link: RegExp,
    /// No form has a character that JSON escapes (`"`, `\`, `/`): the secrets appear in the
    /// text exactly where they appear in the parsed values.
    unescaped: bool,
}

thread_local! {
    /// The scan of the last secrets seen.
    static LAST_SCAN: Cell<Option<Rc<SecretScan>>> = const { Cell::new(None) };
}

impl SecretScan {
    /// The scan for `secrets`.
    pub fn of(secrets: &Secrets) -> Rc<SecretScan> {
        // (`try_with`: a thread-local is never destroyed in a wasm instance, and `with` would
        // bring the standard library's panic for that case into the module.)
        let cached = LAST_SCAN.try_with(|last| {
            let known = last.take();
            let cached = known
                .as_ref()
                .filter(|scan| scan.forms.as_slice() == secrets.forms())
                .cloned();
            last.set(known);
            cached
        });
        cached.ok().flatten().unwrap_or_else(|| {
            let scan = Rc::new(SecretScan::new(secrets));
            let _ = LAST_SCAN.try_with(|last| last.set(Some(Rc::clone(&scan))));
            scan
        })
    }

    fn new(secrets: &Secrets) -> SecretScan {
        // `access_token=SECRET` and `appsecret_proof=SECRET` parameters of links: a run of them
        // that ends a link (the JSON string's closing quote follows) goes with the `?` or `&`
        // before it; a run followed by `&` goes with its `&`s, the separator before it staying
        // (checked by a lookbehind after the name: a pattern that starts with a lookbehind is
        // tried at every position of the body and costs several times more). The replacement is
        // empty, which keeps V8 on its fast path.
        let mut forms = String::new();
        for (index, form) in secrets.forms().iter().enumerate() {
            if index > 0 {
                forms.push('|');
            }
            push_regex_escaped(&mut forms, form);
        }
        let value = format!("=(?:{forms})");
        let parameter = format!("(?:access_token|appsecret_proof){value}");
        let pattern = |end: &str| {
            format!("[?&](?:{parameter}&)*{parameter}{end}|(?:access_token(?<=[?&]access_token)|appsecret_proof(?<=[?&]appsecret_proof)){value}&(?:{parameter}&)*")
        };
        SecretScan {
            forms: secrets.forms().to_vec(),
            js_forms: secrets.forms().iter().map(|form| JsValue::from_str(form)).collect(),
            strip: RegExp::new(&pattern("(?=\")"), "g"),
            strip_link: RegExp::new(&pattern("$"), "g"),
            unescaped: !secrets.forms().iter().any(|form| form.contains(['"', '\\', '/'])),
        }
    }

    /// Whether any form of a secret appears in `text`.
    pub fn appears_in(&self, text: &JsString) -> bool {
        includes_any(text, &self.js_forms)
    }

    /// `text` without the secret parameters of its links (see [`SecretScan::new`]).
    pub fn strip_parameters(&self, text: &JsString) -> JsString {
        text.replace_by_pattern(&self.strip, "")
    }

    /// The parsed `text` with the secrets of its paging links removed, when those links are the
    /// only places where secrets appear; `None` otherwise (and when `text` is not JSON). The
    /// common case, costing a count of the secrets in `text` and no copy of it.
    pub fn parse_clean_links(&self, text: &JsString) -> Option<JsValue> {
        if !self.unescaped {
            return None;
        }
        json_parse(text).filter(|body| clean_links(body, text, &self.js_forms, &self.strip_link))
    }
}

/// `text` with the characters special in a JavaScript regular expression escaped, appended.
fn push_regex_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        if c.is_ascii() && br"\^$.*+?()[]{}|/-".contains(&(c as u8)) {
            out.push('\\');
        }
        out.push(c);
    }
}

/// Parses `text` with every string value that carries a secret redacted by
/// [`Secrets::redact`]; keys and structure are the engine's own parse, so nothing else changes.
pub fn json_parse_redacted(text: &JsString, secrets: &Secrets, scan: Rc<SecretScan>) -> Option<JsValue> {
    let secrets = secrets.clone();
    let reviver = Closure::<dyn FnMut(JsValue, JsValue) -> JsValue>::new(move |_key: JsValue, value: JsValue| {
        match value.dyn_ref::<JsString>() {
            Some(text) if scan.appears_in(text) => JsValue::from_str(&secrets.redact(&String::from(text))),
            _ => value,
        }
    });
    let value = parse_json(text, reviver.as_ref());
    (!value.is_undefined()).then_some(value)
}

impl JsonView for JsValue {
    fn member(&self, name: &str) -> Option<Self> {
        let value = json_member(self, &key(name));
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
        json_is_object(self)
    }

    fn is_array(&self) -> bool {
        Array::is_array(self)
    }

    fn members(&self) -> Vec<(String, Self)> {
        if !json_is_object(self) {
            return Vec::new();
        }
        let mut members = Vec::new();
        for entry in Object::entries(self.unchecked_ref()).iter() {
            if let Ok(entry) = entry.dyn_into::<Array>() {
                if let Some(name) = entry.get(0).as_string() {
                    members.push((name, entry.get(1)));
                }
            }
        }
        members
    }

    fn items(&self) -> Vec<Self> {
        let mut items = Vec::new();
        if let Some(array) = self.dyn_ref::<Array>() {
            for item in array.iter() {
                items.push(item);
            }
        }
        items
    }
}
