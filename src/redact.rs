//! Keeps secrets (the access token, the app secret, the proof) out of everything the package
//! returns or throws.
//!
//! Graph embeds the token in paging links, nested ones included, and sometimes echoes a malformed
//! token in an error message. A `name=SECRET` query parameter of a link is removed whole, so the
//! link keeps working for its cursors; any other occurrence becomes `[REDACTED]`.

/// What replaces a secret that is not a removable query parameter.
pub const REDACTED: &str = "[REDACTED]";

/// Query parameters removed whole when they carry a secret.
const SECRET_PARAMETERS: [&str; 2] = ["access_token=", "appsecret_proof="];

/// The forms in which secrets may appear in a response: as they are, percent-encoded (in
/// links) and JSON-escaped.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secrets {
    forms: Vec<String>,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "Secrets({} forms)", self.forms.len())
    }
}

impl Secrets {
    /// The forms of every non-empty secret in `secrets`, longest first.
    pub fn new(secrets: &[&str]) -> Secrets {
        let mut forms: Vec<String> = Vec::new();
        for secret in secrets.iter().filter(|secret| !secret.is_empty()) {
            let percent: String = form_urlencoded::byte_serialize(secret.as_bytes()).collect();
            let json = secret.replace('\\', "\\\\").replace('"', "\\\"").replace('/', "\\/");
            for form in [String::from(*secret), percent, json] {
                if !forms.contains(&form) {
                    forms.push(form);
                }
            }
        }
        forms.sort_by_key(|form| std::cmp::Reverse(form.len()));
        Secrets { forms }
    }

    /// Every form to look for.
    pub fn forms(&self) -> &[String] {
        &self.forms
    }

    /// Whether any secret appears in `text`.
    pub fn appear_in(&self, text: &str) -> bool {
        self.forms.iter().any(|form| text.contains(form.as_str()))
    }

    /// `text` without secrets: secret query parameters removed, other occurrences replaced.
    pub fn redact(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some((position, length)) = self.earliest(rest) {
            let (before, from_secret) = rest.split_at(position);
            let after = from_secret.get(length..).unwrap_or_default();
            match SECRET_PARAMETERS.iter().find_map(|name| before.strip_suffix(name)) {
                Some(prefix) => {
                    if let Some(kept) = prefix.strip_suffix('&') {
                        out.push_str(kept);
                        rest = after;
                    } else if let Some(kept) = prefix.strip_suffix('?') {
                        match after.strip_prefix('&') {
                            Some(remaining) => {
                                out.push_str(prefix);
                                rest = remaining;
                            }
                            None => {
                                out.push_str(kept);
                                rest = after;
                            }
                        }
                    } else {
                        out.push_str(prefix);
                        rest = after.strip_prefix('&').unwrap_or(after);
                    }
                }
                None => {
                    out.push_str(before);
                    out.push_str(REDACTED);
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// The earliest occurrence of any form in `text`, longest form first at one position.
    fn earliest(&self, text: &str) -> Option<(usize, usize)> {
        self.forms
            .iter()
            .filter_map(|form| text.find(form.as_str()).map(|position| (position, form.len())))
            .min_by_key(|&(position, length)| (position, std::cmp::Reverse(length)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "EAAB|tok/en+1";

    #[test]
    fn removes_token_parameters_from_links_keeping_cursors() {
        let secrets = Secrets::new(&[TOKEN]);
        let encoded: String = form_urlencoded::byte_serialize(TOKEN.as_bytes()).collect();
        let cases = [
            (
                format!("https://g/x?access_token={encoded}&limit=2&after=QQ"),
                "https://g/x?limit=2&after=QQ",
            ),
            (
                format!("https://g/x?limit=2&access_token={encoded}&after=QQ"),
                "https://g/x?limit=2&after=QQ",
            ),
            (
                format!("https://g/x?limit=2&access_token={encoded}"),
                "https://g/x?limit=2",
            ),
            (format!("https://g/x?access_token={encoded}"), "https://g/x"),
        ];
        for (input, expected) in cases {
            assert_eq!(secrets.redact(&input), expected);
        }
    }

    #[test]
    fn replaces_other_occurrences_in_every_form() {
        let secrets = Secrets::new(&[TOKEN, "appsecret"]);
        let text = r#"{"message":"Malformed access token EAAB|tok\/en+1 and EAAB|tok/en+1","s":"appsecret"}"#;
        let redacted = secrets.redact(text);
        assert_eq!(
            redacted,
            r#"{"message":"Malformed access token [REDACTED] and [REDACTED]","s":"[REDACTED]"}"#
        );
        assert!(!secrets.appear_in(&redacted));
        assert!(secrets.appear_in(text));
    }

    #[test]
    fn removes_proof_parameters() {
        let proof = "ab".repeat(32);
        let secrets = Secrets::new(&["EAAtok", &proof]);
        let link = format!("https://g/x?access_token=EAAtok&appsecret_proof={proof}&after=Q");
        assert_eq!(secrets.redact(&link), "https://g/x?after=Q");
    }

    #[test]
    fn text_without_secrets_is_unchanged() {
        let secrets = Secrets::new(&[TOKEN, ""]);
        assert_eq!(secrets.redact("{\"data\":[]}"), "{\"data\":[]}");
        assert_eq!(Secrets::new(&[]).redact("abc"), "abc");
    }
}
