//! The binding, compiled to wasm and run by wasm-bindgen-test in Node and in headless Chromium
//! (`WASM_BINDGEN_USE_BROWSER=1`), against the mock Graph whose URL is baked in at build time
//! through `PAGE_CONVERSATIONS_MOCK_URL`.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Object, Reflect, JSON};
use page_conversations::js::exports::{app_secret_proof_export, list_conversations, list_messages};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

const PAGE_ID: &str = "1000000000000001";
const TOKEN: &str = "EAAMockPageToken0123456789";
const APP_SECRET: &str = "0123456789abcdef0123456789abcdef";

fn mock_url() -> &'static str {
    match option_env!("PAGE_CONVERSATIONS_MOCK_URL") {
        Some(url) => url,
        None => panic!("build with PAGE_CONVERSATIONS_MOCK_URL set to the mock Graph's URL (make test does)"),
    }
}

/// A base URL selecting a mock scenario, e.g. `scenario("id=x;error=190")`.
fn scenario(spec: &str) -> String {
    format!("{}/_/{}", mock_url(), spec)
}

fn unique(name: &str) -> String {
    format!("{name}-{}", (js_sys::Math::random() * 1e12) as u64)
}

fn options(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    Reflect::set(&object, &"pageId".into(), &PAGE_ID.into()).unwrap();
    Reflect::set(&object, &"accessToken".into(), &TOKEN.into()).unwrap();
    Reflect::set(&object, &"baseUrl".into(), &mock_url().into()).unwrap();
    for (name, value) in pairs {
        Reflect::set(&object, &(*name).into(), value).unwrap();
    }
    object.into()
}

fn get(object: &JsValue, path: &str) -> JsValue {
    path.split('.')
        .fold(object.clone(), |value, key| Reflect::get(&value, &key.into()).unwrap())
}

fn ids(page: &JsValue) -> Vec<String> {
    Array::from(&get(page, "data"))
        .iter()
        .map(|item| get(&item, "id").as_string().unwrap())
        .collect()
}

fn stringify(value: &JsValue) -> String {
    JSON::stringify(value).unwrap().into()
}

async fn mock_log(run_id: &str) -> Array {
    let global = js_sys::global();
    let fetch: js_sys::Function = Reflect::get(&global, &"fetch".into()).unwrap().unchecked_into();
    let url = format!("{}/__mock/log/{}", mock_url(), run_id);
    let response = JsFuture::from(js_sys::Promise::from(fetch.call1(&global, &url.into()).unwrap()))
        .await
        .unwrap();
    let json = Reflect::get(&response, &"json".into())
        .unwrap()
        .unchecked_into::<js_sys::Function>();
    let body = JsFuture::from(js_sys::Promise::from(json.call0(&response).unwrap()))
        .await
        .unwrap();
    body.unchecked_into()
}

#[wasm_bindgen_test]
async fn lists_a_page_and_continues_from_its_cursor() {
    let first = list_conversations(options(&[("limit", 10.into())])).await.unwrap();
    assert_eq!(ids(&first).len(), 10);
    assert!(get(&first, "paging.previousCursor").is_null());
    let next = get(&first, "paging.nextCursor");
    assert!(next.is_string());
    let second = list_conversations(options(&[("limit", 10.into()), ("after", next)]))
        .await
        .unwrap();
    let (a, b) = (ids(&first), ids(&second));
    assert_eq!(b.len(), 10);
    assert!(a.iter().all(|id| !b.contains(id)), "pages overlap");
    assert!(get(&second, "paging.previousCursor").is_string());
    assert!(!stringify(&first).contains(TOKEN));
}

#[wasm_bindgen_test]
async fn nested_links_are_cleaned_of_the_token_and_fields_are_sent() {
    let page = list_conversations(options(&[
        ("limit", 3.into()),
        ("tokenIn", "query".into()),
        (
            "fields",
            "id,updated_time,participants,messages.limit(2){id,message,from}".into(),
        ),
    ]))
    .await
    .unwrap();
    let text = stringify(&page);
    assert!(text.contains("\"participants\""), "{text}");
    assert!(text.contains("\"next\""), "nested paging links are kept");
    assert!(!text.contains(TOKEN) && !text.contains("access_token"), "{text}");
}

#[wasm_bindgen_test]
async fn messages_of_a_thread() {
    let page = list_conversations(options(&[("limit", 1.into())])).await.unwrap();
    let conversation_id = ids(&page).remove(0);
    let object = options(&[
        ("conversationId", conversation_id.into()),
        ("fields", "id,message,created_time".into()),
    ]);
    let messages = list_messages(object).await.unwrap();
    assert!(!ids(&messages).is_empty());
}

#[wasm_bindgen_test]
async fn graph_errors_become_error_classes_with_fields() {
    let id = unique("auth");
    let error = list_conversations(options(&[(
        "baseUrl",
        scenario(&format!("id={id};error=190.463")).into(),
    )]))
    .await
    .unwrap_err();
    assert!(error.is_instance_of::<js_sys::Error>());
    assert_eq!(get(&error, "name").as_string().as_deref(), Some("AuthError"));
    assert_eq!(get(&error, "code").as_string().as_deref(), Some("ERR_GRAPH_AUTH"));
    assert_eq!(get(&error, "graphCode").as_f64(), Some(190.0));
    assert_eq!(get(&error, "graphSubcode").as_f64(), Some(463.0));
    assert_eq!(get(&error, "status").as_f64(), Some(400.0));
    assert_eq!(get(&error, "isTransient").as_bool(), Some(false));
    assert!(get(&error, "fbtraceId").is_string());
    assert_eq!(mock_log(&id).await.length(), 1, "auth errors are not retried");
}

#[wasm_bindgen_test]
async fn echoed_tokens_never_reach_the_error() {
    let base = scenario(&format!("id={};error=190;echo=1", unique("echo")));
    let error = list_conversations(options(&[("baseUrl", base.into())]))
        .await
        .unwrap_err();
    let message = get(&error, "message").as_string().unwrap();
    assert!(!message.contains(TOKEN) && message.contains("[REDACTED]"), "{message}");
    assert!(!get(&error, "stack").as_string().unwrap_or_default().contains(TOKEN));
}

#[wasm_bindgen_test]
async fn transient_failures_are_retried() {
    let id = unique("retry");
    let base = scenario(&format!("id={id};html=502;times=1"));
    let page = list_conversations(options(&[("baseUrl", base.into()), ("limit", 2.into())]))
        .await
        .unwrap();
    assert_eq!(ids(&page).len(), 2);
    assert_eq!(mock_log(&id).await.length(), 2);
}

#[wasm_bindgen_test]
async fn html_and_truncated_bodies_are_invalid_responses() {
    for spec in ["html=200", "truncate=1"] {
        let base = scenario(&format!("id={};{spec}", unique("invalid")));
        let error = list_conversations(options(&[("baseUrl", base.into())]))
            .await
            .unwrap_err();
        assert_eq!(
            get(&error, "name").as_string().as_deref(),
            Some("InvalidResponseError"),
            "{spec}"
        );
        assert_eq!(get(&error, "status").as_f64(), Some(200.0));
    }
}

#[wasm_bindgen_test]
async fn attempts_time_out() {
    let base = scenario(&format!("id={};slow=3000", unique("slow")));
    let object = options(&[
        ("baseUrl", base.into()),
        ("timeoutMs", 150.into()),
        ("maxRetries", 0.into()),
    ]);
    let error = list_conversations(object).await.unwrap_err();
    assert_eq!(get(&error, "code").as_string().as_deref(), Some("ERR_TIMEOUT"));
    assert_eq!(get(&error, "timeoutMs").as_f64(), Some(150.0));
}

#[wasm_bindgen_test]
async fn aborting_with_any_reason_rejects_with_it_and_the_instance_survives() {
    let controller = web_sys::AbortController::new().unwrap();
    let base = scenario(&format!("id={};slow=3000", unique("abort")));
    let object = options(&[("baseUrl", base.into()), ("signal", controller.signal().into())]);
    let call = list_conversations(object);
    let abort_soon = async {
        gloo_timers_sleep(50).await;
        controller.abort_with_reason(&"navigated away".into());
    };
    let (result, ()) = futures_util::future::join(call, abort_soon).await;
    assert_eq!(result.unwrap_err().as_string().as_deref(), Some("navigated away"));
    // An already-aborted signal rejects at once, with its reason.
    let object = options(&[("signal", controller.signal().into())]);
    assert_eq!(
        list_conversations(object).await.unwrap_err().as_string().as_deref(),
        Some("navigated away")
    );
    // The instance still works.
    assert_eq!(
        ids(&list_conversations(options(&[("limit", 1.into())])).await.unwrap()).len(),
        1
    );
}

#[wasm_bindgen_test]
async fn bad_options_are_refused_before_any_request() {
    let id = unique("bad");
    let base = scenario(&format!("id={id}"));
    let cases: [(&str, JsValue); 4] = [
        ("pageId", "../1000000000000001".into()),
        ("accessToken", "EAA\r\nX: y".into()),
        ("limit", 0.into()),
        ("signal", "not a signal".into()),
    ];
    for (name, value) in cases {
        let object = options(&[("baseUrl", base.clone().into()), (name, value)]);
        let error = list_conversations(object).await.unwrap_err();
        assert_eq!(get(&error, "name").as_string().as_deref(), Some("InvalidOptionsError"));
        assert_eq!(get(&error, "option").as_string().as_deref(), Some(name));
    }
    assert_eq!(mock_log(&id).await.length(), 0);
}

#[wasm_bindgen_test]
async fn app_secret_proofs_are_accepted_by_graph() {
    let proof = app_secret_proof_export(TOKEN.into(), APP_SECRET.into(), JsValue::UNDEFINED)
        .await
        .unwrap();
    assert_eq!(proof.as_string().unwrap().len(), 64);
    let base = scenario(&format!("id={};requireproof=1", unique("proof")));
    let object = options(&[("baseUrl", base.into()), ("appSecretProof", proof), ("limit", 1.into())]);
    assert_eq!(ids(&list_conversations(object).await.unwrap()).len(), 1);
}

/// Waits `ms` with the global `setTimeout`.
async fn gloo_timers_sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let global = js_sys::global();
        let set_timeout: js_sys::Function = Reflect::get(&global, &"setTimeout".into()).unwrap().unchecked_into();
        set_timeout.call2(&global, &resolve, &ms.into()).unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn the_token_goes_in_the_query_in_a_browser_window_and_in_a_header_elsewhere() {
    let global = js_sys::global();
    let defined = |name: &str| !Reflect::get(&global, &name.into()).unwrap().is_undefined();
    let in_window = defined("window") && defined("document");
    let id = unique("placement");
    let base = scenario(&format!("id={id}"));
    list_conversations(options(&[("baseUrl", base.clone().into()), ("limit", 1.into())]))
        .await
        .unwrap();
    list_conversations(options(&[
        ("baseUrl", base.into()),
        ("limit", 1.into()),
        ("tokenIn", "header".into()),
    ]))
    .await
    .unwrap();
    let placements: Vec<String> = mock_log(&id)
        .await
        .iter()
        .filter(|entry| get(entry, "method").as_string().as_deref() == Some("GET"))
        .map(|entry| get(&entry, "tokenIn").as_string().unwrap())
        .collect();
    let default = if in_window { "query" } else { "header" };
    assert_eq!(placements, vec![default.to_owned(), "header".to_owned()]);
}

#[wasm_bindgen_test]
async fn usage_headers_are_parsed_when_readable() {
    let base = scenario(&format!("id={};usage=app,page,buc;eta=0;expose=1", unique("usage")));
    let page = list_conversations(options(&[("baseUrl", base.into()), ("limit", 1.into())])).await.unwrap();
    assert!(get(&page, "usage.app.callCount").as_f64().is_some(), "{}", stringify(&page));
    assert!(get(&page, "usage.page.totalCputime").as_f64().is_some());
    let by_id = get(&page, "usage.businessUseCase");
    let entries = Array::from(&Reflect::get(&by_id, &PAGE_ID.into()).unwrap());
    assert_eq!(get(&entries.get(0), "type").as_string().as_deref(), Some("messenger"));
    assert_eq!(get(&entries.get(0), "estimatedTimeToRegainAccessMinutes").as_f64(), Some(0.0));
    let plain = list_conversations(options(&[("limit", 1.into())])).await.unwrap();
    assert!(get(&plain, "usage").is_null());
}
