//! What every handler can reach: the engine (over the store and the validated content) and the
//! metrics handle.

use getmycert_content::Content;
use getmycert_engine::Engine;
use metrics_exporter_prometheus::PrometheusHandle;

/// Shared application state; cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    pub engine: Engine,
    pub(crate) metrics: PrometheusHandle,
    /// The site is served over https (behind a TLS-terminating proxy): cookies get `Secure`
    /// and responses get HSTS.
    pub https: bool,
}

impl AppState {
    /// State over an engine.
    pub fn new(engine: Engine) -> Self {
        Self {
            engine,
            metrics: crate::metrics::handle(),
            https: false,
        }
    }

    /// The catalog, guides and bank being served.
    pub fn content(&self) -> &Content {
        self.engine.content()
    }

    /// Marks the site as served over https.
    pub fn served_over_https(self, https: bool) -> Self {
        Self { https, ..self }
    }
}
