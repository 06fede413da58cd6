//! Paging through a listing: the state machine that decides, page after page, what to request
//! next, what to yield and when to stop, following every paging rule of Graph (see GRAPH.md),
//! and [`Pager`], which drives it through a [`Transport`]. The JavaScript pager and the Rust
//! [`Pager::into_stream`] are both this code.

use std::sync::Arc;

use sha2::{Digest, Sha256};

use futures_util::stream::{self, Stream};

use crate::client::{fetch_page_paced, Pace, Page, Transport};
use crate::cursor::Cursor;
use crate::error::Error;
use crate::options::{PagerOptions, PagingLimits, Position, RequestOptions, DEFAULT_REQUESTS_PER_SECOND};
use crate::text::concat;

/// Empty pages with a next page allowed in a row before paging fails.
pub const MAX_EMPTY_PAGES_IN_A_ROW: u32 = 10;

/// What a page's data must offer the pager: its length, an item's `updated_time`, trimming.
pub trait PageData {
    /// The number of items.
    fn item_count(&self) -> usize;
    /// The `updated_time` of item `index`, in epoch milliseconds, when it has a readable one.
    fn updated_time_ms(&self, index: usize) -> Option<f64>;
    /// Keeps the first `len` items.
    fn truncate(&mut self, len: usize);
}

/// What to do with a page just received.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Empty, with a next page: fetch the next one without yielding.
    Skip,
    /// Yield the first `keep` items (paging may have finished with it).
    Yield {
        /// How many items of the page to keep.
        keep: usize,
    },
    /// Nothing more to yield.
    Finish,
}

/// The first 128 bits of a cursor's SHA-256: what the pager remembers of each cursor seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct CursorDigest([u8; 16]);

impl CursorDigest {
    fn of(cursor: &Cursor) -> CursorDigest {
        let hash = Sha256::digest(cursor.encode().as_bytes());
        let mut digest = [0; 16];
        for (byte, hashed) in digest.iter_mut().zip(hash) {
            *byte = hashed;
        }
        CursorDigest(digest)
    }
}

/// The paging state: where to continue, what was seen, how much was yielded.
#[derive(Clone, Debug, Default)]
pub struct PagerState {
    position: Option<Position>,
    /// A digest of every cursor seen (16 bytes each, whatever a cursor's length), sorted, to
    /// refuse a cursor that repeats; emptied when paging ends.
    seen_cursors: Vec<CursorDigest>,
    empty_in_a_row: u32,
    pages: u64,
    items: u64,
    finished: bool,
}

impl PagerState {
    /// Starts where `options` say (`after`, or the first page).
    pub fn new(options: &RequestOptions) -> PagerState {
        let mut state = PagerState {
            position: options.position.clone(),
            ..PagerState::default()
        };
        if let Some(Position::After(cursor) | Position::Before(cursor)) = &options.position {
            state.seen_cursors.push(CursorDigest::of(cursor));
        }
        state
    }

    /// Where the next request starts.
    pub fn position(&self) -> Option<&Position> {
        self.position.as_ref()
    }

    /// Whether paging is over.
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// Pages yielded so far.
    pub fn pages(&self) -> u64 {
        self.pages
    }

    /// Items yielded so far.
    pub fn items(&self) -> u64 {
        self.items
    }

    /// Ends paging (after an error).
    pub fn finish(&mut self) {
        self.end();
    }

    /// Ends paging and forgets the cursors seen.
    fn end(&mut self) {
        self.finished = true;
        self.seen_cursors = Vec::new();
    }

    /// Takes in a page of `item_count` items whose next page starts at `next` (Graph said a
    /// next page exists iff it is `Some`), and says what to do with it.
    pub fn accept(
        &mut self,
        limits: &PagingLimits,
        item_count: usize,
        next: Option<Cursor>,
        updated_time_ms: impl Fn(usize) -> Option<f64>,
    ) -> Result<Step, Error> {
        if self.finished {
            return Ok(Step::Finish);
        }
        if item_count == 0 {
            let Some(next) = next else {
                self.end();
                return Ok(Step::Finish);
            };
            self.empty_in_a_row += 1;
            if self.empty_in_a_row >= MAX_EMPTY_PAGES_IN_A_ROW {
                self.end();
                return Err(Error::Paging {
                    detail: concat(&[
                        "Graph returned ",
                        &crate::text::decimal(u64::from(MAX_EMPTY_PAGES_IN_A_ROW)),
                        " empty pages in a row",
                    ]),
                });
            }
            self.advance(next)?;
            return Ok(Step::Skip);
        }
        self.empty_in_a_row = 0;
        let mut keep = item_count;
        if let Some(since) = limits.updated_since_ms {
            if let Some(older) = (0..item_count).find(|&index| updated_time_ms(index).is_some_and(|t| t < since)) {
                keep = older;
                self.end();
            }
        }
        if let Some(max_items) = limits.max_items {
            let remaining = max_items.saturating_sub(self.items);
            if keep as u64 >= remaining {
                keep = usize::try_from(remaining).unwrap_or(keep);
                self.end();
            }
        }
        if keep == 0 {
            self.end();
            return Ok(Step::Finish);
        }
        if limits.max_pages.is_some_and(|max| self.pages + 1 >= max) {
            self.end();
        }
        match next {
            // A page whose next cursor was seen before may itself be a page already yielded
            // (Graph looping back): it is not yielded, so nothing is ever repeated.
            Some(next) if !self.finished => self.advance(next)?,
            _ => self.end(),
        }
        self.pages += 1;
        self.items += keep as u64;
        Ok(Step::Yield { keep })
    }

    /// Continues at `next`, unless it was seen before (no progress).
    fn advance(&mut self, next: Cursor) -> Result<(), Error> {
        let digest = CursorDigest::of(&next);
        let Err(at) = self.seen_cursors.binary_search(&digest) else {
            self.end();
            return Err(Error::Paging {
                detail: String::from("Graph returned a cursor it had returned before"),
            });
        };
        self.seen_cursors.insert(at, digest);
        self.position = Some(Position::After(next));
        Ok(())
    }
}

/// Pages through a listing with a transport.
pub struct Pager<T: Transport> {
    transport: T,
    options: Arc<PagerOptions>,
    state: PagerState,
}

impl<T: Transport> Pager<T>
where
    T::Data: PageData,
{
    /// A pager that has fetched nothing yet.
    pub fn new(transport: T, options: PagerOptions) -> Pager<T> {
        Pager::shared(transport, Arc::new(options))
    }

    /// A pager that has fetched nothing yet, with options shared by other pagers (each starts
    /// from them: pages again from the start).
    pub fn shared(transport: T, options: Arc<PagerOptions>) -> Pager<T> {
        let state = PagerState::new(&options.request);
        Pager {
            transport,
            options,
            state,
        }
    }

    /// The paging state (pages and items yielded so far).
    pub fn state(&self) -> &PagerState {
        &self.state
    }

    /// The next non-empty page, trimmed by the limits, or `None` when paging is over. After an
    /// error, paging is over.
    pub async fn next_page(&mut self) -> Result<Option<Page<T::Data>>, Error> {
        let pace_key = self.options.request.pace_key();
        let requests_per_second = self
            .options
            .request
            .requests_per_second
            .unwrap_or(DEFAULT_REQUESTS_PER_SECOND);
        loop {
            if self.state.is_finished() {
                return Ok(None);
            }
            let pace = Pace {
                key: &pace_key,
                requests_per_second,
            };
            let fetched = fetch_page_paced(
                &self.transport,
                &self.options.request,
                self.state.position(),
                Some(pace),
            )
            .await;
            let mut page = match fetched {
                Ok(page) => page,
                Err(error) => {
                    self.state.finish();
                    return Err(error);
                }
            };
            let data = &page.data;
            let step = self.state.accept(
                &self.options.limits,
                data.item_count(),
                page.next_cursor.clone(),
                |index| data.updated_time_ms(index),
            )?;
            match step {
                Step::Skip => continue,
                Step::Finish => return Ok(None),
                Step::Yield { keep } => {
                    if keep < page.data.item_count() {
                        page.data.truncate(keep);
                    }
                    return Ok(Some(page));
                }
            }
        }
    }

    /// The pages as a `futures` [`Stream`]; it ends after the last page or the first error.
    pub fn into_stream(self) -> impl Stream<Item = Result<Page<T::Data>, Error>> {
        stream::unfold(self, |mut pager| async move {
            match pager.next_page().await {
                Ok(Some(page)) => Some((Ok(page), pager)),
                Ok(None) => None,
                Err(error) => Some((Err(error), pager)),
            }
        })
    }
}
