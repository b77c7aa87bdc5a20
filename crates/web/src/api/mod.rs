//! The JSON API under `/api/v1`: the same engine as the pages. Errors are `{"error": …}` with
//! the status that says what happened; internal causes are logged, never returned.

mod attempts;
mod auth;
mod certifications;
mod readiness;
mod review;

pub use attempts::{SaveBody, parse_response};

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use serde::Serialize;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use getmycert_engine::EngineError;

use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "GetMyCert API",
        description = "Attempts (exam simulations, practice sets, missed questions): start, read items without keys, answer, submit and read the report. The session cookie or guest identity cookie identifies the caller."
    ),
    tags((name = "attempts", description = "Sittings and their reports"), (name = "accounts", description = "Sign up, sign in, sign out"), (name = "review", description = "Spaced repetition (the queue of due questions, the desired retention) and readiness"))
)]
struct ApiDoc;

/// The error body of every 4xx and 5xx answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What went wrong, safe to show.
    pub error: String,
}

/// Writes one identity may make: a burst of this many…
pub const WRITE_BURST: u32 = 120;
/// …then one more every this many milliseconds (10 a second).
pub const WRITE_EVERY_MS: u64 = 100;

/// Rate limits API writes per identity (account or guest), as set by the identity middleware.
#[derive(Debug, Clone, Copy)]
struct ByIdentity;

impl tower_governor::key_extractor::KeyExtractor for ByIdentity {
    type Key = String;

    fn extract<T>(
        &self,
        req: &axum::http::Request<T>,
    ) -> Result<String, tower_governor::GovernorError> {
        req.extensions()
            .get::<crate::identity::Identity>()
            .map(|i| i.0.clone())
            .ok_or(tower_governor::GovernorError::UnableToExtractKey)
    }
}

/// Every `/api/v1` route with its OpenAPI description. Each handler names its whole path: a
/// router nested under `/api/v1` would strip the prefix off every request's URI and route it
/// a second time (a tenth of a save's CPU, measured with callgrind).
fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(attempts::router())
        .merge(auth::router())
        .merge(certifications::router())
        .merge(review::router())
        .merge(readiness::router())
}

/// Adds the answers any operation may give, once rather than on every handler: 503 with
/// `Retry-After` while the database is out of reach, and on writes 429 with `Retry-After`
/// past the per-identity limit.
fn with_shared_answers(mut document: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    use utoipa::openapi::{
        ContentBuilder, HeaderBuilder, ObjectBuilder, Ref, ResponseBuilder, Type,
    };
    let answer = |description: &str| {
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                    .build(),
            )
            .header(
                "Retry-After",
                HeaderBuilder::new()
                    .schema(Some(ObjectBuilder::new().schema_type(Type::Integer)))
                    .description(Some("Seconds to wait before sending the request again"))
                    .build(),
            )
            .build()
    };
    let unavailable = answer(
        "The database is out of reach for a moment; nothing was stored. Repeating the request \
         after Retry-After is safe.",
    );
    let throttled = answer(&format!(
        "More than {WRITE_BURST} writes at once, or more than one every {WRITE_EVERY_MS} ms, \
         from this identity; nothing was stored."
    ));
    for item in document.paths.paths.values_mut() {
        let operations = [
            (&mut item.get, false),
            (&mut item.put, true),
            (&mut item.post, true),
            (&mut item.delete, true),
            (&mut item.patch, true),
        ];
        for (operation, write) in operations {
            let Some(operation) = operation else {
                continue;
            };
            let responses = &mut operation.responses.responses;
            responses
                .entry("503".into())
                .or_insert_with(|| unavailable.clone().into());
            if write {
                responses
                    .entry("429".into())
                    .or_insert_with(|| throttled.clone().into());
            }
        }
    }
    document
}

/// The `/api/v1` routes and `/api/v1/openapi.json`, generated from the handlers' annotations.
pub(crate) fn router() -> Router<AppState> {
    let (router, openapi) = routes().split_for_parts();
    let openapi = with_shared_answers(openapi);
    let limits = tower_governor::governor::GovernorConfigBuilder::default()
        .per_millisecond(WRITE_EVERY_MS)
        .burst_size(WRITE_BURST)
        .methods(vec![
            axum::http::Method::POST,
            axum::http::Method::PUT,
            axum::http::Method::DELETE,
        ])
        .key_extractor(ByIdentity)
        .finish()
        .expect("static, non-zero rate limits");
    // Apps are built inside the runtime that serves them (start-up, the tests); outside one
    // there is nothing to run the task on.
    let _ = forget_quiet_writers(Arc::downgrade(limits.limiter()), FORGET_EVERY, |limiter| {
        limiter.retain_recent();
        limiter.shrink_to_fit();
    });
    let router = router.layer(tower_governor::GovernorLayer::new(limits));
    let document = Arc::new(openapi);
    router
        .route(
            "/api/v1/openapi.json",
            get(move || {
                let document = document.clone();
                async move { Json(document.as_ref().clone()) }
            }),
        )
        .route("/api/v1", any(no_such_route))
        .route("/api/v1/", any(no_such_route))
        .route("/api/v1/{*rest}", any(no_such_route))
}

/// How often the rate limiter forgets the identities it no longer holds back.
const FORGET_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// The rate limiter keeps a state for every identity that ever wrote, each guest's included,
/// until told to drop those whose allowance has refilled: without this it grew with every
/// guest for the life of the process. Runs `forget` every `period` until the app is dropped.
fn forget_quiet_writers<L: Send + Sync + 'static>(
    limiter: std::sync::Weak<L>,
    period: std::time::Duration,
    forget: fn(&L),
) -> Option<tokio::task::JoinHandle<()>> {
    let runtime = tokio::runtime::Handle::try_current().ok()?;
    Some(runtime.spawn(async move {
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let Some(limiter) = limiter.upgrade() else {
                return;
            };
            forget(&limiter);
        }
    }))
}

/// An address under `/api/v1` that names no route: a JSON 404, as API clients expect.
async fn no_such_route() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "no such API route: see /api/v1/openapi.json",
    )
}

/// The whole OpenAPI document (for snapshots and tooling).
pub fn openapi() -> utoipa::openapi::OpenApi {
    with_shared_answers(routes().split_for_parts().1)
}

/// A JSON body, or a 422 that says what is wrong with it.
pub(super) fn body<T>(
    payload: Result<Json<T>, axum::extract::rejection::JsonRejection>,
) -> Result<T, ApiError> {
    payload.map(|Json(v)| v).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("the request body is not valid: {}", e.body_text()),
        )
    })
}

/// An API error: a status, a message safe to show, and how long to wait before retrying.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
    retry_after: Option<i64>,
}

impl ApiError {
    /// An error with this status and message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            retry_after: None,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            Json(ErrorBody {
                error: self.message,
            }),
        )
            .into_response();
        if let Some(seconds) = self.retry_after {
            crate::error::retry_after(&mut response, seconds);
        }
        response
    }
}

impl From<crate::WebError> for ApiError {
    fn from(e: crate::WebError) -> Self {
        match e {
            crate::WebError::Engine(e) => e.into(),
            crate::WebError::SignInRequired => Self::new(StatusCode::UNAUTHORIZED, "not signed in"),
            crate::WebError::Forbidden => {
                Self::new(StatusCode::FORBIDDEN, "not allowed for this account")
            }
        }
    }
}

/// What a request that found the database out of reach is told (503).
const UNAVAILABLE: &str =
    "the database is unavailable for a moment; retry in a few seconds (repeating a save is safe)";
/// The `Retry-After` of a 503, in seconds.
pub(crate) const RETRY_AFTER_SECONDS: i64 = 5;

/// The one conversion of engine errors for the API: invalid → 422, conflict → 409, not found
/// → 404, wrong credentials → 401, throttled → 429 with `Retry-After`, the database out of
/// reach → 503 with `Retry-After`, internal → 500; the cause of a 5xx is logged here and never
/// returned.
impl From<EngineError> for ApiError {
    fn from(e: EngineError) -> Self {
        let status = match &e {
            EngineError::NotFound => StatusCode::NOT_FOUND,
            EngineError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            EngineError::Conflict(_) => StatusCode::CONFLICT,
            EngineError::WrongCredentials => StatusCode::UNAUTHORIZED,
            EngineError::Throttled(seconds) => {
                return Self {
                    status: StatusCode::TOO_MANY_REQUESTS,
                    message: e.to_string(),
                    retry_after: Some(*seconds),
                };
            }
            _ if e.is_unavailable() => {
                tracing::error!(cause = %e, "database unavailable");
                return Self {
                    status: StatusCode::SERVICE_UNAVAILABLE,
                    message: UNAVAILABLE.into(),
                    retry_after: Some(RETRY_AFTER_SECONDS),
                };
            }
            EngineError::Store(_) | EngineError::Internal(_) => {
                tracing::error!(cause = %e, "request failed");
                return Self::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "the server could not complete the request",
                );
            }
        };
        let message = match e {
            EngineError::NotFound => "no such attempt, item or exam".to_owned(),
            other => other.to_string(),
        };
        Self::new(status, message)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    /// The limiter is told to forget its quiet identities, again and again, and the task ends
    /// with the app.
    #[tokio::test]
    async fn quiet_writers_are_forgotten_until_the_app_is_gone() {
        let limiter = Arc::new(AtomicUsize::new(0));
        let task = forget_quiet_writers(Arc::downgrade(&limiter), Duration::from_millis(5), |l| {
            l.fetch_add(1, Ordering::SeqCst);
        })
        .expect("inside a runtime");
        for _ in 0..400 {
            if limiter.load(Ordering::SeqCst) >= 2 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        assert!(limiter.load(Ordering::SeqCst) >= 2, "forgotten twice");
        drop(limiter);
        tokio::time::timeout(Duration::from_secs(5), task)
            .await
            .expect("the task ends once the limiter is dropped")
            .expect("and does not panic");
    }
}
