//! The XML writer of the package: quick-xml's writer with indentation between structural
//! elements, and XHTML fragments re-emitted event by event so every file stays well-formed.

use std::io;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::reader::Reader;

use crate::text;

/// quick-xml's writer with the document's indentation written as text between structural
/// elements only: embedded XHTML is written as it comes, since whitespace inside it is content.
pub(super) struct Out {
    writer: Writer<Vec<u8>>,
    depth: usize,
    error: Option<io::Error>,
}

impl Out {
    pub(super) fn new() -> Self {
        let mut out = Self {
            writer: Writer::new(Vec::new()),
            depth: 0,
            error: None,
        };
        out.event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
        out
    }

    pub(super) fn event(&mut self, event: Event<'_>) {
        if self.error.is_none()
            && let Err(e) = self.writer.write_event(event)
        {
            self.error = Some(e);
        }
    }

    pub(super) fn indent(&mut self) {
        let indent = format!("\n{}", "  ".repeat(self.depth));
        self.event(Event::Text(BytesText::new(&indent)));
    }

    pub(super) fn tag<'a>(name: &'a str, attrs: &[(&'a str, &'a str)]) -> BytesStart<'a> {
        let mut tag = BytesStart::new(name);
        for attr in attrs {
            tag.push_attribute(*attr);
        }
        tag
    }

    /// A start tag on its own line; the element's children are indented below it.
    pub(super) fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.indent();
        self.event(Event::Start(Self::tag(name, attrs)));
        self.depth += 1;
    }

    pub(super) fn close(&mut self, name: &str) {
        self.depth = self.depth.saturating_sub(1);
        self.indent();
        self.event(Event::End(BytesEnd::new(name)));
    }

    /// A start tag whose content follows on the same line (mixed content), closed by
    /// [`Self::end`].
    pub(super) fn start(&mut self, name: &str, attrs: &[(&str, &str)], new_line: bool) {
        if new_line {
            self.indent();
        }
        self.event(Event::Start(Self::tag(name, attrs)));
    }

    pub(super) fn end(&mut self, name: &str) {
        self.event(Event::End(BytesEnd::new(name)));
    }

    pub(super) fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.indent();
        self.event(Event::Empty(Self::tag(name, attrs)));
    }

    pub(super) fn leaf(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.start(name, attrs, true);
        self.event(Event::Text(BytesText::new(text)));
        self.end(name);
    }

    /// Markdown as XHTML blocks.
    pub(super) fn markdown(&mut self, markdown: &str) {
        self.fragment(&text::markdown_to_xhtml(markdown));
    }

    /// Markdown as XHTML, without the paragraph when it is one paragraph (an option's text).
    pub(super) fn markdown_inline(&mut self, markdown: &str) {
        let xhtml = text::markdown_to_xhtml(markdown);
        let single = xhtml
            .strip_prefix("<p>")
            .and_then(|s| s.strip_suffix("</p>"))
            .filter(|inner| !inner.contains("<p>"));
        self.fragment(single.unwrap_or(&xhtml));
    }

    /// An XHTML fragment re-emitted event by event, so that the document stays well-formed
    /// whatever the fragment holds; a fragment that does not parse goes in as plain text.
    pub(super) fn fragment(&mut self, xhtml: &str) {
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

    pub(super) fn finish(mut self) -> io::Result<Vec<u8>> {
        self.event(Event::Text(BytesText::new("\n")));
        match self.error {
            Some(e) => Err(e),
            None => Ok(self.writer.into_inner()),
        }
    }
}
