//! Grouped reads of saved answers, for a database other instances also write (PostgreSQL),
//! where serving an item asks the database for its saved answer. Every such read goes to one
//! reader task; the reads that arrive while a query is out go to the database together, in
//! one query (up to [`MAX_GROUP`]), with at most [`QUERIES`] queries out at once. Alone, a
//! read is one query as before; on exam day, when hundreds of candidates open items at once,
//! a query carries dozens of them and the round trip is paid once. With four queries out at
//! once, a query carried 1.8 reads on average with 32 item reads in flight (a woken task runs
//! next on its worker, so the reader took each read as it came while a slot was free); with
//! one, it waits for the query out, and the reads that arrive meanwhile go together.
//!
//! A read is sent after the request that asks for it arrived, so it sees every save
//! acknowledged before that (the same rule as a query of its own). If a grouped query fails,
//! each of its reads is tried alone, so every caller gets its own answer or its own error.

use std::sync::{Arc, OnceLock};

use tokio::sync::{Semaphore, mpsc, oneshot};

use getmycert_store::{ResponseRow, Store, StoreError};

/// The most reads one query carries.
pub const MAX_GROUP: usize = 64;
/// The most grouped queries out at once (each holds a pooled connection).
pub const QUERIES: usize = 1;

/// A read waiting for the reader.
struct Pending {
    attempt: String,
    n: i32,
    reply: oneshot::Sender<Result<Option<ResponseRow>, StoreError>>,
}

/// The queue to the reader task, started by the first read (inside the runtime).
#[derive(Default)]
pub(crate) struct Reads {
    queue: OnceLock<mpsc::UnboundedSender<Pending>>,
}

impl std::fmt::Debug for Reads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reads")
            .field("started", &self.queue.get().is_some())
            .finish()
    }
}

impl Reads {
    /// The saved response to item `n` of `attempt`, read with whatever other reads are
    /// waiting. `None` when the reader is gone (its runtime shut down).
    pub async fn response(
        &self,
        store: &Arc<dyn Store>,
        attempt: &str,
        n: i32,
    ) -> Option<Result<Option<ResponseRow>, StoreError>> {
        let queue = self.queue.get_or_init(|| {
            let (tx, rx) = mpsc::unbounded_channel();
            tokio::spawn(reader(store.clone(), rx));
            tx
        });
        let (reply, answer) = oneshot::channel();
        queue
            .send(Pending {
                attempt: attempt.to_owned(),
                n,
                reply,
            })
            .ok()?;
        answer.await.ok()
    }
}

/// Takes what is waiting once a query slot is free, and answers it with one query.
async fn reader(store: Arc<dyn Store>, mut queue: mpsc::UnboundedReceiver<Pending>) {
    let slots = Arc::new(Semaphore::new(QUERIES));
    loop {
        // Waiting for a free slot first lets the reads that arrive meanwhile join the group.
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        let mut group = Vec::with_capacity(MAX_GROUP);
        if queue.recv_many(&mut group, MAX_GROUP).await == 0 {
            return;
        }
        let store = store.clone();
        tokio::spawn(async move {
            answer(store.as_ref(), group).await;
            drop(slot);
        });
    }
}

async fn answer(store: &dyn Store, group: Vec<Pending>) {
    metrics::histogram!("answer_reads_per_query").record(group.len() as f64);
    let keys: Vec<(&str, i32)> = group.iter().map(|p| (p.attempt.as_str(), p.n)).collect();
    let read = match keys.as_slice() {
        [(attempt, n)] => store.response(attempt, *n).await.map(|row| vec![row]),
        _ => store.responses_at(&keys).await,
    };
    let outcomes = match read {
        Ok(rows) => rows.into_iter().map(Ok).collect(),
        Err(e) if group.len() == 1 => vec![Err(e)],
        Err(_) => {
            let mut each = Vec::with_capacity(group.len());
            for p in &group {
                each.push(store.response(&p.attempt, p.n).await);
            }
            each
        }
    };
    for (pending, outcome) in group.into_iter().zip(outcomes) {
        // The caller may have gone (a closed connection).
        let _ = pending.reply.send(outcome);
    }
}
