//! Any valid item written by the writer and parsed again is the same item.

use proptest::prelude::*;
use time::Date;

use getmycert_content::items::{parse_item, write_item};
use getmycert_core::{
    Choice, Difficulty, ExamCode, ItemStatus, Mapping, Part, PartKind, Prompt, Question,
    QuestionId, QuestionType,
};

fn words(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec("[a-z]{1,8}", 1..max).prop_map(|w| w.join(" "))
}

/// Text of one to three lines (option text, rationales, prompts).
fn lines() -> impl Strategy<Value = String> {
    prop::collection::vec(words(8), 1..3).prop_map(|l| l.join("\n"))
}

/// Text of one or two paragraphs (stems, scenarios, explanations).
fn paragraphs() -> impl Strategy<Value = String> {
    prop::collection::vec(lines(), 1..3).prop_map(|p| p.join("\n\n"))
}

fn letter(i: usize) -> char {
    (b'A' + i as u8) as char
}

fn choices(n: usize, keys: Vec<usize>) -> impl Strategy<Value = Vec<Choice>> {
    prop::collection::vec((lines(), lines()), n).prop_map(move |texts| {
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
    match kind {
        PartKind::Single => (4usize..7)
            .prop_flat_map(|n| (Just(n), 0..n))
            .prop_flat_map(|(n, key)| (choices(n, vec![key]), (paragraphs(), paragraphs())))
            .prop_map(|(options, (stem, explanation))| Part {
                kind: PartKind::Single,
                stem,
                options,
                prompts: vec![],
                explanation,
            })
            .boxed(),
        PartKind::Multiple => (5usize..7)
            .prop_flat_map(|n| {
                (
                    Just(n),
                    prop::sample::subsequence((0..n).collect::<Vec<_>>(), 2..4),
                )
            })
            .prop_flat_map(|(n, keys)| (choices(n, keys), (paragraphs(), paragraphs())))
            .prop_map(|(options, (stem, explanation))| Part {
                kind: PartKind::Multiple,
                stem,
                options,
                prompts: vec![],
                explanation,
            })
            .boxed(),
        PartKind::Ordering => (3usize..6)
            .prop_flat_map(|n| (choices(n, vec![]), (paragraphs(), paragraphs())))
            .prop_map(|(options, (stem, explanation))| Part {
                kind: PartKind::Ordering,
                stem,
                options,
                prompts: vec![],
                explanation,
            })
            .boxed(),
        PartKind::Matching => (3usize..7)
            .prop_flat_map(|n| {
                (
                    choices(n, vec![]),
                    prop::collection::vec((lines(), 0..n), 3..8),
                )
            })
            .prop_flat_map(|(options, prompts)| {
                (Just(options), Just(prompts), (paragraphs(), paragraphs()))
            })
            .prop_map(|(options, prompts, (stem, explanation))| Part {
                kind: PartKind::Matching,
                stem,
                options,
                prompts: prompts
                    .into_iter()
                    .enumerate()
                    .map(|(i, (text, answer))| Prompt {
                        id: i as u8 + 1,
                        text,
                        answer: letter(answer),
                    })
                    .collect(),
                explanation,
            })
            .boxed(),
    }
}

fn question() -> impl Strategy<Value = Question> {
    let kind = prop::sample::select(vec![
        QuestionType::Single,
        QuestionType::Multiple,
        QuestionType::Ordering,
        QuestionType::Matching,
        QuestionType::CaseStudy,
    ]);
    let body = kind.prop_flat_map(|kind| {
        let parts: BoxedStrategy<(Option<String>, Vec<Part>)> = match kind {
            QuestionType::Single => part(PartKind::Single).prop_map(|p| (None, vec![p])).boxed(),
            QuestionType::Multiple => part(PartKind::Multiple)
                .prop_map(|p| (None, vec![p]))
                .boxed(),
            QuestionType::Ordering => part(PartKind::Ordering)
                .prop_map(|p| (None, vec![p]))
                .boxed(),
            QuestionType::Matching => part(PartKind::Matching)
                .prop_map(|p| (None, vec![p]))
                .boxed(),
            QuestionType::CaseStudy => (
                paragraphs(),
                prop::collection::vec(
                    prop_oneof![part(PartKind::Single), part(PartKind::Multiple)],
                    2..5,
                ),
            )
                .prop_map(|(s, parts)| (Some(s), parts))
                .boxed(),
        };
        (Just(kind), parts)
    });
    let mappings = prop::collection::btree_set(
        (
            prop::sample::select(vec!["AIF-C01", "MLA-C01", "MLS-C01", "AIP-C01"]),
            1u8..6,
            1u8..8,
        ),
        1..3,
    )
    .prop_map(|set| {
        let mut seen = std::collections::BTreeSet::new();
        set.into_iter()
            .filter(|(exam, _, _)| seen.insert(*exam))
            .map(|(exam, domain, task)| Mapping {
                exam: ExamCode::parse(exam).expect("code"),
                domain,
                task,
            })
            .collect::<Vec<_>>()
    });
    (
        "[a-z]{3,10}(-[a-z0-9]{1,6}){0,3}",
        body,
        mappings,
        prop::sample::select(Difficulty::ALL.to_vec()),
        prop::sample::select(vec![
            ItemStatus::Draft,
            ItemStatus::Pilot,
            ItemStatus::Live,
            ItemStatus::Retired,
        ]),
        prop::collection::vec("[a-z]{2,8}(-[a-z]{2,6})?", 0..4),
        prop::collection::vec("[a-z]{2,10}", 1..3),
        prop::option::of(0i32..3000),
    )
        .prop_map(
            |(
                id,
                (kind, (scenario, parts)),
                mappings,
                difficulty,
                status,
                tags,
                refs,
                verified,
            )| Question {
                id: QuestionId::parse(&id).expect("generated id"),
                kind,
                mappings,
                difficulty,
                status,
                tags,
                references: refs
                    .into_iter()
                    .map(|r| format!("https://docs.example.com/{r}"))
                    .collect(),
                verified: verified.map(|d| Date::from_julian_day(2_460_000 + d).expect("date")),
                scenario,
                parts,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn written_items_parse_back_to_themselves(q in question()) {
        let text = write_item(&q);
        let path = format!("content/questions/x/{}.md", q.id);
        let parsed = parse_item(&path, &text);
        prop_assert_eq!(parsed.as_ref().ok(), Some(&q), "{}\n{:?}", text, parsed.as_ref().err());
    }
}
