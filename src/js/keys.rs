//! The property names the binding reads and writes on every call, as JavaScript strings made once
//! by the glue (`static_string`): a name passed from Rust would otherwise be decoded into a new
//! JavaScript string at every use.

use js_sys::JsString;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

macro_rules! keys {
    ($($name:ident = $text:tt,)*) => {
        #[wasm_bindgen]
        extern "C" {
            $(
                #[wasm_bindgen(thread_local_v2, static_string)]
                static $name: JsString = $text;
            )*
        }

        /// Every known name (sorted by bytes, for a binary search) and its JavaScript string.
        const KEYS: &[(&str, fn() -> JsValue)] = &[$(($text, || $name.with(|text| JsValue::from(text.clone())))),*];
    };
}

/// `name` as a JavaScript string: the one made once when it is a known name.
pub fn key(name: &str) -> JsValue {
    match KEYS.binary_search_by(|(known, _)| known.as_bytes().cmp(name.as_bytes())) {
        Ok(index) => KEYS.get(index).map_or_else(|| JsValue::from_str(name), |(_, make)| make()),
        Err(_) => JsValue::from_str(name),
    }
}

// Sorted by bytes (upper case before lower case): `key` searches them by halves.
keys! {
    AUTHORIZATION = "Authorization",
    ACCESS_TOKEN = "accessToken",
    AFTER = "after",
    API_VERSION = "apiVersion",
    APP = "app",
    APP_SECRET = "appSecret",
    APP_SECRET_PROOF = "appSecretProof",
    APP_SECRET_TIME = "appSecretTime",
    BASE_URL = "baseUrl",
    BEFORE = "before",
    BUSINESS_USE_CASE = "businessUseCase",
    CALL_COUNT_JS = "callCount",
    CALL_COUNT = "call_count",
    CONVERSATION_ID = "conversationId",
    CURSORS = "cursors",
    ALLOW_IN_BROWSER = "dangerouslyAllowAppSecretInBrowser",
    DATA = "data",
    DOCUMENT = "document",
    ERROR = "error",
    ESTIMATED_TIME_JS = "estimatedTimeToRegainAccessMinutes",
    ESTIMATED_TIME = "estimated_time_to_regain_access",
    FIELDS = "fields",
    FOLDER = "folder",
    ITEM_COUNT = "itemCount",
    LIMIT = "limit",
    MAX_ITEMS = "maxItems",
    MAX_PAGES = "maxPages",
    MAX_RETRIES = "maxRetries",
    NEXT = "next",
    ON_PAGE = "onPage",
    PAGE = "page",
    PAGE_ID = "pageId",
    PAGE_NUMBER = "pageNumber",
    PAGING = "paging",
    PLATFORM = "platform",
    PREVIOUS = "previous",
    REQUESTS_PER_SECOND = "requestsPerSecond",
    SIGNAL = "signal",
    TIMED_PROOF = "timedAppSecretProof",
    TIMEOUT_MS = "timeoutMs",
    TOKEN_IN = "tokenIn",
    TOTAL_CPUTIME_JS = "totalCputime",
    TOTAL_TIME_JS = "totalTime",
    TOTAL_CPUTIME = "total_cputime",
    TOTAL_TIME = "total_time",
    TYPE = "type",
    UPDATED_SINCE = "updatedSince",
    UPDATED_TIME = "updated_time",
    USER_ID = "userId",
    WINDOW = "window",
}
