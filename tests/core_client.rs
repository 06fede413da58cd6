//! The request/retry loop over a scripted fake transport: what is sent, how often, and how long
//! it waits.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;

use futures_executor::block_on;
use page_conversations::client::{fetch_page, Reply, Transport};
use page_conversations::options::{conversations_options, OptionValue};
use page_conversations::proof::app_secret_proof;
use page_conversations::request::HttpRequest;
use page_conversations::response::BodyShape;
use page_conversations::usage::RateLimitUsage;
use page_conversations::{Error, Runtime};

const TOKEN: &str = "EAAMockPageToken0123456789";
const PAGE: &str =
    r#"{"data":[{"id":"t_1"}],"paging":{"cursors":{"before":"B","after":"A"},"next":"https://g/x?after=A"}}"#;

/// One scripted answer: a status and body (with an optional BUC header), or a transport error.
enum Scripted {
    Answer(u16, &'static str, Option<&'static str>),
    Fail(Error),
}

#[derive(Default)]
struct FakeTransport {
    script: RefCell<VecDeque<Scripted>>,
    sent: RefCell<Vec<HttpRequest>>,
    slept: RefCell<Vec<u64>>,
    clock: Cell<u64>,
}

impl FakeTransport {
    fn new(script: Vec<Scripted>) -> FakeTransport {
        FakeTransport {
            script: RefCell::new(script.into()),
            clock: Cell::new(1_700_000_000),
            ..Default::default()
        }
    }
}

impl Transport for FakeTransport {
    type Data = String;
    type Json = serde_json::Value;

    async fn get(&self, request: &HttpRequest, _timeout_ms: u32) -> Result<Reply<String>, Error> {
        self.sent.borrow_mut().push(request.clone());
        self.clock.set(self.clock.get() + 1);
        match self.script.borrow_mut().pop_front().expect("script ran out") {
            Scripted::Answer(status, body, buc) => Ok(Reply {
                status,
                usage: RateLimitUsage::from_headers(None, None, buc),
                shape: BodyShape::from_text(body),
                data: Some(String::from(body)),
            }),
            Scripted::Fail(error) => Err(error),
        }
    }

    async fn sleep(&self, ms: u64) {
        self.slept.borrow_mut().push(ms);
    }

    fn random(&self) -> f64 {
        0.5
    }

    fn now_ms(&self) -> f64 {
        self.clock.get() as f64 * 1000.0
    }
}

fn options(extra: &[(&'static str, OptionValue)]) -> page_conversations::RequestOptions {
    let extra = extra.to_vec();
    let source = move |name: &str| match extra.iter().find(|(n, _)| *n == name) {
        Some((_, value)) => value.clone(),
        None => match name {
            "pageId" => OptionValue::Text("1000000000000001".into()),
            "accessToken" => OptionValue::Text(TOKEN.into()),
            "baseUrl" => OptionValue::Text("http://127.0.0.1:1/prefix".into()),
            _ => OptionValue::Absent,
        },
    };
    conversations_options(&source, Runtime::default()).unwrap()
}

fn text(value: &str) -> OptionValue {
    OptionValue::Text(value.into())
}

#[test]
fn builds_the_request_with_every_option() {
    let transport = FakeTransport::new(vec![Scripted::Answer(200, PAGE, None)]);
    let options = options(&[
        ("platform", text("Instagram")),
        ("folder", text("other")),
        ("userId", text("42")),
        (
            "fields",
            OptionValue::TextList(vec!["id".into(), "messages.limit(2){id,message}".into()]),
        ),
        ("limit", OptionValue::Number(10.0)),
        ("after", text("QUZU")),
        ("appSecret", text("sec")),
    ]);
    let page = block_on(fetch_page(&transport, &options, None)).unwrap();
    assert_eq!(page.next_cursor.unwrap().encode(), "A");
    let sent = transport.sent.borrow();
    let proof = app_secret_proof(TOKEN, "sec", None);
    assert_eq!(
        sent[0].url,
        format!("http://127.0.0.1:1/prefix/v25.0/1000000000000001/conversations?fields=id%2Cmessages.limit%282%29%7Bid%2Cmessage%7D&platform=instagram&folder=other&user_id=42&limit=10&after=QUZU&appsecret_proof={proof}")
    );
    assert_eq!(
        sent[0].authorization.as_deref(),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(format!("{:?}", sent[0]), "HttpRequest { .. }");
}

#[test]
fn token_in_query_and_link_cursors_reuse_the_links_query() {
    let transport = FakeTransport::new(vec![Scripted::Answer(200, PAGE, None)]);
    let cursor = page_conversations::cursor::Cursor::from_link(
        "https://g/x?access_token=zzz&limit=5&__paging_token=P1&until=17",
        &page_conversations::redact::Secrets::default(),
    )
    .unwrap();
    let options = options(&[
        ("tokenIn", text("query")),
        ("limit", OptionValue::Number(25.0)),
        ("after", text(&cursor.encode())),
    ]);
    block_on(fetch_page(&transport, &options, None)).unwrap();
    let url = transport.sent.borrow()[0].url.clone();
    assert_eq!(url, format!("http://127.0.0.1:1/prefix/v25.0/1000000000000001/conversations?limit=25&__paging_token=P1&until=17&access_token={TOKEN}"));
    assert_eq!(transport.sent.borrow()[0].authorization, None);
}

#[test]
fn transient_failures_are_retried_with_growing_backoff_up_to_max_retries() {
    let transport = FakeTransport::new(vec![
        Scripted::Fail(Error::Network {
            detail: "refused".into(),
            reason: "refused".into(),
        }),
        Scripted::Answer(502, "<html>Bad gateway</html>", None),
        Scripted::Answer(200, PAGE, None),
    ]);
    block_on(fetch_page(&transport, &options(&[]), None)).unwrap();
    assert_eq!(transport.sent.borrow().len(), 3);
    assert_eq!(*transport.slept.borrow(), vec![625, 1250]);

    let transport = FakeTransport::new(vec![
        Scripted::Fail(Error::Timeout { timeout_ms: 5 }),
        Scripted::Fail(Error::Timeout { timeout_ms: 5 }),
        Scripted::Fail(Error::Timeout { timeout_ms: 5 }),
    ]);
    let error = block_on(fetch_page(&transport, &options(&[]), None)).unwrap_err();
    assert_eq!(error, Error::Timeout { timeout_ms: 5 });
    assert_eq!(transport.sent.borrow().len(), 3, "one attempt plus maxRetries = 2");
}

#[test]
fn never_retried_errors_fail_at_once_even_when_transient() {
    let transport = FakeTransport::new(vec![Scripted::Answer(
        400,
        r#"{"error":{"message":"expired","code":190,"error_subcode":463,"is_transient":true}}"#,
        None,
    )]);
    let error = block_on(fetch_page(&transport, &options(&[]), None)).unwrap_err();
    assert_eq!(error.class_name(), "AuthError");
    assert_eq!(transport.sent.borrow().len(), 1);
    assert!(transport.slept.borrow().is_empty());
}

#[test]
fn rate_limits_wait_as_long_as_graph_says_and_throw_when_too_long() {
    const LIMIT: &str = r#"{"error":{"message":"(#80006) too many","code":80006}}"#;
    let transport = FakeTransport::new(vec![
        Scripted::Answer(
            400,
            LIMIT,
            Some(r#"{"1":[{"type":"messenger","estimated_time_to_regain_access":0.5}]}"#),
        ),
        Scripted::Answer(200, PAGE, None),
    ]);
    block_on(fetch_page(&transport, &options(&[]), None)).unwrap();
    assert_eq!(*transport.slept.borrow(), vec![30_000]);

    let transport = FakeTransport::new(vec![Scripted::Answer(
        400,
        LIMIT,
        Some(r#"{"1":[{"type":"messenger","estimated_time_to_regain_access":2}]}"#),
    )]);
    let Err(Error::GraphApi(failure)) = block_on(fetch_page(&transport, &options(&[]), None)) else {
        panic!()
    };
    assert_eq!(failure.retry_after_ms, Some(120_000));
    assert_eq!(transport.sent.borrow().len(), 1);
    assert!(transport.slept.borrow().is_empty());
}

#[test]
fn timed_proofs_are_computed_afresh_for_every_attempt() {
    let transport = FakeTransport::new(vec![
        Scripted::Answer(
            500,
            r#"{"error":{"message":"Service temporarily unavailable","code":2,"is_transient":true}}"#,
            None,
        ),
        Scripted::Answer(200, PAGE, None),
    ]);
    let options = options(&[
        ("appSecret", text("sec")),
        ("timedAppSecretProof", OptionValue::Bool(true)),
    ]);
    block_on(fetch_page(&transport, &options, None)).unwrap();
    let sent = transport.sent.borrow();
    let time_of = |url: &str| url.split("appsecret_time=").nth(1).unwrap().to_owned();
    let (first, second) = (time_of(&sent[0].url), time_of(&sent[1].url));
    assert_ne!(first, second);
    for request in sent.iter() {
        let time: u64 = time_of(&request.url).parse().unwrap();
        let proof = app_secret_proof(TOKEN, "sec", Some(time));
        assert!(request.url.contains(&format!("appsecret_proof={proof}")));
    }
}

#[test]
fn given_proofs_are_sent_as_given() {
    let transport = FakeTransport::new(vec![Scripted::Answer(200, PAGE, None)]);
    let proof = "AB".repeat(32);
    let options = options(&[
        ("appSecretProof", text(&proof)),
        ("appSecretTime", OptionValue::Number(1_700_000_000.0)),
    ]);
    block_on(fetch_page(&transport, &options, None)).unwrap();
    let url = transport.sent.borrow()[0].url.clone();
    assert!(url.ends_with(&format!(
        "appsecret_proof={}&appsecret_time=1700000000",
        proof.to_lowercase()
    )));
}
