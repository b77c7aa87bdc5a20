//! What an account may do.

use serde::{Deserialize, Serialize};

use crate::keyword::keyword_enum;

keyword_enum! {
    /// An account's role. Every account learns; authors also read item statistics and answer
    /// question reports; administrators also manage accounts.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(rename_all = "lowercase")]
    pub enum Role {
        Learner = "learner",
        Author = "author",
        Admin = "admin",
    }
}

impl Role {
    /// Whether the role may use the author pages (authors and administrators).
    pub fn may_author(self) -> bool {
        matches!(self, Role::Author | Role::Admin)
    }

    /// Whether the role may manage accounts.
    pub fn may_administer(self) -> bool {
        self == Role::Admin
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn administrators_also_author_and_learners_do_neither() {
        assert!(Role::Admin.may_author() && Role::Admin.may_administer());
        assert!(Role::Author.may_author() && !Role::Author.may_administer());
        assert!(!Role::Learner.may_author() && !Role::Learner.may_administer());
        assert_eq!("author".parse::<Role>(), Ok(Role::Author));
    }
}
