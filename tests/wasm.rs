//! The binding, compiled to wasm and run by wasm-bindgen-test in Node and in headless Chromium
//! (`WASM_BINDGEN_USE_BROWSER=1`), against the mock Graph whose URL is baked in at build time
//! through `PAGE_CONVERSATIONS_MOCK_URL`.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Object, Reflect};
use page_conversations::js::exports::app_secret_proof_export;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

mod wasm_support;
use wasm_support::*;

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
async fn html_truncated_and_wrongly_shaped_bodies_are_invalid_responses() {
    for spec in ["html=200", "truncate=1", "shape=data", "shape=paging", "shape=scalar", "shape=link"] {
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
    let proof = app_secret_proof_export(proof_arguments(TOKEN, APP_SECRET))
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
    let in_window = in_browser_window();
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
    let page = list_conversations(options(&[("baseUrl", base.into()), ("limit", 1.into())]))
        .await
        .unwrap();
    assert!(
        get(&page, "usage.app.callCount").as_f64().is_some(),
        "{}",
        stringify(&page)
    );
    assert!(get(&page, "usage.page.totalCputime").as_f64().is_some());
    let by_id = get(&page, "usage.businessUseCase");
    let entries = Array::from(&Reflect::get(&by_id, &PAGE_ID.into()).unwrap());
    assert_eq!(get(&entries.get(0), "type").as_string().as_deref(), Some("messenger"));
    assert_eq!(
        get(&entries.get(0), "estimatedTimeToRegainAccessMinutes").as_f64(),
        Some(0.0)
    );
    let plain = list_conversations(options(&[("limit", 1.into())])).await.unwrap();
    assert!(get(&plain, "usage").is_null());
}

// ---- the pager: the package's JS generator (pkg/pager.js) over the wasm PagerRun ----

#[wasm_bindgen::prelude::wasm_bindgen(module = "/pkg/pager.js")]
extern "C" {
    #[wasm_bindgen::prelude::wasm_bindgen(js_name = createPager)]
    fn create_pager(
        start: &js_sys::Function,
        on_page: &JsValue,
        to_array_limit: &js_sys::Function,
        decorate: &js_sys::Function,
        with_call_site: &js_sys::Function,
    ) -> JsValue;
}

/// `paginateConversations(options)` as the package entries build it.
fn paginate(options: JsValue) -> JsValue {
    use page_conversations::js::pager::{start_conversations_pager, to_array_limit};
    use wasm_bindgen::closure::Closure;
    let start_options = options.clone();
    let start = Closure::<dyn FnMut() -> Result<JsValue, JsValue>>::new(move || {
        start_conversations_pager(start_options.clone()).map(JsValue::from)
    });
    let limit = Closure::<dyn FnMut(JsValue) -> Result<f64, JsValue>>::new(to_array_limit);
    let unchanged = Closure::<dyn FnMut(JsValue) -> JsValue>::new(|error| error);
    let on_page = get(&options, "onPage");
    let pager = create_pager(
        start.as_ref().unchecked_ref(),
        &on_page,
        limit.as_ref().unchecked_ref(),
        unchanged.as_ref().unchecked_ref(),
        unchanged.as_ref().unchecked_ref(),
    );
    start.forget();
    limit.forget();
    unchanged.forget();
    pager
}

/// Every item of an async iterable, or the first error.
async fn collect_items(iterable: &JsValue) -> Result<Vec<JsValue>, JsValue> {
    let symbol = js_sys::Symbol::async_iterator();
    let make: js_sys::Function = Reflect::get(iterable, &symbol).unwrap().unchecked_into();
    let iterator = make.call0(iterable).unwrap();
    let mut items = Vec::new();
    loop {
        let step = call_async(&iterator, "next", &JsValue::UNDEFINED).await?;
        if get(&step, "done").as_bool() == Some(true) {
            return Ok(items);
        }
        items.push(get(&step, "value"));
    }
}

#[wasm_bindgen_test]
async fn the_pager_reads_a_whole_listing_exactly_once_through_every_quirk() {
    for spec in ["", "legacy=1", "empty=3"] {
        let id = unique("pager");
        let pages_seen = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
        let record = std::rc::Rc::clone(&pages_seen);
        let on_page = wasm_bindgen::closure::Closure::<dyn FnMut(JsValue)>::new(move |info: JsValue| {
            record.borrow_mut().push((
                get(&info, "pageNumber").as_f64().unwrap(),
                get(&info, "itemCount").as_f64().unwrap(),
            ));
        });
        let base = scenario(&format!("id={id};{spec}"));
        let object = options(&[
            ("baseUrl", base.into()),
            ("limit", 40.into()),
            ("requestsPerSecond", 0.into()),
            ("onPage", on_page.as_ref().clone()),
        ]);
        let items = collect_items(&paginate(object)).await.unwrap();
        let all_ids: Vec<String> = items.iter().map(|item| get(item, "id").as_string().unwrap()).collect();
        let unique_ids: std::collections::HashSet<&String> = all_ids.iter().collect();
        assert!(all_ids.len() > 100, "{spec}: {}", all_ids.len());
        assert_eq!(unique_ids.len(), all_ids.len(), "{spec}: a conversation was repeated");
        let pages = pages_seen.borrow().clone();
        assert_eq!(pages.last().unwrap().1 as usize, all_ids.len(), "{spec}");
        assert_eq!(
            pages.iter().map(|p| p.0 as usize).collect::<Vec<_>>(),
            (1..=pages.len()).collect::<Vec<_>>()
        );
        let requests = mock_log(&id).await.length() as usize;
        let empties = if spec == "empty=3" { 3 } else { 0 };
        assert_eq!(requests, pages.len() + empties, "{spec}: each page requested once");
    }
}

#[wasm_bindgen_test]
async fn the_pager_is_lazy_paced_and_abortable() {
    let id = unique("lazy");
    let base = scenario(&format!("id={id}"));
    let controller = web_sys::AbortController::new().unwrap();
    let object = options(&[
        ("baseUrl", base.into()),
        ("limit", 2.into()),
        ("requestsPerSecond", 4.into()),
        ("signal", controller.signal().into()),
    ]);
    let pager = paginate(object);
    assert_eq!(mock_log(&id).await.length(), 0, "nothing is fetched before iteration");
    let pages_fn: js_sys::Function = Reflect::get(&pager, &"pages".into()).unwrap().unchecked_into();
    let pages = pages_fn.call0(&pager).unwrap();
    let make: js_sys::Function = Reflect::get(&pages, &js_sys::Symbol::async_iterator())
        .unwrap()
        .unchecked_into();
    let iterator = make.call0(&pages).unwrap();
    let start = js_sys::Date::now();
    for _ in 0..3 {
        call_async(&iterator, "next", &JsValue::UNDEFINED).await.unwrap();
    }
    let elapsed = js_sys::Date::now() - start;
    assert!(
        elapsed >= 2.0 * 250.0 - 20.0,
        "3 requests at 4 per second take at least 500 ms, took {elapsed}"
    );
    assert_eq!(mock_log(&id).await.length(), 3, "one request per page asked for");
    // The next page waits for its pacing slot: aborting then rejects at once with the reason.
    let next: js_sys::Function = Reflect::get(&iterator, &"next".into()).unwrap().unchecked_into();
    let pending = js_sys::Promise::from(next.call0(&iterator).unwrap());
    controller.abort_with_reason(&"user left".into());
    let error = JsFuture::from(pending).await.unwrap_err();
    assert_eq!(error.as_string().as_deref(), Some("user left"));
    assert!(js_sys::Date::now() - start < elapsed + 200.0);
}

#[wasm_bindgen_test]
async fn randomized_inboxes_are_paged_exactly_once_in_order() {
    let (mut conversations, mut requests) = (0, 0);
    for seed in [2_u32, 7, 11, 999, 1000, 23, 42, 77] {
        let limit = 1 + seed % 37;
        let truth = mock_json(&format!("/__mock/random/{seed}?limit={limit}")).await;
        let expected: Vec<String> = Array::from(&get(&truth, "conversations"))
            .iter()
            .map(|c| get(&c, "id").as_string().unwrap())
            .collect();
        let id = unique("random");
        let base = scenario(&format!("id={id};random={seed}"));
        let object = options(&[
            ("baseUrl", base.into()),
            ("limit", limit.into()),
            ("requestsPerSecond", 0.into()),
        ]);
        let items = collect_items(&paginate(object)).await.unwrap();
        let got: Vec<String> = items.iter().map(|item| get(item, "id").as_string().unwrap()).collect();
        assert_eq!(got, expected, "seed {seed}");
        let served = Array::from(&get(&truth, "pages")).length();
        assert_eq!(
            mock_log(&id).await.length(),
            served.max(1),
            "seed {seed}: one request per page served"
        );
        conversations += got.len();
        requests += served;
    }
    assert!(
        conversations > 500 && requests > 40,
        "{conversations} conversations, {requests} requests"
    );
}

#[wasm_bindgen_test]
async fn pager_limits_and_failures() {
    let all: Vec<String> = {
        let object = options(&[("limit", 100.into()), ("requestsPerSecond", 0.into())]);
        collect_items(&paginate(object))
            .await
            .unwrap()
            .iter()
            .map(|c| get(c, "id").as_string().unwrap())
            .collect()
    };
    let run = |spec: &'static str, extra: Vec<(&'static str, JsValue)>| async move {
        let id = unique("limits");
        let mut pairs = vec![
            ("baseUrl", scenario(&format!("id={id};{spec}")).into()),
            ("requestsPerSecond", 0.into()),
        ];
        pairs.extend(extra);
        let result = collect_items(&paginate(options(&pairs))).await;
        let (ids, error) = match result {
            Ok(items) => (
                Some(
                    items
                        .iter()
                        .map(|c| get(c, "id").as_string().unwrap())
                        .collect::<Vec<_>>(),
                ),
                None,
            ),
            Err(error) => (None, Some(error)),
        };
        (ids, error, mock_log(&id).await.length())
    };
    let (ids, _, requests) = run("", vec![("limit", 10.into()), ("maxPages", 2.into())]).await;
    assert_eq!((ids.unwrap(), requests), (all[..20].to_vec(), 2));
    let (ids, _, requests) = run("", vec![("limit", 10.into()), ("maxItems", 15.into())]).await;
    assert_eq!((ids.unwrap(), requests), (all[..15].to_vec(), 2));
    let (ids, _, requests) = run("", vec![("limit", 1.into()), ("maxItems", 3.into())]).await;
    assert_eq!(
        (ids.unwrap(), requests),
        (all[..3].to_vec(), 3),
        "before == after pages are not the end"
    );
    let (_, error, requests) = run("emptyforever=1", vec![]).await;
    assert_eq!(
        (get(&error.unwrap(), "name").as_string().unwrap(), requests),
        ("PagingError".to_owned(), 10)
    );
    let (_, error, requests) = run("repeat=1", vec![("limit", 5.into())]).await;
    assert_eq!(
        (get(&error.unwrap(), "code").as_string().unwrap(), requests),
        ("ERR_PAGING".to_owned(), 2)
    );
    let (_, error, requests) = run("after=1;error=190.463", vec![("limit", 10.into())]).await;
    assert_eq!(
        (get(&error.unwrap(), "name").as_string().unwrap(), requests),
        ("AuthError".to_owned(), 2)
    );
    let (ids, _, requests) = run("after=1;times=1;html=502", vec![("limit", 50.into())]).await;
    assert_eq!(
        (ids.unwrap(), requests),
        (all.clone(), 4),
        "a transient failure on page 2 is retried"
    );
    // updatedSince stops at the first older conversation without fetching further.
    let first = list_conversations(options(&[("limit", 6.into())])).await.unwrap();
    let sixth = Array::from(&get(&first, "data")).get(5);
    let since = get(&sixth, "updated_time");
    let (ids, _, requests) = run("", vec![("limit", 3.into()), ("updatedSince", since)]).await;
    assert_eq!(ids.unwrap(), all[..6].to_vec());
    assert_eq!(
        requests, 3,
        "the page with the first older conversation is the last one fetched"
    );
}

// ---- adversarial options: the table of tests/js/bad-options.js, shared with Node and workerd ----

#[wasm_bindgen::prelude::wasm_bindgen(module = "/tests/js/bad-options.js")]
extern "C" {
    #[wasm_bindgen::prelude::wasm_bindgen(js_name = badOptionCases)]
    fn bad_option_cases(context: &JsValue) -> Array;
}

#[wasm_bindgen_test]
async fn adversarial_options_are_refused_by_every_call_before_any_request() {
    use page_conversations::js::pager::start_conversations_pager;
    let id = unique("adversarial");
    let context = Object::new();
    Reflect::set(&context, &"baseUrl".into(), &scenario(&format!("id={id}")).into()).unwrap();
    Reflect::set(&context, &"accessToken".into(), &TOKEN.into()).unwrap();
    let cases = bad_option_cases(&context.into());
    let mut problems = Vec::new();
    let mut per_call = std::collections::BTreeMap::new();
    for case in cases.iter() {
        let label = get(&case, "label").as_string().unwrap();
        let call = get(&case, "call").as_string().unwrap();
        let options = get(&case, "options");
        let expected: Vec<String> = Array::from(&get(&case, "option"))
            .iter()
            .filter_map(|name| name.as_string())
            .collect();
        let result = match call.as_str() {
            "listConversations" => list_conversations(options).await.map(drop),
            "listMessages" => list_messages(options).await.map(drop),
            "paginateConversations" => start_conversations_pager(options).map(drop),
            other => panic!("{label}: unknown call {other}"),
        };
        *per_call.entry(call).or_insert(0) += 1;
        let Err(error) = result else {
            problems.push(format!("{label}: accepted"));
            continue;
        };
        let name = get(&error, "name").as_string().unwrap_or_default();
        let code = get(&error, "code").as_string().unwrap_or_default();
        let option = get(&error, "option").as_string().unwrap_or_default();
        let message = get(&error, "message").as_string().unwrap_or_default();
        if !error.is_instance_of::<js_sys::Error>() || name != "InvalidOptionsError" || code != "ERR_INVALID_OPTIONS" {
            problems.push(format!("{label}: {name} ({code}): {message}"));
        } else if !expected.contains(&option) || !message.contains(&option) {
            problems.push(format!(
                "{label}: names {option:?}, expected one of {expected:?} ({message})"
            ));
        } else if message.contains(TOKEN) {
            problems.push(format!("{label}: the message holds the token"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(cases.length() >= 40, "{} cases", cases.length());
    assert!(per_call.values().all(|&n| n >= 10), "{per_call:?}");
    assert_eq!(mock_log(&id).await.length(), 0, "no request was sent");
}

// ---- browser windows: preflights, token placement and the app secret (GRAPH.md, API.md) ----

#[wasm_bindgen_test]
async fn a_refused_preflight_fails_opaquely_only_for_header_tokens_in_a_browser() {
    // Graph answers the preflight of a request with a bad token with 400 and no CORS headers
    // (`preflight=400`): a browser then fails the request without sending it, and the JSON error
    // is lost. A simple request (the token in the query, the browser default) has no preflight.
    let in_window = in_browser_window();
    let id = unique("preflight");
    let base = scenario(&format!("id={id};preflight=400"));
    let default = list_conversations(options(&[("baseUrl", base.clone().into()), ("limit", 1.into())])).await;
    assert_eq!(
        ids(&default.expect("the default placement needs no preflight")).len(),
        1
    );
    // maxRetries 0: a network failure is retried otherwise (each retry a refused preflight too).
    let header = list_conversations(options(&[
        ("baseUrl", base.into()),
        ("limit", 1.into()),
        ("tokenIn", "header".into()),
        ("maxRetries", 0.into()),
    ]))
    .await;
    let log = log_summary(&id).await;
    let get_ok = |placement: &str| ("GET".to_owned(), 200.0, placement.to_owned());
    if in_window {
        let error = header.expect_err("a refused preflight must fail the request");
        assert!(error.is_instance_of::<js_sys::Error>());
        assert_eq!(get(&error, "name").as_string().as_deref(), Some("NetworkError"));
        assert_eq!(get(&error, "code").as_string().as_deref(), Some("ERR_NETWORK"));
        for text in [
            get(&error, "message").as_string().unwrap_or_default(),
            get(&error, "stack").as_string().unwrap_or_default(),
            stringify(&error),
        ] {
            assert!(!text.contains(TOKEN) && !text.contains("access_token"), "{text}");
        }
        assert_eq!(
            log,
            vec![get_ok("query"), ("OPTIONS".to_owned(), 400.0, String::new())],
            "the query request went through without a preflight; the header one never left the browser"
        );
    } else {
        // Node's fetch sends no preflight: both placements reach Graph.
        assert_eq!(ids(&header.expect("no preflight outside browsers")).len(), 1);
        assert_eq!(log, vec![get_ok("header"), get_ok("header")]);
    }
}

#[wasm_bindgen_test]
async fn the_app_secret_is_refused_in_a_browser_window_unless_dangerously_allowed() {
    let in_window = in_browser_window();
    let proof = app_secret_proof_export(proof_arguments(TOKEN, APP_SECRET))
        .await
        .unwrap()
        .as_string()
        .unwrap();
    let id = unique("secret");
    let base = scenario(&format!("id={id};requireproof=1"));
    let plain = list_conversations(options(&[
        ("baseUrl", base.clone().into()),
        ("limit", 1.into()),
        ("appSecret", APP_SECRET.into()),
    ]))
    .await;
    if in_window {
        let error = plain.expect_err("appSecret in a browser window");
        assert_eq!(get(&error, "name").as_string().as_deref(), Some("InvalidOptionsError"));
        assert_eq!(get(&error, "option").as_string().as_deref(), Some("appSecret"));
        let message = get(&error, "message").as_string().unwrap();
        assert!(!message.contains(APP_SECRET) && !message.contains(TOKEN), "{message}");
        assert_eq!(mock_log(&id).await.length(), 0, "refused before any request");
    } else {
        assert_eq!(ids(&plain.expect("appSecret outside a browser window")).len(), 1);
    }
    let allowed = list_conversations(options(&[
        ("baseUrl", base.into()),
        ("limit", 1.into()),
        ("appSecret", APP_SECRET.into()),
        ("dangerouslyAllowAppSecretInBrowser", true.into()),
    ]))
    .await
    .expect("allowed explicitly, everywhere");
    assert_eq!(ids(&allowed).len(), 1);
    assert!(!stringify(&allowed).contains(&proof));
    let log: Vec<JsValue> = mock_log(&id).await.iter().collect();
    assert_eq!(log.len(), if in_window { 1 } else { 2 });
    let default_placement = if in_window { "query" } else { "header" };
    for entry in &log {
        assert_eq!(get(entry, "method").as_string().as_deref(), Some("GET"));
        assert_eq!(get(entry, "status").as_f64(), Some(200.0));
        assert_eq!(get(entry, "proof").as_string().as_deref(), Some(proof.as_str()));
        assert_eq!(
            get(entry, "tokenIn").as_string().as_deref(),
            Some(default_placement),
            "the default tokenIn"
        );
    }
}

#[wasm_bindgen_test]
async fn redirects_are_invalid_responses_and_never_followed() {
    let id = unique("redirect");
    let base = scenario(&format!("id={id};redirect=302"));
    let error = list_conversations(options(&[("baseUrl", base.into())])).await.unwrap_err();
    assert_eq!(get(&error, "name").as_string().as_deref(), Some("InvalidResponseError"));
    // A browser hides a redirect's status (an `opaqueredirect` response has status 0).
    let status = get(&error, "status").as_f64();
    assert!(status == Some(302.0) || status == Some(0.0), "{status:?}");
    assert_eq!(mock_log(&id).await.length(), 1, "not retried");
    assert_eq!(mock_log(&format!("{id}-followed")).await.length(), 0, "followed");
    assert!(!stringify(&get(&error, "message")).contains(TOKEN));
}

#[wasm_bindgen_test]
async fn a_network_error_names_what_it_tried_and_keeps_the_runtime_error_as_cause() {
    let object = options(&[("baseUrl", "http://127.0.0.1:1".into()), ("maxRetries", 0.into())]);
    let error = list_conversations(object).await.unwrap_err();
    assert_eq!(get(&error, "name").as_string().as_deref(), Some("NetworkError"));
    let message = get(&error, "message").as_string().unwrap();
    let version = page_conversations::DEFAULT_API_VERSION;
    let tried = format!("Network error: GET http://127.0.0.1:1/{version}/{PAGE_ID}/conversations failed: ");
    assert!(message.starts_with(&tried), "{message}");
    assert!(!message.contains(TOKEN) && !message.contains('?'), "{message}");
    assert!(get(&error, "cause").is_instance_of::<js_sys::Error>());
}
