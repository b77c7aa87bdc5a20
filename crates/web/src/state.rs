//! What every handler can reach: the store, the validated content and the metrics handle.

use std::sync::Arc;

use getmycert_content::Content;
use getmycert_store::Store;
use metrics_exporter_prometheus::PrometheusHandle;

/// Shared application state; cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub content: Arc<Content>,
    pub(crate) metrics: PrometheusHandle,
    /// The site is served over https (behind a TLS-terminating proxy): cookies get `Secure`
    /// and responses get HSTS.
    pub https: bool,
}

impl AppState {
    /// State over a connected store and loaded content.
    pub fn new(store: Arc<dyn Store>, content: Arc<Content>) -> Self {
        Self {
            store,
            content,
            metrics: crate::metrics::handle(),
            https: false,
        }
    }

    /// The engine over this state's store and content.
    pub fn engine(&self) -> crate::engine::Engine<'_> {
        crate::engine::Engine::new(self.store.as_ref(), &self.content)
    }

    /// Marks the site as served over https.
    pub fn served_over_https(self, https: bool) -> Self {
        Self { https, ..self }
    }
}
