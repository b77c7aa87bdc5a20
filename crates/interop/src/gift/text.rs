//! GIFT text: a block's characters with their escapes resolved (an escaped character is text,
//! never syntax) and the string operations Moodle's reader applies to them, and a text's
//! format (`[markdown]`, `[html]`, `[moodle]`, `[plain]`) turned into our Markdown.

use crate::text::plain_to_markdown;
use crate::{ImportError, Location, text};

/// PHP's `trim`: the whitespace Moodle strips.
pub(super) fn php_trim(s: &str) -> &str {
    s.trim_matches(is_php_space)
}

pub(super) fn is_php_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\0' | '\x0B')
}

/// One character of a block after escapes are resolved: an escaped character is text and
/// never syntax.
#[derive(Debug, Clone, Copy)]
pub(super) struct Unit {
    pub(super) ch: char,
    pub(super) escaped: bool,
    pub(super) line: usize,
}

impl Unit {
    pub(super) fn raw(ch: char, line: usize) -> Self {
        Self {
            ch,
            escaped: false,
            line,
        }
    }

    /// Whether this is the unescaped syntax character `c`.
    pub(super) fn is(&self, c: char) -> bool {
        !self.escaped && self.ch == c
    }
}

/// Resolves `\\ \: \# \= \{ \} \~ \n` (Moodle's `escapedchar_pre`); any other backslash is text.
pub(super) fn decode(line: &str, number: usize, out: &mut Vec<Unit>) {
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        let escaped = match (c, chars.peek()) {
            ('\\', Some(&next @ ('\\' | ':' | '#' | '=' | '{' | '}' | '~'))) => Some(next),
            ('\\', Some('n')) => Some('\n'),
            _ => None,
        };
        match escaped {
            Some(ch) => {
                chars.next();
                out.push(Unit {
                    ch,
                    escaped: true,
                    line: number,
                });
            }
            None => out.push(Unit::raw(c, number)),
        }
    }
}

pub(super) fn to_string(units: &[Unit]) -> String {
    units.iter().map(|u| u.ch).collect()
}

/// Trims unescaped whitespace (an escaped `\n` at an end is trimmed later, with the text).
pub(super) fn trim(units: &[Unit]) -> &[Unit] {
    let space = |u: &Unit| !u.escaped && is_php_space(u.ch);
    let start = units.iter().position(|u| !space(u)).unwrap_or(units.len());
    let end = units
        .iter()
        .rposition(|u| !space(u))
        .map_or(start, |i| i + 1);
    units.get(start..end).unwrap_or_default()
}

pub(super) fn matches_at(units: &[Unit], at: usize, pattern: &str) -> bool {
    let mut units = units.iter().skip(at);
    pattern
        .chars()
        .all(|c| units.next().is_some_and(|u| u.is(c)))
}

pub(super) fn find(units: &[Unit], pattern: &str) -> Option<usize> {
    (0..units.len()).find(|&i| matches_at(units, i, pattern))
}

pub(super) fn rfind(units: &[Unit], pattern: &str) -> Option<usize> {
    (0..units.len())
        .rev()
        .find(|&i| matches_at(units, i, pattern))
}

pub(super) fn position(units: &[Unit], c: char) -> Option<usize> {
    units.iter().position(|u| u.is(c))
}

/// Splits at every unescaped `separator`, at most `limit` pieces.
pub(super) fn split(units: &[Unit], separator: char, limit: usize) -> Vec<&[Unit]> {
    let mut pieces = Vec::new();
    let mut rest = units;
    while pieces.len() + 1 < limit {
        let Some(at) = position(rest, separator) else {
            break;
        };
        pieces.push(&rest[..at]);
        rest = &rest[at + 1..];
    }
    pieces.push(rest);
    pieces
}

/// Drops the text before the first answer marker when it is blank (PHP's `empty`, which is
/// also true of `0`).
pub(super) fn drop_empty_head(pieces: &mut Vec<&[Unit]>) {
    if pieces
        .first()
        .is_some_and(|head| matches!(to_string(trim(head)).as_str(), "" | "0"))
    {
        pieces.remove(0);
    }
}

/// The line of the first unit, or `fallback` when there is none.
pub(super) fn line_of(units: &[Unit], fallback: usize) -> usize {
    units.first().map_or(fallback, |u| u.line)
}

pub(super) fn error(line: usize, message: impl Into<String>) -> ImportError {
    ImportError::new(Location::line(line), message)
}

/// The text formats a GIFT text can name in front of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TextFormat {
    Moodle,
    Html,
    Plain,
    Markdown,
}

impl TextFormat {
    pub(super) fn named(name: &str) -> Option<Self> {
        match name {
            "moodle" => Some(Self::Moodle),
            "html" => Some(Self::Html),
            "plain" => Some(Self::Plain),
            "markdown" => Some(Self::Markdown),
            _ => None,
        }
    }
}

/// A text and its format (Moodle's `parse_text_with_format`): a leading `[name]` naming a
/// format sets it, anything else leaves `default` and stays in the text.
pub(super) fn with_format(units: &[Unit], default: TextFormat) -> (TextFormat, String) {
    let units = trim(units);
    let mut format = default;
    let mut rest = units;
    if units.first().is_some_and(|u| u.is('['))
        && let Some(end) = units.iter().position(|u| u.ch == ']')
        && let Some(named) = TextFormat::named(&to_string(&units[1..end]))
    {
        format = named;
        rest = &units[end + 1..];
    }
    (format, php_trim(&to_string(rest)).to_owned())
}

/// A text of the file as our Markdown.
pub(super) fn to_markdown(format: TextFormat, text: &str) -> String {
    match format {
        TextFormat::Markdown => markdown_without_html(text),
        TextFormat::Html => text::html_to_markdown(text),
        TextFormat::Moodle => moodle_to_markdown(text),
        TextFormat::Plain => plain_to_markdown(text),
    }
}

pub(super) fn markdown(units: &[Unit], default: TextFormat) -> String {
    let (format, text) = with_format(units, default);
    to_markdown(format, &text)
}

/// Moodle's auto-format is HTML in which a blank line starts a paragraph. Moodle also shows
/// each single line break as one; here wrapped lines stay one paragraph, as in Markdown.
pub(super) fn moodle_to_markdown(text: &str) -> String {
    let mut html = String::new();
    let mut paragraph = Vec::new();
    for line in text.split('\n').chain([""]) {
        if php_trim(line).is_empty() {
            if !paragraph.is_empty() {
                html.push_str(&format!("<p>{}</p>", paragraph.join("\n")));
                paragraph.clear();
            }
        } else {
            paragraph.push(line);
        }
    }
    text::html_to_markdown(&html)
}

/// Markdown with any raw HTML escaped so that it shows as text (our items hold no HTML).
/// Text without HTML comes back unchanged.
pub(super) fn markdown_without_html(markdown: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser};
    let mut text = markdown.to_owned();
    // Each pass escapes at least one `<`; a text that keeps producing HTML is made plain.
    for _ in 0..8 {
        let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
        let html: Vec<_> = Parser::new_ext(&text, options)
            .into_offset_iter()
            .filter(|(event, _)| matches!(event, Event::Html(_) | Event::InlineHtml(_)))
            .map(|(_, range)| range)
            .collect();
        if html.is_empty() {
            return text;
        }
        let mut escaped = String::with_capacity(text.len() + 16);
        for (i, c) in text.char_indices() {
            let preceded_by_backslash = text[..i].ends_with('\\');
            if c == '<' && !preceded_by_backslash && html.iter().any(|r| r.contains(&i)) {
                escaped.push('\\');
            }
            escaped.push(c);
        }
        text = escaped;
    }
    plain_to_markdown(&text)
}
