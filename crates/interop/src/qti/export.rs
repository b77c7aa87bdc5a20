//! Items out as an IMS content package: `imsmanifest.xml`, one `items/<id>.xml` per item and
//! `tests/<exam>.xml`, all written through quick-xml's writer.

use std::collections::HashSet;
use std::io::{self, Cursor, Write};

use getmycert_core::{Exam, Part, PartKind, Question};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::manifest::{manifest, test};
use super::xml_out::Out;
use crate::{Export, LeftOut, task_of};

pub(crate) const NS_ITEM: &str = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0";
pub(super) const ITEM_SCHEMA: &str = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0 https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqti_asiv3p0p1_v1p0.xsd";
pub(crate) const NS_CP: &str = "http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1";
pub(super) const CP_SCHEMA: &str = "http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1 https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqtiv3p0_imscpv1p2_v1p0.xsd";
pub(super) const NS_LOM: &str = "http://ltsc.ieee.org/xsd/LOM";
pub(super) const NS_XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
const MATCH_CORRECT: &str =
    "https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct.xml";
pub(crate) const ITEM_TYPE: &str = "imsqti_item_xmlv3p0";
pub(crate) const TEST_TYPE: &str = "imsqti_test_xmlv3p0";

/// One item of the package.
pub(super) struct Entry<'q> {
    pub(super) question: &'q Question,
    /// The item's `identifier` (an XML name: the id, prefixed when it starts with a digit).
    pub(super) identifier: String,
    /// `items/<id>.xml`.
    pub(super) file: String,
    pub(super) task: Option<String>,
    pub(super) domain: Option<u8>,
}

pub(crate) fn export(exam: &Exam, questions: &[Question]) -> Export {
    match package(exam, questions) {
        Ok(export) => export,
        Err(e) => Export {
            bytes: Vec::new(),
            left_out: questions
                .iter()
                .map(|q| LeftOut {
                    id: q.id.clone(),
                    reason: format!("the QTI package could not be written: {e}"),
                })
                .collect(),
        },
    }
}

/// An XML name for the item: QTI identifiers cannot start with a digit, our ids can.
pub(crate) fn identifier(id: &str) -> String {
    if id.starts_with(|c: char| c.is_ascii_alphabetic()) {
        id.to_owned()
    } else {
        format!("q-{id}")
    }
}

fn package(exam: &Exam, questions: &[Question]) -> zip::result::ZipResult<Export> {
    let mut left_out = Vec::new();
    let mut seen = HashSet::new();
    let mut entries = Vec::new();
    for q in questions {
        let identifier = identifier(q.id.as_str());
        if !seen.insert(identifier.clone()) {
            left_out.push(LeftOut {
                id: q.id.clone(),
                reason: format!("another item already has the QTI identifier `{identifier}`"),
            });
            continue;
        }
        entries.push(Entry {
            question: q,
            file: format!("items/{}.xml", q.id),
            identifier,
            task: task_of(exam, q),
            domain: q.mapping_for(&exam.code).map(|m| m.domain),
        });
    }

    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("imsmanifest.xml", options)?;
    zip.write_all(&manifest(exam, &entries)?)?;
    for entry in &entries {
        zip.start_file(entry.file.as_str(), options)?;
        zip.write_all(&item(entry)?)?;
    }
    zip.start_file(test_path(exam), options)?;
    zip.write_all(&test(exam, &entries)?)?;
    let bytes = zip.finish()?.into_inner();
    Ok(Export { bytes, left_out })
}

pub(super) fn test_path(exam: &Exam) -> String {
    format!("tests/{}.xml", exam.code)
}

/// The response identifier of part `k` (0-based) of an item of `count` parts.
fn response(count: usize, k: usize) -> String {
    if count == 1 {
        "RESPONSE".to_owned()
    } else {
        format!("RESPONSE_{}", k + 1)
    }
}

fn explanation_id(count: usize, k: usize) -> String {
    if count == 1 {
        "EXPLANATION".to_owned()
    } else {
        format!("EXPLANATION_{}", k + 1)
    }
}

fn rationale_id(response: &str, option: char) -> String {
    format!("{response}_{option}")
}

pub(super) fn has_text(s: &str) -> bool {
    !s.trim().is_empty()
}

fn item(entry: &Entry<'_>) -> io::Result<Vec<u8>> {
    let q = entry.question;
    let count = q.parts.len();
    let mut x = Out::new();
    let mut attrs = vec![
        ("xmlns", NS_ITEM),
        ("xmlns:xsi", NS_XSI),
        ("xsi:schemaLocation", ITEM_SCHEMA),
        ("identifier", entry.identifier.as_str()),
        ("title", q.id.as_str()),
    ];
    if let Some(task) = &entry.task {
        attrs.push(("label", task.as_str()));
    }
    attrs.extend([
        ("adaptive", "false"),
        ("time-dependent", "false"),
        ("xml:lang", "en"),
        ("tool-name", "GetMyCert"),
    ]);
    x.open("qti-assessment-item", &attrs);

    for (k, part) in q.parts.iter().enumerate() {
        declaration(&mut x, part, &response(count, k));
    }
    let max = count.to_string();
    x.open(
        "qti-outcome-declaration",
        &[
            ("identifier", "SCORE"),
            ("cardinality", "single"),
            ("base-type", "float"),
            ("normal-maximum", max.as_str()),
        ],
    );
    x.open("qti-default-value", &[]);
    x.leaf("qti-value", &[], "0");
    x.close("qti-default-value");
    x.close("qti-outcome-declaration");
    // Every feedback this item shows once answered: each option's rationale and each part's
    // explanation, as our own pages show them.
    let mut feedback = Vec::new();
    for (k, part) in q.parts.iter().enumerate() {
        let response = response(count, k);
        for option in part.options.iter().filter(|o| has_text(&o.rationale)) {
            feedback.push(rationale_id(&response, option.id));
        }
        if has_text(&part.explanation) {
            feedback.push(explanation_id(count, k));
        }
    }
    if !feedback.is_empty() {
        x.empty(
            "qti-outcome-declaration",
            &[
                ("identifier", "FEEDBACK"),
                ("cardinality", "multiple"),
                ("base-type", "identifier"),
            ],
        );
    }

    x.open("qti-item-body", &[]);
    if let Some(scenario) = q.scenario.as_deref().filter(|s| has_text(s)) {
        x.indent();
        x.markdown(scenario);
    }
    for (k, part) in q.parts.iter().enumerate() {
        interaction(&mut x, part, &response(count, k));
    }
    x.close("qti-item-body");

    response_processing(&mut x, count, &feedback);

    for (k, part) in q.parts.iter().enumerate() {
        if !has_text(&part.explanation) {
            continue;
        }
        let id = explanation_id(count, k);
        let title = if count == 1 {
            "Explanation".to_owned()
        } else {
            format!("Explanation, question {}", k + 1)
        };
        x.open(
            "qti-modal-feedback",
            &[
                ("outcome-identifier", "FEEDBACK"),
                ("identifier", id.as_str()),
                ("show-hide", "show"),
                ("title", title.as_str()),
            ],
        );
        x.start("qti-content-body", &[], true);
        x.markdown(&part.explanation);
        x.end("qti-content-body");
        x.close("qti-modal-feedback");
    }
    x.close("qti-assessment-item");
    x.finish()
}

fn declaration(x: &mut Out, part: &Part, response: &str) {
    let (cardinality, base_type, values): (&str, &str, Vec<String>) = match part.kind {
        PartKind::Single => ("single", "identifier", keys(part)),
        PartKind::Multiple => ("multiple", "identifier", keys(part)),
        PartKind::Ordering => (
            "ordered",
            "identifier",
            part.options.iter().map(|o| o.id.to_string()).collect(),
        ),
        PartKind::Matching => (
            "multiple",
            "directedPair",
            part.prompts
                .iter()
                .map(|p| format!("P{} {}", p.id, p.answer))
                .collect(),
        ),
    };
    x.open(
        "qti-response-declaration",
        &[
            ("identifier", response),
            ("cardinality", cardinality),
            ("base-type", base_type),
        ],
    );
    x.open("qti-correct-response", &[]);
    for value in &values {
        x.leaf("qti-value", &[], value);
    }
    x.close("qti-correct-response");
    x.close("qti-response-declaration");
}

fn keys(part: &Part) -> Vec<String> {
    part.keys().iter().map(char::to_string).collect()
}

fn interaction(x: &mut Out, part: &Part, response: &str) {
    match part.kind {
        PartKind::Single | PartKind::Multiple => {
            let max = if part.kind == PartKind::Single {
                1
            } else {
                part.select()
            }
            .to_string();
            let name = "qti-choice-interaction";
            x.open(
                name,
                &[
                    ("response-identifier", response),
                    ("shuffle", "false"),
                    ("max-choices", max.as_str()),
                ],
            );
            prompt(x, &part.stem);
            for option in &part.options {
                let id = option.id.to_string();
                let attrs = [("identifier", id.as_str())];
                choice(x, "qti-simple-choice", &attrs, &option.text);
                rationale(x, response, option.id, &option.rationale);
                x.end("qti-simple-choice");
            }
            x.close(name);
        }
        PartKind::Ordering => {
            let name = "qti-order-interaction";
            // The steps are written in the correct order, so the delivery must shuffle them.
            x.open(
                name,
                &[("response-identifier", response), ("shuffle", "true")],
            );
            prompt(x, &part.stem);
            for option in &part.options {
                let id = option.id.to_string();
                choice(
                    x,
                    "qti-simple-choice",
                    &[("identifier", id.as_str())],
                    &option.text,
                );
                rationale(x, response, option.id, &option.rationale);
                x.end("qti-simple-choice");
            }
            x.close(name);
        }
        PartKind::Matching => {
            let name = "qti-match-interaction";
            let prompts = part.prompts.len().to_string();
            x.open(
                name,
                &[
                    ("response-identifier", response),
                    ("shuffle", "false"),
                    ("max-associations", prompts.as_str()),
                ],
            );
            prompt(x, &part.stem);
            let associable = "qti-simple-associable-choice";
            x.open("qti-simple-match-set", &[]);
            for p in &part.prompts {
                let id = format!("P{}", p.id);
                choice(
                    x,
                    associable,
                    &[("identifier", id.as_str()), ("match-max", "1")],
                    &p.text,
                );
                x.end(associable);
            }
            x.close("qti-simple-match-set");
            // An option may be the match of several prompts.
            x.open("qti-simple-match-set", &[]);
            for option in &part.options {
                let id = option.id.to_string();
                choice(
                    x,
                    associable,
                    &[("identifier", id.as_str()), ("match-max", prompts.as_str())],
                    &option.text,
                );
                rationale(x, response, option.id, &option.rationale);
                x.end(associable);
            }
            x.close("qti-simple-match-set");
            x.close(name);
        }
    }
}

fn prompt(x: &mut Out, stem: &str) {
    x.start("qti-prompt", &[], true);
    x.markdown(stem);
    x.end("qti-prompt");
}

/// A choice's start tag and text; the caller adds its feedback and closes it.
fn choice(x: &mut Out, name: &str, attrs: &[(&str, &str)], text: &str) {
    x.start(name, attrs, true);
    x.markdown_inline(text);
}

fn rationale(x: &mut Out, response: &str, option: char, rationale: &str) {
    if !has_text(rationale) {
        return;
    }
    let id = rationale_id(response, option);
    x.start(
        "qti-feedback-block",
        &[
            ("outcome-identifier", "FEEDBACK"),
            ("identifier", id.as_str()),
            ("show-hide", "show"),
        ],
        false,
    );
    x.start("qti-content-body", &[], false);
    x.markdown(rationale);
    x.end("qti-content-body");
    x.end("qti-feedback-block");
}

/// `match_correct` when the item has one interaction and no feedback; otherwise the same
/// rule written out (one per part for a case study, counting correct parts), followed by
/// setting FEEDBACK to every feedback identifier, which the template cannot do.
fn response_processing(x: &mut Out, count: usize, feedback: &[String]) {
    let rp = "qti-response-processing";
    if count == 1 && feedback.is_empty() {
        x.empty(rp, &[("template", MATCH_CORRECT)]);
        return;
    }
    x.open(rp, &[]);
    for k in 0..count {
        let response = response(count, k);
        x.open("qti-response-condition", &[]);
        x.open("qti-response-if", &[]);
        x.open("qti-match", &[]);
        x.empty("qti-variable", &[("identifier", response.as_str())]);
        x.empty("qti-correct", &[("identifier", response.as_str())]);
        x.close("qti-match");
        x.open("qti-set-outcome-value", &[("identifier", "SCORE")]);
        if count == 1 {
            x.leaf("qti-base-value", &[("base-type", "float")], "1");
        } else {
            x.open("qti-sum", &[]);
            x.empty("qti-variable", &[("identifier", "SCORE")]);
            x.leaf("qti-base-value", &[("base-type", "float")], "1");
            x.close("qti-sum");
        }
        x.close("qti-set-outcome-value");
        x.close("qti-response-if");
        if count == 1 {
            x.open("qti-response-else", &[]);
            x.open("qti-set-outcome-value", &[("identifier", "SCORE")]);
            x.leaf("qti-base-value", &[("base-type", "float")], "0");
            x.close("qti-set-outcome-value");
            x.close("qti-response-else");
        }
        x.close("qti-response-condition");
    }
    if !feedback.is_empty() {
        x.open("qti-set-outcome-value", &[("identifier", "FEEDBACK")]);
        x.open("qti-multiple", &[]);
        for id in feedback {
            x.leaf("qti-base-value", &[("base-type", "identifier")], id);
        }
        x.close("qti-multiple");
        x.close("qti-set-outcome-value");
    }
    x.close(rp);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_xml_names() {
        assert_eq!(identifier("mls-pipe-mode"), "mls-pipe-mode");
        assert_eq!(identifier("3d-vision"), "q-3d-vision");
    }

    #[test]
    fn fragments_stay_well_formed() {
        let mut x = Out::new();
        x.fragment("<p>a &amp; b <code>x &lt; y</code></p>\n<p>c</p>");
        x.fragment("<p>broken <b></p>");
        let out = String::from_utf8(x.finish().expect("written")).expect("utf-8");
        assert!(
            out.contains("<p>a &amp; b <code>x &lt; y</code></p>\n<p>c</p>"),
            "{out}"
        );
        assert!(out.contains("broken"), "{out}");
        assert!(!out.contains("<b>"), "{out}");
    }

    #[test]
    fn single_paragraph_options_lose_their_paragraph() {
        let mut x = Out::new();
        x.markdown_inline("Amazon **S3**");
        let out = String::from_utf8(x.finish().expect("written")).expect("utf-8");
        assert!(out.ends_with("Amazon <strong>S3</strong>\n"), "{out}");
    }
}
