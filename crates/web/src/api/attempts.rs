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

/// A save's body, read as [`parse_response`] reads it. A body of `application/json` is read
/// straight into its fields; one that does not fit them (a `null`, another field, a field
/// twice, or no response) goes through the JSON value, which says what is wrong with it. The
/// short way takes only what the long way reads the same.
#[derive(Debug)]
pub struct SaveBody(pub Option<Answer>, pub Option<bool>);

/// The short way's fields: no others, and none of them `null`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Fields {
    #[serde(default, deserialize_with = "given")]
    selected: Option<Vec<char>>,
    #[serde(default, deserialize_with = "given")]
    order: Option<Vec<char>>,
    #[serde(default, deserialize_with = "given")]
    matches: Option<std::collections::BTreeMap<String, char>>,
    #[serde(default, deserialize_with = "given")]
    flagged: Option<bool>,
}

/// A field that is there: `null` is refused, not read as absent.
fn given<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

impl SaveBody {
    /// Reads a body already buffered, whose content type is `application/json`.
    pub fn from_json(bytes: &[u8]) -> Result<Self, ApiError> {
        if let Ok(f) = serde_json::from_slice::<Fields>(bytes)
            && let Ok(answer) = Answer::from_fields(f.selected, f.order, f.matches)
        {
            return Ok(Self(Some(answer), f.flagged));
        }
        let (answer, flagged) = parse_response(body(Json::<Value>::from_bytes(bytes))?)?;
        Ok(Self(answer, flagged))
    }
}

impl<S: Send + Sync> axum::extract::FromRequest<S> for SaveBody {
    type Rejection = ApiError;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        let plain_json = request
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"application/json"));
        if !plain_json {
            // Other JSON types (`application/problem+json`, parameters) and the wrong ones,
            // with the extractor's own messages.
            let payload =
                <Json<Value> as axum::extract::FromRequest<S>>::from_request(request, state).await;
            let (answer, flagged) = parse_response(body(payload)?)?;
            return Ok(Self(answer, flagged));
        }
        let bytes =
            <axum::body::Bytes as axum::extract::FromRequest<S>>::from_request(request, state)
                .await
                .map_err(|e| {
                    ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        format!("the request body is not valid: {}", e.body_text()),
                    )
                })?;
        Self::from_json(&bytes)
    }
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
    SaveBody(answer, flagged): SaveBody,
) -> Result<Response, ApiError> {
    let n = item_number(&n, StatusCode::UNPROCESSABLE_ENTITY)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The short way and the long way agree on every body: what each accepts and, word for
    /// word, what each refuses.
    #[test]
    fn a_save_body_reads_the_same_both_ways() {
        let bodies = [
            r#"{"selected": ["B"]}"#,
            r#"{"selected": ["A", "C"], "flagged": true}"#,
            r#"{"flagged": false, "selected": []}"#,
            r#"{"selected": ["B"], "flagged": null}"#,
            r#"{"selected": null, "order": ["A"]}"#,
            r#"{"order": ["A"], "flagged": true, "order": ["B"]}"#,
            r#"{"matches": {"1": "C", "x": "A"}}"#,
            r#"{"matches": {"1": "C", "01": "A"}}"#,
            r#"{"matches": {}}"#,
            r#"{"flagged": true, "flagged": false}"#,
            r#"{"selected": ["B"], "flagged": "yes"}"#,
            r#"{"selected": ["BC"]}"#,
            r#"{"selected": "B"}"#,
            r#"{"selected": ["A"], "selected": ["B"]}"#,
            r#"{"selected": ["B"], "order": ["A"]}"#,
            r#"{"selected": ["B"], "note": 1}"#,
            r#"{"order": ["C", "A", "B"]}"#,
            r#"{"matches": {"1": "C", "2": "A"}, "flagged": true}"#,
            r#"{"flagged": true}"#,
            r#"{}"#,
            r#"["B"]"#,
        ];
        for text in bodies {
            let value: Value = serde_json::from_str(text).expect("valid JSON");
            let long = parse_response(value);
            let short = SaveBody::from_json(text.as_bytes()).map(|b| (b.0, b.1));
            assert_eq!(format!("{short:?}"), format!("{long:?}"), "{text}");
        }
        let quick = SaveBody::from_json(br#"{"selected": ["B"], "flagged": true}"#)
            .expect("the common body");
        assert_eq!(
            quick.0,
            Some(Answer::Selected {
                selected: vec!['B']
            })
        );
        assert_eq!(quick.1, Some(true));
        let broken = SaveBody::from_json(br#"{"selected": ["B"]"#).expect_err("cut short");
        assert!(
            format!("{broken:?}").contains("the request body is not valid"),
            "{broken:?}"
        );
    }
}
