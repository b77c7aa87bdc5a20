//! Accounts in the store: users and roles, sessions (shared by every instance) and the
//! counters that throttle sign-in and sign-up.

use async_trait::async_trait;
use getmycert_core::Role;
use time::{Duration, OffsetDateTime};

use crate::StoreError;

/// Users, sessions and throttling.
#[async_trait]
pub trait AccountStore {
    /// Creates an account; `Err(Conflict)` when the email is taken.
    async fn create_user(&self, user: &UserRow) -> Result<(), StoreError>;

    /// The account with this (lower-cased) email.
    async fn user_by_email(&self, email: &str) -> Result<UserRow, StoreError>;

    /// The account with this id.
    async fn user(&self, id: &str) -> Result<UserRow, StoreError>;

    /// Every account, by email (for administrators).
    async fn users(&self) -> Result<Vec<UserRow>, StoreError>;

    /// Sets an account's role.
    async fn set_role(&self, id: &str, role: Role) -> Result<(), StoreError>;

    /// Replaces an account's password hash.
    async fn set_password_hash(&self, id: &str, hash: &str) -> Result<(), StoreError>;

    /// Deletes an account and everything of it (attempts, responses, cards, settings,
    /// reports), in one transaction.
    async fn delete_user(&self, id: &str) -> Result<(), StoreError>;

    /// Moves everything a guest did (attempts, reports, cards the account lacks, review log,
    /// settings) to an account; returns how many attempts moved.
    async fn adopt_guest(&self, guest: &str, user: &str) -> Result<u64, StoreError>;

    /// How long `key` stays blocked, if it is blocked at `now`.
    async fn throttle_blocked(
        &self,
        key: &str,
        now: OffsetDateTime,
    ) -> Result<Option<Duration>, StoreError>;

    /// Counts one event for `key` under `rule`; returns how long the key is now blocked
    /// (zero when it is not).
    async fn throttle_hit(
        &self,
        key: &str,
        now: OffsetDateTime,
        rule: &ThrottleRule,
    ) -> Result<Duration, StoreError>;

    /// Forgets `key` (a successful sign-in clears the account's failures).
    async fn throttle_reset(&self, key: &str) -> Result<(), StoreError>;

    /// Inserts a new session; `Ok(false)` if the id is taken.
    async fn session_create(&self, session: &NewSession<'_>) -> Result<bool, StoreError>;

    /// Inserts or replaces a session.
    async fn session_save(&self, session: &NewSession<'_>) -> Result<(), StoreError>;

    /// A session's data and expiry, if it exists and has not expired at `now`.
    async fn session_load(
        &self,
        id: &str,
        now: OffsetDateTime,
    ) -> Result<Option<(String, OffsetDateTime)>, StoreError>;

    /// Deletes a session.
    async fn session_delete(&self, id: &str) -> Result<(), StoreError>;
}

/// An account as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub password_hash: String,
    pub display_name: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub created_at: OffsetDateTime,
}

/// A session to write.
#[derive(Debug, Clone, Copy)]
pub struct NewSession<'a> {
    pub id: &'a str,
    /// The session's data as JSON.
    pub data: &'a str,
    pub expires_at: OffsetDateTime,
}

/// When a throttled key is blocked: from the `threshold`-th event within `window`, for
/// `base`, doubling with each further event up to `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleRule {
    pub threshold: i64,
    pub window: Duration,
    pub base: Duration,
    pub max: Duration,
}

impl ThrottleRule {
    /// How long the `failures`-th event within the window blocks the key.
    pub fn block_for(&self, failures: i64) -> Duration {
        if failures < self.threshold {
            return Duration::ZERO;
        }
        let doublings = (failures - self.threshold).min(20) as u32;
        let seconds = self
            .base
            .whole_seconds()
            .saturating_mul(1_i64 << doublings)
            .min(self.max.whole_seconds());
        Duration::seconds(seconds)
    }
}
