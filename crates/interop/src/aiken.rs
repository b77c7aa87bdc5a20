//! Aiken, Moodle's one-line multiple-choice format (`question/format/aiken/format.php`): a line of
//! question text, one line per option (`A)` or `A.` then the text), then `ANSWER: X`.
//!
//! | ours | in Aiken |
//! |---|---|
//! | stem, option texts | kept as one line of plain text each (Markdown flattened by [`text::one_line`]) |
//! | key | kept (`ANSWER:`); exactly one, so single-answer items only |
//! | rationales, explanation | lost: Aiken has no feedback; imports get empty ones |
//! | id, task, domain, tags | lost: Aiken has no names, categories or tags |
//! | case study | each single-answer part becomes its own question, scenario first |
//! | multiple response, ordering, matching | left out |
//!
//! Import follows Moodle's reader: lines are trimmed and lines shorter than two characters are
//! skipped; an option is `[A-Z]` then `)` or `.` then an optional space or tab, and its letter is
//! not checked (options count A, B, C… in file order, as in Moodle); `ANSWER:` is case-sensitive
//! and its first letter names the key. Where Moodle reports a problem and drops the question
//! (an option before any question, a question without `ANSWER:`, fewer than two options) the
//! whole import fails here with the line, as it does for a question left without `ANSWER:` at
//! the end of the file (which Moodle drops silently), an option with no text (which Moodle
//! drops, shifting the letters after it) and an `ANSWER:` letter with no option under it
//! (which Moodle accepts and then cannot score).

use getmycert_core::{Choice, Exam, Part, PartKind, Question};

use crate::text::{one_line, plain_to_markdown};
use crate::{Draft, Export, ImportError, LeftOut, Location, Parsed, letter};

/// Reads an Aiken file into single-answer drafts (Aiken holds nothing else, so nothing is ever
/// unsupported). Texts are plain text, escaped so that they stay text in Markdown.
pub fn parse(text: &str) -> Result<Parsed, ImportError> {
    let mut parsed = Parsed::default();
    let mut open: Option<Open> = None;
    for (index, raw) in lines(text).enumerate() {
        let number = index + 1;
        let line = trim(raw);
        if line.len() < 2 {
            continue;
        }
        if let Some(option) = option_text(line) {
            let Some(question) = open.as_mut() else {
                return Err(ImportError::new(
                    Location::line(number),
                    "an option comes before any question text (an Aiken question is one line of \
                     text, then its options, then `ANSWER:`)",
                ));
            };
            if option.is_empty() {
                return Err(ImportError::new(
                    Location::line(number),
                    "this option has no text",
                ));
            }
            question.options.push(option.to_owned());
        } else if let Some(answer) = line.strip_prefix("ANSWER:") {
            let Some(question) = open.take() else {
                return Err(ImportError::new(
                    Location::line(number),
                    "`ANSWER:` comes before any question text",
                ));
            };
            parsed.drafts.push(question.finish(answer, number)?);
        } else {
            if let Some(question) = &open {
                return Err(ImportError::new(
                    Location::line(question.line),
                    format!(
                        "this question has no `ANSWER:` line before line {number} starts another \
                         (an Aiken question is one line of text, then its options, then `ANSWER:`)"
                    ),
                ));
            }
            open = Some(Open {
                line: number,
                stem: line.to_owned(),
                options: Vec::new(),
            });
        }
    }
    if let Some(question) = open {
        return Err(ImportError::new(
            Location::line(question.line),
            "this question has no `ANSWER:` line",
        ));
    }
    Ok(parsed)
}

/// A question whose `ANSWER:` line has not come yet.
struct Open {
    line: usize,
    stem: String,
    options: Vec<String>,
}

impl Open {
    fn finish(self, answer: &str, answer_line: usize) -> Result<Draft, ImportError> {
        let at = Location::line(answer_line);
        if self.options.len() < 2 {
            return Err(ImportError::new(
                at,
                format!(
                    "the question on line {} has fewer than two options",
                    self.line
                ),
            ));
        }
        if self.options.len() > 26 {
            return Err(ImportError::new(
                at,
                format!(
                    "the question on line {} has more than 26 options",
                    self.line
                ),
            ));
        }
        let last = letter(self.options.len() - 1);
        let key = trim(answer)
            .chars()
            .next()
            .filter(|c| ('A'..=last).contains(c))
            .ok_or_else(|| {
                ImportError::new(
                    at.clone(),
                    format!(
                        "`ANSWER:{answer}` names no option of the question on line {} (its \
                         options are A to {last})",
                        self.line
                    ),
                )
            })?;
        let options = self
            .options
            .iter()
            .enumerate()
            .map(|(i, text)| Choice {
                id: letter(i),
                text: plain_to_markdown(text),
                rationale: String::new(),
                correct: letter(i) == key,
            })
            .collect();
        Ok(Draft {
            location: Location::line(self.line),
            title: None,
            category: None,
            tags: Vec::new(),
            scenario: None,
            parts: vec![Part {
                kind: PartKind::Single,
                stem: plain_to_markdown(&self.stem),
                options,
                prompts: Vec::new(),
                explanation: String::new(),
            }],
        })
    }
}

/// The file's lines; like Moodle, a carriage return on its own also ends a line.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.split('\n')
        .flat_map(|line| line.strip_suffix('\r').unwrap_or(line).split('\r'))
}

/// PHP's `trim`: the whitespace Moodle strips (not every Unicode space).
fn trim(s: &str) -> &str {
    s.trim_matches([' ', '\t', '\n', '\r', '\0', '\x0B'])
}

/// The text of an option line (`A) text`, `B.text`), Moodle's `^[A-Z][).][ \t]?`.
fn option_text(line: &str) -> Option<&str> {
    let bytes = line.as_bytes();
    let labelled = bytes.first().is_some_and(u8::is_ascii_uppercase)
        && matches!(bytes.get(1), Some(b')' | b'.'));
    // Both label bytes are ASCII, so index 2 is a character boundary.
    labelled.then(|| trim(line.get(2..).unwrap_or("")))
}

/// Writes the single-answer items of `questions` (and the single-answer parts of case
/// studies, each with its scenario in front); every other item is left out.
pub fn export(_exam: &Exam, questions: &[Question]) -> Export {
    let mut out = String::new();
    let mut left_out = Vec::new();
    for question in questions {
        let mut skipped = Vec::new();
        let mut written = 0;
        for (n, part) in question.parts.iter().enumerate() {
            let stem = match &question.scenario {
                Some(scenario) => format!("{scenario}\n\n{}", part.stem),
                None => part.stem.clone(),
            };
            match write_part(&stem, part) {
                Ok(block) => {
                    out.push_str(&block);
                    written += 1;
                }
                Err(reason) => skipped.push((n + 1, reason)),
            }
        }
        let reason = match (question.scenario.is_some(), written, skipped.as_slice()) {
            (_, _, []) => continue,
            (false, _, [(_, reason), ..]) => reason.clone(),
            (true, 0, _) => format!(
                "case study: none of its parts can be written ({})",
                describe_parts(&skipped)
            ),
            (true, _, _) => format!(
                "case study: {} left out, the other parts are exported ({})",
                if skipped.len() == 1 {
                    "one part"
                } else {
                    "some parts"
                },
                describe_parts(&skipped)
            ),
        };
        left_out.push(LeftOut {
            id: question.id.clone(),
            reason,
        });
    }
    Export {
        bytes: out.into_bytes(),
        left_out,
    }
}

fn describe_parts(skipped: &[(usize, String)]) -> String {
    skipped
        .iter()
        .map(|(n, reason)| format!("part {n}: {reason}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// One question block, or why the part cannot be one.
fn write_part(stem: &str, part: &Part) -> Result<String, String> {
    if part.kind != PartKind::Single {
        return Err(format!(
            "{}: Aiken holds single-answer questions only",
            part.kind.as_str()
        ));
    }
    let [key] = part.keys()[..] else {
        return Err("a single-answer question needs exactly one key".into());
    };
    if !(2..=26).contains(&part.options.len()) {
        return Err("Aiken holds 2 to 26 options (A to Z)".into());
    }
    let stem = one_line(stem);
    if stem.len() < 2 {
        return Err("the stem is empty once flattened to one line".into());
    }
    if option_text(&stem).is_some() || stem.starts_with("ANSWER:") {
        return Err(format!(
            "the stem begins like an Aiken option or answer line (`{}`), so it would not be read \
             back as a question",
            stem.chars().take(7).collect::<String>()
        ));
    }
    let mut block = stem;
    block.push('\n');
    for (i, option) in part.options.iter().enumerate() {
        let text = one_line(&option.text);
        if text.is_empty() {
            return Err(format!("option {} has no text", letter(i)));
        }
        block.push_str(&format!("{}) {text}\n", letter(i)));
    }
    let index = part
        .options
        .iter()
        .position(|o| o.id == key)
        .unwrap_or_default();
    block.push_str(&format!("ANSWER: {}\n\n", letter(index)));
    Ok(block)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_stays_text_in_markdown() {
        let plain = "Use *args, a_b, [x](y), <b>bold</b>, AT&T & &amp; | ~x~ `c` \\";
        let md = plain_to_markdown(plain);
        assert_eq!(one_line(&md), plain, "{md}");
        let html = crate::text::markdown_to_html(&md);
        assert!(
            !html.contains("<b>") && html.contains("&lt;b&gt;"),
            "{html}"
        );
        for block in [
            "# not a heading",
            "- not a list",
            "1. not a list",
            "> no quote",
            "===",
        ] {
            assert_eq!(one_line(&plain_to_markdown(block)), block);
        }
        assert_eq!(
            plain_to_markdown("Amazon S3 and AWS Glue"),
            "Amazon S3 and AWS Glue"
        );
    }

    #[test]
    fn option_labels_follow_moodle() {
        assert_eq!(option_text("A) text"), Some("text"));
        assert_eq!(option_text("B.text"), Some("text"));
        assert_eq!(option_text("C)\ttext"), Some("text"));
        assert_eq!(option_text("a) text"), None);
        assert_eq!(option_text("AWS is"), None);
    }

    #[test]
    fn a_bare_carriage_return_ends_a_line() {
        let parsed = parse("Which?\rA) x\rB) y\rANSWER: B").expect("parses");
        assert_eq!(parsed.drafts.len(), 1);
        assert_eq!(parsed.drafts[0].parts[0].keys(), vec!['B']);
    }
}
