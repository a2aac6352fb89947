//! [`Interrupt`]: how work over the model is called off from another
//! thread. A module of its own: the index carries one and renderers check
//! it, so it may depend on neither.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// A request to stop rendering early, raised from another thread. `serve`
/// re-indexes search in the background after an edit and raises it when a
/// newer save makes that work moot; a build never raises it. Renderers
/// with long work check it ([`Interrupt::is_raised`]) and then return
/// `Rendered::interrupted`, their files incomplete and to be discarded.
#[derive(Debug, Clone, Default)]
pub struct Interrupt(Option<Arc<AtomicBool>>);

impl Interrupt {
    /// One that can be raised (the default one never is).
    pub fn new() -> Interrupt {
        Interrupt(Some(Arc::new(AtomicBool::new(false))))
    }

    pub fn raise(&self) {
        if let Some(flag) = &self.0 {
            flag.store(true, Ordering::Relaxed);
        }
    }

    pub fn is_raised(&self) -> bool {
        self.0.as_ref().is_some_and(|f| f.load(Ordering::Relaxed))
    }
}
