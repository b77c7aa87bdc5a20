//! Reading GIFT: blocks, escapes, then Moodle's `readquestion` step by step.

use getmycert_core::{Choice, Part, PartKind, Prompt};

use super::RATIONALE;
use crate::text::plain_to_markdown;
use crate::{Draft, ImportError, Location, Parsed, Unsupported, letter, text};

/// Reads a GIFT file: every question we can represent as a draft, the others as unsupported.
pub fn parse(text: &str) -> Result<Parsed, ImportError> {
    let mut parsed = Parsed::default();
    let mut category = None;
    for block in blocks(text) {
        read_block(&block, &mut category, &mut parsed)?;
    }
    Ok(parsed)
}

/// A trimmed, non-blank line and its 1-based number.
struct Line<'a> {
    number: usize,
    text: &'a str,
}

/// The file's blocks: runs of lines between blank lines. Like Moodle, a file without `\n`
/// is split at carriage returns, and a line holding only `0` counts as blank (PHP's `empty`).
fn blocks(text: &str) -> Vec<Vec<Line<'_>>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let separator = if !text.contains('\n') && text.contains('\r') {
        '\r'
    } else {
        '\n'
    };
    let mut blocks = Vec::new();
    let mut current = Vec::new();
    for (index, raw) in text.split(separator).enumerate() {
        let line = php_trim(raw);
        if line.is_empty() || line == "0" {
            if !current.is_empty() {
                blocks.push(std::mem::take(&mut current));
            }
        } else {
            current.push(Line {
                number: index + 1,
                text: line,
            });
        }
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    blocks
}

/// PHP's `trim`: the whitespace Moodle strips.
fn php_trim(s: &str) -> &str {
    s.trim_matches(is_php_space)
}

fn is_php_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\0' | '\x0B')
}

/// One character of a block after escapes are resolved: an escaped character is text and
/// never syntax.
#[derive(Debug, Clone, Copy)]
struct Unit {
    ch: char,
    escaped: bool,
    line: usize,
}

impl Unit {
    fn raw(ch: char, line: usize) -> Self {
        Self {
            ch,
            escaped: false,
            line,
        }
    }

    /// Whether this is the unescaped syntax character `c`.
    fn is(&self, c: char) -> bool {
        !self.escaped && self.ch == c
    }
}

/// Resolves `\\ \: \# \= \{ \} \~ \n` (Moodle's `escapedchar_pre`); any other backslash is text.
fn decode(line: &str, number: usize, out: &mut Vec<Unit>) {
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

fn to_string(units: &[Unit]) -> String {
    units.iter().map(|u| u.ch).collect()
}

/// Trims unescaped whitespace (an escaped `\n` at an end is trimmed later, with the text).
fn trim(units: &[Unit]) -> &[Unit] {
    let space = |u: &Unit| !u.escaped && is_php_space(u.ch);
    let start = units.iter().position(|u| !space(u)).unwrap_or(units.len());
    let end = units
        .iter()
        .rposition(|u| !space(u))
        .map_or(start, |i| i + 1);
    units.get(start..end).unwrap_or_default()
}

fn matches_at(units: &[Unit], at: usize, pattern: &str) -> bool {
    let mut units = units.iter().skip(at);
    pattern
        .chars()
        .all(|c| units.next().is_some_and(|u| u.is(c)))
}

fn find(units: &[Unit], pattern: &str) -> Option<usize> {
    (0..units.len()).find(|&i| matches_at(units, i, pattern))
}

fn rfind(units: &[Unit], pattern: &str) -> Option<usize> {
    (0..units.len())
        .rev()
        .find(|&i| matches_at(units, i, pattern))
}

fn position(units: &[Unit], c: char) -> Option<usize> {
    units.iter().position(|u| u.is(c))
}

/// Splits at every unescaped `separator`, at most `limit` pieces.
fn split(units: &[Unit], separator: char, limit: usize) -> Vec<&[Unit]> {
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
fn drop_empty_head(pieces: &mut Vec<&[Unit]>) {
    if pieces
        .first()
        .is_some_and(|head| matches!(to_string(trim(head)).as_str(), "" | "0"))
    {
        pieces.remove(0);
    }
}

/// The line of the first unit, or `fallback` when there is none.
fn line_of(units: &[Unit], fallback: usize) -> usize {
    units.first().map_or(fallback, |u| u.line)
}

fn error(line: usize, message: impl Into<String>) -> ImportError {
    ImportError::new(Location::line(line), message)
}

/// The text formats a GIFT text can name in front of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextFormat {
    Moodle,
    Html,
    Plain,
    Markdown,
}

impl TextFormat {
    fn named(name: &str) -> Option<Self> {
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
fn with_format(units: &[Unit], default: TextFormat) -> (TextFormat, String) {
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
fn to_markdown(format: TextFormat, text: &str) -> String {
    match format {
        TextFormat::Markdown => markdown_without_html(text),
        TextFormat::Html => text::html_to_markdown(text),
        TextFormat::Moodle => moodle_to_markdown(text),
        TextFormat::Plain => plain_to_markdown(text),
    }
}

fn markdown(units: &[Unit], default: TextFormat) -> String {
    let (format, text) = with_format(units, default);
    to_markdown(format, &text)
}

/// Moodle's auto-format is HTML in which a blank line starts a paragraph. Moodle also shows
/// each single line break as one; here wrapped lines stay one paragraph, as in Markdown.
fn moodle_to_markdown(text: &str) -> String {
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
fn markdown_without_html(markdown: &str) -> String {
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

/// Moodle's question types, as its reader tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Description,
    Essay,
    Numerical,
    MultiChoice,
    Match,
    TrueFalse,
    ShortAnswer,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Description => "description",
            Kind::Essay => "essay",
            Kind::Numerical => "numerical",
            Kind::MultiChoice => "multichoice",
            Kind::Match => "match",
            Kind::TrueFalse => "truefalse",
            Kind::ShortAnswer => "shortanswer",
        }
    }

    fn of(answers: &[Unit]) -> Self {
        if answers.is_empty() {
            Kind::Essay
        } else if answers.first().is_some_and(|u| u.is('#')) {
            Kind::Numerical
        } else if position(answers, '~').is_some() {
            Kind::MultiChoice
        } else if position(answers, '=').is_some() && find(answers, "->").is_some() {
            Kind::Match
        } else {
            let check = match position(answers, '#') {
                Some(at) => trim(&answers[..at]),
                None => answers,
            };
            if matches!(to_string(check).as_str(), "T" | "TRUE" | "F" | "FALSE") {
                Kind::TrueFalse
            } else {
                Kind::ShortAnswer
            }
        }
    }
}

/// Stands for the missing-word blank while the stem is converted, so that no converter
/// escapes the underscores.
const BLANK: &str = "GiftMissingWordBlank7f3a";

fn read_block(
    lines: &[Line<'_>],
    category: &mut Option<String>,
    parsed: &mut Parsed,
) -> Result<(), ImportError> {
    let mut comments = String::new();
    let mut units = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            units.push(Unit::raw('\n', line.number));
        }
        if line.text.starts_with("//") {
            comments.push_str(line.text);
            comments.push('\n');
            units.push(Unit::raw(' ', line.number));
        } else {
            decode(line.text, line.number, &mut units);
        }
    }
    let body = trim(&units);
    let Some(first) = body.first() else {
        return Ok(());
    };
    let start = first.line;

    if matches_at(body, 0, "$CATEGORY:") {
        let path = trim(&body[10..]);
        if let Some(newline) = position(path, '\n') {
            let next = path[newline..]
                .iter()
                .find(|u| !is_php_space(u.ch))
                .map_or(start, |u| u.line);
            return Err(error(
                next,
                "a blank line must follow a `$CATEGORY:` line (Moodle reads the lines under it \
                 as part of the category name)",
            ));
        }
        let path = php_trim(&to_string(path)).to_owned();
        *category = (!path.is_empty()).then_some(path);
        return Ok(());
    }

    let mut body = body;
    let mut name = None;
    if matches_at(body, 0, "::") {
        body = &body[2..];
        if let Some(end) = find(body, "::") {
            name = Some(php_trim(&to_string(&body[..end])).to_owned()).filter(|n| !n.is_empty());
            body = trim(&body[end + 2..]);
        }
    }
    let (id_number, tags) = id_and_tags(&comments);
    let title = name.or(id_number);

    let (open, close) = match (position(body, '{'), position(body, '}')) {
        (None, None) => {
            parsed.unsupported.push(Unsupported {
                location: Location::line(start),
                kind: Kind::Description.name().to_owned(),
                title,
            });
            return Ok(());
        }
        (Some(open), None) => {
            return Err(error(
                body[open].line,
                "this `{` is never closed by a `}` (write a literal brace as `\\{`)",
            ));
        }
        (None, Some(close)) => {
            return Err(error(
                body[close].line,
                "this `}` closes no `{` (write a literal brace as `\\}`)",
            ));
        }
        (Some(open), Some(close)) if close < open => {
            return Err(error(
                body[close].line,
                "this `}` comes before the `{` that opens the answers (write a literal brace as `\\}`)",
            ));
        }
        (Some(open), Some(close)) => (open, close),
    };
    if let Some(inner) = body[open + 1..close].iter().find(|u| u.is('{')) {
        return Err(error(
            inner.line,
            "a second `{` before the answers are closed: close them with `}` first, or write a \
             literal brace as `\\{`",
        ));
    }
    if let Some(extra) = body[close + 1..].iter().find(|u| u.is('{') || u.is('}')) {
        return Err(error(
            extra.line,
            "a brace after the answers: a GIFT question has one `{…}` block (write a literal \
             brace as `\\{` or `\\}`)",
        ));
    }

    let mut stem_units = body[..open].to_vec();
    if close + 1 < body.len() {
        stem_units.extend(BLANK.chars().map(|c| Unit::raw(c, body[open].line)));
        stem_units.extend_from_slice(&body[close + 1..]);
    }
    let mut answers = trim(&body[open + 1..close]);
    let mut general_feedback: &[Unit] = &[];
    if let Some(at) = rfind(answers, "####") {
        general_feedback = &answers[at + 4..];
        answers = trim(&answers[..at]);
    }
    let answers_line = body[open].line;

    let (format, stem) = with_format(&stem_units, TextFormat::Moodle);
    let reading = match Kind::of(answers) {
        Kind::MultiChoice => multichoice(answers, format, answers_line)?,
        Kind::Match => matching(answers, format, answers_line)?,
        Kind::TrueFalse => true_false(answers, format),
        other => Reading::Unsupported(other.name()),
    };
    let (kind, mut options, prompts) = match reading {
        Reading::Part {
            kind,
            options,
            prompts,
        } => (kind, options, prompts),
        Reading::Unsupported(kind) => {
            parsed.unsupported.push(Unsupported {
                location: Location::line(start),
                kind: kind.to_owned(),
                title,
            });
            return Ok(());
        }
    };
    if kind == PartKind::Matching {
        add_rationales(&comments, &mut options);
    }
    let stem = to_markdown(format, &stem).replace(BLANK, "_____");
    if stem.is_empty() {
        return Err(error(start, "this question has no text"));
    }
    let part = Part {
        kind,
        stem,
        options,
        prompts,
        explanation: markdown(general_feedback, format),
    };
    parsed.drafts.push(Draft {
        location: Location::line(start),
        title,
        category: category.clone(),
        tags,
        scenario: None,
        parts: vec![part],
    });
    Ok(())
}

/// What an answer block gives.
enum Reading {
    Part {
        kind: PartKind,
        options: Vec<Choice>,
        prompts: Vec<Prompt>,
    },
    Unsupported(&'static str),
}

/// Moodle's multichoice: `=` makes it single-answer, `~%w%` weights make the rest.
fn multichoice(answers: &[Unit], format: TextFormat, line: usize) -> Result<Reading, ImportError> {
    let single = position(answers, '=').is_some();
    // Moodle puts a `~` before every `=` and splits at `~`.
    let mut pieces: Vec<&[Unit]> = Vec::new();
    let mut start = 0;
    for (i, unit) in answers.iter().enumerate() {
        if unit.is('~') || unit.is('=') {
            pieces.push(&answers[start..i]);
            start = if unit.is('~') { i + 1 } else { i };
        }
    }
    pieces.push(&answers[start..]);
    drop_empty_head(&mut pieces);
    if pieces.len() < 2 {
        return Err(error(
            line,
            "a multiple-choice question needs at least two answers",
        ));
    }

    let mut options = Vec::new();
    let mut weights = Vec::new();
    for piece in pieces {
        let piece = trim(piece);
        let at = line_of(piece, line);
        let (weight, rest) = if piece.first().is_some_and(|u| u.is('=')) {
            (1.0, &piece[1..])
        } else if let Some((weight, taken)) = weight_prefix(piece, at)? {
            (weight, &piece[taken..])
        } else {
            (0.0, piece)
        };
        let bits = split(rest, '#', 2);
        let text = markdown(bits.first().copied().unwrap_or_default(), format);
        // Moodle drops blank answers when it saves the question.
        if text.is_empty() {
            continue;
        }
        let rationale = bits
            .get(1)
            .map_or_else(String::new, |f| markdown(f, format));
        options.push((text, rationale));
        weights.push(weight);
    }
    if options.len() < 2 {
        return Err(error(
            line,
            "a multiple-choice question needs at least two answers with text",
        ));
    }
    if options.len() > 26 {
        return Err(error(line, "a question can have at most 26 answers"));
    }
    let correct: Vec<bool> = weights
        .iter()
        .map(|w| if single { *w > 0.99999 } else { *w > 0.0 })
        .collect();
    let keys = correct.iter().filter(|c| **c).count();
    if keys == 0 {
        return Err(error(
            line,
            "no answer is right: mark the right answer with `=`, or give the right answers a \
             positive weight such as `~%50%`",
        ));
    }
    if single && keys > 1 {
        return Ok(Reading::Unsupported(
            "multichoice with several full-credit answers",
        ));
    }
    let options = options
        .into_iter()
        .zip(correct)
        .enumerate()
        .map(|(i, ((text, rationale), correct))| Choice {
            id: letter(i),
            text,
            rationale,
            correct,
        })
        .collect();
    Ok(Reading::Part {
        kind: if keys == 1 {
            PartKind::Single
        } else {
            PartKind::Multiple
        },
        options,
        prompts: Vec::new(),
    })
}

/// An answer weight, Moodle's `^%-*[0-9]{1,2}\.?[0-9]*%`: the fraction and how many units it
/// takes, or `None` when the answer does not start with one.
fn weight_prefix(piece: &[Unit], line: usize) -> Result<Option<(f64, usize)>, ImportError> {
    let chars: Vec<char> = piece.iter().map(|u| u.ch).collect();
    if chars.first() != Some(&'%') {
        return Ok(None);
    }
    let mut i = 1;
    let minus = chars[i..].iter().take_while(|c| **c == '-').count();
    i += minus;
    let whole = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    if whole == 0 {
        return Ok(None);
    }
    i += whole;
    if chars.get(i) == Some(&'.') {
        i += 1;
        i += chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    }
    if chars.get(i) != Some(&'%') {
        return Ok(None);
    }
    let written: String = chars[1..i].iter().collect();
    if minus > 1 {
        return Err(error(line, format!("`%{written}%` is not a weight")));
    }
    let magnitude: f64 = written
        .trim_start_matches('-')
        .parse()
        .map_err(|_| error(line, format!("`%{written}%` is not a weight")))?;
    let sign = if minus == 1 { -1.0 } else { 1.0 };
    Ok(Some((sign * magnitude / 100.0, i + 1)))
}

/// Moodle's matching: `=prompt -> answer` lines; a line with no prompt adds a distractor, and
/// answers with the same text are one option.
fn matching(answers: &[Unit], format: TextFormat, line: usize) -> Result<Reading, ImportError> {
    let mut pieces = split(answers, '=', usize::MAX);
    drop_empty_head(&mut pieces);
    if pieces.len() < 2 {
        return Err(error(
            line,
            "a matching question needs at least two `=prompt -> answer` lines",
        ));
    }
    let mut options: Vec<String> = Vec::new();
    let mut prompts = Vec::new();
    for piece in pieces {
        let piece = trim(piece);
        let at = line_of(piece, line);
        let Some(arrow) = find(piece, "->") else {
            return Err(error(
                at,
                format!(
                    "`={}` has no `->` between the prompt and its answer",
                    to_string(piece)
                ),
            ));
        };
        let prompt = markdown(&piece[..arrow], format);
        // Moodle keeps a matching answer as plain text; our own exports write Markdown there
        // under `[markdown]`.
        let answer = php_trim(&to_string(&piece[arrow + 2..])).to_owned();
        let answer = match format {
            TextFormat::Markdown => markdown_without_html(&answer),
            _ => plain_to_markdown(&answer),
        };
        match (prompt.is_empty(), answer.is_empty()) {
            (true, true) => continue,
            (false, true) => {
                return Err(error(at, "this prompt has no answer after `->`"));
            }
            _ => {}
        }
        let index = match options.iter().position(|o| *o == answer) {
            Some(index) => index,
            None => {
                options.push(answer);
                options.len() - 1
            }
        };
        if !prompt.is_empty() {
            prompts.push((prompt, index));
        }
    }
    if prompts.is_empty() {
        return Err(error(
            line,
            "a matching question needs at least one prompt before a `->`",
        ));
    }
    if options.len() > 26 || prompts.len() > 26 {
        return Err(error(
            line,
            "a matching question can have at most 26 prompts and 26 answers",
        ));
    }
    Ok(Reading::Part {
        kind: PartKind::Matching,
        options: options
            .into_iter()
            .enumerate()
            .map(|(i, text)| Choice {
                id: letter(i),
                text,
                rationale: String::new(),
                correct: false,
            })
            .collect(),
        prompts: prompts
            .into_iter()
            .zip(1u8..)
            .map(|((text, index), id)| Prompt {
                id,
                text,
                answer: letter(index),
            })
            .collect(),
    })
}

/// Moodle's true/false: `{T#feedback when wrong#feedback when right}`.
fn true_false(answers: &[Unit], format: TextFormat) -> Reading {
    let bits = split(answers, '#', 3);
    let (_, value) = with_format(bits.first().copied().unwrap_or_default(), format);
    let truth = matches!(value.as_str(), "T" | "TRUE");
    let feedback = |n: usize| {
        bits.get(n)
            .map_or_else(String::new, |f| markdown(f, format))
    };
    let (wrong, right) = (feedback(1), feedback(2));
    let (true_rationale, false_rationale) = if truth {
        (right, wrong)
    } else {
        (wrong, right)
    };
    Reading::Part {
        kind: PartKind::Single,
        options: vec![
            Choice {
                id: 'A',
                text: "True".into(),
                rationale: true_rationale,
                correct: truth,
            },
            Choice {
                id: 'B',
                text: "False".into(),
                rationale: false_rationale,
                correct: !truth,
            },
        ],
        prompts: Vec::new(),
    }
}

/// Matching rationales from `// rationale A: …` comment lines (our exports write them).
fn add_rationales(comments: &str, options: &mut [Choice]) {
    for line in comments.lines() {
        let Some(rest) = line.strip_prefix(RATIONALE) else {
            continue;
        };
        let mut chars = rest.chars();
        let (Some(id), Some(':')) = (chars.next(), chars.next()) else {
            continue;
        };
        if let Some(option) = options.iter_mut().find(|o| o.id == id) {
            let mut units = Vec::new();
            decode(chars.as_str(), 0, &mut units);
            option.rationale = markdown_without_html(php_trim(&to_string(&units)));
        }
    }
}

/// The `[id:…]` and `[tag:…]` of a question's comment lines, `\]` being a `]` (Moodle's
/// `extract_idnumber_and_tags_from_comment`).
fn id_and_tags(comments: &str) -> (Option<String>, Vec<String>) {
    let id = bracketed(comments, "[id:", &[]).into_iter().next();
    let tags = bracketed(comments, "[tag:", &['<', '>', '`']);
    (id, tags)
}

fn bracketed(comments: &str, open: &str, excluded: &[char]) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = comments;
    while let Some(at) = rest.find(open) {
        rest = &rest[at + open.len()..];
        let mut value = String::new();
        let mut chars = rest.char_indices().peekable();
        let mut closed = None;
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' if chars.peek().is_some_and(|(_, n)| *n == ']') => {
                    chars.next();
                    value.push(']');
                }
                ']' => {
                    closed = Some(i + 1);
                    break;
                }
                c if c.is_control() || excluded.contains(&c) => break,
                c => value.push(c),
            }
        }
        if let Some(end) = closed {
            rest = &rest[end..];
            let value = value.trim();
            if !value.is_empty() {
                found.push(value.to_owned());
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(text: &str) -> Vec<Unit> {
        let mut out = Vec::new();
        decode(text, 1, &mut out);
        out
    }

    #[test]
    fn escapes_are_text_and_never_syntax() {
        let decoded = units(r"a\~b\=c\#d\{e\}f\:g\\h\ni\x");
        assert_eq!(to_string(&decoded), "a~b=c#d{e}f:g\\h\ni\\x");
        assert!(position(&decoded, '~').is_none());
        assert!(position(&decoded, '=').is_none());
        // An escaped backslash does not escape what follows it.
        assert!(position(&units(r"a\\~b"), '~').is_some());
    }

    #[test]
    fn weights_follow_moodles_pattern() {
        let w = |s: &str| weight_prefix(&units(s), 1).expect("no error");
        assert_eq!(w("%50%x"), Some((0.5, 4)));
        let (third, taken) = w("%-33.33333%x").expect("a weight");
        assert!((third + 0.3333333).abs() < 1e-9 && taken == 11);
        assert_eq!(w("%100%x"), Some((1.0, 5)));
        assert_eq!(w("%abc%x"), None);
        assert_eq!(w("50%x"), None);
        assert!(weight_prefix(&units("%--50%x"), 1).is_err());
    }

    #[test]
    fn ids_and_tags_come_from_comments() {
        let (id, tags) =
            id_and_tags("// [id:aif-x] [tag:bedrock] [tag:a\\]b]\n// [tag:rag] [tag:]\n");
        assert_eq!(id.as_deref(), Some("aif-x"));
        assert_eq!(tags, vec!["bedrock", "a]b", "rag"]);
    }

    #[test]
    fn raw_html_in_markdown_shows_as_text() {
        let md = markdown_without_html("Pick <b>one</b>.\n\n<div onclick=\"x()\">hi</div>");
        assert_eq!(
            text::one_line(&md),
            "Pick <b>one</b>. <div onclick=\"x()\">hi</div>"
        );
        let unchanged = "A **bold** `<code>` and a < b";
        assert_eq!(markdown_without_html(unchanged), unchanged);
    }
}
