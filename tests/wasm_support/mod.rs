//! What the wasm tests share (tests/wasm.rs, tests/wasm_worker.rs): the mock Graph's URL (baked
//! in at build time through `PAGE_CONVERSATIONS_MOCK_URL`), its scenarios and request log, and
//! the package's calls as its entries make them.
#![allow(dead_code)] // each test crate uses part of it

use js_sys::{Array, Object, Reflect, JSON};
use page_conversations::js::exports;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

pub const PAGE_ID: &str = "1000000000000001";
pub const TOKEN: &str = "EAAMockPageToken0123456789";
pub const APP_SECRET: &str = "0123456789abcdef0123456789abcdef";

pub fn mock_url() -> &'static str {
    match option_env!("PAGE_CONVERSATIONS_MOCK_URL") {
        Some(url) => url,
        None => panic!("build with PAGE_CONVERSATIONS_MOCK_URL set to the mock Graph's URL (make test does)"),
    }
}

/// A base URL selecting a mock scenario, e.g. `scenario("id=x;error=190")`.
pub fn scenario(spec: &str) -> String {
    format!("{}/_/{}", mock_url(), spec)
}

/// `listConversations(options)` as the package's entries call it.
pub async fn list_conversations(options: JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(exports::list_conversations(options)).await
}

/// `listMessages(options)` as the package's entries call it.
pub async fn list_messages(options: JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(exports::list_messages(options)).await
}

pub fn unique(name: &str) -> String {
    format!("{name}-{}", (js_sys::Math::random() * 1e12) as u64)
}

pub fn options(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    Reflect::set(&object, &"pageId".into(), &PAGE_ID.into()).unwrap();
    Reflect::set(&object, &"accessToken".into(), &TOKEN.into()).unwrap();
    Reflect::set(&object, &"baseUrl".into(), &mock_url().into()).unwrap();
    for (name, value) in pairs {
        Reflect::set(&object, &(*name).into(), value).unwrap();
    }
    object.into()
}

pub fn get(object: &JsValue, path: &str) -> JsValue {
    path.split('.')
        .fold(object.clone(), |value, key| Reflect::get(&value, &key.into()).unwrap())
}

pub fn ids(page: &JsValue) -> Vec<String> {
    Array::from(&get(page, "data"))
        .iter()
        .map(|item| get(&item, "id").as_string().unwrap())
        .collect()
}

pub fn stringify(value: &JsValue) -> String {
    JSON::stringify(value).unwrap().into()
}

/// The mock's request log of a run.
pub async fn mock_log(run_id: &str) -> Array {
    mock_json(&format!("/__mock/log/{run_id}")).await.unchecked_into()
}

/// `GET {mock}{path}` as JSON.
pub async fn mock_json(path: &str) -> JsValue {
    let global = js_sys::global();
    let fetch: js_sys::Function = Reflect::get(&global, &"fetch".into()).unwrap().unchecked_into();
    let url = format!("{}{}", mock_url(), path);
    let response = JsFuture::from(js_sys::Promise::from(fetch.call1(&global, &url.into()).unwrap()))
        .await
        .unwrap();
    call_async(&response, "json", &JsValue::UNDEFINED).await.unwrap()
}

/// Calls `method` of `object` and awaits the promise it returns.
pub async fn call_async(object: &JsValue, method: &str, argument: &JsValue) -> Result<JsValue, JsValue> {
    let function: js_sys::Function = Reflect::get(object, &method.into()).unwrap().unchecked_into();
    JsFuture::from(js_sys::Promise::from(function.call1(object, argument)?)).await
}

/// Whether the tests run in a browser window (`window` and `document` both exist), as the
/// package decides it.
pub fn in_browser_window() -> bool {
    let global = js_sys::global();
    let defined = |name: &str| !Reflect::get(&global, &name.into()).unwrap().is_undefined();
    defined("window") && defined("document")
}

/// `[method, status, tokenIn]` of each entry of a run's log.
pub async fn log_summary(run_id: &str) -> Vec<(String, f64, String)> {
    mock_log(run_id)
        .await
        .iter()
        .map(|entry| {
            (
                get(&entry, "method").as_string().unwrap(),
                get(&entry, "status").as_f64().unwrap_or(-1.0),
                get(&entry, "tokenIn").as_string().unwrap_or_default(),
            )
        })
        .collect()
}

/// The arguments of `appSecretProof` as the package hands them to the wasm export.
pub fn proof_arguments(token: &str, app_secret: &str) -> JsValue {
    let object = js_sys::Object::new();
    js_sys::Reflect::set(&object, &"accessToken".into(), &token.into()).unwrap();
    js_sys::Reflect::set(&object, &"appSecret".into(), &app_secret.into()).unwrap();
    object.into()
}
