//! The binding in a browser's dedicated worker (headless Chromium; `make test` runs this file only
//! there): a worker is not a browser window (it has no `document`), so the token goes in the
//! `Authorization` header by default, which makes the request a CORS-preflighted one, and the app
//! secret is accepted without `dangerouslyAllowAppSecretInBrowser`.
#![cfg(target_arch = "wasm32")]

use js_sys::Reflect;
use page_conversations::js::exports::app_secret_proof_export;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

mod wasm_support;
use wasm_support::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

/// `[method, status, tokenIn]` of a GET answered 200 with the token in `placement`.
fn get_ok(placement: &str) -> (String, f64, String) {
    ("GET".to_owned(), 200.0, placement.to_owned())
}

#[wasm_bindgen_test]
async fn a_dedicated_worker_is_not_a_browser_window() {
    let global = js_sys::global();
    assert!(Reflect::get(&global, &"document".into()).unwrap().is_undefined());
    assert!(!Reflect::get(&global, &"importScripts".into()).unwrap().is_undefined(), "a worker's global scope");
    assert!(!in_browser_window());
}

#[wasm_bindgen_test]
async fn the_token_goes_in_a_header_by_default_after_a_preflight() {
    let id = unique("worker-placement");
    let base = scenario(&format!("id={id}"));
    let page = list_conversations(options(&[("baseUrl", base.clone().into()), ("limit", 2.into())]))
        .await
        .unwrap();
    assert_eq!(ids(&page).len(), 2);
    list_conversations(options(&[("baseUrl", base.into()), ("limit", 1.into()), ("tokenIn", "query".into())]))
        .await
        .unwrap();
    let log = log_summary(&id).await;
    let preflight = log.iter().filter(|(method, _, _)| method == "OPTIONS").count();
    let gets: Vec<_> = log.into_iter().filter(|(method, _, _)| method == "GET").collect();
    assert_eq!(gets, vec![get_ok("header"), get_ok("query")]);
    assert_eq!(preflight, 1, "the header request was preflighted, the query one was not");
}

#[wasm_bindgen_test]
async fn a_refused_preflight_fails_the_default_request_opaquely() {
    // Graph answers the preflight of a request with a bad token with 400 and no CORS headers: in a
    // worker, the default (header) placement then fails as a NetworkError without the token in it.
    let id = unique("worker-preflight");
    let base = scenario(&format!("id={id};preflight=400"));
    let error = list_conversations(options(&[("baseUrl", base.into()), ("maxRetries", 0.into())]))
        .await
        .expect_err("a refused preflight fails the request");
    assert_eq!(get(&error, "name").as_string().as_deref(), Some("NetworkError"));
    let text = stringify(&error) + &get(&error, "message").as_string().unwrap_or_default();
    assert!(!text.contains(TOKEN) && !text.contains("access_token"), "{text}");
    assert_eq!(log_summary(&id).await, vec![("OPTIONS".to_owned(), 400.0, String::new())]);
}

#[wasm_bindgen_test]
async fn the_app_secret_is_accepted_in_a_worker() {
    let id = unique("worker-secret");
    let base = scenario(&format!("id={id};requireproof=1"));
    let page = list_conversations(options(&[
        ("baseUrl", base.into()),
        ("limit", 1.into()),
        ("appSecret", APP_SECRET.into()),
    ]))
    .await
    .expect("appSecret outside a browser window");
    assert_eq!(ids(&page).len(), 1);
    let proof = app_secret_proof_export(proof_arguments(TOKEN, APP_SECRET));
    let proof = wasm_bindgen_futures::JsFuture::from(proof).await.unwrap().as_string().unwrap();
    let logged = mock_log(&id).await;
    let proofs: Vec<String> = logged
        .iter()
        .filter(|entry| get(entry, "method").as_string().as_deref() == Some("GET"))
        .map(|entry| get(&entry, "proof").as_string().unwrap_or_default())
        .collect();
    assert_eq!(proofs, vec![proof]);
}
