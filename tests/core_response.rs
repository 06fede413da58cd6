//! Reading Graph's answers: every paging quirk of GRAPH.md, error envelopes in any status, and
//! bodies that are not what they should be. Fixtures are Graph's own shapes.

use page_conversations::cursor::Cursor;
use page_conversations::error::{ApiErrorClass, Error};
use page_conversations::redact::Secrets;
use page_conversations::response::{read_response, BodyShape, PageCursors};
use page_conversations::usage::RateLimitUsage;

const TOKEN: &str = "EAAMockPageToken0123456789";

fn read(status: u16, body: &str) -> Result<PageCursors, Error> {
    read_response(status, &BodyShape::from_text(body), None, &Secrets::new(&[TOKEN]))
}

fn graph(cursor: &str) -> Option<Cursor> {
    Some(Cursor::Graph(cursor.into()))
}

#[test]
fn cursors_come_from_graph_cursors_when_links_say_a_page_exists() {
    let body = r#"{"data":[{"id":"t_1","updated_time":"2026-11-20T09:28:50+0000"}],
        "paging":{"cursors":{"before":"QkVG","after":"QUZU"},
        "next":"https://graph.facebook.com/v25.0/1/conversations?access_token=EAAMockPageToken0123456789&limit=1&after=QUZU",
        "previous":"https://graph.facebook.com/v25.0/1/conversations?access_token=EAAMockPageToken0123456789&limit=1&before=QkVG"}}"#;
    assert_eq!(
        read(200, body).unwrap(),
        PageCursors {
            next: graph("QUZU"),
            previous: graph("QkVG")
        }
    );
}

#[test]
fn after_cursor_on_the_last_page_is_not_followed() {
    let body = r#"{"data":[{"id":"t_1"}],"paging":{"cursors":{"before":"QkVG","after":"QUZU"}}}"#;
    assert_eq!(
        read(200, body).unwrap(),
        PageCursors {
            next: None,
            previous: None
        }
    );
}

#[test]
fn before_equal_to_after_is_not_an_end() {
    let body = r#"{"data":[{"id":"t_1"}],"paging":{"cursors":{"before":"SAME","after":"SAME"},"next":"https://g/x?after=SAME","previous":"https://g/x?before=SAME"}}"#;
    assert_eq!(
        read(200, body).unwrap(),
        PageCursors {
            next: graph("SAME"),
            previous: graph("SAME")
        }
    );
}

#[test]
fn empty_page_with_next_still_has_a_next_cursor() {
    let body = r#"{"data":[],"paging":{"cursors":{"before":"B","after":"A"},"next":"https://g/x?after=A"}}"#;
    assert_eq!(read(200, body).unwrap().next, graph("A"));
    assert_eq!(read(200, r#"{"data":[]}"#).unwrap(), PageCursors::default());
}

#[test]
fn legacy_link_only_paging_gives_cursors_without_the_token() {
    let body = r#"{"data":[{"id":"t_1"}],"paging":{
        "next":"https:\/\/graph.facebook.com\/v25.0\/1\/conversations?access_token=EAAMockPageToken0123456789&limit=25&until=1700000000&__paging_token=enc_AdA",
        "previous":"https://graph.facebook.com/v25.0/1/conversations?limit=25&since=1700000500&access_token=EAAMockPageToken0123456789&__paging_token=enc_AdB&__previous=1"}}"#;
    let cursors = read(200, body).unwrap();
    let next = cursors.next.unwrap();
    assert_eq!(
        next,
        Cursor::Link(vec![
            ("limit".into(), "25".into()),
            ("until".into(), "1700000000".into()),
            ("__paging_token".into(), "enc_AdA".into())
        ])
    );
    let encoded = next.encode();
    assert!(!encoded.contains(TOKEN));
    assert_eq!(Cursor::parse(&encoded).unwrap(), next);
    assert!(!cursors.previous.unwrap().encode().contains(TOKEN));
}

#[test]
fn a_link_without_anything_to_continue_from_is_an_invalid_response() {
    let body = r#"{"data":[],"paging":{"next":"https://graph.facebook.com/v25.0/1/conversations?access_token=EAAMockPageToken0123456789"}}"#;
    assert!(matches!(
        read(200, body),
        Err(Error::InvalidResponse { status: 200, .. })
    ));
}

#[test]
fn error_envelopes_are_classified_in_any_status() {
    let table: &[(u16, &str, ApiErrorClass)] = &[
        (
            400,
            r#"{"error":{"message":"Error validating access token: Session has expired","type":"OAuthException","code":190,"error_subcode":463,"fbtrace_id":"AbC"}}"#,
            ApiErrorClass::Auth,
        ),
        (
            200,
            r#"{"error":{"message":"(#4) Application request limit reached","type":"OAuthException","code":4,"is_transient":true}}"#,
            ApiErrorClass::RateLimit,
        ),
        (
            403,
            r#"{"error":{"message":"(#10) Requires pages_messaging permission","type":"OAuthException","code":10}}"#,
            ApiErrorClass::Permission,
        ),
        (
            500,
            r#"{"error":{"message":"(#80006) There have been too many messages requests","type":"OAuthException","code":80006,"error_subcode":2446079}}"#,
            ApiErrorClass::RateLimit,
        ),
        (
            400,
            r#"{"error":{"message":"(#368) blocked","code":368}}"#,
            ApiErrorClass::PolicyBlock,
        ),
        (
            400,
            r#"{"error":{"message":"(#100) Invalid cursors values","code":100}}"#,
            ApiErrorClass::InvalidRequest,
        ),
        (
            400,
            r#"{"error":{"message":"Service temporarily unavailable","code":2,"is_transient":true}}"#,
            ApiErrorClass::Other,
        ),
    ];
    for (status, body, class) in table {
        match read(*status, body) {
            Err(Error::GraphApi(failure)) => {
                assert_eq!(failure.class, *class, "{body}");
                assert_eq!(failure.status, *status);
            }
            other => panic!("{body}: {other:?}"),
        }
    }
}

#[test]
fn error_fields_are_read_and_large_codes_kept() {
    let body = r#"{"error":{"message":"Too many","type":"OAuthException","code":80006,"error_subcode":2446079,
        "error_user_title":"Slow down","error_user_msg":"Try later","fbtrace_id":"AZx","is_transient":false}}"#;
    let Err(Error::GraphApi(failure)) = read(400, body) else {
        panic!()
    };
    assert_eq!(failure.code, Some(80006));
    assert_eq!(failure.subcode, Some(2_446_079));
    assert_eq!(failure.error_type.as_deref(), Some("OAuthException"));
    assert_eq!(failure.user_title.as_deref(), Some("Slow down"));
    assert_eq!(failure.user_message.as_deref(), Some("Try later"));
    assert_eq!(failure.fbtrace_id.as_deref(), Some("AZx"));
    assert!(!failure.is_transient);
}

#[test]
fn echoed_tokens_are_redacted_from_error_messages() {
    let body = r#"{"error":{"message":"Malformed access token EAAMockPageToken0123456789","type":"OAuthException","code":190}}"#;
    let Err(error) = read(400, body) else { panic!() };
    assert!(!error.message().contains(TOKEN));
    assert!(error.message().contains("[REDACTED]"));
}

#[test]
fn rate_limits_carry_retry_after_from_usage_headers() {
    let usage = RateLimitUsage::from_headers(
        None,
        None,
        Some(r#"{"1":[{"type":"messenger","call_count":100,"estimated_time_to_regain_access":3}]}"#),
    );
    let body = BodyShape::from_text(r#"{"error":{"message":"(#80006)","code":80006}}"#);
    let Err(Error::GraphApi(failure)) = read_response(400, &body, usage.as_ref(), &Secrets::new(&[TOKEN])) else {
        panic!()
    };
    assert_eq!(failure.retry_after_ms, Some(180_000));
    assert_eq!(failure.usage, usage);
    let auth = BodyShape::from_text(r#"{"error":{"message":"x","code":190}}"#);
    let Err(Error::GraphApi(failure)) = read_response(400, &auth, usage.as_ref(), &Secrets::default()) else {
        panic!()
    };
    assert_eq!(failure.retry_after_ms, None);
}

#[test]
fn bodies_that_are_not_pages_are_invalid_responses() {
    let table: &[(u16, &str)] = &[
        (502, "<html><body><h1>502 Bad Gateway</h1></body></html>"),
        (200, "<html>ok</html>"),
        (200, r#"{"data":[{"id":"t_1"},{"id":"t_"#),
        (200, ""),
        (200, "[1,2]"),
        (200, "null"),
        (200, r#"{"dat":[]}"#),
        (200, r#"{"data":{}}"#),
        (200, r#"{"data":[],"paging":"next"}"#),
        (404, r#"{"data":[]}"#),
        (500, r#"{"data":[]}"#),
        (200, r#"{"error":"just a string"}"#),
    ];
    for (status, body) in table {
        match read(*status, body) {
            Err(Error::InvalidResponse { status: got, .. }) => assert_eq!(got, *status),
            other => panic!("{body}: {other:?}"),
        }
    }
    assert!(read(502, "<html/>").unwrap_err().is_retryable());
    assert!(!read(200, "<html/>").unwrap_err().is_retryable());
}
