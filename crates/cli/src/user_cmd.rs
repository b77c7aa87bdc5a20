//! `getmycert user …`: accounts for operators, through the engine's account rules. Passwords
//! come from standard input (one line), so they never appear in shell history or process lists.

use std::io::BufRead;
use std::process::ExitCode;

use getmycert_core::Role;
use getmycert_engine::{Engine, EngineError};

use crate::cli::{ServeArgs, UserCommand};
use crate::startup::connect_engine;

fn read_password() -> Result<String, String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| format!("cannot read the password: {e}"))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

fn role(raw: &str) -> Result<Role, String> {
    raw.parse().map_err(|e| format!("role {e}"))
}

/// What went wrong, in words for the operator.
fn explain(email: &str, e: EngineError) -> String {
    match e {
        EngineError::NotFound => format!("there is no account {email}"),
        EngineError::Conflict(_) => format!("an account with {email} exists"),
        other => other.to_string(),
    }
}

async fn apply(engine: &Engine, command: UserCommand) -> Result<String, String> {
    match command {
        UserCommand::Create { email, role: raw } => {
            let role = role(&raw)?;
            let secret = read_password()?;
            let account = engine
                .create_account(&email, &secret, role)
                .await
                .map_err(|e| explain(&email, e))?;
            Ok(format!("created {} ({role})", account.email))
        }
        UserCommand::SetPassword { email } => {
            let secret = read_password()?;
            let account = engine
                .set_password(&email, &secret)
                .await
                .map_err(|e| explain(&email, e))?;
            Ok(format!(
                "password set for {}; their other sessions end",
                account.email
            ))
        }
        UserCommand::SetRole { email, role: raw } => {
            let role = role(&raw)?;
            let account = engine
                .set_role(&email, role)
                .await
                .map_err(|e| explain(&email, e))?;
            Ok(format!("{} is now {role}", account.email))
        }
    }
}

async fn run(args: &ServeArgs, command: UserCommand) -> Result<String, String> {
    let engine = connect_engine(args).await.map_err(|e| format!("{e:#}"))?;
    let result = apply(&engine, command).await;
    engine.close().await;
    result
}

/// Runs a user command against the database.
pub fn main(args: &ServeArgs, command: UserCommand) -> ExitCode {
    let outcome = match crate::startup::block_on(run(args, command)) {
        Ok(outcome) => outcome,
        Err(code) => return code,
    };
    match outcome {
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
