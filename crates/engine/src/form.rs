//! An attempt row's form and saved responses, read into `core` values.

use getmycert_core::FormItem;
use getmycert_core::scoring::Response;
use getmycert_store::{AttemptRow, ResponseRow};

use crate::EngineError;

/// The form of an attempt row.
pub(crate) fn items(row: &AttemptRow) -> Result<Vec<FormItem>, EngineError> {
    serde_json::from_str(&row.items)
        .map_err(|e| EngineError::Internal(format!("attempt {}: {e}", row.id)))
}

/// The response and flag of one saved row (none saved: no response, not flagged).
pub(crate) fn parse_saved(
    row: Option<&ResponseRow>,
) -> Result<(Option<Response>, bool), EngineError> {
    let response = row
        .and_then(|r| r.response.as_deref())
        .map(serde_json::from_str::<Response>)
        .transpose()?;
    Ok((response, row.is_some_and(|r| r.flagged)))
}

/// The saved response and flag of item `n` (1-based).
pub(crate) fn saved_response(
    saved: &[ResponseRow],
    n: usize,
) -> Result<(Option<Response>, bool), EngineError> {
    parse_saved(saved.iter().find(|r| r.n as usize == n))
}
