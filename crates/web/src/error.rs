//! The one error path of pages: every failure renders a page with safe text and the status
//! that says what happened (invalid → 422, conflict → 409, not found → 404, internal → 500);
//! internal causes are logged once, here, and never shown. The API has its twin in
//! `api/mod.rs`.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use getmycert_engine::EngineError;

use crate::views::Nav;

/// Errors a page handler can return.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("sign in required")]
    SignInRequired,
    #[error("forbidden")]
    Forbidden,
    #[error(transparent)]
    Engine(#[from] EngineError),
}

impl WebError {
    /// Not found, for paths that name nothing.
    pub fn not_found() -> Self {
        WebError::Engine(EngineError::NotFound)
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    nav: Nav,
    status: u16,
    title: &'static str,
    message: String,
}

const NOT_FOUND: &str = "There is nothing at this address. The exam list and the certification path are good places to start.";
const INTERNAL: &str = "The server could not answer this request. Nothing you entered was lost; please try again in a moment.";

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, title, message) = match self {
            WebError::SignInRequired => (
                StatusCode::UNAUTHORIZED,
                "Sign in to continue",
                "This page is for signed-in accounts. Sign in from the Account page and come back."
                    .to_owned(),
            ),
            WebError::Forbidden => (
                StatusCode::FORBIDDEN,
                "Not for this account",
                "This page is for authors or administrators. Your account does not have that role."
                    .to_owned(),
            ),
            WebError::Engine(e) => match e {
                EngineError::NotFound => (
                    StatusCode::NOT_FOUND,
                    "Page not found",
                    NOT_FOUND.to_owned(),
                ),
                EngineError::Invalid { message, .. } => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "That cannot be done",
                    message,
                ),
                EngineError::Conflict(message) => {
                    (StatusCode::CONFLICT, "That cannot be done now", message)
                }
                EngineError::WrongCredentials => (
                    StatusCode::UNAUTHORIZED,
                    "Sign in to continue",
                    e.to_string(),
                ),
                EngineError::Throttled(seconds) => {
                    let mut response = page(
                        StatusCode::TOO_MANY_REQUESTS,
                        "Too many attempts",
                        e.to_string(),
                    );
                    retry_after(&mut response, seconds);
                    return response;
                }
                _ if e.is_unavailable() => {
                    tracing::error!(cause = %e, "database unavailable");
                    let mut response = page(
                        StatusCode::SERVICE_UNAVAILABLE,
                        "Back in a moment",
                        "The site cannot reach its database for a moment. Try again in a few \
                         seconds: sending the same answer again is safe."
                            .to_owned(),
                    );
                    retry_after(&mut response, crate::api::RETRY_AFTER_SECONDS);
                    return response;
                }
                EngineError::Store(_) | EngineError::Internal(_) => {
                    tracing::error!(cause = %e, "request failed");
                    (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "Something went wrong",
                        INTERNAL.to_owned(),
                    )
                }
            },
        };
        page(status, title, message)
    }
}

fn page(status: StatusCode, title: &'static str, message: String) -> Response {
    let page = ErrorPage {
        nav: Nav::none(),
        status: status.as_u16(),
        title,
        message,
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, title).into_response(),
    }
}

/// Adds `Retry-After: seconds` to a throttled answer.
pub(crate) fn retry_after(response: &mut Response, seconds: i64) {
    if let Ok(value) = HeaderValue::from_str(&seconds.max(1).to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
}

/// Not-found for any unmatched path.
pub async fn not_found() -> WebError {
    WebError::not_found()
}
