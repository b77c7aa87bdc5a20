//! `getmycert calibrate [--json]`: item statistics and 2PL parameters for every exam from the
//! first-attempt responses in the database, as the server's periodic run computes them.

use std::process::ExitCode;

use getmycert_engine::calibration::CalibrationSummary;

use crate::cli::ServeArgs;
use crate::startup::open_engine;

async fn run(args: &ServeArgs) -> Result<CalibrationSummary, String> {
    let engine = open_engine(args).await.map_err(|e| format!("{e:#}"))?;
    let summary = engine
        .calibrate(time::OffsetDateTime::now_utc())
        .await
        .map_err(|e| format!("calibration failed: {e}"));
    let fitted = engine
        .fit_schedules()
        .await
        .map_err(|e| format!("fitting FSRS parameters failed: {e}"));
    engine.close().await;
    let mut summary = summary?;
    summary.schedules_fitted = fitted?;
    Ok(summary)
}

fn print(summary: &CalibrationSummary) {
    println!(
        "{:<9} {:>10} {:>6} {:>9} {:>10} {:>7}  converged",
        "exam", "candidates", "items", "responses", "calibrated", "flagged"
    );
    for e in &summary.exams {
        println!(
            "{:<9} {:>10} {:>6} {:>9} {:>10} {:>7}  {} ({} iterations)",
            e.exam,
            e.candidates,
            e.items,
            e.responses,
            e.calibrated,
            e.flagged,
            if e.converged { "yes" } else { "no" },
            e.iterations
        );
        if !e.ready_for_live.is_empty() {
            println!(
                "  pilot items ready to go live (set `status: live` in their files): {}",
                e.ready_for_live.join(", ")
            );
        }
    }
    if summary.exams.is_empty() {
        println!("no submitted attempts yet: nothing to calibrate");
    }
    println!(
        "{:.2} s; FSRS parameters fitted for {} learner(s) with at least 400 reviews",
        summary.seconds, summary.schedules_fitted
    );
}

/// Runs the calibration; exit 1 when it fails.
pub fn main(args: &ServeArgs, json: bool) -> ExitCode {
    let outcome = match crate::startup::block_on(run(args)) {
        Ok(outcome) => outcome,
        Err(code) => return code,
    };
    match outcome {
        Ok(summary) if json => {
            println!(
                "{}",
                serde_json::to_string_pretty(&summary).expect("a summary serializes")
            );
            ExitCode::SUCCESS
        }
        Ok(summary) => {
            print(&summary);
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}
