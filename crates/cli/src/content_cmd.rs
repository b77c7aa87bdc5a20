//! `getmycert content check` and `getmycert content stats`.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use getmycert_content::items::{CheckReport, Stats};
use getmycert_content::{Content, ContentSource};

/// Validates `dir`: prints every error and warning with file and line; exit 1 on an error, or
/// on a warning with `strict`.
pub fn check(dir: &Path, strict: bool) -> ExitCode {
    let report = Content::check(&ContentSource::Dir(dir.to_owned()));
    for error in &report.errors {
        eprintln!("error: {error}");
    }
    for warning in &report.warnings {
        eprintln!("warning: {warning}");
    }
    let failed = !report.errors.is_empty() || (strict && !report.warnings.is_empty());
    let verdict = if failed { "FAILED" } else { "ok" };
    println!(
        "{}: {} item file(s); {} error(s), {} warning(s){}: {verdict}",
        dir.display(),
        report.items,
        report.errors.len(),
        report.warnings.len(),
        if strict {
            " (strict: warnings count as errors)"
        } else {
            ""
        },
    );
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Prints the figures of `dir`, as text or as the JSON of DESIGN.md.
pub fn stats(dir: &Path, json: bool) -> ExitCode {
    let report = Content::check(&ContentSource::Dir(dir.to_owned()));
    if !report.errors.is_empty() {
        for error in &report.errors {
            eprintln!("error: {error}");
        }
        eprintln!("the content has errors; run `getmycert content check` and fix them first");
        return ExitCode::from(1);
    }
    if json {
        match serde_json::to_string_pretty(&report.stats) {
            Ok(text) => println!("{text}"),
            Err(e) => {
                eprintln!("cannot encode the figures: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        print!("{}", render_text(&report));
    }
    ExitCode::SUCCESS
}

fn join<V: std::fmt::Display>(map: &std::collections::BTreeMap<String, V>) -> String {
    map.iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn render_text(report: &CheckReport) -> String {
    let Stats {
        exams,
        near_duplicates,
    } = &report.stats;
    let mut out = String::new();
    for (code, s) in exams {
        let _ = writeln!(
            out,
            "{code}: live {}, pilot {}, draft {}",
            s.live, s.pilot, s.draft
        );
        let _ = writeln!(out, "  domains     {}", join(&s.domains));
        let _ = writeln!(out, "  tasks       {}", join(&s.tasks));
        let _ = writeln!(out, "  types       {}", join(&s.types));
        let _ = writeln!(out, "  difficulty  {}", join(&s.difficulty));
        let _ = writeln!(out, "  key positions {}", join(&s.key_positions));
        let _ = writeln!(
            out,
            "  key is the longest option: {:.1}% (chance {:.1}%)",
            s.key_longest_rate * 100.0,
            s.key_longest_chance * 100.0
        );
    }
    let _ = writeln!(out, "near-duplicate pairs: {}", near_duplicates.len());
    for (a, b, sim) in near_duplicates {
        let _ = writeln!(out, "  {a} ~ {b}: {sim:.2}");
    }
    let _ = writeln!(out, "warnings: {}", report.warnings.len());
    out
}
