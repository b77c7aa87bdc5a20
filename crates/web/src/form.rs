//! Form bodies at the edge: [`Fields`] reads a urlencoded body with every field in order
//! (repeated keys included, as checkboxes send them), and [`answer`] reads one answer from the
//! fields the runner and the question browser share.

use std::collections::BTreeMap;

use axum::extract::{FromRequest, Request};
use axum::response::Response;

use getmycert_core::scoring::Response as Answer;

/// A submitted form, every field in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields(Vec<(String, String)>);

impl Fields {
    /// Parses a urlencoded body.
    pub fn parse(body: &str) -> Self {
        Self(
            form_urlencoded::parse(body.as_bytes())
                .into_owned()
                .collect(),
        )
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of `name`, or "" when it is missing.
    pub fn text(&self, name: &str) -> &str {
        self.get(name).unwrap_or("")
    }

    /// Every value of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Whether the form has a field `name` (a ticked checkbox).
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Fields whose name starts with `prefix`, as (rest of the name, value).
    fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.0
            .iter()
            .filter_map(move |(k, v)| Some((k.strip_prefix(prefix)?, v.as_str())))
    }
}

impl<S: Send + Sync> FromRequest<S> for Fields {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let body = String::from_request(req, state)
            .await
            .map_err(|e| crate::error::unreadable(e.status(), e.body_text()))?;
        Ok(Self::parse(&body))
    }
}

/// One letter: the whole value, `A` to `Z`.
fn letter(value: &str) -> Option<char> {
    let mut chars = value.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_uppercase() => Some(c),
        _ => None,
    }
}

/// Reads one answer from fields named `{prefix}selected` (radio buttons or checkboxes),
/// `{prefix}pos-{step}` (an ordering: each step's position, `step` turned into the step's
/// letter by `step_letter`) and `{prefix}match-{prompt}` (a matching: each prompt's option).
/// `Ok(None)` when nothing is answered; `Err` says what is wrong, in words for the page.
pub fn answer(
    fields: &Fields,
    prefix: &str,
    step_letter: impl Fn(&str) -> Option<char>,
) -> Result<Option<Answer>, String> {
    let selected = fields.all(&format!("{prefix}selected"));
    if !selected.is_empty() {
        let selected = selected
            .iter()
            .map(|v| letter(v).ok_or_else(|| format!("`{v}` is not an option.")))
            .collect::<Result<Vec<char>, String>>()?;
        return Ok(Some(Answer::Selected { selected }));
    }
    let pos = format!("{prefix}pos-");
    let steps: Vec<(&str, &str)> = fields.with_prefix(&pos).collect();
    if !steps.is_empty() {
        let mut placed = Vec::new();
        for (step, raw) in &steps {
            let id = step_letter(step).ok_or_else(|| format!("`{step}` is not a step."))?;
            match raw.trim() {
                "" => {}
                raw => match raw.parse::<usize>() {
                    Ok(p) => placed.push((p, id)),
                    Err(_) => return Err(format!("`{raw}` is not a position.")),
                },
            }
        }
        if placed.is_empty() {
            return Ok(None);
        }
        placed.sort_unstable();
        if placed.len() != steps.len() || placed.windows(2).any(|w| w[0].0 == w[1].0) {
            return Err("Give every step a different position.".into());
        }
        return Ok(Some(Answer::Order {
            order: placed.into_iter().map(|(_, id)| id).collect(),
        }));
    }
    let mut matches = BTreeMap::new();
    for (prompt, raw) in fields.with_prefix(&format!("{prefix}match-")) {
        let prompt: u8 = prompt
            .parse()
            .map_err(|_| format!("`{prompt}` is not a prompt."))?;
        match raw {
            "" => {}
            raw => {
                let option = letter(raw).ok_or_else(|| format!("`{raw}` is not an option."))?;
                matches.insert(prompt, option);
            }
        }
    }
    Ok((!matches.is_empty()).then_some(Answer::Matches { matches }))
}

/// Step ids that are the step's own letter (the runner names steps by display letter).
pub fn letter_step(step: &str) -> Option<char> {
    letter(step)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(body: &str) -> Result<Option<Answer>, String> {
        answer(&Fields::parse(body), "", letter_step)
    }

    #[test]
    fn repeated_keys_are_all_kept_in_order() {
        let f = Fields::parse("domain=1&domain=3&count=20&timed=on");
        assert_eq!(f.all("domain"), ["1", "3"]);
        assert_eq!(f.get("count"), Some("20"));
        assert!(f.has("timed") && !f.has("accommodation"));
        assert_eq!(f.text("missing"), "");
    }

    #[test]
    fn choices_orders_and_matches_are_read_from_their_fields() {
        assert_eq!(
            read("selected=B&selected=D&flagged=1"),
            Ok(Some(Answer::Selected {
                selected: vec!['B', 'D']
            }))
        );
        assert_eq!(
            read("pos-A=2&pos-B=3&pos-C=1"),
            Ok(Some(Answer::Order {
                order: vec!['C', 'A', 'B']
            }))
        );
        assert_eq!(
            read("match-1=C&match-2=&match-3=A"),
            Ok(Some(Answer::Matches {
                matches: BTreeMap::from([(1, 'C'), (3, 'A')])
            }))
        );
        assert_eq!(read("pos-A=&pos-B="), Ok(None));
        assert_eq!(read("go=next"), Ok(None));
    }

    #[test]
    fn malformed_answers_say_what_is_wrong() {
        assert_eq!(
            read("pos-A=1&pos-B=1"),
            Err("Give every step a different position.".into())
        );
        assert_eq!(
            read("pos-A=1&pos-B="),
            Err("Give every step a different position.".into())
        );
        assert_eq!(read("pos-A=x"), Err("`x` is not a position.".into()));
        assert_eq!(read("selected=AB"), Err("`AB` is not an option.".into()));
        assert_eq!(read("match-x=A"), Err("`x` is not a prompt.".into()));
    }

    #[test]
    fn a_prefix_reads_one_part_of_several() {
        let f = Fields::parse("p1-selected=A&p2-pos-s1=2&p2-pos-s2=1");
        let steps = |s: &str| match s {
            "s1" => Some('A'),
            "s2" => Some('B'),
            _ => None,
        };
        assert_eq!(
            answer(&f, "p1-", steps),
            Ok(Some(Answer::Selected {
                selected: vec!['A']
            }))
        );
        assert_eq!(
            answer(&f, "p2-", steps),
            Ok(Some(Answer::Order {
                order: vec!['B', 'A']
            }))
        );
    }
}
