//! What every handler can reach: the engine (over the store and the validated content) and the
//! metrics handle.

use std::ops::Deref;
use std::sync::Arc;

use getmycert_content::Content;
use getmycert_engine::Engine;
use metrics_exporter_prometheus::PrometheusHandle;

use crate::client::TrustedProxies;

/// Shared application state. One reference count to clone: the router clones the state into
/// its middleware on every request, so a clone must not cost a count per field.
#[derive(Debug, Clone)]
pub struct AppState(Arc<State>);

/// The fields of [`AppState`].
#[derive(Debug, Clone)]
pub struct State {
    pub engine: Engine,
    pub(crate) metrics: PrometheusHandle,
    /// The site is served over https (behind a TLS-terminating proxy): cookies get `Secure`
    /// and responses get HSTS.
    pub https: bool,
    /// The reverse proxies whose `X-Forwarded-For` names the client (see `client.rs`).
    pub trusted_proxies: TrustedProxies,
}

impl Deref for AppState {
    type Target = State;

    fn deref(&self) -> &State {
        &self.0
    }
}

impl AppState {
    /// State over an engine.
    pub fn new(engine: Engine) -> Self {
        Self(Arc::new(State {
            engine,
            metrics: crate::metrics::handle(),
            https: false,
            trusted_proxies: TrustedProxies::default(),
        }))
    }

    /// The catalog, guides and bank being served.
    pub fn content(&self) -> &Content {
        self.engine.content()
    }

    /// Believes `X-Forwarded-For` from these proxies.
    pub fn behind(self, trusted_proxies: TrustedProxies) -> Self {
        Self(Arc::new(State {
            trusted_proxies,
            ..(*self.0).clone()
        }))
    }

    /// Marks the site as served over https.
    pub fn served_over_https(self, https: bool) -> Self {
        Self(Arc::new(State {
            https,
            ..(*self.0).clone()
        }))
    }
}
