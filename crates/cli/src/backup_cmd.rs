//! `getmycert backup --to FILE`: a consistent copy of a live SQLite database, taken while the
//! server runs (see `docs/operations.md` for restoring it). A PostgreSQL site uses `pg_dump`;
//! the command says so.

use std::path::Path;
use std::process::ExitCode;

/// Copies the database at `database_url` to the new file `to`; returns its size in bytes.
pub async fn run(database_url: &str, to: &Path) -> Result<u64, String> {
    let store = getmycert_store::connect(database_url)
        .await
        .map_err(|e| format!("cannot open the database: {e}"))?;
    let copied = store.backup(to).await;
    store.close().await;
    copied.map_err(|e| format!("no backup was written: {e}"))?;
    std::fs::metadata(to)
        .map(|m| m.len())
        .map_err(|e| format!("the backup {} cannot be read: {e}", to.display()))
}

pub fn main(database_url: &str, to: &Path) -> ExitCode {
    let outcome = match crate::startup::block_on(run(database_url, to)) {
        Ok(outcome) => outcome,
        Err(code) => return code,
    };
    match outcome {
        Ok(bytes) => {
            println!("backed up to {} ({bytes} bytes)", to.display());
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}
