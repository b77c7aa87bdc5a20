//! Export then import gives back the same items: stems, options, keys, rationales and
//! explanations, for generated items of every type a format holds, and the same ids and tasks.
//! Texts use every character the formats escape (`= ~ # { } : & < " '` …) and Markdown spans.

use std::collections::BTreeSet;

use proptest::prelude::*;

use getmycert_core::fixtures::sample_exam;
use getmycert_core::{
    Choice, Difficulty, Exam, ExamCode, ItemStatus, Level, Mapping, Part, PartKind, Prompt,
    Question, QuestionId, QuestionType,
};
use getmycert_interop::{Format, draft, text};

/// One token of running text: a word, a word with punctuation, or a Markdown span.
fn token() -> impl Strategy<Value = String> {
    let word = "[A-Za-z0-9]{1,8}";
    prop_oneof![
        4 => word.prop_map(|w| w),
        1 => (word, prop::sample::select(vec![",", ".", "?", "!", ";", ":", "%"]))
            .prop_map(|(w, p)| format!("{w}{p}")),
        1 => word.prop_map(|w| format!("({w})")),
        1 => word.prop_map(|w| format!("\"{w}\"")),
        1 => word.prop_map(|w| format!("'{w}'")),
        1 => (word, word).prop_map(|(a, b)| format!("{a}/{b}")),
        1 => (word, word).prop_map(|(a, b)| format!("{a}-{b}")),
        1 => (word, word).prop_map(|(a, b)| format!("{a} = {b}")),
        1 => word.prop_map(|w| format!("~{w}")),
        1 => word.prop_map(|w| format!("#{w}")),
        1 => word.prop_map(|w| format!("{{{w}}}")),
        1 => Just("&".to_owned()),
        1 => word.prop_map(|w| format!("**{w}**")),
        1 => word.prop_map(|w| format!("`{w}`")),
    ]
}

/// A paragraph: starts with a word (so it never reads as a list, a heading or a quote).
fn paragraph() -> impl Strategy<Value = String> {
    ("[A-Za-z]{1,8}", prop::collection::vec(token(), 0..10)).prop_map(|(first, rest)| {
        std::iter::once(first)
            .chain(rest)
            .collect::<Vec<_>>()
            .join(" ")
    })
}

/// One to three paragraphs.
fn texts() -> impl Strategy<Value = String> {
    prop::collection::vec(paragraph(), 1..4).prop_map(|p| p.join("\n\n"))
}

fn letter(i: usize) -> char {
    (b'A' + i as u8) as char
}

/// `n` options with distinct texts (a matching import tells options apart by their text).
fn choices(n: usize, keys: Vec<usize>) -> impl Strategy<Value = Vec<Choice>> {
    prop::collection::vec((paragraph(), paragraph()), n)
        .prop_filter("distinct option texts", |texts| {
            texts.iter().map(|(t, _)| t).collect::<BTreeSet<_>>().len() == texts.len()
        })
        .prop_map(move |texts| {
            texts
                .into_iter()
                .enumerate()
                .map(|(i, (text, rationale))| Choice {
                    id: letter(i),
                    text,
                    rationale,
                    correct: keys.contains(&i),
                })
                .collect()
        })
}

fn part(kind: PartKind) -> BoxedStrategy<Part> {
    let make = move |options, prompts, stem, explanation| Part {
        kind,
        stem,
        options,
        prompts,
        explanation,
    };
    match kind {
        PartKind::Single => (4usize..7)
            .prop_flat_map(|n| (Just(n), 0..n))
            .prop_flat_map(|(n, key)| (choices(n, vec![key]), texts(), texts()))
            .prop_map(move |(o, s, e)| make(o, vec![], s, e))
            .boxed(),
        PartKind::Multiple => (5usize..7)
            .prop_flat_map(|n| {
                (
                    Just(n),
                    prop::sample::subsequence((0..n).collect::<Vec<_>>(), 2..4),
                )
            })
            .prop_flat_map(|(n, keys)| (choices(n, keys), texts(), texts()))
            .prop_map(move |(o, s, e)| make(o, vec![], s, e))
            .boxed(),
        PartKind::Ordering => (3usize..6)
            .prop_flat_map(|n| (choices(n, vec![]), texts(), texts()))
            .prop_map(move |(o, s, e)| make(o, vec![], s, e))
            .boxed(),
        PartKind::Matching => (3usize..7)
            .prop_flat_map(|n| {
                (
                    choices(n, vec![]),
                    prop::collection::vec((paragraph(), 0..n), 3..7),
                    texts(),
                    texts(),
                )
            })
            .prop_map(move |(options, prompts, s, e)| {
                let prompts = prompts
                    .into_iter()
                    .enumerate()
                    .map(|(i, (text, answer))| Prompt {
                        id: i as u8 + 1,
                        text,
                        answer: letter(answer),
                    })
                    .collect();
                make(options, prompts, s, e)
            })
            .boxed(),
    }
}

fn exam() -> Exam {
    let mut exam = sample_exam("AIF-C01", Level::Foundational, &[20, 30, 50]);
    for domain in &mut exam.domains {
        domain.tasks = vec!["First task".into(), "Second task".into()];
    }
    exam
}

/// An item of one of `kinds`, live, mapped to a task of [`exam`].
fn question(kinds: Vec<QuestionType>) -> impl Strategy<Value = Question> {
    (
        prop::sample::select(kinds),
        "[a-z]{3,10}",
        1u8..4,
        1u8..3,
        prop::collection::vec("[a-z]{2,8}", 0..3),
    )
        .prop_flat_map(|(kind, id, domain, task, tags)| {
            let parts = match kind {
                QuestionType::CaseStudy => prop::collection::vec(
                    prop::sample::select(vec![PartKind::Single, PartKind::Multiple])
                        .prop_flat_map(part),
                    2..4,
                )
                .boxed(),
                other => {
                    let kind = match other {
                        QuestionType::Single => PartKind::Single,
                        QuestionType::Multiple => PartKind::Multiple,
                        QuestionType::Ordering => PartKind::Ordering,
                        _ => PartKind::Matching,
                    };
                    part(kind).prop_map(|p| vec![p]).boxed()
                }
            };
            let scenario = match kind {
                QuestionType::CaseStudy => texts().prop_map(Some).boxed(),
                _ => Just(None).boxed(),
            };
            (Just((kind, id, domain, task, tags)), parts, scenario)
        })
        .prop_map(
            |((kind, id, domain, task, tags), parts, scenario)| Question {
                id: QuestionId::parse(&format!("q-{id}")).expect("id"),
                kind,
                mappings: vec![Mapping {
                    exam: ExamCode::parse("AIF-C01").expect("code"),
                    domain,
                    task,
                }],
                difficulty: Difficulty::Medium,
                status: ItemStatus::Live,
                tags,
                references: vec!["https://docs.aws.amazon.com/".into()],
                verified: None,
                scenario,
                parts,
            },
        )
}

/// Items with distinct ids.
fn bank(kinds: Vec<QuestionType>) -> impl Strategy<Value = Vec<Question>> {
    prop::collection::vec(question(kinds), 1..5).prop_map(|mut items| {
        let mut seen = BTreeSet::new();
        items.retain(|q| seen.insert(q.id.clone()));
        items
    })
}

/// A matching part as what it means: option texts with rationales (a set), and each prompt's
/// text with its option's text. Formats without an option list of their own (Moodle, GIFT)
/// rebuild the options from the answers, so letters may move; the meaning may not.
type Meaning = (BTreeSet<(String, String)>, Vec<(String, String)>);

fn matching_meaning(part: &Part) -> Meaning {
    let text_of = |letter: char| {
        part.options
            .iter()
            .find(|o| o.id == letter)
            .map(|o| o.text.clone())
            .unwrap_or_default()
    };
    (
        part.options
            .iter()
            .map(|o| (o.text.clone(), o.rationale.clone()))
            .collect(),
        part.prompts
            .iter()
            .map(|p| (p.text.clone(), text_of(p.answer)))
            .collect(),
    )
}

/// What a format keeps besides stems, options and keys.
#[derive(Clone, Copy)]
struct Keeps {
    /// Rationales and explanations (feedback).
    feedback: bool,
    /// The item's id and task (names and categories).
    names: bool,
}

const EVERYTHING: Keeps = Keeps {
    feedback: true,
    names: true,
};

/// Exports `items`, imports the file, and checks every exported item came back the same;
/// `same_text` compares two texts (exact for formats with feedback).
fn round_trip(
    format: Format,
    items: &[Question],
    keeps: Keeps,
    same_text: impl Fn(&str, &str) -> bool,
) -> Result<(), TestCaseError> {
    let exam = exam();
    let export = format.export(&exam, items);
    let parsed = format
        .parse_file(&export.bytes)
        .map_err(|e| TestCaseError::fail(format!("{format}: {e}")))?;
    prop_assert!(parsed.unsupported.is_empty(), "{:?}", parsed.unsupported);
    let kept: Vec<&Question> = items
        .iter()
        .filter(|q| export.left_out.iter().all(|l| l.id != q.id))
        .collect();
    let imported = draft::assemble(&parsed.drafts, &exam, None, &BTreeSet::new())
        .map_err(|e| TestCaseError::fail(format!("{format}: {e:?}")))?;
    prop_assert_eq!(imported.len(), kept.len(), "{} items", format);
    for (original, item) in kept.iter().zip(&imported) {
        let back = &item.question;
        if keeps.names {
            prop_assert_eq!(&back.id, &original.id, "{}: id", format);
            prop_assert_eq!(&back.mappings[0], &original.mappings[0], "{}: task", format);
        }
        prop_assert_eq!(
            back.kind,
            original.kind,
            "{}: type of {}",
            format,
            original.id
        );
        prop_assert_eq!(back.parts.len(), original.parts.len());
        if let (Some(a), Some(b)) = (&original.scenario, &back.scenario) {
            prop_assert!(same_text(a, b), "{}: scenario\n{:?}\n{:?}", format, a, b);
        }
        for (a, b) in original.parts.iter().zip(&back.parts) {
            prop_assert_eq!(a.kind, b.kind);
            prop_assert!(
                same_text(&a.stem, &b.stem),
                "{}: stem\n{:?}\n{:?}",
                format,
                a.stem,
                b.stem
            );
            if keeps.feedback {
                prop_assert!(
                    same_text(&a.explanation, &b.explanation),
                    "{}: explanation\n{:?}\n{:?}",
                    format,
                    a.explanation,
                    b.explanation
                );
            }
            if a.kind == PartKind::Matching {
                prop_assert_eq!(
                    matching_meaning(a),
                    matching_meaning(b),
                    "{}: matching",
                    format
                );
                continue;
            }
            prop_assert_eq!(a.options.len(), b.options.len(), "{}: options", format);
            for (x, y) in a.options.iter().zip(&b.options) {
                prop_assert!(
                    same_text(&x.text, &y.text),
                    "{}: option\n{:?}\n{:?}",
                    format,
                    x.text,
                    y.text
                );
                prop_assert_eq!(x.correct, y.correct, "{}: key of {}", format, original.id);
                if keeps.feedback {
                    prop_assert!(
                        same_text(&x.rationale, &y.rationale),
                        "{}: rationale\n{:?}\n{:?}",
                        format,
                        x.rationale,
                        y.rationale
                    );
                }
            }
        }
    }
    Ok(())
}

fn exact(a: &str, b: &str) -> bool {
    a == b
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn qti_packages_round_trip_every_item_type(items in bank(vec![
        QuestionType::Single, QuestionType::Multiple, QuestionType::Ordering,
        QuestionType::Matching, QuestionType::CaseStudy,
    ])) {
        round_trip(Format::Qti3, &items, EVERYTHING, exact)?;
    }

    #[test]
    fn moodle_xml_round_trips_single_multiple_ordering_and_matching(items in bank(vec![
        QuestionType::Single, QuestionType::Multiple, QuestionType::Ordering,
        QuestionType::Matching,
    ])) {
        round_trip(Format::MoodleXml, &items, EVERYTHING, exact)?;
    }

    #[test]
    fn gift_round_trips_single_multiple_and_matching(items in bank(vec![
        QuestionType::Single, QuestionType::Multiple, QuestionType::Matching,
    ])) {
        round_trip(Format::Gift, &items, EVERYTHING, exact)?;
    }

    #[test]
    fn aiken_round_trips_single_answer_stems_options_and_keys(items in bank(vec![
        QuestionType::Single,
    ])) {
        let keeps = Keeps { feedback: false, names: false };
        round_trip(Format::Aiken, &items, keeps, |a, b| text::one_line(a) == text::one_line(b))?;
    }
}
