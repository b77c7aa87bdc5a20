//! A queue to one background task, started by the first item sent (inside the runtime): the
//! writer of saved answers (`saves.rs`) and the reader of saved answers (`reads.rs`) each take
//! what waits in theirs, a group at a time.

use std::future::Future;
use std::sync::OnceLock;

use tokio::sync::mpsc;

pub(crate) struct Lane<T> {
    queue: OnceLock<mpsc::UnboundedSender<T>>,
}

impl<T> Default for Lane<T> {
    fn default() -> Self {
        Self {
            queue: OnceLock::new(),
        }
    }
}

impl<T> std::fmt::Debug for Lane<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lane")
            .field("started", &self.queue.get().is_some())
            .finish()
    }
}

impl<T: Send + 'static> Lane<T> {
    /// Sends `item` to the task, spawning `task` first if this is the first item; false when
    /// the task is gone (its runtime shut down).
    pub fn send<F>(&self, item: T, task: impl FnOnce(mpsc::UnboundedReceiver<T>) -> F) -> bool
    where
        F: Future<Output = ()> + Send + 'static,
    {
        self.queue
            .get_or_init(|| {
                let (tx, rx) = mpsc::unbounded_channel();
                tokio::spawn(task(rx));
                tx
            })
            .send(item)
            .is_ok()
    }
}
