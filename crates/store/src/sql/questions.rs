//! The SQL of [`QuestionStore`]: catalog and bank syncs, the listing, revisions.

use std::collections::{BTreeMap, HashMap, HashSet};

use async_trait::async_trait;
use getmycert_core::{Exam, Question, QuestionId};
use time::OffsetDateTime;

use super::This;
use crate::questions::{
    Param, exam_revision, from_row, listing, revision, search_text, tags_column,
};
use crate::{QuestionFilter, QuestionPage, QuestionStore, StoreError, StoredExam, SyncReport};

#[async_trait]
impl QuestionStore for This {
    #[tracing::instrument(skip_all, fields(exams = exams.len()))]
    async fn sync_exams(&self, exams: &[Exam]) -> Result<SyncReport, StoreError> {
        let mut report = SyncReport::default();
        let now = OffsetDateTime::now_utc();
        let mut conn = self.conn().await?;
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        let stored: Vec<(String, String, bool)> =
            sqlx::query_as("SELECT code, content_hash, in_catalog FROM exams")
                .fetch_all(&mut *tx)
                .await?;
        for exam in exams {
            let (json, hash) = exam_revision(exam)?;
            let code = exam.code.as_str();
            match stored.iter().find(|(c, _, _)| c == code) {
                Some((_, h, true)) if *h == hash => {
                    report.unchanged += 1;
                    continue;
                }
                Some(_) => report.updated += 1,
                None => report.inserted += 1,
            }
            sqlx::query(
                "INSERT INTO exams (code, name, level, state, content_hash, data, in_catalog, synced_at)
                 VALUES ($1, $2, $3, $4, $5, $6, TRUE, $7)
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level,
                   state = excluded.state, content_hash = excluded.content_hash,
                   data = excluded.data, in_catalog = TRUE, synced_at = excluded.synced_at",
            )
            .bind(code)
            .bind(&exam.name)
            .bind(exam.level.label())
            .bind(format!("{:?}", exam.status.state).to_lowercase())
            .bind(&hash)
            .bind(&json)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        for (code, _, in_catalog) in &stored {
            if *in_catalog && !exams.iter().any(|e| e.code.as_str() == code) {
                sqlx::query("UPDATE exams SET in_catalog = FALSE, synced_at = $2 WHERE code = $1")
                    .bind(code)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                report.removed += 1;
            }
        }
        tx.commit().await?;
        tracing::info!(?report, "exam catalog synced");
        Ok(report)
    }

    async fn exams(&self) -> Result<Vec<StoredExam>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT code, name, state, content_hash, in_catalog FROM exams ORDER BY code",
        )
        .fetch_all(&mut *self.conn().await?)
        .await?)
    }

    #[tracing::instrument(skip_all, fields(questions = questions.len()))]
    async fn sync_questions(&self, questions: &[Question]) -> Result<SyncReport, StoreError> {
        let mut report = SyncReport::default();
        let now = OffsetDateTime::now_utc();
        let mut conn = self.conn().await?;
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        let stored: HashMap<String, (String, String)> =
            sqlx::query_as::<_, (String, String, String)>(
                "SELECT id, current_hash, status FROM questions",
            )
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(|(id, hash, status)| (id, (hash, status)))
            .collect();
        for q in questions {
            let (json, hash) = revision(q)?;
            let id = q.id.as_str();
            let status = q.status.as_str();
            let previous = stored.get(id);
            match previous {
                Some((h, s)) if *h == hash && s == status => {
                    report.unchanged += 1;
                    continue;
                }
                Some(_) => report.updated += 1,
                None => report.inserted += 1,
            }
            sqlx::query(
                "INSERT INTO questions (id, kind, status, difficulty, current_hash, tags, search_text, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                 ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, status = excluded.status,
                   difficulty = excluded.difficulty, current_hash = excluded.current_hash,
                   tags = excluded.tags, search_text = excluded.search_text,
                   updated_at = excluded.updated_at",
            )
            .bind(id)
            .bind(q.kind.as_str())
            .bind(status)
            .bind(q.difficulty.as_str())
            .bind(&hash)
            .bind(tags_column(q))
            .bind(search_text(q))
            .bind(now)
            .execute(&mut *tx)
            .await?;
            if previous.is_some_and(|(h, _)| *h == hash) {
                continue;
            }
            sqlx::query(
                "INSERT INTO question_revisions (question_id, hash, body, created_at)
                 VALUES ($1, $2, $3, $4) ON CONFLICT (question_id, hash) DO NOTHING",
            )
            .bind(id)
            .bind(&hash)
            .bind(&json)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM question_exams WHERE question_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            for m in &q.mappings {
                sqlx::query(
                    "INSERT INTO question_exams (question_id, exam_code, domain, task)
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(id)
                .bind(m.exam.as_str())
                .bind(i32::from(m.domain))
                .bind(i32::from(m.task))
                .execute(&mut *tx)
                .await?;
            }
        }
        let present: HashSet<&str> = questions.iter().map(|q| q.id.as_str()).collect();
        for (id, (_, status)) in &stored {
            if status != "retired" && !present.contains(id.as_str()) {
                sqlx::query(
                    "UPDATE questions SET status = 'retired', updated_at = $2 WHERE id = $1",
                )
                .bind(id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                report.removed += 1;
            }
        }
        tx.commit().await?;
        tracing::info!(?report, "question bank synced");
        Ok(report)
    }

    async fn live_counts(&self) -> Result<BTreeMap<String, u64>, StoreError> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT e.exam_code, COUNT(*) FROM question_exams e
             JOIN questions q ON q.id = e.question_id
             WHERE q.status = 'live' GROUP BY e.exam_code",
        )
        .fetch_all(&mut *self.conn().await?)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(code, n)| (code, n.max(0) as u64))
            .collect())
    }

    async fn list_questions(&self, filter: &QuestionFilter) -> Result<QuestionPage, StoreError> {
        let (from, params) = listing(filter);
        let count_sql = format!("SELECT COUNT(*){from}");
        let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
        for p in &params {
            count = match p {
                Param::Text(s) => count.bind(s.clone()),
                Param::Int(i) => count.bind(*i),
            };
        }
        let total = count.fetch_one(&mut *self.conn().await?).await?;
        let rows_sql = format!(
            "SELECT r.body, q.current_hash, q.status{from} ORDER BY q.id LIMIT {} OFFSET {}",
            filter.limit.max(1),
            filter.offset
        );
        let mut rows = sqlx::query_as::<_, (String, String, String)>(&rows_sql);
        for p in &params {
            rows = match p {
                Param::Text(s) => rows.bind(s.clone()),
                Param::Int(i) => rows.bind(*i),
            };
        }
        let items = rows
            .fetch_all(&mut *self.conn().await?)
            .await?
            .into_iter()
            .map(from_row)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(QuestionPage {
            total: total.max(0) as u64,
            items,
        })
    }

    async fn question(&self, id: &QuestionId) -> Result<crate::StoredQuestion, StoreError> {
        let row: (String, String, String) = sqlx::query_as(
            "SELECT r.body, q.current_hash, q.status FROM questions q
             JOIN question_revisions r ON r.question_id = q.id AND r.hash = q.current_hash
             WHERE q.id = $1",
        )
        .bind(id.as_str())
        .fetch_one(&mut *self.conn().await?)
        .await?;
        Ok(from_row(row)?)
    }

    async fn question_revision(&self, id: &QuestionId, hash: &str) -> Result<Question, StoreError> {
        let body: String = sqlx::query_scalar(
            "SELECT body FROM question_revisions WHERE question_id = $1 AND hash = $2",
        )
        .bind(id.as_str())
        .bind(hash)
        .fetch_one(&mut *self.conn().await?)
        .await?;
        Ok(serde_json::from_str(&body)?)
    }
}
