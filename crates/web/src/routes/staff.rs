//! Question reports and the pages for authors and administrators: anyone can report a problem
//! with a question; authors close reports as accepted or rejected with a note the reporter reads;
//! administrators set roles. Access is decided by the `Author` and `Admin` extractors.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use time::OffsetDateTime;

use getmycert_engine::EngineError;
use getmycert_engine::reports::ReportRow;

use crate::auth::roles::{Admin, Author};
use crate::form::Fields;
use crate::identity::Identity;
use crate::views::Nav;
use crate::{AppState, WebError};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/questions/{id}/report", post(report))
        .route("/author/reports", get(queue))
        .route("/author/reports/{id}", post(resolve))
        .route("/admin/users", get(users))
        .route("/admin/users/role", post(set_role))
}

#[derive(Template, WebTemplate)]
#[template(path = "reported.html")]
struct Reported {
    nav: Nav,
    id: String,
    error: String,
    body: String,
}

/// Stores a report against the revision the reporter saw (the current one when not given).
async fn report(
    State(state): State<AppState>,
    Identity(reporter): Identity,
    Path(id): Path<String>,
    fields: Fields,
) -> Result<Response, WebError> {
    let body = fields.text("body").trim();
    let revision = fields.get("revision");
    let done = state
        .engine
        .report_question(&reporter, &id, revision, body, OffsetDateTime::now_utc())
        .await;
    let (status, error, body) = match done {
        Ok(()) => (StatusCode::OK, String::new(), String::new()),
        Err(EngineError::Invalid { message, .. }) => {
            (StatusCode::UNPROCESSABLE_ENTITY, message, body.to_owned())
        }
        Err(e) => return Err(e.into()),
    };
    let page = Reported {
        nav: Nav::at("/questions"),
        id,
        error,
        body,
    };
    Ok((status, page).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "author_reports.html")]
struct Queue {
    nav: Nav,
    open: Vec<ReportRow>,
    closed: Vec<ReportRow>,
    error: String,
}

async fn queue_page(state: &AppState, error: String) -> Result<Queue, WebError> {
    let queue = state.engine.report_queue().await?;
    Ok(Queue {
        nav: Nav::none(),
        open: queue.open,
        closed: queue.closed,
        error,
    })
}

async fn queue(State(state): State<AppState>, _author: Author) -> Result<Queue, WebError> {
    queue_page(&state, String::new()).await
}

async fn resolve(
    State(state): State<AppState>,
    _author: Author,
    Path(id): Path<String>,
    fields: Fields,
) -> Result<Response, WebError> {
    match state
        .engine
        .resolve_report(
            &id,
            fields.text("status"),
            fields.text("note"),
            OffsetDateTime::now_utc(),
        )
        .await
    {
        Ok(()) => Ok(Redirect::to("/author/reports").into_response()),
        Err(EngineError::Invalid { message, .. }) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            queue_page(&state, message).await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_users.html")]
struct Users {
    nav: Nav,
    users: Vec<(String, String)>,
    error: String,
}

async fn users_page(state: &AppState, error: String) -> Result<Users, WebError> {
    Ok(Users {
        nav: Nav::none(),
        users: state
            .engine
            .accounts()
            .await?
            .into_iter()
            .map(|a| (a.email, a.role.to_string()))
            .collect(),
        error,
    })
}

async fn users(State(state): State<AppState>, _admin: Admin) -> Result<Users, WebError> {
    users_page(&state, String::new()).await
}

async fn set_role(
    State(state): State<AppState>,
    Admin(admin): Admin,
    fields: Fields,
) -> Result<Response, WebError> {
    match state
        .engine
        .assign_role(&admin, fields.text("email"), fields.text("role"))
        .await
    {
        Ok(_) => Ok(Redirect::to("/admin/users").into_response()),
        Err(EngineError::Invalid { message, .. }) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            users_page(&state, message).await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}
