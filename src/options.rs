//! The caller's options, checked before any request is sent.
//!
//! Options arrive through an [`OptionSource`] (a JavaScript object in the binding, a closure in
//! tests) as loosely typed [`OptionValue`]s and leave as a [`RequestOptions`], or as
//! [`Error::InvalidOptions`] naming the first offending option. Values are never echoed in
//! messages, so a token pasted into the wrong option does not leak.

use std::fmt;

use crate::cursor::Cursor;
use crate::error::Error;
use crate::{DEFAULT_API_VERSION, DEFAULT_BASE_URL};

/// One option as the caller gave it.
#[derive(Clone, Debug, PartialEq)]
pub enum OptionValue {
    /// Not given (`undefined` or `null`).
    Absent,
    /// A string.
    Text(String),
    /// A number (JavaScript numbers are doubles).
    Number(f64),
    /// A boolean.
    Bool(bool),
    /// An array whose items are all strings.
    TextList(Vec<String>),
    /// A `Date`, as epoch milliseconds.
    Date(f64),
    /// Anything else, described by its JavaScript type name.
    Other(&'static str),
}

impl OptionValue {
    /// The JavaScript type name, for messages.
    fn type_name(&self) -> &'static str {
        match self {
            OptionValue::Absent => "undefined",
            OptionValue::Text(_) => "string",
            OptionValue::Number(_) => "number",
            OptionValue::Bool(_) => "boolean",
            OptionValue::TextList(_) => "array",
            OptionValue::Date(_) => "Date",
            OptionValue::Other(name) => name,
        }
    }
}

/// Where options are read from, by their JavaScript name.
pub trait OptionSource {
    /// The value of the option `name`, or [`OptionValue::Absent`].
    fn get(&self, name: &str) -> OptionValue;

    /// Epoch milliseconds of a local date-time given as wall-clock milliseconds (as if it were
    /// UTC): how an ISO string without an offset is read, as JavaScript's `Date` reads it. The
    /// default is UTC (as in a Worker).
    fn local_time_ms(&self, wall_clock_ms: f64) -> f64 {
        wall_clock_ms
    }
}

impl<F: Fn(&str) -> OptionValue> OptionSource for F {
    fn get(&self, name: &str) -> OptionValue {
        self(name)
    }
}

/// Facts about the runtime that change defaults and what is allowed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Runtime {
    /// Running in a browser window (both `window` and `document` exist).
    pub is_browser_window: bool,
}

/// A string that must never be printed: its `Debug` shows `[REDACTED]`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret itself, for building requests.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("[REDACTED]")
    }
}

/// `platform`: which inbox view to list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Platform {
    /// Messenger conversations.
    Messenger,
    /// Instagram Direct conversations.
    Instagram,
}

/// `folder`: which folder to list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Folder {
    /// The main inbox.
    Inbox,
    /// Message requests and filtered conversations.
    Other,
    /// Done (archived) conversations.
    PageDone,
    /// Spam.
    Spam,
}

/// Where the access token is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenPlacement {
    /// The `access_token` query parameter (a simple CORS request in browsers).
    Query,
    /// `Authorization: Bearer …` (keeps the token out of URLs and logs).
    Header,
}

/// What is listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Endpoint {
    /// `/{page_id}/conversations`.
    Conversations {
        /// Digits, or `me`.
        page_id: String,
        /// The `platform` filter.
        platform: Option<Platform>,
        /// The `folder` filter.
        folder: Option<Folder>,
        /// The `user_id` filter (PSID or IGSID).
        user_id: Option<String>,
    },
    /// `/{conversation_id}/messages`.
    Messages {
        /// The conversation (thread) id.
        conversation_id: String,
        /// The Page the conversation belongs to (never sent): its requests share that Page's
        /// pacing.
        page_id: Option<String>,
    },
}

/// How `appsecret_proof` is obtained.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProofSource {
    /// No proof is sent.
    None,
    /// Computed from the app secret for every request; `timed` sends the variant with
    /// `appsecret_time`.
    FromSecret {
        /// The app secret.
        app_secret: Secret,
        /// Send the timed variant.
        timed: bool,
    },
    /// A proof computed elsewhere, optionally for `appsecret_time`.
    Given {
        /// 64 lower-case hex digits.
        proof: Secret,
        /// The unix seconds the proof was computed for.
        time: Option<u64>,
    },
}

/// Where a listing starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Position {
    /// After a `nextCursor`.
    After(Cursor),
    /// Before a `previousCursor`.
    Before(Cursor),
}

/// Validated options of one listing call.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestOptions {
    /// What is listed.
    pub endpoint: Endpoint,
    /// The access token.
    pub access_token: Secret,
    /// The `fields` parameter, joined with commas.
    pub fields: Option<String>,
    /// The `limit` parameter.
    pub limit: Option<u32>,
    /// Where the listing starts.
    pub position: Option<Position>,
    /// E.g. `v25.0`.
    pub api_version: String,
    /// Scheme, host and optional path prefix, without a trailing slash.
    pub base_url: String,
    /// Where the token goes.
    pub token_in: TokenPlacement,
    /// How `appsecret_proof` is obtained.
    pub proof: ProofSource,
    /// Limit of each attempt.
    pub timeout_ms: u32,
    /// Retries of transient failures.
    pub max_retries: u32,
    /// `requestsPerSecond`, when given: 0 (no pacing), or from [`MIN_REQUESTS_PER_SECOND`] to
    /// [`MAX_REQUESTS_PER_SECOND`].
    pub requests_per_second: Option<f64>,
}

impl RequestOptions {
    /// The key this listing is paced by: its Page (for messages, the Page given as `pageId`),
    /// else its conversation.
    pub fn pace_key(&self) -> String {
        match &self.endpoint {
            Endpoint::Conversations { page_id, .. }
            | Endpoint::Messages {
                page_id: Some(page_id), ..
            } => format!("page:{page_id}"),
            Endpoint::Messages { conversation_id, .. } => format!("conversation:{conversation_id}"),
        }
    }
}

/// The lowest `requestsPerSecond` other than 0: a request every 100 seconds.
pub const MIN_REQUESTS_PER_SECOND: f64 = 0.01;
/// The highest `requestsPerSecond`.
pub const MAX_REQUESTS_PER_SECOND: f64 = 1000.0;

/// Default of `timeoutMs`.
pub const DEFAULT_TIMEOUT_MS: u32 = 30_000;
/// Default of `maxRetries`.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// Longest wait `setTimeout` can make: a larger `timeoutMs` is clamped to it (24.8 days, no
/// practical difference), rather than refused.
pub const MAX_TIMEOUT_MS: u32 = 2_147_483_647;
/// Largest integer a JavaScript number holds exactly (`Number.MAX_SAFE_INTEGER`): the bound of
/// the integer options that API.md leaves unbounded (`timeoutMs`, `maxRetries`).
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// Validates the options of `listConversations`.
pub fn conversations_options(source: &dyn OptionSource, runtime: Runtime) -> Result<RequestOptions, Error> {
    let page_id = checked_page_id(required_text(source, "pageId")?)?;
    let access_token = access_token(source)?;
    let platform = match optional_text(source, "platform")? {
        None => None,
        Some(text) if text.eq_ignore_ascii_case("messenger") => Some(Platform::Messenger),
        Some(text) if text.eq_ignore_ascii_case("instagram") => Some(Platform::Instagram),
        Some(_) => return Err(invalid("platform", "must be \"messenger\" or \"instagram\"")),
    };
    let folder = match optional_text(source, "folder")?.as_deref() {
        None => None,
        Some("inbox") => Some(Folder::Inbox),
        Some("other") => Some(Folder::Other),
        Some("page_done") => Some(Folder::PageDone),
        Some("spam") => Some(Folder::Spam),
        Some(_) => {
            return Err(invalid(
                "folder",
                "must be \"inbox\", \"other\", \"page_done\" or \"spam\"",
            ))
        }
    };
    let user_id = optional_text(source, "userId")?;
    if user_id.as_deref().is_some_and(|id| !is_digits(id)) {
        return Err(invalid("userId", "must be a string of digits (a PSID or IGSID)"));
    }
    let endpoint = Endpoint::Conversations {
        page_id,
        platform,
        folder,
        user_id,
    };
    common_options(source, runtime, endpoint, access_token)
}

/// Validates the options of `listMessages`.
pub fn messages_options(source: &dyn OptionSource, runtime: Runtime) -> Result<RequestOptions, Error> {
    let conversation_id = required_text(source, "conversationId")?;
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':' | '.' | '=');
    if conversation_id.len() > 512
        || !conversation_id.chars().all(allowed)
        || conversation_id == "."
        || conversation_id == ".."
    {
        return Err(invalid(
            "conversationId",
            "must be a conversation id: letters, digits and _ - : . = only",
        ));
    }
    let page_id = optional_text(source, "pageId")?.map(checked_page_id).transpose()?;
    let access_token = access_token(source)?;
    let endpoint = Endpoint::Messages {
        conversation_id,
        page_id,
    };
    common_options(source, runtime, endpoint, access_token)
}

/// A `pageId`: digits, or `me`.
fn checked_page_id(page_id: String) -> Result<String, Error> {
    if page_id == "me" || is_digits(&page_id) {
        Ok(page_id)
    } else {
        Err(invalid(
            "pageId",
            "must be a string of digits (the Page or Instagram account id) or \"me\"",
        ))
    }
}

/// `requestsPerSecond`: absent, 0, or a number from 0.01 to 1000.
fn requests_per_second(source: &dyn OptionSource) -> Result<Option<f64>, Error> {
    match source.get("requestsPerSecond") {
        OptionValue::Absent => Ok(None),
        OptionValue::Number(rate)
            if rate == 0.0 || (MIN_REQUESTS_PER_SECOND..=MAX_REQUESTS_PER_SECOND).contains(&rate) =>
        {
            Ok(Some(rate.max(0.0)))
        }
        OptionValue::Number(_) => Err(invalid(
            "requestsPerSecond",
            "must be 0 (no pacing) or a number from 0.01 to 1000",
        )),
        other => Err(wrong_type("requestsPerSecond", "a number", &other)),
    }
}

/// The options shared by every listing.
fn common_options(
    source: &dyn OptionSource,
    runtime: Runtime,
    endpoint: Endpoint,
    access_token: Secret,
) -> Result<RequestOptions, Error> {
    let fields = fields(source)?;
    let limit = optional_integer(source, "limit", 1, 1000)?.map(|limit| limit as u32);
    let position = position(source)?;
    let api_version = match optional_text(source, "apiVersion")? {
        None => String::from(DEFAULT_API_VERSION),
        Some(version) if is_api_version(&version) => version,
        Some(_) => return Err(invalid("apiVersion", "must look like \"v25.0\"")),
    };
    let base_url = match optional_text(source, "baseUrl")? {
        None => String::from(DEFAULT_BASE_URL),
        Some(url) => normalize_base_url(&url).map_err(|reason| invalid("baseUrl", reason))?,
    };
    let token_in = match optional_text(source, "tokenIn")?.as_deref() {
        None if runtime.is_browser_window => TokenPlacement::Query,
        None => TokenPlacement::Header,
        Some("query") => TokenPlacement::Query,
        Some("header") => TokenPlacement::Header,
        Some(_) => return Err(invalid("tokenIn", "must be \"query\" or \"header\"")),
    };
    let proof = proof_source(source, runtime)?;
    let timeout_ms = optional_integer(source, "timeoutMs", 1, MAX_SAFE_INTEGER)?
        .map_or(DEFAULT_TIMEOUT_MS, |ms| ms.min(u64::from(MAX_TIMEOUT_MS)) as u32);
    // Beyond u32::MAX retries (with backoff capped at 30 s: over four thousand years) is the same.
    let max_retries = optional_integer(source, "maxRetries", 0, MAX_SAFE_INTEGER)?
        .map_or(DEFAULT_MAX_RETRIES, |retries| retries.min(u64::from(u32::MAX)) as u32);
    let requests_per_second = requests_per_second(source)?;
    Ok(RequestOptions {
        endpoint,
        access_token,
        fields,
        limit,
        position,
        api_version,
        base_url,
        token_in,
        proof,
        timeout_ms,
        max_retries,
        requests_per_second,
    })
}

/// Checks the defaults of a client (`createClient`): every option given is checked as the calls
/// check it, while the options the calls require (`pageId`, `accessToken`, `conversationId`) may
/// be left to each call.
pub fn check_defaults(source: &dyn OptionSource, runtime: Runtime) -> Result<(), Error> {
    let filled = WithPlaceholders(source);
    let mut request = conversations_options(&filled, runtime)?;
    messages_options(&filled, runtime)?;
    request.position = None;
    paging_limits(&filled, &mut request, true)?;
    Ok(())
}

/// A source that gives a valid placeholder for each required option its inner source lacks.
struct WithPlaceholders<'a>(&'a dyn OptionSource);

impl OptionSource for WithPlaceholders<'_> {
    fn get(&self, name: &str) -> OptionValue {
        let placeholder = match name {
            "pageId" => "1",
            "accessToken" => "placeholder",
            "conversationId" => "t_1",
            _ => return self.0.get(name),
        };
        match self.0.get(name) {
            OptionValue::Absent => OptionValue::Text(String::from(placeholder)),
            given => given,
        }
    }

    fn local_time_ms(&self, wall_clock_ms: f64) -> f64 {
        self.0.local_time_ms(wall_clock_ms)
    }
}

/// Validates the arguments of `appSecretProof(accessToken, appSecret, unixSeconds?)`.
pub fn proof_arguments(source: &dyn OptionSource) -> Result<(String, String, Option<u64>), Error> {
    let token = access_token(source)?;
    let app_secret = required_text(source, "appSecret")?;
    if !is_printable_ascii(&app_secret) || app_secret.len() > 256 {
        return Err(invalid(
            "appSecret",
            "must be printable ASCII without whitespace or control characters",
        ));
    }
    let seconds = optional_integer(source, "unixSeconds", 0, 1 << 40)?;
    Ok((token.0, app_secret, seconds))
}

fn access_token(source: &dyn OptionSource) -> Result<Secret, Error> {
    let token = required_text(source, "accessToken")?;
    if token.get(..7).is_some_and(|prefix| prefix.eq_ignore_ascii_case("bearer ")) {
        return Err(invalid(
            "accessToken",
            "must be the token alone: remove the \"Bearer \" prefix (the package adds it when tokenIn is \"header\")",
        ));
    }
    if !is_printable_ascii(&token) || token.len() > 4096 {
        return Err(invalid(
            "accessToken",
            "must be printable ASCII without whitespace or control characters",
        ));
    }
    Ok(Secret(token))
}

fn fields(source: &dyn OptionSource) -> Result<Option<String>, Error> {
    let list = match source.get("fields") {
        OptionValue::Absent => return Ok(None),
        OptionValue::Text(text) => vec![text],
        OptionValue::TextList(list) => list,
        other => return Err(wrong_type("fields", "a string or an array of strings", &other)),
    };
    let mut joined = String::new();
    for item in &list {
        if item.chars().any(char::is_control) {
            return Err(invalid("fields", "must not contain control characters"));
        }
        let item = item.trim();
        if item.is_empty() || item.starts_with(',') || item.ends_with(',') || crate::search::contains(item, ",,") {
            return Err(invalid(
                "fields",
                "must list field names without empty items or control characters",
            ));
        }
        if !joined.is_empty() {
            joined.push(',');
        }
        joined.push_str(item);
    }
    if joined.is_empty() {
        return Err(invalid("fields", "must name at least one field"));
    }
    if joined.len() > 8192 {
        return Err(invalid("fields", "is too long"));
    }
    Ok(Some(joined))
}

fn position(source: &dyn OptionSource) -> Result<Option<Position>, Error> {
    let cursor = |name: &'static str| -> Result<Option<Cursor>, Error> {
        optional_text(source, name)?
            .map(|text| Cursor::parse(&text).map_err(|reason| invalid(name, reason)))
            .transpose()
    };
    match (cursor("after")?, cursor("before")?) {
        (Some(_), Some(_)) => Err(invalid("before", "cannot be used together with \"after\"")),
        (Some(after), None) => Ok(Some(Position::After(after))),
        (None, Some(before)) => Ok(Some(Position::Before(before))),
        (None, None) => Ok(None),
    }
}

fn proof_source(source: &dyn OptionSource, runtime: Runtime) -> Result<ProofSource, Error> {
    let app_secret = optional_text(source, "appSecret")?;
    let allow_in_browser = optional_bool(source, "dangerouslyAllowAppSecretInBrowser")?.unwrap_or(false);
    let timed = optional_bool(source, "timedAppSecretProof")?.unwrap_or(false);
    let given_proof = optional_text(source, "appSecretProof")?;
    let given_time = optional_integer(source, "appSecretTime", 0, 1 << 40)?;
    if let Some(app_secret) = app_secret {
        if app_secret.is_empty() || !is_printable_ascii(&app_secret) || app_secret.len() > 256 {
            return Err(invalid(
                "appSecret",
                "must be printable ASCII without whitespace or control characters",
            ));
        }
        if runtime.is_browser_window && !allow_in_browser {
            return Err(invalid(
                "appSecret",
                "must not be used in a browser, where every user can read it; compute proofs on a server (appSecretProof) or set dangerouslyAllowAppSecretInBrowser",
            ));
        }
        if given_proof.is_some() {
            return Err(invalid("appSecretProof", "cannot be used together with \"appSecret\""));
        }
        if given_time.is_some() {
            return Err(invalid(
                "appSecretTime",
                "goes with \"appSecretProof\", not with \"appSecret\"",
            ));
        }
        return Ok(ProofSource::FromSecret {
            app_secret: Secret(app_secret),
            timed,
        });
    }
    if timed {
        return Err(invalid("timedAppSecretProof", "requires \"appSecret\""));
    }
    match (given_proof, given_time) {
        (None, None) => Ok(ProofSource::None),
        (None, Some(_)) => Err(invalid("appSecretTime", "requires \"appSecretProof\"")),
        (Some(proof), time) => {
            if proof.len() != 64 || !proof.bytes().all(|byte| byte.is_ascii_hexdigit()) {
                return Err(invalid("appSecretProof", "must be 64 hexadecimal digits"));
            }
            Ok(ProofSource::Given {
                proof: Secret(proof.to_ascii_lowercase()),
                time,
            })
        }
    }
}

/// Checks a base URL and returns it without a trailing slash.
fn normalize_base_url(url: &str) -> Result<String, &'static str> {
    const REASON: &str =
        "must be an http(s) URL with a host and an optional path, without query, fragment or credentials";
    let at = crate::search::find(url, "://").ok_or(REASON)?;
    let (scheme, rest) = (url.get(..at).ok_or(REASON)?, url.get(at + 3..).ok_or(REASON)?);
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(REASON);
    }
    let (authority, path) = rest
        .bytes()
        .position(|byte| byte == b'/')
        .and_then(|slash| rest.split_at_checked(slash))
        .unwrap_or((rest, ""));
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, _)) if !host.ends_with(']') && host.bytes().any(|byte| byte == b':') => (authority, None),
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    let host_ok = if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        !inner.is_empty() && inner.chars().all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
    } else {
        // `_` too: URLs and fetch take it (a container's service name, say).
        !host.is_empty() && host.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_')
    };
    let port_ok = port.is_none_or(|port| {
        !port.is_empty() && port.len() <= 5 && is_digits(port) && port.parse::<u16>().is_ok()
    });
    let path_ok = path
        .bytes()
        .all(|byte| byte.is_ascii_alphanumeric() || b"-._~/%!$'()*+,;=:@".contains(&byte))
        && !path.split('/').any(is_dot_segment);
    if !host_ok || !port_ok || !path_ok {
        return Err(REASON);
    }
    let path = path.trim_end_matches('/');
    if path.rsplit('/').next().is_some_and(is_api_version) {
        return Err("must not end with an API version such as /v25.0: give the version as apiVersion");
    }
    Ok(format!("{scheme}://{authority}{path}"))
}

/// `.` or `..`, percent-encoded or not (`%2e%2E` too): what URL parsers resolve away.
fn is_dot_segment(segment: &str) -> bool {
    matches!(segment.to_ascii_lowercase().as_str(), "." | ".." | "%2e" | ".%2e" | "%2e." | "%2e%2e")
}

fn is_api_version(version: &str) -> bool {
    let Some((major, minor)) = version.strip_prefix('v').and_then(|v| v.split_once('.')) else {
        return false;
    };
    (1..=3).contains(&major.len()) && (1..=3).contains(&minor.len()) && is_digits(major) && is_digits(minor)
}

/// A non-empty string of at most 32 ASCII digits (ids; full-width digits are refused).
fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.len() <= 32 && text.bytes().all(|byte| byte.is_ascii_digit())
}

fn is_printable_ascii(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_graphic())
}

fn invalid(option: &'static str, reason: &str) -> Error {
    Error::InvalidOptions {
        option,
        reason: String::from(reason),
    }
}

fn wrong_type(option: &'static str, expected: &str, got: &OptionValue) -> Error {
    Error::InvalidOptions {
        option,
        reason: format!("must be {expected}, not {}", got.type_name()),
    }
}

fn required_text(source: &dyn OptionSource, name: &'static str) -> Result<String, Error> {
    match source.get(name) {
        OptionValue::Absent => Err(invalid(name, "is required")),
        OptionValue::Text(text) if text.is_empty() => Err(invalid(name, "must not be empty")),
        OptionValue::Text(text) => Ok(text),
        other => Err(wrong_type(name, "a string", &other)),
    }
}

fn optional_text(source: &dyn OptionSource, name: &'static str) -> Result<Option<String>, Error> {
    match source.get(name) {
        OptionValue::Absent => Ok(None),
        OptionValue::Text(text) => Ok(Some(text)),
        other => Err(wrong_type(name, "a string", &other)),
    }
}

fn optional_bool(source: &dyn OptionSource, name: &'static str) -> Result<Option<bool>, Error> {
    match source.get(name) {
        OptionValue::Absent => Ok(None),
        OptionValue::Bool(value) => Ok(Some(value)),
        other => Err(wrong_type(name, "a boolean", &other)),
    }
}

/// An integer option within `min..=max`.
pub(crate) fn optional_integer(
    source: &dyn OptionSource,
    name: &'static str,
    min: u64,
    max: u64,
) -> Result<Option<u64>, Error> {
    match source.get(name) {
        OptionValue::Absent => Ok(None),
        OptionValue::Number(number) => {
            if number.is_finite() && number.fract() == 0.0 && number >= min as f64 && number <= max as f64 {
                Ok(Some(number as u64))
            } else {
                Err(Error::InvalidOptions {
                    option: name,
                    reason: format!("must be an integer from {min} to {max}"),
                })
            }
        }
        other => Err(wrong_type(name, "a number", &other)),
    }
}

/// Default pacing of pagers (and of calls through the fleet gate): Graph's Conversations API allows 2 calls per second per Page.
pub const DEFAULT_REQUESTS_PER_SECOND: f64 = 2.0;

/// The limits of a paging run, beyond the options of one request.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PagingLimits {
    /// Stop after this many pages yielded.
    pub max_pages: Option<u64>,
    /// Stop after this many items yielded.
    pub max_items: Option<u64>,
    /// Stop at the first item whose `updated_time` is older than this (epoch ms).
    pub updated_since_ms: Option<f64>,
}

/// Validated options of a paging run.
#[derive(Clone, Debug, PartialEq)]
pub struct PagerOptions {
    /// The options every request is built from.
    pub request: RequestOptions,
    /// When to stop, and pacing.
    pub limits: PagingLimits,
}

/// Validates the options of `paginateConversations`: those of `listConversations` (without
/// `before`), plus the paging limits.
pub fn conversations_pager_options(
    source: &dyn OptionSource,
    runtime: Runtime,
) -> Result<PagerOptions, Error> {
    let mut request = conversations_options(source, runtime)?;
    let limits = paging_limits(source, &mut request, true)?;
    Ok(PagerOptions { request, limits })
}

/// Validates the options of `paginateMessages`: those of `listMessages` (without `before`),
/// plus the paging limits (`updatedSince` does not apply to messages).
pub fn messages_pager_options(
    source: &dyn OptionSource,
    runtime: Runtime,
) -> Result<PagerOptions, Error> {
    let mut request = messages_options(source, runtime)?;
    let limits = paging_limits(source, &mut request, false)?;
    Ok(PagerOptions { request, limits })
}

fn paging_limits(
    source: &dyn OptionSource,
    request: &mut RequestOptions,
    with_updated_since: bool,
) -> Result<PagingLimits, Error> {
    if matches!(request.position, Some(Position::Before(_))) {
        return Err(invalid(
            "before",
            "is not supported when paginating; start from a nextCursor with \"after\"",
        ));
    }
    let max_pages = optional_integer(source, "maxPages", 1, 1 << 53)?;
    let max_items = optional_integer(source, "maxItems", 1, 1 << 53)?;
    let updated_since_ms = if with_updated_since {
        updated_since(source)?
    } else {
        None
    };
    if updated_since_ms.is_some() {
        if let Some(fields) = &mut request.fields {
            if !top_level_fields(fields).any(|field| field == "updated_time") {
                fields.push_str(",updated_time");
            }
        }
    }
    Ok(PagingLimits {
        max_pages,
        max_items,
        updated_since_ms,
    })
}

fn updated_since(source: &dyn OptionSource) -> Result<Option<f64>, Error> {
    const REASON: &str = "must be a Date, epoch milliseconds or an ISO 8601 string";
    match source.get("updatedSince") {
        OptionValue::Absent => Ok(None),
        OptionValue::Date(ms) | OptionValue::Number(ms) if ms.is_finite() => Ok(Some(ms)),
        OptionValue::Text(text) => crate::time::parse_timestamp_ms_in(&text, &|ms| source.local_time_ms(ms))
            .map(Some)
            .ok_or_else(|| invalid("updatedSince", REASON)),
        _ => Err(invalid("updatedSince", REASON)),
    }
}

/// The top-level names of a `fields` list (`a,b.limit(2){c,d}` gives `a`, `b`).
fn top_level_fields(fields: &str) -> impl Iterator<Item = &str> {
    let mut depth = 0_i32;
    fields
        .split(move |c: char| {
            match c {
                '{' | '(' => depth += 1,
                '}' | ')' => depth -= 1,
                _ => {}
            }
            c == ',' && depth == 0
        })
        .map(|field| field.split(['.', '{', '(']).next().unwrap_or_default().trim())
}
