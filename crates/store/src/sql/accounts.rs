//! The SQL of [`AccountStore`]: users, sessions and throttling. Session expiry and throttle
//! times are unix seconds in their columns (see the crate docs).

use async_trait::async_trait;
use getmycert_core::Role;
use time::{Duration, OffsetDateTime};

use super::This;
use crate::{AccountStore, NewSession, StoreError, ThrottleRule, UserRow, moment, unix};

const USER_COLUMNS: &str = "id, email, password_hash, display_name, role, created_at";

#[async_trait]
impl AccountStore for This {
    async fn create_user(&self, u: &UserRow) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO users (id, email, password_hash, display_name, role, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&u.id)
        .bind(&u.email)
        .bind(&u.password_hash)
        .bind(&u.display_name)
        .bind(u.role.as_str())
        .bind(u.created_at)
        .execute(&mut *self.conn().await?)
        .await?;
        Ok(())
    }

    async fn user_by_email(&self, email: &str) -> Result<UserRow, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE email = $1"
        ))
        .bind(email)
        .fetch_one(&mut *self.conn().await?)
        .await?)
    }

    async fn user(&self, id: &str) -> Result<UserRow, StoreError> {
        Ok(
            sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
                .bind(id)
                .fetch_one(&mut *self.conn().await?)
                .await?,
        )
    }

    async fn users(&self) -> Result<Vec<UserRow>, StoreError> {
        Ok(
            sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY email"))
                .fetch_all(&mut *self.conn().await?)
                .await?,
        )
    }

    async fn set_role(&self, id: &str, role: Role) -> Result<(), StoreError> {
        let done = sqlx::query("UPDATE users SET role = $2 WHERE id = $1")
            .bind(id)
            .bind(role.as_str())
            .execute(&mut *self.conn().await?)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn set_password_hash(&self, id: &str, hash: &str) -> Result<(), StoreError> {
        let done = sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
            .bind(id)
            .bind(hash)
            .execute(&mut *self.conn().await?)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn delete_user(&self, id: &str) -> Result<(), StoreError> {
        let mut conn = self.conn().await?;
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        sqlx::query(
            "DELETE FROM responses WHERE attempt_id IN (SELECT id FROM attempts WHERE owner = $1)",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
        for sql in [
            "DELETE FROM attempts WHERE owner = $1",
            "DELETE FROM reports WHERE reporter = $1",
            "DELETE FROM cards WHERE owner = $1",
            "DELETE FROM card_reviews WHERE owner = $1",
            "DELETE FROM learner_settings WHERE owner = $1",
            "DELETE FROM certifications WHERE owner = $1",
            "DELETE FROM users WHERE id = $1",
        ] {
            sqlx::query(sql).bind(id).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn adopt_guest(&self, guest: &str, user: &str) -> Result<u64, StoreError> {
        let mut conn = self.conn().await?;
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        let moved = sqlx::query("UPDATE attempts SET owner = $2 WHERE owner = $1")
            .bind(guest)
            .bind(user)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        for sql in [
            "UPDATE reports SET reporter = $2 WHERE reporter = $1",
            // The account's own card wins where both have one.
            "UPDATE cards SET owner = $2 WHERE owner = $1
             AND question_id NOT IN (SELECT question_id FROM cards WHERE owner = $2)",
            "UPDATE card_reviews SET owner = $2 WHERE owner = $1",
            "UPDATE learner_settings SET owner = $2 WHERE owner = $1
             AND NOT EXISTS (SELECT 1 FROM learner_settings WHERE owner = $2)",
        ] {
            sqlx::query(sql)
                .bind(guest)
                .bind(user)
                .execute(&mut *tx)
                .await?;
        }
        for sql in [
            "DELETE FROM cards WHERE owner = $1",
            "DELETE FROM learner_settings WHERE owner = $1",
        ] {
            sqlx::query(sql).bind(guest).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(moved)
    }

    async fn throttle_blocked(
        &self,
        key: &str,
        now: OffsetDateTime,
    ) -> Result<Option<Duration>, StoreError> {
        let until: Option<i64> =
            sqlx::query_scalar("SELECT blocked_until FROM throttle WHERE key = $1")
                .bind(key)
                .fetch_optional(&mut *self.conn().await?)
                .await?;
        let now = unix(now);
        Ok(until
            .filter(|u| *u > now)
            .map(|u| Duration::seconds(u - now)))
    }

    async fn throttle_hit(
        &self,
        key: &str,
        now: OffsetDateTime,
        rule: &ThrottleRule,
    ) -> Result<Duration, StoreError> {
        let now = unix(now);
        let mut conn = self.conn().await?;
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        let row: Option<(i64, i64)> =
            sqlx::query_as("SELECT failures, updated_at FROM throttle WHERE key = $1")
                .bind(key)
                .fetch_optional(&mut *tx)
                .await?;
        let failures = match row {
            Some((n, at)) if now - at < rule.window.whole_seconds() => n + 1,
            _ => 1,
        };
        let blocked_for = rule.block_for(failures);
        sqlx::query(
            "INSERT INTO throttle (key, failures, blocked_until, updated_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (key) DO UPDATE SET failures = excluded.failures,
               blocked_until = excluded.blocked_until, updated_at = excluded.updated_at",
        )
        .bind(key)
        .bind(failures)
        .bind(now + blocked_for.whole_seconds())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(blocked_for)
    }

    async fn throttle_reset(&self, key: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM throttle WHERE key = $1")
            .bind(key)
            .execute(&mut *self.conn().await?)
            .await?;
        Ok(())
    }

    async fn session_create(&self, s: &NewSession<'_>) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3)
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(s.id)
        .bind(s.data)
        .bind(unix(s.expires_at))
        .execute(&mut *self.conn().await?)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn session_save(&self, s: &NewSession<'_>) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3)
             ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at",
        )
        .bind(s.id)
        .bind(s.data)
        .bind(unix(s.expires_at))
        .execute(&mut *self.conn().await?)
        .await?;
        Ok(())
    }

    async fn session_load(
        &self,
        id: &str,
        now: OffsetDateTime,
    ) -> Result<Option<(String, OffsetDateTime)>, StoreError> {
        let row: Option<(String, i64)> = sqlx::query_as(
            "SELECT data, expires_at FROM sessions WHERE id = $1 AND expires_at > $2",
        )
        .bind(id)
        .bind(unix(now))
        .fetch_optional(&mut *self.conn().await?)
        .await?;
        row.map(|(data, expires)| Ok((data, moment(expires)?)))
            .transpose()
    }

    async fn session_delete(&self, id: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id)
            .execute(&mut *self.conn().await?)
            .await?;
        Ok(())
    }
}
