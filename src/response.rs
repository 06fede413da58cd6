//! Reads Graph's answer: an error envelope (in any HTTP status, 200 included) or a page's
//! `paging`, turned into cursors. The page's `data` is not read here, only checked to be an
//! array: it goes back to the caller as Graph sent it.

use serde_json::Value;

use crate::cursor::Cursor;
use crate::error::{classify, ApiErrorClass, Error, GraphApiFailure};
use crate::redact::Secrets;
use crate::usage::RateLimitUsage;

/// What the body is, as far as this module needs to know.
#[derive(Clone, Debug, PartialEq)]
pub enum BodyShape {
    /// Not JSON: an HTML page, a truncated body, nothing.
    NotJson,
    /// JSON, but not an object.
    NotObject,
    /// A JSON object.
    Object {
        /// Its `error` member.
        error: Option<Value>,
        /// Its `paging` member.
        paging: Option<Value>,
        /// Whether its `data` member is an array.
        data_is_array: bool,
    },
}

impl BodyShape {
    /// Reads a body from its text. The JavaScript binding builds the shape from the parsed
    /// object instead, so that `data` is never copied into Rust.
    pub fn from_text(text: &str) -> BodyShape {
        match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(mut object)) => BodyShape::Object {
                error: object.remove("error"),
                paging: object.remove("paging"),
                data_is_array: object.get("data").is_some_and(Value::is_array),
            },
            Ok(_) => BodyShape::NotObject,
            Err(_) => BodyShape::NotJson,
        }
    }
}

/// The cursors of a page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageCursors {
    /// Where the next page starts; `None` when Graph says there is none.
    pub next: Option<Cursor>,
    /// Where the previous page ends; `None` when Graph says there is none.
    pub previous: Option<Cursor>,
}

/// Reads an answer: its cursors, or the error it carries.
pub fn read_response(
    status: u16,
    body: &BodyShape,
    usage: Option<&RateLimitUsage>,
    secrets: &Secrets,
) -> Result<PageCursors, Error> {
    let invalid = |detail: &str| Error::InvalidResponse {
        status,
        detail: String::from(detail),
    };
    let (error, paging, data_is_array) = match body {
        BodyShape::NotJson => return Err(invalid("the body is not JSON (an HTML error page, or truncated)")),
        BodyShape::NotObject => return Err(invalid("the body is not a JSON object")),
        BodyShape::Object {
            error,
            paging,
            data_is_array,
        } => (error, paging, *data_is_array),
    };
    if let Some(error) = error.as_ref().filter(|error| error.is_object()) {
        return Err(graph_api_error(status, error, usage, secrets));
    }
    if !(200..300).contains(&status) {
        return Err(invalid("an error status without a Graph error envelope"));
    }
    if !data_is_array {
        return Err(invalid("the body has no \"data\" array"));
    }
    match paging {
        None | Some(Value::Null) => Ok(PageCursors::default()),
        Some(Value::Object(paging)) => {
            let cursors = paging.get("cursors").and_then(Value::as_object);
            let cursor = |link_name: &str, cursor_name: &str| -> Result<Option<Cursor>, Error> {
                let Some(link) = paging.get(link_name).and_then(Value::as_str).filter(|l| !l.is_empty()) else {
                    return Ok(None);
                };
                let graph_cursor = cursors.and_then(|c| c.get(cursor_name)).and_then(Value::as_str);
                graph_cursor
                    .and_then(Cursor::from_graph)
                    .or_else(|| Cursor::from_link(link, secrets))
                    .map(Some)
                    .ok_or_else(|| invalid("a paging link without a cursor or query to continue from"))
            };
            Ok(PageCursors {
                next: cursor("next", "after")?,
                previous: cursor("previous", "before")?,
            })
        }
        Some(_) => Err(invalid("\"paging\" is not an object")),
    }
}

/// Turns Graph's error envelope into a classified error.
fn graph_api_error(status: u16, error: &Value, usage: Option<&RateLimitUsage>, secrets: &Secrets) -> Error {
    let text = |key: &str| error.get(key).and_then(Value::as_str).map(|text| secrets.redact(text));
    let integer = |key: &str| {
        error.get(key).and_then(|value| {
            value
                .as_i64()
                .or_else(|| value.as_str().and_then(|text| text.trim().parse().ok()))
        })
    };
    let message = text("message").unwrap_or_else(|| String::from("(no message)"));
    let code = integer("code");
    let class = classify(code, &message);
    let retry_after_ms = match class {
        ApiErrorClass::RateLimit => usage.and_then(RateLimitUsage::retry_after_ms),
        _ => None,
    };
    Error::GraphApi(Box::new(GraphApiFailure {
        class,
        status,
        message,
        code,
        subcode: integer("error_subcode"),
        error_type: text("type"),
        fbtrace_id: text("fbtrace_id"),
        user_title: text("error_user_title"),
        user_message: text("error_user_msg"),
        is_transient: error.get("is_transient").and_then(Value::as_bool).unwrap_or(false),
        usage: usage.cloned(),
        retry_after_ms,
    }))
}
