//! The interactions our parts come from: choice (single and multiple response), order and
//! match, each read with its response declaration into a part whose keys, order or pairs
//! are checked against the choices it offers.

use std::collections::{HashMap, HashSet};

use getmycert_core::{Choice, Part, PartKind, Prompt};

use super::dom::{Element, inner_html};
use super::import::{Declaration, ItemContext, ReadPart, choice_texts, is_feedback, markdown};
use crate::{ImportError, letter};

pub(super) fn read_interaction(
    interaction: &Element,
    declarations: &HashMap<String, Declaration>,
    cx: &ItemContext,
) -> Result<ReadPart, ImportError> {
    let line = interaction.line;
    let Some(response) = interaction.attr("response-identifier") else {
        return Err(cx.error(line, "the interaction has no `response-identifier`"));
    };
    let Some(declaration) = declarations.get(response) else {
        return Err(cx.error(
            line,
            format!(
                "the interaction answers `{response}`, which no `qti-response-declaration` declares"
            ),
        ));
    };
    if declaration.correct.iter().all(|v| v.is_empty()) {
        let what = if declaration.has_correct {
            "an empty `qti-correct-response`"
        } else {
            "no `qti-correct-response`"
        };
        return Err(cx.error(
            declaration.line,
            format!(
                "the response `{response}` has {what}: an item without a key cannot be imported"
            ),
        ));
    }
    let prompt = interaction
        .child("qti-prompt")
        .map(|p| markdown(&inner_html(p, &is_feedback)))
        .unwrap_or_default();
    let (part, option_ids) = match interaction.name.as_str() {
        "qti-order-interaction" => order(interaction, declaration, cx)?,
        "qti-match-interaction" => matching(interaction, declaration, cx)?,
        _ => choice(interaction, declaration, cx)?,
    };
    Ok(ReadPart {
        part,
        prompt,
        option_ids,
        line,
    })
}

/// The `qti-simple-choice`s of an interaction, with their identifiers checked.
pub(super) fn simple_choices<'a>(
    parent: &'a Element,
    name: &str,
    cx: &ItemContext,
) -> Result<Vec<(&'a str, &'a Element)>, ImportError> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for c in parent.children_named(name) {
        let Some(id) = c.attr("identifier") else {
            return Err(cx.error(c.line, format!("a `{name}` has no identifier")));
        };
        if !seen.insert(id) {
            return Err(cx.error(c.line, format!("two choices share the identifier `{id}`")));
        }
        out.push((id, c));
    }
    if out.len() > 26 {
        return Err(cx.error(
            parent.line,
            format!("{} choices; at most 26 (A to Z) are read", out.len()),
        ));
    }
    Ok(out)
}

pub(super) fn option(
    cx: &ItemContext,
    index: usize,
    element: &Element,
    correct: bool,
) -> Result<Choice, ImportError> {
    let (text, rationale) = choice_texts(element);
    if text.is_empty() {
        return Err(cx.error(element.line, "the choice has no text"));
    }
    Ok(Choice {
        id: letter(index),
        text,
        rationale,
        correct,
    })
}

pub(super) fn expect_base_type(
    declaration: &Declaration,
    allowed: &[&str],
    what: &str,
    cx: &ItemContext,
) -> Result<(), ImportError> {
    if allowed.contains(&declaration.base_type.as_str()) {
        Ok(())
    } else {
        Err(cx.error(
            declaration.line,
            format!(
                "{what} needs a response of base-type `{}`, not `{}`",
                allowed.join("` or `"),
                declaration.base_type
            ),
        ))
    }
}

pub(super) fn unknown_value(
    cx: &ItemContext,
    declaration: &Declaration,
    value: &str,
) -> ImportError {
    cx.error(
        declaration.line,
        format!("the correct response names `{value}`, which is not a choice of the interaction"),
    )
}

pub(super) fn choice(
    interaction: &Element,
    declaration: &Declaration,
    cx: &ItemContext,
) -> Result<(Part, Vec<String>), ImportError> {
    expect_base_type(declaration, &["identifier"], "a choice interaction", cx)?;
    let choices = simple_choices(interaction, "qti-simple-choice", cx)?;
    if choices.len() < 2 {
        return Err(cx.error(
            interaction.line,
            "a choice interaction needs at least two choices",
        ));
    }
    let keys: HashSet<&str> = declaration.correct.iter().map(String::as_str).collect();
    if let Some(unknown) = keys
        .iter()
        .find(|k| !choices.iter().any(|(id, _)| id == *k))
    {
        return Err(unknown_value(cx, declaration, unknown));
    }
    let kind = match (declaration.cardinality.as_str(), keys.len()) {
        ("single", 1) | ("multiple", 1) => PartKind::Single,
        ("multiple", _) => PartKind::Multiple,
        ("single", _) => {
            return Err(cx.error(
                declaration.line,
                "a response of cardinality `single` lists more than one correct choice",
            ));
        }
        (other, _) => {
            return Err(cx.error(
                declaration.line,
                format!(
                    "a choice interaction needs cardinality `single` or `multiple`, not `{other}`"
                ),
            ));
        }
    };
    let options = choices
        .iter()
        .enumerate()
        .map(|(i, (id, c))| option(cx, i, c, keys.contains(id)))
        .collect::<Result<Vec<_>, _>>()?;
    let ids = choices.iter().map(|(id, _)| (*id).to_owned()).collect();
    Ok((part(kind, options, Vec::new()), ids))
}

pub(super) fn order(
    interaction: &Element,
    declaration: &Declaration,
    cx: &ItemContext,
) -> Result<(Part, Vec<String>), ImportError> {
    expect_base_type(declaration, &["identifier"], "an order interaction", cx)?;
    if declaration.cardinality != "ordered" {
        return Err(cx.error(
            declaration.line,
            format!(
                "an order interaction needs cardinality `ordered`, not `{}`",
                declaration.cardinality
            ),
        ));
    }
    let choices = simple_choices(interaction, "qti-simple-choice", cx)?;
    let mut options = Vec::new();
    let mut ids = Vec::new();
    for value in &declaration.correct {
        let Some((id, c)) = choices.iter().find(|(id, _)| id == value) else {
            return Err(unknown_value(cx, declaration, value));
        };
        if ids.iter().any(|seen| seen == id) {
            return Err(cx.error(
                declaration.line,
                format!("the correct order lists `{id}` twice"),
            ));
        }
        options.push(option(cx, options.len(), c, false)?);
        ids.push((*id).to_owned());
    }
    if let Some((missing, _)) = choices.iter().find(|(id, _)| !ids.iter().any(|i| i == id)) {
        return Err(cx.error(
            declaration.line,
            format!("the correct order leaves out the choice `{missing}`; every step must have its place"),
        ));
    }
    Ok((part(PartKind::Ordering, options, Vec::new()), ids))
}

pub(super) fn matching(
    interaction: &Element,
    declaration: &Declaration,
    cx: &ItemContext,
) -> Result<(Part, Vec<String>), ImportError> {
    expect_base_type(
        declaration,
        &["directedPair", "pair"],
        "a match interaction",
        cx,
    )?;
    let sets: Vec<&Element> = interaction.children_named("qti-simple-match-set").collect();
    let [sources, targets] = sets.as_slice() else {
        return Err(cx.error(
            interaction.line,
            format!(
                "a match interaction needs two `qti-simple-match-set`s, not {}",
                sets.len()
            ),
        ));
    };
    let sources = simple_choices(sources, "qti-simple-associable-choice", cx)?;
    let targets = simple_choices(targets, "qti-simple-associable-choice", cx)?;
    let position = |list: &[(&str, &Element)], id: &str| list.iter().position(|(i, _)| *i == id);
    let mut answers: Vec<Vec<usize>> = vec![Vec::new(); sources.len()];
    for value in &declaration.correct {
        let ends: Vec<&str> = value.split_whitespace().collect();
        let [a, b] = ends.as_slice() else {
            return Err(cx.error(
                declaration.line,
                format!("`{value}` is not a pair of identifiers"),
            ));
        };
        let pair = match (position(&sources, a), position(&targets, b)) {
            (Some(s), Some(t)) => (s, t),
            // A `pair` has no direction; some files write the option first.
            _ => match (position(&sources, b), position(&targets, a)) {
                (Some(s), Some(t)) => (s, t),
                _ => return Err(unknown_value(cx, declaration, value)),
            },
        };
        if let Some(list) = answers.get_mut(pair.0) {
            list.push(pair.1);
        }
    }
    let mut prompts = Vec::new();
    for (i, ((id, source), answer)) in sources.iter().zip(&answers).enumerate() {
        let target = match answer.as_slice() {
            [t] => *t,
            [] => {
                return Err(cx.error(
                    declaration.line,
                    format!("the correct response matches nothing to `{id}`"),
                ));
            }
            _ => {
                return Err(cx.error(
                    declaration.line,
                    format!("the correct response matches `{id}` to several options; a prompt has one match here"),
                ));
            }
        };
        let (text, _) = choice_texts(source);
        if text.is_empty() {
            return Err(cx.error(source.line, "the prompt has no text"));
        }
        prompts.push(Prompt {
            id: u8::try_from(i + 1).unwrap_or(u8::MAX),
            text,
            answer: letter(target),
        });
    }
    let options = targets
        .iter()
        .enumerate()
        .map(|(i, (_, c))| option(cx, i, c, false))
        .collect::<Result<Vec<_>, _>>()?;
    let ids = targets.iter().map(|(id, _)| (*id).to_owned()).collect();
    Ok((part(PartKind::Matching, options, prompts), ids))
}

pub(super) fn part(kind: PartKind, options: Vec<Choice>, prompts: Vec<Prompt>) -> Part {
    Part {
        kind,
        stem: String::new(),
        options,
        prompts,
        explanation: String::new(),
    }
}
