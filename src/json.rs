//! Read-only access to parsed JSON, so that the core reads Graph's answers and headers the same
//! way whether they were parsed by `serde_json` (on the host, in tests and fuzzers) or by the
//! JavaScript engine's `JSON.parse` (in the binding, without copying them into Rust).

use serde_json::Value;

/// A parsed JSON value.
pub trait JsonView: Sized {
    /// The member `key` of an object; `None` when absent or when this is not an object.
    fn member(&self, key: &str) -> Option<Self>;
    /// The string, when this is one.
    fn text(&self) -> Option<String>;
    /// The number, when this is one.
    fn number(&self) -> Option<f64>;
    /// The boolean, when this is one.
    fn boolean(&self) -> Option<bool>;
    /// Whether this is an object (not an array, not null).
    fn is_object(&self) -> bool;
    /// Whether this is an array.
    fn is_array(&self) -> bool;
    /// The members of an object, in order; empty for anything else.
    fn members(&self) -> Vec<(String, Self)>;
    /// The items of an array; empty for anything else.
    fn items(&self) -> Vec<Self>;

    /// The member `key` as an integer: a JSON integer, or a string of one.
    fn integer_member(&self, key: &str) -> Option<i64> {
        let value = self.member(key)?;
        let number = value.number().or_else(|| {
            value
                .text()
                .and_then(|text| text.trim().parse::<i64>().ok().map(|n| n as f64))
        })?;
        (number.fract() == 0.0 && number.abs() < 9.007_199_254_740_992e15).then_some(number as i64)
    }

    /// The number as a non-negative integer, when it is one exactly. By default (a JavaScript
    /// number) one without a fraction up to 2^53 - 1: beyond, `JSON.parse` has already rounded
    /// it, and `1.0` cannot be told from `1`. `serde_json` keeps integers exactly up to
    /// `u64::MAX` and tells `1.0` (not an integer) from `1`.
    fn unsigned(&self) -> Option<u64> {
        let number = self.number()?;
        (number.fract() == 0.0 && (0.0..=9_007_199_254_740_991.0).contains(&number)).then_some(number as u64)
    }

    /// Whether this is `null`: by default, none of the other five kinds of JSON value.
    fn is_null(&self) -> bool {
        !self.is_object()
            && !self.is_array()
            && self.number().is_none()
            && self.boolean().is_none()
            && self.text().is_none()
    }
}

impl JsonView for Value {
    fn member(&self, key: &str) -> Option<Self> {
        self.as_object()?.get(key).cloned()
    }

    fn text(&self) -> Option<String> {
        self.as_str().map(String::from)
    }

    fn number(&self) -> Option<f64> {
        self.as_f64()
    }

    fn boolean(&self) -> Option<bool> {
        self.as_bool()
    }

    fn is_object(&self) -> bool {
        Value::is_object(self)
    }

    fn is_array(&self) -> bool {
        Value::is_array(self)
    }

    fn members(&self) -> Vec<(String, Self)> {
        self.as_object().map_or_else(Vec::new, |object| {
            object.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
        })
    }

    fn items(&self) -> Vec<Self> {
        self.as_array().cloned().unwrap_or_default()
    }

    fn unsigned(&self) -> Option<u64> {
        self.as_u64()
    }

    fn is_null(&self) -> bool {
        Value::is_null(self)
    }
}

/// Parses `text` with `serde_json`; `None` when it is not JSON.
pub fn parse(text: &str) -> Option<Value> {
    serde_json::from_str(text).ok()
}
