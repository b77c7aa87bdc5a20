//! `getmycert user …`: accounts for operators. Passwords come from standard input (one line),
//! so they never appear in shell history or process lists.

use std::io::BufRead;
use std::process::ExitCode;

use getmycert_store::{StoreError, UserRow};
use getmycert_web::auth::backend::normalize_email;
use getmycert_web::auth::password;

use crate::cli::UserCommand;

/// The roles an account can have.
pub const ROLES: [&str; 3] = ["learner", "author", "admin"];

fn read_password() -> Result<String, String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| format!("cannot read the password: {e}"))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

async fn run(database_url: &str, command: UserCommand) -> Result<String, String> {
    let store = getmycert_store::connect(database_url)
        .await
        .map_err(|e| e.to_string())?;
    let check_role = |role: &str| {
        if ROLES.contains(&role) {
            Ok(())
        } else {
            Err(format!("role `{role}` is not one of {}", ROLES.join(", ")))
        }
    };
    let result = match command {
        UserCommand::Create { email, role } => {
            check_role(&role)?;
            let email = normalize_email(&email);
            let secret = read_password()?;
            if let Some(problem) = password::weakness(&secret, &email) {
                return Err(problem);
            }
            let hash = password::hash(&secret).map_err(|e| e.to_string())?;
            let row = UserRow {
                id: format!("u-{}", uuid::Uuid::new_v4().simple()),
                email: email.clone(),
                password_hash: hash,
                display_name: String::new(),
                role: role.clone(),
                created_at: time::OffsetDateTime::now_utc(),
            };
            match store.create_user(&row).await {
                Ok(()) => Ok(format!("created {email} ({role})")),
                Err(StoreError::Conflict) => Err(format!("an account with {email} exists")),
                Err(e) => Err(e.to_string()),
            }
        }
        UserCommand::SetPassword { email } => {
            let user = store
                .user_by_email(&normalize_email(&email))
                .await
                .map_err(|e| format!("{email}: {e}"))?;
            let secret = read_password()?;
            if let Some(problem) = password::weakness(&secret, &user.email) {
                return Err(problem);
            }
            let hash = password::hash(&secret).map_err(|e| e.to_string())?;
            store
                .set_password_hash(&user.id, &hash)
                .await
                .map_err(|e| e.to_string())?;
            Ok(format!(
                "password set for {}; their other sessions end",
                user.email
            ))
        }
        UserCommand::SetRole { email, role } => {
            check_role(&role)?;
            let user = store
                .user_by_email(&normalize_email(&email))
                .await
                .map_err(|e| format!("{email}: {e}"))?;
            store
                .set_role(&user.id, &role)
                .await
                .map_err(|e| e.to_string())?;
            Ok(format!("{} is now {role}", user.email))
        }
    };
    store.close().await;
    result
}

/// Runs a user command against the database.
pub fn main(database_url: &str, command: UserCommand) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("no async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(database_url, command)) {
        Ok(message) => {
            println!("{message}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}
