//! A small element tree read with quick-xml, and the way back out to HTML text. QTI files are
//! read by structure (an interaction's choices, a declaration's values), which a tree makes
//! plain; every element keeps its line so that errors and unsupported items can name it.

use std::borrow::Cow;
use std::io;

use quick_xml::Writer;
use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};
use quick_xml::reader::Reader;

/// Deeper nesting than any real item has; the limit keeps the recursive walks of hostile input
/// off the end of the stack.
const MAX_DEPTH: usize = 200;

/// A node of the tree: an element or a run of text (entities already resolved).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
    Element(Element),
    Text(String),
}

/// An element, by its local name (namespace prefixes dropped: QTI files spell the same element
/// `qti-value` or `qti:qti-value`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
    /// 1-based line of the start tag.
    pub line: usize,
}

/// Why a text is not well-formed XML, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct XmlError {
    pub line: usize,
    pub message: String,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The child elements, in order.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|node| match node {
            Node::Element(element) => Some(element),
            Node::Text(_) => None,
        })
    }

    pub fn children_named<'a, 'n>(
        &'a self,
        name: &'n str,
    ) -> impl Iterator<Item = &'a Element> + use<'a, 'n> {
        self.elements().filter(move |e| e.name == name)
    }

    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children_named(name).next()
    }

    /// The first element named `name` at any depth below this one, in document order.
    pub fn find(&self, name: &str) -> Option<&Element> {
        let mut stack: Vec<&Element> = self.elements().collect();
        stack.reverse();
        while let Some(element) = stack.pop() {
            if element.name == name {
                return Some(element);
            }
            stack.extend(element.elements().collect::<Vec<_>>().into_iter().rev());
        }
        None
    }

    /// Every element named `name` at any depth below this one, in document order.
    pub fn find_all<'a>(&'a self, name: &str) -> Vec<&'a Element> {
        let mut found = Vec::new();
        let mut stack: Vec<&Element> = self.elements().collect();
        stack.reverse();
        while let Some(element) = stack.pop() {
            if element.name == name {
                found.push(element);
            }
            stack.extend(element.elements().collect::<Vec<_>>().into_iter().rev());
        }
        found
    }

    /// The text of the element and everything below it.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let mut stack: Vec<&Node> = self.children.iter().rev().collect();
        while let Some(node) = stack.pop() {
            match node {
                Node::Text(text) => out.push_str(text),
                Node::Element(element) => stack.extend(element.children.iter().rev()),
            }
        }
        out
    }
}

/// The 1-based line of byte `offset` of `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// Counts lines forward as the reader advances, so that placing every element costs one pass.
struct Lines<'a> {
    text: &'a [u8],
    offset: usize,
    line: usize,
}

impl Lines<'_> {
    fn at(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        if offset < self.offset {
            self.offset = 0;
            self.line = 1;
        }
        self.line += self.text[self.offset..offset]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        self.offset = offset;
        self.line
    }
}

fn local(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, local)| local)
}

fn push_text(children: &mut Vec<Node>, text: &str) {
    if let Some(Node::Text(last)) = children.last_mut() {
        last.push_str(text);
    } else {
        children.push(Node::Text(text.to_owned()));
    }
}

/// Parses a whole document into its root element. The DTD is skipped, so no entity is ever
/// expanded beyond XML's five and character references.
pub(crate) fn parse(text: &str) -> Result<Element, XmlError> {
    let mut reader = Reader::from_str(text);
    let mut lines = Lines {
        text: text.as_bytes(),
        offset: 0,
        line: 1,
    };
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let fail = |line: usize, message: String| Err(XmlError { line, message });
    loop {
        let start = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => {
                let at = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
                return fail(line_of(text, at), format!("malformed XML: {e}"));
            }
        };
        match event {
            Event::Start(_) | Event::Empty(_) if root.is_some() && stack.is_empty() => {
                return fail(
                    lines.at(start),
                    "malformed XML: a second root element".to_owned(),
                );
            }
            Event::Start(tag) => {
                let line = lines.at(start);
                if stack.len() >= MAX_DEPTH {
                    return fail(line, format!("elements nested deeper than {MAX_DEPTH}"));
                }
                stack.push(element(&tag, line)?);
            }
            Event::Empty(tag) => {
                let element = element(&tag, lines.at(start))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::Element(element)),
                    None => root = Some(element),
                }
            }
            Event::End(_) => {
                let Some(done) = stack.pop() else {
                    return fail(
                        lines.at(start),
                        "malformed XML: a closing tag that opens nothing".to_owned(),
                    );
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::Element(done)),
                    None => root = Some(done),
                }
            }
            Event::Text(t) => text_event(&mut stack, &t.xml10_content(), &mut lines, start)?,
            Event::CData(t) => text_event(&mut stack, &t.xml10_content(), &mut lines, start)?,
            Event::GeneralRef(r) => {
                let resolved: Cow<'_, str> = match r.resolve_char_ref() {
                    Ok(Some(c)) => Cow::Owned(c.to_string()),
                    Ok(None) => match resolve_predefined_entity(&r) {
                        Some(s) => Cow::Borrowed(s),
                        None => {
                            return fail(
                                lines.at(start),
                                format!("malformed XML: unknown entity `&{};`", &*r),
                            );
                        }
                    },
                    Err(e) => return fail(lines.at(start), format!("malformed XML: {e}")),
                };
                text_event(&mut stack, &resolved, &mut lines, start)?;
            }
            Event::Comment(_) | Event::PI(_) | Event::Decl(_) | Event::DocType(_) => {}
            Event::Eof => break,
        }
    }
    if let Some(open) = stack.last() {
        return fail(
            open.line,
            format!("malformed XML: `<{}>` is never closed", open.name),
        );
    }
    root.ok_or_else(|| XmlError {
        line: 1,
        message: "malformed XML: no element".to_owned(),
    })
}

fn text_event(
    stack: &mut [Element],
    text: &str,
    lines: &mut Lines<'_>,
    start: usize,
) -> Result<(), XmlError> {
    match stack.last_mut() {
        Some(parent) => push_text(&mut parent.children, text),
        None if text.trim().is_empty() => {}
        None => {
            return Err(XmlError {
                line: lines.at(start),
                message: "malformed XML: text outside the root element".to_owned(),
            });
        }
    }
    Ok(())
}

fn element(tag: &BytesStart<'_>, line: usize) -> Result<Element, XmlError> {
    let mut attrs = Vec::new();
    for attr in tag.attributes() {
        let attr = attr.map_err(|e| XmlError {
            line,
            message: format!("malformed XML: {e}"),
        })?;
        let value = attr
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|e| XmlError {
                line,
                message: format!("malformed XML: {e}"),
            })?;
        attrs.push((local(attr.key.as_ref()).to_owned(), value.into_owned()));
    }
    Ok(Element {
        name: local(tag.name().as_ref()).to_owned(),
        attrs,
        children: Vec::new(),
        line,
    })
}

/// HTML elements that have no end tag: an HTML parser reads `<p/>` as an open paragraph, so
/// everything else is written with both tags.
const VOID: [&str; 13] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Writes nodes back out as an HTML fragment (for `text::html_to_markdown`), through
/// quick-xml's writer so that text is escaped again.
pub(crate) struct HtmlOut {
    writer: Writer<Vec<u8>>,
}

impl std::fmt::Debug for HtmlOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HtmlOut").finish_non_exhaustive()
    }
}

impl HtmlOut {
    pub fn new() -> Self {
        Self {
            writer: Writer::new(Vec::new()),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.writer.get_ref().is_empty()
    }

    pub fn node(&mut self, node: &Node) {
        match node {
            Node::Text(text) => self.text(text),
            Node::Element(element) => {
                self.open(element);
                for child in &element.children {
                    self.node(child);
                }
                self.close(element);
            }
        }
    }

    pub fn text(&mut self, text: &str) {
        self.write(Event::Text(BytesText::new(text)));
    }

    /// The start tag of `element`; [`Self::close`] writes the end tag (nothing for a void one).
    pub fn open(&mut self, element: &Element) {
        let mut tag = BytesStart::new(element.name.as_str());
        for (key, value) in &element.attrs {
            if key != "xmlns" {
                tag.push_attribute((key.as_str(), value.as_str()));
            }
        }
        if VOID.contains(&element.name.as_str()) {
            self.write(Event::Empty(tag));
        } else {
            self.write(Event::Start(tag));
        }
    }

    pub fn close(&mut self, element: &Element) {
        if !VOID.contains(&element.name.as_str()) {
            self.write(Event::End(BytesEnd::new(element.name.as_str())));
        }
    }

    fn write(&mut self, event: Event<'_>) {
        // A Vec sink cannot fail to take bytes.
        let _: io::Result<()> = self.writer.write_event(event);
    }

    pub fn finish(self) -> String {
        String::from_utf8_lossy(&self.writer.into_inner()).into_owned()
    }
}

/// The children of `element` as an HTML fragment, leaving out child elements `skip` names.
pub(crate) fn inner_html(element: &Element, skip: &dyn Fn(&Element) -> bool) -> String {
    let mut out = HtmlOut::new();
    for child in &element.children {
        match child {
            Node::Element(e) if skip(e) => {}
            other => out.node(other),
        }
    }
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_keep_their_lines_and_local_names() {
        let root = parse("<?xml version=\"1.0\"?>\n<a xmlns:q=\"x\">\n  <q:b k=\"1 &amp; 2\">t&lt;&#65;</q:b>\n</a>")
            .expect("well-formed");
        assert_eq!(root.name, "a");
        assert_eq!(root.line, 2);
        let b = root.child("b").expect("b");
        assert_eq!(b.line, 3);
        assert_eq!(b.attr("k"), Some("1 & 2"));
        assert_eq!(b.text(), "t<A");
    }

    #[test]
    fn malformed_xml_names_the_line() {
        let err = parse("<a>\n<b>\n</a>").expect_err("mismatched");
        assert_eq!(err.line, 3, "{err:?}");
        let err = parse("<a>\n<b>\n").expect_err("unclosed");
        assert_eq!(err.line, 2, "{err:?}");
        let err = parse("<a>&bogus;</a>").expect_err("entity");
        assert!(err.message.contains("bogus"), "{err:?}");
        assert!(parse("").is_err());
        assert!(parse("<a/><b/>").is_err());
    }

    #[test]
    fn deep_nesting_is_refused_not_recursed() {
        let deep = "<a>".repeat(10_000);
        assert!(parse(&deep).is_err());
    }

    #[test]
    fn html_comes_back_escaped_with_void_elements_closed() {
        let root = parse("<r><p>a &lt; b<br/><em>c</em></p><p/></r>").expect("ok");
        let html = inner_html(&root, &|_| false);
        assert_eq!(html, "<p>a &lt; b<br/><em>c</em></p><p></p>");
    }
}
