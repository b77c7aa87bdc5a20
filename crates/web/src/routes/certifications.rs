//! `/certifications`: the certifications a signed-in learner holds, each with its expiry,
//! the exams that renew it and the day its renewal reminder is due; a form to record one
//! (per-field messages on bad input) and a button to forget one. `/certifications.ics` is the
//! renewal reminders as a calendar (the plan's calendar carries them too).

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use time::OffsetDateTime;
use time::macros::format_description;

use getmycert_core::plan::StudyBlock;
use getmycert_engine::EngineError;
use getmycert_engine::certifications::HeldCertification;

use crate::auth::AuthSession;
use crate::form::Fields;
use crate::views::Nav;
use crate::{AppState, WebError};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/certifications", get(page).post(record))
        .route("/certifications.ics", get(calendar))
        .route("/certifications/{exam}/delete", post(forget))
}

/// The renewal reminders of `held`, as calendar entries (one per certification, stable ids).
pub(super) fn reminders(held: &[HeldCertification]) -> Vec<StudyBlock> {
    let day = format_description!("[year]-[month]-[day]");
    held.iter()
        .filter_map(|c| {
            let on = time::Date::parse(&c.remind_on, day).ok()?;
            let renew = match c.renewed_by.as_slice() {
                [] => String::new(),
                exams => format!(" Passing {} also renews it.", exams.join(" or ")),
            };
            Some(StudyBlock {
                uid: format!("{}-renewal@getmycert", c.exam),
                day: on,
                title: format!("Renew {} (expires {})", c.exam, c.expires),
                description: format!(
                    "Your {} certification expires on {}: pass its current exam again to \
                     renew it.{renew}",
                    c.exam, c.expires
                ),
            })
        })
        .collect()
}

struct HeldRow {
    exam: String,
    name: String,
    earned: String,
    expires: String,
    remind_on: String,
    renewed_by: String,
    expired: bool,
}

struct ExamChoice {
    code: String,
    label: String,
    selected: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "certifications.html")]
struct CertificationsPage {
    nav: Nav,
    signed_in: bool,
    held: Vec<HeldRow>,
    exams: Vec<ExamChoice>,
    earned: String,
    exam_error: String,
    earned_error: String,
    today: String,
}

async fn render(
    state: &AppState,
    session: &AuthSession,
    exam: &str,
    earned: &str,
    errors: (String, String),
) -> Result<CertificationsPage, WebError> {
    let today = OffsetDateTime::now_utc().date();
    let held = match session.user.as_ref() {
        Some(account) => state.engine.certifications(&account.0.id).await?,
        None => Vec::new(),
    };
    let exams = &state.content().exams;
    Ok(CertificationsPage {
        nav: Nav::at("/account"),
        signed_in: session.user.is_some(),
        held: held
            .into_iter()
            .map(|c| HeldRow {
                name: exams
                    .iter()
                    .find(|e| e.code.as_str() == c.exam)
                    .map(|e| e.name.clone())
                    .unwrap_or_default(),
                expired: c.expires <= today.to_string(),
                renewed_by: c.renewed_by.join(", "),
                exam: c.exam,
                earned: c.earned,
                expires: c.expires,
                remind_on: c.remind_on,
            })
            .collect(),
        exams: exams
            .iter()
            .map(|e| ExamChoice {
                code: e.code.to_string(),
                label: format!("{} — {}", e.code, e.short_name),
                selected: e.code.as_str() == exam,
            })
            .collect(),
        earned: earned.to_owned(),
        exam_error: errors.0,
        earned_error: errors.1,
        today: today.to_string(),
    })
}

async fn page(
    State(state): State<AppState>,
    session: AuthSession,
) -> Result<CertificationsPage, WebError> {
    render(&state, &session, "", "", Default::default()).await
}

async fn record(
    State(state): State<AppState>,
    session: AuthSession,
    fields: Fields,
) -> Result<Response, WebError> {
    let Some(account) = session.user.as_ref().map(|u| u.0.clone()) else {
        return Err(WebError::SignInRequired);
    };
    let (exam, earned) = (fields.text("exam"), fields.text("earned"));
    let today = OffsetDateTime::now_utc().date();
    let outcome =
        match time::Date::parse(earned.trim(), format_description!("[year]-[month]-[day]")) {
            Err(_) => Err(EngineError::invalid_field(
                "earned",
                "Give the day it was earned, like 2025-01-15.",
            )),
            Ok(day) => state
                .engine
                .record_certification(&account.id, exam, day, today)
                .await
                .map(|_| ()),
        };
    match outcome {
        Ok(()) => Ok(Redirect::to("/certifications").into_response()),
        Err(EngineError::Invalid { field, message }) => {
            let errors = match field {
                Some("earned") => (String::new(), message),
                _ => (message, String::new()),
            };
            let page = render(&state, &session, exam, earned, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn forget(
    State(state): State<AppState>,
    session: AuthSession,
    Path(exam): Path<String>,
) -> Result<Redirect, WebError> {
    let Some(account) = session.user.as_ref() else {
        return Err(WebError::SignInRequired);
    };
    state
        .engine
        .delete_certification(&account.0.id, &exam)
        .await?;
    Ok(Redirect::to("/certifications"))
}

async fn calendar(
    State(state): State<AppState>,
    session: AuthSession,
) -> Result<Response, WebError> {
    let Some(account) = session.user.as_ref() else {
        return Err(WebError::SignInRequired);
    };
    let held = state.engine.certifications(&account.0.id).await?;
    crate::ics::download(
        "GetMyCert certification renewals",
        "getmycert-renewals.ics",
        &reminders(&held),
    )
}
