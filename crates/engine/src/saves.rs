//! Group commit of saved answers. Every save goes to one writer task; the saves that arrive
//! while it writes, or while the requests already runnable take their turn before it, go to
//! the database together, in one statement (up to [`MAX_BATCH`]), and each is acknowledged
//! once that statement has committed. Alone, a save is one statement as before; on exam day,
//! when hundreds arrive at once, a statement carries dozens of them, and the database round
//! trip (on SQLite, the hand-off to its worker thread) is paid once.
//!
//! The writer applies saves in the order they arrive and records each acknowledged one in the
//! answers cache itself, so a handler dropped by a disconnecting client cannot leave the cache
//! behind the database. If a grouped statement fails, each of its saves is retried alone, so
//! every caller gets its own answer or its own error.
//!
//! When the cache holds the attempt's answers (the sole writer of an embedded database), the
//! state an item has after a save follows from the state held before it, so the statement only
//! writes and counts the rows it wrote; a count short of the saves (an attempt submitted
//! meanwhile) sends them again through the statement that reads each row back. Writing the
//! same answer twice changes nothing, so that second statement decides alone.

use std::collections::HashSet;
use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};

use getmycert_core::scoring::Response;
use getmycert_store::{AnswerWrite, SavedAnswer, Store, StoreError};

use crate::cache::Cache;
use crate::lane::Lane;

/// The most saves one statement carries.
pub const MAX_BATCH: usize = 32;

/// A save waiting for the writer.
struct Pending {
    write: AnswerWrite,
    /// The response to hold in the answers cache once saved, when the attempt's answers are
    /// held there (`Some(None)` keeps the held response and records the flag).
    cached: Option<Option<Response>>,
    reply: oneshot::Sender<Result<Option<SavedAnswer>, StoreError>>,
}

/// The queue to the writer task, started by the first save.
#[derive(Debug, Default)]
pub(crate) struct Saves(Lane<Pending>);

impl Saves {
    /// Saves `write` with whatever other saves are waiting; `cached` as in [`Pending`].
    /// `None` when the writer is gone (its runtime shut down).
    pub async fn save(
        &self,
        store: &Arc<dyn Store>,
        cache: &Arc<Cache>,
        write: AnswerWrite,
        cached: Option<Option<Response>>,
    ) -> Option<Result<Option<SavedAnswer>, StoreError>> {
        let (reply, answer) = oneshot::channel();
        let pending = Pending {
            write,
            cached,
            reply,
        };
        let (store, cache) = (store.clone(), cache.clone());
        if !self.0.send(pending, |queue| writer(store, cache, queue)) {
            return None;
        }
        answer.await.ok()
    }
}

/// Takes what is waiting, writes it in as few statements as the rules allow, answers each.
async fn writer(
    store: Arc<dyn Store>,
    cache: Arc<Cache>,
    mut queue: mpsc::UnboundedReceiver<Pending>,
) {
    // Registered once: the macro looks the name up in the recorder's registry on every call.
    let per_statement = metrics::histogram!("answer_saves_per_statement");
    let mut waiting = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut waiting, MAX_BATCH).await > 0 {
        // A woken task runs next on its worker (tokio's LIFO slot), so without this the
        // writer took each save as it came: a statement carried 3.1 saves on average, median
        // 1, with 32 saves in flight. Yielding once lets the handlers already runnable, and
        // the connections the I/O driver finds readable, queue theirs first: 11.9, median 13
        // (docs/performance.md).
        tokio::task::yield_now().await;
        while waiting.len() < MAX_BATCH
            && let Ok(more) = queue.try_recv()
        {
            waiting.push(more);
        }
        for batch in batches(std::mem::take(&mut waiting)) {
            write(store.as_ref(), &cache, &per_statement, batch).await;
        }
    }
}

/// Splits saves into runs that one statement can carry: the same flag rule (sent or kept)
/// and no (attempt, item) twice. Saves to different items do not depend on each other, so the
/// two rules' runs are built side by side; a second save to an item waits for the runs that
/// hold its first, which keeps each item's saves in the order they arrived.
fn batches(saves: Vec<Pending>) -> Vec<Vec<Pending>> {
    if saves.len() == 1 {
        return vec![saves];
    }
    let mut out: Vec<Vec<Pending>> = Vec::new();
    let (mut kept, mut sent): (Vec<Pending>, Vec<Pending>) = (Vec::new(), Vec::new());
    let mut keys: HashSet<(String, i32)> = HashSet::new();
    for save in saves {
        if !keys.insert((save.write.attempt_id.clone(), save.write.n)) {
            out.extend([std::mem::take(&mut kept), std::mem::take(&mut sent)]);
            keys.clear();
            keys.insert((save.write.attempt_id.clone(), save.write.n));
        }
        match save.write.flagged {
            Some(_) => sent.push(save),
            None => kept.push(save),
        }
    }
    out.extend([kept, sent]);
    out.retain(|run| !run.is_empty());
    out
}

async fn write(
    store: &dyn Store,
    cache: &Cache,
    per_statement: &metrics::Histogram,
    batch: Vec<Pending>,
) {
    per_statement.record(batch.len() as f64);
    let writes: Vec<AnswerWrite> = batch.iter().map(|p| p.write.clone()).collect();
    let outcomes = match known_states(cache, &batch) {
        Some(states) => match store.write_answers(&writes).await {
            Ok(written) if written == writes.len() as u64 => {
                states.into_iter().map(|s| Ok(Some(s))).collect()
            }
            Err(e) if writes.len() == 1 => vec![Err(e)],
            // Some saves were refused, or the group failed: which, each save's row tells.
            _ => save_reading_back(store, &writes).await,
        },
        None => save_reading_back(store, &writes).await,
    };
    for (pending, outcome) in batch.into_iter().zip(outcomes) {
        if let (Ok(Some(saved)), Some(response)) = (&outcome, pending.cached) {
            let n = usize::try_from(pending.write.n).unwrap_or(0);
            cache.record_answer(&pending.write.attempt_id, n, response, saved.flagged);
        }
        // The caller may have gone (a closed connection); the save stands all the same.
        let _ = pending.reply.send(outcome);
    }
}

/// Each save's state after it, from the state the cache holds before it; `None` unless the
/// cache holds every save's attempt.
fn known_states(cache: &Cache, batch: &[Pending]) -> Option<Vec<SavedAnswer>> {
    batch
        .iter()
        .map(|p| {
            p.cached.as_ref()?;
            let n = usize::try_from(p.write.n).ok()?;
            let (answered, flagged) = cache.held_state(&p.write.attempt_id, n)?;
            Some(SavedAnswer {
                answered: answered || p.write.response.is_some(),
                flagged: p.write.flagged.unwrap_or(flagged),
            })
        })
        .collect()
}

/// Saves with each row's state read back: one statement, or, if a group fails, each alone.
async fn save_reading_back(
    store: &dyn Store,
    writes: &[AnswerWrite],
) -> Vec<Result<Option<SavedAnswer>, StoreError>> {
    let grouped = match writes {
        [w] => store
            .save_answer(&w.attempt_id, w.n, w.response.as_deref(), w.flagged, w.at)
            .await
            .map(|saved| vec![saved]),
        _ => store.save_answers(writes).await,
    };
    match grouped {
        Ok(saved) => saved.into_iter().map(Ok).collect(),
        Err(e) if writes.len() == 1 => vec![Err(e)],
        Err(_) => {
            // Each alone, so that each caller gets its own outcome.
            let mut each = Vec::with_capacity(writes.len());
            for w in writes {
                each.push(
                    store
                        .save_answer(&w.attempt_id, w.n, w.response.as_deref(), w.flagged, w.at)
                        .await,
                );
            }
            each
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending(attempt: &str, n: i32, flagged: Option<bool>) -> Pending {
        let (reply, _) = oneshot::channel();
        Pending {
            write: AnswerWrite {
                attempt_id: attempt.into(),
                n,
                response: None,
                flagged,
                at: time::OffsetDateTime::UNIX_EPOCH,
            },
            cached: None,
            reply,
        }
    }

    fn shape(runs: &[Vec<Pending>]) -> Vec<Vec<(String, i32)>> {
        runs.iter()
            .map(|r| {
                r.iter()
                    .map(|p| (p.write.attempt_id.clone(), p.write.n))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn a_run_never_holds_one_item_twice_and_keeps_the_order() {
        let runs = batches(vec![
            pending("a", 1, None),
            pending("b", 1, Some(true)),
            pending("a", 1, Some(false)),
            pending("a", 2, None),
        ]);
        assert_eq!(
            shape(&runs),
            vec![
                vec![("a".into(), 1)],
                vec![("b".into(), 1)],
                vec![("a".into(), 2)],
                vec![("a".into(), 1)],
            ]
        );
    }

    #[test]
    fn saves_that_send_a_flag_and_saves_that_keep_it_go_in_different_runs() {
        let runs = batches(vec![
            pending("a", 1, None),
            pending("b", 1, Some(true)),
            pending("c", 1, Some(false)),
            pending("d", 1, None),
        ]);
        assert_eq!(
            shape(&runs),
            vec![
                vec![("a".into(), 1), ("d".into(), 1)],
                vec![("b".into(), 1), ("c".into(), 1)],
            ]
        );
    }
}
