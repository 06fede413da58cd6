//! The JavaScript binding: every `#[wasm_bindgen]` export lives in [`exports`]; the other
//! modules convert options in, pages and errors out, bridge `AbortSignal`, and implement the
//! fetch transport. No Graph logic lives here.

mod abort;
mod errors;
pub mod exports;
pub mod gate;
mod json;
mod keys;
mod options;
mod page;
pub mod pager;
pub mod transport;
pub mod webhook;
