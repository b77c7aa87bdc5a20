//! `/plan`: the study-plan advisor. A GET form, so a plan is a bookmarkable address; bad input
//! comes back in the form with a message at each field (422).

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use time::OffsetDateTime;

use getmycert_core::plan::{FieldErrors, PlanForm, PlanRequest, StudyPlan, WeekKind, advise};

use crate::views::Nav;
use crate::{AppState, WebError};

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/plan", get(plan))
}

/// An exam the form offers.
struct Choice {
    code: String,
    label: String,
    selected: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "plan.html")]
struct PlanPage {
    nav: Nav,
    form: PlanForm,
    choices: Vec<Choice>,
    errors: FieldErrors,
    plan: Option<StudyPlan>,
    today: String,
}

impl PlanPage {
    fn error(&self, field: &str) -> &str {
        self.errors.get(field).map_or("", String::as_str)
    }

    fn kind_label(kind: &WeekKind) -> &'static str {
        match kind {
            WeekKind::Learn => "Learn",
            WeekKind::Review => "Review",
            WeekKind::Exam => "Exam week",
        }
    }

    fn hours(h: &f64) -> String {
        let rounded = (h * 10.0).round() / 10.0;
        if rounded.fract() == 0.0 {
            format!("{rounded:.0}")
        } else {
            format!("{rounded:.1}")
        }
    }
}

async fn plan(
    State(state): State<AppState>,
    Query(form): Query<PlanForm>,
) -> Result<Response, WebError> {
    let today = OffsetDateTime::now_utc().date();
    let exams = &state.content().exams;
    let submitted = form != PlanForm::default();
    let choices = exams
        .iter()
        .filter(|e| e.bookable_on(today))
        .map(|e| Choice {
            code: e.code.to_string(),
            label: format!("{} — {} ({})", e.code, e.short_name, e.level.label()),
            selected: e.code.as_str().eq_ignore_ascii_case(form.exam.trim()),
        })
        .collect();
    let (status, errors, plan) = if submitted {
        match PlanRequest::parse(&form, exams, today) {
            Ok(request) => {
                let plan = advise(&request, exams).ok_or_else(|| {
                    getmycert_engine::EngineError::Internal(format!(
                        "the catalog lacks an exam of the route to {}",
                        request.target
                    ))
                })?;
                (StatusCode::OK, FieldErrors::new(), Some(plan))
            }
            Err(errors) => (StatusCode::UNPROCESSABLE_ENTITY, errors, None),
        }
    } else {
        (StatusCode::OK, FieldErrors::new(), None)
    };
    let page = PlanPage {
        nav: Nav::at("/plan"),
        form,
        choices,
        errors,
        plan,
        today: today.to_string(),
    };
    Ok((status, page).into_response())
}
