//! Property tests of the sans-IO core (proptest, 256 cases per property by default; set
//! `PROPTEST_CASES` for more): the response reader, the usage-header parser, the cursor codec,
//! option validation with request building, redaction and timestamps. Each property states
//! what API.md / GRAPH.md promise, checked against generated input and against arbitrary text.

#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use page_conversations::cursor::Cursor;
use page_conversations::error::Error;
use page_conversations::options::{
    conversations_options, conversations_pager_options, messages_options, messages_pager_options, proof_arguments,
    Endpoint, OptionValue, RequestOptions,
};
use page_conversations::redact::Secrets;
use page_conversations::request::build_request;
use page_conversations::response::{read_response, BodyShape};
use page_conversations::time::parse_timestamp_ms;
use page_conversations::usage::RateLimitUsage;
use page_conversations::Runtime;
use proptest::collection::{btree_map, vec};
use proptest::option;
use proptest::prelude::*;
use serde_json::{json, Map, Value};

mod common;

fn config() -> ProptestConfig {
    common::proptest_config()
}

// ---------------------------------------------------------------------------------------------
// Shared generators

/// A secret as the package meets them: access tokens (`EAA…`, `IGQ…`, app tokens `id|secret`),
/// app secrets and proofs (hex). At least 8 characters.
fn secret() -> impl Strategy<Value = String> {
    prop_oneof![
        "EAA[A-Za-z0-9]{8,40}",
        "IGQV[A-Za-z0-9_-]{8,40}",
        "[0-9]{6,16}\\|[A-Za-z0-9_-]{8,32}",
        "[0-9a-f]{32}",
        "[0-9a-f]{64}",
        "[A-Za-z0-9|/+=_.~-]{8,40}",
    ]
}

/// The forms in which a secret can show up in a response: raw, percent-encoded, JSON-escaped.
fn forms_of(secret: &str) -> Vec<String> {
    vec![
        secret.to_owned(),
        form_urlencoded::byte_serialize(secret.as_bytes()).collect(),
        secret.replace('\\', "\\\\").replace('"', "\\\"").replace('/', "\\/"),
    ]
}

fn leaks(text: &str, secrets: &[String]) -> Option<String> {
    secrets
        .iter()
        .flat_map(|secret| forms_of(secret))
        .find(|form| text.contains(form.as_str()))
}

/// A piece of text around secrets: the secret whole, percent-encoded, cut in half, or words.
/// Never whitespace, `?`, `&`, `#`: usable inside links.
fn piece(secrets: &[String]) -> impl Strategy<Value = String> {
    let pick = |secrets: &[String], f: fn(&str) -> String| {
        let secrets = secrets.to_vec();
        (0..secrets.len()).prop_map(move |i| f(&secrets[i]))
    };
    prop_oneof![
        3 => pick(secrets, |s| s.to_owned()),
        1 => pick(secrets, |s| form_urlencoded::byte_serialize(s.as_bytes()).collect()),
        1 => pick(secrets, |s| s[..s.len() / 2].to_owned()),
        1 => pick(secrets, |s| s[s.len() / 2..].to_owned()),
        1 => pick(secrets, |s| format!("enc_{s}_1")),
        4 => "[a-zA-Z0-9_.:,=/%+-]{0,8}",
    ]
}

/// Free text (a message, a snippet): pieces, punctuation, escapes and whole links, with a space
/// in it (text whose only whitespace is a newline looks like a link once JSON-escaped: see
/// `a_secret_in_a_parameter_name_position_never_survives_redaction`).
fn free_text(secrets: Vec<String>) -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        4 => piece(&secrets),
        1 => link_text(secrets),
        2 => prop::sample::select(vec![" ", "?", "&", "=", "#", "/", "\\", "\"", "\n", "\t", "\u{c}", "\u{8}", ":", ",", "é", "[REDACTED]", "?access_token=", "&after="])
            .prop_map(String::from),
    ];
    ("[A-Za-z]{0,6} ", vec(fragment, 0..10)).prop_map(|(head, parts)| head + &parts.concat())
}

/// A link as Graph writes them: secrets in its path, in `access_token` / `appsecret_proof`
/// and in other parameters' values, and in its fragment (never in parameter names).
fn link_text(secrets: Vec<String>) -> impl Strategy<Value = String> {
    let name = prop::sample::select(vec![
        "access_token",
        "appsecret_proof",
        "after",
        "before",
        "limit",
        "__paging_token",
        "until",
        "fields",
        "redirect_uri",
    ]);
    (
        prop::sample::select(vec!["https://graph.facebook.com", "http://127.0.0.1:8080", "/1000"]),
        vec(piece(&secrets), 0..3),
        vec((name, vec(piece(&secrets), 0..3)), 0..6),
        option::of(piece(&secrets)),
    )
        .prop_map(|(origin, path, pairs, fragment)| {
            let query: Vec<String> = pairs
                .into_iter()
                .map(|(name, value)| format!("{name}={}", value.concat()))
                .collect();
            let mut link = format!("{origin}/v25.0/{}?{}", path.join("/"), query.join("&"));
            if let Some(fragment) = fragment {
                link.push('#');
                link.push_str(&fragment);
            }
            link
        })
}

fn text_with(secrets: Vec<String>) -> impl Strategy<Value = String> {
    prop_oneof![free_text(secrets.clone()), link_text(secrets)]
}

// ---------------------------------------------------------------------------------------------
// The response reader

const TOKEN: &str = "EAAPropertyToken0123456789";

fn reader_secrets() -> Secrets {
    Secrets::new(&[TOKEN])
}

/// A Graph-like page: `(body, expected next is some, expected next cursor when Graph's own)`.
fn graph_page() -> impl Strategy<Value = (Value, bool, Option<String>, bool)> {
    let cursor = "[A-Za-z0-9_=-]{1,40}";
    (
        vec(("t_[0-9]{1,16}", 0_u32..4), 0..5),
        option::of(cursor),
        option::of(cursor),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        "[A-Za-z0-9]{1,30}",
    )
        .prop_map(|(items, after, before, has_next, has_previous, with_cursors, paging_token)| {
            let base = format!("https://graph.facebook.com/v25.0/1/conversations?access_token={TOKEN}&limit=25");
            let data: Vec<Value> = items
                .iter()
                .map(|(id, messages)| {
                    json!({
                        "id": id,
                        "updated_time": "2025-11-20T09:28:50+0000",
                        "messages": {"data": (0..*messages).map(|m| json!({"id": format!("m_{m}")})).collect::<Vec<_>>(),
                                     "paging": {"next": format!("https://graph.facebook.com/v25.0/{id}/messages?access_token={TOKEN}&after=MQ")}},
                    })
                })
                .collect();
            let mut paging = Map::new();
            if with_cursors {
                let mut cursors = Map::new();
                if let Some(after) = &after {
                    cursors.insert("after".into(), json!(after));
                }
                if let Some(before) = &before {
                    cursors.insert("before".into(), json!(before));
                }
                paging.insert("cursors".into(), Value::Object(cursors));
            }
            if has_next {
                paging.insert("next".into(), json!(format!("{base}&until=1&__paging_token={paging_token}")));
            }
            if has_previous {
                paging.insert("previous".into(), json!(format!("{base}&since=1&__paging_token={paging_token}")));
            }
            let graph_after = after.filter(|_| with_cursors && has_next);
            (
                json!({"data": data, "paging": Value::Object(paging)}),
                has_next,
                graph_after,
                has_previous,
            )
        })
}

/// Graph's error classes as API.md tables them, by code (and message for 2500).
fn expected_class(code: Option<i64>, message: &str) -> &'static str {
    match code {
        Some(102 | 190) => "AuthError",
        Some(2500) if message.to_lowercase().contains("access token") => "AuthError",
        Some(3 | 10 | 200..=299) => "PermissionError",
        Some(4 | 17 | 32 | 341 | 613 | 80000..=80014) => "RateLimitError",
        Some(100 | 104 | 2500) => "InvalidRequestError",
        Some(368) => "PolicyBlockError",
        _ => "GraphApiError",
    }
}

fn error_code() -> impl Strategy<Value = i64> {
    prop_oneof![
        4 => prop::sample::select(vec![1, 2, 3, 4, 10, 17, 32, 100, 102, 104, 190, 200, 230, 299, 300, 341, 368, 613, 2500, 80000, 80006, 80014, 80015, 1_609_005]),
        1 => 80000_i64..=80014,
        1 => 200_i64..=299,
        1 => any::<i64>(),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn the_reader_never_panics_on_arbitrary_text(status in any::<u16>(), text in any::<String>()) {
        let _ = read_response(status, &BodyShape::from_text(&text), None, &reader_secrets());
    }

    #[test]
    fn the_reader_never_panics_on_json_like_text(
        status in prop::sample::select(vec![200_u16, 400, 500]),
        text in r#"[\[\]{}:,"a-z0-9 .\\-]{0,80}"#,
        wrapped in any::<bool>(),
    ) {
        let text = if wrapped { format!(r#"{{"data":[],"paging":{text}}}"#) } else { text };
        let _ = read_response(status, &BodyShape::from_text(&text), None, &reader_secrets());
    }

    #[test]
    fn a_generated_page_gives_a_next_cursor_iff_it_has_next(
        (body, has_next, graph_after, has_previous) in graph_page(),
        status in 200_u16..300,
    ) {
        let text = body.to_string();
        let cursors = read_response(status, &BodyShape::from_text(&text), None, &reader_secrets())
            .map_err(|error| TestCaseError::fail(format!("{error:?}")))?;
        prop_assert_eq!(cursors.next.is_some(), has_next);
        prop_assert_eq!(cursors.previous.is_some(), has_previous);
        if let Some(after) = graph_after {
            prop_assert_eq!(cursors.next.clone(), Some(Cursor::Graph(after)));
        }
        for cursor in cursors.next.iter().chain(cursors.previous.iter()) {
            let encoded = cursor.encode();
            prop_assert!(!encoded.contains(TOKEN) && !encoded.contains("access_token"), "{}", encoded);
            prop_assert_eq!(Cursor::parse(&encoded), Ok(cursor.clone()));
        }
    }

    #[test]
    fn a_generated_error_envelope_is_a_graph_api_error_of_the_right_class(
        code in error_code(),
        code_as_text in prop::bool::weighted(0.1),
        subcode in option::of(any::<i64>()),
        message in prop_oneof![
            Just(String::from("Error validating access token: Session has expired")),
            Just(format!("Malformed access token {TOKEN}")),
            "[ -~]{0,60}",
        ],
        is_transient in option::of(any::<bool>()),
        status in prop::sample::select(vec![200_u16, 400, 401, 403, 404, 500, 503]),
        with_data in any::<bool>(),
    ) {
        let mut error = json!({"message": message, "type": "OAuthException", "fbtrace_id": "AbC"});
        error["code"] = if code_as_text { json!(code.to_string()) } else { json!(code) };
        if let Some(subcode) = subcode {
            error["error_subcode"] = json!(subcode);
        }
        if let Some(is_transient) = is_transient {
            error["is_transient"] = json!(is_transient);
        }
        let mut body = json!({"error": error});
        if with_data {
            body["data"] = json!([]);
        }
        let result = read_response(status, &BodyShape::from_text(&body.to_string()), None, &reader_secrets());
        let Err(error @ Error::GraphApi(_)) = result else {
            return Err(TestCaseError::fail(format!("{result:?}")));
        };
        let Error::GraphApi(failure) = &error else { unreachable!() };
        // Codes are read as JavaScript reads them: integers beyond 2^53 are not exact, so not kept.
        let safe = |n: i64| (n.unsigned_abs() < 1 << 53).then_some(n);
        prop_assert_eq!(error.class_name(), expected_class(safe(code), &message));
        prop_assert_eq!(failure.code, safe(code));
        prop_assert_eq!(failure.subcode, subcode.and_then(safe));
        prop_assert_eq!(failure.status, status);
        prop_assert_eq!(failure.is_transient, is_transient.unwrap_or(false));
        prop_assert!(!failure.message.contains(TOKEN));
        prop_assert!(!error.message().contains(TOKEN));
    }
}

// ---------------------------------------------------------------------------------------------
// Usage headers

/// A number as Graph writes it: an integer, or a decimal with a couple of digits.
fn usage_number() -> impl Strategy<Value = f64> {
    prop_oneof![
        (0_u32..100_000).prop_map(f64::from),
        (0_u32..1_000_000).prop_map(|n| f64::from(n) / 100.0),
    ]
}

fn number_json(n: f64) -> Value {
    if n.fract() == 0.0 {
        json!(n as u64)
    } else {
        json!(n)
    }
}

type Figures = (f64, f64, f64);
type BucEntry = (String, Figures, Option<f64>);

fn figures_json((call_count, total_time, total_cputime): Figures) -> Value {
    json!({
        "call_count": number_json(call_count),
        "total_time": number_json(total_time),
        "total_cputime": number_json(total_cputime),
    })
}

fn figures() -> impl Strategy<Value = Figures> {
    (usage_number(), usage_number(), usage_number())
}

fn buc_entry() -> impl Strategy<Value = BucEntry> {
    (
        prop::sample::select(vec!["messenger", "pages", "instagram", "ads_management", "leadgen", ""])
            .prop_map(String::from),
        figures(),
        option::of(prop_oneof![
            Just(0.0),
            (0_u32..120).prop_map(f64::from),
            (0_u32..1000).prop_map(|n| f64::from(n) / 100.0)
        ]),
    )
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn usage_headers_never_panic_on_arbitrary_text(
        app in option::of(any::<String>()),
        page in option::of(r#"[{}\[\]":,0-9a-z_.e+-]{0,60}"#),
        buc in option::of(prop_oneof![any::<String>(), r#"\{"[0-9]{1,4}":\[\{[{}\[\]":,0-9a-z_.e+-]{0,60}"#]),
    ) {
        if let Some(usage) = RateLimitUsage::from_headers(app.as_deref(), page.as_deref(), buc.as_deref()) {
            let _ = usage.retry_after_ms();
        }
    }

    #[test]
    fn generated_usage_headers_round_trip(
        app in option::of(figures()),
        page in option::of(figures()),
        buc in option::of(btree_map("[0-9]{1,17}", vec(buc_entry(), 0..3), 0..3)),
        extra_field in any::<bool>(),
    ) {
        let mut app_json = app.map(figures_json);
        if extra_field {
            if let Some(Value::Object(object)) = &mut app_json {
                object.insert("unknown_future_field".into(), json!("x"));
            }
        }
        let app_header = app_json.map(|value| value.to_string());
        let page_header = page.map(|figures| figures_json(figures).to_string());
        let buc_header = buc.as_ref().map(|buc| {
            let object: Map<String, Value> = buc
                .iter()
                .map(|(id, entries)| {
                    let entries = entries
                        .iter()
                        .map(|(use_case, figures, minutes)| {
                            let mut entry = figures_json(*figures);
                            entry["type"] = json!(use_case);
                            if let Some(minutes) = minutes {
                                entry["estimated_time_to_regain_access"] = number_json(*minutes);
                            }
                            entry
                        })
                        .collect();
                    (id.clone(), Value::Array(entries))
                })
                .collect();
            Value::Object(object).to_string()
        });
        let usage = RateLimitUsage::from_headers(app_header.as_deref(), page_header.as_deref(), buc_header.as_deref());
        if app.is_none() && page.is_none() && buc.is_none() {
            prop_assert_eq!(usage, None);
            return Ok(());
        }
        let usage = usage.ok_or_else(|| TestCaseError::fail("readable headers were dropped"))?;
        let check = |got: Option<page_conversations::usage::UsageFigures>, want: Option<Figures>| {
            got.map(|f| (f.call_count, f.total_time, f.total_cputime)) == want
        };
        prop_assert!(check(usage.app, app));
        prop_assert!(check(usage.page, page));
        let got: BTreeMap<String, Vec<BucEntry>> = usage
            .business_use_case
            .iter()
            .map(|(id, entries)| {
                let entries = entries
                    .iter()
                    .map(|e| (e.use_case.clone(), (e.call_count, e.total_time, e.total_cputime), e.estimated_time_to_regain_access_minutes))
                    .collect();
                (id.clone(), entries)
            })
            .collect();
        prop_assert_eq!(&got, &buc.clone().unwrap_or_default());
        let longest = buc.iter().flat_map(|buc| buc.values().flatten()).filter_map(|entry| entry.2).reduce(f64::max);
        match (usage.retry_after_ms(), longest) {
            (None, None) => {}
            (Some(ms), Some(longest)) => prop_assert!((ms as f64 - longest * 60_000.0).abs() <= 1.0, "{} ms for {} min", ms, longest),
            (got, want) => prop_assert!(false, "retry_after_ms {:?} for the longest estimate {:?}", got, want),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Cursors

/// The only parameters a link cursor carries (as in src/cursor.rs).
const PAGING: [&str; 7] = [
    "limit",
    "until",
    "since",
    "__paging_token",
    "__previous",
    "after",
    "before",
];

fn graph_cursor() -> impl Strategy<Value = Cursor> {
    "[A-Za-z0-9+/=_-]{1,300}".prop_map(Cursor::Graph)
}

fn link_cursor() -> impl Strategy<Value = Cursor> {
    (
        prop::sample::subsequence(PAGING.to_vec(), 1..=PAGING.len()),
        vec(prop_oneof!["[A-Za-z0-9_+/=%-]{0,40}", ".{0,20}"], 7),
    )
        .prop_map(|(names, values)| Cursor::Link(names.into_iter().map(String::from).zip(values).collect()))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn parsing_arbitrary_cursor_text_never_panics_and_is_stable(text in prop_oneof![any::<String>(), "~1\\.[ -~]{0,60}", "[ -~]{0,60}"]) {
        if let Ok(cursor) = Cursor::parse(&text) {
            prop_assert_eq!(Cursor::parse(&cursor.encode()), Ok(cursor));
        }
    }

    #[test]
    fn generated_cursors_round_trip(cursor in prop_oneof![graph_cursor(), link_cursor()]) {
        let encoded = cursor.encode();
        prop_assert!(encoded.bytes().all(|byte| byte.is_ascii_graphic()), "{}", encoded);
        prop_assert_eq!(Cursor::parse(&encoded), Ok(cursor));
    }

    #[test]
    fn link_cursors_never_carry_the_token_or_the_proof(
        token in secret(),
        proof in "[0-9a-f]{64}",
        others in vec(("[a-z_]{1,12}", "[A-Za-z0-9_.-]{0,20}"), 0..5),
        token_in_values in any::<bool>(),
        order in any::<u64>(),
    ) {
        let mut pairs: Vec<(String, String)> = others;
        pairs.push(("__paging_token".into(), if token_in_values { format!("enc_{token}_x") } else { "enc_1".into() }));
        let position = (order % (pairs.len() as u64 + 1)) as usize;
        pairs.insert(position, ("access_token".into(), token.clone()));
        pairs.insert((order / 7 % (pairs.len() as u64 + 1)) as usize, ("appsecret_proof".into(), proof.clone()));
        let query: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(&pairs).finish();
        let link = format!("https://graph.facebook.com/v25.0/1000000000000001/conversations?{query}");
        let secrets = [token.clone(), proof.clone()];
        let cursor = Cursor::from_link(&link, &Secrets::new(&[&token, &proof]));
        let Some(Cursor::Link(kept)) = &cursor else {
            return Err(TestCaseError::fail(format!("{cursor:?}")));
        };
        prop_assert!(kept.iter().all(|(name, _)| PAGING.contains(&name.as_str())), "only paging parameters: {:?}", kept);
        let encoded = cursor.as_ref().map(Cursor::encode).unwrap_or_default();
        prop_assert!(!encoded.contains("access_token=") && !encoded.contains("appsecret_proof="), "{}", encoded);
        prop_assert_eq!(leaks(&encoded, &secrets), None);
        prop_assert_eq!(Cursor::parse(&encoded).ok(), cursor);
    }
}

// ---------------------------------------------------------------------------------------------
// Option validation and request building

const OPTION_NAMES: [&str; 25] = [
    "pageId",
    "conversationId",
    "accessToken",
    "platform",
    "folder",
    "userId",
    "fields",
    "limit",
    "after",
    "before",
    "apiVersion",
    "baseUrl",
    "tokenIn",
    "appSecret",
    "dangerouslyAllowAppSecretInBrowser",
    "timedAppSecretProof",
    "appSecretProof",
    "appSecretTime",
    "timeoutMs",
    "maxRetries",
    "maxPages",
    "maxItems",
    "requestsPerSecond",
    "updatedSince",
    "unixSeconds",
];

/// Plausible text for an option: mostly valid, sometimes almost.
fn plausible_text(name: &str) -> BoxedStrategy<String> {
    match name {
        "pageId" | "userId" => prop_oneof!["[0-9]{1,20}", Just("me".to_owned()), "[0-9]{0,4}[ a/.%?#0-9]{1,3}"].boxed(),
        "conversationId" => prop_oneof![
            "t_[0-9]{1,20}",
            "[A-Za-z0-9_:.=-]{1,40}",
            prop::sample::select(vec![".", "..", "...", "a/..", "%2e%2e", "t_1?x", "t_1#", "t 1"])
                .prop_map(String::from),
        ]
        .boxed(),
        "accessToken" | "appSecret" => prop_oneof![secret(), "[ -~]{0,12}", ".{0,6}"].boxed(),
        "platform" => prop::sample::select(vec!["messenger", "INSTAGRAM", "Messenger", "whatsapp", ""])
            .prop_map(String::from)
            .boxed(),
        "folder" => prop::sample::select(vec!["inbox", "other", "page_done", "spam", "INBOX", "archived"])
            .prop_map(String::from)
            .boxed(),
        "fields" => "[a-z_.{}(),0-9 ]{1,40}".boxed(),
        "after" | "before" => prop_oneof![
            "[A-Za-z0-9+/=_-]{1,60}",
            "~1\\.[a-z_]{1,8}=[A-Za-z0-9%+]{0,12}(&[a-z_]{1,8}=[A-Za-z0-9%+]{0,12}){0,3}",
            "~1\\.[ -~]{0,30}",
        ]
        .boxed(),
        "apiVersion" => prop_oneof!["v[0-9]{1,3}\\.[0-9]{1,3}", "[ -~]{0,8}"].boxed(),
        "baseUrl" => (
            prop::sample::select(vec!["https", "http", "HTTPS", "ftp", "javascript", ""]),
            prop::sample::select(vec![
                "graph.facebook.com",
                "127.0.0.1",
                "[::1]",
                "localhost",
                "a b",
                "user@host",
                "h\r\nx",
                "",
                "[::1",
                "exa_mple.com",
                "ü.com",
            ]),
            prop::sample::select(vec!["", ":8080", ":0", ":65536", ":", ":abc"]),
            prop_oneof![
                prop::sample::select(vec![
                    "", "/", "/proxy", "/proxy/", "/a/../b", "/a/./b", "/a?x=1", "/a#f", "/a b", "/a%2e%2e", "/a\n",
                    "//x", "/é"
                ])
                .prop_map(String::from),
                "(/[ -~]{0,6}){0,3}",
            ],
        )
            .prop_map(|(scheme, host, port, path)| format!("{scheme}://{host}{port}{path}"))
            .boxed(),
        "tokenIn" => prop::sample::select(vec!["query", "header", "Query", "cookie"])
            .prop_map(String::from)
            .boxed(),
        "appSecretProof" => prop_oneof!["[0-9a-fA-F]{64}", "[0-9a-f]{60,68}"].boxed(),
        "updatedSince" => prop_oneof![
            "20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9](Z|[+-][0-9]{4})",
            "[ -~]{0,26}"
        ]
        .boxed(),
        _ => "[ -~]{0,12}".boxed(),
    }
}

fn option_value(name: &'static str) -> BoxedStrategy<OptionValue> {
    let number = prop_oneof![
        4 => (0_u32..2000).prop_map(f64::from),
        1 => prop::sample::select(vec![f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -1.0, 0.5, 1e300, 9_007_199_254_740_993.0, 2_147_483_648.0]),
        1 => any::<f64>(),
    ];
    prop_oneof![
        6 => Just(OptionValue::Absent),
        8 => plausible_text(name).prop_map(OptionValue::Text),
        1 => any::<String>().prop_map(OptionValue::Text),
        3 => number.clone().prop_map(OptionValue::Number),
        2 => any::<bool>().prop_map(OptionValue::Bool),
        1 => vec(plausible_text(name), 0..3).prop_map(OptionValue::TextList),
        1 => number.prop_map(OptionValue::Date),
        1 => prop::sample::select(vec!["object", "function", "bigint", "symbol"]).prop_map(OptionValue::Other),
    ]
    .boxed()
}

/// Options for every name; the required ones are present most of the time.
fn option_set() -> impl Strategy<Value = Vec<(&'static str, OptionValue)>> {
    OPTION_NAMES
        .iter()
        .map(|&name| {
            let value = option_value(name);
            match name {
                "pageId" | "conversationId" | "accessToken" => prop_oneof![
                    4 => plausible_text(name).prop_map(OptionValue::Text),
                    1 => value,
                ]
                .prop_map(move |value| (name, value))
                .boxed(),
                _ => value.prop_map(move |value| (name, value)).boxed(),
            }
        })
        .collect::<Vec<_>>()
}

fn check_request(options: &RequestOptions, given: &[(&str, OptionValue)], now: u64) -> Result<(), TestCaseError> {
    let text = |name: &str| match given.iter().find(|(n, _)| *n == name) {
        Some((_, OptionValue::Text(text))) => Some(text.clone()),
        _ => None,
    };
    let request = build_request(options, None, now);
    let url = &request.url;
    prop_assert!(
        url.bytes().all(|byte| byte.is_ascii_graphic()),
        "not a clean URL: {:?}",
        url
    );
    prop_assert!(!url.contains('#'), "{:?}", url);
    if let Some(authorization) = &request.authorization {
        prop_assert!(!authorization.contains(['\r', '\n']));
        prop_assert_eq!(authorization, &format!("Bearer {}", options.access_token.expose()));
    }
    let rest = url
        .strip_prefix(&options.base_url)
        .ok_or_else(|| TestCaseError::fail("the URL does not start with the base URL"))?;
    let path = rest.split('?').next().unwrap_or_default();
    let segments: Vec<&str> = path.split('/').collect();
    let (id, edge) = match &options.endpoint {
        Endpoint::Conversations { page_id, .. } => (page_id.clone(), "conversations"),
        Endpoint::Messages { conversation_id, .. } => (conversation_id.clone(), "messages"),
    };
    let given_id = text("pageId")
        .filter(|_| edge == "conversations")
        .or_else(|| text("conversationId"));
    prop_assert_eq!(Some(&id), given_id.as_ref());
    let version = text("apiVersion").unwrap_or_else(|| String::from(page_conversations::DEFAULT_API_VERSION));
    prop_assert_eq!(segments, vec!["", version.as_str(), id.as_str(), edge]);
    prop_assert!(!id.is_empty() && id != "." && id != "..");
    prop_assert!(
        !options.base_url.contains(['?', '#', ' ', '@']) && !options.base_url.ends_with('/'),
        "{:?}",
        options.base_url
    );
    let query = url.split_once('?').map_or("", |(_, query)| query);
    let names: Vec<String> = form_urlencoded::parse(query.as_bytes())
        .map(|(name, _)| name.into_owned())
        .collect();
    for unique in [
        "access_token",
        "appsecret_proof",
        "appsecret_time",
        "after",
        "before",
        "limit",
        "fields",
    ] {
        prop_assert!(
            names.iter().filter(|name| *name == unique).count() <= 1,
            "{} twice in {:?}",
            unique,
            url
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn option_validation_never_panics_and_accepted_options_build_clean_requests(
        given in option_set(),
        is_browser_window in any::<bool>(),
        now in 0_u64..(1 << 40),
    ) {
        let source = |name: &str| {
            given.iter().find(|(n, _)| *n == name).map_or(OptionValue::Absent, |(_, value)| value.clone())
        };
        let runtime = Runtime { is_browser_window };
        let _ = proof_arguments(&source);
        for options in [conversations_options(&source, runtime), messages_options(&source, runtime)].into_iter().flatten() {
            check_request(&options, &given, now)?;
        }
        for options in [conversations_pager_options(&source, runtime), messages_pager_options(&source, runtime)].into_iter().flatten() {
            prop_assert!(options.request.requests_per_second.is_none_or(|rate| rate == 0.0 || (0.01..=1000.0).contains(&rate)));
            check_request(&options.request, &given, now)?;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Redaction

fn secrets_and_text() -> impl Strategy<Value = (Vec<String>, String)> {
    vec(secret(), 1..4).prop_flat_map(|secrets| (Just(secrets.clone()), text_with(secrets)))
}

/// A JSON tree whose string values carry secrets (keys never do).
fn json_with(secrets: Vec<String>) -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        4 => text_with(secrets).prop_map(Value::String),
        1 => any::<i64>().prop_map(|n| json!(n)),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => Just(Value::Null),
    ];
    leaf.prop_recursive(4, 40, 5, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..5).prop_map(Value::Array),
            btree_map("[a-z_]{1,10}", inner, 0..5).prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

fn secrets_and_json() -> impl Strategy<Value = (Vec<String>, Value, bool)> {
    vec(secret(), 1..4).prop_flat_map(|secrets| (Just(secrets.clone()), json_with(secrets), any::<bool>()))
}

/// Same structure and keys; strings may differ.
fn same_shape(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b.iter())
                    .all(|((ka, va), (kb, vb))| ka == kb && same_shape(va, vb))
        }
        (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_shape(a, b)),
        (Value::String(_), Value::String(_)) => true,
        (a, b) => a == b,
    }
}

fn strings_of(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(text) => out.push(text.clone()),
        Value::Array(items) => items.iter().for_each(|item| strings_of(item, out)),
        Value::Object(map) => map.values().for_each(|item| strings_of(item, out)),
        _ => {}
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn redacted_text_never_contains_a_secret((secrets, text) in secrets_and_text()) {
        let redactor = Secrets::new(&secrets.iter().map(String::as_str).collect::<Vec<_>>());
        let out = redactor.redact(&text);
        prop_assert_eq!(leaks(&out, &secrets), None, "in {:?} from {:?}", out, text);
        prop_assert!(!redactor.appear_in(&out));
        if leaks(&text, &secrets).is_none() && text.contains(char::is_whitespace) {
            prop_assert_eq!(out, text, "free text without secrets is unchanged");
        }
    }

    #[test]
    fn redacted_links_lose_the_token_parameters_and_keep_the_others(
        (secrets, link) in vec(secret(), 1..4).prop_flat_map(|secrets| (Just(secrets.clone()), link_text(secrets))),
    ) {
        let redactor = Secrets::new(&secrets.iter().map(String::as_str).collect::<Vec<_>>());
        let out = redactor.redact(&link);
        prop_assert_eq!(leaks(&out, &secrets), None, "in {:?} from {:?}", out, link);
        let names = |link: &str| -> Vec<String> {
            let query = link.split_once('?').map_or("", |(_, rest)| rest.split('#').next().unwrap_or_default());
            query.split('&').filter(|pair| !pair.is_empty()).map(|pair| pair.split('=').next().unwrap_or_default().to_owned()).collect()
        };
        let mut kept = names(&link);
        kept.retain(|name| name != "access_token" && name != "appsecret_proof");
        prop_assert_eq!(names(&out), kept, "{:?} -> {:?}", link, out);
    }

    #[test]
    fn redacted_json_stays_json_with_the_same_keys_and_no_secret(
        (secrets, value, escape_slashes) in secrets_and_json(),
    ) {
        let mut text = serde_json::to_string(&value).map_err(|e| TestCaseError::fail(e.to_string()))?;
        if escape_slashes {
            // Graph escapes `/` as `\/`.
            text = text.replace('/', "\\/");
        }
        let redactor = Secrets::new(&secrets.iter().map(String::as_str).collect::<Vec<_>>());
        let out = redactor.redact_json(&text);
        let parsed: Value = serde_json::from_str(&out)
            .map_err(|e| TestCaseError::fail(format!("{e}: {out:?} from {text:?}")))?;
        prop_assert!(same_shape(&value, &parsed), "{:?} -> {:?}", text, out);
        prop_assert_eq!(leaks(&out, &secrets), None, "in {:?}", out);
        let mut strings = Vec::new();
        strings_of(&parsed, &mut strings);
        for string in &strings {
            prop_assert_eq!(leaks(string, &secrets), None, "in the value {:?}", string);
        }
        if leaks(&text, &secrets).is_none() {
            prop_assert_eq!(out, text, "JSON without secrets is unchanged");
        }
    }

    #[test]
    fn redaction_never_panics_on_arbitrary_text(
        secrets in vec(prop_oneof![secret(), any::<String>()], 0..3),
        text in prop_oneof![any::<String>(), r#"[{}\[\]":,\\a-z?&=#/ ]{0,60}"#],
    ) {
        let redactor = Secrets::new(&secrets.iter().map(String::as_str).collect::<Vec<_>>());
        let _ = redactor.redact(&text);
        let _ = redactor.redact_json(&text);
    }
}

// ---------------------------------------------------------------------------------------------
// Timestamps

fn days_before_year(year: i64) -> i64 {
    let leap = |y: i64| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if year >= 1970 {
        (1970..year).map(|y| if leap(y) { 366 } else { 365 }).sum()
    } else {
        -(year..1970).map(|y| if leap(y) { 366 } else { 365 }).sum::<i64>()
    }
}

fn month_days(year: i64) -> [i64; 12] {
    let february = if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 {
        29
    } else {
        28
    };
    [31, february, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
}

/// Days since 1970-01-01 of a valid date, counted year by year and month by month (independent
/// of the closed-form algorithm in src/time.rs).
fn days_since_epoch(year: i64, month: i64, day: i64) -> i64 {
    days_before_year(year) + month_days(year)[..(month - 1) as usize].iter().sum::<i64>() + day - 1
}

/// The first `parse_timestamp_ms`, over `str` methods: the byte-based one must agree with it on
/// every input.
fn reference_timestamp_ms(text: &str) -> Option<f64> {
    let text = text.trim();
    let (date, rest) = (text.get(..10)?, text.get(10..)?);
    let mut date_parts = date.split('-');
    let year: i64 = number(date_parts.next()?, 4)?;
    let month: i64 = number(date_parts.next()?, 2)?;
    let day: i64 = number(date_parts.next()?, 2)?;
    if !(1..=12).contains(&month) || !(1..=month_days(year)[(month - 1) as usize]).contains(&day) {
        return None;
    }
    let mut millis = days_since_epoch(year, month, day) as f64 * 86_400_000.0;
    let Some(time) = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' ')) else {
        return rest.is_empty().then_some(millis);
    };
    let offset_at = time.find(['Z', 'z', '+', '-']).unwrap_or(time.len());
    let (clock, offset) = time.split_at_checked(offset_at)?;
    let mut clock_parts = clock.split(':');
    let hours: i64 = number(clock_parts.next()?, 2)?;
    let minutes: i64 = number(clock_parts.next()?, 2)?;
    let seconds: f64 = match clock_parts.next() {
        None => 0.0,
        Some(seconds) => {
            let (whole, fraction) = seconds.split_once('.').unwrap_or((seconds, ""));
            let whole: i64 = number(whole, 2)?;
            if !fraction.bytes().all(|b| b.is_ascii_digit()) || seconds.ends_with('.') {
                return None;
            }
            // Milliseconds from the first three digits of the fraction (no float parsing).
            let millis = fraction
                .bytes()
                .chain(std::iter::repeat(b'0'))
                .take(3)
                .fold(0, |ms, digit| ms * 10 + i64::from(digit - b'0'));
            whole as f64 + millis as f64 / 1000.0
        }
    };
    if clock_parts.next().is_some() || hours > 23 || minutes > 59 || seconds >= 61.0 {
        return None;
    }
    millis += ((hours * 60 + minutes) * 60) as f64 * 1000.0 + seconds * 1000.0;
    let offset_minutes = match offset {
        "" | "Z" | "z" => 0,
        _ => {
            let (sign, digits) = offset.split_at_checked(1)?;
            let sign = match sign {
                "-" => -1,
                "+" => 1,
                _ => return None,
            };
            // `HH`, `HHMM` or `HH:MM`.
            let digits = match digits.len() {
                5 if digits.get(2..3) == Some(":") => [digits.get(..2)?, digits.get(3..)?].concat(),
                _ => digits.to_owned(),
            };
            let (h, m) = match digits.len() {
                2 => (number(&digits, 2)?, 0),
                4 => (number(digits.get(..2)?, 2)?, number(digits.get(2..)?, 2)?),
                _ => return None,
            };
            if h > 23 || m > 59 {
                return None;
            }
            sign * (h * 60 + m)
        }
    };
    Some(millis - offset_minutes as f64 * 60_000.0)
}

/// A field of exactly `width` ASCII digits.
fn number(text: &str, width: usize) -> Option<i64> {
    (text.len() == width && text.bytes().all(|b| b.is_ascii_digit())).then(|| page_conversations::text::parse_integer(text))?
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn timestamps_parse_as_the_first_parser_did(
        text in prop_oneof![
            any::<String>(),
            "[0-9]{4}-[0-9]{2}-[0-9]{2}",
            "[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9:.+Zz-]{0,16}",
            "[0-9]{4}-[01][0-9]-[0-3][0-9][T ][0-2][0-9]:[0-5][0-9](:[0-6][0-9](\\.[0-9]{0,5})?)?([Zz]|[+-][0-2][0-9](:?[0-5][0-9])?|[Zz][0-9:]{0,5})?",
            " ?[0-9 T:.+Zzé-]{0,30} ?",
        ],
    ) {
        let ours = parse_timestamp_ms(&text);
        let reference = reference_timestamp_ms(&text);
        prop_assert_eq!(ours.map(f64::to_bits), reference.map(f64::to_bits), "{:?}", text);
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn timestamps_never_panic_on_arbitrary_text(
        text in prop_oneof![any::<String>(), "[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9:.+Zz-]{0,16}", "[0-9T:.+Z-]{0,30}"],
    ) {
        let _ = parse_timestamp_ms(&text);
    }

    #[test]
    fn generated_timestamps_parse_to_the_right_instant(
        year in 1900_i64..2100,
        month in 1_i64..=12,
        day_seed in 0_i64..31,
        (hour, minute, second) in (0_i64..24, 0_i64..60, 0_i64..60),
        millis in option::of(0_i64..1000),
        offset in option::of((any::<bool>(), 0_i64..24, 0_i64..60, 0_usize..3)),
    ) {
        let day = 1 + day_seed % month_days(year)[(month - 1) as usize];
        let days = days_since_epoch(year, month, day);
        let fraction = millis.map_or(String::new(), |ms| format!(".{ms:03}"));
        let mut text = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{fraction}");
        let mut expected = ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis.unwrap_or(0);
        match offset {
            None => text.push('Z'),
            Some((negative, h, m, style)) => {
                let sign = if negative { '-' } else { '+' };
                match style {
                    0 => text.push_str(&format!("{sign}{h:02}{m:02}")),
                    1 => text.push_str(&format!("{sign}{h:02}:{m:02}")),
                    _ => text.push_str(&format!("{sign}{h:02}")),
                }
                let minutes = if style == 2 { h * 60 } else { h * 60 + m };
                expected -= if negative { -minutes } else { minutes } * 60_000;
            }
        }
        prop_assert_eq!(parse_timestamp_ms(&text), Some(expected as f64), "{}", text);
    }
}

// ---------------------------------------------------------------------------------------------
// Regressions of src/redact.rs, found by the properties above with wider generators.

/// API.md: the token "never appears anywhere in what the package returns". `Secrets::redact`
/// treats a string without whitespace and with a `?` as a link and never touches parameter
/// names, so a secret in a name position survives (and a secret containing `?`, `&` or `=` is
/// cut at those separators and never matched).
#[test]
fn a_secret_in_a_parameter_name_position_never_survives_redaction() {
    let token = "EAAtoken12345678";
    let mut leaked = Vec::new();
    let redactor = Secrets::new(&[token]);
    for text in [
        format!("?{token}=1"),
        format!("https://g/x?a=1&{token}=2"),
        format!("https://g/v25.0/1/conversations?access_token={token}&{token}x=1"),
    ] {
        let out = redactor.redact(&text);
        if leaks(&out, &[token.into()]).is_some() {
            leaked.push(format!("redact({text:?}) = {out:?}"));
        }
    }
    // In JSON a newline is `\n`: a message whose only whitespace is a newline is taken for a link.
    for value in [
        format!("https://g/x?{token}=1"),
        format!("Token?\n{token}=yes"),
        format!("\n?https://graph.facebook.com/v25.0/{token}?access_token="),
    ] {
        let json = json!({ "message": value }).to_string();
        let out = redactor.redact_json(&json);
        if leaks(&out, &[token.into()]).is_some() {
            leaked.push(format!("redact_json({json:?}) = {out:?}"));
        }
    }
    // Tokens may be any printable ASCII (options.rs): `?`, `&`, `=` cut them apart.
    for odd in ["EAAtok?en12345678", "EAAtok&en=12345678"] {
        let redactor = Secrets::new(&[odd]);
        for text in [odd.to_owned(), format!("https://g/x?q={odd}")] {
            let out = redactor.redact(&text);
            if leaks(&out, &[odd.into()]).is_some() {
                leaked.push(format!("redact({text:?}) = {out:?}"));
            }
        }
    }
    assert!(leaked.is_empty(), "secrets left in:\n{}", leaked.join("\n"));
}

/// `Secrets::redact_json` matches secrets in the escaped JSON text, so a secret beginning with
/// an escape letter (`b f n r t u`; hex app secrets and proofs start with `b` or `f` one time in
/// eight) matches across an escape sequence such as `\f` + the rest of the secret, and the
/// replacement leaves a lone backslash: the result is not JSON (the JavaScript binding then
/// reports a valid page as an `InvalidResponseError`).
#[test]
fn redact_json_never_breaks_an_escape_sequence() {
    let proof = format!("f{}", &"0123456789abcdef".repeat(4)[1..]);
    let redactor = Secrets::new(&[&proof]);
    let text = json!({"snippet": format!("page break\u{c}{}", &proof[1..])}).to_string();
    let out = redactor.redact_json(&text);
    assert!(serde_json::from_str::<Value>(&out).is_ok(), "{text} -> {out}");
}
