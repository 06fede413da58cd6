//! Reads a JavaScript options object as an [`OptionSource`], and the runtime facts.

use js_sys::{Array, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortSignal;

use super::keys::key;
use crate::error::Error;
use super::gate::GateRoute;
use super::transport::FetchTransport;
use crate::options::{OptionSource, OptionValue, RequestOptions, Runtime};

/// A JavaScript object read option by option.
pub struct JsOptions<'a>(pub &'a JsValue);

impl JsOptions<'_> {
    /// Checks that the options argument is an object.
    pub fn checked(options: &JsValue) -> Result<JsOptions<'_>, Error> {
        if options.is_object() && !options.is_function() && !Array::is_array(options) {
            Ok(JsOptions(options))
        } else {
            Err(Error::InvalidOptions {
                option: "options",
                reason: String::from("must be an object"),
            })
        }
    }

    /// The `signal` option: absent, or an `AbortSignal`.
    pub fn signal(&self) -> Result<Option<AbortSignal>, Error> {
        let value = property(self.0, "signal");
        if value.is_undefined() || value.is_null() {
            return Ok(None);
        }
        let looks_like_signal = value.is_object()
            && property(&value, "aborted").as_bool().is_some()
            && property(&value, "addEventListener").is_function();
        if looks_like_signal {
            Ok(Some(value.unchecked_into()))
        } else {
            Err(Error::InvalidOptions {
                option: "signal",
                reason: String::from("must be an AbortSignal"),
            })
        }
    }
}

impl JsOptions<'_> {
    /// Checks the `onPage` option: absent, or a function (the JS pager calls it).
    pub fn on_page(&self) -> Result<(), Error> {
        let value = property(self.0, "onPage");
        if value.is_undefined() || value.is_null() || value.is_function() {
            Ok(())
        } else {
            Err(Error::InvalidOptions {
                option: "onPage",
                reason: String::from("must be a function"),
            })
        }
    }
}

impl OptionSource for JsOptions<'_> {
    fn get(&self, name: &str) -> OptionValue {
        option_value(&property(self.0, name))
    }

    /// As JavaScript's `Date` reads the wall-clock time (`localTimeMs` of `pkg/json.js`).
    fn local_time_ms(&self, wall_clock_ms: f64) -> f64 {
        super::json::local_time_ms(wall_clock_ms)
    }
}

/// `object[name]`, or `undefined` when reading it throws (a getter or a Proxy).
fn property(object: &JsValue, name: &str) -> JsValue {
    Reflect::get(object, &key(name)).unwrap_or(JsValue::UNDEFINED)
}

/// Converts one JavaScript value.
pub fn option_value(value: &JsValue) -> OptionValue {
    if value.is_undefined() || value.is_null() {
        OptionValue::Absent
    } else if let Some(text) = value.as_string() {
        OptionValue::Text(text)
    } else if let Some(number) = value.as_f64() {
        OptionValue::Number(number)
    } else if let Some(flag) = value.as_bool() {
        OptionValue::Bool(flag)
    } else if Array::is_array(value) {
        let mut items = Vec::new();
        for item in Array::from(value).iter() {
            match item.as_string() {
                Some(text) => items.push(text),
                None => return OptionValue::Other("array of non-strings"),
            }
        }
        OptionValue::TextList(items)
    } else if let Some(date) = value.dyn_ref::<js_sys::Date>() {
        OptionValue::Date(date.get_time())
    } else if value.is_bigint() {
        OptionValue::Other("bigint")
    } else if value.is_function() {
        OptionValue::Other("function")
    } else if value.is_symbol() {
        OptionValue::Other("symbol")
    } else {
        OptionValue::Other("object")
    }
}

/// Whether this is a browser window: both `window` and `document` exist.
pub fn runtime() -> Runtime {
    let global = js_sys::global();
    let defined = |name: &str| !property(&global, name).is_undefined();
    Runtime {
        is_browser_window: defined("window") && defined("document"),
    }
}

impl JsOptions<'_> {
    /// The transport of a call: through the Page's fleet gate when the options have `gate`
    /// (a Durable Object namespace, checked by `pkg/options.js`), which then does the pacing, so
    /// pacing in this isolate is turned off for it; else a direct fetch.
    pub fn transport(&self, options: &mut RequestOptions, default_rate: Option<f64>) -> FetchTransport {
        let namespace = property(self.0, "gate");
        if namespace.is_undefined() || namespace.is_null() {
            return FetchTransport::default();
        }
        let requests_per_second = options
            .requests_per_second
            .or(default_rate)
            .unwrap_or(crate::options::DEFAULT_REQUESTS_PER_SECOND);
        options.requests_per_second = Some(0.0);
        FetchTransport {
            gate: Some(GateRoute {
                namespace,
                name: options.pace_key(),
                requests_per_second,
            }),
        }
    }
}
