//! The webhook payload reader (`parse_payload`) and `handle` over arbitrary bodies: never
//! panic; every event is consistent with the item it says it comes from; `handle` answers a
//! body signed with the app secret 200 exactly when the reader accepts it (400 otherwise, 413
//! over the size limit) and 401 when signed with another secret; `payload_text` (the binding's
//! check before `JSON.parse`) refuses no body that `serde_json` accepts, and every body nested
//! deeper than `serde_json` allows.
//!
//! Input: the raw body bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use page_conversations::webhook::{
    handle, parse_body, parse_payload, payload_text, signature_header, EventKind, Platform, MAX_BODY_BYTES,
};
use serde_json::Value;

const SECRET: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
const TOKEN: &str = "fuzz-verify-token";

fn id_of(party: &Value) -> Option<String> {
    match party.get("id")? {
        Value::String(id) => Some(id.clone()),
        Value::Number(number) => number.as_u64().map(|id| id.to_string()),
        _ => None,
    }
}

fuzz_target!(|data: &[u8]| {
    let text = payload_text(data);
    match (&text, serde_json::from_slice::<Value>(data)) {
        (Err(refused), Ok(_)) => panic!("payload_text refused JSON: {}", refused.reason),
        (Ok(_), Err(error)) => assert!(!error.to_string().starts_with("recursion limit"), "{error}"),
        _ => {}
    }
    assert_eq!(parse_body(data).is_ok(), serde_json::from_slice::<Value>(data).is_ok());
    let read = parse_payload(data);
    match &read {
        Ok(events) => {
            let payload: Value = serde_json::from_slice(data).expect("accepted, so JSON");
            let platform = match payload["object"].as_str() {
                Some("page") => Platform::Messenger,
                Some("instagram") => Platform::Instagram,
                other => panic!("accepted with object {other:?}"),
            };
            let mut previous = None;
            for event in events {
                assert_eq!(event.platform, platform);
                let position = (event.entry_index, event.standby, event.item_index);
                assert!(
                    previous < Some(position),
                    "not in payload order: {previous:?} then {position:?}"
                );
                previous = Some(position);
                let entry = &payload["entry"][event.entry_index];
                let list = if event.standby { "standby" } else { "messaging" };
                let item = &entry[list][event.item_index];
                assert_eq!(&event.raw, item);
                assert_eq!(Some(&event.page_id), id_of(entry).as_ref());
                let person = if event.kind == EventKind::Echo {
                    "recipient"
                } else {
                    "sender"
                };
                assert_eq!(Some(&event.user_id), id_of(&item[person]).as_ref());
                assert!(!event.page_id.is_empty() && !event.user_id.is_empty());
                assert!(event.timestamp < 1 << 53);
                if !matches!(event.kind, EventKind::Message | EventKind::Echo | EventKind::Edit) {
                    assert_eq!(event.text, None);
                }
                if matches!(event.kind, EventKind::Delivery | EventKind::Referral | EventKind::Other) {
                    assert_eq!(event.message_id, None);
                }
                if let Some(mid) = &event.message_id {
                    assert!(!mid.is_empty());
                }
            }
        }
        Err(error) => assert!(!error.reason.is_empty()),
    }

    let signature = signature_header(data, SECRET);
    let response = handle("POST", "", Some(&signature), data, SECRET, TOKEN);
    match (&read, data.len() > MAX_BODY_BYTES) {
        (_, true) => assert_eq!(response.status, 413),
        (Ok(events), false) => {
            assert_eq!(response.status, 200);
            assert_eq!(&response.events, events);
        }
        (Err(error), false) => {
            assert_eq!(response.status, 400);
            assert_eq!(response.body, error.message());
            assert!(response.events.is_empty());
        }
    }
    let forged = signature_header(data, "another-app-secret");
    let response = handle("POST", "", Some(&forged), data, SECRET, TOKEN);
    assert_eq!(response.status, if data.len() > MAX_BODY_BYTES { 413 } else { 401 });
    assert!(!response.body.contains(SECRET) && !response.body.contains(TOKEN));
});
