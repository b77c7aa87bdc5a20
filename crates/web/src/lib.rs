//! The web layer: an axum router serving server-rendered pages (askama), the JSON API, health
//! and metrics. Only this crate knows HTTP: a handler extracts, calls the engine, renders.
#![forbid(unsafe_code)]

pub mod api;
pub mod auth;
mod charts;
pub mod client;
mod error;
pub mod form;
mod ics;
pub mod identity;
mod metrics;
mod routes;
mod security;
mod state;
mod views;

use std::future::Future;

use axum::Router;
use tokio::net::TcpListener;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

pub use error::WebError;
pub use state::AppState;

/// The whole application: every route with its middleware.
pub fn app(state: AppState) -> Router {
    let sessions = tower_sessions::SessionManagerLayer::new(auth::sessions::StoreSessions(
        state.engine.clone(),
    ))
    .with_name("gmc_session")
    .with_http_only(true)
    .with_same_site(tower_sessions::cookie::SameSite::Lax)
    .with_secure(state.https)
    .with_expiry(tower_sessions::Expiry::OnInactivity(time::Duration::days(
        30,
    )));
    let auth = axum_login::AuthManagerLayerBuilder::new(
        auth::Backend {
            engine: state.engine.clone(),
        },
        sessions,
    )
    .build();
    // Routes, with the matched route recorded for the metrics. The middleware every request
    // passes wraps the router once, outside it: layered onto the router, it would be wrapped
    // around each route and cloned, layer by layer, on every request (a fifth of a request's
    // CPU, measured with callgrind).
    let routes = routes::router()
        .merge(api::router())
        .route_layer(axum::middleware::from_fn(metrics::matched_route))
        .with_state(state.clone());
    let stack = tower::ServiceBuilder::new()
        // Every request gets an id (a proxy's `x-request-id` is kept), returned in the response
        // and named in every log line of the request; a 5xx is logged once, with its cause, by
        // the error conversions (not again here).
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &axum::http::Request<_>| {
                    let id = request
                        .headers()
                        .get("x-request-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("");
                    tracing::info_span!(
                        "request",
                        method = %request.method(),
                        uri = %request.uri().path(),
                        request_id = %id,
                    )
                })
                .on_failure(()),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(axum::middleware::from_fn(metrics::track))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::headers,
        ))
        .layer(axum::middleware::from_fn(error::explain))
        .layer(tower_http::csrf::CsrfLayer::new())
        .layer(auth)
        .layer(axum::middleware::from_fn_with_state(
            state,
            identity::identify,
        ))
        .service(routes);
    Router::new().fallback_service(stack)
}

/// Serves the app on an already bound listener until `shutdown` resolves, then lets
/// in-flight requests finish.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
