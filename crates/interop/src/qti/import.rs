//! One `qti-assessment-item` into a [`Draft`], or an [`Unsupported`] entry when its
//! interactions are not ones our items can hold.

use std::collections::{HashMap, HashSet};

use getmycert_core::{Part, PartKind};

use super::dom::{Element, HtmlOut, Node, inner_html};
use super::interactions::read_interaction;
use crate::{Draft, ImportError, Location, Unsupported, text};

/// The interactions that become parts.
const SUPPORTED: [&str; 3] = [
    "qti-choice-interaction",
    "qti-order-interaction",
    "qti-match-interaction",
];

/// What a package says about an item outside the item file (its file, its test section, its
/// manifest metadata); empty for a lone item file.
#[derive(Debug, Default, Clone)]
pub(crate) struct ItemContext {
    pub file: Option<String>,
    /// The title of the test section that references the item.
    pub section: Option<String>,
    /// The first taxon of the manifest's LOM classification (our exports: the domain name).
    pub domain: Option<String>,
    /// The last taxon id that looks like a task (`1.2`).
    pub task: Option<String>,
    /// The manifest's LOM keywords.
    pub tags: Vec<String>,
    /// The shared passages (`qti-assessment-stimulus`) the item refers to, as Markdown.
    pub stimulus: Option<String>,
}

impl ItemContext {
    fn at(&self, line: usize) -> Location {
        match &self.file {
            Some(file) => Location::in_file(file.clone(), line),
            None => Location::line(line),
        }
    }

    pub(super) fn error(&self, line: usize, message: impl Into<String>) -> ImportError {
        ImportError::new(self.at(line), message)
    }
}

/// What an item file holds.
#[derive(Debug)]
pub(crate) enum ItemRead {
    Draft(Draft),
    Unsupported(Unsupported),
}

/// A `qti-response-declaration`.
pub(super) struct Declaration {
    pub(super) cardinality: String,
    pub(super) base_type: String,
    pub(super) correct: Vec<String>,
    pub(super) has_correct: bool,
    pub(super) line: usize,
}

/// A feedback text not tied to one choice: the explanation.
pub(super) struct Feedback {
    pub(super) identifier: String,
    pub(super) markdown: String,
}

/// A part as read from its interaction, before the body text around it is placed.
pub(super) struct ReadPart {
    pub(super) part: Part,
    pub(super) prompt: String,
    /// The QTI identifiers of the options, in the order of `part.options`.
    pub(super) option_ids: Vec<String>,
    pub(super) line: usize,
}

fn is_interaction(element: &Element) -> bool {
    element.name.starts_with("qti-") && element.name.ends_with("-interaction")
}

pub(super) fn is_feedback(element: &Element) -> bool {
    matches!(
        element.name.as_str(),
        "qti-feedback-block" | "qti-feedback-inline"
    )
}

/// `qti-text-entry-interaction` → `text-entry`.
fn kind_name(name: &str) -> String {
    let name = name.strip_prefix("qti-").unwrap_or(name);
    name.strip_suffix("-interaction").unwrap_or(name).to_owned()
}

pub(super) fn markdown(html: &str) -> String {
    text::html_to_markdown(html)
}

fn join(pieces: &[&str]) -> String {
    pieces
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The text of a feedback element, inside its `qti-content-body` when it has one.
fn feedback_markdown(element: &Element) -> String {
    let content = element.child("qti-content-body").unwrap_or(element);
    markdown(&inner_html(content, &|_| false))
}

/// A choice's text (without its feedback) and its rationale (the feedback inside it).
pub(super) fn choice_texts(choice: &Element) -> (String, String) {
    let text = markdown(&inner_html(choice, &is_feedback));
    let rationales: Vec<String> = choice
        .elements()
        .filter(|e| is_feedback(e))
        .map(feedback_markdown)
        .collect();
    let refs: Vec<&str> = rationales.iter().map(String::as_str).collect();
    (text, join(&refs))
}

/// Reads one item. Errors name the item file and line; a well-formed item of a kind we cannot
/// hold is `Ok(ItemRead::Unsupported)`.
pub(crate) fn read_item(root: &Element, cx: &ItemContext) -> Result<ItemRead, ImportError> {
    match root.name.as_str() {
        "qti-assessment-item" => {}
        "assessmentItem" => {
            return Err(cx.error(
                root.line,
                "this is a QTI 2 `assessmentItem`; only QTI 3.0 items (`qti-assessment-item`) are read",
            ));
        }
        other => {
            return Err(cx.error(
                root.line,
                format!("expected a `qti-assessment-item`, found `<{other}>`"),
            ));
        }
    }
    let identifier = root
        .attr("identifier")
        .map(str::trim)
        .filter(|s| !s.is_empty());
    // Our exports prefix ids that start with a digit (not an XML name) and keep the id as the
    // title; take it back from there.
    let title = match (identifier, root.attr("title")) {
        (Some(id), Some(title)) if id.strip_prefix("q-") == Some(title) => Some(title.to_owned()),
        (id, _) => id.map(str::to_owned),
    };
    let unsupported = |kind: String, line: usize| {
        Ok(ItemRead::Unsupported(Unsupported {
            location: cx.at(line),
            kind,
            title: title.clone(),
        }))
    };

    let Some(body) = root.child("qti-item-body") else {
        return unsupported("no interaction".to_owned(), root.line);
    };
    let interactions = interactions(body);
    if let Some(other) = interactions
        .iter()
        .find(|i| !SUPPORTED.contains(&i.name.as_str()))
    {
        return unsupported(kind_name(&other.name), other.line);
    }
    match interactions.len() {
        0 => return unsupported("no interaction".to_owned(), body.line),
        1..=4 => {}
        n => {
            let line = interactions.get(4).map_or(body.line, |e| e.line);
            return unsupported(format!("{n} interactions"), line);
        }
    }

    let declarations = declarations(root, cx)?;
    let mut read = Vec::new();
    let mut responses = HashSet::new();
    for interaction in &interactions {
        let part = read_interaction(interaction, &declarations, cx)?;
        if let Some(id) = interaction.attr("response-identifier")
            && !responses.insert(id)
        {
            return Err(cx.error(
                interaction.line,
                format!("two interactions answer the same response `{id}`"),
            ));
        }
        read.push(part);
    }

    let mut feedback = Vec::new();
    let segments = body_segments(body, &mut feedback);
    let mut modal: Vec<Feedback> = root
        .children_named("qti-modal-feedback")
        .map(|m| Feedback {
            identifier: m.attr("identifier").unwrap_or_default().to_owned(),
            markdown: feedback_markdown(m),
        })
        .collect();
    // Per-choice modal feedback (shown when FEEDBACK is set to the chosen identifier) is the
    // choice's rationale.
    if let [only] = read.as_mut_slice()
        && matches!(only.part.kind, PartKind::Single | PartKind::Multiple)
    {
        modal.retain(|m| {
            let Some(i) = only.option_ids.iter().position(|id| *id == m.identifier) else {
                return true;
            };
            match only.part.options.get_mut(i) {
                Some(option) if option.rationale.is_empty() => {
                    option.rationale = m.markdown.clone();
                    false
                }
                _ => true,
            }
        });
    }
    feedback.extend(modal);
    let count = read.len();
    let mut explanations: Vec<Vec<String>> = vec![Vec::new(); count];
    for f in feedback.into_iter().filter(|f| !f.markdown.is_empty()) {
        let index = if count == 1 {
            0
        } else {
            part_suffix(&f.identifier)
                .filter(|n| (1..=count).contains(n))
                .map_or(count - 1, |n| n - 1)
        };
        if let Some(list) = explanations.get_mut(index) {
            list.push(f.markdown);
        }
    }

    let segment = |i: usize| segments.get(i).map(String::as_str).unwrap_or_default();
    let stimulus = cx.stimulus.as_deref().unwrap_or_default();
    let scenario = (count > 1).then(|| join(&[stimulus, segment(0)]));
    let mut parts = Vec::new();
    for (i, mut part) in read.into_iter().enumerate() {
        let lead = if count == 1 { stimulus } else { "" };
        let before = if count == 1 || i > 0 { segment(i) } else { "" };
        let after = if i + 1 == count { segment(count) } else { "" };
        part.part.stem = join(&[lead, before, &part.prompt, after]);
        if part.part.stem.is_empty() {
            return Err(cx.error(
                part.line,
                "the interaction has no question text (no `qti-prompt` and no text before it)",
            ));
        }
        let explanation: Vec<&str> = explanations
            .get(i)
            .map(|l| l.iter().map(String::as_str).collect())
            .unwrap_or_default();
        part.part.explanation = join(&explanation);
        parts.push(part.part);
    }

    let place = cx.section.clone().or_else(|| cx.domain.clone());
    let task = cx.task.clone().or_else(|| {
        root.attr("label")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    });
    let category = [place, task]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("/");
    Ok(ItemRead::Draft(Draft {
        location: cx.at(root.line),
        title,
        category: (!category.is_empty()).then_some(category),
        tags: cx.tags.clone(),
        scenario: scenario.filter(|s| !s.is_empty()),
        parts,
    }))
}

/// The body of a `qti-assessment-stimulus` (a passage items share) as Markdown.
pub(crate) fn stimulus_markdown(root: &Element) -> Option<String> {
    let body = root.child("qti-stimulus-body")?;
    Some(markdown(&inner_html(body, &|_| false))).filter(|s| !s.is_empty())
}

/// `EXPLANATION_2` → 2: our exports suffix a case study's feedback with its part number.
fn part_suffix(identifier: &str) -> Option<usize> {
    let (_, number) = identifier.rsplit_once(['_', '-'])?;
    number.parse().ok()
}

/// The interactions of the body in document order (an interaction's own content is not
/// searched: hot text and gaps are parts of their interaction).
fn interactions(body: &Element) -> Vec<&Element> {
    let mut found = Vec::new();
    let mut stack: Vec<&Element> = body.elements().collect();
    stack.reverse();
    while let Some(element) = stack.pop() {
        if is_interaction(element) {
            found.push(element);
        } else if !is_feedback(element) {
            stack.extend(element.elements().collect::<Vec<_>>().into_iter().rev());
        }
    }
    found
}

fn declarations(
    root: &Element,
    cx: &ItemContext,
) -> Result<HashMap<String, Declaration>, ImportError> {
    let mut out = HashMap::new();
    for d in root.children_named("qti-response-declaration") {
        let Some(id) = d.attr("identifier") else {
            return Err(cx.error(d.line, "a `qti-response-declaration` has no identifier"));
        };
        let correct = d.child("qti-correct-response");
        out.insert(
            id.to_owned(),
            Declaration {
                cardinality: d.attr("cardinality").unwrap_or("single").to_owned(),
                base_type: d.attr("base-type").unwrap_or_default().to_owned(),
                correct: correct
                    .map(|c| {
                        c.children_named("qti-value")
                            .map(|v| v.text().trim().to_owned())
                            .collect()
                    })
                    .unwrap_or_default(),
                has_correct: correct.is_some(),
                line: d.line,
            },
        );
    }
    Ok(out)
}

/// The body's HTML cut at each interaction: before the first, between each pair, after the
/// last. Feedback blocks in the body go to `feedback` instead.
fn body_segments(body: &Element, feedback: &mut Vec<Feedback>) -> Vec<String> {
    struct Walk<'f> {
        segments: Vec<String>,
        out: HtmlOut,
        feedback: &'f mut Vec<Feedback>,
    }
    impl Walk<'_> {
        fn walk(&mut self, element: &Element) {
            for child in &element.children {
                match child {
                    Node::Text(t) => self.out.text(t),
                    Node::Element(e) if is_interaction(e) => {
                        let done = std::mem::replace(&mut self.out, HtmlOut::new());
                        self.segments.push(markdown(&done.finish()));
                    }
                    Node::Element(e) if is_feedback(e) => self.feedback.push(Feedback {
                        identifier: e.attr("identifier").unwrap_or_default().to_owned(),
                        markdown: feedback_markdown(e),
                    }),
                    Node::Element(e) => {
                        // Cutting inside an element leaves its tags unbalanced across two
                        // segments; the HTML parser behind `html_to_markdown` closes them.
                        self.out.open(e);
                        self.walk(e);
                        self.out.close(e);
                    }
                }
            }
        }
    }
    let mut walk = Walk {
        segments: Vec::new(),
        out: HtmlOut::new(),
        feedback,
    };
    walk.walk(body);
    let last = if walk.out.is_empty() {
        String::new()
    } else {
        markdown(&walk.out.finish())
    };
    walk.segments.push(last);
    walk.segments
}
