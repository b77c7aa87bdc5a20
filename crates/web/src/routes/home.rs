//! `/` (what GetMyCert is and where to start) and `/path` (the certification roadmap).

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::routing::get;

use crate::identity::Identity;
use crate::views::{ExamView, Nav};
use crate::{AppState, WebError};

use super::readiness::{ReadinessShown, shown};
use super::review::QueueRow;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/path", get(path))
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
struct HomePage {
    nav: Nav,
    ml_exams: Vec<ExamView>,
    /// The visitor's review queues (exams with cards).
    queues: Vec<QueueRow>,
    /// The visitor's readiness for each exam it has answered questions of.
    readiness: Vec<ReadinessShown>,
    /// What to do today, for a visitor with history.
    today: Option<getmycert_engine::progress::Today>,
    /// "today" or "on Dec 17".
    simulation_when: String,
}

impl HomePage {
    fn due(&self) -> usize {
        self.queues.iter().map(|q| q.due).sum()
    }

    /// "MLS-C01 12, AIF-C01 3".
    fn due_list(&self) -> String {
        self.queues
            .iter()
            .filter(|q| q.due > 0)
            .map(|q| format!("{} {}", q.exam, q.due))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The exams of the ML path, in path order.
const ML_PATH: [&str; 4] = ["AIF-C01", "MLA-C01", "AIP-C01", "MLS-C01"];

async fn home(
    State(state): State<AppState>,
    Identity(owner): Identity,
) -> Result<HomePage, WebError> {
    let counts = state.engine.live_counts().await?;
    let ml_exams = ML_PATH
        .iter()
        .filter_map(|code| {
            state
                .content()
                .exams
                .iter()
                .find(|e| e.code.as_str() == *code)
        })
        .map(|e| ExamView::of(e).with_practice(&counts))
        .collect();
    let now = time::OffsetDateTime::now_utc();
    let progress = state.engine.progress(&owner, now).await?;
    let today = state.engine.today(&owner, &progress, now).await?;
    let (queues, readiness) = progress
        .into_iter()
        .map(|(queue, readiness)| (QueueRow::of(&state, queue, now), shown(&state, readiness)))
        .unzip();
    let simulation_when = match &today {
        Some(t) if t.next_simulation > now.date() => format!("on {}", t.next_simulation),
        _ => "today".to_owned(),
    };
    Ok(HomePage {
        nav: Nav::at("/"),
        ml_exams,
        queues,
        readiness,
        today,
        simulation_when,
    })
}

/// A stage of the roadmap with its exams resolved.
struct StageView {
    name: String,
    best_for_html: String,
    prerequisites_html: String,
    study_time: String,
    note_html: String,
    exams: Vec<ExamView>,
    alternatives: Vec<ExamView>,
}

#[derive(Template, WebTemplate)]
#[template(path = "path.html")]
struct PathPage {
    nav: Nav,
    title: String,
    intro_html: String,
    stages: Vec<StageView>,
}

/// The path, with what a signed-in learner holds marked and, once they hold one, the first
/// active exam of the path they do not hold suggested next.
async fn path(
    State(state): State<AppState>,
    session: crate::auth::AuthSession,
) -> Result<PathPage, WebError> {
    let counts = state.engine.live_counts().await?;
    let held = match session.user.as_ref() {
        Some(account) => state.engine.certifications(&account.0.id).await?,
        None => Vec::new(),
    };
    let content = state.content();
    let next = (!held.is_empty())
        .then(|| {
            content
                .path
                .stages
                .iter()
                .flat_map(|s| s.exams.iter())
                .filter_map(|c| content.exam(c))
                .find(|e| {
                    e.status.state == getmycert_core::ExamState::Active
                        && !held.iter().any(|h| h.exam == e.code.as_str())
                })
                .map(|e| e.code.to_string())
        })
        .flatten();
    let views = |codes: &[getmycert_core::ExamCode]| -> Vec<ExamView> {
        codes
            .iter()
            .filter_map(|c| content.exam(c))
            .map(|e| {
                let mut view = ExamView::of(e).with_practice(&counts);
                if let Some(h) = held.iter().find(|h| h.exam == e.code.as_str()) {
                    view = view.held_until(&h.expires);
                }
                view.suggested = next.as_deref() == Some(e.code.as_str());
                view
            })
            .collect()
    };
    Ok(PathPage {
        nav: Nav::at("/path"),
        title: content.path.title.clone(),
        intro_html: content.path.intro_html.clone(),
        stages: content
            .path
            .stages
            .iter()
            .map(|s| StageView {
                name: s.name.clone(),
                best_for_html: s.best_for_html.clone(),
                prerequisites_html: s.prerequisites_html.clone(),
                study_time: s.study_time.clone(),
                note_html: s.note_html.clone().unwrap_or_default(),
                exams: views(&s.exams),
                alternatives: views(&s.alternatives),
            })
            .collect(),
    })
}
