//! What every handler can reach: the engine (over the store and the validated content) and the
//! metrics handle.

use getmycert_content::Content;
use getmycert_engine::Engine;
use metrics_exporter_prometheus::PrometheusHandle;

use crate::client::TrustedProxies;

/// Shared application state; cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    pub engine: Engine,
    pub(crate) metrics: PrometheusHandle,
    /// The site is served over https (behind a TLS-terminating proxy): cookies get `Secure`
    /// and responses get HSTS.
    pub https: bool,
    /// The reverse proxies whose `X-Forwarded-For` names the client (see `client.rs`).
    pub trusted_proxies: TrustedProxies,
}

impl AppState {
    /// State over an engine.
    pub fn new(engine: Engine) -> Self {
        Self {
            engine,
            metrics: crate::metrics::handle(),
            https: false,
            trusted_proxies: TrustedProxies::default(),
        }
    }

    /// The catalog, guides and bank being served.
    pub fn content(&self) -> &Content {
        self.engine.content()
    }

    /// Believes `X-Forwarded-For` from these proxies.
    pub fn behind(self, trusted_proxies: TrustedProxies) -> Self {
        Self {
            trusted_proxies,
            ..self
        }
    }

    /// Marks the site as served over https.
    pub fn served_over_https(self, https: bool) -> Self {
        Self { https, ..self }
    }
}
