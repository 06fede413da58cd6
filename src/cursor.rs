//! Opaque paging cursors.
//!
//! A cursor is either Graph's own `cursors.after` / `cursors.before` value, passed through
//! unchanged, or, for Graph's legacy responses that carry only `next` / `previous` links, the
//! query of that link without the access token, the proof and the parameters that the options
//! set anyway. The second kind is marked with a prefix that never starts a Graph cursor (Graph's
//! cursors are base64).

use crate::redact::Secrets;

/// Marks a cursor made from a legacy paging link's query.
const LINK_CURSOR_PREFIX: &str = "~1.";

/// The longest cursor accepted back from a caller.
const MAX_CURSOR_LEN: usize = 8192;

/// Query parameters a link cursor never keeps: secrets, and what the options send themselves.
const DROPPED_PARAMETERS: [&str; 7] = [
    "access_token",
    "appsecret_proof",
    "appsecret_time",
    "fields",
    "platform",
    "folder",
    "user_id",
];

/// Where to continue a listing from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cursor {
    /// Graph's own cursor, sent back as `after` or `before`.
    Graph(String),
    /// The query parameters of a legacy `next` / `previous` link, sent back as they were.
    Link(Vec<(String, String)>),
}

impl Cursor {
    /// Reads a cursor that the package handed out earlier. The reason is given on refusal.
    pub fn parse(text: &str) -> Result<Cursor, &'static str> {
        if text.is_empty() {
            return Err("must not be empty");
        }
        if text.len() > MAX_CURSOR_LEN {
            return Err("is longer than any cursor this package hands out");
        }
        if !text.bytes().all(|byte| byte.is_ascii_graphic()) {
            return Err("must be a cursor returned by this package (no spaces or control characters)");
        }
        match text.strip_prefix(LINK_CURSOR_PREFIX) {
            Some(query) => Cursor::from_query(query).ok_or("is not a cursor returned by this package"),
            None => Ok(Cursor::Graph(text.to_owned())),
        }
    }

    /// Graph's own cursor, when it can be handed out and read back as it is (non-empty
    /// printable ASCII, not looking like a link cursor); otherwise the link is used instead.
    pub fn from_graph(value: &str) -> Option<Cursor> {
        let cursor = Cursor::Graph(value.to_owned());
        (Cursor::parse(value).as_ref() == Ok(&cursor)).then_some(cursor)
    }

    /// The cursor of a legacy paging link: its query without the token, the proof and the
    /// options' own parameters, and with any other occurrence of a secret replaced. `None` when
    /// the link has no usable query.
    pub fn from_link(link: &str, secrets: &Secrets) -> Option<Cursor> {
        let without_fragment = link.split('#').next().unwrap_or_default();
        let (_, query) = without_fragment.split_once('?')?;
        match Cursor::from_query(query)? {
            Cursor::Link(pairs) => {
                let pairs = pairs
                    .into_iter()
                    .map(|(name, value)| (name, secrets.redact(&value)))
                    .collect();
                Some(Cursor::Link(pairs))
            }
            graph @ Cursor::Graph(_) => Some(graph),
        }
    }

    fn from_query(query: &str) -> Option<Cursor> {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
            .filter(|(name, _)| !name.is_empty() && !DROPPED_PARAMETERS.contains(&name.as_ref()))
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect();
        (!pairs.is_empty()).then_some(Cursor::Link(pairs))
    }

    /// The string handed to callers.
    pub fn encode(&self) -> String {
        match self {
            Cursor::Graph(value) => value.clone(),
            Cursor::Link(pairs) => {
                let mut query = form_urlencoded::Serializer::new(String::from(LINK_CURSOR_PREFIX));
                query.extend_pairs(pairs);
                query.finish()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_cursors_pass_through_unchanged() {
        let cursor = Cursor::parse("QVFIUmFiY2Q=").unwrap();
        assert_eq!(cursor, Cursor::Graph("QVFIUmFiY2Q=".into()));
        assert_eq!(cursor.encode(), "QVFIUmFiY2Q=");
    }

    #[test]
    fn link_cursor_drops_token_proof_and_option_parameters_and_round_trips() {
        let link = "https://graph.facebook.com/v25.0/1/conversations?access_token=EAAsecret&appsecret_proof=abc&fields=id&limit=25&until=1700000000&__paging_token=enc%2Bx";
        let cursor = Cursor::from_link(link, &Secrets::new(&["EAAsecret"])).unwrap();
        let encoded = cursor.encode();
        assert!(!encoded.contains("EAAsecret") && !encoded.contains("appsecret"));
        assert!(!encoded.contains("fields"));
        assert_eq!(Cursor::parse(&encoded).unwrap(), cursor);
        assert_eq!(
            cursor,
            Cursor::Link(vec![
                ("limit".into(), "25".into()),
                ("until".into(), "1700000000".into()),
                ("__paging_token".into(), "enc+x".into()),
            ])
        );
    }

    #[test]
    fn links_without_a_usable_query_give_no_cursor() {
        assert_eq!(
            Cursor::from_link("https://graph.facebook.com/v25.0/1/conversations", &Secrets::default()),
            None
        );
        assert_eq!(
            Cursor::from_link("https://x/y?access_token=t", &Secrets::default()),
            None
        );
    }

    #[test]
    fn short_tokens_never_break_a_link_cursor() {
        let link = "https://g/v25.0/1/conversations?access_token=tok&limit=2&__paging_token=enc_tok1&until=9";
        let cursor = Cursor::from_link(link, &Secrets::new(&["tok"])).unwrap();
        assert_eq!(
            cursor,
            Cursor::Link(vec![
                ("limit".into(), "2".into()),
                ("__paging_token".into(), "enc_[REDACTED]1".into()),
                ("until".into(), "9".into()),
            ])
        );
    }

    #[test]
    fn bad_cursors_are_refused() {
        for bad in ["", "a b", "a\nb", "~1.", "~1.access_token=x", "é"] {
            assert!(Cursor::parse(bad).is_err(), "{bad:?}");
        }
        assert!(Cursor::parse(&"a".repeat(MAX_CURSOR_LEN + 1)).is_err());
    }
}
