//! Fault-injection soak of the native core: the [`Pager`] reads a 10,000-conversation inbox
//! through a fake transport that injects a seeded schedule of faults (5xx HTML pages, truncated
//! JSON, connection resets, timeouts, rate limits with and without usage headers, transient
//! Graph errors, an auth error mid-sync), with random page sizes, empty pages and both cursor
//! styles. For every seed, an independent model of the retry rules of API.md replays the
//! transport's log (attempts, random draws, sleeps) and checks each decision; the conversations
//! yielded must be exactly a prefix of the inbox, in order, and the whole inbox when the run
//! completes. `maxRetries` is 2 on even seeds and 0–3 on odd ones, except a few storm seeds
//! (`maxRetries` 8 and a burst of 5–9 failures in a row) that reach the 30 s backoff cap.
//! `cargo test --test core_soak -- --nocapture` prints the figures.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::time::Instant;

use futures_executor::block_on;
use page_conversations::client::{Reply, Transport};
use page_conversations::error::ApiErrorClass;
use page_conversations::options::{conversations_pager_options, OptionValue};
use page_conversations::options::PagerOptions;
use page_conversations::pager::{PageData, Pager};
use page_conversations::request::HttpRequest;
use page_conversations::response::BodyShape;
use page_conversations::retry::backoff_ms;
use page_conversations::usage::RateLimitUsage;
use page_conversations::{Error, Runtime};
use serde_json::{json, Value};

use common::Rng;

const SEEDS: u64 = 1_000;
const INBOX: u32 = 10_000;
const PAGE_ID: &str = "1000000000000001";
const TOKEN: &str = "EAASoakPageToken0123456789abcdefXYZ";
const APP_SECRET: &str = "0123456789abcdef0123456789abcdef";
const TIMEOUT_MS: u32 = 7_500;
const RESET: &str = "connection reset by peer";
const NEWEST_MS: f64 = 1_763_630_930_000.0;
/// What API.md documents: a rate limit asking for more than this is thrown at once.
const MAX_RATE_LIMIT_WAIT_MS: u64 = 60_000;
/// What API.md documents for backoff: 250·2^n to 1000·2^n ms, never above 30 s.
const BACKOFF_CAP_MS: u64 = 30_000;

/// A page of conversations, compactly: ids `start..start + len` (the inbox, newest first, is
/// ids 0..INBOX).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Span {
    start: u32,
    len: u32,
}

impl PageData for Span {
    fn item_count(&self) -> usize {
        self.len as usize
    }
    fn updated_time_ms(&self, index: usize) -> Option<f64> {
        (index < self.len as usize).then(|| NEWEST_MS - f64::from(self.start + index as u32) * 1000.0)
    }
    fn truncate(&mut self, len: usize) {
        self.len = self.len.min(len as u32);
    }
}

/// The soak's generator for `seed`.
fn seeded(seed: u64) -> Rng {
    Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03 | 1)
}

/// A fault the transport injects instead of the page.
#[derive(Clone, Debug, PartialEq)]
enum Fault {
    /// A proxy's HTML error page: not JSON, 502 or 503. Retried.
    Html5xx(u16),
    /// A truncated body with status 200: not JSON. Never retried.
    Truncated,
    /// The connection was reset. Retried.
    Reset,
    /// The attempt ran past `timeoutMs`. Retried.
    Timeout,
    /// A rate limit, with the usage headers sent and the wait they ask for (`None`: no header;
    /// `None` or 0: the backoff applies). Retried, unless the wait is over 60 s.
    RateLimit {
        code: i64,
        status: u16,
        app_header: Option<String>,
        buc_header: Option<String>,
        wait_ms: Option<u64>,
    },
    /// A Graph error that may succeed on retry (code 1 / 2, or `is_transient: true`). Retried.
    Transient { code: i64, is_transient: bool },
    /// An invalid token. Never retried, whatever `is_transient` says.
    Auth { subcode: i64, is_transient: bool },
}

impl Fault {
    fn kind(&self) -> &'static str {
        match self {
            Fault::Html5xx(_) => "5xx html (502/503)",
            Fault::Truncated => "truncated json (200)",
            Fault::Reset => "connection reset",
            Fault::Timeout => "timeout",
            Fault::RateLimit { wait_ms: Some(w), .. } if *w > MAX_RATE_LIMIT_WAIT_MS => "rate limit, wait > 60 s",
            Fault::RateLimit { wait_ms: Some(_), .. } => "rate limit, wait <= 60 s",
            Fault::RateLimit {
                app_header: Some(_), ..
            } => "rate limit, usage without wait",
            Fault::RateLimit {
                buc_header: Some(_), ..
            } => "rate limit, usage without wait",
            Fault::RateLimit { .. } => "rate limit, no usage header",
            Fault::Transient { .. } => "transient graph error",
            Fault::Auth { .. } => "auth 190",
        }
    }

    /// The answer the transport gives for this fault.
    fn reply(&self) -> Result<Reply<Span>, Error> {
        let envelope = |status: u16, error: Value, usage: Option<RateLimitUsage>| {
            Ok(Reply {
                status,
                usage,
                shape: BodyShape::Object {
                    error: Some(error),
                    paging: None,
                    data_is_array: false,
                },
                data: None,
            })
        };
        match self {
            Fault::Html5xx(status) => Ok(Reply {
                status: *status,
                usage: None,
                shape: BodyShape::from_text("<html><body><h1>502 Bad Gateway</h1></body></html>"),
                data: None,
            }),
            Fault::Truncated => Ok(Reply {
                status: 200,
                usage: None,
                shape: BodyShape::from_text(
                    r#"{"data":[{"id":"t_1","updated_time":"2025-11-20T09:28:50+0000"},{"id":"t_"#,
                ),
                data: None,
            }),
            Fault::Reset => Err(Error::Network { detail: RESET.into(), reason: RESET.into() }),
            Fault::Timeout => Err(Error::Timeout { timeout_ms: TIMEOUT_MS }),
            Fault::RateLimit {
                code,
                status,
                app_header,
                buc_header,
                ..
            } => envelope(
                *status,
                json!({
                    "message": format!("(#{code}) There have been too many calls to this account."),
                    "type": "OAuthException",
                    "code": code,
                    "error_subcode": 2_446_079,
                    "fbtrace_id": "AbCdEfGhIjK",
                }),
                RateLimitUsage::from_headers(app_header.as_deref(), None, buc_header.as_deref()),
            ),
            Fault::Transient { code, is_transient } => envelope(
                500,
                json!({
                    "message": "An unexpected error has occurred. Please retry your request later.",
                    "type": "OAuthException",
                    "code": code,
                    "is_transient": is_transient,
                    "fbtrace_id": "AbCdEfGhIjK",
                }),
                None,
            ),
            Fault::Auth { subcode, is_transient } => envelope(
                400,
                json!({
                    "message": "Error validating access token: Session has expired.",
                    "type": "OAuthException",
                    "code": 190,
                    "error_subcode": subcode,
                    "is_transient": is_transient,
                    "fbtrace_id": "AbCdEfGhIjK",
                }),
                None,
            ),
        }
    }
}

/// What the transport saw and did, in order.
#[derive(Clone, Debug)]
enum Event {
    /// A request for page `page` of the plan, answered with the page or with `fault`.
    Attempt { page: usize, fault: Option<Fault> },
    /// A `random()` draw.
    Random(f64),
    /// A `sleep(ms)`.
    Sleep(u64),
}

/// One page Graph serves.
#[derive(Clone, Copy, Debug)]
struct PlanPage {
    start: u32,
    len: u32,
    /// Only `next` / `previous` links with `__paging_token`, no `cursors`.
    links_only: bool,
}

/// A seeded world: the inbox split into pages, and the fault schedule.
struct SoakGraph {
    plan: Vec<PlanPage>,
    rng: RefCell<Rng>,
    /// Probability that an attempt fails with a random retryable fault.
    fault_rate: f64,
    /// The request number (from 0) answered with an auth error, or with a truncated body.
    auth_at: Option<usize>,
    truncated_at: Option<usize>,
    /// Requests `from..from + len` all fail with a backoff-type fault.
    burst: Option<(usize, usize)>,
    token_in_query: bool,
    with_proof: bool,
    max_requests: usize,
    log: RefCell<Vec<Event>>,
    requests: Cell<usize>,
    clock_ms: Cell<f64>,
}

impl SoakGraph {
    fn new(seed: u64, max_retries: u32, rng: &mut Rng) -> SoakGraph {
        let mut plan = Vec::new();
        let mut start = 0;
        let style = rng.below(4); // 0: cursors, 1: links only, 2: alternating, 3: random per page
        let mut push = |rng: &mut Rng, start: u32, len: u32| {
            let index = plan.len();
            let links_only = match style {
                0 => false,
                1 => true,
                2 => index % 2 == 1,
                _ => rng.chance(0.5),
            };
            plan.push(PlanPage { start, len, links_only });
        };
        while start < INBOX {
            if rng.chance(0.08) {
                for _ in 0..1 + rng.below(3) {
                    push(rng, start, 0);
                }
            }
            let len = if rng.chance(0.15) {
                1 + rng.below(99) as u32
            } else {
                100 + rng.below(401) as u32
            };
            let len = len.min(INBOX - start);
            push(rng, start, len);
            start += len;
        }
        if rng.chance(0.15) {
            // The last page is empty and has no next page.
            push(rng, INBOX, 0);
        }
        let fault_rate = rng.pick(&[0.0, 0.02, 0.05, 0.1, 0.2, 0.3]);
        let pages = plan.len();
        let auth_at = rng.chance(0.1).then(|| 1 + rng.below(pages as u64 - 1) as usize);
        let truncated_at = rng.chance(0.05).then(|| 1 + rng.below(pages as u64 - 1) as usize);
        let burst = (max_retries >= 5).then(|| (rng.below(pages as u64) as usize, 5 + rng.below(5) as usize));
        SoakGraph {
            plan,
            rng: RefCell::new(seeded(seed ^ 0xFA17)),
            fault_rate,
            auth_at,
            truncated_at,
            burst,
            token_in_query: rng.chance(0.5),
            with_proof: rng.chance(0.5),
            max_requests: pages * (max_retries as usize + 1) + 1,
            log: RefCell::new(Vec::new()),
            requests: Cell::new(0),
            clock_ms: Cell::new(NEWEST_MS),
        }
    }

    /// Which page of the plan a request asks for, from its cursor (`after=cN` or
    /// `__paging_token=pN`); the first page has none.
    fn page_index(url: &str) -> usize {
        let query = url.split_once('?').map_or("", |(_, query)| query);
        let mut found = form_urlencoded::parse(query.as_bytes()).filter_map(|(name, value)| match name.as_ref() {
            "after" => Some(value.strip_prefix('c').expect("a cursor of ours").parse().unwrap()),
            "__paging_token" => Some(value.strip_prefix('p').expect("a token of ours").parse().unwrap()),
            _ => None,
        });
        let index = found.next().unwrap_or(0);
        assert!(found.next().is_none(), "two cursors in one request");
        index
    }

    /// What Graph says about paging on page `index`.
    fn paging(&self, index: usize) -> Value {
        let page = self.plan[index];
        let is_last = index + 1 == self.plan.len();
        let base = format!(
            "https://graph.facebook.com/v25.0/{PAGE_ID}/conversations?access_token={TOKEN}&appsecret_proof={}&limit=25",
            "ab".repeat(32)
        );
        if page.links_only {
            let mut paging = json!({});
            if !is_last {
                paging["next"] = json!(format!("{base}&until=1700000000&__paging_token=p{}", index + 1));
            }
            if index > 0 {
                paging["previous"] = json!(format!("{base}&since=1700000000&__paging_token=q{index}&previous=1"));
            }
            paging
        } else {
            // `cursors.after` is there even on the last page: it must not be followed.
            let mut paging = json!({"cursors": {"before": format!("c{index}"), "after": format!("c{}", index + 1)}});
            if !is_last {
                paging["next"] = json!(format!("{base}&after=c{}", index + 1));
            }
            if index > 0 {
                paging["previous"] = json!(format!("{base}&before=c{index}"));
            }
            paging
        }
    }

    /// The fault for request number `number`, if any.
    fn fault(&self, number: usize) -> Option<Fault> {
        let mut rng = self.rng.borrow_mut();
        if self.auth_at == Some(number) {
            return Some(Fault::Auth {
                subcode: rng.pick(&[463, 460, 492, 458]),
                is_transient: rng.chance(0.3),
            });
        }
        if self.truncated_at == Some(number) {
            return Some(Fault::Truncated);
        }
        let in_burst = self
            .burst
            .is_some_and(|(from, len)| (from..from + len).contains(&number));
        if in_burst {
            return Some(match rng.below(4) {
                0 => Fault::Html5xx(rng.pick(&[502, 503])),
                1 => Fault::Reset,
                2 => Fault::Timeout,
                _ => Fault::Transient {
                    code: 2,
                    is_transient: true,
                },
            });
        }
        if !rng.chance(self.fault_rate) {
            return None;
        }
        Some(match rng.below(100) {
            0..=19 => Fault::Html5xx(rng.pick(&[502, 503])),
            20..=34 => Fault::Reset,
            35..=49 => Fault::Timeout,
            50..=69 => {
                let (code, use_case) = rng.pick(&[(80006, "messenger"), (613, "pages"), (4, "pages")]);
                let app_header = rng
                    .chance(0.4)
                    .then(|| r#"{"call_count":100,"total_time":37,"total_cputime":12.5}"#.to_owned());
                let (buc_header, wait_ms) = if rng.chance(0.6) {
                    // Small waits, sometimes zero (no wait: backoff), occasionally over a minute.
                    let minutes: f64 = if rng.chance(0.12) {
                        rng.pick(&[1.5, 2.0, 5.0, 60.0])
                    } else {
                        rng.pick(&[0.0, 0.05, 0.1, 0.25, 0.5, 0.75, 1.0])
                    };
                    let other: f64 = rng.pick(&[0.0, 0.05, minutes]);
                    let header = json!({
                        PAGE_ID: [{"type": use_case, "call_count": 100, "total_cputime": 23, "total_time": 23.5,
                                   "estimated_time_to_regain_access": minutes}],
                        "17841400000000001": [{"type": "instagram", "call_count": 3, "total_cputime": 1, "total_time": 1,
                                               "estimated_time_to_regain_access": other.min(minutes)}],
                    });
                    let wait = (minutes * 60_000.0).round() as u64;
                    (Some(header.to_string()), Some(wait))
                } else {
                    (None, None)
                };
                Fault::RateLimit {
                    code,
                    status: rng.pick(&[400, 400, 403, 200]),
                    app_header,
                    buc_header,
                    wait_ms,
                }
            }
            _ => {
                let (code, is_transient) = rng.pick(&[(2, true), (2, false), (1, false), (1, true), (1200, true)]);
                Fault::Transient { code, is_transient }
            }
        })
    }

    /// Checks what every request must look like.
    fn check_request(&self, request: &HttpRequest) {
        let url = &request.url;
        assert!(
            url.starts_with(&format!("https://graph.facebook.com/v25.0/{PAGE_ID}/conversations?")),
            "{url}"
        );
        if self.token_in_query {
            assert_eq!(url.matches("access_token=").count(), 1, "{url}");
            assert!(url.contains(&format!("access_token={TOKEN}")));
            assert_eq!(request.authorization, None);
        } else {
            assert!(!url.contains("access_token") && !url.contains(TOKEN), "{url}");
            assert_eq!(
                request.authorization.as_deref(),
                Some(format!("Bearer {TOKEN}").as_str())
            );
        }
        let proofs = url.matches("appsecret_proof=").count();
        assert_eq!(proofs, usize::from(self.with_proof), "{url}");
        assert!(!url.contains(&"ab".repeat(32)), "the link's own proof is never reused");
        assert!(!url.contains(APP_SECRET));
        assert!(!url.contains("previous=1") && !url.contains("__paging_token=q"));
    }
}

impl Transport for &SoakGraph {
    type Data = Span;
    type Json = Value;

    async fn get(&self, request: &HttpRequest, timeout_ms: u32) -> Result<Reply<Span>, Error> {
        assert_eq!(timeout_ms, TIMEOUT_MS);
        let number = self.requests.get();
        self.requests.set(number + 1);
        assert!(number < self.max_requests, "the pager spins: {number} requests");
        self.clock_ms.set(self.clock_ms.get() + 40.0);
        self.check_request(request);
        let page = SoakGraph::page_index(&request.url);
        assert!(page < self.plan.len(), "a page past the end was requested");
        let fault = self.fault(number);
        self.log.borrow_mut().push(Event::Attempt {
            page,
            fault: fault.clone(),
        });
        if let Some(fault) = fault {
            return fault.reply();
        }
        let plan = self.plan[page];
        let usage = self.rng.borrow_mut().chance(0.2).then(|| {
            RateLimitUsage::from_headers(
                Some(r#"{"call_count":28,"total_time":25,"total_cputime":25}"#),
                None,
                Some(r#"{"1000000000000001":[{"type":"messenger","call_count":50,"total_cputime":3,"total_time":3,"estimated_time_to_regain_access":0}]}"#),
            )
            .expect("readable headers")
        });
        Ok(Reply {
            status: 200,
            usage,
            shape: BodyShape::Object {
                error: None,
                paging: Some(self.paging(page)),
                data_is_array: true,
            },
            data: Some(Span {
                start: plan.start,
                len: plan.len,
            }),
        })
    }

    async fn sleep(&self, ms: u64) {
        self.log.borrow_mut().push(Event::Sleep(ms));
        self.clock_ms.set(self.clock_ms.get() + ms as f64);
    }

    fn random(&self) -> f64 {
        let value = self.rng.borrow_mut().unit();
        self.log.borrow_mut().push(Event::Random(value));
        value
    }

    fn now_ms(&self) -> f64 {
        self.clock_ms.get()
    }
}

/// What the model of API.md says after a failed attempt.
enum Decision {
    GiveUp,
    /// Sleep exactly this long (a rate limit's own wait).
    Exactly(u64),
    /// Exponential backoff after `n` retries.
    Backoff(u32),
}

fn model(fault: &Fault, retries_done: u32, max_retries: u32) -> Decision {
    let retryable = !matches!(fault, Fault::Truncated | Fault::Auth { .. });
    if !retryable || retries_done >= max_retries {
        return Decision::GiveUp;
    }
    match fault {
        Fault::RateLimit {
            wait_ms: Some(wait), ..
        } if *wait > MAX_RATE_LIMIT_WAIT_MS => Decision::GiveUp,
        Fault::RateLimit {
            wait_ms: Some(wait), ..
        } if *wait > 0 => Decision::Exactly(*wait),
        _ => Decision::Backoff(retries_done),
    }
}

/// Whether `error` is what the pager must report for the attempt that failed with `fault`.
fn check_error(seed: u64, fault: &Fault, error: &Error) {
    let api = |error: &Error| match error {
        Error::GraphApi(failure) => (**failure).clone(),
        other => panic!("seed {seed}: {fault:?} gave {other:?}"),
    };
    match fault {
        Fault::Html5xx(status) => assert!(
            matches!(error, Error::InvalidResponse { status: s, .. } if s == status),
            "seed {seed}: {error:?}"
        ),
        Fault::Truncated => assert!(
            matches!(error, Error::InvalidResponse { status: 200, .. }),
            "seed {seed}: {error:?}"
        ),
        Fault::Reset => assert_eq!(error, &Error::Network { detail: RESET.into(), reason: RESET.into() }, "seed {seed}"),
        Fault::Timeout => assert_eq!(error, &Error::Timeout { timeout_ms: TIMEOUT_MS }, "seed {seed}"),
        Fault::RateLimit {
            code,
            status,
            wait_ms,
            app_header,
            buc_header,
        } => {
            let failure = api(error);
            assert_eq!(error.class_name(), "RateLimitError", "seed {seed}");
            assert_eq!(failure.class, ApiErrorClass::RateLimit);
            assert_eq!((failure.code, failure.status), (Some(*code), *status), "seed {seed}");
            assert_eq!(failure.retry_after_ms, *wait_ms, "seed {seed}: retryAfterMs");
            assert_eq!(
                failure.usage.is_some(),
                app_header.is_some() || buc_header.is_some(),
                "seed {seed}: usage"
            );
        }
        Fault::Transient { code, is_transient } => {
            let failure = api(error);
            assert_eq!(error.class_name(), "GraphApiError", "seed {seed}");
            assert_eq!((failure.code, failure.is_transient), (Some(*code), *is_transient));
            assert_eq!(failure.retry_after_ms, None);
        }
        Fault::Auth { subcode, is_transient } => {
            let failure = api(error);
            assert_eq!(error.class_name(), "AuthError", "seed {seed}");
            assert_eq!(
                (failure.code, failure.subcode, failure.is_transient),
                (Some(190), Some(*subcode), *is_transient)
            );
        }
    }
}

#[derive(Default)]
struct Stats {
    seeds: u64,
    complete: u64,
    ended_by: BTreeMap<&'static str, u64>,
    conversations: u64,
    requests: u64,
    pages_served: u64,
    empty_pages: u64,
    links_only_pages: u64,
    faults: BTreeMap<&'static str, u64>,
    retries: u64,
    backoff_waits: u64,
    backoff_capped: u64,
    rate_limit_waits: u64,
    slept_ms: u64,
    longest_streak: u32,
    lost: u64,
    repeated: u64,
    max_retries: BTreeMap<u32, u64>,
}

/// Runs one seed and checks everything against the model.
fn run_seed(seed: u64, stats: &mut Stats) {
    let mut rng = seeded(seed);
    let max_retries = match seed % 50 {
        // A few storm seeds: long bursts of failures reach the 30 s backoff cap.
        7 | 33 => 8,
        _ if seed % 2 == 0 => 2,
        _ => rng.below(4) as u32,
    };
    let graph = SoakGraph::new(seed, max_retries, &mut rng);
    let options = pager_options(&graph, max_retries);
    let mut pager = Pager::new(&graph, options);
    let mut yielded: Vec<Span> = Vec::new();
    let end = loop {
        match block_on(pager.next_page()) {
            Ok(Some(page)) => {
                assert!(page.data.len > 0, "seed {seed}: an empty page was yielded");
                assert!(
                    page.next_cursor.is_some() || pager.state().is_finished(),
                    "seed {seed}: a page without next, yet paging goes on"
                );
                yielded.push(page.data);
            }
            Ok(None) => break None,
            Err(error) => break Some(error),
        }
    };
    let requests_made = graph.requests.get();
    assert!(
        matches!(block_on(pager.next_page()), Ok(None)),
        "seed {seed}: paging goes on after its end"
    );
    assert_eq!(
        graph.requests.get(),
        requests_made,
        "seed {seed}: a request after the end"
    );

    // No conversation lost or repeated: what was yielded is a prefix of the inbox, in order.
    let mut seen = vec![0_u8; INBOX as usize];
    let mut next_id = 0;
    for span in &yielded {
        assert_eq!(span.start, next_id, "seed {seed}: a gap or a repeat at {next_id}");
        next_id += span.len;
        for id in span.start..span.start + span.len {
            seen[id as usize] = seen[id as usize].saturating_add(1);
        }
    }
    let repeated: u64 = seen.iter().map(|&n| u64::from(n.saturating_sub(1))).sum();
    let prefix = next_id as usize;
    let lost_in_prefix = seen[..prefix].iter().filter(|&&n| n == 0).count() as u64;
    let lost_overall = seen.iter().filter(|&&n| n == 0).count() as u64;
    assert_eq!((repeated, lost_in_prefix), (0, 0), "seed {seed}");
    assert_eq!(pager.state().items(), u64::from(next_id));

    // Replay the log against the model.
    let log = graph.log.borrow();
    let mut events = log.iter().peekable();
    let mut expected_page = 0;
    let mut retries_done = 0;
    let mut served: Vec<Span> = Vec::new();
    let mut last_fault: Option<&Fault> = None;
    let mut completed = false;
    while let Some(event) = events.next() {
        let Event::Attempt { page, fault } = event else {
            panic!("seed {seed}: {event:?} outside of a failed attempt");
        };
        assert_eq!(*page, expected_page, "seed {seed}: wrong page requested");
        assert!(retries_done <= max_retries, "seed {seed}: a page requested too often");
        stats.longest_streak = stats.longest_streak.max(retries_done + 1);
        stats.requests += 1;
        let Some(fault) = fault else {
            let plan = graph.plan[*page];
            stats.pages_served += 1;
            stats.links_only_pages += u64::from(plan.links_only);
            if plan.len == 0 {
                stats.empty_pages += 1;
            } else {
                served.push(Span {
                    start: plan.start,
                    len: plan.len,
                });
            }
            retries_done = 0;
            if page + 1 == graph.plan.len() {
                assert!(events.peek().is_none(), "seed {seed}: a request after the last page");
                completed = true;
            }
            expected_page += 1;
            continue;
        };
        *stats.faults.entry(fault.kind()).or_default() += 1;
        last_fault = Some(fault);
        let Some(Event::Random(random)) = events.next() else {
            panic!("seed {seed}: a failed attempt drew no jitter");
        };
        match model(fault, retries_done, max_retries) {
            Decision::GiveUp => {
                assert!(
                    events.peek().is_none(),
                    "seed {seed}: {fault:?} after {retries_done} retries must end the run"
                );
            }
            decision => {
                let Some(Event::Sleep(ms)) = events.next() else {
                    panic!("seed {seed}: {fault:?} after {retries_done} retries must be retried after a wait");
                };
                match decision {
                    Decision::Exactly(wait) => {
                        assert_eq!(*ms, wait, "seed {seed}: estimated_time_to_regain_access");
                        stats.rate_limit_waits += 1;
                    }
                    Decision::Backoff(n) => {
                        let low = (250_u64 << n).min(BACKOFF_CAP_MS);
                        let high = (1000_u64 << n).min(BACKOFF_CAP_MS);
                        assert!(
                            (low..=high).contains(ms),
                            "seed {seed}: backoff {ms} ms after {n} retries"
                        );
                        assert_eq!(*ms, backoff_ms(n, *random), "seed {seed}: jitter from the draw");
                        stats.backoff_waits += 1;
                        stats.backoff_capped += u64::from(*ms == BACKOFF_CAP_MS);
                    }
                    Decision::GiveUp => unreachable!(),
                }
                stats.slept_ms += ms;
                stats.retries += 1;
                retries_done += 1;
            }
        }
    }
    assert_eq!(
        yielded, served,
        "seed {seed}: every served non-empty page is yielded, once"
    );
    match &end {
        None => {
            assert!(completed, "seed {seed}: the run stopped early without an error");
            assert_eq!(next_id, INBOX, "seed {seed}: a complete run yields the whole inbox");
            assert_eq!(lost_overall, 0);
            stats.complete += 1;
        }
        Some(error) => {
            assert!(!completed, "seed {seed}: an error after the last page");
            let fault = last_fault.expect("an error comes from a fault");
            check_error(seed, fault, error);
            *stats.ended_by.entry(error.class_name()).or_default() += 1;
        }
    }
    stats.seeds += 1;
    stats.conversations += u64::from(next_id);
    stats.lost += lost_in_prefix;
    stats.repeated += repeated;
    *stats.max_retries.entry(max_retries).or_default() += 1;
}

fn pager_options(graph: &SoakGraph, max_retries: u32) -> PagerOptions {
    let mut pairs: Vec<(&str, OptionValue)> = vec![
        ("pageId", OptionValue::Text(PAGE_ID.into())),
        ("accessToken", OptionValue::Text(TOKEN.into())),
        ("requestsPerSecond", OptionValue::Number(0.0)),
        ("maxRetries", OptionValue::Number(f64::from(max_retries))),
        ("timeoutMs", OptionValue::Number(f64::from(TIMEOUT_MS))),
        ("limit", OptionValue::Number(500.0)),
        (
            "tokenIn",
            OptionValue::Text(if graph.token_in_query { "query" } else { "header" }.into()),
        ),
    ];
    if graph.with_proof {
        pairs.push(("appSecret", OptionValue::Text(APP_SECRET.into())));
    }
    let source = move |name: &str| {
        pairs
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(OptionValue::Absent, |(_, value)| value.clone())
    };
    conversations_pager_options(&source, Runtime::default()).expect("valid options")
}

#[test]
fn soak_a_10000_conversation_inbox_under_seeded_faults() {
    let started = Instant::now();
    let mut stats = Stats::default();
    for seed in 0..SEEDS {
        run_seed(seed, &mut stats);
    }
    let elapsed = started.elapsed();
    assert_eq!((stats.lost, stats.repeated), (0, 0));
    // The schedule must actually exercise what it claims to.
    for kind in [
        "5xx html (502/503)",
        "truncated json (200)",
        "connection reset",
        "timeout",
        "rate limit, wait > 60 s",
        "rate limit, wait <= 60 s",
        "rate limit, no usage header",
        "rate limit, usage without wait",
        "transient graph error",
        "auth 190",
    ] {
        assert!(stats.faults.get(kind).copied().unwrap_or(0) > 0, "no {kind} injected");
    }
    assert!(stats.complete > 0 && stats.backoff_capped > 0 && stats.rate_limit_waits > 0);
    for class in [
        "AuthError",
        "RateLimitError",
        "InvalidResponseError",
        "NetworkError",
        "TimeoutError",
        "GraphApiError",
    ] {
        assert!(stats.ended_by.contains_key(class), "no run ended with {class}");
    }
    let faults: u64 = stats.faults.values().sum();
    eprintln!(
        "soak: {} seeds x {INBOX}-conversation inbox in {:.2?}; maxRetries per seed {:?}",
        stats.seeds, elapsed, stats.max_retries
    );
    eprintln!(
        "  runs: {} complete, ended by error {:?}",
        stats.complete, stats.ended_by
    );
    eprintln!(
        "  {} conversations yielded, {} requests, {} pages served ({} empty, {} links-only)",
        stats.conversations, stats.requests, stats.pages_served, stats.empty_pages, stats.links_only_pages
    );
    eprintln!("  {faults} faults injected:");
    for (kind, count) in &stats.faults {
        eprintln!("    {kind:32} {count}");
    }
    eprintln!(
        "  {} retries: {} backoff waits ({} at the 30 s cap), {} rate-limit waits; {:.1} s slept in total; longest run of attempts on one page {}",
        stats.retries,
        stats.backoff_waits,
        stats.backoff_capped,
        stats.rate_limit_waits,
        stats.slept_ms as f64 / 1000.0,
        stats.longest_streak
    );
    eprintln!("  lost = {}, repeated = {}", stats.lost, stats.repeated);
}
