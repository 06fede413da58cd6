//! Reading a webhook payload into [`WebhookEvent`]s.

use serde_json::{Map, Value};


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

/// One messaging item of a payload (API.md's `WebhookEvent`).
#[derive(Clone, Debug, PartialEq)]
pub struct WebhookEvent {
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
    /// The messaging item as sent (a JSON object). Parsed by `serde_json`, so its members come
    /// in name order, not the payload's: the item itself, in the payload's order, is at
    /// `entry[entry_index].messaging[item_index]` (`.standby[item_index]` when `standby`).
    pub raw: Value,
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

/// Reads a body (the raw bytes as received) as a webhook payload: JSON (UTF-8, nesting at most
/// 128 deep, `serde_json`'s limit), then [`read_payload`]. No size limit of its own: `handle`
/// refuses bodies over [`super::MAX_BODY_BYTES`] before calling it.
pub fn parse_payload(raw_body: &[u8]) -> Result<Vec<WebhookEvent>, WebhookError> {
    match serde_json::from_slice::<Value>(raw_body) {
        Ok(payload) => read_payload(payload),
        // serde_json's syntax errors never quote the input: only the position is kept.
        Err(error) => Err(WebhookError {
            reason: format!("the body is not JSON (line {}, column {})", error.line(), error.column()),
        }),
    }
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
/// decimal); timestamps are non-negative integers up to 2^53 - 1 (a float without a fraction is
/// read as its integer). Items of unknown kinds are [`EventKind::Other`], never dropped. Other
/// members are not looked at.
pub fn read_payload(payload: Value) -> Result<Vec<WebhookEvent>, WebhookError> {
    let Value::Object(mut payload) = payload else {
        return Err(WebhookError::new("the payload is not a JSON object"));
    };
    let platform = match payload.get("object") {
        Some(Value::String(object)) if object == "page" => Platform::Messenger,
        Some(Value::String(object)) if object == "instagram" => Platform::Instagram,
        Some(_) => return Err(WebhookError::new("\"object\" is not \"page\" or \"instagram\"")),
        None => return Err(WebhookError::new("no \"object\"")),
    };
    let entries = match payload.remove("entry") {
        Some(Value::Array(entries)) => entries,
        Some(_) => return Err(WebhookError::new("\"entry\" is not an array")),
        None => return Err(WebhookError::new("no \"entry\"")),
    };
    let mut events = Vec::new();
    for (entry_index, entry) in entries.into_iter().enumerate() {
        read_entry(platform, entry_index, entry, &mut events)?;
    }
    Ok(events)
}

fn read_entry(
    platform: Platform,
    entry_index: usize,
    entry: Value,
    events: &mut Vec<WebhookEvent>,
) -> Result<(), WebhookError> {
    let at = |what: &str| format!("entry {}{what}", entry_index as u64);
    let Value::Object(mut entry) = entry else {
        return Err(WebhookError {
            reason: at(" is not an object"),
        });
    };
    let page_id = id(entry.get("id")).ok_or_else(|| WebhookError {
        reason: at(" has no id"),
    })?;
    let time = match entry.get("time") {
        None | Some(Value::Null) => None,
        Some(time) => Some(millis(time).ok_or_else(|| WebhookError {
            reason: at(": \"time\" is not an integer of milliseconds"),
        })?),
    };
    for (list, standby) in [("messaging", false), ("standby", true)] {
        let items = match entry.remove(list) {
            None => continue,
            Some(Value::Array(items)) => items,
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
            let Value::Object(object) = &item else {
                return Err(item_at(" is not an object"));
            };
            let read = read_item(object, time).map_err(item_at)?;
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

fn read_item(item: &Map<String, Value>, entry_time: Option<u64>) -> Result<Item, &'static str> {
    let sender = party_id(item, "sender").ok_or(" has no sender.id")?;
    let recipient = party_id(item, "recipient").ok_or(" has no recipient.id")?;
    let timestamp = match item.get("timestamp") {
        None | Some(Value::Null) => entry_time.ok_or(" has no timestamp")?,
        Some(timestamp) => millis(timestamp).ok_or(": \"timestamp\" is not an integer of milliseconds")?,
    };
    let found = KINDS
        .iter()
        .find_map(|(member, kind)| item.get(*member).map(|body| (*member, *kind, body)));
    let (kind, body) = match found {
        None => (EventKind::Other, None),
        Some((member, kind, body)) => {
            let Value::Object(body) = body else {
                return Err(not_an_object(member));
            };
            let kind = match (kind, body.get("is_echo")) {
                (EventKind::Message, Some(Value::Bool(true))) => EventKind::Echo,
                _ => kind,
            };
            (kind, Some(body))
        }
    };
    let member = |name: &str| match body.and_then(|body| body.get(name)) {
        Some(Value::String(text)) => Some(text.clone()),
        _ => None,
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
fn party_id(item: &Map<String, Value>, party: &str) -> Option<String> {
    match item.get(party) {
        Some(Value::Object(party)) => id(party.get("id")),
        _ => None,
    }
}

/// An id: a non-empty string, or a non-negative integer in decimal.
fn id(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(id) if !id.is_empty() => Some(id.clone()),
        Value::Number(number) => number.as_u64().map(|number| number.to_string()),
        _ => None,
    }
}

/// Epoch milliseconds: a non-negative integer up to 2^53 - 1 (or a float without a fraction).
fn millis(value: &Value) -> Option<u64> {
    let Value::Number(number) = value else {
        return None;
    };
    let millis = match number.as_u64() {
        Some(millis) => millis,
        None => {
            let float = number.as_f64()?;
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
        assert_eq!(id(None), None);
    }

    #[test]
    fn kind_members_are_looked_for_in_order() {
        let item = json!({"sender":{"id":"1"},"recipient":{"id":"2"},"timestamp":1,
            "message":{"mid":"m"},"read":{"mid":"r"}});
        let Value::Object(item) = item else { unreachable!() };
        let read = read_item(&item, None).unwrap();
        assert_eq!((read.kind, read.message_id.as_deref()), (EventKind::Message, Some("m")));
    }
}
