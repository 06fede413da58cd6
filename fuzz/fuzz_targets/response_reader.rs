//! `read_response` over `BodyShape::from_text`: a status byte, optionally a usage header line,
//! then the body text. Never panics; the result is consistent with the status and the
//! classification; cursors are safe to hand out.
//!
//! Input: byte 0 picks the status (bit 7 set: `100 + 4 * (byte & 127)`, else one of a table);
//! the rest is the body text, except that a body starting with `H:` has its first line (after
//! `H:`) read as an `X-Business-Use-Case-Usage` header.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use page_conversations::cursor::Cursor;
use page_conversations::error::{classify, ApiErrorClass, Error};
use page_conversations::redact::Secrets;
use page_conversations::response::{read_response, BodyShape};
use page_conversations::usage::RateLimitUsage;

const STATUSES: [u16; 16] = [
    200, 200, 201, 204, 299, 304, 400, 401, 403, 404, 429, 500, 502, 503, 504, 0,
];

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let status = if first & 0x80 != 0 {
        100 + 4 * u16::from(first & 0x7f)
    } else {
        STATUSES[usize::from(first) % STATUSES.len()]
    };
    let text = String::from_utf8_lossy(rest);
    let (usage, body) = match text.strip_prefix("H:") {
        Some(with_header) => {
            let (header, body) = with_header.split_once('\n').unwrap_or((with_header, ""));
            (RateLimitUsage::from_headers(None, None, Some(header)), body)
        }
        None => (None, &*text),
    };
    let secrets = Secrets::new(&[common::TOKEN]);
    let shape = BodyShape::from_text(body);
    match read_response(status, &shape, usage.as_ref(), &secrets) {
        Ok(cursors) => {
            assert!((200..300).contains(&status), "a page with status {status}");
            assert!(
                matches!(
                    shape,
                    BodyShape::Object {
                        data_is_array: true,
                        ..
                    }
                ),
                "a page without a data array"
            );
            for cursor in cursors.next.iter().chain(cursors.previous.iter()) {
                let encoded = cursor.encode();
                match cursor {
                    Cursor::Link(pairs) => {
                        assert!(!pairs.is_empty());
                        for (name, _) in pairs {
                            assert!(!name.is_empty() && !common::DROPPED.contains(&name.as_str()), "{name:?} kept");
                        }
                        assert!(encoded.bytes().all(|b| b.is_ascii_graphic()), "{encoded:?}");
                        if encoded.len() <= 8192 {
                            assert_eq!(Cursor::parse(&encoded).as_ref(), Ok(cursor), "{encoded:?}");
                        }
                    }
                    Cursor::Graph(value) => {
                        assert!(!value.is_empty());
                        // Graph's own cursors are passed through as they are (base64 in practice);
                        // only those `Cursor::parse` accepts round-trip (see the report).
                        if value.len() <= 8192
                            && value.bytes().all(|b| b.is_ascii_graphic())
                            && !value.starts_with("~1.")
                        {
                            assert_eq!(Cursor::parse(&encoded).as_ref(), Ok(cursor));
                        }
                    }
                }
            }
        }
        Err(Error::GraphApi(failure)) => {
            assert_eq!(failure.status, status);
            assert_eq!(failure.class, classify(failure.code, &failure.message));
            if failure.class != ApiErrorClass::RateLimit {
                assert_eq!(failure.retry_after_ms, None);
            } else {
                assert_eq!(
                    failure.retry_after_ms,
                    usage.as_ref().and_then(RateLimitUsage::retry_after_ms)
                );
            }
            if let Some(code) = failure.code {
                assert!(
                    code.unsigned_abs() < 1 << 53,
                    "a code JavaScript cannot hold exactly: {code}"
                );
            }
            for text in [
                Some(&failure.message),
                failure.error_type.as_ref(),
                failure.user_message.as_ref(),
            ]
            .into_iter()
            .flatten()
            {
                assert_eq!(common::leak(text, [&common::TOKEN.to_owned()]), None, "{text:?}");
            }
        }
        Err(Error::InvalidResponse { status: s, .. }) => assert_eq!(s, status),
        Err(other) => panic!("read_response gave {other:?}"),
    }
});
