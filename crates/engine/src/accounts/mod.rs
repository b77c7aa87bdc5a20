//! Accounts: sign up, sign in (with throttling per account and per address), change password,
//! export everything, delete everything, roles; and the operator's commands. Each failure
//! says what the person can do about it. Sessions are the web layer's: it signs the returned
//! [`Account`] in or out.

pub mod password;
mod sessions;

use time::{Duration, OffsetDateTime};

use getmycert_core::Role;
use getmycert_store::{StoreError, ThrottleRule, UserRow};

use crate::{Engine, EngineError};

/// Sign-in failures per account before a block: 5 within an hour, then 30 s doubling to 1 h.
pub const ACCOUNT_LIMIT: ThrottleRule = ThrottleRule {
    threshold: 5,
    window: Duration::HOUR,
    base: Duration::seconds(30),
    max: Duration::HOUR,
};
/// Sign-in failures per address: 20 within an hour, then 60 s doubling to 1 h.
pub const ADDRESS_LIMIT: ThrottleRule = ThrottleRule {
    threshold: 20,
    window: Duration::HOUR,
    base: Duration::MINUTE,
    max: Duration::HOUR,
};
/// Sign-ups per address: 10 within an hour, then 10 min doubling to 1 h.
pub const SIGNUP_LIMIT: ThrottleRule = ThrottleRule {
    threshold: 10,
    window: Duration::HOUR,
    base: Duration::minutes(10),
    max: Duration::HOUR,
};

/// A signed-up account. Its password hash never reaches a log line.
#[derive(Clone, PartialEq, Eq)]
pub struct Account {
    pub id: String,
    pub email: String,
    pub role: Role,
    password_hash: String,
}

impl Account {
    /// What a session keeps to end itself when the password changes (the password hash).
    pub fn session_key(&self) -> &[u8] {
        self.password_hash.as_bytes()
    }
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("id", &self.id)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

impl From<UserRow> for Account {
    fn from(row: UserRow) -> Self {
        Self {
            id: row.id,
            email: row.email,
            role: row.role,
            password_hash: row.password_hash,
        }
    }
}

/// Normalises an email for lookups: trimmed and lower-cased.
pub fn normalize_email(raw: &str) -> String {
    raw.trim().to_lowercase()
}

/// Checks an email address well enough to catch typing mistakes.
pub fn email_problem(email: &str) -> Option<&'static str> {
    let at = email.find('@');
    match at {
        _ if email.is_empty() => Some("Enter your email address."),
        _ if email.len() > 254 => Some("That email address is too long."),
        Some(i)
            if i > 0 && email[i + 1..].contains('.') && !email.contains(char::is_whitespace) =>
        {
            None
        }
        _ => Some("Enter an email address such as name@example.com."),
    }
}

/// Hashes off the async runtime (argon2 is CPU-heavy).
async fn hash(secret: &str) -> Result<String, EngineError> {
    let secret = secret.to_owned();
    tokio::task::spawn_blocking(move || password::hash(&secret))
        .await?
        .map_err(|e| EngineError::Internal(format!("hashing failed: {e}")))
}

/// Verifies off the async runtime.
async fn verify(secret: &str, stored: String) -> Result<bool, EngineError> {
    let secret = secret.to_owned();
    Ok(tokio::task::spawn_blocking(move || password::verify(&secret, &stored)).await?)
}

fn taken() -> EngineError {
    EngineError::Conflict("an account with this email exists; sign in instead".into())
}

impl Engine {
    /// Refuses when any of `keys` is blocked, naming the longest wait.
    async fn check_blocked(&self, keys: &[&str], now: OffsetDateTime) -> Result<(), EngineError> {
        let mut wait = Duration::ZERO;
        for key in keys {
            if let Some(left) = self.store().throttle_blocked(key, now).await? {
                wait = wait.max(left);
            }
        }
        match wait.whole_seconds() {
            0 => Ok(()),
            seconds => Err(EngineError::Throttled(seconds.max(1))),
        }
    }

    /// Creates a learner's account from the sign-up form; sign-ups from one address are
    /// throttled.
    pub async fn register(
        &self,
        email: &str,
        secret: &str,
        address: &str,
    ) -> Result<Account, EngineError> {
        let now = OffsetDateTime::now_utc();
        let key = format!("signup-ip:{address}");
        self.check_blocked(&[&key], now).await?;
        self.store().throttle_hit(&key, now, &SIGNUP_LIMIT).await?;
        self.create_account(email, secret, Role::Learner).await
    }

    /// Creates an account with `role` after checking the email and the password's strength.
    pub async fn create_account(
        &self,
        email: &str,
        secret: &str,
        role: Role,
    ) -> Result<Account, EngineError> {
        let email = normalize_email(email);
        if let Some(problem) = email_problem(&email) {
            return Err(EngineError::invalid_field("email", problem));
        }
        if let Some(problem) = password::weakness(secret, &email) {
            return Err(EngineError::invalid_field("password", problem));
        }
        let row = UserRow {
            id: format!("u-{}", uuid::Uuid::new_v4().simple()),
            email,
            password_hash: hash(secret).await?,
            display_name: String::new(),
            role,
            created_at: OffsetDateTime::now_utc(),
        };
        match self.store().create_user(&row).await {
            Ok(()) => Ok(Account::from(row)),
            Err(StoreError::Conflict) => Err(taken()),
            Err(e) => Err(e.into()),
        }
    }

    /// The account whose email and password these are, or `None`. An unknown email costs the
    /// same work as a known one.
    pub async fn check_credentials(
        &self,
        email: &str,
        secret: &str,
    ) -> Result<Option<Account>, EngineError> {
        let found = match self.store().user_by_email(&normalize_email(email)).await {
            Ok(row) => Some(row),
            Err(StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        };
        let stored = found.as_ref().map_or_else(
            || password::decoy_hash().to_owned(),
            |u| u.password_hash.clone(),
        );
        let ok = verify(secret, stored).await?;
        Ok(found.filter(|_| ok).map(Account::from))
    }

    /// Signs in: failures are counted per account and per address, and either count blocks
    /// further tries for a while; a success clears the account's count.
    pub async fn sign_in(
        &self,
        email: &str,
        secret: &str,
        address: &str,
    ) -> Result<Account, EngineError> {
        let now = OffsetDateTime::now_utc();
        let account_key = format!("signin-account:{}", normalize_email(email));
        let address_key = format!("signin-ip:{address}");
        self.check_blocked(&[&account_key, &address_key], now)
            .await?;
        let Some(account) = self.check_credentials(email, secret).await? else {
            self.store()
                .throttle_hit(&account_key, now, &ACCOUNT_LIMIT)
                .await?;
            self.store()
                .throttle_hit(&address_key, now, &ADDRESS_LIMIT)
                .await?;
            return Err(EngineError::WrongCredentials);
        };
        self.store().throttle_reset(&account_key).await?;
        Ok(account)
    }

    /// The account with this id, if it still exists.
    pub async fn account(&self, id: &str) -> Result<Option<Account>, EngineError> {
        match self.store().user(id).await {
            Ok(row) => Ok(Some(row.into())),
            Err(StoreError::NotFound) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Moves everything a guest did to the account that just signed in or up; returns how many
    /// attempts moved.
    pub async fn adopt_guest(&self, guest: &str, account: &Account) -> Result<u64, EngineError> {
        let moved = self.store().adopt_guest(guest, &account.id).await?;
        self.cache.forget_owner(guest);
        Ok(moved)
    }

    /// Changes the password after checking the current one; returns the account as it now is
    /// (its other sessions end, since their key no longer matches).
    pub async fn change_password(
        &self,
        account: &Account,
        current: &str,
        new: &str,
    ) -> Result<Account, EngineError> {
        if !verify(current, account.password_hash.clone()).await? {
            return Err(EngineError::invalid_field(
                "current",
                "The current password is not right.",
            ));
        }
        self.set_password(&account.email, new).await
    }

    /// Sets an account's password (the operator's command, and the last step of a change).
    pub async fn set_password(&self, email: &str, secret: &str) -> Result<Account, EngineError> {
        let user = self.store().user_by_email(&normalize_email(email)).await?;
        if let Some(problem) = password::weakness(secret, &user.email) {
            return Err(EngineError::invalid_field("password", problem));
        }
        self.store()
            .set_password_hash(&user.id, &hash(secret).await?)
            .await?;
        Ok(self.store().user(&user.id).await?.into())
    }

    /// Deletes the account and everything of it after checking the password.
    pub async fn delete_account(&self, account: &Account, secret: &str) -> Result<(), EngineError> {
        if !verify(secret, account.password_hash.clone()).await? {
            return Err(EngineError::invalid_field(
                "confirm_password",
                "The password is not right; nothing was deleted.",
            ));
        }
        Ok(self.store().delete_user(&account.id).await?)
    }

    /// Everything stored about the account, as JSON: the account, its attempts with their
    /// forms and results, every response, its cards and review log, its settings, the
    /// certifications it holds.
    pub async fn export_account(
        &self,
        account: &Account,
    ) -> Result<serde_json::Value, EngineError> {
        use serde_json::{Value, json};
        let parse = |raw: &str| serde_json::from_str::<Value>(raw);
        let mut attempts = Vec::new();
        for row in self.store().attempts_of(&account.id).await? {
            let mut responses = Vec::new();
            for r in self.store().responses(&row.id).await? {
                responses.push(json!({
                    "n": r.n,
                    "response": r.response.as_deref().map(parse).transpose()?,
                    "flagged": r.flagged,
                }));
            }
            attempts.push(json!({
                "id": row.id,
                "exam": row.exam_code,
                "mode": row.mode,
                "started_at": row.started_at.unix_timestamp(),
                "deadline": row.deadline.map(|d| d.unix_timestamp()),
                "submitted_at": row.submitted_at.map(|d| d.unix_timestamp()),
                "items": parse(&row.items)?,
                "result": row.result.as_deref().map(parse).transpose()?,
                "responses": responses,
            }));
        }
        let cards: Vec<Value> = self
            .store()
            .cards_of(&account.id)
            .await?
            .into_iter()
            .map(|c| {
                json!({
                    "question": c.question_id, "stability": c.stability,
                    "difficulty": c.difficulty, "due_at": c.due_at.unix_timestamp(),
                    "last_review_at": c.last_review_at.unix_timestamp(), "reps": c.reps,
                    "lapses": c.lapses,
                })
            })
            .collect();
        let reviews: Vec<Value> = self
            .store()
            .reviews_of(&account.id)
            .await?
            .into_iter()
            .map(|r| {
                json!({
                    "attempt": r.attempt_id, "n": r.n, "question": r.question_id,
                    "grade": r.grade, "reviewed_at": r.reviewed_at.unix_timestamp(),
                    "elapsed_days": r.elapsed_days,
                })
            })
            .collect();
        Ok(json!({
            "account": {"id": account.id, "email": account.email, "role": account.role},
            "attempts": attempts,
            "cards": cards,
            "reviews": reviews,
            "desired_retention": self.store().desired_retention(&account.id).await?,
            "certifications": self.certifications(&account.id).await?,
        }))
    }

    /// Every account, by email (for administrators).
    pub async fn accounts(&self) -> Result<Vec<Account>, EngineError> {
        Ok(self
            .store()
            .users()
            .await?
            .into_iter()
            .map(Account::from)
            .collect())
    }

    /// Gives the account with `email` the role `raw`; an administrator cannot take away their
    /// own administration.
    pub async fn assign_role(
        &self,
        by: &Account,
        email: &str,
        raw: &str,
    ) -> Result<Account, EngineError> {
        let role: Role = raw
            .parse()
            .map_err(|_| EngineError::invalid_field("role", "Choose learner, author or admin."))?;
        let target = match self.store().user_by_email(&normalize_email(email)).await {
            Ok(user) => user,
            Err(StoreError::NotFound) => {
                return Err(EngineError::invalid_field(
                    "email",
                    format!("There is no account {email}."),
                ));
            }
            Err(e) => return Err(e.into()),
        };
        if target.id == by.id && role != Role::Admin {
            return Err(EngineError::invalid_field(
                "role",
                "You cannot remove your own admin role.",
            ));
        }
        self.set_role(&target.email, role).await
    }

    /// Sets the role of the account with `email` (the operator's command).
    pub async fn set_role(&self, email: &str, role: Role) -> Result<Account, EngineError> {
        let user = self.store().user_by_email(&normalize_email(email)).await?;
        self.store().set_role(&user.id, role).await?;
        Ok(self.store().user(&user.id).await?.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_with_typing_mistakes_are_refused() {
        assert_eq!(email_problem("ana@example.com"), None);
        assert!(email_problem("").is_some());
        assert!(email_problem("ana@example").is_some());
        assert!(email_problem("@example.com").is_some());
        assert!(email_problem("ana @example.com").is_some());
        assert_eq!(normalize_email("  Ana@Example.COM "), "ana@example.com");
    }

    #[test]
    fn throttles_block_from_their_threshold_and_double_to_their_maximum() {
        assert_eq!(ACCOUNT_LIMIT.block_for(4), Duration::ZERO);
        assert_eq!(ACCOUNT_LIMIT.block_for(5), Duration::seconds(30));
        assert_eq!(ACCOUNT_LIMIT.block_for(6), Duration::seconds(60));
        assert_eq!(ACCOUNT_LIMIT.block_for(40), Duration::HOUR);
    }
}
