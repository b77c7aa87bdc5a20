//! Writing GIFT the way Moodle's own writer does (`writequestion`), with every text as one
//! `[markdown]` line.

use getmycert_core::{Exam, Part, PartKind, Question};

use super::RATIONALE;
use crate::{Export, LeftOut, task_of};

/// Writes `questions` (live items of `exam`, in bank order) as GIFT, filed in a category per
/// domain and task; ordering items (and ordering parts of case studies) are left out.
pub fn export(exam: &Exam, questions: &[Question]) -> Export {
    let mut out = format!(
        "// {} {}: exported from GetMyCert. In Moodle, import with \"Get category from file\" \
         to file the questions by domain and task.\n\n",
        exam.code, exam.name
    );
    let mut left_out = Vec::new();
    let mut current_category = None;
    for question in questions {
        let tags = &question.tags;
        let mut blocks = String::new();
        let mut skipped = Vec::new();
        match &question.scenario {
            None => {
                for part in &question.parts {
                    match write_question(question.id.as_str(), tags, &part.stem, part) {
                        Ok(block) => blocks.push_str(&block),
                        Err(reason) => skipped.push(reason),
                    }
                }
            }
            Some(scenario) => {
                for (n, part) in question.parts.iter().enumerate() {
                    let name = format!("{}-q{}", question.id, n + 1);
                    let stem = format!("{scenario}\n\n{}", part.stem);
                    match write_question(&name, tags, &stem, part) {
                        Ok(block) => blocks.push_str(&block),
                        Err(reason) => skipped.push(format!("part {}: {reason}", n + 1)),
                    }
                }
            }
        }
        if !skipped.is_empty() {
            let reason = skipped.join("; ");
            let reason = match (&question.scenario, blocks.is_empty()) {
                (None, _) => reason,
                (Some(_), true) => format!("case study: no part can be written ({reason})"),
                (Some(_), false) => {
                    format!("case study: the other parts are exported, but {reason}")
                }
            };
            left_out.push(LeftOut {
                id: question.id.clone(),
                reason,
            });
        }
        if blocks.is_empty() {
            continue;
        }
        let category = category(exam, question);
        if current_category.as_ref() != Some(&category) {
            out.push_str(&format!("$CATEGORY: {category}\n\n"));
            current_category = Some(category);
        }
        out.push_str(&blocks);
    }
    Export {
        bytes: out.into_bytes(),
        left_out,
    }
}

/// The Moodle category path of an item: exam, domain, task, the task number last so that a
/// re-import maps the item back to it. A `/` inside a name is written `//`, as Moodle does.
fn category(exam: &Exam, question: &Question) -> String {
    let Some(task) = task_of(exam, question) else {
        return exam.code.to_string();
    };
    let domain = question
        .mapping_for(&exam.code)
        .and_then(|m| exam.domains.iter().find(|d| d.number == m.domain));
    match domain {
        Some(domain) => format!(
            "{}/Domain {}: {}/Task {task}",
            exam.code,
            domain.number,
            domain.name.replace('/', "//").replace('\n', " ")
        ),
        None => format!("{}/Task {task}", exam.code),
    }
}

/// A GIFT text: Moodle's `repchar` escapes, line breaks as `\n`.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' | '#' | '=' | '~' | '{' | '}' | ':' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\r' => {}
            _ => out.push(c),
        }
    }
    out
}

/// A text that Moodle reads with a format: in the question's format, unless it begins with
/// `[`, which Moodle would take for a format name, so it names `[markdown]` itself.
fn field(text: &str) -> String {
    if text.starts_with('[') {
        format!("[markdown]{}", escape(text))
    } else {
        escape(text)
    }
}

/// One question block, or why the part cannot be one.
fn write_question(name: &str, tags: &[String], stem: &str, part: &Part) -> Result<String, String> {
    let answers = match part.kind {
        PartKind::Single => single(part)?,
        PartKind::Multiple => multiple(part)?,
        PartKind::Matching => matching(part)?,
        PartKind::Ordering => return Err("ordering: GIFT has no ordering question type".into()),
    };
    let mut block = String::from("// ");
    block.push_str(&bracket("id", name));
    for tag in tags {
        block.push(' ');
        block.push_str(&bracket("tag", tag));
    }
    block.push('\n');
    if part.kind == PartKind::Matching {
        // Moodle's matching answers have no feedback; the rationales ride in comment lines,
        // which Moodle skips and a re-import reads back.
        for option in part.options.iter().filter(|o| !o.rationale.is_empty()) {
            block.push_str(&format!(
                "{RATIONALE}{}: {}\n",
                option.id,
                escape(&option.rationale)
            ));
        }
    }
    block.push_str(&format!(
        "::{}::[markdown]{}{{\n",
        escape(name),
        escape(stem)
    ));
    block.push_str(&answers);
    if !part.explanation.is_empty() {
        block.push_str(&format!("\t####{}\n", field(&part.explanation)));
    }
    block.push_str("}\n\n");
    Ok(block)
}

fn bracket(label: &str, value: &str) -> String {
    format!("[{label}:{}]", value.replace(']', "\\]").replace('\n', " "))
}

fn feedback(rationale: &str) -> String {
    if rationale.is_empty() {
        String::new()
    } else {
        format!("#{}", field(rationale))
    }
}

fn single(part: &Part) -> Result<String, String> {
    if part.select() != 1 {
        return Err("a single-answer question needs exactly one key".into());
    }
    let mut lines = String::new();
    for option in &part.options {
        // Moodle would read a leading `%50%` as a weight; an explicit zero weight comes first.
        let mark = match (option.correct, option.text.starts_with('%')) {
            (true, _) => "=",
            (false, false) => "~",
            (false, true) => "~%0%",
        };
        lines.push_str(&format!(
            "\t{mark}{}{}\n",
            field(&option.text),
            feedback(&option.rationale)
        ));
    }
    Ok(lines)
}

/// Each key gets an equal share of 100% and each wrong answer an equal share of −100%, from
/// the grades Moodle accepts on import (its import stops on any other value).
fn multiple(part: &Part) -> Result<String, String> {
    let keys = part.select();
    let wrong = part.options.len() - keys;
    let Some(key_weight) = crate::moodle_share(keys) else {
        return Err(format!(
            "multiple response with {keys} keys: Moodle's grades have no equal share for each"
        ));
    };
    let wrong_weight = format!("-{}", crate::moodle_share(wrong).unwrap_or("10"));
    let mut lines = String::new();
    for option in &part.options {
        let weight = if option.correct {
            key_weight
        } else {
            &wrong_weight
        };
        lines.push_str(&format!(
            "\t~%{weight}%{}{}\n",
            field(&option.text),
            feedback(&option.rationale)
        ));
    }
    Ok(lines)
}

/// `=prompt -> answer` lines, with an answer no prompt uses as a `= -> answer` line (Moodle's
/// distractor). A re-import numbers the options in order of first appearance, so when the
/// prompts meet the options out of order, the first options are listed as `= -> answer` lines
/// ahead of the prompts (Moodle merges answers with the same text, so this changes nothing
/// there).
fn matching(part: &Part) -> Result<String, String> {
    let index_of = |answer: char| part.options.iter().position(|o| o.id == answer);
    let mut answers = Vec::new();
    for prompt in &part.prompts {
        if prompt.text.trim().is_empty() {
            return Err(format!("matching: prompt {} has no text", prompt.id));
        }
        if prompt.text.contains("->") {
            return Err(format!(
                "matching: prompt {} contains `->`, which GIFT reads as the arrow between a \
                 prompt and its answer",
                prompt.id
            ));
        }
        let Some(index) = index_of(prompt.answer) else {
            return Err(format!(
                "matching: prompt {} names no option ({})",
                prompt.id, prompt.answer
            ));
        };
        answers.push(index);
    }
    for (i, option) in part.options.iter().enumerate() {
        if option.text.trim().is_empty() {
            return Err(format!("matching: option {} has no text", option.id));
        }
        if part.options[..i].iter().any(|o| o.text == option.text) {
            return Err(format!(
                "matching: option {} has the same text as another option, and Moodle merges them",
                option.id
            ));
        }
    }
    let count = part.options.len();
    let appearance = |lead: usize| {
        let mut seen: Vec<usize> = (0..lead).collect();
        let unused = (0..count).filter(|i| !answers.contains(i));
        for index in answers.iter().copied().chain(unused) {
            if !seen.contains(&index) {
                seen.push(index);
            }
        }
        seen
    };
    let lead = (0..=count)
        .find(|&lead| appearance(lead).into_iter().eq(0..count))
        .unwrap_or(count);

    let distractor = |index: usize| format!("\t= -> {}\n", escape(&part.options[index].text));
    let mut lines: String = (0..lead).map(distractor).collect();
    for (prompt, &index) in part.prompts.iter().zip(&answers) {
        lines.push_str(&format!(
            "\t={} -> {}\n",
            field(&prompt.text),
            escape(&part.options[index].text)
        ));
    }
    for index in lead..count {
        if !answers.contains(&index) {
            lines.push_str(&distractor(index));
        }
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_every_gift_control_character() {
        assert_eq!(
            escape("a~b=c#d{e}f:g\\h\ni\r"),
            "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h\\ni"
        );
    }

    #[test]
    fn shares_are_moodle_grades_that_sum_to_100() {
        for n in 1..=10 {
            let share: f64 = crate::moodle_share(n)
                .and_then(|s| s.parse().ok())
                .expect("a share");
            assert!((share * n as f64 - 100.0).abs() < 0.001, "{n}");
        }
        assert_eq!(crate::moodle_share(11), None);
    }
}
