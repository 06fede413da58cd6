//! The errors of the package and the classification of Graph's error codes.

use crate::redact::Secrets;
use crate::usage::RateLimitUsage;

/// Every way a call can fail. Messages never contain the access token, the app secret, the
/// proof or a URL that carries them.
#[derive(Clone, Debug, PartialEq)]
pub enum Error {
    /// An option was refused before any request was sent.
    InvalidOptions {
        /// The option's JavaScript name, e.g. `"pageId"`.
        option: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// Graph answered with an `{"error": …}` envelope.
    GraphApi(Box<GraphApiFailure>),
    /// The request could not be made or its answer not received.
    Network {
        /// What was tried and the runtime's reason, redacted (see [`Error::network`]).
        detail: String,
        /// The runtime's reason alone, redacted: the JavaScript error's `cause`.
        reason: String,
    },
    /// An attempt ran past the configured per-attempt timeout.
    Timeout {
        /// The limit that was exceeded, in milliseconds.
        timeout_ms: u32,
    },
    /// The answer was not JSON, was truncated, or did not have the expected shape.
    InvalidResponse {
        /// The HTTP status of the answer.
        status: u16,
        /// What was wrong with it.
        detail: String,
    },
    /// Paging made no progress.
    Paging {
        /// What went wrong.
        detail: String,
    },
    /// The caller cancelled the call through its abort signal.
    Aborted,
}

/// The class of a Graph error envelope, chosen by `code` and `error_subcode` alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiErrorClass {
    /// The access token is invalid, expired or missing (102, 190, 2500 about the token).
    Auth,
    /// A permission is missing (3, 10, 200-299).
    Permission,
    /// A rate limit was hit (4, 17, 32, 341, 613, 80000-80014).
    RateLimit,
    /// The request itself is wrong (100, 104, 2500).
    InvalidRequest,
    /// Blocked for policy reasons (368).
    PolicyBlock,
    /// Any other Graph error.
    Other,
}

/// What Graph said in its error envelope, with the HTTP status and usage of the answer.
#[derive(Clone, Debug, PartialEq)]
pub struct GraphApiFailure {
    /// The class chosen from `code` / `error_subcode`.
    pub class: ApiErrorClass,
    /// The HTTP status of the answer (200 included).
    pub status: u16,
    /// Graph's `message`, redacted.
    pub message: String,
    /// Graph's `code`.
    pub code: Option<i64>,
    /// Graph's `error_subcode`.
    pub subcode: Option<i64>,
    /// Graph's `type`, e.g. `OAuthException`.
    pub error_type: Option<String>,
    /// Graph's `fbtrace_id`.
    pub fbtrace_id: Option<String>,
    /// Graph's `error_user_title`.
    pub user_title: Option<String>,
    /// Graph's `error_user_msg`.
    pub user_message: Option<String>,
    /// Graph's `is_transient` (false when absent).
    pub is_transient: bool,
    /// The rate-limit usage headers of the answer.
    pub usage: Option<RateLimitUsage>,
    /// For rate limits: how long Graph says to wait, from the usage headers.
    pub retry_after_ms: Option<u64>,
}

/// `url` without its user info, query and fragment: `scheme://host:port/path`.
fn without_credentials(url: &str) -> String {
    let before_query = url.split_once('?').map_or(url, |(base, _)| base);
    let base = before_query.split_once('#').map_or(before_query, |(base, _)| base);
    match base.split_once('/').and_then(|(scheme, rest)| Some((scheme, rest.strip_prefix('/')?))) {
        Some((scheme, rest)) => {
            let (authority, path) = match rest.split_once('/') {
                Some((authority, path)) => (authority, format!("/{path}")),
                None => (rest, String::new()),
            };
            let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
            format!("{scheme}//{host}{path}")
        }
        None => String::from(base),
    }
}

/// Classifies a Graph error by its code and message (2500 is about the token when its message
/// mentions one). The HTTP status and `type` are deliberately ignored.
pub fn classify(code: Option<i64>, message: &str) -> ApiErrorClass {
    match code {
        Some(102 | 190) => ApiErrorClass::Auth,
        Some(2500) if mentions_access_token(message) => ApiErrorClass::Auth,
        Some(3 | 10 | 200..=299) => ApiErrorClass::Permission,
        Some(4 | 17 | 32 | 341 | 613 | 80000..=80014) => ApiErrorClass::RateLimit,
        Some(100 | 104 | 2500) => ApiErrorClass::InvalidRequest,
        Some(368) => ApiErrorClass::PolicyBlock,
        _ => ApiErrorClass::Other,
    }
}

/// Whether a Graph message is about the access token: "access token", "access_token" or
/// "access-token", in any case.
fn mentions_access_token(message: &str) -> bool {
    let message = message.to_ascii_lowercase();
    ["access token", "access_token", "access-token"]
        .iter()
        .any(|phrase| crate::search::contains(&message, phrase))
}

impl Error {
    /// A network failure of a GET of `url`: `GET {url} failed: {reason}`. The URL, and every URL
    /// in the runtime's `reason` (a word with `://`), keep their scheme, host, port and path but
    /// lose their user info, query and fragment (where the token and the proof go); any secret
    /// left becomes `[REDACTED]`.
    pub fn network(url: &str, reason: &str, secrets: &Secrets) -> Error {
        let mut said = String::with_capacity(reason.len());
        for (index, word) in reason.split(' ').enumerate() {
            if index > 0 {
                said.push(' ');
            }
            said.push_str(&if crate::search::contains(word, "://") { without_credentials(word) } else { String::from(word) });
        }
        let reason = secrets.redact(&said);
        Error::Network {
            detail: format!("GET {} failed: {reason}", secrets.redact(&without_credentials(url))),
            reason,
        }
    }

    /// The fleet gate refused to wait: Graph's rate limit for this Page (seen by any isolate)
    /// lasts another `retry_after_ms`, longer than a call waits. A [`ApiErrorClass::RateLimit`]
    /// failure (`RateLimitError` with `retryAfterMs`), never retried.
    pub fn gate_refused(retry_after_ms: u64) -> Error {
        Error::GraphApi(Box::new(GraphApiFailure {
            class: ApiErrorClass::RateLimit,
            status: 429,
            message: format!("the Page's requests are held back by its fleet gate: Graph's rate limit lasts another {} s", retry_after_ms.div_ceil(1000)),
            code: None,
            subcode: None,
            error_type: None,
            fbtrace_id: None,
            user_title: None,
            user_message: None,
            is_transient: false,
            usage: None,
            retry_after_ms: Some(retry_after_ms),
        }))
    }

    /// The name of the JavaScript error class for this error.
    pub fn class_name(&self) -> &'static str {
        match self {
            Error::InvalidOptions { .. } => "InvalidOptionsError",
            Error::GraphApi(failure) => match failure.class {
                ApiErrorClass::Auth => "AuthError",
                ApiErrorClass::Permission => "PermissionError",
                ApiErrorClass::RateLimit => "RateLimitError",
                ApiErrorClass::InvalidRequest => "InvalidRequestError",
                ApiErrorClass::PolicyBlock => "PolicyBlockError",
                ApiErrorClass::Other => "GraphApiError",
            },
            Error::Network { .. } => "NetworkError",
            Error::Timeout { .. } => "TimeoutError",
            Error::InvalidResponse { .. } => "InvalidResponseError",
            Error::Paging { .. } => "PagingError",
            Error::Aborted => "AbortError",
        }
    }

    /// A human-readable message, free of secrets.
    pub fn message(&self) -> String {
        match self {
            Error::InvalidOptions { option, reason } => format!("Invalid option \"{option}\": {reason}"),
            Error::GraphApi(failure) => {
                let code = match (failure.code, failure.subcode) {
                    (Some(code), Some(subcode)) => {
                        format!(" (code {code}, subcode {subcode})")
                    }
                    (Some(code), None) => format!(" (code {code})"),
                    _ => String::new(),
                };
                format!("Graph API error{code}: {}", failure.message)
            }
            Error::Network { detail, .. } => format!("Network error: {detail}"),
            Error::Timeout { timeout_ms } => format!("The request took longer than timeoutMs ({timeout_ms} ms)"),
            Error::InvalidResponse { status, detail } => format!("Invalid response from Graph (HTTP {status}): {detail}"),
            Error::Paging { detail } => format!("Paging error: {detail}"),
            Error::Aborted => String::from("The operation was aborted"),
        }
    }

    /// Whether a retry may succeed: network failures, timeouts, 5xx answers without a Graph
    /// envelope, rate limits, and Graph errors marked transient, except those never retried
    /// (auth, permission, policy block, invalid request), whatever `is_transient` says.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Network { .. } | Error::Timeout { .. } => true,
            Error::InvalidResponse { status, .. } => *status >= 500,
            Error::GraphApi(failure) => match failure.class {
                ApiErrorClass::RateLimit => true,
                ApiErrorClass::Other => failure.is_transient || matches!(failure.code, Some(1 | 2)),
                ApiErrorClass::Auth
                | ApiErrorClass::Permission
                | ApiErrorClass::InvalidRequest
                | ApiErrorClass::PolicyBlock => false,
            },
            Error::InvalidOptions { .. } | Error::Paging { .. } | Error::Aborted => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ApiErrorClass::*;

    #[test]
    fn classification_table() {
        let table: &[(i64, &str, ApiErrorClass)] = &[
            (1, "An unknown error occurred", Other),
            (2, "Service temporarily unavailable", Other),
            (4, "Application request limit reached", RateLimit),
            (17, "User request limit reached", RateLimit),
            (32, "Page request limit reached", RateLimit),
            (341, "Application limit reached", RateLimit),
            (613, "Calls to this api have exceeded the rate limit.", RateLimit),
            (80000, "", RateLimit),
            (80001, "", RateLimit),
            (80002, "", RateLimit),
            (80006, "", RateLimit),
            (80014, "", RateLimit),
            (80015, "", Other),
            (102, "Session key invalid", Auth),
            (190, "Error validating access token", Auth),
            (3, "", Permission),
            (10, "", Permission),
            (200, "", Permission),
            (230, "", Permission),
            (299, "", Permission),
            (300, "", Other),
            (368, "", PolicyBlock),
            (100, "Invalid parameter", InvalidRequest),
            (104, "Incorrect signature", InvalidRequest),
            (2500, "Error parsing graph query", InvalidRequest),
            (
                2500,
                "An active access token must be used to query information about the current user.",
                Auth,
            ),
            (2500, "Unknown path components: missing access_token", Auth),
            (2500, "(#2500) The Access-Token is malformed", Auth),
            (1_609_005, "", Other),
            (-1, "", Other),
        ];
        for (code, message, class) in table {
            assert_eq!(classify(Some(*code), message), *class, "code {code}");
        }
        assert_eq!(classify(None, "access token"), Other);
    }

    fn api(class: ApiErrorClass, code: i64, is_transient: bool) -> Error {
        Error::GraphApi(Box::new(GraphApiFailure {
            class,
            status: 400,
            message: String::new(),
            code: Some(code),
            subcode: None,
            error_type: None,
            fbtrace_id: None,
            user_title: None,
            user_message: None,
            is_transient,
            usage: None,
            retry_after_ms: None,
        }))
    }

    #[test]
    fn never_retried_classes_win_over_is_transient() {
        assert!(!api(Auth, 190, true).is_retryable());
        assert!(!api(Permission, 10, true).is_retryable());
        assert!(!api(PolicyBlock, 368, true).is_retryable());
        assert!(!api(InvalidRequest, 100, true).is_retryable());
        assert!(api(RateLimit, 4, false).is_retryable());
        assert!(api(Other, 1, false).is_retryable());
        assert!(api(Other, 9999, true).is_retryable());
        assert!(!api(Other, 9999, false).is_retryable());
    }

    #[test]
    fn network_failures_name_the_url_without_secrets() {
        let secrets = Secrets::new(&["EAAsecret", "proof0123"]);
        let cases = [
            (
                "http://127.0.0.1:9/v25.0/1/conversations?access_token=EAAsecret&appsecret_proof=proof0123",
                "GET http://127.0.0.1:9/v25.0/1/conversations failed: ECONNREFUSED",
            ),
            (
                "https://user:EAAsecret@proxy.test/graph/v25.0/1/conversations#EAAsecret",
                "GET https://proxy.test/graph/v25.0/1/conversations failed: ECONNREFUSED",
            ),
            ("https://host.test", "GET https://host.test failed: ECONNREFUSED"),
            ("https://host.test/EAAsecret/x", "GET https://host.test/[REDACTED]/x failed: ECONNREFUSED"),
            ("not a url EAAsecret", "GET not a url [REDACTED] failed: ECONNREFUSED"),
        ];
        for (url, expected) in cases {
            assert_eq!(Error::network(url, "ECONNREFUSED", &secrets).message(), format!("Network error: {expected}"));
        }
        let error = Error::network("http://h/p", "bad URL http://u:pw@h/p?access_token=EAAsecret: or EAAsecret", &secrets);
        assert_eq!(error.message(), "Network error: GET http://h/p failed: bad URL http://h/p or [REDACTED]");
    }

    #[test]
    fn other_failures() {
        assert!(Error::network("http://h/p", "ECONNRESET", &Secrets::new(&[])).is_retryable());
        assert!(Error::Timeout { timeout_ms: 1 }.is_retryable());
        assert!(Error::InvalidResponse {
            status: 502,
            detail: String::new()
        }
        .is_retryable());
        assert!(!Error::InvalidResponse {
            status: 200,
            detail: String::new()
        }
        .is_retryable());
        assert!(!Error::Paging { detail: String::new() }.is_retryable());
        assert!(!Error::Aborted.is_retryable());
    }
}
