//! Items out as an IMS content package: `imsmanifest.xml`, one `items/<id>.xml` per item and
//! `tests/<exam>.xml`, all written through quick-xml's writer.

use std::collections::HashSet;
use std::io::{self, Cursor, Write};

use getmycert_core::{Difficulty, Exam, Part, PartKind, Question};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::reader::Reader;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::{Export, LeftOut, task_of, text};

pub(crate) const NS_ITEM: &str = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0";
const ITEM_SCHEMA: &str = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0 https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqti_asiv3p0p1_v1p0.xsd";
pub(crate) const NS_CP: &str = "http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1";
const CP_SCHEMA: &str = "http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1 https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqtiv3p0_imscpv1p2_v1p0.xsd";
const NS_LOM: &str = "http://ltsc.ieee.org/xsd/LOM";
const NS_XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
const MATCH_CORRECT: &str =
    "https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct.xml";
pub(crate) const ITEM_TYPE: &str = "imsqti_item_xmlv3p0";
pub(crate) const TEST_TYPE: &str = "imsqti_test_xmlv3p0";

/// One item of the package.
struct Entry<'q> {
    question: &'q Question,
    /// The item's `identifier` (an XML name: the id, prefixed when it starts with a digit).
    identifier: String,
    /// `items/<id>.xml`.
    file: String,
    task: Option<String>,
    domain: Option<u8>,
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

fn test_path(exam: &Exam) -> String {
    format!("tests/{}.xml", exam.code)
}

/// quick-xml's writer with the document's indentation written as text between structural
/// elements only: embedded XHTML is written as it comes, since whitespace inside it is content.
struct Out {
    writer: Writer<Vec<u8>>,
    depth: usize,
    error: Option<io::Error>,
}

impl Out {
    fn new() -> Self {
        let mut out = Self {
            writer: Writer::new(Vec::new()),
            depth: 0,
            error: None,
        };
        out.event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
        out
    }

    fn event(&mut self, event: Event<'_>) {
        if self.error.is_none()
            && let Err(e) = self.writer.write_event(event)
        {
            self.error = Some(e);
        }
    }

    fn indent(&mut self) {
        let indent = format!("\n{}", "  ".repeat(self.depth));
        self.event(Event::Text(BytesText::new(&indent)));
    }

    fn tag<'a>(name: &'a str, attrs: &[(&'a str, &'a str)]) -> BytesStart<'a> {
        let mut tag = BytesStart::new(name);
        for attr in attrs {
            tag.push_attribute(*attr);
        }
        tag
    }

    /// A start tag on its own line; the element's children are indented below it.
    fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.indent();
        self.event(Event::Start(Self::tag(name, attrs)));
        self.depth += 1;
    }

    fn close(&mut self, name: &str) {
        self.depth = self.depth.saturating_sub(1);
        self.indent();
        self.event(Event::End(BytesEnd::new(name)));
    }

    /// A start tag whose content follows on the same line (mixed content), closed by
    /// [`Self::end`].
    fn start(&mut self, name: &str, attrs: &[(&str, &str)], new_line: bool) {
        if new_line {
            self.indent();
        }
        self.event(Event::Start(Self::tag(name, attrs)));
    }

    fn end(&mut self, name: &str) {
        self.event(Event::End(BytesEnd::new(name)));
    }

    fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.indent();
        self.event(Event::Empty(Self::tag(name, attrs)));
    }

    fn leaf(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.start(name, attrs, true);
        self.event(Event::Text(BytesText::new(text)));
        self.end(name);
    }

    /// Markdown as XHTML blocks.
    fn markdown(&mut self, markdown: &str) {
        self.fragment(&text::markdown_to_xhtml(markdown));
    }

    /// Markdown as XHTML, without the paragraph when it is one paragraph (an option's text).
    fn markdown_inline(&mut self, markdown: &str) {
        let xhtml = text::markdown_to_xhtml(markdown);
        let single = xhtml
            .strip_prefix("<p>")
            .and_then(|s| s.strip_suffix("</p>"))
            .filter(|inner| !inner.contains("<p>"));
        self.fragment(single.unwrap_or(&xhtml));
    }

    /// An XHTML fragment re-emitted event by event, so that the document stays well-formed
    /// whatever the fragment holds; a fragment that does not parse goes in as plain text.
    fn fragment(&mut self, xhtml: &str) {
        let mut reader = Reader::from_str(xhtml);
        let mut events = Vec::new();
        let mut depth = 0usize;
        let well_formed = loop {
            match reader.read_event() {
                Ok(Event::Eof) => break depth == 0,
                Ok(Event::Start(tag)) => {
                    depth += 1;
                    events.push(Event::Start(tag));
                }
                Ok(Event::End(tag)) => {
                    let Some(d) = depth.checked_sub(1) else {
                        break false;
                    };
                    depth = d;
                    events.push(Event::End(tag));
                }
                Ok(
                    e @ (Event::Empty(_) | Event::Text(_) | Event::GeneralRef(_) | Event::CData(_)),
                ) => {
                    events.push(e);
                }
                Ok(Event::Comment(_) | Event::PI(_) | Event::Decl(_) | Event::DocType(_)) => {}
                Err(_) => break false,
            }
        };
        if well_formed {
            for event in events {
                self.event(event);
            }
        } else {
            self.event(Event::Text(BytesText::new(&text::plain_text(xhtml))));
        }
    }

    fn finish(mut self) -> io::Result<Vec<u8>> {
        self.event(Event::Text(BytesText::new("\n")));
        match self.error {
            Some(e) => Err(e),
            None => Ok(self.writer.into_inner()),
        }
    }
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

fn has_text(s: &str) -> bool {
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

fn manifest(exam: &Exam, entries: &[Entry<'_>]) -> io::Result<Vec<u8>> {
    let mut x = Out::new();
    let code = exam.code.as_str();
    let manifest_id = format!("MANIFEST-{code}");
    x.open(
        "manifest",
        &[
            ("xmlns", NS_CP),
            ("xmlns:lom", NS_LOM),
            ("xmlns:xsi", NS_XSI),
            ("xsi:schemaLocation", CP_SCHEMA),
            ("identifier", manifest_id.as_str()),
        ],
    );
    x.open("metadata", &[]);
    x.leaf("schema", &[], "QTI Package");
    x.leaf("schemaversion", &[], "3.0.1");
    x.close("metadata");
    x.empty("organizations", &[]);
    x.open("resources", &[]);
    for entry in entries {
        let q = entry.question;
        x.open(
            "resource",
            &[
                ("identifier", entry.identifier.as_str()),
                ("type", ITEM_TYPE),
                ("href", entry.file.as_str()),
            ],
        );
        x.open("metadata", &[]);
        x.open("lom:lom", &[]);
        x.open("lom:general", &[]);
        x.open("lom:identifier", &[]);
        x.leaf("lom:catalog", &[], "GetMyCert");
        x.leaf("lom:entry", &[], q.id.as_str());
        x.close("lom:identifier");
        x.open("lom:title", &[]);
        x.leaf("lom:string", &[], q.id.as_str());
        x.close("lom:title");
        for tag in &q.tags {
            x.open("lom:keyword", &[]);
            x.leaf("lom:string", &[], tag);
            x.close("lom:keyword");
        }
        x.close("lom:general");
        x.open("lom:educational", &[]);
        vocabulary(&mut x, "lom:difficulty", difficulty(q.difficulty));
        x.close("lom:educational");
        for reference in &q.references {
            x.open("lom:relation", &[]);
            vocabulary(&mut x, "lom:kind", "references");
            x.open("lom:resource", &[]);
            x.open("lom:identifier", &[]);
            x.leaf("lom:catalog", &[], "URI");
            x.leaf("lom:entry", &[], reference);
            x.close("lom:identifier");
            x.close("lom:resource");
            x.close("lom:relation");
        }
        if let Some(mapping) = q.mapping_for(&exam.code) {
            let domain = exam.domains.iter().find(|d| d.number == mapping.domain);
            let statement = domain
                .and_then(|d| d.tasks.get(usize::from(mapping.task).saturating_sub(1)))
                .map_or("", String::as_str);
            x.open("lom:classification", &[]);
            vocabulary(&mut x, "lom:purpose", "educational objective");
            x.open("lom:taxonPath", &[]);
            x.open("lom:source", &[]);
            x.leaf("lom:string", &[], code);
            x.close("lom:source");
            taxon(
                &mut x,
                &mapping.domain.to_string(),
                domain.map_or("", |d| d.name.as_str()),
            );
            taxon(&mut x, &mapping.task_label(), statement);
            x.close("lom:taxonPath");
            x.close("lom:classification");
        }
        x.close("lom:lom");
        x.close("metadata");
        x.empty("file", &[("href", entry.file.as_str())]);
        x.close("resource");
    }
    let test_id = format!("TEST-{code}");
    let test_path = test_path(exam);
    x.open(
        "resource",
        &[
            ("identifier", test_id.as_str()),
            ("type", TEST_TYPE),
            ("href", test_path.as_str()),
        ],
    );
    x.empty("file", &[("href", test_path.as_str())]);
    for entry in entries {
        x.empty(
            "dependency",
            &[("identifierref", entry.identifier.as_str())],
        );
    }
    x.close("resource");
    x.close("resources");
    x.close("manifest");
    x.finish()
}

/// A LOM vocabulary element: `<name><source>LOMv1.0</source><value>…</value></name>`.
fn vocabulary(x: &mut Out, name: &str, value: &str) {
    x.open(name, &[]);
    x.leaf("lom:source", &[], "LOMv1.0");
    x.leaf("lom:value", &[], value);
    x.close(name);
}

/// Our difficulty in LOM's vocabulary (`very easy` … `very difficult`).
fn difficulty(difficulty: Difficulty) -> &'static str {
    match difficulty {
        Difficulty::Easy => "easy",
        Difficulty::Medium => "medium",
        Difficulty::Hard => "difficult",
    }
}

fn taxon(x: &mut Out, id: &str, entry: &str) {
    x.open("lom:taxon", &[]);
    x.leaf("lom:id", &[], id);
    if has_text(entry) {
        x.open("lom:entry", &[]);
        x.leaf("lom:string", &[], entry);
        x.close("lom:entry");
    }
    x.close("lom:taxon");
}

/// The assessment test: one section per domain (those with items), item refs relative to the
/// test file.
fn test(exam: &Exam, entries: &[Entry<'_>]) -> io::Result<Vec<u8>> {
    let mut x = Out::new();
    let code = exam.code.as_str();
    x.open(
        "qti-assessment-test",
        &[
            ("xmlns", NS_ITEM),
            ("xmlns:xsi", NS_XSI),
            ("xsi:schemaLocation", ITEM_SCHEMA),
            ("identifier", code),
            ("title", exam.name.as_str()),
            ("tool-name", "GetMyCert"),
        ],
    );
    x.open(
        "qti-test-part",
        &[
            ("identifier", "part-1"),
            ("navigation-mode", "nonlinear"),
            ("submission-mode", "individual"),
        ],
    );
    let mut sections: Vec<(String, String, Vec<&Entry<'_>>)> = exam
        .domains
        .iter()
        .map(|d| {
            let items = entries
                .iter()
                .filter(|e| e.domain == Some(d.number))
                .collect();
            (format!("domain-{}", d.number), d.name.clone(), items)
        })
        .collect();
    let known: Vec<u8> = exam.domains.iter().map(|d| d.number).collect();
    let other: Vec<&Entry<'_>> = entries
        .iter()
        .filter(|e| e.domain.is_none_or(|d| !known.contains(&d)))
        .collect();
    sections.push((
        "other".to_owned(),
        "Not mapped to a domain".to_owned(),
        other,
    ));
    for (id, title, items) in sections.iter().filter(|(_, _, items)| !items.is_empty()) {
        x.open(
            "qti-assessment-section",
            &[
                ("identifier", id.as_str()),
                ("title", title.as_str()),
                ("visible", "true"),
            ],
        );
        for entry in items {
            let href = format!("../{}", entry.file);
            x.empty(
                "qti-assessment-item-ref",
                &[
                    ("identifier", entry.identifier.as_str()),
                    ("href", href.as_str()),
                ],
            );
        }
        x.close("qti-assessment-section");
    }
    x.close("qti-test-part");
    x.close("qti-assessment-test");
    x.finish()
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
