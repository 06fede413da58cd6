//! Keeps secrets (the access token, the app secret, the proof) out of everything the package
//! returns or throws.
//!
//! Graph embeds the token in paging links, nested ones included, and sometimes echoes a malformed
//! token in an error message. A link's `access_token` and `appsecret_proof` parameters are
//! removed whole, so the link keeps working for its cursors; any other occurrence becomes
//! `[REDACTED]`. Only string values are touched, never JSON keys or parameter names, so even a
//! token as short as `data` cannot break a response's structure.


/// What replaces a secret that is not a removable query parameter.
pub const REDACTED: &str = "[REDACTED]";

/// Query parameters removed from links whatever their value.
const SECRET_PARAMETERS: [&str; 2] = ["access_token", "appsecret_proof"];

/// The forms in which secrets may appear in a response: as they are, percent-encoded (in
/// links; upper- or lower-case hex) and JSON-escaped.
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
            let percent = crate::urlencoded::encode(secret);
            // JSON-escaped as Graph escapes strings (`\\`, `\"`, `\/`).
            let mut json = String::with_capacity(secret.len());
            for c in secret.chars() {
                if matches!(c, '\\' | '"' | '/') {
                    json.push('\\');
                }
                json.push(c);
            }
            let percent_lower = lower_hex_escapes(&percent);
            for form in [String::from(*secret), percent, percent_lower, json] {
                if !forms.contains(&form) {
                    forms.push(form);
                }
            }
        }
        // Longest first, keeping the order of equally long ones: an insertion sort of a handful,
        // hand-written because it saves 2.1 KiB gzip against `sort_by_key`'s stable sort
        // (`make bench`, size ledger).
        for end in 1..forms.len() {
            let mut at = end;
            while at > 0 && forms.get(at - 1).map(String::len) < forms.get(at).map(String::len) {
                forms.swap(at - 1, at);
                at -= 1;
            }
        }
        Secrets { forms }
    }

    /// Every form to look for.
    pub fn forms(&self) -> &[String] {
        &self.forms
    }

    /// Whether any secret appears in `text`.
    pub fn appear_in(&self, text: &str) -> bool {
        self.forms.iter().any(|form| crate::search::contains(text, form))
    }

    /// A string value without secrets. A link (no whitespace, with a query) loses its
    /// `access_token` and `appsecret_proof` parameters whatever their value, and secrets in its
    /// other values are replaced; in any other text every occurrence becomes [`REDACTED`].
    /// Parameter names are never touched, so a short secret cannot break a link's structure.
    pub fn redact(&self, text: &str) -> String {
        match text.split_once('?') {
            Some((base, rest)) if !text.contains(char::is_whitespace) => {
                let (query, fragment) = match rest.split_once('#') {
                    Some((query, fragment)) => (query, Some(fragment)),
                    None => (rest, None),
                };
                let mut out = self.replace(base);
                let mut separator = '?';
                for pair in query.split('&').filter(|pair| !pair.is_empty()) {
                    let split = pair.split_once('=');
                    if split.is_some_and(|(name, _)| SECRET_PARAMETERS.contains(&name)) {
                        continue;
                    }
                    out.push(separator);
                    separator = '&';
                    match split {
                        Some((name, value)) => {
                            out.push_str(name);
                            out.push('=');
                            out.push_str(&self.replace(value));
                        }
                        None => out.push_str(&self.replace(pair)),
                    }
                }
                if let Some(fragment) = fragment {
                    out.push('#');
                    out.push_str(&self.replace(fragment));
                }
                // A secret where a parameter name is, or cut apart by `?`, `&`, `=`, is never
                // kept (names are only spared for short secrets, which would break them).
                if self
                    .forms
                    .iter()
                    .any(|form| form.len() >= 8 && crate::search::contains(&out, form))
                {
                    return self.replace(&out);
                }
                out
            }
            _ => self.replace(text),
        }
    }

    /// JSON text without secrets: every string value is redacted as by [`Secrets::redact`];
    /// object keys and the structure are left as they are.
    pub fn redact_json(&self, json: &str) -> String {
        let mut out = String::with_capacity(json.len());
        let mut copied_to = 0;
        let mut index = 0;
        let bytes = json.as_bytes();
        while let Some(&byte) = bytes.get(index) {
            if byte != b'"' {
                index += 1;
                continue;
            }
            let start = index + 1;
            let mut end = start;
            while let Some(&byte) = bytes.get(end) {
                match byte {
                    b'\\' => end += 2,
                    b'"' => break,
                    _ => end += 1,
                }
            }
            let (Some(content), Some(after)) =
                (json.get(start..end), json.get(end.saturating_add(1).min(json.len())..))
            else {
                break;
            };
            let is_key = after.trim_start().starts_with(':');
            if !is_key && self.appear_in(content) {
                out.push_str(json.get(copied_to..start).unwrap_or_default());
                // Redact the decoded text and encode it again, so that a match can neither
                // straddle an escape sequence nor miss whitespace that JSON escapes (`\n`).
                let redacted = match serde_json::from_str::<String>(&format!("\"{content}\"")) {
                    Ok(decoded) => serde_json::to_string(&self.redact(&decoded))
                        .ok()
                        .and_then(|encoded| encoded.get(1..encoded.len() - 1).map(String::from))
                        // Keep Graph's `\/` style when the string had it.
                        .map(|encoded| {
                            if crate::search::contains(content, "\\/") {
                                encoded.replace('/', "\\/")
                            } else {
                                encoded
                            }
                        })
                        .unwrap_or_else(|| self.redact(content)),
                    Err(_) => self.redact(content),
                };
                out.push_str(&redacted);
                copied_to = end;
            }
            index = end + 1;
        }
        out.push_str(json.get(copied_to..).unwrap_or_default());
        out
    }

    /// `text` with every occurrence of a secret replaced by [`REDACTED`].
    fn replace(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some((position, length)) = self.earliest(rest) {
            out.push_str(rest.get(..position).unwrap_or_default());
            out.push_str(REDACTED);
            rest = rest.get(position + length..).unwrap_or_default();
        }
        out.push_str(rest);
        out
    }

    /// The earliest occurrence of any form in `text`, longest form first at one position.
    fn earliest(&self, text: &str) -> Option<(usize, usize)> {
        let mut earliest: Option<(usize, usize)> = None;
        for form in &self.forms {
            if let Some(position) = crate::search::find(text, form) {
                let better = earliest.is_none_or(|(at, length)| position < at || (position == at && form.len() > length));
                if better {
                    earliest = Some((position, form.len()));
                }
            }
        }
        earliest
    }
}

/// `text` with the hex digits of its `%XX` escapes in lower case (`%7C` → `%7c`), the rest kept.
fn lower_hex_escapes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut hex_left = 0;
    for c in text.chars() {
        if hex_left > 0 {
            hex_left -= 1;
            out.push(c.to_ascii_lowercase());
        } else {
            hex_left = if c == '%' { 2 } else { 0 };
            out.push(c);
        }
    }
    out
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
    fn percent_escapes_are_found_in_either_case() {
        let secrets = Secrets::new(&[TOKEN]);
        let text = "Invalid token EAAB%7ctok%2fen%2b1 or EAAB%7Ctok%2Fen%2B1";
        assert!(secrets.appear_in(text));
        assert_eq!(secrets.redact(text), "Invalid token [REDACTED] or [REDACTED]");
        assert_eq!(lower_hex_escapes("a%7Cb%2F%"), "a%7cb%2f%");
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

    #[test]
    fn json_keys_and_structure_survive_short_secrets() {
        let secrets = Secrets::new(&["data"]);
        let body = r#"{"data":[{"id":"t_1","messages":{"data":[],"paging":{"next":"https:\/\/g\/t_1\/messages?access_token=data&after=QQ"}},"snippet":"big data"}]}"#;
        let redacted = secrets.redact_json(body);
        assert_eq!(
            redacted,
            r#"{"data":[{"id":"t_1","messages":{"data":[],"paging":{"next":"https:\/\/g\/t_1\/messages?after=QQ"}},"snippet":"big [REDACTED]"}]}"#
        );
        let short = Secrets::new(&["tok"]);
        assert_eq!(
            short.redact("https://g/x?access_token=tok&__paging_token=a"),
            "https://g/x?__paging_token=a"
        );
    }

    #[test]
    fn json_strings_with_escapes_are_scanned_whole() {
        let secrets = Secrets::new(&["EAAsecret"]);
        let body = r#"{"a":"say \"EAAsecret\" \\","b\"EAAsecret":1,"c":"é EAAsecret"}"#;
        assert_eq!(
            secrets.redact_json(body),
            r#"{"a":"say \"[REDACTED]\" \\","b\"EAAsecret":1,"c":"é [REDACTED]"}"#
        );
        assert_eq!(
            secrets.redact_json(r#"{"a":"EAAsecret"#),
            r#"{"a":"[REDACTED]"#,
            "unterminated strings too"
        );
    }
}
