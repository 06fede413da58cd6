//! The paging exports: a [`PagerRun`] is one iteration of a pager, driven page by page from the
//! package's small JS async generator (`pkg/pager.js`). All paging logic is [`crate::pager`].

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortSignal;

use super::abort::abortable;
use super::errors::to_js_error;
use super::exports::promise;
use super::options::JsOptions;
use super::json::pager_step;
use super::keys::key;
use super::page::page_object;
use super::transport::FetchTransport;
use crate::error::Error;
use crate::options::PagerOptions;
use crate::pager::{PageData, Pager};
use crate::time::parse_timestamp_ms;

impl PageData for JsValue {
    fn item_count(&self) -> usize {
        self.dyn_ref::<Array>().map_or(0, |array| array.length() as usize)
    }

    fn updated_time_ms(&self, index: usize) -> Option<f64> {
        let item = self.dyn_ref::<Array>()?.get(u32::try_from(index).ok()?);
        let time = Reflect::get(&item, &key("updated_time"))
            .ok()?
            .as_string()?;
        parse_timestamp_ms(&time)
    }

    fn truncate(&mut self, len: usize) {
        if let Some(array) = self.dyn_ref::<Array>() {
            let kept = array.slice(0, u32::try_from(len).unwrap_or(u32::MAX));
            *self = kept.into();
        }
    }
}

/// One iteration of a pager: fetches nothing until `nextPage()` is called. (Each iteration of a
/// JavaScript pager starts a run of its own from the options it read.)
#[wasm_bindgen]
pub struct PagerRun {
    pager: Rc<RefCell<Option<Pager<FetchTransport>>>>,
    signal: Option<AbortSignal>,
}

impl PagerRun {
    fn new(options: PagerOptions, transport: FetchTransport, signal: Option<AbortSignal>) -> PagerRun {
        PagerRun {
            pager: Rc::new(RefCell::new(Some(Pager::new(transport, options)))),
            signal,
        }
    }
}

#[wasm_bindgen]
impl PagerRun {
    /// Resolves to `{ page, pageNumber, itemCount }` for the next non-empty page, or `null` when
    /// paging is over. Calls must not overlap (the JS generator queues them).
    #[wasm_bindgen(js_name = nextPage)]
    pub fn next_page(&self) -> js_sys::Promise {
        let cell = Rc::clone(&self.pager);
        let signal = self.signal.clone();
        let work = async move {
            let taken = cell.try_borrow_mut().ok().and_then(|mut slot| slot.take());
            let Some(mut pager) = taken else {
                let error = Error::Paging {
                    detail: String::from(
                        "this pager was interrupted (aborted) or its pages were requested concurrently",
                    ),
                };
                return Err(to_js_error(&error));
            };
            let result = pager.next_page().await;
            let (pages, items) = (pager.state().pages(), pager.state().items());
            if let Ok(mut slot) = cell.try_borrow_mut() {
                *slot = Some(pager);
            }
            match result {
                Ok(Some(page)) => Ok(pager_step(&page_object(page), pages as f64, items as f64)),
                Ok(None) => Ok(JsValue::NULL),
                Err(error) => Err(to_js_error(&error)),
            }
        };
        promise(Box::pin(abortable(signal, Box::pin(work))))
    }
}

/// Starts an iteration of `paginateConversations(options)`; throws `InvalidOptionsError` at once.
#[wasm_bindgen(js_name = startConversationsPager)]
pub fn start_conversations_pager(options: JsValue) -> Result<PagerRun, JsValue> {
    start(&options, crate::options::conversations_pager_options)
}

/// Starts an iteration of `paginateMessages(options)`; throws `InvalidOptionsError` at once.
#[wasm_bindgen(js_name = startMessagesPager)]
pub fn start_messages_pager(options: JsValue) -> Result<PagerRun, JsValue> {
    start(&options, crate::options::messages_pager_options)
}

/// The `limit` of `toArray({ limit })`: a required positive integer.
#[wasm_bindgen(js_name = toArrayLimit)]
pub fn to_array_limit(options: JsValue) -> Result<f64, JsValue> {
    if options.is_undefined() || options.is_null() {
        let error = Error::InvalidOptions {
            option: "limit",
            reason: String::from("is required by toArray()"),
        };
        return Err(to_js_error(&error));
    }
    let checked = JsOptions::checked(&options).and_then(|source| {
        crate::options::optional_integer(&source, "limit", 1, 1 << 53)?.ok_or_else(|| Error::InvalidOptions {
            option: "limit",
            reason: String::from("is required by toArray()"),
        })
    });
    checked.map(|limit| limit as f64).map_err(|error| to_js_error(&error))
}

fn start(
    options: &JsValue,
    validate: fn(&dyn crate::options::OptionSource, crate::options::Runtime) -> Result<PagerOptions, Error>,
) -> Result<PagerRun, JsValue> {
    let checked = JsOptions::checked(options).and_then(|source| {
        let mut validated = validate(&source, super::options::runtime())?;
        let transport = source.transport(&mut validated.request, Some(crate::options::DEFAULT_REQUESTS_PER_SECOND));
        let signal = source.signal()?;
        source.on_page()?;
        Ok((validated, transport, signal))
    });
    let (validated, transport, signal) = checked.map_err(|error| to_js_error(&error))?;
    Ok(PagerRun::new(validated, transport, signal))
}
