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
}

impl AppState {
    /// State over a connected store and loaded content.
    pub fn new(store: Arc<dyn Store>, content: Arc<Content>) -> Self {
        Self {
            store,
            content,
            metrics: crate::metrics::handle(),
        }
    }
}
