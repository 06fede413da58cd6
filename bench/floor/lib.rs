//! The cold-start floor: one export doing what every page request of the package needs and
//! nothing else (no options, no retries, no paging, no redaction).
use wasm_bindgen::prelude::*;

/// `GET url` with `Authorization: Bearer token` through gloo-net; resolves to the parsed body.
#[wasm_bindgen]
pub fn list(url: String, token: String) -> js_sys::Promise {
    wasm_bindgen_futures::future_to_promise(async move {
        let authorization = String::from("Bearer ") + &token;
        let response = gloo_net::http::Request::get(&url)
            .header("Authorization", &authorization)
            .send()
            .await
            .map_err(|error| JsValue::from_str(&error.to_string()))?;
        let text = response.text().await.map_err(|error| JsValue::from_str(&error.to_string()))?;
        js_sys::JSON::parse(&text)
    })
}
