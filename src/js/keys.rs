//! The property names the binding reads and writes on every call, as JavaScript strings made once
//! per instance (at their first use) and kept: a name passed from Rust would otherwise be decoded
//! into a new JavaScript string at every use.

use std::cell::RefCell;

use wasm_bindgen::JsValue;

/// Every known name, sorted by bytes (upper case before lower case): `key` searches them by
/// halves. (One list and one cache rather than a wasm-bindgen `static_string` per name: the
/// callers have a name as a `&str`, e.g. [`crate::options::OptionSource::get`]'s, not a static.)
const KEYS: &[&str] = &[
    "Authorization",
    "accessToken",
    "after",
    "apiVersion",
    "app",
    "appSecret",
    "appSecretProof",
    "appSecretTime",
    "baseUrl",
    "before",
    "businessUseCase",
    "callCount",
    "call_count",
    "conversationId",
    "cursors",
    "dangerouslyAllowAppSecretInBrowser",
    "data",
    "document",
    "error",
    "estimatedTimeToRegainAccessMinutes",
    "estimated_time_to_regain_access",
    "fields",
    "folder",
    "itemCount",
    "limit",
    "maxItems",
    "maxPages",
    "maxRetries",
    "next",
    "onPage",
    "page",
    "pageId",
    "pageNumber",
    "paging",
    "platform",
    "previous",
    "requestsPerSecond",
    "signal",
    "timedAppSecretProof",
    "timeoutMs",
    "tokenIn",
    "totalCputime",
    "totalTime",
    "total_cputime",
    "total_time",
    "type",
    "unixSeconds",
    "updatedSince",
    "updated_time",
    "userId",
    "window",
];

/// `KEYS` is sorted (checked when compiling: `key` would miss a name otherwise).
const _: () = assert!(sorted(KEYS), "KEYS must be sorted by bytes");

/// Whether `names` is in strictly increasing byte order.
#[allow(clippy::indexing_slicing)] // compile time only, within bounds
const fn sorted(names: &[&str]) -> bool {
    let mut index = 1;
    while index < names.len() {
        let (before, after) = (names[index - 1].as_bytes(), names[index].as_bytes());
        let mut at = 0;
        loop {
            if at == after.len() {
                return false; // equal, or `after` is a prefix of `before`
            }
            if at == before.len() || before[at] < after[at] {
                break;
            }
            if before[at] > after[at] {
                return false;
            }
            at += 1;
        }
        index += 1;
    }
    true
}

thread_local! {
    /// The JavaScript string of each known name, by its index in `KEYS`, once made.
    static MADE: RefCell<Vec<Option<JsValue>>> = const { RefCell::new(Vec::new()) };
}

/// `name` as a JavaScript string: the one made once when it is a known name.
pub fn key(name: &str) -> JsValue {
    let Ok(index) = KEYS.binary_search(&name) else {
        return JsValue::from_str(name);
    };
    // (`try_with`: a thread-local is never destroyed in a wasm instance, and `with` would bring
    // the standard library's panic for that case into the module.)
    let made = MADE.try_with(|made| {
        let mut made = made.try_borrow_mut().ok()?;
        if made.len() < KEYS.len() {
            made.resize_with(KEYS.len(), || None);
        }
        Some(made.get_mut(index)?.get_or_insert_with(|| JsValue::from_str(name)).clone())
    });
    made.ok().flatten().unwrap_or_else(|| JsValue::from_str(name))
}
