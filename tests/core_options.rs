//! Option validation, table-driven: every option, its default and every refusal.

use page_conversations::options::{
    check_defaults, conversations_options, conversations_pager_options, messages_options, Endpoint, Folder, OptionValue, Platform, Position, ProofSource,
    TokenPlacement, MAX_TIMEOUT_MS,
};
use page_conversations::{Error, Runtime};

const SERVER: Runtime = Runtime {
    is_browser_window: false,
};
const BROWSER: Runtime = Runtime {
    is_browser_window: true,
};

fn text(value: &str) -> OptionValue {
    OptionValue::Text(value.to_owned())
}

/// Options from `(name, value)` pairs, on top of a valid `pageId` and `accessToken`.
fn with(pairs: Vec<(&str, OptionValue)>) -> impl Fn(&str) -> OptionValue + '_ {
    move |name: &str| {
        if let Some((_, value)) = pairs.iter().find(|(n, _)| *n == name) {
            return value.clone();
        }
        match name {
            "pageId" => text("1000000000000001"),
            "conversationId" => text("t_587956915396498"),
            "accessToken" => text("EAAtoken"),
            _ => OptionValue::Absent,
        }
    }
}

fn refused_option(result: Result<impl std::fmt::Debug, Error>) -> &'static str {
    match result {
        Err(Error::InvalidOptions { option, .. }) => option,
        other => panic!("expected InvalidOptions, got {other:?}"),
    }
}

#[test]
fn defaults() {
    let options = conversations_options(&with(vec![]), SERVER).unwrap();
    assert_eq!(options.api_version, "v25.0");
    assert_eq!(options.base_url, "https://graph.facebook.com");
    assert_eq!(options.token_in, TokenPlacement::Header);
    assert_eq!(options.timeout_ms, 30_000);
    assert_eq!(options.max_retries, 2);
    assert_eq!(options.proof, ProofSource::None);
    assert_eq!(options.fields, None);
    assert_eq!(options.limit, None);
    assert_eq!(options.position, None);
    assert_eq!(
        options.endpoint,
        Endpoint::Conversations {
            page_id: "1000000000000001".into(),
            platform: None,
            folder: None,
            user_id: None
        }
    );
    assert_eq!(
        conversations_options(&with(vec![]), BROWSER).unwrap().token_in,
        TokenPlacement::Query
    );
}

#[test]
fn accepted_values() {
    let options = conversations_options(
        &with(vec![
            ("pageId", text("me")),
            ("platform", text("InstaGram")),
            ("folder", text("page_done")),
            ("userId", text("24000000000000001")),
            (
                "fields",
                OptionValue::TextList(vec!["id".into(), " messages.limit(5){id,message} ".into()]),
            ),
            ("limit", OptionValue::Number(1000.0)),
            ("after", text("QVFIUm")),
            ("apiVersion", text("v19.0")),
            ("baseUrl", text("https://proxy.example.com:8443/graph/")),
            ("tokenIn", text("query")),
            ("timeoutMs", OptionValue::Number(1.0)),
            ("maxRetries", OptionValue::Number(0.0)),
            ("unknownOption", OptionValue::Other("object")),
        ]),
        SERVER,
    )
    .unwrap();
    assert_eq!(
        options.endpoint,
        Endpoint::Conversations {
            page_id: "me".into(),
            platform: Some(Platform::Instagram),
            folder: Some(Folder::PageDone),
            user_id: Some("24000000000000001".into())
        }
    );
    assert_eq!(options.fields.as_deref(), Some("id,messages.limit(5){id,message}"));
    assert_eq!(options.limit, Some(1000));
    assert!(matches!(options.position, Some(Position::After(_))));
    assert_eq!(options.api_version, "v19.0");
    assert_eq!(options.base_url, "https://proxy.example.com:8443/graph");
    assert_eq!(options.token_in, TokenPlacement::Query);
    assert_eq!((options.timeout_ms, options.max_retries), (1, 0));
}

#[test]
fn base_urls_accepted_as_urls_allow_them() {
    // Hosts as WHATWG URLs and fetch take them: `_` in a name (a container's service name), IP
    // literals, a port, a path prefix; the trailing slash goes.
    for (given, kept) in [
        ("http://graph_proxy:8080/graph/", "http://graph_proxy:8080/graph"),
        ("HTTPS://Graph.Example.COM", "https://Graph.Example.COM"),
        ("http://127.0.0.1:9", "http://127.0.0.1:9"),
        ("http://[::1]:8443/v/", "http://[::1]:8443/v"),
        ("https://a-b.c_d.example/p_q/~r", "https://a-b.c_d.example/p_q/~r"),
    ] {
        let options = conversations_options(&with(vec![("baseUrl", text(given))]), SERVER).unwrap();
        assert_eq!(options.base_url, kept, "{given}");
    }
}

#[test]
fn large_timeouts_and_retry_counts_are_accepted_and_clamped() {
    let n = OptionValue::Number;
    let options = conversations_options(&with(vec![("timeoutMs", n(3e9)), ("maxRetries", n(11.0))]), SERVER).unwrap();
    assert_eq!((options.timeout_ms, options.max_retries), (MAX_TIMEOUT_MS, 11));
    let options = conversations_options(
        &with(vec![
            ("timeoutMs", n(9007199254740991.0)),
            ("maxRetries", n(9007199254740991.0)),
        ]),
        SERVER,
    )
    .unwrap();
    assert_eq!((options.timeout_ms, options.max_retries), (MAX_TIMEOUT_MS, u32::MAX));
}

#[test]
fn refusals_name_the_offending_option() {
    let n = OptionValue::Number;
    let table: Vec<(&str, OptionValue, &str)> = vec![
        ("pageId", OptionValue::Absent, "pageId"),
        ("pageId", text(""), "pageId"),
        ("pageId", n(1000000000000001.0), "pageId"),
        ("pageId", text("12a"), "pageId"),
        ("pageId", text("../1"), "pageId"),
        ("pageId", text("1?fields=x"), "pageId"),
        ("pageId", text("１２３"), "pageId"),
        ("pageId", text("ME"), "pageId"),
        ("pageId", text(&"1".repeat(33)), "pageId"),
        ("accessToken", OptionValue::Absent, "accessToken"),
        ("accessToken", text(""), "accessToken"),
        ("accessToken", text("EAA token"), "accessToken"),
        ("accessToken", text("EAA\r\nX-Evil: 1"), "accessToken"),
        ("accessToken", text("EAA\ttoken"), "accessToken"),
        ("accessToken", text("EAAé"), "accessToken"),
        ("accessToken", OptionValue::Bool(true), "accessToken"),
        ("platform", text("whatsapp"), "platform"),
        ("platform", n(1.0), "platform"),
        ("folder", text("INBOX"), "folder"),
        ("folder", text("archive"), "folder"),
        ("userId", text("abc"), "userId"),
        ("userId", n(5.0), "userId"),
        ("fields", text(""), "fields"),
        ("fields", text("id,\n"), "fields"),
        ("fields", OptionValue::TextList(vec![]), "fields"),
        ("fields", OptionValue::TextList(vec!["id".into(), " ".into()]), "fields"),
        ("fields", OptionValue::Other("array of non-strings"), "fields"),
        ("limit", n(0.0), "limit"),
        ("limit", n(1001.0), "limit"),
        ("limit", n(2.5), "limit"),
        ("limit", n(f64::NAN), "limit"),
        ("limit", n(f64::INFINITY), "limit"),
        ("limit", text("25"), "limit"),
        ("after", text(""), "after"),
        ("after", text("a b"), "after"),
        ("before", text("x\u{0}"), "before"),
        ("apiVersion", text("25.0"), "apiVersion"),
        ("apiVersion", text("v25"), "apiVersion"),
        ("apiVersion", text("v25.0/../x"), "apiVersion"),
        ("baseUrl", text("ftp://graph.facebook.com"), "baseUrl"),
        ("baseUrl", text("graph.facebook.com"), "baseUrl"),
        ("baseUrl", text("https://"), "baseUrl"),
        ("baseUrl", text("https://user:pw@graph.facebook.com"), "baseUrl"),
        ("baseUrl", text("https://graph.facebook.com/?x=1"), "baseUrl"),
        ("baseUrl", text("https://graph.facebook.com/#x"), "baseUrl"),
        ("baseUrl", text("https://graph.facebook.com/a/../b"), "baseUrl"),
        ("baseUrl", text("https://graph.facebook.com/a/%2e%2E/b"), "baseUrl"),
        ("baseUrl", text("https://graph.facebook.com/a/%2E"), "baseUrl"),
        ("baseUrl", text("https://graph.facebook.com:99999"), "baseUrl"),
        ("baseUrl", text("https://graph .facebook.com"), "baseUrl"),
        ("tokenIn", text("cookie"), "tokenIn"),
        ("timeoutMs", n(0.0), "timeoutMs"),
        ("timeoutMs", n(-5.0), "timeoutMs"),
        ("timeoutMs", n(9007199254740992.0), "timeoutMs"),
        ("maxRetries", n(-1.0), "maxRetries"),
        ("maxRetries", n(9007199254740992.0), "maxRetries"),
        ("maxRetries", n(1.5), "maxRetries"),
        ("appSecret", text(""), "appSecret"),
        ("appSecret", text("a b"), "appSecret"),
        ("timedAppSecretProof", OptionValue::Bool(true), "timedAppSecretProof"),
        ("timedAppSecretProof", text("yes"), "timedAppSecretProof"),
        ("appSecretProof", text("abc"), "appSecretProof"),
        ("appSecretProof", text(&"g".repeat(64)), "appSecretProof"),
        ("appSecretTime", n(1_700_000_000.0), "appSecretTime"),
        (
            "dangerouslyAllowAppSecretInBrowser",
            text("true"),
            "dangerouslyAllowAppSecretInBrowser",
        ),
    ];
    for (name, value, option) in table {
        let result = conversations_options(&with(vec![(name, value.clone())]), SERVER);
        assert_eq!(refused_option(result), option, "{name} = {value:?}");
    }
}

#[test]
fn conflicting_options_are_refused() {
    let both_cursors = with(vec![("after", text("A")), ("before", text("B"))]);
    assert_eq!(refused_option(conversations_options(&both_cursors, SERVER)), "before");
    let secret_and_proof = with(vec![
        ("appSecret", text("s3cret")),
        ("appSecretProof", text(&"a".repeat(64))),
    ]);
    assert_eq!(
        refused_option(conversations_options(&secret_and_proof, SERVER)),
        "appSecretProof"
    );
    let secret_and_time = with(vec![
        ("appSecret", text("s3cret")),
        ("appSecretTime", OptionValue::Number(1.0)),
    ]);
    assert_eq!(
        refused_option(conversations_options(&secret_and_time, SERVER)),
        "appSecretTime"
    );
}

#[test]
fn app_secret_is_refused_in_a_browser_window_unless_dangerously_allowed() {
    let secret = [("appSecret", text("s3cret"))];
    assert_eq!(
        refused_option(conversations_options(&with(secret.to_vec()), BROWSER)),
        "appSecret"
    );
    let allowed = [
        ("appSecret", text("s3cret")),
        ("dangerouslyAllowAppSecretInBrowser", OptionValue::Bool(true)),
    ];
    assert!(conversations_options(&with(allowed.to_vec()), BROWSER).is_ok());
    assert!(conversations_options(&with(secret.to_vec()), SERVER).is_ok());
    let given = [
        ("appSecretProof", text(&"AB".repeat(32))),
        ("appSecretTime", OptionValue::Number(1_700_000_000.0)),
    ];
    let options = conversations_options(&with(given.to_vec()), BROWSER).unwrap();
    assert!(matches!(
        options.proof,
        ProofSource::Given {
            time: Some(1_700_000_000),
            ..
        }
    ));
}

#[test]
fn messages_options_check_the_conversation_id() {
    for good in [
        "t_587956915396498",
        "aWdfZAG06MTpJR01lc3NhZA2VUaHJlYWQ6MTc4NDE0=",
        "a:b.c-d_e=",
    ] {
        let options = messages_options(&with(vec![("conversationId", text(good))]), SERVER).unwrap();
        assert_eq!(
            options.endpoint,
            Endpoint::Messages {
                conversation_id: good.into(),
                page_id: Some("1000000000000001".into()),
            }
        );
    }
    for bad in [
        "",
        ".",
        "..",
        "t_1/../2",
        "t_1?x=1",
        "t 1",
        "t_1#",
        "t_1&access_token=x",
        "ｔ_1",
        "t_1%2F",
    ] {
        let result = messages_options(&with(vec![("conversationId", text(bad))]), SERVER);
        assert_eq!(refused_option(result), "conversationId", "{bad:?}");
    }
    assert_eq!(
        refused_option(messages_options(
            &with(vec![("conversationId", OptionValue::Absent)]),
            SERVER
        )),
        "conversationId"
    );
}

#[test]
fn messages_reject_token_problems_too() {
    let result = messages_options(&with(vec![("accessToken", text("a\u{7f}b"))]), SERVER);
    assert_eq!(refused_option(result), "accessToken");
}

#[test]
fn messages_never_echo_values() {
    let token = "EAAsecret value";
    let Err(error) = conversations_options(&with(vec![("accessToken", text(token))]), SERVER) else {
        panic!("refused expected")
    };
    assert!(!error.message().contains("EAAsecret"));
}

#[test]
fn requests_per_second_is_0_or_from_a_hundredth_to_a_thousand() {
    for good in [0.0, 0.01, 0.5, 2.0, 1000.0] {
        let source = with(vec![("requestsPerSecond", OptionValue::Number(good))]);
        assert_eq!(conversations_options(&source, SERVER).unwrap().requests_per_second, Some(good));
        assert_eq!(messages_options(&source, SERVER).unwrap().requests_per_second, Some(good));
    }
    for bad in [1e-9, 2.4e-7, 0.009, -1.0, 1000.5, f64::NAN, f64::INFINITY] {
        let source = with(vec![("requestsPerSecond", OptionValue::Number(bad))]);
        assert_eq!(refused_option(conversations_options(&source, SERVER)), "requestsPerSecond", "{bad}");
        assert_eq!(refused_option(conversations_pager_options(&source, SERVER)), "requestsPerSecond", "{bad}");
    }
    let source = with(vec![("requestsPerSecond", text("2"))]);
    assert_eq!(refused_option(conversations_options(&source, SERVER)), "requestsPerSecond");
    assert_eq!(conversations_options(&with(vec![]), SERVER).unwrap().requests_per_second, None, "one-page calls are not paced by default");
}

#[test]
fn messages_share_the_budget_of_the_page_given() {
    let with_page = with(vec![]);
    assert_eq!(messages_options(&with_page, SERVER).unwrap().pace_key(), "page:1000000000000001");
    assert_eq!(conversations_options(&with_page, SERVER).unwrap().pace_key(), "page:1000000000000001");
    let without_page = with(vec![("pageId", OptionValue::Absent)]);
    assert_eq!(messages_options(&without_page, SERVER).unwrap().pace_key(), "conversation:t_587956915396498");
    for bad in ["../1", "1/messages", "abc", ""] {
        assert_eq!(refused_option(messages_options(&with(vec![("pageId", text(bad))]), SERVER)), "pageId", "{bad}");
    }
}

#[test]
fn hints_for_a_bearer_prefix_and_a_versioned_base_url() {
    for bearer in ["Bearer EAAtoken", "bearer EAAtoken", "BEARER EAAtoken"] {
        match conversations_options(&with(vec![("accessToken", text(bearer))]), SERVER) {
            Err(Error::InvalidOptions { option: "accessToken", reason }) => assert!(reason.contains("\"Bearer \" prefix"), "{reason}"),
            other => panic!("{other:?}"),
        }
    }
    for versioned in ["https://graph.facebook.com/v25.0", "https://graph.facebook.com/v25.0/", "http://127.0.0.1:8080/proxy/v19.0"] {
        match conversations_options(&with(vec![("baseUrl", text(versioned))]), SERVER) {
            Err(Error::InvalidOptions { option: "baseUrl", reason }) => assert!(reason.contains("apiVersion"), "{reason}"),
            other => panic!("{versioned}: {other:?}"),
        }
    }
    for fine in ["https://graph.facebook.com/v25", "http://127.0.0.1:8080/proxy/v2.0x", "https://proxy.example/graph"] {
        assert!(conversations_options(&with(vec![("baseUrl", text(fine))]), SERVER).is_ok(), "{fine}");
    }
}

#[test]
fn client_defaults_are_checked_without_the_required_options() {
    let defaults = |pairs: Vec<(&'static str, OptionValue)>| {
        move |name: &str| pairs.iter().find(|(n, _)| *n == name).map_or(OptionValue::Absent, |(_, v)| v.clone())
    };
    assert!(check_defaults(&defaults(vec![]), SERVER).is_ok());
    assert!(check_defaults(&defaults(vec![("limit", OptionValue::Number(10.0)), ("folder", text("inbox")), ("before", text("QVFI"))]), SERVER).is_ok());
    assert!(check_defaults(&defaults(vec![("updatedSince", text("2026-01-01T00:00:00Z")), ("maxPages", OptionValue::Number(3.0))]), SERVER).is_ok());
    for (name, value) in [
        ("limit", OptionValue::Number(0.0)),
        ("folder", text("archive")),
        ("pageId", text("../me")),
        ("accessToken", text("has space")),
        ("conversationId", text("t_1/../2")),
        ("maxPages", OptionValue::Number(0.0)),
        ("updatedSince", text("yesterday")),
        ("requestsPerSecond", OptionValue::Number(1e-9)),
    ] {
        assert_eq!(refused_option(check_defaults(&defaults(vec![(name, value.clone())]), SERVER)), name);
    }
}
