//! A Moodle text field as our Markdown, read in its `format`: HTML through our sanitizer,
//! Markdown kept (its raw HTML cleaned), plain text escaped so that it stays text.

use pulldown_cmark::{Event as MdEvent, Options, Parser};

use super::tree::Element;
use crate::text;

/// How a Moodle text field is written (`format` attribute).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TextFormat {
    Html,
    MoodleAuto,
    Plain,
    Markdown,
}

impl TextFormat {
    /// Moodle's `trans_format`: unknown names are taken as HTML.
    fn parse(name: &str) -> Self {
        match name.trim() {
            "moodle_auto_format" => TextFormat::MoodleAuto,
            "plain_text" | "wiki_like" => TextFormat::Plain,
            "markdown" => TextFormat::Markdown,
            _ => TextFormat::Html,
        }
    }

    pub(super) fn of(element: &Element, default: TextFormat) -> Self {
        element
            .attribute("format")
            .map_or(default, TextFormat::parse)
    }
}

/// The `<text>` of a field element as Markdown, read in the field's format.
pub(super) fn field(element: &Element, default: TextFormat) -> String {
    to_markdown(element.text_child(), TextFormat::of(element, default))
}

pub(super) fn to_markdown(raw: &str, format: TextFormat) -> String {
    let raw = raw.trim();
    match format {
        TextFormat::Html => text::html_to_markdown(raw),
        TextFormat::MoodleAuto if looks_like_html(raw) => text::html_to_markdown(raw),
        TextFormat::MoodleAuto | TextFormat::Plain => text::plain_to_markdown(raw),
        TextFormat::Markdown if has_raw_html(raw) => {
            text::html_to_markdown(&text::markdown_to_html(raw))
        }
        TextFormat::Markdown => raw.to_owned(),
    }
}

/// A matching answer: plain text in Moodle, but Markdown in our own exports, so it is kept as
/// written and only a `<` that Markdown would read as raw HTML is escaped (no markup gets in,
/// and our `**bold**` answers come back as they went out).
pub(super) fn answer_markdown(raw: &str) -> String {
    if has_raw_html(raw) {
        raw.replace('<', "\\<")
    } else {
        raw.to_owned()
    }
}

fn has_raw_html(markdown: &str) -> bool {
    Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    )
    .any(|e| matches!(e, MdEvent::Html(_) | MdEvent::InlineHtml(_)))
}

/// Moodle auto-format is plain text that may hold HTML; markup means HTML.
fn looks_like_html(raw: &str) -> bool {
    raw.as_bytes()
        .windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/' || w[1] == b'!'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_read_in_their_format() {
        assert_eq!(
            to_markdown("<p>Pick <b>one</b></p>", TextFormat::Html),
            "Pick **one**"
        );
        assert_eq!(to_markdown(" **kept** ", TextFormat::Markdown), "**kept**");
        // Plain text stays text: what Markdown would read as markup is escaped.
        assert_eq!(to_markdown("a < b", TextFormat::Plain), "a \\< b");
        assert_eq!(to_markdown("2 * 3 * 4", TextFormat::Plain), "2 \\* 3 \\* 4");
        assert_eq!(to_markdown("<b>x</b>", TextFormat::Plain), "\\<b>x\\</b>");
        assert_eq!(to_markdown("line one", TextFormat::MoodleAuto), "line one");
        let md = to_markdown("hi <script>alert(1)</script>", TextFormat::Markdown);
        assert!(!md.contains("script"), "{md}");
    }
}
