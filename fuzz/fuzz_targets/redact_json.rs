//! `Secrets::redact_json` and `Secrets::redact` over arbitrary text and secrets: never panic;
//! valid JSON stays valid JSON with the same structure and keys; no form of a secret is left in
//! any string value.
//!
//! Input: the first line holds the secrets, separated by spaces (characters outside real
//! secrets' alphabet are dropped, and secrets shorter than 8 are ignored); the rest is the text.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use page_conversations::redact::Secrets;
use serde_json::Value;

/// Walks `input` and `output` together: same shape and keys; string values checked for leaks.
fn compare(input: &Value, output: &Value, secrets: &[String]) {
    match (input, output) {
        (Value::Object(a), Value::Object(b)) => {
            assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
            for (key, value) in a {
                compare(value, &b[key], secrets);
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len());
            for (a, b) in a.iter().zip(b) {
                compare(a, b, secrets);
            }
        }
        (Value::String(before), Value::String(after)) => {
            assert_eq!(common::leak(after, secrets), None, "{before:?} -> {after:?}");
        }
        (a, b) => assert_eq!(a, b),
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (first, body) = text.split_once('\n').unwrap_or((&text, ""));
    let secrets: Vec<String> = first
        .split(' ')
        .map(|s| {
            s.chars()
                .filter(|c| c.is_ascii() && common::SECRET_ALPHABET.contains(&(*c as u8)))
                .collect::<String>()
        })
        .filter(|s| s.len() >= 8)
        .take(3)
        .collect();
    let redactor = Secrets::new(&secrets.iter().map(String::as_str).collect::<Vec<_>>());
    let redacted = redactor.redact(body);
    assert_eq!(common::leak(&redacted, &secrets), None, "{body:?} -> {redacted:?}");
    let out = redactor.redact_json(body);
    let Ok(input) = serde_json::from_str::<Value>(body) else {
        return;
    };
    if secrets.is_empty() || common::leak(body, &secrets).is_none() {
        assert_eq!(out, body, "JSON without secrets is unchanged");
        return;
    }
    let parsed = match serde_json::from_str::<Value>(&out) {
        Ok(parsed) => parsed,
        Err(error) => panic!("not JSON any more ({error}): {body:?} -> {out:?}"),
    };
    compare(&input, &parsed, &secrets);
});
