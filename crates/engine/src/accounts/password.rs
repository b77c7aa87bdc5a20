//! Password rules and hashing. Strength is judged by zxcvbn (the estimator used by many sites),
//! with a minimum length; hashing is argon2id with the crate's recommended parameters.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};

/// Shortest password accepted.
pub const MIN_LENGTH: usize = 10;
/// Lowest zxcvbn score accepted (0–4).
pub const MIN_SCORE: u8 = 3;

/// Why a password is refused, in words that say what to do.
pub fn weakness(password: &str, email: &str) -> Option<String> {
    if password.chars().count() < MIN_LENGTH {
        return Some(format!(
            "Use at least {MIN_LENGTH} characters; a few unrelated words work well."
        ));
    }
    if password.chars().count() > 256 {
        return Some("Use at most 256 characters.".into());
    }
    let estimate = zxcvbn::zxcvbn(password, &[email]);
    if u8::from(estimate.score()) < MIN_SCORE {
        let advice = estimate
            .feedback()
            .and_then(|f| {
                f.warning()
                    .map(|w| w.to_string())
                    .or_else(|| f.suggestions().first().map(|s| s.to_string()))
            })
            .unwrap_or_else(|| "Add another word or two that are not related.".into());
        return Some(format!("This password is too easy to guess. {advice}"));
    }
    None
}

/// Hashes a password (CPU-heavy: call from a blocking task).
pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let hashed: PasswordHash = Argon2::default().hash_password(password.as_bytes())?;
    Ok(hashed.to_string())
}

/// Checks a password against a stored hash (CPU-heavy: call from a blocking task).
pub fn verify(password: &str, stored: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), stored)
        .is_ok()
}

/// A hash of a random password, verified when the email is unknown so that an unknown email
/// costs the same work as a known one.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash(&uuid::Uuid::new_v4().to_string()).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_and_short_passwords_are_refused_with_advice() {
        assert!(weakness("short", "a@b.c").is_some_and(|m| m.contains("at least 10")));
        assert!(weakness("password123", "a@b.c").is_some_and(|m| m.contains("too easy to guess")));
        assert!(weakness("ana.lopez@example.com", "ana.lopez@example.com").is_some());
        assert_eq!(
            weakness("correct horse battery staple tango", "a@b.c"),
            None
        );
    }

    #[test]
    fn hashes_verify_only_their_password() {
        let stored = hash("correct horse battery staple").expect("hash");
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse battery staple", &stored));
        assert!(!verify("correct horse battery stapler", &stored));
        assert!(!verify("anything", "not a hash"));
    }
}
