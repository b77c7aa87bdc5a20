//! Grouped reads of saved answers, for a database other instances also write (PostgreSQL),
//! where serving an item asks the database for its saved answer. Every such read goes to one
//! reader task, which has one query out at a time; the reads that arrive meanwhile go to the
//! database together, in the next query (up to [`MAX_GROUP`]). Alone, a read is one query as
//! before; on exam day, when hundreds of candidates open items at once, a query carries dozens
//! of them and the round trip is paid once. (Allowing four queries out at once, a query carried
//! 1.8 reads on average with 32 item reads in flight: a woken task runs next on its worker, so
//! the reader took each read as it came while a query slot was free. With one, 3.9.)
//!
//! A read is sent after the request that asks for it arrived, so it sees every save
//! acknowledged before that (the same rule as a query of its own). If a grouped query fails,
//! each of its reads is tried alone, so every caller gets its own answer or its own error.

use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};

use getmycert_store::{ResponseRow, Store, StoreError};

use crate::lane::Lane;

/// The most reads one query carries.
pub const MAX_GROUP: usize = 64;
/// A read waiting for the reader.
struct Pending {
    attempt: String,
    n: i32,
    reply: oneshot::Sender<Result<Option<ResponseRow>, StoreError>>,
}

/// The queue to the reader task, started by the first read.
#[derive(Debug, Default)]
pub(crate) struct Reads(Lane<Pending>);

impl Reads {
    /// The saved response to item `n` of `attempt`, read with whatever other reads are
    /// waiting. `None` when the reader is gone (its runtime shut down).
    pub async fn response(
        &self,
        store: &Arc<dyn Store>,
        attempt: &str,
        n: i32,
    ) -> Option<Result<Option<ResponseRow>, StoreError>> {
        let (reply, answer) = oneshot::channel();
        let pending = Pending {
            attempt: attempt.to_owned(),
            n,
            reply,
        };
        let store = store.clone();
        if !self.0.send(pending, |queue| reader(store, queue)) {
            return None;
        }
        answer.await.ok()
    }
}

/// Takes what is waiting and answers it with one query, one query at a time.
async fn reader(store: Arc<dyn Store>, mut queue: mpsc::UnboundedReceiver<Pending>) {
    let mut group = Vec::with_capacity(MAX_GROUP);
    while queue.recv_many(&mut group, MAX_GROUP).await > 0 {
        answer(store.as_ref(), std::mem::take(&mut group)).await;
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
