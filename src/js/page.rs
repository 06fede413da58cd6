//! Builds the JavaScript `{ data, paging, usage }` object of a page, and the usage object.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::JsValue;

use super::json::{business_use_case_usage, page_object as make_page, usage_figures, usage_object_of};
use super::keys::key;
use crate::client::Page;
use crate::cursor::Cursor;
use crate::usage::{RateLimitUsage, UsageFigures};

/// `{ data, paging: { nextCursor, previousCursor }, usage }`.
pub fn page_object(page: Page<JsValue>) -> JsValue {
    let cursor = |cursor: Option<Cursor>| cursor.map_or(JsValue::NULL, |c| JsValue::from_str(&c.encode()));
    make_page(
        &page.data,
        &cursor(page.next_cursor),
        &cursor(page.previous_cursor),
        &usage_object(page.usage.as_ref()),
    )
}

/// `{ app, page, businessUseCase }` (the `RateLimitUsage` of `index.d.ts`), or `null`. The
/// objects are made by `pkg/json.js` in one call each.
pub fn usage_object(usage: Option<&RateLimitUsage>) -> JsValue {
    let Some(usage) = usage else {
        return JsValue::NULL;
    };
    let figures = |figures: Option<&UsageFigures>| {
        figures.map_or(JsValue::NULL, |f| usage_figures(f.call_count, f.total_time, f.total_cputime))
    };
    let business_use_case = Array::new();
    for (id, entries) in usage.business_use_case.iter() {
        let list: Array = entries
            .iter()
            .map(|entry| {
                business_use_case_usage(
                    &entry.use_case,
                    entry.call_count,
                    entry.total_time,
                    entry.total_cputime,
                    entry.estimated_time_to_regain_access_minutes.unwrap_or(0.0),
                )
            })
            .collect();
        business_use_case.push(&JsValue::from_str(id));
        business_use_case.push(&list);
    }
    usage_object_of(&figures(usage.app.as_ref()), &figures(usage.page.as_ref()), &business_use_case)
}

/// `object[name] = value` on a plain object just created (which cannot throw).
pub fn set(object: &Object, name: &str, value: &JsValue) {
    let _ = Reflect::set(object, &key(name), value);
}
