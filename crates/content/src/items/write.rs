//! The writer: an item back to the Markdown format, so imports and tooling produce files an
//! author would have written. `parse_item(write_item(q)) == q` for every valid item.

use std::fmt::Write;

use getmycert_core::{Part, PartKind, Question, QuestionType};

fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

fn toml_list(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|s| toml_str(s)).collect();
    format!("[{}]", inner.join(", "))
}

/// Writes `text` as a list entry's continuation: first line after the marker, the rest
/// indented by two spaces (blank lines stay blank).
fn indented(out: &mut String, text: &str) {
    let mut lines = text.lines();
    out.push_str(lines.next().unwrap_or(""));
    out.push('\n');
    for line in lines {
        if line.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "  {line}");
        }
    }
}

fn write_part(out: &mut String, part: &Part, level: &str) {
    let _ = writeln!(out, "{}\n", part.stem);
    if part.kind == PartKind::Matching {
        let _ = writeln!(out, "{level} Prompts\n");
        for prompt in &part.prompts {
            let _ = write!(out, "- {}. ", prompt.id);
            indented(out, &prompt.text);
            let _ = writeln!(out, "  Match: {}", prompt.answer);
        }
        out.push('\n');
    }
    let title = if part.kind == PartKind::Ordering {
        "Steps"
    } else {
        "Options"
    };
    let _ = writeln!(out, "{level} {title}\n");
    for option in &part.options {
        let marker = match part.kind {
            PartKind::Single | PartKind::Multiple if option.correct => "[x] ",
            PartKind::Single | PartKind::Multiple => "[ ] ",
            _ => "",
        };
        let _ = write!(out, "- {marker}{}. ", option.id);
        indented(out, &option.text);
        if option.rationale.is_empty() {
            // A draft's option may have no rationale yet; the author writes it after `Why:`.
            out.push_str("  Why:\n");
        } else {
            out.push_str("  Why: ");
            indented(out, &option.rationale);
        }
    }
    let _ = writeln!(out, "\n{level} Explanation\n\n{}\n", part.explanation);
}

/// The item in the format of `docs/content-format.md`.
pub fn write_item(q: &Question) -> String {
    let mut out = String::from("+++\n");
    let _ = writeln!(out, "id = {}", toml_str(q.id.as_str()));
    let _ = writeln!(out, "type = {}", toml_str(q.kind.as_str()));
    if q.kind == QuestionType::Multiple {
        let _ = writeln!(out, "select = {}", q.parts.first().map_or(0, Part::select));
    }
    let _ = writeln!(out, "difficulty = {}", toml_str(q.difficulty.as_str()));
    let _ = writeln!(out, "status = {}", toml_str(q.status.as_str()));
    let _ = writeln!(out, "tags = {}", toml_list(&q.tags));
    let _ = writeln!(out, "references = {}", toml_list(&q.references));
    if let Some(date) = q.verified {
        let _ = writeln!(out, "verified = {date}");
    }
    for m in &q.mappings {
        let _ = writeln!(
            out,
            "\n[[exams]]\nexam = {}\ntask = {}",
            toml_str(m.exam.as_str()),
            toml_str(&m.task_label())
        );
    }
    out.push_str("+++\n");
    match &q.scenario {
        Some(scenario) => {
            let _ = writeln!(out, "{scenario}\n");
            for (i, part) in q.parts.iter().enumerate() {
                let select = if part.kind == PartKind::Multiple {
                    format!(" (select {})", part.select())
                } else {
                    String::new()
                };
                let _ = writeln!(out, "## Question {}{select}\n", i + 1);
                write_part(&mut out, part, "###");
            }
        }
        None => {
            for part in &q.parts {
                write_part(&mut out, part, "##");
            }
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}
