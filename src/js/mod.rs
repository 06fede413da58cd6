//! The JavaScript binding. The `#[wasm_bindgen]` exports live in
//! [`exports`](crate::js::exports) (one page, proofs, a client's defaults),
//! [`pager`](crate::js::pager), [`gate`](crate::js::gate) and [`webhook`](crate::js::webhook);
//! the other modules convert options in, pages and errors out, bridge `AbortSignal`, and
//! implement the fetch transport. No Graph logic lives here.

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
