//! Reads Graph's answer: an error envelope (in any HTTP status, 200 included) or a page's
//! `paging`, turned into cursors. The page's `data` is not read here, only checked to be an
//! array: it goes back to the caller as Graph sent it.

use serde_json::Value;

use crate::cursor::Cursor;
use crate::error::{classify, ApiErrorClass, Error, GraphApiFailure};
use crate::json::JsonView;
use crate::redact::Secrets;
use crate::usage::RateLimitUsage;

/// The largest body read, in bytes (32 MiB; Graph's largest pages are a few MB): a longer one, by
/// its `Content-Length` or by what arrives, is an [`Error::InvalidResponse`] ([`too_large`]) and
/// the rest is not read.
pub const BODY_LIMIT_BYTES: u32 = 32 * 1024 * 1024;

/// The error of a body longer than [`BODY_LIMIT_BYTES`].
pub fn too_large(status: u16) -> Error {
    Error::InvalidResponse {
        status,
        detail: String::from("the body is larger than 32 MiB, the package's limit; the rest was not read"),
    }
}

/// The error of a redirect (a 3xx answer, or status 0: a browser's `opaqueredirect`, whose
/// status and `Location` it hides): never followed, so no header reaches the `Location`, which
/// the message names without its query and with secrets redacted.
pub fn redirect_error(status: u16, location: Option<&str>, secrets: &Secrets) -> Error {
    let location = location.map(|location| {
        let base = location.split_once('?').map_or(location, |(base, _)| base);
        secrets.redact(base)
    });
    let to = location.map_or_else(String::new, |location| format!(" to {location}"));
    Error::InvalidResponse {
        status,
        detail: format!("a redirect{to}, which is never followed (baseUrl must be where Graph answers)"),
    }
}

/// Whether `status` is a redirect's: 3xx, or 0 (a browser's `opaqueredirect`).
pub fn is_redirect(status: u16) -> bool {
    status == 0 || (300..400).contains(&status)
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_are_invalid_responses_never_retried_naming_where_without_secrets() {
        let secrets = Secrets::new(&["EAAtok3n"]);
        let error = redirect_error(302, Some("https://evil.test/EAAtok3n/x?access_token=EAAtok3n&a=1"), &secrets);
        assert_eq!(
            error.message(),
            "Invalid response from Graph (HTTP 302): a redirect to https://evil.test/[REDACTED]/x, which is never followed (baseUrl must be where Graph answers)"
        );
        assert!(!error.is_retryable());
        let hidden = redirect_error(0, None, &secrets);
        assert!(matches!(hidden, Error::InvalidResponse { status: 0, .. }));
        assert!(!hidden.is_retryable());
        assert!([0, 300, 301, 302, 303, 307, 308, 399].into_iter().all(is_redirect));
        assert!(![200, 204, 299, 400, 500].into_iter().any(is_redirect));
        assert!(matches!(too_large(200), Error::InvalidResponse { status: 200, .. }));
    }
}
