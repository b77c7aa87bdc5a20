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

/// Middleware: a 4xx the framework answered by itself (a query string, path or body it could
/// not read, a method the address does not take, a rate limit; plain text or no body) is
/// given the site's own form with its reason: a JSON `error` under `/api/`, the error page
/// elsewhere. The handlers' own answers pass untouched, as do the answer's other headers
/// (`Allow`, `Retry-After`, cookies).
pub async fn explain(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let method = request.method().clone();
    let response = next.run(request).await;
    let status = response.status();
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|t| t.starts_with("text/plain"));
    if !status.is_client_error() || !plain {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    let mut reason = String::from_utf8_lossy(&text).trim().to_owned();
    if reason.is_empty() {
        reason = match status {
            StatusCode::METHOD_NOT_ALLOWED => format!("This address does not take {method}."),
            _ => status
                .canonical_reason()
                .unwrap_or("The request could not be read")
                .to_owned(),
        };
    }
    let mut explained = if api {
        crate::api::ApiError::new(status, reason).into_response()
    } else {
        page(status, "That request could not be read", reason)
    };
    parts.headers.remove(header::CONTENT_TYPE);
    parts.headers.remove(header::CONTENT_LENGTH);
    let headers = explained.headers_mut();
    let mut last = None;
    for (name, value) in parts.headers {
        // `HeaderMap`'s iterator names only the first of repeated values.
        let name = name.or(last.clone());
        if let Some(name) = name {
            headers.append(name.clone(), value);
            last = Some(name);
        }
    }
    explained
}

/// A request body the server could not read (not UTF-8, too large): a page with the reason.
pub(crate) fn unreadable(status: StatusCode, reason: String) -> Response {
    page(status, "The form could not be read", reason)
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
