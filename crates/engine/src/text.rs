//! Question text as served items and reports carry it. A revision never changes, so each of
//! its texts is written out as a JSON string once, the first time the revision is served, and
//! rendered to HTML once, the first time a page shows it; every response after shares them. A
//! report of 65 items (211 kB) copies its text instead of escaping every character again (a
//! quarter of a submit's instructions before), and a page copies the HTML instead of rendering
//! and sanitizing the Markdown again.

use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

use serde::{Serialize, Serializer};
use serde_json::value::RawValue;

use getmycert_content::markdown::to_html;
use getmycert_core::Question;

/// One text of a question revision (Markdown), with its JSON string form. Cloning shares it.
#[derive(Clone)]
pub struct Text(Arc<Forms>);

struct Forms {
    plain: Box<str>,
    /// `plain` as a JSON string, quotes and escapes included.
    json: Box<RawValue>,
    /// `plain` rendered to sanitized HTML, made the first time a page asks.
    html: OnceLock<Box<str>>,
}

impl Text {
    pub fn new(plain: &str) -> Self {
        let json = serde_json::value::to_raw_value(plain)
            .unwrap_or_else(|_| unreachable!("a string is always valid JSON"));
        Self(Arc::new(Forms {
            plain: plain.into(),
            json,
            html: OnceLock::new(),
        }))
    }

    pub fn as_str(&self) -> &str {
        &self.0.plain
    }

    /// The Markdown rendered to sanitized HTML ([`to_html`]), once per text.
    pub fn html(&self) -> &str {
        self.0.html.get_or_init(|| to_html(&self.0.plain).into())
    }
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        self == other.as_str()
    }
}

/// Written as the JSON string made once. Responses are JSON: serde_json's serializers (to
/// text, and to a `Value`) take a raw value as it is.
impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.json.serialize(serializer)
    }
}

/// The texts of one part of a revision.
#[derive(Debug)]
pub(crate) struct PartTexts {
    pub stem: Text,
    pub explanation: Text,
    /// Each option's text and rationale, in the part's own order.
    pub options: Vec<(Text, Text)>,
    pub prompts: Vec<Text>,
}

/// Every text of a revision, made once.
#[derive(Debug)]
pub(crate) struct RevisionTexts {
    pub scenario: Option<Text>,
    pub references: Vec<Text>,
    pub parts: Vec<PartTexts>,
}

impl RevisionTexts {
    pub fn of(question: &Question) -> Self {
        Self {
            scenario: question.scenario.as_deref().map(Text::new),
            references: question.references.iter().map(|r| Text::new(r)).collect(),
            parts: question
                .parts
                .iter()
                .map(|part| PartTexts {
                    stem: Text::new(&part.stem),
                    explanation: Text::new(&part.explanation),
                    options: part
                        .options
                        .iter()
                        .map(|o| (Text::new(&o.text), Text::new(&o.rationale)))
                        .collect(),
                    prompts: part.prompts.iter().map(|p| Text::new(&p.text)).collect(),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_form_is_the_escaped_string() {
        let text = Text::new("Pick \"one\":\n\t<b>a\\b</b> \u{1}é");
        let json = serde_json::to_string(&text).expect("serializes");
        assert_eq!(json, serde_json::to_string(text.as_str()).expect("str"));
        let back: String = serde_json::from_str(&json).expect("parses");
        assert_eq!(back, text.as_str());
    }

    #[test]
    fn inside_a_struct_and_pretty_printed() {
        #[derive(Serialize)]
        struct Item {
            stem: Text,
            options: Vec<Text>,
        }
        let item = Item {
            stem: Text::new("Which \"service\"?"),
            options: vec![Text::new("A\nB"), Text::new("")],
        };
        let compact = serde_json::to_string(&item).expect("serializes");
        assert_eq!(
            compact,
            r#"{"stem":"Which \"service\"?","options":["A\nB",""]}"#
        );
        let pretty: serde_json::Value =
            serde_json::from_str(&serde_json::to_string_pretty(&item).expect("pretty"))
                .expect("parses");
        assert_eq!(pretty["options"][0], "A\nB");
        let value = serde_json::to_value(&item).expect("to a value");
        assert_eq!(value["stem"], "Which \"service\"?");
    }

    #[test]
    fn html_is_rendered_once_and_shared_by_clones() {
        let text = Text::new("**bold** <script>alert(1)</script>");
        let copy = text.clone();
        assert_eq!(text.html(), to_html(text.as_str()));
        assert!(text.html().contains("<strong>bold</strong>"));
        assert!(!text.html().contains("<script"));
        assert!(std::ptr::eq(text.html(), copy.html()));
    }
}
