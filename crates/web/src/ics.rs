//! iCalendar (RFC 5545) answers: whole-day entries with ids the caller keeps stable, sent as a
//! `text/calendar` download.

use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use icalendar::{Calendar, Component, EventLike};

use getmycert_core::plan::StudyBlock;
use getmycert_engine::EngineError;

use crate::WebError;

/// `entries` as a calendar named `name`, downloaded as `file`.
pub fn download(name: &str, file: &str, entries: &[StudyBlock]) -> Result<Response, WebError> {
    let mut calendar = Calendar::new();
    calendar.name(name);
    for entry in entries {
        let day = chrono::NaiveDate::from_ymd_opt(
            entry.day.year(),
            u32::from(u8::from(entry.day.month())),
            u32::from(entry.day.day()),
        )
        .ok_or_else(|| EngineError::Internal(format!("no such day {}", entry.day)))?;
        calendar.push(
            icalendar::Event::new()
                .uid(&entry.uid)
                .summary(&entry.title)
                .description(&entry.description)
                .all_day(day)
                .done(),
        );
    }
    Ok((
        [
            (CONTENT_TYPE, "text/calendar; charset=utf-8".to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        calendar.done().to_string(),
    )
        .into_response())
}
