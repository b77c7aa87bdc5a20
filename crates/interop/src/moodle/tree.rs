//! The Moodle XML file as a small element tree, read with quick-xml's streaming reader: each
//! element keeps its line (from the reader's byte position), its attributes and the text
//! directly inside it, CDATA and entities resolved.

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use crate::{ImportError, Location};

/// Moodle XML is about six levels deep; a limit keeps hostile nesting from exhausting the stack
/// when the tree is dropped.
const MAX_DEPTH: usize = 64;

/// An element of the file with the text directly inside it (CDATA and entities resolved).
#[derive(Debug, Default)]
pub(super) struct Element {
    pub(super) name: String,
    pub(super) attributes: Vec<(String, String)>,
    pub(super) children: Vec<Element>,
    pub(super) text: String,
    pub(super) line: usize,
}

impl Element {
    pub(super) fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    pub(super) fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    pub(super) fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The trimmed `<text>` inside this element (empty when there is none).
    pub(super) fn text_child(&self) -> &str {
        self.child("text").map_or("", |t| t.text.trim())
    }

    /// The trimmed `<text>` of the child `name`, as in `<name><text>…</text></name>`.
    pub(super) fn text_of(&self, name: &str) -> Option<&str> {
        self.child(name).map(Element::text_child)
    }

    pub(super) fn error(&self, message: impl Into<String>) -> ImportError {
        ImportError::new(Location::line(self.line), message)
    }
}

/// Byte offsets → 1-based lines.
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self(starts)
    }

    fn line(&self, offset: u64) -> usize {
        let offset = usize::try_from(offset).unwrap_or(usize::MAX);
        self.0.partition_point(|start| *start <= offset).max(1)
    }
}

pub(super) fn read_tree(text: &str) -> Result<Element, ImportError> {
    let lines = Lines::new(text);
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let offset = reader.buffer_position();
        let at = |offset: u64| Location::line(lines.line(offset));
        let event = reader.read_event().map_err(|e| {
            ImportError::new(
                at(reader.error_position()),
                format!("the file is not well-formed XML: {e}"),
            )
        })?;
        let closed = match event {
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(ImportError::new(
                        at(offset),
                        format!("elements are nested more than {MAX_DEPTH} levels deep"),
                    ));
                }
                stack.push(open(&start, lines.line(offset))?);
                None
            }
            Event::Empty(start) => Some(open(&start, lines.line(offset))?),
            Event::End(_) => stack.pop(),
            Event::Text(t) => {
                push_text(&mut stack, &t.xml10_content(), at(offset))?;
                None
            }
            Event::CData(c) => {
                push_text(&mut stack, &c.xml10_content(), at(offset))?;
                None
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => match resolve_predefined_entity(&r) {
                        Some(s) => s.to_owned(),
                        None => {
                            return Err(ImportError::new(
                                at(offset),
                                format!(
                                    "unknown entity `&{};` (XML knows only &lt; &gt; &amp; \
                                     &quot; &apos;; put HTML in CDATA)",
                                    &*r
                                ),
                            ));
                        }
                    },
                    Err(e) => return Err(ImportError::new(at(offset), e.to_string())),
                };
                push_text(&mut stack, &resolved, at(offset))?;
                None
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => None,
        };
        if let Some(element) = closed {
            if let Some(parent) = stack.last_mut() {
                parent.children.push(element);
            } else if root.is_none() {
                root = Some(element);
            } else {
                return Err(element.error(format!(
                    "a second root element <{}>: the file must hold one <quiz>",
                    element.name
                )));
            }
        }
    }
    if let Some(open) = stack.last() {
        return Err(open.error(format!("<{}> is never closed", open.name)));
    }
    root.ok_or_else(|| {
        ImportError::new(
            Location::line(1),
            "the file holds no XML element; a Moodle XML file is a <quiz> of <question> elements",
        )
    })
}

fn open(start: &BytesStart<'_>, line: usize) -> Result<Element, ImportError> {
    let name = start.name().into_inner().to_owned();
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|e| {
            ImportError::new(
                Location::line(line),
                format!("bad attribute in <{name}>: {e}"),
            )
        })?;
        let value = attribute
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|e| {
                ImportError::new(
                    Location::line(line),
                    format!("bad attribute value in <{name}>: {e}"),
                )
            })?;
        attributes.push((attribute.key.into_inner().to_owned(), value.into_owned()));
    }
    Ok(Element {
        name,
        attributes,
        line,
        ..Element::default()
    })
}

fn push_text(stack: &mut [Element], text: &str, at: Location) -> Result<(), ImportError> {
    match stack.last_mut() {
        Some(element) => element.text.push_str(text),
        None if text.trim().is_empty() => {}
        None => {
            return Err(ImportError::new(
                at,
                "text outside the <quiz> element".to_owned(),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_count_from_one() {
        let lines = Lines::new("a\nb\n\nc");
        assert_eq!(lines.line(0), 1);
        assert_eq!(lines.line(2), 2);
        assert_eq!(lines.line(4), 3);
        assert_eq!(lines.line(5), 4);
        assert_eq!(lines.line(500), 4);
    }
}
