//! Graph's rate-limit usage headers: `X-App-Usage`, `X-Page-Usage` and
//! `X-Business-Use-Case-Usage`. A header that does not parse is left out, never fatal.

use serde::{Serialize, Serializer};

use crate::json::JsonView;
use crate::redact::Secrets;

/// The three usage headers, as far as they could be read.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RateLimitUsage {
    /// `X-App-Usage`.
    pub app: Option<UsageFigures>,
    /// `X-Page-Usage`.
    pub page: Option<UsageFigures>,
    /// `X-Business-Use-Case-Usage`, by object id.
    pub business_use_case: UsageById,
}

/// The entries of `X-Business-Use-Case-Usage` by object id, in the order of the ids (as a
/// `BTreeMap` keeps them): a sorted list, which costs the wasm module a few hundred bytes where
/// a `BTreeMap` costs several KB. Serializes as a map.
#[derive(Clone, Default, PartialEq)]
pub struct UsageById(Vec<(String, Vec<BusinessUseCaseUsage>)>);

impl UsageById {
    /// Sets the entries of `id`, replacing any it had.
    pub fn insert(&mut self, id: String, entries: Vec<BusinessUseCaseUsage>) {
        match self.0.binary_search_by(|(known, _)| known.cmp(&id)) {
            Ok(at) => {
                if let Some(slot) = self.0.get_mut(at) {
                    slot.1 = entries;
                }
            }
            Err(at) => self.0.insert(at, (id, entries)),
        }
    }

    /// The entries of `id`.
    pub fn get(&self, id: &str) -> Option<&Vec<BusinessUseCaseUsage>> {
        let at = self.0.binary_search_by(|(known, _)| known.as_str().cmp(id)).ok()?;
        self.0.get(at).map(|(_, entries)| entries)
    }

    /// Every id with its entries, ids in order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Vec<BusinessUseCaseUsage>)> {
        self.0.iter().map(|(id, entries)| (id, entries))
    }

    /// The entries of every id, ids in order.
    pub fn values(&self) -> impl Iterator<Item = &Vec<BusinessUseCaseUsage>> {
        self.0.iter().map(|(_, entries)| entries)
    }

    /// Whether there is no id.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for UsageById {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_map().entries(self.iter()).finish()
    }
}

impl Serialize for UsageById {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

/// Percentages of the hourly window used.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageFigures {
    /// `call_count`.
    pub call_count: f64,
    /// `total_time`.
    pub total_time: f64,
    /// `total_cputime`.
    pub total_cputime: f64,
}

/// One entry of `X-Business-Use-Case-Usage`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BusinessUseCaseUsage {
    /// `type`: `messenger`, `pages`, `instagram`, …
    #[serde(rename = "type")]
    pub use_case: String,
    /// `call_count`.
    pub call_count: f64,
    /// `total_time`.
    pub total_time: f64,
    /// `total_cputime`.
    pub total_cputime: f64,
    /// `estimated_time_to_regain_access`, in minutes, as Graph sends it; `None` when absent (or
    /// not a finite number). Serialized as 0 when `None` (`index.d.ts` types it as a number).
    #[serde(serialize_with = "minutes_or_zero")]
    pub estimated_time_to_regain_access_minutes: Option<f64>,
}

/// `estimated_time_to_regain_access` as a number: 0 when Graph gave none.
fn minutes_or_zero<S: Serializer>(minutes: &Option<f64>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(minutes.unwrap_or(0.0))
}

impl RateLimitUsage {
    /// Reads the three headers' text (each `None` when absent). `None` when none could be read.
    pub fn from_headers(app: Option<&str>, page: Option<&str>, business_use_case: Option<&str>) -> Option<Self> {
        RateLimitUsage::from_parsed(
            app.and_then(crate::json::parse),
            page.and_then(crate::json::parse),
            business_use_case.and_then(crate::json::parse),
        )
    }

    /// Reads the three headers once parsed as JSON (`None` when absent or not JSON). A header
    /// that is not a JSON object is left out. `None` when none could be read.
    pub fn from_parsed<J: JsonView>(app: Option<J>, page: Option<J>, business_use_case: Option<J>) -> Option<Self> {
        let app = app.filter(J::is_object).map(|object| figures(&object));
        let page = page.filter(J::is_object).map(|object| figures(&object));
        let business_use_case = business_use_case.filter(J::is_object).map(|object| business(&object));
        if app.is_none() && page.is_none() && business_use_case.is_none() {
            return None;
        }
        Some(RateLimitUsage {
            app,
            page,
            business_use_case: business_use_case.unwrap_or_default(),
        })
    }

    /// The usage with every secret removed from its strings, the ids of
    /// `X-Business-Use-Case-Usage` and the `type` of their entries ([`Secrets::redact`]); the
    /// entries of ids that become equal are kept together.
    pub fn redacted(self, secrets: &Secrets) -> RateLimitUsage {
        if !self.business_use_case.iter().any(|(id, entries)| {
            secrets.appear_in(id) || entries.iter().any(|entry| secrets.appear_in(&entry.use_case))
        }) {
            return self;
        }
        let mut business_use_case = UsageById::default();
        for (id, mut entries) in self.business_use_case.0 {
            for entry in &mut entries {
                entry.use_case = secrets.redact(&entry.use_case);
            }
            let id = secrets.redact(&id);
            if let Some(known) = business_use_case.get(&id) {
                let mut merged = known.clone();
                merged.append(&mut entries);
                entries = merged;
            }
            business_use_case.insert(id, entries);
        }
        RateLimitUsage {
            business_use_case,
            ..self
        }
    }

    /// How long Graph says to wait before calling again: the largest
    /// `estimated_time_to_regain_access` given, in milliseconds (0 when Graph says 0); `None`
    /// when no entry gives one.
    pub fn retry_after_ms(&self) -> Option<u64> {
        let minutes = self
            .business_use_case
            .values()
            .flatten()
            .filter_map(|entry| entry.estimated_time_to_regain_access_minutes)
            .reduce(f64::max)?;
        Some((minutes.max(0.0) * 60_000.0).ceil().min(u64::MAX as f64) as u64)
    }
}

/// `object[key]` when a finite number, else 0.
fn number<J: JsonView>(object: &J, key: &str) -> f64 {
    given_number(object, key).unwrap_or(0.0)
}

/// `object[key]` when a finite number.
fn given_number<J: JsonView>(object: &J, key: &str) -> Option<f64> {
    object
        .member(key)
        .and_then(|value| value.number())
        .filter(|n| n.is_finite())
}

fn figures<J: JsonView>(object: &J) -> UsageFigures {
    UsageFigures {
        call_count: number(object, "call_count"),
        total_time: number(object, "total_time"),
        total_cputime: number(object, "total_cputime"),
    }
}

fn business<J: JsonView>(object: &J) -> UsageById {
    let mut business = UsageById::default();
    for (id, entries) in object.members().into_iter().filter(|(_, entries)| entries.is_array()) {
        let usages = entries
            .items()
            .into_iter()
            .filter(|entry| entry.is_object())
            .map(|entry| BusinessUseCaseUsage {
                use_case: entry.member("type").and_then(|t| t.text()).unwrap_or_default(),
                call_count: number(&entry, "call_count"),
                total_time: number(&entry, "total_time"),
                total_cputime: number(&entry, "total_cputime"),
                estimated_time_to_regain_access_minutes: given_number(&entry, "estimated_time_to_regain_access"),
            })
            .collect();
        business.insert(id, usages);
    }
    business
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_all_three_headers_with_ints_and_floats() {
        let usage = RateLimitUsage::from_headers(
            Some(r#"{"call_count":28,"total_time":25.5,"total_cputime":25}"#),
            Some(r#"{"call_count":120,"total_time":3,"total_cputime":1}"#),
            Some(r#"{"111":[{"type":"messenger","call_count":97,"total_cputime":23,"total_time":23,"estimated_time_to_regain_access":2}],"222":[{"type":"pages","call_count":1,"total_cputime":1,"total_time":1,"estimated_time_to_regain_access":5.5}]}"#),
        )
        .unwrap();
        assert_eq!(
            usage.app,
            Some(UsageFigures {
                call_count: 28.0,
                total_time: 25.5,
                total_cputime: 25.0
            })
        );
        assert_eq!(usage.page.unwrap().call_count, 120.0);
        assert_eq!(usage.business_use_case.get("111").unwrap()[0].use_case, "messenger");
        assert_eq!(
            usage.business_use_case.get("111").unwrap()[0].estimated_time_to_regain_access_minutes,
            Some(2.0)
        );
        assert_eq!(usage.retry_after_ms(), Some(330_000));
    }

    #[test]
    fn secrets_in_business_use_case_ids_and_types_are_redacted() {
        let secrets = Secrets::new(&["EAAtok3n", "proof0123"]);
        let usage = RateLimitUsage::from_headers(
            None,
            None,
            Some(r#"{"EAAtok3n":[{"type":"proof0123","call_count":1}],"x EAAtok3n":[{"type":"pages"}],"[REDACTED]":[{"type":"messenger"}],"1":[{"type":"a?access_token=EAAtok3n"}]}"#),
        )
        .unwrap()
        .redacted(&secrets);
        let text = format!("{usage:?}");
        assert!(!text.contains("EAAtok3n") && !text.contains("proof0123"), "{text}");
        let merged: Vec<&str> = usage.business_use_case.get("[REDACTED]").unwrap().iter().map(|e| e.use_case.as_str()).collect();
        assert_eq!(merged, ["[REDACTED]", "messenger"]);
        assert_eq!(usage.business_use_case.get("x [REDACTED]").unwrap()[0].use_case, "pages");
        assert_eq!(usage.business_use_case.get("1").unwrap()[0].use_case, "a");
        let clean = RateLimitUsage::from_headers(Some(r#"{"call_count":1}"#), None, Some(r#"{"1":[{"type":"pages"}]}"#)).unwrap();
        assert_eq!(clean.clone().redacted(&secrets), clean);
    }

    #[test]
    fn unreadable_headers_are_left_out_never_fatal() {
        assert_eq!(RateLimitUsage::from_headers(None, None, None), None);
        assert_eq!(
            RateLimitUsage::from_headers(Some("{not json"), Some("[]"), Some("7")),
            None
        );
        let usage = RateLimitUsage::from_headers(Some("{oops"), Some(r#"{"call_count":1}"#), None).unwrap();
        assert_eq!(usage.app, None);
        assert_eq!(usage.page.unwrap().call_count, 1.0);
        assert!(usage.business_use_case.is_empty());
        assert_eq!(usage.retry_after_ms(), None);
    }

    #[test]
    fn a_zero_estimate_is_given_an_absent_one_is_not() {
        let usage = RateLimitUsage::from_headers(
            None,
            None,
            Some(r#"{"1":[{"type":"messenger","call_count":100,"estimated_time_to_regain_access":0}]}"#),
        )
        .unwrap();
        assert_eq!(usage.retry_after_ms(), Some(0));
        let usage =
            RateLimitUsage::from_headers(None, None, Some(r#"{"1":[{"type":"messenger","call_count":100}]}"#)).unwrap();
        assert_eq!(
            usage.business_use_case.get("1").unwrap()[0].estimated_time_to_regain_access_minutes,
            None
        );
        assert_eq!(usage.retry_after_ms(), None);
    }
}
