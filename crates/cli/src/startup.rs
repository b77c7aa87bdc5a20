//! Building the application: load and validate content, connect and migrate the store, sync
//! the catalog, bind the listener. Any failure stops start-up with a message that says what.

use std::future::Future;
use std::sync::Arc;

use anyhow::Context;
use getmycert_content::{Content, ContentErrors, ContentSource};
use getmycert_engine::Engine;
use getmycert_web::AppState;
use getmycert_web::client::TrustedProxies;
use tokio::net::TcpListener;

use crate::cli::ServeArgs;

/// Why the application could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// The content is broken; every error is listed.
    #[error("the content is invalid.\n{0}")]
    Content(#[from] ContentErrors),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// A built application: listener bound, store ready.
#[derive(Debug)]
pub struct Application {
    listener: TcpListener,
    state: AppState,
    calibrate_every: u64,
}

/// Loads the content the server will serve.
pub fn load_content(args: &ServeArgs) -> Result<Content, ContentErrors> {
    let source = match &args.content_dir {
        Some(dir) => ContentSource::Dir(dir.clone()),
        None => ContentSource::Embedded,
    };
    Content::load(&source)
}

/// The engine over the database of `args` and the content it names, without syncing the
/// content into the database (for commands that only touch accounts).
pub async fn connect_engine(args: &ServeArgs) -> Result<Engine, StartupError> {
    let content = load_content(args)?;
    let store = getmycert_store::connect(&args.database_url)
        .await
        .with_context(|| format!("cannot open the database {}", redact(&args.database_url)))?;
    Ok(Engine::new(store, Arc::new(content)))
}

/// The engine with the content synced into the database (new items inserted, edited ones
/// revised, removed ones retired), as the server and calibration need it.
pub async fn open_engine(args: &ServeArgs) -> Result<Engine, StartupError> {
    let engine = connect_engine(args).await?;
    let (exams, bank) = engine
        .sync_content()
        .await
        .context("cannot sync the catalog and the question bank into the database")?;
    tracing::info!(
        backend = %engine.backend(),
        exams = engine.content().exams.len(),
        questions = engine.content().questions.len(),
        report = ?exams,
        ?bank,
        "store ready"
    );
    Ok(engine)
}

impl Application {
    /// Builds everything; binding `127.0.0.1:0` picks a free port (tests).
    pub async fn build(args: &ServeArgs) -> Result<Self, StartupError> {
        let engine = open_engine(args).await?;
        let listener = TcpListener::bind(&args.addr)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        Ok(Self {
            listener,
            state: AppState::new(engine)
                .served_over_https(args.https)
                .behind(TrustedProxies::new(args.trusted_proxies.clone())),
            calibrate_every: args.calibrate_every,
        })
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// Serves until `shutdown` resolves, then closes the store.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let engine = self.state.engine.clone();
        if let Ok(addr) = self.listener.local_addr() {
            tracing::info!(%addr, "serving");
        }
        let calibration = (self.calibrate_every > 0)
            .then(|| tokio::spawn(calibrate_periodically(engine.clone(), self.calibrate_every)));
        let finalizer = tokio::spawn(finalize_periodically(engine.clone()));
        let served = getmycert_web::serve(self.listener, self.state, shutdown).await;
        if let Some(task) = calibration {
            task.abort();
        }
        finalizer.abort();
        engine.close().await;
        served
    }
}

/// Submits attempts whose time ran out, every minute: their reports already read as ended at
/// the deadline, and this stores them (results, history, review cards) as a submit would.
async fn finalize_periodically(engine: Engine) {
    let mut ticks = tokio::time::interval(std::time::Duration::from_secs(60));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        match engine
            .finalize_expired(time::OffsetDateTime::now_utc())
            .await
        {
            Ok(0) => {}
            Ok(submitted) => tracing::info!(submitted, "attempts past their deadline submitted"),
            Err(e) => tracing::error!(error = %e, "submitting expired attempts failed"),
        }
    }
}

/// Calibrates items and fits learners' FSRS parameters every `seconds`, the first run one
/// period after start, off the request path.
async fn calibrate_periodically(engine: Engine, seconds: u64) {
    let period = std::time::Duration::from_secs(seconds);
    let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        match engine.calibrate(time::OffsetDateTime::now_utc()).await {
            Ok(summary) => tracing::info!(
                seconds = summary.seconds,
                exams = summary.exams.len(),
                "calibration done"
            ),
            Err(e) => tracing::error!(error = %e, "calibration failed"),
        }
        match engine.fit_schedules().await {
            Ok(fitted) => tracing::info!(fitted, "FSRS parameters fitted"),
            Err(e) => tracing::error!(error = %e, "FSRS fitting failed"),
        }
    }
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM. The handlers are installed when this is called,
/// not when the future is first polled: called before the listener is bound, a SIGTERM that
/// arrives while the server starts still shuts it down cleanly instead of killing it.
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let signals = {
        use tokio::signal::unix::{SignalKind, signal};
        (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
        )
    };
    async move {
        #[cfg(unix)]
        match signals {
            (Ok(mut interrupt), Ok(mut terminate)) => {
                tokio::select! {
                    _ = interrupt.recv() => {},
                    _ = terminate.recv() => {},
                }
            }
            (Err(e), _) | (_, Err(e)) => {
                tracing::error!(error = %e, "cannot listen for SIGINT or SIGTERM");
                std::future::pending::<()>().await;
            }
        }
        #[cfg(not(unix))]
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
        tracing::info!("shutting down: finishing in-flight requests");
    }
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// Runs a command's future to completion on a runtime of its own; `Err` (the message already
/// printed) when no runtime can be made.
pub fn block_on<F: Future>(future: F) -> Result<F::Output, std::process::ExitCode> {
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => Ok(runtime.block_on(future)),
        Err(e) => {
            eprintln!("no async runtime: {e}");
            Err(std::process::ExitCode::FAILURE)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact("postgres://app:secret@db:5432/x"),
            "postgres://app:***@db:5432/x"
        );
        assert_eq!(
            redact("postgres://postgres@127.0.0.1/x"),
            "postgres://postgres@127.0.0.1/x"
        );
        assert_eq!(
            redact("sqlite://data/getmycert.db"),
            "sqlite://data/getmycert.db"
        );
    }
}
