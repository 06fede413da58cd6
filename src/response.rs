//! Reads Graph's answer: an error envelope (in any HTTP status, 200 included) or a page's
//! `paging`, turned into cursors. The page's `data` is not read here, only checked to be an
//! array: it goes back to the caller as Graph sent it.

use serde_json::Value;

use crate::cursor::Cursor;
use crate::error::{classify, ApiErrorClass, Error, GraphApiFailure};
use crate::json::JsonView;
use crate::redact::Secrets;
use crate::usage::RateLimitUsage;

/// What the body is, as far as this module needs to know; `J` is the parsed JSON's type.
#[derive(Clone, Debug, PartialEq)]
pub enum BodyShape<J = Value> {
    /// Not JSON: an HTML page, a truncated body, nothing.
    NotJson,
    /// JSON, but not an object.
    NotObject,
    /// A JSON object.
    Object {
        /// Its `error` member.
        error: Option<J>,
        /// Its `paging` member.
        paging: Option<J>,
        /// Whether its `data` member is an array.
        data_is_array: bool,
    },
}

impl BodyShape<Value> {
    /// Reads a body from its text with `serde_json`. The JavaScript binding builds the shape
    /// from the engine's parsed object instead, so that `data` is never copied into Rust.
    pub fn from_text(text: &str) -> BodyShape<Value> {
        match serde_json::from_str::<Value>(text) {
            Ok(value) => BodyShape::from_parsed(value),
            Err(_) => BodyShape::NotJson,
        }
    }
}

impl<J: JsonView> BodyShape<J> {
    /// The shape of a parsed body.
    pub fn from_parsed(body: J) -> BodyShape<J> {
        if !body.is_object() {
            return BodyShape::NotObject;
        }
        BodyShape::Object {
            error: body.member("error"),
            paging: body.member("paging"),
            data_is_array: body.member("data").is_some_and(|data| data.is_array()),
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
pub fn read_response<J: JsonView>(
    status: u16,
    body: &BodyShape<J>,
    usage: Option<&RateLimitUsage>,
    secrets: &Secrets,
) -> Result<PageCursors, Error> {
    read_response_without_usage(status, body, usage, secrets).map_err(|mut error| {
        if let Error::GraphApi(failure) = &mut error {
            failure.usage = usage.cloned();
        }
        error
    })
}

/// [`read_response`], except that a [`GraphApiFailure`] is left without its `usage` (its
/// `retry_after_ms` is read from `usage` all the same): the client moves the answer's usage
/// into it instead of cloning it.
pub(crate) fn read_response_without_usage<J: JsonView>(
    status: u16,
    body: &BodyShape<J>,
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
    let Some(paging) = paging else {
        return Ok(PageCursors::default());
    };
    if !paging.is_object() {
        return Err(invalid("\"paging\" is not an object"));
    }
    let cursors = paging.member("cursors");
    let cursor = |link_name: &str, cursor_name: &str| -> Result<Option<Cursor>, Error> {
        let Some(link) = paging
            .member(link_name)
            .and_then(|link| link.text())
            .filter(|l| !l.is_empty())
        else {
            return Ok(None);
        };
        let graph_cursor = cursors
            .as_ref()
            .and_then(|c| c.member(cursor_name))
            .and_then(|c| c.text());
        graph_cursor
            .as_deref()
            .and_then(Cursor::from_graph)
            .or_else(|| Cursor::from_link(&link, secrets))
            .map(Some)
            .ok_or_else(|| invalid("a paging link without a cursor or query to continue from"))
    };
    Ok(PageCursors {
        next: cursor("next", "after")?,
        previous: cursor("previous", "before")?,
    })
}

/// Turns Graph's error envelope into a classified error.
fn graph_api_error<J: JsonView>(status: u16, error: &J, usage: Option<&RateLimitUsage>, secrets: &Secrets) -> Error {
    let text = |key: &str| {
        error
            .member(key)
            .and_then(|value| value.text())
            .map(|text| secrets.redact(&text))
    };
    let message = text("message").unwrap_or_else(|| String::from("(no message)"));
    let code = error.integer_member("code");
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
        subcode: error.integer_member("error_subcode"),
        error_type: text("type"),
        fbtrace_id: text("fbtrace_id"),
        user_title: text("error_user_title"),
        user_message: text("error_user_msg"),
        is_transient: error
            .member("is_transient")
            .and_then(|value| value.boolean())
            .unwrap_or(false),
        usage: None,
        retry_after_ms,
    }))
}
