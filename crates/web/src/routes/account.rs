//! `/account`: sign in or up when signed out; when signed in, change the password, export the
//! data, delete the account, sign out. Plain forms; errors come back at their field.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use crate::auth::accounts::{self, AccountError};
use crate::auth::{AuthSession, User};
use crate::identity::{ClientIp, Guest};
use crate::views::Nav;
use crate::{AppState, WebError};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/account", get(page))
        .route("/account/signup", post(sign_up))
        .route("/account/signin", post(sign_in))
        .route("/account/signout", post(sign_out))
        .route("/account/password", post(change_password))
        .route("/account/export", get(export))
        .route("/account/delete", post(delete))
}

#[derive(Template, WebTemplate)]
#[template(path = "account.html")]
struct AccountPage {
    nav: Nav,
    user: Option<(String, String)>,
    email: String,
    errors: BTreeMap<&'static str, String>,
    notice: String,
    /// The reporter's question reports with the authors' answers.
    reports: Vec<getmycert_store::ReportRow>,
}

impl AccountPage {
    fn error(&self, field: &str) -> &str {
        self.errors.get(field).map_or("", String::as_str)
    }
}

fn render(
    user: Option<&User>,
    email: &str,
    errors: BTreeMap<&'static str, String>,
    notice: &str,
) -> AccountPage {
    AccountPage {
        nav: Nav::at("/account"),
        user: user.map(|u| (u.email.clone(), u.role.clone())),
        email: email.to_owned(),
        errors,
        notice: notice.to_owned(),
        reports: Vec::new(),
    }
}

fn fields(body: &str) -> BTreeMap<String, String> {
    form_urlencoded::parse(body.as_bytes())
        .into_owned()
        .collect()
}

fn field<'a>(f: &'a BTreeMap<String, String>, name: &str) -> &'a str {
    f.get(name).map_or("", String::as_str)
}

/// A failed form: back with the message at its field (422), or an internal error.
fn failed(
    e: AccountError,
    user: Option<&User>,
    email: &str,
    default_field: &'static str,
) -> Result<Response, WebError> {
    let (field, message) = match e {
        AccountError::Invalid(field, message) => (field, message),
        AccountError::Throttled(wait) => {
            let page = render(
                user,
                email,
                BTreeMap::from([(default_field, e.to_string())]),
                "",
            );
            let mut response = (StatusCode::TOO_MANY_REQUESTS, page).into_response();
            if let Ok(value) = axum::http::HeaderValue::from_str(&wait.max(1).to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            return Ok(response);
        }
        AccountError::Taken | AccountError::WrongCredentials => (default_field, e.to_string()),
        AccountError::Internal(cause) => return Err(WebError::Internal(cause)),
    };
    let page = render(user, email, BTreeMap::from([(field, message)]), "");
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

async fn page(
    State(state): State<AppState>,
    session: AuthSession,
    crate::identity::Identity(me): crate::identity::Identity,
) -> Result<AccountPage, WebError> {
    let mut page = render(session.user.as_ref(), "", BTreeMap::new(), "");
    page.reports = state
        .store
        .reports_by(&me)
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(page)
}

async fn sign_up(
    State(state): State<AppState>,
    mut session: AuthSession,
    guest: Guest,
    ip: ClientIp,
    body: String,
) -> Result<Response, WebError> {
    let f = fields(&body);
    match accounts::sign_up(
        &state,
        &mut session,
        &guest,
        &ip,
        field(&f, "email"),
        field(&f, "password"),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to("/account").into_response()),
        Err(e) => failed(e, None, field(&f, "email"), "email"),
    }
}

async fn sign_in(
    State(state): State<AppState>,
    mut session: AuthSession,
    guest: Guest,
    ip: ClientIp,
    body: String,
) -> Result<Response, WebError> {
    let f = fields(&body);
    match accounts::sign_in(
        &state,
        &mut session,
        &guest,
        &ip,
        field(&f, "email"),
        field(&f, "password"),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to("/practice").into_response()),
        Err(e) => failed(e, None, field(&f, "email"), "signin"),
    }
}

async fn sign_out(mut session: AuthSession) -> Result<Redirect, WebError> {
    session
        .logout()
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(Redirect::to("/account"))
}

async fn change_password(
    State(state): State<AppState>,
    mut session: AuthSession,
    body: String,
) -> Result<Response, WebError> {
    let Some(user) = session.user.clone() else {
        return Ok(Redirect::to("/account").into_response());
    };
    let f = fields(&body);
    match accounts::change_password(
        &state,
        &mut session,
        &user,
        field(&f, "current"),
        field(&f, "password"),
    )
    .await
    {
        Ok(()) => Ok(render(
            Some(&user),
            "",
            BTreeMap::new(),
            "Your password is changed; other sessions are signed out.",
        )
        .into_response()),
        Err(e) => failed(e, Some(&user), "", "password"),
    }
}

async fn export(State(state): State<AppState>, session: AuthSession) -> Result<Response, WebError> {
    let Some(user) = session.user.as_ref() else {
        return Ok(Redirect::to("/account").into_response());
    };
    let data = accounts::export(&state, user)
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"getmycert-export.json\"",
            ),
        ],
        serde_json::to_string_pretty(&data).unwrap_or_default(),
    )
        .into_response())
}

async fn delete(
    State(state): State<AppState>,
    mut session: AuthSession,
    body: String,
) -> Result<Response, WebError> {
    let Some(user) = session.user.clone() else {
        return Ok(Redirect::to("/account").into_response());
    };
    let f = fields(&body);
    match accounts::delete(&state, &mut session, &user, field(&f, "confirm_password")).await {
        Ok(()) => Ok(render(
            None,
            "",
            BTreeMap::new(),
            "Your account and everything of it are deleted.",
        )
        .into_response()),
        Err(e) => failed(e, Some(&user), "", "confirm_password"),
    }
}
