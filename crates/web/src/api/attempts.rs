//! `/api/v1/attempts…`: start, read, answer, submit and report.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use time::OffsetDateTime;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use getmycert_core::scoring::Response as Answer;

use getmycert_engine::attempts::Saved;
use getmycert_engine::{AttemptView, Report, ReviewedItem, ServedItem, StartRequest};

use super::{ApiError, ErrorBody, body};
use crate::AppState;
use crate::identity::Identity;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(start, history))
        .routes(routes!(show))
        .routes(routes!(item))
        .routes(routes!(feedback))
        .routes(routes!(respond))
        .routes(routes!(submit))
        .routes(routes!(report))
}

fn item_number(raw: &str, status: StatusCode) -> Result<usize, ApiError> {
    raw.parse::<usize>()
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(|| ApiError::new(status, format!("`{raw}` is not an item number (1, 2, …)")))
}

/// Starts an attempt: `mode` is `exam` (the real form, timed), `practice`, `missed`,
/// `review` (the cards due now, most overdue first) or `drill` (adaptive).
#[utoipa::path(post, path = "/api/v1/attempts", tag = "attempts", request_body = StartRequest,
    responses((status = 201, description = "Started", body = AttemptView),
              (status = 422, description = "Unknown exam or mode, bad count, or a bank too small for the form", body = ErrorBody)))]
async fn start(
    State(state): State<AppState>,
    Identity(owner): Identity,
    payload: Result<Json<StartRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    let request = body(payload)?;
    let view = state
        .engine
        .start(&owner, &request, OffsetDateTime::now_utc())
        .await?;
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

/// The caller's attempts, newest first.
#[utoipa::path(get, path = "/api/v1/attempts", tag = "attempts", responses((status = 200, body = Vec<AttemptView>)))]
async fn history(
    State(state): State<AppState>,
    Identity(owner): Identity,
) -> Result<Response, ApiError> {
    let views = state
        .engine
        .views(&owner, OffsetDateTime::now_utc())
        .await?;
    Ok(Json(views).into_response())
}

/// One attempt: counts, deadline, seconds left and each item's state.
#[utoipa::path(get, path = "/api/v1/attempts/{id}", tag = "attempts", params(("id" = String, Path)),
    responses((status = 200, body = AttemptView), (status = 404, description = "No such attempt of the caller", body = ErrorBody)))]
async fn show(
    State(state): State<AppState>,
    Identity(owner): Identity,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    Ok(Json(
        state
            .engine
            .view(&owner, &id, OffsetDateTime::now_utc())
            .await?,
    )
    .into_response())
}

/// Item `n` as served: no key, rationale or correctness before submit.
#[utoipa::path(get, path = "/api/v1/attempts/{id}/items/{n}", tag = "attempts", params(("id" = String, Path), ("n" = usize, Path)),
    responses((status = 200, body = ServedItem), (status = 404, body = ErrorBody)))]
async fn item(
    State(state): State<AppState>,
    Identity(owner): Identity,
    Path((id, n)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let n = item_number(&n, StatusCode::NOT_FOUND)?;
    Ok(Json(state.engine.item(&owner, &id, n).await?).into_response())
}

/// Reveals the feedback on an answered item: the key, every option's rationale, the
/// explanation. Revealing grades the item's spaced-repetition card, once per attempt item
/// (a case study once all its parts are answered); revealing again shows the same feedback.
/// Refused (409) for an exam simulation before it is submitted.
#[utoipa::path(post, path = "/api/v1/attempts/{id}/items/{n}/feedback", tag = "attempts", params(("id" = String, Path), ("n" = usize, Path)),
    responses((status = 200, body = ReviewedItem),
              (status = 409, description = "An exam simulation not yet submitted", body = ErrorBody),
              (status = 422, description = "The item is not answered yet", body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn feedback(
    State(state): State<AppState>,
    Identity(owner): Identity,
    Path((id, n)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let n = item_number(&n, StatusCode::NOT_FOUND)?;
    let reviewed = state
        .engine
        .reveal(&owner, &id, n, OffsetDateTime::now_utc())
        .await?;
    Ok(Json(reviewed).into_response())
}

/// Reads a save's body: `{"selected": […]}`, `{"order": […]}` or `{"matches": {…}}`, with or
/// without `"flagged"`; or `{"flagged": bool}` alone. Any other value is a 422 that says why
/// (the fuzz target `parse_response` feeds it arbitrary JSON).
pub fn parse_response(value: Value) -> Result<(Option<Answer>, Option<bool>), ApiError> {
    let invalid = |m: &str| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, m);
    let Value::Object(mut map) = value else {
        return Err(invalid("the body must be a JSON object"));
    };
    let flagged = match map.remove("flagged") {
        None => None,
        Some(Value::Bool(b)) => Some(b),
        Some(_) => return Err(invalid("`flagged` must be true or false")),
    };
    if map.is_empty() {
        return match flagged {
            Some(_) => Ok((None, flagged)),
            None => Err(invalid(
                r#"send {"selected": [...]}, {"order": [...]}, {"matches": {...}} or {"flagged": true}"#,
            )),
        };
    }
    if map.len() > 1
        || !["selected", "order", "matches"]
            .iter()
            .any(|k| map.contains_key(*k))
    {
        let keys: Vec<&String> = map.keys().collect();
        return Err(invalid(&format!(
            "unexpected fields {keys:?}: a response has one of selected, order or matches"
        )));
    }
    serde_json::from_value::<Answer>(Value::Object(map))
        .map(|answer| (Some(answer), flagged))
        .map_err(|e| invalid(&format!("the response does not fit: {e}")))
}

/// Saves the response to item `n` (idempotent): `{"selected": [...]}`, `{"order": [...]}` or
/// `{"matches": {...}}`, with or without `"flagged"`; or `{"flagged": bool}` alone.
#[utoipa::path(put, path = "/api/v1/attempts/{id}/items/{n}/response", tag = "attempts", params(("id" = String, Path), ("n" = usize, Path)),
    request_body(content = Object, description = "A response and/or the flag"),
    responses((status = 200, description = "Saved: the item's state and the time left", body = Saved),
              (status = 409, description = "Submitted or past the deadline; nothing stored", body = ErrorBody),
              (status = 422, description = "Malformed response; nothing stored", body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn respond(
    State(state): State<AppState>,
    Identity(owner): Identity,
    Path((id, n)): Path<(String, String)>,
    payload: Result<Json<Value>, JsonRejection>,
) -> Result<Response, ApiError> {
    let n = item_number(&n, StatusCode::UNPROCESSABLE_ENTITY)?;
    let (answer, flagged) = parse_response(body(payload)?)?;
    let saved = state
        .engine
        .respond(&owner, &id, n, answer, flagged, OffsetDateTime::now_utc())
        .await?;
    Ok(Json(saved).into_response())
}

/// Submits and scores the attempt once.
#[utoipa::path(post, path = "/api/v1/attempts/{id}/submit", tag = "attempts", params(("id" = String, Path)),
    responses((status = 200, body = Report), (status = 409, description = "Already submitted", body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn submit(
    State(state): State<AppState>,
    Identity(owner): Identity,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    Ok(Json(
        state
            .engine
            .submit(&owner, &id, OffsetDateTime::now_utc())
            .await?,
    )
    .into_response())
}

/// The report: estimated scaled score, pass/fail, domain verdicts and every item reviewed.
#[utoipa::path(get, path = "/api/v1/attempts/{id}/report", tag = "attempts", params(("id" = String, Path)),
    responses((status = 200, body = Report), (status = 409, description = "Not submitted yet", body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn report(
    State(state): State<AppState>,
    Identity(owner): Identity,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    Ok(Json(
        state
            .engine
            .report(&owner, &id, OffsetDateTime::now_utc())
            .await?,
    )
    .into_response())
}
