//! GIFT answer blocks: multiple choice (`=`, `~`, `~%50%`), matching (`=a -> b`) and
//! true/false (`{T#…#…}`), read as Moodle's reader reads them.

use getmycert_core::{Choice, PartKind, Prompt};

use super::text::{
    TextFormat, Unit, drop_empty_head, error, find, line_of, markdown, markdown_without_html,
    php_trim, position, split, to_string, trim, with_format,
};
use crate::text::plain_to_markdown;
use crate::{ImportError, letter};

/// What an answer block gives.
pub(super) enum Reading {
    Part {
        kind: PartKind,
        options: Vec<Choice>,
        prompts: Vec<Prompt>,
    },
    Unsupported(&'static str),
}

/// Moodle's multichoice: `=` makes it single-answer, `~%w%` weights make the rest.
pub(super) fn multichoice(
    answers: &[Unit],
    format: TextFormat,
    line: usize,
) -> Result<Reading, ImportError> {
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
pub(super) fn weight_prefix(
    piece: &[Unit],
    line: usize,
) -> Result<Option<(f64, usize)>, ImportError> {
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
pub(super) fn matching(
    answers: &[Unit],
    format: TextFormat,
    line: usize,
) -> Result<Reading, ImportError> {
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
pub(super) fn true_false(answers: &[Unit], format: TextFormat) -> Reading {
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
