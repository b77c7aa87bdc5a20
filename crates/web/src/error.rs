//! One error type at the HTTP boundary: it renders a page with safe text and the right status;
//! internal causes are logged, never shown.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::views::Nav;

/// Errors a page handler can return.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("not found")]
    NotFound,
    #[error("sign in required")]
    SignInRequired,
    #[error("forbidden")]
    Forbidden,
    #[error("internal error: {0}")]
    Internal(String),
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    nav: Nav,
    status: u16,
    title: &'static str,
    message: &'static str,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, title, message) = match &self {
            WebError::NotFound => (
                StatusCode::NOT_FOUND,
                "Page not found",
                "There is nothing at this address. The exam list and the certification path are good places to start.",
            ),
            WebError::SignInRequired => (
                StatusCode::UNAUTHORIZED,
                "Sign in to continue",
                "This page is for signed-in accounts. Sign in from the Account page and come back.",
            ),
            WebError::Forbidden => (
                StatusCode::FORBIDDEN,
                "Not for this account",
                "This page is for authors or administrators. Your account does not have that role.",
            ),
            WebError::Internal(cause) => {
                tracing::error!(%cause, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong",
                    "The server could not answer this request. Nothing you entered was lost; please try again in a moment.",
                )
            }
        };
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
}

/// Not-found for any unmatched path.
pub async fn not_found() -> WebError {
    WebError::NotFound
}
