//! The `AbortSignal` bridge. The caller's signal is never handed to gloo-net (whose error
//! conversion traps on a non-`Error` abort reason); instead the call's future is raced against
//! the signal and dropped when it fires, which aborts the in-flight fetch through the
//! transport's own controller and cancels any pending timer. The call then rejects with the
//! caller's `signal.reason`, unchanged.

use std::cell::{Cell, RefCell};
use std::future::{poll_fn, Future};

use futures_util::future::{select, Either};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Poll, Waker};

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortSignal;

/// Shared between the listener and the waiting future.
#[derive(Default)]
struct AbortState {
    fired: Cell<bool>,
    waker: RefCell<Option<Waker>>,
}

/// Listens for `abort` on a caller's signal until dropped.
struct AbortWatch {
    signal: AbortSignal,
    state: Rc<AbortState>,
    listener: Closure<dyn FnMut()>,
}

impl AbortWatch {
    fn new(signal: AbortSignal) -> AbortWatch {
        let state = Rc::new(AbortState::default());
        let listener_state = Rc::clone(&state);
        let listener = Closure::<dyn FnMut()>::new(move || {
            listener_state.fired.set(true);
            if let Some(waker) = listener_state.waker.try_borrow_mut().ok().and_then(|mut w| w.take()) {
                waker.wake();
            }
        });
        // A signal whose addEventListener throws is treated as one that never fires.
        let _ = signal.add_event_listener_with_callback("abort", listener.as_ref().unchecked_ref());
        AbortWatch {
            signal,
            state,
            listener,
        }
    }

    /// Resolves once the signal has fired.
    fn fired(&self) -> impl Future<Output = ()> + '_ {
        poll_fn(move |context| {
            if self.state.fired.get() || self.signal.aborted() {
                return Poll::Ready(());
            }
            if let Ok(mut waker) = self.state.waker.try_borrow_mut() {
                *waker = Some(context.waker().clone());
            }
            Poll::Pending
        })
    }
}

impl Drop for AbortWatch {
    fn drop(&mut self) {
        let _ = self
            .signal
            .remove_event_listener_with_callback("abort", self.listener.as_ref().unchecked_ref());
    }
}

/// Runs `work` unless `signal` fires first; then rejects with `signal.reason`. An already
/// aborted signal rejects before `work` starts. (`work` is boxed so that every caller shares one
/// instance of this state machine.)
pub async fn abortable(
    signal: Option<AbortSignal>,
    work: Pin<Box<dyn Future<Output = Result<JsValue, JsValue>> + '_>>,
) -> Result<JsValue, JsValue> {
    let Some(signal) = signal else {
        return work.await;
    };
    if signal.aborted() {
        return Err(signal.reason());
    }
    let watch = AbortWatch::new(signal.clone());
    // `work` is polled first, and dropped (which cancels it) as soon as either ends.
    let fired = std::pin::pin!(watch.fired());
    let outcome = match select(work, fired).await {
        Either::Left((result, _)) => result,
        Either::Right(((), _)) => Err(signal.reason()),
    };
    outcome
}
