//! `/progress?exam=CODE`: one exam's progress for the visitor (guest or account), charted on
//! the server: simulation scores with their intervals and the pass line, readiness after each
//! day of study, domain results week by week beside the blueprint weights, answers and study
//! time per week, reviews due in the next 14 days and the questions missed most. Every chart
//! has its figures in a table beside it.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use time::OffsetDateTime;
use time::macros::format_description;

use getmycert_engine::progress::{ProgressReport, Tally};

use crate::charts::{self, ScorePoint};
use crate::identity::Identity;
use crate::views::Nav;
use crate::{AppState, WebError};

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/progress", get(page))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct PageQuery {
    exam: Option<String>,
}

/// An exam in the switcher.
struct ExamLink {
    code: String,
    name: String,
    current: bool,
}

struct ScoreRow {
    when: String,
    score: u32,
    low: u32,
    high: u32,
    note: String,
}

/// One cell of the domain × week grid: its text and its shade (0 none … 4 mostly right).
struct Cell {
    text: String,
    shade: u8,
}

struct DomainRow {
    name: String,
    weight: u8,
    mastery: String,
    cells: Vec<Cell>,
}

struct WeekRow {
    week: String,
    answers: usize,
    right: String,
    minutes: i64,
}

struct MissedRow {
    id: String,
    opening: String,
    misses: usize,
    answers: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "progress.html")]
struct ProgressPage {
    nav: Nav,
    exams: Vec<ExamLink>,
    exam: String,
    exam_name: String,
    passing: u32,
    simulations_chart: String,
    simulations: Vec<ScoreRow>,
    readiness_chart: String,
    readiness: Vec<ScoreRow>,
    week_labels: Vec<String>,
    domains: Vec<DomainRow>,
    answers_chart: String,
    minutes_chart: String,
    weeks: Vec<WeekRow>,
    due_chart: String,
    due: Vec<(String, usize)>,
    due_total: usize,
    missed: Vec<MissedRow>,
}

/// "Nov 30" from "2026-11-30".
fn short_day(iso: &str) -> String {
    time::Date::parse(iso, format_description!("[year]-[month]-[day]"))
        .ok()
        .and_then(|d| {
            d.format(format_description!("[month repr:short] [day padding:none]"))
                .ok()
        })
        .unwrap_or_else(|| iso.to_owned())
}

fn percent(p: f64) -> String {
    format!("{:.0}%", (p * 100.0).round())
}

fn cell(t: &Tally) -> Cell {
    if t.answers == 0 {
        return Cell {
            text: "—".into(),
            shade: 0,
        };
    }
    let share = t.correct as f64 / t.answers as f64;
    Cell {
        text: format!("{} of {}", t.correct, t.answers),
        shade: 1 + (share * 3.0).round() as u8,
    }
}

fn shown(report: ProgressReport, exams: Vec<ExamLink>) -> ProgressPage {
    let name = &report.exam_name;
    let simulations: Vec<ScoreRow> = report
        .simulations
        .iter()
        .map(|s| ScoreRow {
            when: short_day(s.submitted_at.get(..10).unwrap_or_default()),
            score: s.scaled_score,
            low: s.low,
            high: s.high,
            note: if s.passed {
                "pass"
            } else {
                "below the pass mark"
            }
            .into(),
        })
        .collect();
    let readiness: Vec<ScoreRow> = report
        .readiness
        .iter()
        .map(|r| ScoreRow {
            when: short_day(&r.day),
            score: r.scaled_score,
            low: r.low,
            high: r.high,
            note: format!("P(pass) {} · {} questions", percent(r.p_pass), r.responses),
        })
        .collect();
    let points = |rows: &[ScoreRow]| -> Vec<ScorePoint> {
        rows.iter()
            .map(|r| ScorePoint {
                label: r.when.clone(),
                score: r.score,
                low: r.low,
                high: r.high,
            })
            .collect()
    };
    let week_labels: Vec<String> = report.weeks.iter().map(|w| short_day(&w.week)).collect();
    let answers: Vec<(String, u64)> = report
        .weeks
        .iter()
        .zip(&week_labels)
        .map(|(w, l)| (l.clone(), w.answers as u64))
        .collect();
    let minutes: Vec<(String, u64)> = report
        .weeks
        .iter()
        .zip(&week_labels)
        .map(|(w, l)| (l.clone(), w.minutes.max(0) as u64))
        .collect();
    let due: Vec<(String, usize)> = report
        .due
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let label = match i {
                0 => "Today".to_owned(),
                1 => "Tomorrow".to_owned(),
                _ => short_day(&d.day),
            };
            (label, d.cards)
        })
        .collect();
    ProgressPage {
        nav: Nav::at("/progress"),
        exams,
        simulations_chart: charts::scores(
            "sims",
            &format!("{name}: simulation scores"),
            "Each submitted simulation's scaled score with its 80% interval; the dashed line is the passing score. The table below lists the figures.",
            &points(&simulations),
            report.passing_score,
        ),
        readiness_chart: charts::scores(
            "trend",
            &format!("{name}: estimated score after each day of study"),
            "The readiness estimate with its 80% interval after each day with answers; the dashed line is the passing score. The table below lists the figures.",
            &points(&readiness),
            report.passing_score,
        ),
        answers_chart: charts::bars(
            "answers",
            "Answers per week",
            "Graded answers in each of the last 8 weeks. The table below lists the figures.",
            &answers,
        ),
        minutes_chart: charts::bars(
            "minutes",
            "Study minutes per week",
            "Active study time in each of the last 8 weeks. The table below lists the figures.",
            &minutes,
        ),
        due_chart: charts::bars(
            "due",
            "Reviews due in the next 14 days",
            "Cards falling due on each of the next 14 days; overdue cards count today. The table below lists the figures.",
            &due.iter()
                .map(|(l, c)| (l.clone(), *c as u64))
                .collect::<Vec<_>>(),
        ),
        due_total: due.iter().map(|d| d.1).sum(),
        weeks: report
            .weeks
            .iter()
            .zip(&week_labels)
            .map(|(w, l)| WeekRow {
                week: l.clone(),
                answers: w.answers,
                right: if w.answers == 0 {
                    "—".into()
                } else {
                    percent(w.correct as f64 / w.answers as f64)
                },
                minutes: w.minutes,
            })
            .collect(),
        domains: report
            .domains
            .iter()
            .map(|d| DomainRow {
                name: format!("{}. {}", d.domain, d.name),
                weight: d.weight,
                mastery: d.mastery.clone(),
                cells: d.weeks.iter().map(cell).collect(),
            })
            .collect(),
        week_labels,
        due,
        missed: report
            .missed
            .into_iter()
            .map(|m| MissedRow {
                id: m.id,
                opening: m.opening,
                misses: m.misses,
                answers: m.answers,
            })
            .collect(),
        simulations,
        readiness,
        exam: report.exam,
        exam_name: report.exam_name,
        passing: report.passing_score,
    }
}

async fn page(
    State(state): State<AppState>,
    Identity(owner): Identity,
    Query(q): Query<PageQuery>,
) -> Result<ProgressPage, WebError> {
    let now = OffsetDateTime::now_utc();
    // Without a choice: the exam with the most cards, else the first in the catalog.
    let code = match q.exam.filter(|e| !e.trim().is_empty()) {
        Some(code) => code.trim().to_ascii_uppercase(),
        None => state
            .engine
            .due(&owner, now)
            .await?
            .into_iter()
            .filter(|d| d.cards > 0)
            .max_by_key(|d| d.cards)
            .map(|d| d.exam)
            .or_else(|| state.content().exams.first().map(|e| e.code.to_string()))
            .unwrap_or_default(),
    };
    let report = state.engine.progress_report(&owner, &code, now).await?;
    let exams = state
        .content()
        .exams
        .iter()
        .map(|e| ExamLink {
            code: e.code.to_string(),
            name: e.short_name.clone(),
            current: e.code.as_str() == report.exam,
        })
        .collect();
    Ok(shown(report, exams))
}
