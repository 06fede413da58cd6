//! `RateLimitUsage::from_headers` over arbitrary header text: never panics, every figure is
//! finite, each header is read independently of the others, and `retry_after_ms` is the
//! largest `estimated_time_to_regain_access` in milliseconds.
//!
//! Input: byte 0's low three bits say which of `X-App-Usage`, `X-Page-Usage`,
//! `X-Business-Use-Case-Usage` are present; the rest is their text, separated by newlines.
#![no_main]

use libfuzzer_sys::fuzz_target;
use page_conversations::usage::{RateLimitUsage, UsageFigures};

fn finite(figures: &UsageFigures) -> bool {
    figures.call_count.is_finite() && figures.total_time.is_finite() && figures.total_cputime.is_finite()
}

fuzz_target!(|data: &[u8]| {
    let Some((&mask, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let mut parts = text.splitn(3, '\n');
    let mut next = |bit: u8| {
        let part = parts.next().unwrap_or_default();
        (mask & bit != 0).then_some(part)
    };
    let (app, page, buc) = (next(1), next(2), next(4));
    let Some(usage) = RateLimitUsage::from_headers(app, page, buc) else {
        for header in [
            app.map(|a| (Some(a), None, None)),
            page.map(|p| (None, Some(p), None)),
            buc.map(|b| (None, None, Some(b))),
        ]
        .into_iter()
        .flatten()
        {
            assert_eq!(RateLimitUsage::from_headers(header.0, header.1, header.2), None);
        }
        return;
    };
    assert!(usage.app.as_ref().is_none_or(finite) && usage.page.as_ref().is_none_or(finite));
    let mut longest: Option<f64> = None;
    for entries in usage.business_use_case.values() {
        for entry in entries {
            let minutes = entry.estimated_time_to_regain_access_minutes;
            assert!(
                minutes.is_none_or(f64::is_finite)
                    && entry.call_count.is_finite()
                    && entry.total_time.is_finite()
                    && entry.total_cputime.is_finite()
            );
            if let Some(minutes) = minutes {
                longest = Some(longest.map_or(minutes, |longest| longest.max(minutes)));
            }
        }
    }
    match (usage.retry_after_ms(), longest) {
        (None, None) => {}
        (Some(ms), Some(longest)) => {
            assert_eq!(ms, (longest.max(0.0) * 60_000.0).ceil().min(u64::MAX as f64) as u64);
        }
        (got, want) => panic!("retry_after_ms {got:?} for the longest estimate {want:?}"),
    }
    // Each header is read on its own.
    let alone = |app, page, buc| RateLimitUsage::from_headers(app, page, buc);
    assert_eq!(alone(app, None, None).and_then(|u| u.app), usage.app);
    assert_eq!(alone(None, page, None).and_then(|u| u.page), usage.page);
    assert_eq!(
        alone(None, None, buc).map(|u| u.business_use_case).unwrap_or_default(),
        usage.business_use_case
    );
    // What the binding hands to JavaScript serializes.
    assert!(serde_json::to_string(&usage).is_ok());
});
