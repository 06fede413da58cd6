//! Read a Facebook Page's Messenger and Instagram conversations through the Graph API.
//!
//! The crate has two layers:
//!
//! * a **sans-IO core** in plain Rust that validates options, builds requests, reads Graph's
//!   answers, classifies errors and decides retries, pacing and the fleet gate's turns, without
//!   doing any I/O itself;
//! * on `wasm32` only, a thin JavaScript binding (`js`) holding every `#[wasm_bindgen]` export,
//!   the gloo-net transport and the `AbortSignal` bridge. The npm package in `pkg/` wraps it.
//!
//! The core reads bottom-up, each module using only those above it in this list:
//!
//! * [`time`], [`urlencoded`], [`search`]: timestamps, query strings and substring search;
//! * [`redact`]: the secrets of a request, kept out of everything returned;
//! * [`json`]: the view of parsed JSON the core reads (`serde_json`, or JavaScript values);
//! * [`usage`]: the rate-limit headers; [`error`]: the error kinds and the classification of
//!   Graph's codes; [`cursor`]: opaque cursors;
//! * [`options`]: options checked into [`RequestOptions`] and [`PagerOptions`], with their
//!   defaults; [`proof`]: `appsecret_proof`;
//! * [`request`]: options and a position into an [`request::HttpRequest`]; [`response`]: an
//!   answer into cursors or an [`Error`]; [`retry`]: which failures retry, and when;
//! * [`pacing`]: turns per Page within one instance; [`client`]: one page through a
//!   [`Transport`], paced and retried;
//! * [`pager`]: the paging state machine over [`client`];
//! * [`gate`]: the fleet gate's decisions for one Page (the `ConversationsGate` Durable Object);
//! * [`webhook`]: webhook signatures, the subscribe handshake and payloads.
//!
//! The data objects Graph returns are never decoded into Rust structs: only `paging` and `error`
//! are read, and the rest is handed back as Graph sent it.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented
    )
)]
#![warn(missing_docs)]

pub mod client;
pub mod cursor;
pub mod error;
pub mod gate;
pub mod json;
pub mod options;
pub mod pacing;
pub mod pager;
pub mod proof;
pub mod redact;
pub mod request;
pub mod response;
pub mod retry;
pub mod search;
pub mod time;
pub mod urlencoded;
pub mod usage;
pub mod webhook;

/// The JavaScript binding (wasm32 only): the `#[wasm_bindgen]` exports behind the npm package.
#[cfg(target_arch = "wasm32")]
pub mod js;

pub use client::{fetch_page, Page, Transport};
pub use error::{ApiErrorClass, Error, GraphApiFailure};
pub use options::{OptionSource, OptionValue, PagerOptions, RequestOptions, Runtime};
pub use pager::Pager;
pub use usage::RateLimitUsage;

/// The Graph API version used when the caller gives none.
pub const DEFAULT_API_VERSION: &str = "v25.0";

/// The Graph base URL used when the caller gives none.
pub const DEFAULT_BASE_URL: &str = "https://graph.facebook.com";

/// The wasm module's allocator: Talc instead of the standard library's dlmalloc, 2.5 KiB gzip
/// smaller (`make bench`, size ledger).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
