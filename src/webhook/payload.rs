//! Reading a webhook payload into [`WebhookEvent`]s.

use serde_json::Value;

use crate::json::JsonView;

/// The largest timestamp accepted: JavaScript's `Number.MAX_SAFE_INTEGER` milliseconds.
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// Where the events come from: the payload's `"object"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Platform {
    /// `"object": "page"`: Messenger.
    Messenger,
    /// `"object": "instagram"`: Instagram messaging.
    Instagram,
}

impl Platform {
    /// `"messenger"` or `"instagram"`, as in `WebhookEvent.platform` and `listConversations`.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Messenger => "messenger",
            Platform::Instagram => "instagram",
        }
    }
}

/// What a messaging item is about, by the member it has (GRAPH.md "Webhooks").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    /// `message`, not an echo: the person wrote (text, attachments, quick reply, unsend…).
    Message,
    /// `message` with `is_echo: true`: the Page's own message.
    Echo,
    /// `message_edit`.
    Edit,
    /// `read`.
    Read,
    /// `delivery`.
    Delivery,
    /// `reaction` (react or unreact).
    Reaction,
    /// `postback`.
    Postback,
    /// `referral`.
    Referral,
    /// Anything else (`optin`, `account_linking`, handover `pass_thread_control`, …).
    Other,
}

impl EventKind {
    /// The name in `WebhookEvent.type`: `"message"`, `"echo"`, `"edit"`, `"read"`,
    /// `"delivery"`, `"reaction"`, `"postback"`, `"referral"` or `"other"`.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Message => "message",
            EventKind::Echo => "echo",
            EventKind::Edit => "edit",
            EventKind::Read => "read",
            EventKind::Delivery => "delivery",
            EventKind::Reaction => "reaction",
            EventKind::Postback => "postback",
            EventKind::Referral => "referral",
            EventKind::Other => "other",
        }
    }
}

/// The members that give an item its kind, in the order they are looked for (an item has one).
const KINDS: [(&str, EventKind); 7] = [
    ("message", EventKind::Message),
    ("message_edit", EventKind::Edit),
    ("read", EventKind::Read),
    ("delivery", EventKind::Delivery),
    ("reaction", EventKind::Reaction),
    ("postback", EventKind::Postback),
    ("referral", EventKind::Referral),
];

/// One messaging item of a payload (API.md's `WebhookEvent`), as read from a payload parsed into
/// `J` ([`read_payload`]): `serde_json::Value` unless said otherwise.
#[derive(Clone, Debug, PartialEq)]
pub struct WebhookEvent<J = Value> {
    /// From the payload's `"object"`.
    pub platform: Platform,
    /// `entry.id`: the Page, or the Instagram account.
    pub page_id: String,
    /// The person: `sender.id`, or `recipient.id` for an echo (the Page sent it).
    pub user_id: String,
    /// By the member the item has.
    pub kind: EventKind,
    /// The item's `timestamp` (epoch milliseconds); the entry's `time` when the item has none.
    pub timestamp: u64,
    /// Whether the item came from `entry.standby` (another app owns the thread).
    pub standby: bool,
    /// The mid the event is about: `message.mid` (messages and echoes), `message_edit.mid`,
    /// `read.mid` (Instagram; Messenger's reads only have a watermark), `reaction.mid`,
    /// `postback.mid`; `None` when the item has none (a non-empty string), and always for
    /// deliveries (a delivery acknowledges every message up to its `watermark`, and its `mids`,
    /// when sent, can name several: they are in `raw`), referrals and other kinds.
    pub message_id: Option<String>,
    /// `message.text` (messages and echoes) or `message_edit.text`, when a string; `None` for
    /// other kinds and for messages with attachments only.
    pub text: Option<String>,
    /// The messaging item as sent (a JSON object), as the payload's parser gave it: from
    /// `serde_json`, its members come in name order, not the payload's (the item itself, in the
    /// payload's order, is at `entry[entry_index].messaging[item_index]`, `.standby[item_index]`
    /// when `standby`); from `JSON.parse` (the binding), it is that parse's own object.
    pub raw: J,
    /// The index of the item's entry in the payload's `entry`.
    pub entry_index: usize,
    /// The index of the item in its entry's `messaging` (or `standby`).
    pub item_index: usize,
}

/// A body or value that is not a Page or Instagram webhook payload (JavaScript `WebhookError`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebhookError {
    /// What is wrong, and where (positions only: never the payload's content).
    pub reason: String,
}

impl WebhookError {
    fn new(reason: &str) -> WebhookError {
        WebhookError {
            reason: String::from(reason),
        }
    }

    /// The name of the JavaScript error class.
    pub fn class_name(&self) -> &'static str {
        "WebhookError"
    }

    /// `Not a Page or Instagram webhook payload: {reason}`.
    pub fn message(&self) -> String {
        format!("Not a Page or Instagram webhook payload: {}", self.reason)
    }
}

impl core::fmt::Display for WebhookError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for WebhookError {}

/// The deepest nesting of arrays and objects in a body: `serde_json`'s limit (its 128th
/// opening bracket is refused), kept by [`payload_text`] for parsers without such a limit.
pub const MAX_DEPTH: usize = 127;

/// The reason of a body that is not JSON, without a position.
const NOT_JSON: &str = "the body is not JSON";

impl WebhookError {
    /// A body that is not JSON, for a parser that gives no position (`JSON.parse`).
    pub fn not_json() -> WebhookError {
        WebhookError::new(NOT_JSON)
    }
}

/// Reads a body (the raw bytes as received) as a webhook payload: JSON (UTF-8, nesting at most
/// [`MAX_DEPTH`] deep, `serde_json`'s limit), then [`read_payload`]. No size limit of its own:
/// `handle` refuses bodies over [`super::MAX_BODY_BYTES`] before calling it.
pub fn parse_payload(raw_body: &[u8]) -> Result<Vec<WebhookEvent>, WebhookError> {
    read_payload(parse_body(raw_body)?)
}

/// Parses a body with `serde_json` (what [`parse_payload`] and [`super::handle`] read).
pub fn parse_body(raw_body: &[u8]) -> Result<Value, WebhookError> {
    // serde_json's syntax errors never quote the input: only the position is kept.
    serde_json::from_slice::<Value>(raw_body).map_err(|error| WebhookError {
        reason: format!("{NOT_JSON} (line {}, column {})", error.line(), error.column()),
    })
}

/// The body as text for a JSON parser that has none of `serde_json`'s limits (JavaScript's
/// `JSON.parse`, in the binding): refused, as [`parse_body`] refuses it, when it is not UTF-8,
/// starts with a byte order mark (which a decoder might drop), or nests arrays and objects more
/// than [`MAX_DEPTH`] deep (`JSON.parse` takes far deeper values, which code that walks them
/// recursively, `JSON.stringify` among it, then cannot handle). The reasons name a byte offset
/// instead of `serde_json`'s line and column. Whether the text is JSON is the parser's to say.
pub fn payload_text(raw_body: &[u8]) -> Result<&str, WebhookError> {
    let text = core::str::from_utf8(raw_body).map_err(|error| WebhookError {
        reason: format!("{NOT_JSON} (not UTF-8 at byte {})", error.valid_up_to()),
    })?;
    if text.starts_with('\u{feff}') {
        return Err(WebhookError::not_json());
    }
    // Brackets outside strings; in a body that is not JSON this may miscount, and the parser
    // then refuses it anyway.
    let (mut depth, mut in_string, mut escaped) = (0_usize, false, false);
    for (at, byte) in raw_body.iter().enumerate() {
        match (in_string, byte) {
            (true, _) if escaped => escaped = false,
            (true, b'\\') => escaped = true,
            (true, b'"') | (false, b'"') => in_string = !in_string,
            (false, b'[' | b'{') => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(WebhookError {
                        reason: format!("{NOT_JSON} (nested more than {MAX_DEPTH} deep at byte {at})"),
                    });
                }
            }
            (false, b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(text)
}

/// Reads a parsed payload into its events: one per item of each entry's `messaging` then
/// `standby`, entries in order, items in order. Refused ([`WebhookError`]) unless:
///
/// * the payload is an object whose `"object"` is `"page"` or `"instagram"` and whose `"entry"`
///   is an array (possibly empty);
/// * every entry is an object with an `id`; its `messaging` and `standby`, when present, are
///   arrays (an entry with neither, e.g. of `changes`, gives no events);
/// * every item is an object with `sender.id` and `recipient.id`, a `timestamp` (or its entry
///   a `time`), and, when it has one of the members that give a kind, an object there.
///
/// Ids are non-empty strings (what Meta sends) or non-negative integers (given back in
/// decimal; see [`JsonView::unsigned`]: from `JSON.parse`, at most 2^53 - 1); timestamps are
/// non-negative integers up to 2^53 - 1 (a float without a fraction is read as its integer).
/// Items of unknown kinds are [`EventKind::Other`], never dropped. Other members are not looked
/// at. A member named twice in an object is read as the parser kept it: both `serde_json` and
/// `JSON.parse` keep the last.
///
/// Generic over the parser, as [`crate::response::read_response`]: `serde_json::Value` on the
/// host ([`parse_payload`]), the JavaScript value of `JSON.parse` in the binding, each event's
/// `raw` then being the very item of that parse.
pub fn read_payload<J: JsonView>(payload: J) -> Result<Vec<WebhookEvent<J>>, WebhookError> {
    if !payload.is_object() {
        return Err(WebhookError::new("the payload is not a JSON object"));
    }
    let platform = match payload.member("object") {
        None => return Err(WebhookError::new("no \"object\"")),
        Some(object) => match object.text().as_deref() {
            Some("page") => Platform::Messenger,
            Some("instagram") => Platform::Instagram,
            _ => return Err(WebhookError::new("\"object\" is not \"page\" or \"instagram\"")),
        },
    };
    let entries = match payload.member("entry") {
        Some(entries) if entries.is_array() => entries.items(),
        Some(_) => return Err(WebhookError::new("\"entry\" is not an array")),
        None => return Err(WebhookError::new("no \"entry\"")),
    };
    let mut events = Vec::new();
    for (entry_index, entry) in entries.into_iter().enumerate() {
        read_entry(platform, entry_index, entry, &mut events)?;
    }
    Ok(events)
}

fn read_entry<J: JsonView>(
    platform: Platform,
    entry_index: usize,
    entry: J,
    events: &mut Vec<WebhookEvent<J>>,
) -> Result<(), WebhookError> {
    let at = |what: &str| format!("entry {}{what}", entry_index as u64);
    if !entry.is_object() {
        return Err(WebhookError {
            reason: at(" is not an object"),
        });
    }
    let page_id = id(entry.member("id").as_ref()).ok_or_else(|| WebhookError {
        reason: at(" has no id"),
    })?;
    let time = match entry.member("time") {
        None => None,
        Some(time) => match millis(&time) {
            Some(time) => Some(time),
            None if time.is_null() => None,
            None => {
                return Err(WebhookError {
                    reason: at(": \"time\" is not an integer of milliseconds"),
                })
            }
        },
    };
    for (list, standby) in [("messaging", false), ("standby", true)] {
        let items = match entry.member(list) {
            None => continue,
            Some(items) if items.is_array() => items.items(),
            Some(_) => {
                return Err(WebhookError {
                    reason: at(&format!(": \"{list}\" is not an array")),
                })
            }
        };
        events.reserve(items.len());
        for (item_index, item) in items.into_iter().enumerate() {
            let item_at = |what: &str| WebhookError {
                reason: at(&format!(", {list} {}{what}", item_index as u64)),
            };
            if !item.is_object() {
                return Err(item_at(" is not an object"));
            }
            let read = read_item(&item, time).map_err(item_at)?;
            events.push(WebhookEvent {
                platform,
                page_id: page_id.clone(),
                user_id: read.user_id,
                kind: read.kind,
                timestamp: read.timestamp,
                standby,
                message_id: read.message_id,
                text: read.text,
                raw: item,
                entry_index,
                item_index,
            });
        }
    }
    Ok(())
}

/// What an item says, before it is moved into the event's `raw`.
struct Item {
    user_id: String,
    kind: EventKind,
    timestamp: u64,
    message_id: Option<String>,
    text: Option<String>,
}

fn read_item<J: JsonView>(item: &J, entry_time: Option<u64>) -> Result<Item, &'static str> {
    let sender = party_id(item, "sender").ok_or(" has no sender.id")?;
    let recipient = party_id(item, "recipient").ok_or(" has no recipient.id")?;
    let timestamp = match item.member("timestamp") {
        None => entry_time.ok_or(" has no timestamp")?,
        Some(timestamp) => match millis(&timestamp) {
            Some(timestamp) => timestamp,
            None if timestamp.is_null() => entry_time.ok_or(" has no timestamp")?,
            None => return Err(": \"timestamp\" is not an integer of milliseconds"),
        },
    };
    let found = KINDS
        .iter()
        .find_map(|(member, kind)| item.member(member).map(|body| (*member, *kind, body)));
    let (kind, body) = match found {
        None => (EventKind::Other, None),
        Some((member, kind, body)) => {
            if !body.is_object() {
                return Err(not_an_object(member));
            }
            let echo = kind == EventKind::Message
                && body.member("is_echo").and_then(|is_echo| is_echo.boolean()) == Some(true);
            (if echo { EventKind::Echo } else { kind }, Some(body))
        }
    };
    let member = |name: &str| {
        body.as_ref()
            .and_then(|body| body.member(name))
            .and_then(|value| value.text())
    };
    let message_id = match kind {
        EventKind::Message
        | EventKind::Echo
        | EventKind::Edit
        | EventKind::Read
        | EventKind::Reaction
        | EventKind::Postback => member("mid").filter(|mid| !mid.is_empty()),
        EventKind::Delivery | EventKind::Referral | EventKind::Other => None,
    };
    let text = match kind {
        EventKind::Message | EventKind::Echo | EventKind::Edit => member("text"),
        _ => None,
    };
    Ok(Item {
        user_id: if kind == EventKind::Echo { recipient } else { sender },
        kind,
        timestamp,
        message_id,
        text,
    })
}

fn not_an_object(member: &str) -> &'static str {
    match member {
        "message" => ": \"message\" is not an object",
        "message_edit" => ": \"message_edit\" is not an object",
        "read" => ": \"read\" is not an object",
        "delivery" => ": \"delivery\" is not an object",
        "reaction" => ": \"reaction\" is not an object",
        "postback" => ": \"postback\" is not an object",
        _ => ": \"referral\" is not an object",
    }
}

/// `item[party].id`.
fn party_id<J: JsonView>(item: &J, party: &str) -> Option<String> {
    // (`member` of anything but an object is `None`.)
    id(item.member(party)?.member("id").as_ref())
}

/// An id: a non-empty string, or a non-negative integer in decimal.
fn id<J: JsonView>(value: Option<&J>) -> Option<String> {
    let value = value?;
    match value.text() {
        Some(id) => (!id.is_empty()).then_some(id),
        None => value.unsigned().map(|number| number.to_string()),
    }
}

/// Epoch milliseconds: a non-negative integer up to 2^53 - 1 (or a float without a fraction).
fn millis<J: JsonView>(value: &J) -> Option<u64> {
    let millis = match value.unsigned() {
        Some(millis) => millis,
        None => {
            let float = value.number()?;
            if !(float.fract() == 0.0 && (0.0..=MAX_SAFE_INTEGER as f64).contains(&float)) {
                return None;
            }
            float as u64
        }
    };
    (millis <= MAX_SAFE_INTEGER).then_some(millis)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn millis_bounds() {
        assert_eq!(millis(&json!(0)), Some(0));
        assert_eq!(millis(&json!(1_458_692_752_478_u64)), Some(1_458_692_752_478));
        assert_eq!(millis(&json!(1.458_692_752_478e12)), Some(1_458_692_752_478));
        assert_eq!(millis(&json!(9_007_199_254_740_991_u64)), Some(9_007_199_254_740_991));
        assert_eq!(millis(&json!(9_007_199_254_740_992_u64)), None);
        assert_eq!(millis(&json!(-1)), None);
        assert_eq!(millis(&json!(1.5)), None);
        assert_eq!(millis(&json!(-0.0)), Some(0));
        assert_eq!(millis(&json!("1458692752478")), None);
        assert_eq!(millis(&json!(null)), None);
    }

    #[test]
    fn ids() {
        assert_eq!(id(Some(&json!("123"))), Some(String::from("123")));
        assert_eq!(id(Some(&json!(123))), Some(String::from("123")));
        assert_eq!(id(Some(&json!(""))), None);
        assert_eq!(id(Some(&json!(-1))), None);
        assert_eq!(id(Some(&json!(1.5))), None);
        assert_eq!(id(Some(&json!(null))), None);
        assert_eq!(id(Some(&json!({"id": "1"}))), None);
        assert_eq!(id::<Value>(None), None);
    }

    #[test]
    fn kind_members_are_looked_for_in_order() {
        let item = json!({"sender":{"id":"1"},"recipient":{"id":"2"},"timestamp":1,
            "message":{"mid":"m"},"read":{"mid":"r"}});
        let read = read_item(&item, None).unwrap();
        assert_eq!((read.kind, read.message_id.as_deref()), (EventKind::Message, Some("m")));
    }

    /// `payload_text` refuses exactly the nesting `serde_json` refuses, arrays and objects, with
    /// brackets inside strings (escaped quotes too) not counted.
    #[test]
    fn payload_text_nesting_is_serde_jsons() {
        for depth in [1, 2, MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, MAX_DEPTH + 2, 10_000] {
            let arrays = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            let objects = format!("{}1{}", r#"{"a\"[{":"#.repeat(depth), "}".repeat(depth));
            let mixed = format!("{}0{}", r#"[{"[":"#.repeat(depth / 2 + 1), "}]".repeat(depth / 2 + 1));
            for body in [arrays, objects, mixed] {
                let serde = serde_json::from_str::<Value>(&body).is_ok();
                assert_eq!(payload_text(body.as_bytes()).is_ok(), serde, "{depth}: {body:.40}");
                if !serde {
                    let reason = payload_text(body.as_bytes()).unwrap_err().reason;
                    assert!(
                        reason.starts_with("the body is not JSON (nested more than 127 deep at byte "),
                        "{reason}"
                    );
                }
            }
        }
    }

    #[test]
    fn payload_text_refuses_what_serde_json_refuses_before_parsing() {
        assert_eq!(payload_text(b"{\"a\":\"\xc3\xa4\"}"), Ok("{\"a\":\"\u{e4}\"}"));
        assert_eq!(payload_text(b""), Ok(""));
        let error = payload_text(b"{\"a\":\"\xff\"}").unwrap_err();
        assert_eq!(error.reason, "the body is not JSON (not UTF-8 at byte 6)");
        assert!(serde_json::from_slice::<Value>(b"{\"a\":\"\xff\"}").is_err());
        let bom = "\u{feff}{\"object\":\"page\",\"entry\":[]}";
        assert_eq!(payload_text(bom.as_bytes()), Err(WebhookError::not_json()));
        assert!(serde_json::from_str::<Value>(bom).is_err());
        assert_eq!(WebhookError::not_json().reason, "the body is not JSON");
    }
}
