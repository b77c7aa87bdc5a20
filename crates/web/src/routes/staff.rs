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

use getmycert_core::QuestionId;
use getmycert_store::{ReportRow, StoreError};

use crate::auth::roles::{Admin, Author};
use crate::identity::Identity;
use crate::views::Nav;
use crate::{AppState, WebError};

/// Longest report accepted.
pub const MAX_REPORT: usize = 2000;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/questions/{id}/report", post(report))
        .route("/author/reports", get(queue))
        .route("/author/reports/{id}", post(resolve))
        .route("/admin/users", get(users))
        .route("/admin/users/role", post(set_role))
}

fn fields(body: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(body.as_bytes())
        .into_owned()
        .collect()
}

fn field<'a>(f: &'a [(String, String)], name: &str) -> &'a str {
    f.iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

fn internal(e: StoreError) -> WebError {
    WebError::Internal(e.to_string())
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
    Path(raw): Path<String>,
    body: String,
) -> Result<Response, WebError> {
    let id = QuestionId::parse(&raw).map_err(|_| WebError::NotFound)?;
    let current = match state.store.question(&id).await {
        Ok(stored) => stored.hash,
        Err(StoreError::NotFound) => return Err(WebError::NotFound),
        Err(e) => return Err(internal(e)),
    };
    let f = fields(&body);
    let text = field(&f, "body").trim().to_owned();
    let revision = match field(&f, "revision") {
        "" => current,
        given => match state.store.question_revision(&id, given).await {
            Ok(_) => given.to_owned(),
            Err(_) => current,
        },
    };
    let error = if text.chars().count() < 10 {
        "Say what is wrong in at least 10 characters, e.g. which option and why.".to_owned()
    } else if text.chars().count() > MAX_REPORT {
        format!("Keep the report under {MAX_REPORT} characters.")
    } else {
        String::new()
    };
    if !error.is_empty() {
        let page = Reported {
            nav: Nav::at("/questions"),
            id: id.to_string(),
            error,
            body: text,
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let row = ReportRow {
        id: format!("r-{}", uuid::Uuid::new_v4().simple()),
        question_id: id.to_string(),
        revision,
        reporter,
        body: text,
        created_at: OffsetDateTime::now_utc(),
        status: "open".into(),
        resolution: String::new(),
        resolved_at: None,
    };
    state.store.create_report(&row).await.map_err(internal)?;
    Ok(Reported {
        nav: Nav::at("/questions"),
        id: id.to_string(),
        error: String::new(),
        body: String::new(),
    }
    .into_response())
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
    let open = state
        .store
        .reports_with_status("open")
        .await
        .map_err(internal)?;
    let mut closed = state
        .store
        .reports_with_status("accepted")
        .await
        .map_err(internal)?;
    closed.extend(
        state
            .store
            .reports_with_status("rejected")
            .await
            .map_err(internal)?,
    );
    closed.sort_by_key(|r| std::cmp::Reverse(r.resolved_at));
    closed.truncate(50);
    Ok(Queue {
        nav: Nav::none(),
        open,
        closed,
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
    body: String,
) -> Result<Response, WebError> {
    let f = fields(&body);
    let status = field(&f, "status");
    let note = field(&f, "note").trim();
    let error = if !["accepted", "rejected"].contains(&status) {
        "Choose accepted or rejected.".to_owned()
    } else if note.chars().count() < 3 || note.chars().count() > MAX_REPORT {
        format!("Write a note for the reporter (3 to {MAX_REPORT} characters).")
    } else {
        String::new()
    };
    if !error.is_empty() {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            queue_page(&state, error).await?,
        )
            .into_response());
    }
    if !state
        .store
        .resolve_report(&id, status, note, OffsetDateTime::now_utc())
        .await
        .map_err(internal)?
    {
        return Err(WebError::NotFound);
    }
    Ok(Redirect::to("/author/reports").into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_users.html")]
struct Users {
    nav: Nav,
    users: Vec<(String, String)>,
    error: String,
}

async fn users(State(state): State<AppState>, _admin: Admin) -> Result<Users, WebError> {
    let users = state
        .store
        .users()
        .await
        .map_err(internal)?
        .into_iter()
        .map(|u| (u.email, u.role))
        .collect();
    Ok(Users {
        nav: Nav::none(),
        users,
        error: String::new(),
    })
}

async fn set_role(
    State(state): State<AppState>,
    Admin(admin): Admin,
    body: String,
) -> Result<Response, WebError> {
    let f = fields(&body);
    let role = field(&f, "role");
    let email = field(&f, "email");
    let target = state.store.user_by_email(email).await;
    let error = match (&target, role) {
        (_, r) if !["learner", "author", "admin"].contains(&r) => {
            "Choose learner, author or admin.".to_owned()
        }
        (Err(_), _) => format!("There is no account {email}."),
        (Ok(u), r) if u.id == admin.id && r != "admin" => {
            "You cannot remove your own admin role.".to_owned()
        }
        _ => String::new(),
    };
    if let (Ok(user), true) = (&target, error.is_empty()) {
        state
            .store
            .set_role(&user.id, role)
            .await
            .map_err(internal)?;
        return Ok(Redirect::to("/admin/users").into_response());
    }
    let users = state
        .store
        .users()
        .await
        .map_err(internal)?
        .into_iter()
        .map(|u| (u.email, u.role))
        .collect();
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        Users {
            nav: Nav::none(),
            users,
            error,
        },
    )
        .into_response())
}
