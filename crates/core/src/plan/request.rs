//! The plan form: what a candidate typed, parsed into a [`PlanRequest`] or sent back with a
//! message per field.

use std::collections::BTreeMap;

use serde::Serialize;
use time::Date;

use super::MAX_HOURS_PER_WEEK;
use crate::exam::{Exam, ExamCode};

/// The form as the candidate typed it; every field is kept so a rejected form comes back filled.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct PlanForm {
    pub exam: String,
    pub ml_years: String,
    pub aws_years: String,
    pub hours_per_week: String,
    pub exam_date: String,
}

/// A validated plan request.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanRequest {
    pub target: ExamCode,
    pub ml_years: f64,
    pub aws_years: f64,
    pub hours_per_week: f64,
    pub exam_date: Option<Date>,
    pub today: Date,
}

/// Messages per form field (`exam`, `ml_years`, `aws_years`, `hours_per_week`, `exam_date`).
pub type FieldErrors = BTreeMap<&'static str, String>;

impl PlanRequest {
    /// Parses the form against the catalog; each bad field gets its own message.
    pub fn parse(form: &PlanForm, catalog: &[Exam], today: Date) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let target = parse_target(&form.exam, catalog, today)
            .map_err(|e| errors.insert("exam", e))
            .ok();
        let ml_years = parse_years(&form.ml_years, "machine learning")
            .map_err(|e| errors.insert("ml_years", e))
            .ok();
        let aws_years = parse_years(&form.aws_years, "AWS")
            .map_err(|e| errors.insert("aws_years", e))
            .ok();
        let hours_per_week = parse_hours(&form.hours_per_week)
            .map_err(|e| errors.insert("hours_per_week", e))
            .ok();
        let exam_date = parse_date(&form.exam_date, today)
            .map_err(|e| errors.insert("exam_date", e))
            .ok();
        if let (Some(exam), Some(Some(date))) = (&target, exam_date)
            && let Some(last) = exam.status.last_exam_day.filter(|last| date > *last)
        {
            errors.insert(
                "exam_date",
                format!(
                    "{} can be taken until {last} only; pick a date on or before it.",
                    exam.code
                ),
            );
        }
        match (target, ml_years, aws_years, hours_per_week, exam_date) {
            (
                Some(exam),
                Some(ml_years),
                Some(aws_years),
                Some(hours_per_week),
                Some(exam_date),
            ) if errors.is_empty() => Ok(Self {
                target: exam.code.clone(),
                ml_years,
                aws_years,
                hours_per_week,
                exam_date,
                today,
            }),
            _ => Err(errors),
        }
    }
}

fn parse_target<'a>(raw: &str, catalog: &'a [Exam], today: Date) -> Result<&'a Exam, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("Choose the exam you are aiming for.".into());
    }
    let code = ExamCode::parse(raw).map_err(|e| e.to_string())?;
    let exam = catalog.iter().find(|e| e.code == code).ok_or_else(|| {
        format!("There is no exam {code} in the catalog; choose one from the list.")
    })?;
    if !exam.bookable_on(today) {
        let last = exam
            .status
            .last_exam_day
            .map(|d| format!(": its last exam day was {d}"))
            .unwrap_or_default();
        let instead = exam
            .successors
            .iter()
            .map(ExamCode::as_str)
            .collect::<Vec<_>>()
            .join(" or ");
        let instead = if instead.is_empty() {
            String::new()
        } else {
            format!(" Aim for {instead} instead.")
        };
        return Err(format!(
            "{code} is retired and can no longer be booked{last}.{instead}"
        ));
    }
    Ok(exam)
}

fn parse_number(raw: &str) -> Option<f64> {
    raw.trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

fn parse_years(raw: &str, what: &str) -> Result<f64, String> {
    if raw.trim().is_empty() {
        return Err(format!(
            "Enter your years of hands-on {what} experience (0 if none)."
        ));
    }
    let years = parse_number(raw)
        .ok_or_else(|| format!("Enter years of {what} experience as a number, e.g. 1.5."))?;
    if years < 0.0 {
        return Err("Years of experience cannot be negative; enter 0 if you have none.".into());
    }
    if years > 60.0 {
        return Err("Enter at most 60 years.".into());
    }
    Ok(years)
}

fn parse_hours(raw: &str) -> Result<f64, String> {
    if raw.trim().is_empty() {
        return Err("Enter how many hours a week you can study.".into());
    }
    let hours =
        parse_number(raw).ok_or_else(|| "Enter hours a week as a number, e.g. 8.".to_string())?;
    if hours < 0.0 {
        return Err("Hours a week cannot be negative.".into());
    }
    if hours < 1.0 {
        return Err("Plan at least 1 hour a week.".into());
    }
    if hours > MAX_HOURS_PER_WEEK {
        return Err(format!(
            "More than {MAX_HOURS_PER_WEEK} hours a week is not sustainable; enter at most {MAX_HOURS_PER_WEEK}."
        ));
    }
    Ok(hours)
}

fn parse_date(raw: &str, today: Date) -> Result<Option<Date>, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let date = Date::parse(
        raw,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map_err(|_| "Enter the date as YYYY-MM-DD, e.g. 2027-03-15.".to_string())?;
    if date <= today {
        return Err(format!(
            "{date} is not in the future (today is {today}); pick a later date or leave it empty."
        ));
    }
    Ok(Some(date))
}
