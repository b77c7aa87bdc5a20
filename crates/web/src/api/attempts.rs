//! `/api/v1/attempts…`: start, read, answer, submit and report.

use axum::Json;
use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde_json::Value;
use time::OffsetDateTime;

use getmycert_core::scoring::Response as Answer;

use super::ApiError;
use crate::AppState;
use crate::engine::StartRequest;
use crate::engine::attempts::Engine;
use crate::identity::Identity;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/attempts", post(start).get(history))
        .route("/attempts/{id}", get(show))
        .route("/attempts/{id}/items/{n}", get(item))
        .route("/attempts/{id}/items/{n}/response", put(respond))
        .route("/attempts/{id}/submit", post(submit))
        .route("/attempts/{id}/report", get(report))
}

fn engine(state: &AppState) -> Engine<'_> {
    Engine::new(state.store.as_ref(), &state.content)
}

fn body<T>(payload: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    payload.map(|Json(v)| v).map_err(|e| {
        ApiError(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("the request body is not valid: {}", e.body_text()),
        )
    })
}

fn item_number(raw: &str, status: StatusCode) -> Result<usize, ApiError> {
    raw.parse::<usize>()
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(|| ApiError(status, format!("`{raw}` is not an item number (1, 2, …)")))
}

async fn start(
    State(state): State<AppState>,
    Identity(owner): Identity,
    payload: Result<Json<StartRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    let request = body(payload)?;
    let view = engine(&state)
        .start(&owner, &request, OffsetDateTime::now_utc())
        .await?;
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

async fn history(
    State(state): State<AppState>,
    Identity(owner): Identity,
) -> Result<Response, ApiError> {
    let now = OffsetDateTime::now_utc();
    let rows = state
        .store
        .attempts_of(&owner)
        .await
        .map_err(|e| ApiError::from(crate::engine::EngineError::Store(e)))?;
    let mut views = Vec::with_capacity(rows.len());
    for row in rows {
        views.push(engine(&state).view(&owner, &row.id, now).await?);
    }
    Ok(Json(views).into_response())
}

async fn show(
    State(state): State<AppState>,
    Identity(owner): Identity,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    Ok(Json(
        engine(&state)
            .view(&owner, &id, OffsetDateTime::now_utc())
            .await?,
    )
    .into_response())
}

async fn item(
    State(state): State<AppState>,
    Identity(owner): Identity,
    Path((id, n)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let n = item_number(&n, StatusCode::NOT_FOUND)?;
    Ok(Json(engine(&state).item(&owner, &id, n).await?).into_response())
}

/// `{"selected": […]}`, `{"order": […]}` or `{"matches": {…}}`, with or without `"flagged"`;
/// or `{"flagged": bool}` alone.
fn parse_response(value: Value) -> Result<(Option<Answer>, Option<bool>), ApiError> {
    let invalid = |m: &str| ApiError(StatusCode::UNPROCESSABLE_ENTITY, m.to_owned());
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

async fn respond(
    State(state): State<AppState>,
    Identity(owner): Identity,
    Path((id, n)): Path<(String, String)>,
    payload: Result<Json<Value>, JsonRejection>,
) -> Result<Response, ApiError> {
    let n = item_number(&n, StatusCode::UNPROCESSABLE_ENTITY)?;
    let (answer, flagged) = parse_response(body(payload)?)?;
    engine(&state)
        .respond(&owner, &id, n, answer, flagged, OffsetDateTime::now_utc())
        .await?;
    Ok(Json(engine(&state).item(&owner, &id, n).await?).into_response())
}

async fn submit(
    State(state): State<AppState>,
    Identity(owner): Identity,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    Ok(Json(
        engine(&state)
            .submit(&owner, &id, OffsetDateTime::now_utc())
            .await?,
    )
    .into_response())
}

async fn report(
    State(state): State<AppState>,
    Identity(owner): Identity,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    Ok(Json(
        engine(&state)
            .report(&owner, &id, OffsetDateTime::now_utc())
            .await?,
    )
    .into_response())
}
