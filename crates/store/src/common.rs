//! Queries whose SQL is the same on both backends, written once and expanded for each pool
//! type (sqlx's executors are typed per database).

use getmycert_core::Exam;
use sha2::{Digest, Sha256};

/// The exam's canonical JSON and its SHA-256.
pub(crate) fn exam_revision(exam: &Exam) -> Result<(String, String), serde_json::Error> {
    let json = serde_json::to_string(exam)?;
    let hash = hex::encode(Sha256::digest(json.as_bytes()));
    Ok((json, hash))
}

/// Implements `Store` for a store type with a `pool` field; the SQL is the same on both
/// backends.
macro_rules! impl_store {
    ($store:ty, $backend:expr) => {
    #[async_trait::async_trait]
    impl crate::Store for $store {
        fn backend(&self) -> crate::Backend {
            $backend
        }

        async fn health(&self) -> Result<(), crate::StoreError> {
            sqlx::query("SELECT 1").execute(&self.pool).await?;
            Ok(())
        }

        #[tracing::instrument(skip_all, fields(backend = %self.backend(), exams = exams.len()))]
        async fn sync_exams(
            &self,
            exams: &[getmycert_core::Exam],
        ) -> Result<crate::SyncReport, crate::StoreError> {
            let mut report = crate::SyncReport::default();
            let now = time::OffsetDateTime::now_utc();
            let mut tx = self.pool.begin().await?;
            let stored: Vec<(String, String, bool)> =
                sqlx::query_as("SELECT code, content_hash, in_catalog FROM exams")
                    .fetch_all(&mut *tx)
                    .await?;
            for exam in exams {
                let (json, hash) = crate::common::exam_revision(exam)?;
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
                .bind(crate::common::timestamp(now))
                .execute(&mut *tx)
                .await?;
            }
            for (code, _, in_catalog) in &stored {
                if *in_catalog && !exams.iter().any(|e| e.code.as_str() == code) {
                    sqlx::query("UPDATE exams SET in_catalog = FALSE, synced_at = $2 WHERE code = $1")
                        .bind(code)
                        .bind(crate::common::timestamp(now))
                        .execute(&mut *tx)
                        .await?;
                    report.removed += 1;
                }
            }
            tx.commit().await?;
            tracing::info!(?report, "exam catalog synced");
            Ok(report)
        }

        async fn exams(&self) -> Result<Vec<crate::StoredExam>, crate::StoreError> {
            Ok(sqlx::query_as(
                "SELECT code, name, state, content_hash, in_catalog FROM exams ORDER BY code",
            )
            .fetch_all(&self.pool)
            .await?)
        }

        #[tracing::instrument(skip_all, fields(backend = %self.backend(), questions = questions.len()))]
        async fn sync_questions(
            &self,
            questions: &[getmycert_core::Question],
        ) -> Result<crate::SyncReport, crate::StoreError> {
            use crate::questions::{revision, search_text, tags_column};
            let mut report = crate::SyncReport::default();
            let now = time::OffsetDateTime::now_utc();
            let mut tx = self.pool.begin().await?;
            let stored: Vec<(String, String, String)> =
                sqlx::query_as("SELECT id, current_hash, status FROM questions")
                    .fetch_all(&mut *tx)
                    .await?;
            let stored: std::collections::HashMap<String, (String, String)> = stored
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
                       tags = excluded.tags, search_text = excluded.search_text, updated_at = excluded.updated_at",
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
                        "INSERT INTO question_exams (question_id, exam_code, domain, task) VALUES ($1, $2, $3, $4)",
                    )
                    .bind(id)
                    .bind(m.exam.as_str())
                    .bind(i32::from(m.domain))
                    .bind(i32::from(m.task))
                    .execute(&mut *tx)
                    .await?;
                }
            }
            let present: std::collections::HashSet<&str> =
                questions.iter().map(|q| q.id.as_str()).collect();
            for (id, (_, status)) in &stored {
                if status != "retired" && !present.contains(id.as_str()) {
                    sqlx::query("UPDATE questions SET status = 'retired', updated_at = $2 WHERE id = $1")
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

        async fn live_counts(
            &self,
        ) -> Result<std::collections::BTreeMap<String, u64>, crate::StoreError> {
            let rows: Vec<(String, i64)> = sqlx::query_as(
                "SELECT e.exam_code, COUNT(*) FROM question_exams e
                 JOIN questions q ON q.id = e.question_id
                 WHERE q.status = 'live' GROUP BY e.exam_code",
            )
            .fetch_all(&self.pool)
            .await?;
            Ok(rows.into_iter().map(|(code, n)| (code, n.max(0) as u64)).collect())
        }

        async fn list_questions(
            &self,
            filter: &crate::QuestionFilter,
        ) -> Result<crate::QuestionPage, crate::StoreError> {
            use crate::questions::Param;
            let (from, params) = crate::questions::listing(filter);
            let count_sql = format!("SELECT COUNT(*){from}");
            let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
            for p in &params {
                count = match p {
                    Param::Text(s) => count.bind(s.clone()),
                    Param::Int(i) => count.bind(*i),
                };
            }
            let total = count.fetch_one(&self.pool).await?;
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
                .fetch_all(&self.pool)
                .await?
                .into_iter()
                .map(crate::questions::from_row)
                .collect::<Result<Vec<_>, _>>()?;
            Ok(crate::QuestionPage {
                total: total.max(0) as u64,
                items,
            })
        }

        async fn question(
            &self,
            id: &getmycert_core::QuestionId,
        ) -> Result<crate::StoredQuestion, crate::StoreError> {
            let row: Option<(String, String, String)> = sqlx::query_as(
                "SELECT r.body, q.current_hash, q.status FROM questions q
                 JOIN question_revisions r ON r.question_id = q.id AND r.hash = q.current_hash
                 WHERE q.id = $1",
            )
            .bind(id.as_str())
            .fetch_optional(&self.pool)
            .await?;
            Ok(crate::questions::from_row(row.ok_or(crate::StoreError::NotFound)?)?)
        }

        async fn question_revision(
            &self,
            id: &getmycert_core::QuestionId,
            hash: &str,
        ) -> Result<getmycert_core::Question, crate::StoreError> {
            let body: Option<String> = sqlx::query_scalar(
                "SELECT body FROM question_revisions WHERE question_id = $1 AND hash = $2",
            )
            .bind(id.as_str())
            .bind(hash)
            .fetch_optional(&self.pool)
            .await?;
            Ok(serde_json::from_str(&body.ok_or(crate::StoreError::NotFound)?)?)
        }

        async fn create_attempt(&self, a: &crate::NewAttempt) -> Result<(), crate::StoreError> {
            sqlx::query(
                "INSERT INTO attempts (id, owner, exam_code, mode, seed, items, started_at, deadline, settings)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(&a.id)
            .bind(&a.owner)
            .bind(&a.exam_code)
            .bind(&a.mode)
            .bind(a.seed)
            .bind(&a.items)
            .bind(a.started_at)
            .bind(a.deadline)
            .bind(&a.settings)
            .execute(&self.pool)
            .await?;
            Ok(())
        }

        async fn extend_attempt(
            &self,
            id: &str,
            before: &str,
            after: &str,
        ) -> Result<bool, crate::StoreError> {
            let done = sqlx::query(
                "UPDATE attempts SET items = $3 WHERE id = $1 AND items = $2 AND submitted_at IS NULL",
            )
            .bind(id)
            .bind(before)
            .bind(after)
            .execute(&self.pool)
            .await?;
            Ok(done.rows_affected() > 0)
        }

        async fn drill_exposure(
            &self,
            exam: &str,
        ) -> Result<std::collections::HashMap<String, i64>, crate::StoreError> {
            let rows: Vec<(String, i64)> =
                sqlx::query_as("SELECT question_id, served FROM drill_exposure WHERE exam_code = $1")
                    .bind(exam)
                    .fetch_all(&self.pool)
                    .await?;
            Ok(rows.into_iter().collect())
        }

        async fn count_drill_exposure(&self, exam: &str, question_id: &str) -> Result<(), crate::StoreError> {
            sqlx::query(
                "INSERT INTO drill_exposure (exam_code, question_id, served) VALUES ($1, $2, 1)
                 ON CONFLICT (exam_code, question_id) DO UPDATE SET served = drill_exposure.served + 1",
            )
            .bind(exam)
            .bind(question_id)
            .execute(&self.pool)
            .await?;
            Ok(())
        }

        async fn attempt(&self, id: &str) -> Result<crate::AttemptRow, crate::StoreError> {
            sqlx::query_as(
                "SELECT id, owner, exam_code, mode, seed, items, started_at, deadline, submitted_at, result, settings
                 FROM attempts WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(crate::StoreError::NotFound)
        }

        async fn attempts_of(&self, owner: &str) -> Result<Vec<crate::AttemptRow>, crate::StoreError> {
            Ok(sqlx::query_as(
                "SELECT id, owner, exam_code, mode, seed, items, started_at, deadline, submitted_at, result, settings
                 FROM attempts WHERE owner = $1 ORDER BY started_at DESC",
            )
            .bind(owner)
            .fetch_all(&self.pool)
            .await?)
        }

        async fn save_response(
            &self,
            attempt_id: &str,
            n: i32,
            response: Option<&str>,
            flagged: bool,
            changed: bool,
            at: time::OffsetDateTime,
        ) -> Result<bool, crate::StoreError> {
            let done = sqlx::query(
                "INSERT INTO responses (attempt_id, n, response, flagged, answered_at, changes)
                 SELECT $1, $2, $3, $4, $5, 0
                 WHERE EXISTS (SELECT 1 FROM attempts WHERE id = $1 AND submitted_at IS NULL)
                 ON CONFLICT (attempt_id, n) DO UPDATE SET response = excluded.response,
                   flagged = excluded.flagged, answered_at = excluded.answered_at,
                   changes = responses.changes + $6",
            )
            .bind(attempt_id)
            .bind(n)
            .bind(response)
            .bind(flagged)
            .bind(at)
            .bind(i32::from(changed))
            .execute(&self.pool)
            .await?;
            Ok(done.rows_affected() > 0)
        }

        async fn responses(&self, attempt_id: &str) -> Result<Vec<crate::ResponseRow>, crate::StoreError> {
            Ok(sqlx::query_as(
                "SELECT n, response, flagged, answered_at, changes FROM responses WHERE attempt_id = $1 ORDER BY n",
            )
            .bind(attempt_id)
            .fetch_all(&self.pool)
            .await?)
        }

        async fn submit_attempt(
            &self,
            attempt_id: &str,
            result: &str,
            at: time::OffsetDateTime,
        ) -> Result<bool, crate::StoreError> {
            let done = sqlx::query(
                "UPDATE attempts SET submitted_at = $2, result = $3 WHERE id = $1 AND submitted_at IS NULL",
            )
            .bind(attempt_id)
            .bind(at)
            .bind(result)
            .execute(&self.pool)
            .await?;
            Ok(done.rows_affected() > 0)
        }

        async fn card(&self, owner: &str, question_id: &str) -> Result<Option<crate::CardRow>, crate::StoreError> {
            Ok(sqlx::query_as(
                "SELECT owner, question_id, stability, difficulty, due_at, last_review_at, reps, lapses
                 FROM cards WHERE owner = $1 AND question_id = $2",
            )
            .bind(owner)
            .bind(question_id)
            .fetch_optional(&self.pool)
            .await?)
        }

        async fn cards_of(&self, owner: &str) -> Result<Vec<crate::CardRow>, crate::StoreError> {
            Ok(sqlx::query_as(
                "SELECT owner, question_id, stability, difficulty, due_at, last_review_at, reps, lapses
                 FROM cards WHERE owner = $1 ORDER BY due_at, question_id",
            )
            .bind(owner)
            .fetch_all(&self.pool)
            .await?)
        }

        async fn record_review(
            &self,
            r: &crate::CardReview,
            c: &crate::CardRow,
        ) -> Result<bool, crate::StoreError> {
            Ok(self.record_reviews(&[(r.clone(), c.clone())]).await? == 1)
        }

        async fn record_reviews(
            &self,
            reviews: &[(crate::CardReview, crate::CardRow)],
        ) -> Result<usize, crate::StoreError> {
            let mut tx = self.pool.begin().await?;
            let mut written = 0;
            for (r, c) in reviews {
                let logged = sqlx::query(
                    "INSERT INTO card_reviews (attempt_id, n, owner, question_id, grade, reviewed_at, elapsed_days)
                     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (attempt_id, n) DO NOTHING",
                )
                .bind(&r.attempt_id)
                .bind(r.n)
                .bind(&r.owner)
                .bind(&r.question_id)
                .bind(&r.grade)
                .bind(r.reviewed_at)
                .bind(r.elapsed_days)
                .execute(&mut *tx)
                .await?;
                if logged.rows_affected() == 0 {
                    continue;
                }
                sqlx::query(
                    "INSERT INTO cards (owner, question_id, stability, difficulty, due_at, last_review_at, reps, lapses)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                     ON CONFLICT (owner, question_id) DO UPDATE SET stability = excluded.stability,
                       difficulty = excluded.difficulty, due_at = excluded.due_at,
                       last_review_at = excluded.last_review_at, reps = excluded.reps, lapses = excluded.lapses",
                )
                .bind(&c.owner)
                .bind(&c.question_id)
                .bind(c.stability)
                .bind(c.difficulty)
                .bind(c.due_at)
                .bind(c.last_review_at)
                .bind(c.reps)
                .bind(c.lapses)
                .execute(&mut *tx)
                .await?;
                written += 1;
            }
            tx.commit().await?;
            Ok(written)
        }

        async fn reviews_of(&self, owner: &str) -> Result<Vec<crate::CardReview>, crate::StoreError> {
            Ok(sqlx::query_as(
                "SELECT attempt_id, n, owner, question_id, grade, reviewed_at, elapsed_days
                 FROM card_reviews WHERE owner = $1 ORDER BY reviewed_at, attempt_id, n",
            )
            .bind(owner)
            .fetch_all(&self.pool)
            .await?)
        }

        async fn desired_retention(&self, owner: &str) -> Result<Option<f64>, crate::StoreError> {
            Ok(sqlx::query_scalar("SELECT desired_retention FROM learner_settings WHERE owner = $1")
                .bind(owner)
                .fetch_optional(&self.pool)
                .await?)
        }

        async fn set_desired_retention(&self, owner: &str, retention: f64) -> Result<(), crate::StoreError> {
            sqlx::query(
                "INSERT INTO learner_settings (owner, desired_retention) VALUES ($1, $2)
                 ON CONFLICT (owner) DO UPDATE SET desired_retention = excluded.desired_retention",
            )
            .bind(owner)
            .bind(retention)
            .execute(&self.pool)
            .await?;
            Ok(())
        }

        async fn fsrs_parameters(&self, owner: &str) -> Result<Option<String>, crate::StoreError> {
            let row: Option<Option<String>> =
                sqlx::query_scalar("SELECT fsrs_parameters FROM learner_settings WHERE owner = $1")
                    .bind(owner)
                    .fetch_optional(&self.pool)
                    .await?;
            Ok(row.flatten())
        }

        async fn set_fsrs_parameters(&self, owner: &str, parameters: &str) -> Result<(), crate::StoreError> {
            sqlx::query(
                "INSERT INTO learner_settings (owner, desired_retention, fsrs_parameters) VALUES ($1, 0.9, $2)
                 ON CONFLICT (owner) DO UPDATE SET fsrs_parameters = excluded.fsrs_parameters",
            )
            .bind(owner)
            .bind(parameters)
            .execute(&self.pool)
            .await?;
            Ok(())
        }

        async fn owners_with_reviews(&self, min: i64) -> Result<Vec<String>, crate::StoreError> {
            Ok(sqlx::query_scalar(
                "SELECT owner FROM card_reviews GROUP BY owner HAVING COUNT(*) >= $1 ORDER BY owner",
            )
            .bind(min)
            .fetch_all(&self.pool)
            .await?)
        }

        async fn submitted_attempts(&self) -> Result<Vec<crate::AttemptRow>, crate::StoreError> {
            Ok(sqlx::query_as(
                "SELECT id, owner, exam_code, mode, seed, items, started_at, deadline, submitted_at, result, settings
                 FROM attempts WHERE submitted_at IS NOT NULL ORDER BY started_at, id",
            )
            .fetch_all(&self.pool)
            .await?)
        }

        async fn submitted_responses(&self) -> Result<Vec<crate::SubmittedResponse>, crate::StoreError> {
            Ok(sqlx::query_as(
                "SELECT r.attempt_id, r.n, r.response FROM responses r
                 JOIN attempts a ON a.id = r.attempt_id WHERE a.submitted_at IS NOT NULL",
            )
            .fetch_all(&self.pool)
            .await?)
        }

        async fn replace_item_stats(&self, rows: &[crate::ItemStatRow]) -> Result<(), crate::StoreError> {
            let mut tx = self.pool.begin().await?;
            sqlx::query("DELETE FROM item_stats").execute(&mut *tx).await?;
            for r in rows {
                sqlx::query(
                    "INSERT INTO item_stats (exam_code, question_id, part, responses, facility,
                       discrimination, a, b, analysis, computed_at, ready_for_live)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                )
                .bind(&r.exam_code)
                .bind(&r.question_id)
                .bind(r.part)
                .bind(r.responses)
                .bind(r.facility)
                .bind(r.discrimination)
                .bind(r.a)
                .bind(r.b)
                .bind(&r.analysis)
                .bind(r.computed_at)
                .bind(r.ready_for_live)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(())
        }

        async fn item_stats(&self) -> Result<Vec<crate::ItemStatRow>, crate::StoreError> {
            Ok(sqlx::query_as(
                "SELECT exam_code, question_id, part, responses, facility, discrimination, a, b,
                   analysis, computed_at, ready_for_live
                 FROM item_stats ORDER BY exam_code, question_id, part",
            )
            .fetch_all(&self.pool)
            .await?)
        }

        async fn promoted_items(&self, exam: &str) -> Result<Vec<String>, crate::StoreError> {
            Ok(sqlx::query_scalar(
                "SELECT question_id FROM item_stats WHERE exam_code = $1 GROUP BY question_id
                 HAVING MIN(CASE WHEN ready_for_live THEN 1 ELSE 0 END) = 1 ORDER BY question_id",
            )
            .bind(exam)
            .fetch_all(&self.pool)
            .await?)
        }

        async fn create_user(&self, u: &crate::UserRow) -> Result<(), crate::StoreError> {
            let done = sqlx::query(
                "INSERT INTO users (id, email, password_hash, display_name, role, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&u.id)
            .bind(&u.email)
            .bind(&u.password_hash)
            .bind(&u.display_name)
            .bind(&u.role)
            .bind(u.created_at)
            .execute(&self.pool)
            .await;
            match done {
                Ok(_) => Ok(()),
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(crate::StoreError::Conflict),
                Err(e) => Err(e.into()),
            }
        }

        async fn user_by_email(&self, email: &str) -> Result<crate::UserRow, crate::StoreError> {
            sqlx::query_as(
                "SELECT id, email, password_hash, display_name, role, created_at FROM users WHERE email = $1",
            )
            .bind(email)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(crate::StoreError::NotFound)
        }

        async fn user(&self, id: &str) -> Result<crate::UserRow, crate::StoreError> {
            sqlx::query_as(
                "SELECT id, email, password_hash, display_name, role, created_at FROM users WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(crate::StoreError::NotFound)
        }

        async fn throttle_blocked(&self, key: &str, now: i64) -> Result<Option<i64>, crate::StoreError> {
            let until: Option<i64> = sqlx::query_scalar("SELECT blocked_until FROM throttle WHERE key = $1")
                .bind(key)
                .fetch_optional(&self.pool)
                .await?;
            Ok(until.filter(|u| *u > now).map(|u| u - now))
        }

        async fn throttle_hit(
            &self,
            key: &str,
            now: i64,
            threshold: i64,
            window: i64,
            base: i64,
            max: i64,
        ) -> Result<i64, crate::StoreError> {
            let mut tx = self.pool.begin().await?;
            let row: Option<(i64, i64)> =
                sqlx::query_as("SELECT failures, updated_at FROM throttle WHERE key = $1")
                    .bind(key)
                    .fetch_optional(&mut *tx)
                    .await?;
            let failures = match row {
                Some((n, at)) if now - at < window => n + 1,
                _ => 1,
            };
            let blocked_for = if failures >= threshold {
                let doublings = (failures - threshold).min(20) as u32;
                base.saturating_mul(1_i64 << doublings).min(max)
            } else {
                0
            };
            sqlx::query(
                "INSERT INTO throttle (key, failures, blocked_until, updated_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (key) DO UPDATE SET failures = excluded.failures,
                   blocked_until = excluded.blocked_until, updated_at = excluded.updated_at",
            )
            .bind(key)
            .bind(failures)
            .bind(now + blocked_for)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(blocked_for)
        }

        async fn throttle_reset(&self, key: &str) -> Result<(), crate::StoreError> {
            sqlx::query("DELETE FROM throttle WHERE key = $1").bind(key).execute(&self.pool).await?;
            Ok(())
        }

        async fn create_report(&self, r: &crate::ReportRow) -> Result<(), crate::StoreError> {
            sqlx::query(
                "INSERT INTO reports (id, question_id, revision, reporter, body, created_at, status, resolution)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&r.id)
            .bind(&r.question_id)
            .bind(&r.revision)
            .bind(&r.reporter)
            .bind(&r.body)
            .bind(r.created_at)
            .bind(&r.status)
            .bind(&r.resolution)
            .execute(&self.pool)
            .await?;
            Ok(())
        }

        async fn reports_with_status(&self, status: &str) -> Result<Vec<crate::ReportRow>, crate::StoreError> {
            Ok(sqlx::query_as(
                "SELECT id, question_id, revision, reporter, body, created_at, status, resolution, resolved_at
                 FROM reports WHERE status = $1 ORDER BY created_at, id",
            )
            .bind(status)
            .fetch_all(&self.pool)
            .await?)
        }

        async fn reports_by(&self, reporter: &str) -> Result<Vec<crate::ReportRow>, crate::StoreError> {
            Ok(sqlx::query_as(
                "SELECT id, question_id, revision, reporter, body, created_at, status, resolution, resolved_at
                 FROM reports WHERE reporter = $1 ORDER BY created_at DESC, id",
            )
            .bind(reporter)
            .fetch_all(&self.pool)
            .await?)
        }

        async fn resolve_report(
            &self,
            id: &str,
            status: &str,
            note: &str,
            at: time::OffsetDateTime,
        ) -> Result<bool, crate::StoreError> {
            let done = sqlx::query(
                "UPDATE reports SET status = $2, resolution = $3, resolved_at = $4 WHERE id = $1 AND status = 'open'",
            )
            .bind(id)
            .bind(status)
            .bind(note)
            .bind(at)
            .execute(&self.pool)
            .await?;
            Ok(done.rows_affected() > 0)
        }

        async fn set_role(&self, id: &str, role: &str) -> Result<(), crate::StoreError> {
            let done = sqlx::query("UPDATE users SET role = $2 WHERE id = $1")
                .bind(id)
                .bind(role)
                .execute(&self.pool)
                .await?;
            if done.rows_affected() == 0 {
                return Err(crate::StoreError::NotFound);
            }
            Ok(())
        }

        async fn users(&self) -> Result<Vec<crate::UserRow>, crate::StoreError> {
            Ok(sqlx::query_as(
                "SELECT id, email, password_hash, display_name, role, created_at FROM users ORDER BY email",
            )
            .fetch_all(&self.pool)
            .await?)
        }

        async fn set_password_hash(&self, id: &str, hash: &str) -> Result<(), crate::StoreError> {
            let done = sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
                .bind(id)
                .bind(hash)
                .execute(&self.pool)
                .await?;
            if done.rows_affected() == 0 {
                return Err(crate::StoreError::NotFound);
            }
            Ok(())
        }

        async fn delete_user(&self, id: &str) -> Result<(), crate::StoreError> {
            let mut tx = self.pool.begin().await?;
            sqlx::query("DELETE FROM responses WHERE attempt_id IN (SELECT id FROM attempts WHERE owner = $1)")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM attempts WHERE owner = $1").bind(id).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM reports WHERE reporter = $1").bind(id).execute(&mut *tx).await?;
            for table in ["cards", "card_reviews", "learner_settings"] {
                sqlx::query(&format!("DELETE FROM {table} WHERE owner = $1"))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query("DELETE FROM users WHERE id = $1").bind(id).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(())
        }

        async fn adopt_guest(&self, guest: &str, user: &str) -> Result<u64, crate::StoreError> {
            let mut tx = self.pool.begin().await?;
            let done = sqlx::query("UPDATE attempts SET owner = $2 WHERE owner = $1")
                .bind(guest)
                .bind(user)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE reports SET reporter = $2 WHERE reporter = $1")
                .bind(guest)
                .bind(user)
                .execute(&mut *tx)
                .await?;
            // The account's own card wins where both have one.
            sqlx::query(
                "UPDATE cards SET owner = $2 WHERE owner = $1
                 AND question_id NOT IN (SELECT question_id FROM cards WHERE owner = $2)",
            )
            .bind(guest)
            .bind(user)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM cards WHERE owner = $1").bind(guest).execute(&mut *tx).await?;
            sqlx::query("UPDATE card_reviews SET owner = $2 WHERE owner = $1")
                .bind(guest)
                .bind(user)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE learner_settings SET owner = $2 WHERE owner = $1
                 AND NOT EXISTS (SELECT 1 FROM learner_settings WHERE owner = $2)",
            )
            .bind(guest)
            .bind(user)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM learner_settings WHERE owner = $1").bind(guest).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(done.rows_affected())
        }

        async fn session_create(&self, id: &str, data: &str, expires_at: i64) -> Result<bool, crate::StoreError> {
            let done = sqlx::query(
                "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
            )
            .bind(id)
            .bind(data)
            .bind(expires_at)
            .execute(&self.pool)
            .await?;
            Ok(done.rows_affected() > 0)
        }

        async fn session_save(&self, id: &str, data: &str, expires_at: i64) -> Result<(), crate::StoreError> {
            sqlx::query(
                "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3)
                 ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at",
            )
            .bind(id)
            .bind(data)
            .bind(expires_at)
            .execute(&self.pool)
            .await?;
            Ok(())
        }

        async fn session_load(&self, id: &str, now: i64) -> Result<Option<(String, i64)>, crate::StoreError> {
            Ok(sqlx::query_as("SELECT data, expires_at FROM sessions WHERE id = $1 AND expires_at > $2")
                .bind(id)
                .bind(now)
                .fetch_optional(&self.pool)
                .await?)
        }

        async fn session_delete(&self, id: &str) -> Result<(), crate::StoreError> {
            sqlx::query("DELETE FROM sessions WHERE id = $1").bind(id).execute(&self.pool).await?;
            Ok(())
        }

        async fn close(&self) {
            self.pool.close().await;
        }
    }
    };
}

pub(crate) use impl_store;

/// Timestamps are bound as `OffsetDateTime` on both backends (TEXT in SQLite, TIMESTAMPTZ in
/// PostgreSQL).
pub(crate) fn timestamp(now: time::OffsetDateTime) -> time::OffsetDateTime {
    now
}
