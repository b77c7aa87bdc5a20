//! `/plan`: the study-plan advisor. A GET form, so a plan is a bookmarkable address; bad input
//! comes back in the form with a message at each field (422). `/plan.ics` with the same query
//! is the plan as an RFC 5545 calendar: a whole-day entry per study block and the exam day,
//! with ids that stay the same, so importing it again updates the entries.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use time::OffsetDateTime;

use getmycert_core::plan::{FieldErrors, PlanForm, PlanRequest, StudyPlan, WeekKind, advise_for};

use crate::identity::Identity;

use crate::views::Nav;
use crate::{AppState, WebError};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/plan", get(plan))
        .route("/plan.ics", get(calendar))
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
    /// The query string of this plan, for the calendar link.
    query: String,
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

/// The plan the form asks for, adapted to the visitor's history, or the form's errors.
async fn advised(
    state: &AppState,
    owner: &str,
    form: &PlanForm,
    today: time::Date,
) -> Result<Result<(PlanRequest, StudyPlan), FieldErrors>, WebError> {
    let exams = &state.content().exams;
    match PlanRequest::parse(form, exams, today) {
        Ok(request) => {
            let mastery = state
                .engine
                .plan_mastery(owner, OffsetDateTime::now_utc())
                .await?;
            let plan = advise_for(&request, exams, &mastery).ok_or_else(|| {
                getmycert_engine::EngineError::Internal(format!(
                    "the catalog lacks an exam of the route to {}",
                    request.target
                ))
            })?;
            Ok(Ok((request, plan)))
        }
        Err(errors) => Ok(Err(errors)),
    }
}

fn page(
    state: &AppState,
    form: PlanForm,
    today: time::Date,
    errors: FieldErrors,
    plan: Option<StudyPlan>,
) -> PlanPage {
    let choices = state
        .content()
        .exams
        .iter()
        .filter(|e| e.bookable_on(today))
        .map(|e| Choice {
            code: e.code.to_string(),
            label: format!("{} — {} ({})", e.code, e.short_name, e.level.label()),
            selected: e.code.as_str().eq_ignore_ascii_case(form.exam.trim()),
        })
        .collect();
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("exam", &form.exam)
        .append_pair("ml_years", &form.ml_years)
        .append_pair("aws_years", &form.aws_years)
        .append_pair("hours_per_week", &form.hours_per_week)
        .append_pair("exam_date", &form.exam_date)
        .finish();
    PlanPage {
        nav: Nav::at("/plan"),
        form,
        choices,
        errors,
        plan,
        today: today.to_string(),
        query,
    }
}

async fn plan(
    State(state): State<AppState>,
    Identity(owner): Identity,
    Query(form): Query<PlanForm>,
) -> Result<Response, WebError> {
    let today = OffsetDateTime::now_utc().date();
    if form == PlanForm::default() {
        return Ok(page(&state, form, today, FieldErrors::new(), None).into_response());
    }
    Ok(match advised(&state, &owner, &form, today).await? {
        Ok((_, plan)) => page(&state, form, today, FieldErrors::new(), Some(plan)).into_response(),
        Err(errors) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            page(&state, form, today, errors, None),
        )
            .into_response(),
    })
}

/// The plan as an iCalendar file, with the renewal reminders of a signed-in learner's
/// certifications; a form with errors comes back as the plan page (422).
async fn calendar(
    State(state): State<AppState>,
    session: crate::auth::AuthSession,
    Identity(owner): Identity,
    Query(form): Query<PlanForm>,
) -> Result<Response, WebError> {
    let today = OffsetDateTime::now_utc().date();
    let (request, plan) = match advised(&state, &owner, &form, today).await? {
        Ok(advised) => advised,
        Err(errors) => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page(&state, form, today, errors, None),
            )
                .into_response());
        }
    };
    let mut entries = plan.blocks(request.exam_date);
    if let Some(account) = session.user.as_ref() {
        let held = state.engine.certifications(&account.0.id).await?;
        entries.extend(super::certifications::reminders(&held));
    }
    crate::ics::download(
        &format!("GetMyCert study plan: {}", plan.target),
        &format!("getmycert-plan-{}.ics", plan.target),
        &entries,
    )
}
