//! Text between formats: our items are Markdown; Moodle and QTI carry HTML. Markdown goes out
//! as sanitized HTML (or XHTML for QTI, which must be well-formed XML); HTML comes in through
//! our sanitizer and then becomes Markdown, so an import never carries raw HTML into a file.

use pulldown_cmark::{Options, Parser, html};

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Markdown → sanitized HTML, as the site renders it (Moodle XML `format="html"`, Anki).
pub fn markdown_to_html(markdown: &str) -> String {
    getmycert_content::markdown::to_html(markdown)
}

/// Markdown → XHTML for QTI: pulldown-cmark writes void elements as `<br />` and escapes text,
/// and our items hold no raw HTML (the item parser refuses it), so the result is well-formed.
/// Raw HTML in `markdown` is dropped rather than passed through.
pub fn markdown_to_xhtml(markdown: &str) -> String {
    use pulldown_cmark::Event;
    let events = Parser::new_ext(markdown, options()).filter_map(|event| match event {
        Event::Html(_) | Event::InlineHtml(_) => None,
        other => Some(other),
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out.trim_end().to_owned()
}

/// HTML → Markdown: cleaned by ammonia first (scripts, styles, event handlers and unsafe URLs
/// go), then converted; tags Markdown cannot express keep their text.
pub fn html_to_markdown(html: &str) -> String {
    let clean = ammonia::Builder::default()
        .rm_tags(["img"])
        .clean(html)
        .to_string();
    let markdown = htmd::HtmlToMarkdown::builder()
        .skip_tags(vec!["script", "style"])
        .build()
        .convert(&clean)
        .unwrap_or_else(|_| plain_text(&clean));
    markdown.trim().to_owned()
}

/// The text of an HTML fragment with the tags removed (a fallback, and for single-line
/// formats).
pub fn plain_text(html: &str) -> String {
    ammonia::Builder::empty()
        .clean(html)
        .to_string()
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

/// Markdown → one line of plain text (Aiken has no line breaks inside a question).
pub fn one_line(markdown: &str) -> String {
    use pulldown_cmark::{Event, TagEnd};
    let mut out = String::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::TableRow) => {
                out.push(' ')
            }
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Plain text as Markdown that renders to the same text: characters Markdown would read as
/// markup are backslash-escaped, and `<` always is, so no HTML can come in through a plain
/// field (Aiken, GIFT's `[plain]` texts, Moodle's `plain_text`).
pub fn plain_to_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        let (lead, rest) = line.split_at(indent);
        out.push_str(lead);
        escape_line_start(rest, &mut out);
    }
    out
}

/// Escapes what would start a block (heading, quote, list, rule, setext underline) at the
/// start of a line, then the inline markup in the rest of it.
fn escape_line_start(line: &str, out: &mut String) {
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let rest = if matches!(
        line.as_bytes().first(),
        Some(b'#' | b'>' | b'+' | b'-' | b'=')
    ) {
        out.push('\\');
        line
    } else if digits > 0 && matches!(line.as_bytes().get(digits), Some(b'.' | b')')) {
        out.push_str(&line[..digits]);
        out.push('\\');
        &line[digits..]
    } else {
        line
    };
    escape_inline(rest, out);
}

fn escape_inline(text: &str, out: &mut String) {
    for (i, c) in text.char_indices() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '~' | '<' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '&' if looks_like_entity(&text[i + 1..]) => out.push_str("\\&"),
            _ => out.push(c),
        }
    }
}

fn looks_like_entity(after_ampersand: &str) -> bool {
    let name = after_ampersand
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'#')
        .count();
    name > 0 && after_ampersand.as_bytes().get(name) == Some(&b';')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_comes_in_as_markdown_without_scripts() {
        let md = html_to_markdown(
            "<p>Pick the <b>best</b> answer<script>alert(1)</script></p><p onclick=\"x()\">Then <a href=\"javascript:alert(1)\">this</a>.</p>",
        );
        assert!(md.contains("**best**"), "{md}");
        assert!(!md.contains("script") && !md.contains("alert"), "{md}");
        assert!(!md.contains("javascript"), "{md}");
    }

    #[test]
    fn xhtml_is_well_formed_and_escaped() {
        let xhtml = markdown_to_xhtml(
            "A <b>raw</b> & line  \nbreak\n\n| a | b |\n|---|---|\n| 1 < 2 | x |",
        );
        assert!(xhtml.contains("<br />"), "{xhtml}");
        assert!(
            xhtml.contains("&amp;") && xhtml.contains("1 &lt; 2"),
            "{xhtml}"
        );
        assert!(!xhtml.contains("<b>"), "{xhtml}");
    }

    #[test]
    fn one_line_flattens_paragraphs_and_lists() {
        assert_eq!(
            one_line("First **para**.\n\n- one\n- two"),
            "First para. one two"
        );
    }
}
