//! Webhooks (API.md "Webhooks", GRAPH.md "Webhooks"): Messenger and Instagram payloads as Meta
//! sends them, read into events; every refusal of `handle`; and properties (proptest, 256 cases
//! each unless `PROPTEST_CASES` says otherwise): signatures of any body verify and any changed
//! byte does not, the reader and `handle` never panic, generated payloads give one event per item
//! in payload order, nothing returned holds the secrets.

#![cfg(not(target_arch = "wasm32"))]

use page_conversations::json::JsonView;
use page_conversations::webhook::{
    handle, handle_with, parse_payload, payload_text, read_payload, signature_header, subscribe_challenge,
    verify_signature, EventKind, Platform, WebhookError, WebhookEvent, WebhookResponse, MAX_BODY_BYTES, RECEIVED_BODY,
};
use proptest::collection::vec;
use proptest::prelude::*;
use serde_json::{json, Value};

const SECRET: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
const TOKEN: &str = "meatyhamhock-verify-2026";

fn post(body: &[u8]) -> WebhookResponse {
    let signature = signature_header(body, SECRET);
    checked(handle("POST", "", Some(&signature), body, SECRET, TOKEN))
}

/// `response`, after checking that its body holds neither secret.
fn checked(response: WebhookResponse) -> WebhookResponse {
    assert!(
        !response.body.contains(SECRET) && !response.body.contains(TOKEN),
        "{response:?}"
    );
    response
}

/// The item an event says it comes from, in the payload as parsed.
fn item_at(payload: &Value, event: &WebhookEvent) -> Value {
    let list = if event.standby { "standby" } else { "messaging" };
    payload["entry"][event.entry_index][list][event.item_index].clone()
}

/// Meta's bytes: non-ASCII escaped as `\u00e4`, emoji as surrogate pairs, `/` as `\/`.
const MESSENGER: &str = r#"{"object":"page","entry":[{"id":"106000000000001","time":1767225600123,"messaging":[
{"sender":{"id":"24000000000000001"},"recipient":{"id":"106000000000001"},"timestamp":1767225600001,"message":{"mid":"m_AAA1","text":"Gr\u00fc\u00dfe aus M\u00fcnchen \ud83d\udc4b, l\u00e4uft?"}},
{"sender":{"id":"106000000000001"},"recipient":{"id":"24000000000000001"},"timestamp":1767225600002,"message":{"mid":"m_AAA2","is_echo":true,"app_id":1517776481860111,"metadata":"dashboard","text":"Ja, bis gleich!"}},
{"sender":{"id":"24000000000000001"},"recipient":{"id":"106000000000001"},"timestamp":1767225600003,"message":{"mid":"m_AAA3","attachments":[{"type":"image","payload":{"url":"https:\/\/scontent.xx.fbcdn.net\/v\/t1.15752-9\/1.jpg?_nc_cat=1"}}]}},
{"sender":{"id":"24000000000000001"},"recipient":{"id":"106000000000001"},"timestamp":1767225600004,"message_edit":{"mid":"m_AAA1","text":"Gr\u00fc\u00dfe aus K\u00f6ln","num_edit":1}},
{"sender":{"id":"24000000000000001"},"recipient":{"id":"106000000000001"},"timestamp":1767225600005,"read":{"watermark":1767225600002}},
{"sender":{"id":"24000000000000001"},"recipient":{"id":"106000000000001"},"timestamp":1767225600006,"delivery":{"mids":["m_AAA2"],"watermark":1767225600002}},
{"sender":{"id":"24000000000000001"},"recipient":{"id":"106000000000001"},"timestamp":1767225600007,"reaction":{"mid":"m_AAA2","action":"react","reaction":"love","emoji":"\u2764\ufe0f"}},
{"sender":{"id":"24000000000000001"},"recipient":{"id":"106000000000001"},"timestamp":1767225600008,"postback":{"title":"Get Started","payload":"GET_STARTED","mid":"m_AAA4"}},
{"sender":{"id":"24000000000000001"},"recipient":{"id":"106000000000001"},"timestamp":1767225600009,"referral":{"ref":"spring-sale","source":"SHORTLINK","type":"OPEN_THREAD"}},
{"sender":{"id":"24000000000000001"},"recipient":{"id":"106000000000001"},"timestamp":1767225600010,"optin":{"type":"notification_messages","payload":"news","notification_messages_token":"NMT1"}}
]},{"id":"106000000000002","time":1767225600456,"standby":[
{"sender":{"id":"24000000000000009"},"recipient":{"id":"106000000000002"},"timestamp":1767225600011,"message":{"mid":"m_BBB1","text":"Hallo?","quick_reply":{"payload":"YES"}}},
{"sender":{"id":"24000000000000009"},"recipient":{"id":"106000000000002"},"timestamp":1767225600012,"pass_thread_control":{"new_owner_app_id":"123456789","metadata":"handover"}},
{"sender":{"id":"106000000000002"},"recipient":{"id":"24000000000000009"},"timestamp":1767225600013,"message":{"mid":"m_BBB2","is_echo":true,"app_id":263902037430900,"text":"Ein Mitarbeiter meldet sich."}}
]},{"id":"106000000000001","time":1767225600789,"changes":[{"field":"feed","value":{"item":"status"}}]},
{"id":"106000000000001","time":1767225600999,"messaging":[
{"sender":{"id":"24000000000000002"},"recipient":{"id":"106000000000001"},"timestamp":1767225600014,"reaction":{"mid":"m_AAA2","action":"unreact"}},
{"sender":{"id":"24000000000000002"},"recipient":{"id":"106000000000001"},"timestamp":1767225600015,"delivery":{"watermark":1767225600002}}
]}]}"#;

const INSTAGRAM: &str = r#"{"object":"instagram","entry":[{"time":1767225700000,"id":"17841400000000001","messaging":[
{"sender":{"id":"6000000000000001"},"recipient":{"id":"17841400000000001"},"timestamp":1767225700001,"message":{"mid":"aWdfZAG1faXRlbTox","text":"\u00bfTen\u00e9is talla M? \u00e4\u00f6\u00fc"}},
{"sender":{"id":"17841400000000001"},"recipient":{"id":"6000000000000001"},"timestamp":1767225700002,"message":{"mid":"aWdfZAG1faXRlbToy","text":"S\u00ed \ud83d\ude0a","is_echo":true}},
{"sender":{"id":"6000000000000001"},"recipient":{"id":"17841400000000001"},"timestamp":1767225700003,"read":{"mid":"aWdfZAG1faXRlbToy"}},
{"sender":{"id":"6000000000000001"},"recipient":{"id":"17841400000000001"},"timestamp":1767225700004,"reaction":{"mid":"aWdfZAG1faXRlbToy","action":"react","reaction":"love","emoji":"\u2764"}},
{"sender":{"id":"6000000000000001"},"recipient":{"id":"17841400000000001"},"timestamp":1767225700005,"message_edit":{"mid":"aWdfZAG1faXRlbTox","text":"\u00bfTen\u00e9is talla L?","num_edit":2}},
{"sender":{"id":"6000000000000001"},"recipient":{"id":"17841400000000001"},"timestamp":1767225700006,"message":{"mid":"aWdfZAG1faXRlbToz","attachments":[{"type":"story_mention","payload":{"url":"https:\/\/lookaside.fbsbx.com\/ig_messaging_cdn\/?asset_id=1"}}]}},
{"sender":{"id":"6000000000000001"},"recipient":{"id":"17841400000000001"},"timestamp":1767225700007,"postback":{"mid":"aWdfZAG1faXRlbTo0","title":"Ver tallas","payload":"SIZES"}},
{"sender":{"id":"6000000000000001"},"recipient":{"id":"17841400000000001"},"timestamp":1767225700008,"referral":{"ref":"ig-ad","source":"ADS","type":"OPEN_THREAD","ad_id":"23800000000000001"}},
{"sender":{"id":"6000000000000001"},"recipient":{"id":"17841400000000001"},"timestamp":1767225700009,"message":{"mid":"aWdfZAG1faXRlbTox","is_deleted":true}}
]},{"time":1767225700100,"id":"17841400000000002","standby":[
{"sender":{"id":"6000000000000002"},"recipient":{"id":"17841400000000002"},"timestamp":1767225700010,"message":{"mid":"aWdfZAG1faXRlbTo1","text":"hi"}},
{"sender":{"id":"6000000000000002"},"recipient":{"id":"17841400000000002"},"timestamp":1767225700011,"messaging_seen":{"watermark":1}}
]}]}"#;

type Expected = (
    &'static str,
    &'static str,
    EventKind,
    u64,
    bool,
    Option<&'static str>,
    Option<&'static str>,
);

fn check(body: &str, platform: Platform, expected: &[Expected]) {
    let response = post(body.as_bytes());
    assert_eq!((response.status, response.body.as_str()), (200, RECEIVED_BODY));
    let payload: Value = serde_json::from_str(body).unwrap();
    assert_eq!(response.events.len(), expected.len());
    for (index, (event, want)) in response.events.iter().zip(expected).enumerate() {
        let (page, user, kind, timestamp, standby, mid, text) = *want;
        assert_eq!(event.platform, platform, "event {index}");
        assert_eq!(
            (
                event.page_id.as_str(),
                event.user_id.as_str(),
                event.kind,
                event.timestamp,
                event.standby,
                event.message_id.as_deref(),
                event.text.as_deref()
            ),
            (page, user, kind, timestamp, standby, mid, text),
            "event {index}"
        );
        assert!(event.raw.is_object());
        assert_eq!(event.raw, item_at(&payload, event), "event {index}");
    }
    assert_eq!(parse_payload(body.as_bytes()).unwrap(), response.events);
    assert_eq!(read_payload(payload).unwrap(), response.events);
}

#[test]
fn messenger_batch() {
    use EventKind::*;
    const P1: &str = "106000000000001";
    const P2: &str = "106000000000002";
    const U1: &str = "24000000000000001";
    const U2: &str = "24000000000000002";
    const U9: &str = "24000000000000009";
    check(
        MESSENGER,
        Platform::Messenger,
        &[
            (
                P1,
                U1,
                Message,
                1767225600001,
                false,
                Some("m_AAA1"),
                Some("Grüße aus München 👋, läuft?"),
            ),
            (
                P1,
                U1,
                Echo,
                1767225600002,
                false,
                Some("m_AAA2"),
                Some("Ja, bis gleich!"),
            ),
            (P1, U1, Message, 1767225600003, false, Some("m_AAA3"), None),
            (
                P1,
                U1,
                Edit,
                1767225600004,
                false,
                Some("m_AAA1"),
                Some("Grüße aus Köln"),
            ),
            (P1, U1, Read, 1767225600005, false, None, None),
            (P1, U1, Delivery, 1767225600006, false, None, None),
            (P1, U1, Reaction, 1767225600007, false, Some("m_AAA2"), None),
            (P1, U1, Postback, 1767225600008, false, Some("m_AAA4"), None),
            (P1, U1, Referral, 1767225600009, false, None, None),
            (P1, U1, Other, 1767225600010, false, None, None),
            (P2, U9, Message, 1767225600011, true, Some("m_BBB1"), Some("Hallo?")),
            (P2, U9, Other, 1767225600012, true, None, None),
            (
                P2,
                U9,
                Echo,
                1767225600013,
                true,
                Some("m_BBB2"),
                Some("Ein Mitarbeiter meldet sich."),
            ),
            (P1, U2, Reaction, 1767225600014, false, Some("m_AAA2"), None),
            (P1, U2, Delivery, 1767225600015, false, None, None),
        ],
    );
}

#[test]
fn instagram_batch() {
    use EventKind::*;
    const A1: &str = "17841400000000001";
    const A2: &str = "17841400000000002";
    const U1: &str = "6000000000000001";
    const U2: &str = "6000000000000002";
    check(
        INSTAGRAM,
        Platform::Instagram,
        &[
            (
                A1,
                U1,
                Message,
                1767225700001,
                false,
                Some("aWdfZAG1faXRlbTox"),
                Some("¿Tenéis talla M? äöü"),
            ),
            (
                A1,
                U1,
                Echo,
                1767225700002,
                false,
                Some("aWdfZAG1faXRlbToy"),
                Some("Sí 😊"),
            ),
            (A1, U1, Read, 1767225700003, false, Some("aWdfZAG1faXRlbToy"), None),
            (A1, U1, Reaction, 1767225700004, false, Some("aWdfZAG1faXRlbToy"), None),
            (
                A1,
                U1,
                Edit,
                1767225700005,
                false,
                Some("aWdfZAG1faXRlbTox"),
                Some("¿Tenéis talla L?"),
            ),
            (A1, U1, Message, 1767225700006, false, Some("aWdfZAG1faXRlbToz"), None),
            (A1, U1, Postback, 1767225700007, false, Some("aWdfZAG1faXRlbTo0"), None),
            (A1, U1, Referral, 1767225700008, false, None, None),
            (A1, U1, Message, 1767225700009, false, Some("aWdfZAG1faXRlbTox"), None),
            (
                A2,
                U2,
                Message,
                1767225700010,
                true,
                Some("aWdfZAG1faXRlbTo1"),
                Some("hi"),
            ),
            (A2, U2, Other, 1767225700011, true, None, None),
        ],
    );
}

#[test]
fn kind_names_and_platform_names() {
    let names: Vec<&str> = [
        EventKind::Message,
        EventKind::Echo,
        EventKind::Edit,
        EventKind::Read,
        EventKind::Delivery,
        EventKind::Reaction,
        EventKind::Postback,
        EventKind::Referral,
        EventKind::Other,
    ]
    .iter()
    .map(|kind| kind.as_str())
    .collect();
    assert_eq!(
        names,
        ["message", "echo", "edit", "read", "delivery", "reaction", "postback", "referral", "other"]
    );
    assert_eq!(Platform::Messenger.as_str(), "messenger");
    assert_eq!(Platform::Instagram.as_str(), "instagram");
}

#[test]
fn the_signature_is_over_the_bytes_received_not_a_re_encoding() {
    let reencoded = serde_json::to_string(&serde_json::from_str::<Value>(MESSENGER).unwrap()).unwrap();
    assert!(reencoded.contains('ü'));
    let signature = signature_header(MESSENGER.as_bytes(), SECRET);
    assert!(verify_signature(MESSENGER.as_bytes(), Some(&signature), SECRET));
    assert!(!verify_signature(reencoded.as_bytes(), Some(&signature), SECRET));
    let response = handle("POST", "", Some(&signature), reencoded.as_bytes(), SECRET, TOKEN);
    assert_eq!(response.status, 401);
}

#[test]
fn tolerated_shapes() {
    // Integer ids, a float timestamp without fraction, the entry's time when an item has none,
    // an empty entry array, an entry with neither list, an unknown member next to a kind.
    let cases: &[(&str, usize)] = &[
        (r#"{"object":"page","entry":[]}"#, 0),
        (r#"{"object":"page","entry":[{"id":"1"}]}"#, 0),
        (
            r#"{"object":"instagram","entry":[{"id":"1","time":5,"changes":[]}]}"#,
            0,
        ),
        (
            r#"{"object":"page","entry":[{"id":"1","messaging":[]}],"extra":true}"#,
            0,
        ),
        (
            r#"{"object":"page","entry":[{"id":1,"time":7,"messaging":[{"sender":{"id":2},"recipient":{"id":"1"},"message":{"text":"x","mid":""}}]}]}"#,
            1,
        ),
        (
            r#"{"object":"page","entry":[{"id":"1","messaging":[{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":1.767225600001e12,"unknown_kind":{}}]}]}"#,
            1,
        ),
    ];
    for (body, count) in cases {
        let response = post(body.as_bytes());
        assert_eq!((response.status, response.events.len()), (200, *count), "{body}");
    }
    let events = parse_payload(cases[4].0.as_bytes()).unwrap();
    let event = &events[0];
    assert_eq!(
        (event.page_id.as_str(), event.user_id.as_str(), event.timestamp),
        ("1", "2", 7)
    );
    assert_eq!((event.message_id.as_deref(), event.text.as_deref()), (None, Some("x")));
    assert_eq!(
        parse_payload(cases[5].0.as_bytes()).unwrap()[0].timestamp,
        1_767_225_600_001
    );
    assert_eq!(parse_payload(cases[5].0.as_bytes()).unwrap()[0].kind, EventKind::Other);
}

#[test]
fn payload_refusals_are_400_with_a_reason() {
    let item = r#"{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":1,"message":{"mid":"m","text":"t"}}"#;
    let with_item = |item: &str| format!(r#"{{"object":"page","entry":[{{"id":"1","messaging":[{item}]}}]}}"#);
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let cases: Vec<(String, &str)> = vec![
        (String::new(), "the body is not JSON (line 1, column 0)"),
        (String::from("{\"object\":\"page\""), "the body is not JSON"),
        (
            String::from("{\"object\":\"page\",\"entry\":[]} x"),
            "the body is not JSON",
        ),
        (deep.clone(), "the body is not JSON"),
        (String::from("[]"), "the payload is not a JSON object"),
        (String::from("null"), "the payload is not a JSON object"),
        (String::from(r#"{"entry":[]}"#), "no \"object\""),
        (
            String::from(r#"{"object":"user","entry":[]}"#),
            "\"object\" is not \"page\" or \"instagram\"",
        ),
        (
            String::from(r#"{"object":"Page","entry":[]}"#),
            "\"object\" is not \"page\" or \"instagram\"",
        ),
        (
            String::from(r#"{"object":["page"],"entry":[]}"#),
            "\"object\" is not \"page\" or \"instagram\"",
        ),
        (String::from(r#"{"object":"page"}"#), "no \"entry\""),
        (
            String::from(r#"{"object":"page","entry":{"id":"1"}}"#),
            "\"entry\" is not an array",
        ),
        (
            String::from(r#"{"object":"page","entry":["1"]}"#),
            "entry 0 is not an object",
        ),
        (
            String::from(r#"{"object":"page","entry":[{"id":"1"},{"messaging":[]}]}"#),
            "entry 1 has no id",
        ),
        (
            String::from(r#"{"object":"page","entry":[{"id":""}]}"#),
            "entry 0 has no id",
        ),
        (
            String::from(r#"{"object":"page","entry":[{"id":null}]}"#),
            "entry 0 has no id",
        ),
        (
            String::from(r#"{"object":"page","entry":[{"id":-5}]}"#),
            "entry 0 has no id",
        ),
        (
            String::from(r#"{"object":"page","entry":[{"id":"1","time":"1"}]}"#),
            "entry 0: \"time\" is not an integer of milliseconds",
        ),
        (
            String::from(r#"{"object":"page","entry":[{"id":"1","messaging":{}}]}"#),
            "entry 0: \"messaging\" is not an array",
        ),
        (
            String::from(r#"{"object":"page","entry":[{"id":"1","standby":null}]}"#),
            "entry 0: \"standby\" is not an array",
        ),
        (with_item("1"), "entry 0, messaging 0 is not an object"),
        (
            with_item(&format!("{item},{item},[]")),
            "entry 0, messaging 2 is not an object",
        ),
        (
            with_item(r#"{"recipient":{"id":"1"},"timestamp":1}"#),
            "entry 0, messaging 0 has no sender.id",
        ),
        (
            with_item(r#"{"sender":{},"recipient":{"id":"1"},"timestamp":1}"#),
            "entry 0, messaging 0 has no sender.id",
        ),
        (
            with_item(r#"{"sender":{"user_ref":"u"},"recipient":{"id":"1"},"timestamp":1}"#),
            "entry 0, messaging 0 has no sender.id",
        ),
        (
            with_item(r#"{"sender":"2","recipient":{"id":"1"},"timestamp":1}"#),
            "entry 0, messaging 0 has no sender.id",
        ),
        (
            with_item(r#"{"sender":{"id":"2"},"timestamp":1}"#),
            "entry 0, messaging 0 has no recipient.id",
        ),
        (
            with_item(r#"{"sender":{"id":"2"},"recipient":{"id":true},"timestamp":1}"#),
            "entry 0, messaging 0 has no recipient.id",
        ),
        (
            with_item(r#"{"sender":{"id":"2"},"recipient":{"id":"1"}}"#),
            "entry 0, messaging 0 has no timestamp",
        ),
        (
            with_item(r#"{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":"1"}"#),
            "entry 0, messaging 0: \"timestamp\" is not an integer of milliseconds",
        ),
        (
            with_item(r#"{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":-1}"#),
            "entry 0, messaging 0: \"timestamp\" is not an integer of milliseconds",
        ),
        (
            with_item(r#"{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":1.5}"#),
            "entry 0, messaging 0: \"timestamp\" is not an integer of milliseconds",
        ),
        (
            with_item(r#"{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":9007199254740992}"#),
            "entry 0, messaging 0: \"timestamp\" is not an integer of milliseconds",
        ),
        (
            with_item(r#"{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":1,"message":"hi"}"#),
            "entry 0, messaging 0: \"message\" is not an object",
        ),
        (
            with_item(r#"{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":1,"read":null}"#),
            "entry 0, messaging 0: \"read\" is not an object",
        ),
        (
            with_item(r#"{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":1,"delivery":[]}"#),
            "entry 0, messaging 0: \"delivery\" is not an object",
        ),
        (
            format!(
                r#"{{"object":"instagram","entry":[{{"id":"1","messaging":[{item}]}},{{"id":"1","standby":[{item},{{"sender":{{"id":"2"}}}}]}}]}}"#
            ),
            "entry 1, standby 1 has no recipient.id",
        ),
    ];
    for (body, reason) in &cases {
        let response = post(body.as_bytes());
        assert_eq!(response.status, 400, "{body:.200}");
        assert!(response.events.is_empty());
        let error = parse_payload(body.as_bytes()).unwrap_err();
        assert!(
            error.reason.starts_with(reason),
            "{body:.200}: {:?} is not {reason:?}",
            error.reason
        );
        assert_eq!(response.body, error.message());
        assert_eq!(
            error.message(),
            format!("Not a Page or Instagram webhook payload: {}", error.reason)
        );
        assert_eq!(error.to_string(), error.message());
        assert_eq!(error.class_name(), "WebhookError");
    }
    // Not UTF-8.
    let response = post(b"{\"object\":\"page\",\"entry\":[],\"x\":\"\xff\"}");
    assert_eq!(response.status, 400);
    // A reason never quotes the payload.
    let error = parse_payload(br#"{"object":"secret-looking-value","entry":[]}"#).unwrap_err();
    assert!(!error.message().contains("secret-looking-value"));
    let error = parse_payload(b"{\"object\":\"page\",\"entry\":[], tok3n}").unwrap_err();
    assert!(!error.message().contains("tok3n"), "{}", error.message());
}

#[test]
fn signature_refusals_are_401() {
    let body = MESSENGER.as_bytes();
    let good = signature_header(body, SECRET);
    let hex = good.trim_start_matches("sha256=");
    let other_secret = signature_header(body, "another-app-secret");
    let other_body = signature_header(b"{}", SECRET);
    let sha1 = format!("sha1={}", &hex[..40]);
    let cases: Vec<Option<String>> = vec![
        None,
        Some(String::new()),
        Some(String::from("sha256=")),
        Some(String::from(hex)),
        Some(good.to_uppercase()),
        Some(format!("sha256={}", hex.to_uppercase())),
        Some(format!("SHA256={hex}")),
        Some(format!(" {good}")),
        Some(format!("{good} ")),
        Some(format!("{good},{good}")),
        Some(good[..good.len() - 1].to_owned()),
        Some(format!("{good}0")),
        Some(sha1),
        Some(other_secret),
        Some(other_body),
        Some(format!("sha256={}", "0".repeat(64))),
    ];
    for signature in &cases {
        let response = checked(handle("POST", "", signature.as_deref(), body, SECRET, TOKEN));
        assert_eq!(
            (response.status, response.body.as_str()),
            (401, "Invalid signature"),
            "{signature:?}"
        );
        assert!(response.events.is_empty());
    }
    // Signed, but the body is not a payload: the signature is checked first, then the payload.
    assert_eq!(
        checked(handle(
            "POST",
            "",
            Some(&other_body_of(b"nope")),
            b"nope",
            SECRET,
            TOKEN
        ))
        .status,
        400
    );
    assert_eq!(checked(handle("POST", "", None, b"nope", SECRET, TOKEN)).status, 401);
    // An empty app secret verifies nothing, even a signature made with it.
    let empty = signature_header(body, "");
    assert_eq!(checked(handle("POST", "", Some(&empty), body, "", TOKEN)).status, 401);
}

fn other_body_of(body: &[u8]) -> String {
    signature_header(body, SECRET)
}

#[test]
fn size_limit_is_413_before_the_signature() {
    // Exactly MAX_BODY_BYTES is read; one more byte is not, whatever the signature says.
    let payload = br#"{"object":"page","entry":[]}"#;
    let mut body = payload.to_vec();
    body.resize(MAX_BODY_BYTES, b' ');
    assert_eq!(MAX_BODY_BYTES, 1_000_000);
    assert_eq!(post(&body).status, 200);
    body.push(b' ');
    assert_eq!(post(&body).status, 413);
    let response = checked(handle("POST", "", None, &body, SECRET, TOKEN));
    assert_eq!((response.status, response.body.as_str()), (413, "Payload too large"));
}

#[test]
fn methods_and_the_handshake() {
    let query = format!("hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token={TOKEN}");
    let cases: Vec<(&str, String, u16, &str)> = vec![
        ("GET", query.clone(), 200, "1158201444"),
        ("GET", format!("?{query}"), 200, "1158201444"),
        ("GET", String::new(), 403, "Forbidden"),
        ("GET", query.replace(TOKEN, "wrong"), 403, "Forbidden"),
        ("GET", query.replace("subscribe", "unsubscribe"), 403, "Forbidden"),
        ("GET", query.replace("1158201444", "%3Cb%3E"), 403, "Forbidden"),
        ("GET", query.replace("1158201444", TOKEN), 403, "Forbidden"),
        ("GET", query.replace("1158201444", SECRET), 403, "Forbidden"),
        ("GET", query.replace("1158201444", &"1".repeat(129)), 403, "Forbidden"),
        ("get", query.clone(), 405, "Method not allowed"),
        ("HEAD", query.clone(), 405, "Method not allowed"),
        ("PUT", String::new(), 405, "Method not allowed"),
        ("DELETE", String::new(), 405, "Method not allowed"),
        ("OPTIONS", String::new(), 405, "Method not allowed"),
        ("", String::new(), 405, "Method not allowed"),
    ];
    let signature = signature_header(MESSENGER.as_bytes(), SECRET);
    for (method, query, status, body) in &cases {
        let response = checked(handle(
            method,
            query,
            Some(&signature),
            MESSENGER.as_bytes(),
            SECRET,
            TOKEN,
        ));
        assert_eq!(
            (response.status, response.body.as_str()),
            (*status, *body),
            "{method} {query}"
        );
        assert!(response.events.is_empty());
    }
    // An empty verify token matches nothing.
    let empty = "hub.mode=subscribe&hub.challenge=1&hub.verify_token=";
    assert_eq!(checked(handle("GET", empty, None, b"", SECRET, "")).status, 403);
    assert_eq!(subscribe_challenge(&query, TOKEN).as_deref(), Some("1158201444"));
}

// ---------------------------------------------------------------------------------------------
// The binding's parser: JSON.parse's values

/// Parsed JSON as JavaScript's `JSON.parse` gives it to the binding's reader: every number an
/// `f64` (no exact `u64`, no `1.0` apart from `1`), and `JsonView::unsigned` and
/// `JsonView::is_null` as the trait's defaults compute them (as for `JsValue`).
#[derive(Clone, Debug, PartialEq)]
struct JsLike(Value);

impl JsonView for JsLike {
    fn member(&self, key: &str) -> Option<Self> {
        self.0.as_object()?.get(key).cloned().map(JsLike)
    }
    fn text(&self) -> Option<String> {
        self.0.as_str().map(String::from)
    }
    fn number(&self) -> Option<f64> {
        self.0.as_f64()
    }
    fn boolean(&self) -> Option<bool> {
        self.0.as_bool()
    }
    fn is_object(&self) -> bool {
        self.0.is_object()
    }
    fn is_array(&self) -> bool {
        self.0.is_array()
    }
    fn members(&self) -> Vec<(String, Self)> {
        self.0
            .members()
            .into_iter()
            .map(|(key, value)| (key, JsLike(value)))
            .collect()
    }
    fn items(&self) -> Vec<Self> {
        self.0.items().into_iter().map(JsLike).collect()
    }
}

/// The binding's parse of a body: `payload_text`, then a parser without limits of its own (here
/// `serde_json`, which has them, as `JSON.parse` does not: `payload_text` must refuse first).
fn js_parse(body: &[u8]) -> Result<JsLike, WebhookError> {
    let text = payload_text(body)?;
    serde_json::from_str(text)
        .map(JsLike)
        .map_err(|_| WebhookError::not_json())
}

/// `handle`'s answer with the binding's parser, after checking it against `handle`'s own: the
/// same status, body and events (but a body that is not JSON, whose reason names no line and
/// column).
fn post_both(body: &[u8]) -> WebhookResponse<JsLike> {
    let signature = signature_header(body, SECRET);
    let js = checked_js(handle_with("POST", "", Some(&signature), body, SECRET, TOKEN, js_parse));
    let serde = post(body);
    assert_eq!(js.status, serde.status, "{:.200}", String::from_utf8_lossy(body));
    const NOT_JSON: &str = "Not a Page or Instagram webhook payload: the body is not JSON";
    if serde.body.starts_with(NOT_JSON) {
        assert!(js.body.starts_with(NOT_JSON), "{}", js.body);
    } else {
        assert_eq!(js.body, serde.body);
    }
    let unwrapped: Vec<WebhookEvent> = js.events.iter().cloned().map(unwrap_js).collect();
    assert_eq!(unwrapped, serde.events);
    js
}

fn checked_js(response: WebhookResponse<JsLike>) -> WebhookResponse<JsLike> {
    assert!(!response.body.contains(SECRET) && !response.body.contains(TOKEN));
    response
}

fn unwrap_js(event: WebhookEvent<JsLike>) -> WebhookEvent {
    let WebhookEvent {
        platform,
        page_id,
        user_id,
        kind,
        timestamp,
        standby,
        message_id,
        text,
        raw,
        entry_index,
        item_index,
    } = event;
    WebhookEvent {
        platform,
        page_id,
        user_id,
        kind,
        timestamp,
        standby,
        message_id,
        text,
        raw: raw.0,
        entry_index,
        item_index,
    }
}

#[test]
fn the_binding_s_parser_reads_as_serde_json() {
    assert_eq!(post_both(MESSENGER.as_bytes()).events.len(), 15);
    assert_eq!(post_both(INSTAGRAM.as_bytes()).events.len(), 11);
    let item = r#"{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":1,"message":{"mid":"m","text":"t"}}"#;
    let with_item = |item: &str| format!(r#"{{"object":"page","entry":[{{"id":"1","time":5,"messaging":[{item}]}}]}}"#);
    let deep = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let deep_item = |depth: usize| with_item(&item.replace(r#""t"}"#, &format!(r#""t","x":{}}}"#, deep(depth - 3))));
    let bodies = [
        String::new(),
        String::from("{\"object\":\"page\""),
        String::from("\u{feff}{\"object\":\"page\",\"entry\":[]}"),
        String::from("{\"object\":\"page\",\"entry\":[]} x"),
        deep(127),
        deep(128),
        deep(10_000),
        deep_item(127),
        deep_item(128),
        String::from("[]"),
        String::from("null"),
        String::from(r#"{"object":"page","entry":[],"object":"user"}"#),
        String::from(r#"{"object":"user","entry":[],"object":"page"}"#),
        String::from(r#"{"object":"page","entry":[{"id":null}]}"#),
        String::from(r#"{"object":"page","entry":[{"id":"1","time":null,"messaging":[]}]}"#),
        String::from(r#"{"object":"page","entry":[{"id":"1","standby":null}]}"#),
        with_item(item),
        with_item(r#"{"sender":{"id":2},"recipient":{"id":"1"},"timestamp":null}"#),
        with_item(r#"{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":1.767225600001e12}"#),
        with_item(r#"{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":-0.0}"#),
        with_item(r#"{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":9007199254740991}"#),
        with_item(r#"{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":9007199254740992}"#),
        with_item(r#"{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":9007199254740993}"#),
        with_item(r#"{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":1e300}"#),
        with_item(r#"{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":"1"}"#),
        with_item(r#"{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":1,"message":{"is_echo":1}}"#),
        with_item(r#"{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":1,"read":null}"#),
        with_item(r#"{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":1,"message":{"text":"a","text":"b"}}"#),
    ];
    for body in &bodies {
        post_both(body.as_bytes());
    }
    let error = js_parse(&[b'"', 0xff, b'"']).unwrap_err();
    assert_eq!(error.reason, "the body is not JSON (not UTF-8 at byte 1)");
    let error = js_parse(deep(128).as_bytes()).unwrap_err();
    assert_eq!(
        error.reason,
        "the body is not JSON (nested more than 127 deep at byte 127)"
    );
    // A member named twice: the last, as JSON.parse keeps it.
    let events = post_both(bodies[bodies.len() - 1].as_bytes()).events;
    assert_eq!(events[0].text.as_deref(), Some("b"));
}

/// Numeric ids, which Meta does not send: `serde_json` keeps any `u64` exactly and refuses `1.0`;
/// a JavaScript number is an id when it is a safe integer, `1.0` included.
#[test]
fn numeric_ids_of_the_binding_s_parser_are_safe_integers() {
    let payload = |id: &str| {
        json!({"object": "page", "entry": [{"id": 1, "time": 1, "messaging": [
        {"sender": {"id": serde_json::from_str::<Value>(id).unwrap()}, "recipient": {"id": "1"}}]}]})
    };
    for (id, serde, js) in [
        ("7", Some("7"), Some("7")),
        ("9007199254740991", Some("9007199254740991"), Some("9007199254740991")),
        ("9007199254740992", Some("9007199254740992"), None),
        ("18446744073709551615", Some("18446744073709551615"), None),
        ("7.0", None, Some("7")),
        ("7.5", None, None),
        ("-7", None, None),
    ] {
        let user =
            |events: Result<Vec<WebhookEvent>, WebhookError>| events.ok().map(|events| events[0].user_id.clone());
        assert_eq!(user(read_payload(payload(id))).as_deref(), serde, "{id}");
        let from_js = read_payload(JsLike(payload(id))).map(|events| events.into_iter().map(unwrap_js).collect());
        assert_eq!(user(from_js).as_deref(), js, "{id}");
    }
}

// ---------------------------------------------------------------------------------------------
// Properties

mod common;

fn config() -> ProptestConfig {
    common::proptest_config()
}

fn secret() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9a-f]{32}",
        "[A-Za-z0-9|/+=_.~-]{1,64}",
        any::<String>().prop_filter("non-empty", |s| !s.is_empty())
    ]
}

/// Any JSON value, nested a few levels, with the payload's own names among the keys.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|n| json!(n)),
        prop_oneof![Just("page"), Just("instagram"), Just("1"), Just("")].prop_map(|s| json!(s)),
        any::<String>().prop_map(Value::String),
    ];
    let key = prop_oneof![
        Just("object"),
        Just("entry"),
        Just("id"),
        Just("time"),
        Just("messaging"),
        Just("standby"),
        Just("sender"),
        Just("recipient"),
        Just("timestamp"),
        Just("message"),
        Just("is_echo"),
        Just("mid"),
        Just("text"),
        Just("read"),
        Just("delivery"),
        Just("x"),
    ]
    .prop_map(String::from);
    leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(Value::Array),
            vec((key.clone(), inner), 0..6).prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

#[derive(Clone, Debug)]
struct GenItem {
    kind: &'static str,
    echo: bool,
    sender: String,
    recipient: String,
    timestamp: Option<u64>,
    mid: Option<String>,
    text: Option<String>,
}

fn gen_item() -> impl Strategy<Value = GenItem> {
    (
        prop_oneof![
            Just("message"),
            Just("message_edit"),
            Just("read"),
            Just("delivery"),
            Just("reaction"),
            Just("postback"),
            Just("referral"),
            Just("optin"),
            Just("pass_thread_control"),
            Just("something_new"),
        ],
        any::<bool>(),
        "[0-9]{1,17}",
        "[0-9]{1,17}",
        proptest::option::of(0_u64..(1 << 53)),
        proptest::option::of("[A-Za-z0-9_]{1,20}"),
        proptest::option::of(any::<String>()),
    )
        .prop_map(|(kind, echo, sender, recipient, timestamp, mid, text)| GenItem {
            kind,
            echo,
            sender,
            recipient,
            timestamp,
            mid,
            text,
        })
}

impl GenItem {
    fn to_json(&self) -> Value {
        let mut body = serde_json::Map::new();
        if let Some(mid) = &self.mid {
            body.insert("mid".into(), json!(mid));
        }
        if let Some(text) = &self.text {
            body.insert("text".into(), json!(text));
        }
        if self.kind == "message" && self.echo {
            body.insert("is_echo".into(), json!(true));
        }
        let mut item = json!({"sender": {"id": self.sender}, "recipient": {"id": self.recipient}});
        item[self.kind] = Value::Object(body);
        if let Some(timestamp) = self.timestamp {
            item["timestamp"] = json!(timestamp);
        }
        item
    }

    fn kind(&self) -> EventKind {
        match self.kind {
            "message" if self.echo => EventKind::Echo,
            "message" => EventKind::Message,
            "message_edit" => EventKind::Edit,
            "read" => EventKind::Read,
            "delivery" => EventKind::Delivery,
            "reaction" => EventKind::Reaction,
            "postback" => EventKind::Postback,
            "referral" => EventKind::Referral,
            _ => EventKind::Other,
        }
    }
}

type GenEntry = (String, u64, Vec<GenItem>, Option<Vec<GenItem>>);

fn gen_payload() -> impl Strategy<Value = (bool, Vec<GenEntry>)> {
    (
        any::<bool>(),
        vec(
            (
                "[0-9]{1,17}",
                0_u64..(1 << 53),
                vec(gen_item(), 0..5),
                proptest::option::of(vec(gen_item(), 0..4)),
            ),
            0..4,
        ),
    )
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_signed_body_verifies_and_any_changed_byte_does_not(
        body in vec(any::<u8>(), 0..512),
        secret in secret(),
        position in any::<prop::sample::Index>(),
        flip in 1_u8..=255,
    ) {
        let signature = signature_header(&body, &secret);
        prop_assert!(verify_signature(&body, Some(&signature), &secret));
        if !body.is_empty() {
            let mut changed = body.clone();
            let at = position.index(changed.len());
            changed[at] ^= flip;
            prop_assert!(!verify_signature(&changed, Some(&signature), &secret));
        }
        let mut header = signature.into_bytes();
        let at = position.index(header.len());
        header[at] ^= flip;
        // Any changed byte of the header, even one that leaves it UTF-8.
        if let Ok(header) = String::from_utf8(header) {
            prop_assert!(!verify_signature(&body, Some(&header), &secret));
        }
    }

    #[test]
    fn a_longer_or_shorter_body_does_not_verify(body in vec(any::<u8>(), 1..256), secret in secret(), extra in any::<u8>()) {
        let signature = signature_header(&body, &secret);
        let mut longer = body.clone();
        longer.push(extra);
        prop_assert!(!verify_signature(&longer, Some(&signature), &secret));
        prop_assert!(!verify_signature(&body[..body.len() - 1], Some(&signature), &secret));
    }

    #[test]
    fn the_reader_never_panics_on_arbitrary_bytes(body in vec(any::<u8>(), 0..512)) {
        let _ = parse_payload(&body);
        let response = post(&body);
        prop_assert!(matches!(response.status, 200 | 400));
    }

    #[test]
    fn the_binding_s_parser_agrees_on_arbitrary_bytes(body in vec(any::<u8>(), 0..512)) {
        post_both(&body);
    }

    #[test]
    fn the_binding_s_parser_agrees_on_generated_payloads((instagram, entries) in gen_payload()) {
        let payload = json!({
            "object": if instagram { "instagram" } else { "page" },
            "entry": entries.iter().map(|(id, time, messaging, standby)| {
                let mut entry = json!({"id": id, "time": time, "messaging": messaging.iter().map(GenItem::to_json).collect::<Vec<_>>()});
                if let Some(standby) = standby {
                    entry["standby"] = Value::Array(standby.iter().map(GenItem::to_json).collect());
                }
                entry
            }).collect::<Vec<_>>(),
        });
        let response = post_both(&serde_json::to_vec(&payload).unwrap());
        prop_assert_eq!(response.status, 200);
    }

    #[test]
    fn the_reader_never_panics_on_arbitrary_json(payload in json_value(), object in prop_oneof![Just("page"), Just("instagram")]) {
        let _ = read_payload(payload.clone());
        // The same inside a payload's frame.
        let framed = json!({"object": object, "entry": [{"id": "1", "messaging": [payload.clone()]}, payload.clone()]});
        let bytes = serde_json::to_vec(&framed).unwrap();
        let response = post(&bytes);
        prop_assert!(matches!(response.status, 200 | 400));
        if let Ok(events) = read_payload(framed.clone()) {
            prop_assert_eq!(&events, &response.events);
            for event in &events {
                prop_assert!(event.raw.is_object());
                prop_assert_eq!(&event.raw, &item_at(&framed, event));
                prop_assert!(!event.page_id.is_empty() && !event.user_id.is_empty());
                prop_assert!(event.timestamp < 1 << 53);
            }
        }
    }

    #[test]
    fn generated_payloads_give_one_event_per_item_in_order((instagram, entries) in gen_payload()) {
        let payload = json!({
            "object": if instagram { "instagram" } else { "page" },
            "entry": entries.iter().map(|(id, time, messaging, standby)| {
                let mut entry = json!({"id": id, "time": time, "messaging": messaging.iter().map(GenItem::to_json).collect::<Vec<_>>()});
                if let Some(standby) = standby {
                    entry["standby"] = Value::Array(standby.iter().map(GenItem::to_json).collect());
                }
                entry
            }).collect::<Vec<_>>(),
        });
        let body = serde_json::to_vec(&payload).unwrap();
        let response = post(&body);
        prop_assert_eq!(response.status, 200);
        let mut expected = Vec::new();
        for (entry_index, (id, time, messaging, standby)) in entries.iter().enumerate() {
            for (list, is_standby) in [(Some(messaging), false), (standby.as_ref(), true)] {
                for (item_index, item) in list.into_iter().flatten().enumerate() {
                    expected.push((entry_index, item_index, id, *time, is_standby, item));
                }
            }
        }
        prop_assert_eq!(response.events.len(), expected.len());
        for (event, (entry_index, item_index, id, time, standby, item)) in response.events.iter().zip(&expected) {
            let kind = item.kind();
            prop_assert_eq!(event.platform, if instagram { Platform::Instagram } else { Platform::Messenger });
            prop_assert_eq!((event.entry_index, event.item_index, event.standby), (*entry_index, *item_index, *standby));
            prop_assert_eq!(&event.page_id, *id);
            prop_assert_eq!(event.kind, kind);
            prop_assert_eq!(&event.user_id, if kind == EventKind::Echo { &item.recipient } else { &item.sender });
            prop_assert_eq!(event.timestamp, item.timestamp.unwrap_or(*time));
            let names_mid = matches!(kind, EventKind::Message | EventKind::Echo | EventKind::Edit | EventKind::Read | EventKind::Reaction | EventKind::Postback);
            prop_assert_eq!(&event.message_id, &item.mid.clone().filter(|_| names_mid));
            let has_text = matches!(kind, EventKind::Message | EventKind::Echo | EventKind::Edit);
            prop_assert_eq!(&event.text, &item.text.clone().filter(|_| has_text));
            prop_assert_eq!(&event.raw, &item.to_json());
        }
    }

    #[test]
    fn handle_never_returns_the_secrets(
        method in prop_oneof![Just(String::from("GET")), Just(String::from("POST")), Just(String::from("PUT")), "[A-Z]{0,7}"],
        secret in "[A-Za-z0-9]{8,40}",
        // At least 8 characters: a token like "l" is "in" any fixed text ("Method not allowed").
        token in "[A-Za-z0-9._~-]{8,40}",
        challenge in prop_oneof!["[A-Za-z0-9._~-]{0,130}", any::<String>()],
        which in 0_u8..6,
        body in vec(any::<u8>(), 0..256),
        signed in any::<bool>(),
    ) {
        // The challenge is arbitrary, or holds the token or the secret; the token given is the
        // right one or not.
        let challenge = match which {
            0 => format!("{challenge}{token}"),
            1 => format!("{secret}{challenge}"),
            _ => challenge,
        };
        let given = if which == 2 { format!("{token}x") } else { token.clone() };
        let mut query = String::from("hub.mode=subscribe&hub.verify_token=");
        query.extend(form_urlencoded::byte_serialize(given.as_bytes()));
        query.push_str("&hub.challenge=");
        query.extend(form_urlencoded::byte_serialize(challenge.as_bytes()));
        let signature = signed.then(|| signature_header(&body, &secret));
        let response = handle(&method, &query, signature.as_deref(), &body, &secret, &token);
        prop_assert!(!response.body.contains(&secret) && !response.body.contains(&token), "{:?}", response);
        let expected: &[u16] = match method.as_str() {
            "GET" => &[200, 403],
            "POST" => if signed { &[200, 400] } else { &[401] },
            _ => &[405],
        };
        prop_assert!(expected.contains(&response.status), "{:?}", response);
        if response.status == 200 && method == "GET" {
            prop_assert_eq!(&response.body, &challenge);
            prop_assert!(which != 2);
        }
    }
}
