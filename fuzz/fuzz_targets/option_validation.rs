//! Option validation and request building over arbitrary option values: never panics, and
//! whatever is accepted builds a request whose URL is printable ASCII (no space, CR or LF),
//! whose path is exactly `{baseUrl}/{apiVersion}/{validated id}/{edge}`, and whose query has
//! each reserved parameter at most once.
//!
//! Input: lines `name=<type>:<value>`, where `<type>` is `s` (string), `n` (number), `b` (bool),
//! `l` (array of strings, `|`-separated), `d` (Date, epoch ms), `o` (another JavaScript type);
//! a line `@browser` runs as in a browser window, `@now=<seconds>` sets the clock.
#![no_main]

use libfuzzer_sys::fuzz_target;
use page_conversations::options::{
    conversations_options, conversations_pager_options, messages_options, messages_pager_options, proof_arguments,
    Endpoint, OptionValue, RequestOptions,
};
use page_conversations::request::build_request;
use page_conversations::{Runtime, DEFAULT_API_VERSION};

fn value(typed: &str) -> OptionValue {
    let (kind, value) = typed.split_once(':').unwrap_or(("s", typed));
    match kind {
        "n" => OptionValue::Number(value.trim().parse().unwrap_or(f64::NAN)),
        "b" => OptionValue::Bool(value == "true" || value == "1"),
        "l" => OptionValue::TextList(value.split('|').map(String::from).collect()),
        "d" => OptionValue::Date(value.trim().parse().unwrap_or(f64::NAN)),
        "o" => OptionValue::Other("object"),
        "u" => OptionValue::Absent,
        _ => OptionValue::Text(value.to_owned()),
    }
}

fn check(options: &RequestOptions, given: &[(String, OptionValue)], now: u64) {
    let text = |name: &str| {
        given.iter().rev().find(|(n, _)| n == name).and_then(|(_, v)| match v {
            OptionValue::Text(text) => Some(text.clone()),
            _ => None,
        })
    };
    let request = build_request(options, None, now);
    let url = &request.url;
    assert!(url.bytes().all(|b| b.is_ascii_graphic()), "{url:?}");
    assert!(!url.contains('#'), "{url:?}");
    if let Some(authorization) = &request.authorization {
        assert_eq!(authorization, &format!("Bearer {}", options.access_token.expose()));
        assert!(!authorization.contains(['\r', '\n']));
    }
    assert!(!options.base_url.contains(['?', '#', '@']) && !options.base_url.ends_with('/'));
    let rest = url
        .strip_prefix(&options.base_url)
        .expect("the URL starts with the base URL");
    let path = rest.split('?').next().unwrap_or_default();
    let (id, edge, given_id) = match &options.endpoint {
        Endpoint::Conversations { page_id, .. } => (page_id, "conversations", text("pageId")),
        Endpoint::Messages { conversation_id, .. } => (conversation_id, "messages", text("conversationId")),
    };
    assert_eq!(Some(id), given_id.as_ref());
    assert!(id != "." && id != ".." && !id.is_empty());
    let version = text("apiVersion").unwrap_or_else(|| DEFAULT_API_VERSION.to_owned());
    assert_eq!(path, format!("/{version}/{id}/{edge}"), "{url:?}");
    let query = url.split_once('?').map_or("", |(_, query)| query);
    let names: Vec<String> = form_urlencoded::parse(query.as_bytes())
        .map(|(n, _)| n.into_owned())
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
        assert!(
            names.iter().filter(|n| *n == unique).count() <= 1,
            "{unique} twice in {url:?}"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut given: Vec<(String, OptionValue)> = Vec::new();
    let mut runtime = Runtime::default();
    let mut now = 1_700_000_000;
    for line in text.split('\n') {
        if line == "@browser" {
            runtime.is_browser_window = true;
        } else if let Some(seconds) = line.strip_prefix("@now=") {
            now = seconds.parse().unwrap_or(now);
        } else if let Some((name, typed)) = line.split_once('=') {
            given.push((name.to_owned(), value(typed)));
        }
    }
    let source = |name: &str| {
        given
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map_or(OptionValue::Absent, |(_, value)| value.clone())
    };
    let _ = proof_arguments(&source);
    for options in [
        conversations_options(&source, runtime),
        messages_options(&source, runtime),
    ]
    .into_iter()
    .flatten()
    {
        check(&options, &given, now);
    }
    for options in [
        conversations_pager_options(&source, runtime),
        messages_pager_options(&source, runtime),
    ]
    .into_iter()
    .flatten()
    {
        if let Some(rate) = options.request.requests_per_second {
            assert!(rate == 0.0 || (0.01..=1000.0).contains(&rate));
        }
        check(&options.request, &given, now);
    }
});
