//! Writing Moodle XML in the shape Moodle's own export has, through quick-xml's writer: HTML in
//! CDATA, names and plain texts as escaped text.

use std::io;

use getmycert_core::{Exam, Part, PartKind, Question};
use quick_xml::Writer;
use quick_xml::events::{BytesCData, BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use crate::text::markdown_to_html;
use crate::{Export, LeftOut, task_of};

/// Writes `questions` (live items of `exam`, in bank order) as a Moodle XML `<quiz>`.
pub fn export(exam: &Exam, questions: &[Question]) -> Export {
    let mut out = Out(Writer::new_with_indent(Vec::new(), b' ', 2));
    let left_out = out
        .quiz(exam, questions)
        .expect("writing XML into memory cannot fail");
    let mut bytes = out.0.into_inner();
    bytes.push(b'\n');
    Export { bytes, left_out }
}

/// One Moodle question an item becomes: the item itself, or one case-study part.
struct Entry<'a> {
    name: String,
    stem: String,
    part: &'a Part,
}

/// The Moodle questions of an item, or why Moodle cannot hold it.
fn entries(question: &Question) -> Result<Vec<Entry<'_>>, String> {
    let entries: Vec<Entry<'_>> = match &question.scenario {
        Some(scenario) => question
            .parts
            .iter()
            .enumerate()
            .map(|(n, part)| Entry {
                name: format!("{}-q{}", question.id, n + 1),
                stem: format!("{}\n\n{}", scenario.trim_end(), part.stem),
                part,
            })
            .collect(),
        None => question
            .parts
            .iter()
            .map(|part| Entry {
                name: question.id.to_string(),
                stem: part.stem.clone(),
                part,
            })
            .collect(),
    };
    for entry in &entries {
        fits(entry.part)?;
    }
    Ok(entries)
}

fn fits(part: &Part) -> Result<(), String> {
    match part.kind {
        PartKind::Single | PartKind::Ordering => Ok(()),
        PartKind::Multiple => {
            let keys = part.select();
            crate::moodle_share(keys).map(|_| ()).ok_or_else(|| {
                format!(
                    "multiple response: Moodle's grade list has no equal share of 100% for {keys} keys"
                )
            })
        }
        PartKind::Matching => {
            for (i, option) in part.options.iter().enumerate() {
                if part.options[..i].iter().any(|o| o.text == option.text) {
                    return Err(format!(
                        "matching: options share the text `{}`, and Moodle merges equal answers",
                        option.text
                    ));
                }
            }
            match part
                .prompts
                .iter()
                .find(|p| option_index(part, p.answer).is_none())
            {
                Some(p) => Err(format!(
                    "matching: prompt {} names option {}, which the item does not have",
                    p.id, p.answer
                )),
                None => Ok(()),
            }
        }
    }
}

fn option_index(part: &Part, letter: char) -> Option<usize> {
    part.options.iter().position(|o| o.id == letter)
}

/// Moodle writes a literal `/` in a category name as `//`.
fn segment(name: &str) -> String {
    name.trim().replace('/', "//")
}

/// `$course$/top/<exam>/Domain <n>: <name>/<task>`, and the task statement, for `question`.
fn category(exam: &Exam, question: &Question) -> (String, String) {
    let base = format!("$course$/top/{}", segment(exam.code.as_str()));
    let Some(mapping) = question.mapping_for(&exam.code) else {
        return (base, String::new());
    };
    let task = task_of(exam, question).unwrap_or_default();
    match exam.domains.iter().find(|d| d.number == mapping.domain) {
        Some(domain) => {
            let statement = domain
                .numbered_tasks()
                .find(|(number, _)| *number == task)
                .map(|(_, statement)| statement.to_owned())
                .unwrap_or_default();
            (
                format!(
                    "{base}/{}/{}",
                    segment(&format!("Domain {}: {}", domain.number, domain.name)),
                    segment(&task)
                ),
                statement,
            )
        }
        None => (format!("{base}/{}", segment(&task)), String::new()),
    }
}

/// Moodle XML through quick-xml's writer.
struct Out(Writer<Vec<u8>>);

impl Out {
    fn quiz(&mut self, exam: &Exam, questions: &[Question]) -> io::Result<Vec<LeftOut>> {
        let mut left_out = Vec::new();
        self.0
            .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        self.start("quiz", &[])?;
        let mut current = None;
        for question in questions {
            let entries = match entries(question) {
                Ok(entries) => entries,
                Err(reason) => {
                    left_out.push(LeftOut {
                        id: question.id.clone(),
                        reason,
                    });
                    continue;
                }
            };
            let (path, statement) = category(exam, question);
            if current.as_ref() != Some(&path) {
                self.category(&path, &statement)?;
                current = Some(path);
            }
            let mut tags = question.tags.clone();
            tags.push(exam.code.to_string());
            if let Some(task) = task_of(exam, question) {
                tags.push(format!("{} task {task}", exam.code));
            }
            for entry in &entries {
                self.question(entry, &tags)?;
            }
        }
        self.end("quiz")?;
        Ok(left_out)
    }

    fn category(&mut self, path: &str, statement: &str) -> io::Result<()> {
        self.start("question", &[("type", "category")])?;
        self.start("category", &[])?;
        self.text_element("text", path)?;
        self.end("category")?;
        self.start("info", &[("format", "plain_text")])?;
        self.text_element("text", statement)?;
        self.end("info")?;
        self.end("question")
    }

    fn question(&mut self, entry: &Entry<'_>, tags: &[String]) -> io::Result<()> {
        let part = entry.part;
        let kind = match part.kind {
            PartKind::Single | PartKind::Multiple => "multichoice",
            PartKind::Matching => "matching",
            PartKind::Ordering => "ordering",
        };
        self.start("question", &[("type", kind)])?;
        self.start("name", &[])?;
        self.text_element("text", &entry.name)?;
        self.end("name")?;
        self.html("questiontext", &entry.stem)?;
        self.html("generalfeedback", &part.explanation)?;
        self.text_element("defaultgrade", "1")?;
        self.text_element("penalty", "0.3333333")?;
        self.text_element("hidden", "0")?;
        self.text_element("idnumber", &entry.name)?;
        match part.kind {
            PartKind::Single | PartKind::Multiple => self.multichoice(part)?,
            PartKind::Matching => self.matching(part)?,
            PartKind::Ordering => self.ordering(part)?,
        }
        if !tags.is_empty() {
            self.start("tags", &[])?;
            for tag in tags {
                self.start("tag", &[])?;
                self.text_element("text", tag)?;
                self.end("tag")?;
            }
            self.end("tags")?;
        }
        self.end("question")
    }

    fn multichoice(&mut self, part: &Part) -> io::Result<()> {
        let single = part.kind == PartKind::Single;
        let right = crate::moodle_share(part.select()).unwrap_or("100");
        let wrong = if single {
            "0".to_owned()
        } else {
            format!("-{right}")
        };
        self.text_element("single", if single { "true" } else { "false" })?;
        self.text_element("shuffleanswers", "1")?;
        self.text_element("answernumbering", "ABCD")?;
        self.text_element("showstandardinstruction", "1")?;
        for option in &part.options {
            let fraction = if option.correct { right } else { &wrong };
            self.start("answer", &[("fraction", fraction), ("format", "html")])?;
            self.html_text(&option.text)?;
            self.html("feedback", &option.rationale)?;
            self.end("answer")?;
        }
        Ok(())
    }

    fn matching(&mut self, part: &Part) -> io::Result<()> {
        self.text_element("shuffleanswers", "true")?;
        // Moodle matching has no feedback per answer; the combined feedback is shown after
        // every attempt, right or wrong, so the rationales go there.
        let rationales = part
            .options
            .iter()
            .filter(|o| !o.rationale.is_empty())
            .map(|o| format!("**{}.** {} — {}", o.id, o.text, o.rationale))
            .collect::<Vec<_>>()
            .join("\n\n");
        for field in [
            "correctfeedback",
            "partiallycorrectfeedback",
            "incorrectfeedback",
        ] {
            self.html(field, &rationales)?;
        }
        self.0
            .write_event(Event::Empty(BytesStart::new("shownumcorrect")))?;
        for prompt in &part.prompts {
            if let Some(i) = option_index(part, prompt.answer) {
                self.subquestion(&prompt.text, part, i)?;
            }
        }
        for (i, _) in part.options.iter().enumerate() {
            if !part
                .prompts
                .iter()
                .any(|p| option_index(part, p.answer) == Some(i))
            {
                self.subquestion("", part, i)?;
            }
        }
        Ok(())
    }

    fn subquestion(&mut self, prompt: &str, part: &Part, option: usize) -> io::Result<()> {
        self.start("subquestion", &[("format", "html")])?;
        self.html_text(prompt)?;
        self.start("answer", &[])?;
        // Moodle shows matching answers in a drop-down: plain text, so the Markdown source.
        // Moodle reads only the answer's text; the rationale beside it is for our re-import.
        let (answer, rationale) = part
            .options
            .get(option)
            .map_or(("", ""), |o| (o.text.as_str(), o.rationale.as_str()));
        self.text_element("text", answer)?;
        self.html("feedback", rationale)?;
        self.end("answer")?;
        self.end("subquestion")
    }

    fn ordering(&mut self, part: &Part) -> io::Result<()> {
        self.text_element("layouttype", "VERTICAL")?;
        self.text_element("selecttype", "ALL")?;
        self.text_element("selectcount", &part.options.len().to_string())?;
        self.text_element("gradingtype", "ALL_OR_NOTHING")?;
        self.text_element("showgrading", "SHOW")?;
        self.text_element("numberingstyle", "none")?;
        for (i, step) in part.options.iter().enumerate() {
            let position = (i + 1).to_string();
            self.start("answer", &[("fraction", &position), ("format", "html")])?;
            self.html_text(&step.text)?;
            self.html("feedback", &step.rationale)?;
            self.end("answer")?;
        }
        Ok(())
    }

    fn start(&mut self, name: &str, attributes: &[(&str, &str)]) -> io::Result<()> {
        let start = BytesStart::new(name).with_attributes(attributes.iter().copied());
        self.0.write_event(Event::Start(start))
    }

    fn end(&mut self, name: &str) -> io::Result<()> {
        self.0.write_event(Event::End(BytesEnd::new(name)))
    }

    /// `<name>text</name>`, escaped.
    fn text_element(&mut self, name: &str, text: &str) -> io::Result<()> {
        self.start(name, &[])?;
        if !text.is_empty() {
            self.0.write_event(Event::Text(BytesText::new(text)))?;
        }
        self.end(name)
    }

    /// `<name format="html"><text>…</text></name>` from Markdown.
    fn html(&mut self, name: &str, markdown: &str) -> io::Result<()> {
        self.start(name, &[("format", "html")])?;
        self.html_text(markdown)?;
        self.end(name)
    }

    /// `<text><![CDATA[…]]></text>` from Markdown.
    fn html_text(&mut self, markdown: &str) -> io::Result<()> {
        self.start("text", &[])?;
        let html = if markdown.trim().is_empty() {
            String::new()
        } else {
            markdown_to_html(markdown)
        };
        let html = html.trim();
        if !html.is_empty() {
            for cdata in BytesCData::escaped(html) {
                self.0.write_event(Event::CData(cdata))?;
            }
        }
        self.end("text")
    }
}
