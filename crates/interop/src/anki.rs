//! Anki decks in Anki's text import format (Anki 2.1.55 and later reads the `#` file headers):
//! tab-separated, HTML fields, one Basic note per item. Front: the scenario, the stem and the
//! options (an ordering part's steps in a neutral order, a matching part's prompts and options).
//! Back: the key, every option's rationale, the explanation and the references. Tags: the
//! exam, `<exam>::domain-N`, `<exam>::task-N.M` and the item's own tags. The note GUID is the
//! item id, so importing a newer deck updates the notes instead of adding copies.
//! Nothing is left out: every item type can be shown on a card.

use std::fmt::Write as _;

use getmycert_core::{Choice, Exam, Part, PartKind, Question};

use crate::Export;
use crate::text::markdown_to_html;

/// The deck a whole-bank export goes to: `GetMyCert::<exam>`.
pub fn export(exam: &Exam, questions: &[Question]) -> Export {
    deck(exam, questions, &format!("GetMyCert::{}", exam.code))
}

/// One note per item of `questions` in the deck named `name` (`::` nests decks).
pub fn deck(exam: &Exam, questions: &[Question], name: &str) -> Export {
    let mut out = String::new();
    for header in [
        "#separator:tab",
        "#html:true",
        "#notetype:Basic",
        &format!("#deck:{}", one_line(name)),
        "#guid column:1",
        "#tags column:4",
    ] {
        out.push_str(header);
        out.push('\n');
    }
    let mut rows = csv::WriterBuilder::new()
        .delimiter(b'\t')
        .has_headers(false)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(Vec::new());
    for q in questions {
        let guid = format!("getmycert-{}", q.id);
        let record = [guid, front(q), back(q), tags(exam, q).join(" ")];
        // Writing to a Vec cannot fail.
        let _ = rows.write_record(&record);
    }
    let body = rows.into_inner().unwrap_or_default();
    let mut bytes = out.into_bytes();
    bytes.extend(body);
    Export {
        bytes,
        left_out: Vec::new(),
    }
}

/// Deck names and headers are one line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn front(q: &Question) -> String {
    let mut html = String::new();
    if let Some(scenario) = &q.scenario {
        html.push_str(&markdown_to_html(scenario));
    }
    let many = q.parts.len() > 1;
    for (i, part) in q.parts.iter().enumerate() {
        if many {
            let _ = write!(html, "<h3>Question {}</h3>", i + 1);
        }
        html.push_str(&markdown_to_html(&part.stem));
        match part.kind {
            PartKind::Single | PartKind::Multiple => {
                if part.kind == PartKind::Multiple {
                    let _ = write!(
                        html,
                        "<p><em>{}</em></p>",
                        getmycert_core::question::select_phrase(part.select())
                    );
                }
                html.push_str(&lettered(part, |o| &o.text));
            }
            PartKind::Ordering => {
                html.push_str("<p><em>Put the steps in order.</em></p><ul>");
                for step in neutral_order(part) {
                    let _ = write!(html, "<li>{}</li>", inline(&step.text));
                }
                html.push_str("</ul>");
            }
            PartKind::Matching => {
                html.push_str("<p><em>Match each item to an option.</em></p><ol>");
                for prompt in &part.prompts {
                    let _ = write!(html, "<li>{}</li>", inline(&prompt.text));
                }
                html.push_str("</ol>");
                html.push_str(&lettered(part, |o| &o.text));
            }
        }
    }
    html
}

fn back(q: &Question) -> String {
    let mut html = String::new();
    let many = q.parts.len() > 1;
    for (i, part) in q.parts.iter().enumerate() {
        if many {
            let _ = write!(html, "<h3>Question {}</h3>", i + 1);
        }
        html.push_str("<p><strong>Answer:</strong> ");
        html.push_str(&answer(part));
        html.push_str("</p>");
        html.push_str(&lettered(part, |o| &o.rationale));
        html.push_str(&markdown_to_html(&part.explanation));
    }
    if !q.references.is_empty() {
        html.push_str("<p><strong>References</strong></p><ul>");
        for reference in &q.references {
            let link = markdown_to_html(&format!("<{reference}>"));
            let _ = write!(html, "<li>{}</li>", strip_paragraph(&link));
        }
        html.push_str("</ul>");
    }
    html
}

fn answer(part: &Part) -> String {
    match part.kind {
        PartKind::Single | PartKind::Multiple => part
            .keys()
            .iter()
            .map(char::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        PartKind::Ordering => part
            .options
            .iter()
            .map(|o| inline(&o.text))
            .collect::<Vec<_>>()
            .join(" → "),
        PartKind::Matching => part
            .prompts
            .iter()
            .map(|p| format!("{} → {}", p.id, p.answer))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// A list of the part's options by letter, each showing `text` of the option.
fn lettered(part: &Part, text: impl Fn(&Choice) -> &str) -> String {
    let mut html = String::from("<ul>");
    for option in &part.options {
        let _ = write!(
            html,
            "<li><strong>{}.</strong> {}</li>",
            option.id,
            inline(text(option))
        );
    }
    html.push_str("</ul>");
    html
}

/// An ordering part's steps sorted by text, so the front does not give the order away.
fn neutral_order(part: &Part) -> Vec<&Choice> {
    let mut steps: Vec<_> = part.options.iter().collect();
    steps.sort_by(|a, b| a.text.cmp(&b.text));
    if steps.iter().zip(&part.options).all(|(a, b)| a.id == b.id) {
        steps.reverse();
    }
    steps
}

/// A one-paragraph Markdown text as inline HTML (no surrounding `<p>`).
fn inline(markdown: &str) -> String {
    strip_paragraph(&markdown_to_html(markdown))
}

fn strip_paragraph(html: &str) -> String {
    let trimmed = html.trim();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|t| t.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_owned(),
        _ => trimmed.to_owned(),
    }
}

/// Anki tags: no spaces; `::` nests them.
fn tags(exam: &Exam, q: &Question) -> Vec<String> {
    let code = exam.code.to_string();
    let mut tags = vec![code.clone()];
    if let Some(m) = q.mapping_for(&exam.code) {
        tags.push(format!("{code}::domain-{}", m.domain));
        tags.push(format!("{code}::task-{}", m.task_label()));
    }
    for tag in &q.tags {
        let tag = tag.split_whitespace().collect::<Vec<_>>().join("-");
        if !tag.is_empty() {
            tags.push(tag);
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    use getmycert_content::{Content, ContentSource};
    use getmycert_core::ExamCode;

    use super::*;

    fn bank() -> (Exam, Vec<Question>) {
        let content = Content::load(&ContentSource::Embedded).expect("bank");
        let code = ExamCode::parse("AIF-C01").expect("code");
        let exam = content.exam(&code).expect("exam").clone();
        let items = content
            .questions
            .into_iter()
            .filter(|q| q.mapping_for(&code).is_some())
            .filter(|q| q.status == getmycert_core::ItemStatus::Live)
            .collect();
        (exam, items)
    }

    /// Reads the deck the way Anki's importer does: headers, then tab-separated records with
    /// quoted fields.
    fn read(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
        let text = std::str::from_utf8(bytes).expect("utf-8");
        let headers: Vec<String> = text
            .lines()
            .take_while(|l| l.starts_with('#'))
            .map(str::to_owned)
            .collect();
        let body: String = text.split_inclusive('\n').skip(headers.len()).collect();
        let rows = csv::ReaderBuilder::new()
            .delimiter(b'\t')
            .has_headers(false)
            .from_reader(body.as_bytes())
            .records()
            .map(|r| r.expect("record").iter().map(str::to_owned).collect())
            .collect();
        (headers, rows)
    }

    #[test]
    fn the_bank_becomes_one_note_per_item_with_its_key_on_the_back_only() {
        let (exam, items) = bank();
        let export = export(&exam, &items);
        assert!(export.left_out.is_empty());
        let (headers, rows) = read(&export.bytes);
        assert_eq!(headers[0], "#separator:tab");
        assert!(headers.contains(&"#deck:GetMyCert::AIF-C01".to_owned()));
        assert!(headers.contains(&"#guid column:1".to_owned()));
        assert_eq!(rows.len(), items.len());
        for (row, q) in rows.iter().zip(&items) {
            assert_eq!(row.len(), 4, "{}", q.id);
            assert_eq!(row[0], format!("getmycert-{}", q.id));
            let m = q.mapping_for(&exam.code).expect("mapped");
            assert!(
                row[3]
                    .split(' ')
                    .any(|t| t == format!("AIF-C01::task-{}", m.task_label()))
            );
            for part in &q.parts {
                let rationale = part.options.first().map(|o| inline(&o.rationale));
                let rationale = rationale.unwrap_or_default();
                assert!(
                    row[2].contains(&rationale),
                    "{}: rationale on the back",
                    q.id
                );
                assert!(
                    !row[1].contains(&rationale),
                    "{}: rationale not on the front",
                    q.id
                );
                if matches!(part.kind, PartKind::Single | PartKind::Multiple) {
                    let keys = answer(part);
                    assert!(row[2].contains(&format!("<strong>Answer:</strong> {keys}</p>")));
                }
            }
        }
    }

    #[test]
    fn an_ordering_front_does_not_list_the_steps_in_order() {
        let (_, items) = bank();
        let ordering: Vec<&Question> = items
            .iter()
            .filter(|q| q.parts.iter().any(|p| p.kind == PartKind::Ordering))
            .collect();
        assert!(!ordering.is_empty(), "the bank has ordering items");
        for q in ordering {
            let part = &q.parts[0];
            let shown: Vec<char> = neutral_order(part).iter().map(|s| s.id).collect();
            let order: Vec<char> = part.options.iter().map(|s| s.id).collect();
            assert_ne!(shown, order, "{}", q.id);
            let html = front(q);
            assert!(!html.contains(&answer(part)), "{}", q.id);
        }
    }
}
