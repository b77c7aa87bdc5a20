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

use getmycert_engine::reports::ReportRow;
use getmycert_engine::{Account, EngineError};

use crate::auth::{AuthSession, end_session, renew_session, start_session};
use crate::form::Fields;
use crate::identity::{ClientIp, Guest, Identity};
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
    reports: Vec<ReportRow>,
}

impl AccountPage {
    fn error(&self, field: &str) -> &str {
        self.errors.get(field).map_or("", String::as_str)
    }
}

fn render(account: Option<&Account>, email: &str, notice: &str) -> AccountPage {
    AccountPage {
        nav: Nav::at("/account"),
        user: account.map(|a| (a.email.clone(), a.role.to_string())),
        email: email.to_owned(),
        errors: BTreeMap::new(),
        notice: notice.to_owned(),
        reports: Vec::new(),
    }
}

/// A failed form: back with the message at its field (422), or at `default_field` for wrong
/// credentials (401), a taken email (409) and throttling (429 with `Retry-After`). Anything
/// else takes the error path.
fn failed(
    e: EngineError,
    account: Option<&Account>,
    email: &str,
    default_field: &'static str,
) -> Result<Response, WebError> {
    let (status, field) = match &e {
        EngineError::Invalid { field, .. } => (
            StatusCode::UNPROCESSABLE_ENTITY,
            field.unwrap_or(default_field),
        ),
        EngineError::Conflict(_) => (StatusCode::UNPROCESSABLE_ENTITY, default_field),
        EngineError::WrongCredentials => (StatusCode::UNPROCESSABLE_ENTITY, default_field),
        EngineError::Throttled(_) => (StatusCode::TOO_MANY_REQUESTS, default_field),
        _ => return Err(e.into()),
    };
    let mut page = render(account, email, "");
    page.errors.insert(field, e.to_string());
    let mut response = (status, page).into_response();
    if let EngineError::Throttled(seconds) = e {
        crate::error::retry_after(&mut response, seconds);
    }
    Ok(response)
}

fn signed_in(session: &AuthSession) -> Option<Account> {
    session.user.as_ref().map(|u| u.0.clone())
}

async fn page(
    State(state): State<AppState>,
    session: AuthSession,
    Identity(me): Identity,
) -> Result<AccountPage, WebError> {
    let mut page = render(signed_in(&session).as_ref(), "", "");
    page.reports = state.engine.reports_by(&me).await?;
    Ok(page)
}

async fn sign_up(
    State(state): State<AppState>,
    mut session: AuthSession,
    guest: Guest,
    ip: ClientIp,
    fields: Fields,
) -> Result<Response, WebError> {
    let email = fields.text("email");
    match state
        .engine
        .register(email, fields.text("password"), &ip.0)
        .await
    {
        Ok(account) => {
            start_session(&state, &mut session, &guest, account).await?;
            Ok(Redirect::to("/account").into_response())
        }
        Err(e) => failed(e, None, email, "email"),
    }
}

async fn sign_in(
    State(state): State<AppState>,
    mut session: AuthSession,
    guest: Guest,
    ip: ClientIp,
    fields: Fields,
) -> Result<Response, WebError> {
    let email = fields.text("email");
    match state
        .engine
        .sign_in(email, fields.text("password"), &ip.0)
        .await
    {
        Ok(account) => {
            start_session(&state, &mut session, &guest, account).await?;
            Ok(Redirect::to("/practice").into_response())
        }
        Err(e) => failed(e, None, email, "signin"),
    }
}

async fn sign_out(mut session: AuthSession) -> Result<Redirect, WebError> {
    end_session(&mut session).await?;
    Ok(Redirect::to("/account"))
}

async fn change_password(
    State(state): State<AppState>,
    mut session: AuthSession,
    fields: Fields,
) -> Result<Response, WebError> {
    let Some(account) = signed_in(&session) else {
        return Ok(Redirect::to("/account").into_response());
    };
    match state
        .engine
        .change_password(&account, fields.text("current"), fields.text("password"))
        .await
    {
        Ok(changed) => {
            // This session continues under a new id with the new key; the others end.
            let user = renew_session(&mut session, changed).await?;
            Ok(render(
                Some(&user.0),
                "",
                "Your password is changed; other sessions are signed out.",
            )
            .into_response())
        }
        Err(e) => failed(e, Some(&account), "", "password"),
    }
}

async fn export(State(state): State<AppState>, session: AuthSession) -> Result<Response, WebError> {
    let Some(account) = signed_in(&session) else {
        return Ok(Redirect::to("/account").into_response());
    };
    let data = state.engine.export_account(&account).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"getmycert-export.json\"",
            ),
        ],
        serde_json::to_string_pretty(&data).map_err(EngineError::from)?,
    )
        .into_response())
}

async fn delete(
    State(state): State<AppState>,
    mut session: AuthSession,
    fields: Fields,
) -> Result<Response, WebError> {
    let Some(account) = signed_in(&session) else {
        return Ok(Redirect::to("/account").into_response());
    };
    match state
        .engine
        .delete_account(&account, fields.text("confirm_password"))
        .await
    {
        Ok(()) => {
            end_session(&mut session).await?;
            Ok(render(None, "", "Your account and everything of it are deleted.").into_response())
        }
        Err(e) => failed(e, Some(&account), "", "confirm_password"),
    }
}
