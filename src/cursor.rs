//! Opaque paging cursors.
//!
//! A cursor is either Graph's own `cursors.after` / `cursors.before` value, passed through
//! unchanged, or, for Graph's legacy responses that carry only `next` / `previous` links, the
//! paging parameters of that link's query (never the token, the proof or anything else). The
//! second kind is marked with a prefix that never starts a Graph cursor (Graph's cursors are
//! base64). A link cursor handed back by a caller may carry only paging parameters, so a cursor
//! cannot smuggle other parameters (`method`, `debug`, `suppress_http_code`…) into a request.

use crate::redact::Secrets;
use crate::urlencoded;

/// Marks a cursor made from a legacy paging link's query.
const LINK_CURSOR_PREFIX: &str = "~1.";

/// The longest cursor accepted back from a caller.
const MAX_CURSOR_LEN: usize = 8192;

/// The only query parameters a link cursor carries: Graph's paging state.
const PAGING_PARAMETERS: [&str; 7] = [
    "limit",
    "until",
    "since",
    "__paging_token",
    "__previous",
    "after",
    "before",
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
            Some(query) => {
                let pairs = Cursor::query_pairs(query);
                let names_given = urlencoded::parse(query).count();
                if pairs.is_empty()
                    || pairs.len() != names_given
                    || pairs
                        .iter()
                        .any(|(name, _)| !PAGING_PARAMETERS.contains(&name.as_str()))
                {
                    return Err("is not a cursor returned by this package");
                }
                Ok(Cursor::Link(pairs))
            }
            None => Ok(Cursor::Graph(text.to_owned())),
        }
    }

    /// Graph's own cursor, when it can be handed out and read back as it is (non-empty
    /// printable ASCII, not looking like a link cursor); otherwise the link is used instead.
    pub fn from_graph(value: &str) -> Option<Cursor> {
        let cursor = Cursor::Graph(value.to_owned());
        (Cursor::parse(value).as_ref() == Ok(&cursor)).then_some(cursor)
    }

    /// The cursor of a legacy paging link: the paging parameters of its query, with any
    /// occurrence of a secret replaced. `None` when the link has none.
    pub fn from_link(link: &str, secrets: &Secrets) -> Option<Cursor> {
        let without_fragment = link.split_once('#').map_or(link, |(head, _)| head);
        let (_, query) = without_fragment.split_once('?')?;
        let mut pairs = Vec::new();
        for (name, value) in Cursor::query_pairs(query) {
            if PAGING_PARAMETERS.contains(&name.as_str()) {
                let value = secrets.redact(&value);
                pairs.push((name, value));
            }
        }
        (!pairs.is_empty()).then_some(Cursor::Link(pairs))
    }

    /// The parameters of a query, decoded; of a name given twice, the first.
    fn query_pairs(query: &str) -> Vec<(String, String)> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (name, value) in urlencoded::parse(query) {
            if !name.is_empty() && !pairs.iter().any(|(kept, _)| *kept == name) {
                pairs.push((name, value));
            }
        }
        pairs
    }

    /// The string handed to callers.
    pub fn encode(&self) -> String {
        match self {
            Cursor::Graph(value) => value.clone(),
            Cursor::Link(pairs) => {
                let mut query = String::from(LINK_CURSOR_PREFIX);
                for (name, value) in pairs {
                    urlencoded::append_pair(&mut query, name, value);
                }
                query
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
        for bad in [
            "",
            "a b",
            "a\nb",
            "~1.",
            "~1.access_token=x",
            "é",
            "~1.method=delete&until=1",
            "~1.limit=5&debug=all",
            "~1.limit=5&limit=6",
        ] {
            assert!(Cursor::parse(bad).is_err(), "{bad:?}");
        }
        assert!(Cursor::parse(&"a".repeat(MAX_CURSOR_LEN + 1)).is_err());
    }
}
