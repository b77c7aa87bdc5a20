//! Aiken: Moodle-shaped files, malformed files with their line, and exports of the single-answer
//! items (hand-written and the real bank) that read back with the same stems, options and keys.

use getmycert_content::{Content, ContentSource};
use getmycert_core::fixtures::{sample_exam, sample_question};
use getmycert_core::{
    Choice, Exam, ExamCode, ItemStatus, Level, Part, PartKind, Question, QuestionType,
};
use getmycert_interop::{aiken, text::one_line};
use proptest::prelude::*;

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/aiken/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn single_answer_questions_come_in_with_letters_keys_and_no_feedback() {
    let parsed = aiken::parse(&fixture("questions.aiken.txt")).expect("parses");
    assert!(parsed.unsupported.is_empty());
    let summary: Vec<(usize, String, Vec<String>, Vec<char>)> = parsed
        .drafts
        .iter()
        .map(|d| {
            let part = &d.parts[0];
            assert_eq!(d.parts.len(), 1);
            assert_eq!(part.kind, PartKind::Single);
            assert_eq!(part.explanation, "");
            assert!(part.options.iter().all(|o| o.rationale.is_empty()));
            assert_eq!((d.title.as_ref(), d.category.as_ref()), (None, None));
            (
                d.location.line,
                one_line(&part.stem),
                part.options
                    .iter()
                    .map(|o| format!("{}:{}", o.id, one_line(&o.text)))
                    .collect(),
                part.keys(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                1,
                "Which AWS service converts text into lifelike speech?".to_owned(),
                vec![
                    "A:Amazon Transcribe".to_owned(),
                    "B:Amazon Polly".into(),
                    "C:Amazon Lex".into(),
                    "D:Amazon Comprehend".into()
                ],
                vec!['B']
            ),
            (
                8,
                "A model must flag fraud in < 0.1% of transactions & miss few. Which metric matters most?"
                    .to_owned(),
                vec![
                    "A:Accuracy".to_owned(),
                    "B:Recall".into(),
                    "C:Specificity".into(),
                    "D:Mean squared error".into()
                ],
                vec!['B']
            ),
            (
                15,
                "Which SageMaker input mode streams data from Amazon S3 without downloading it first?"
                    .to_owned(),
                vec!["A:File mode".to_owned(), "B:Pipe mode".into()],
                vec!['B']
            ),
        ]
    );
    // Plain text stays text: the `<` cannot open HTML.
    assert!(parsed.drafts[1].parts[0].stem.contains("\\< 0.1%"));
}

#[test]
fn malformed_files_fail_at_the_line_of_the_fault() {
    for (file, line, words) in [
        (
            "option_without_question.aiken.txt",
            6,
            "before any question",
        ),
        ("missing_answer.aiken.txt", 1, "no `ANSWER:`"),
        ("answer_names_no_option.aiken.txt", 5, "names no option"),
    ] {
        let error = aiken::parse(&fixture(file)).expect_err(file);
        assert_eq!(error.location.line, line, "{file}: {error}");
        assert!(error.message.contains(words), "{file}: {error}");
    }
    for (text, line, words) in [
        ("ANSWER: A", 1, "before any question"),
        (
            "Which?\nA) Only one\nANSWER: A",
            3,
            "fewer than two options",
        ),
        ("Which?\nA) x\nB) y", 1, "no `ANSWER:`"),
        ("Which?\nA) x\nB)\nANSWER: A", 3, "no text"),
        ("Which?\nA) x\nB) y\nANSWER: b", 4, "names no option"),
    ] {
        let error = aiken::parse(text).expect_err(text);
        assert_eq!(error.location.line, line, "{text:?}: {error}");
        assert!(error.message.contains(words), "{text:?}: {error}");
    }
}

fn exam() -> Exam {
    sample_exam("AIF-C01", Level::Foundational, &[40, 60])
}

fn single(id: &str, stem: &str) -> Question {
    let mut q = sample_question(id, "AIF-C01", "1.1");
    q.parts[0].stem = stem.into();
    q.parts[0].options[2].text = "Option with `code`, **bold** and a = b ~ c # {d}".into();
    q
}

#[test]
fn export_writes_single_answer_items_on_one_line_each() {
    let items = [single(
        "aif-one",
        "A team trains a model.\n\n- It has **two** needs.\n\nWhich option fits best?",
    )];
    let export = aiken::export(&exam(), &items);
    assert!(export.left_out.is_empty());
    let text = String::from_utf8(export.bytes).expect("UTF-8");
    assert_eq!(
        text,
        "A team trains a model. It has two needs. Which option fits best?\n\
         A) Option A of aif-one\n\
         B) Option B of aif-one\n\
         C) Option with code, bold and a = b ~ c # {d}\n\
         D) Option D of aif-one\n\
         ANSWER: B\n\n"
    );
}

#[test]
fn everything_but_single_answers_is_left_out_and_case_study_singles_are_flattened() {
    let mut multiple = single("aif-multi", "Which TWO?");
    multiple.kind = QuestionType::Multiple;
    multiple.parts[0].kind = PartKind::Multiple;
    multiple.parts[0].options[0].correct = true;
    let mut ordering = single("aif-order", "Order them.");
    ordering.kind = QuestionType::Ordering;
    ordering.parts[0].kind = PartKind::Ordering;
    let mut case = single("aif-case", "First part?");
    case.kind = QuestionType::CaseStudy;
    case.scenario = Some("A bank builds an assistant.".into());
    case.parts.push(multiple.parts[0].clone());
    case.parts.push(Part {
        stem: "Third part?".into(),
        ..case.parts[0].clone()
    });
    let mut looks_like_option = single("aif-label", "A) is not a stem");
    looks_like_option.parts[0].stem = "A. I. is a field of computer science. Which fits?".into();

    let export = aiken::export(
        &exam(),
        &[multiple, ordering, case.clone(), looks_like_option],
    );
    let reasons: Vec<(&str, &str)> = export
        .left_out
        .iter()
        .map(|l| (l.id.as_str(), l.reason.as_str()))
        .collect();
    assert_eq!(reasons.len(), 4, "{reasons:?}");
    assert_eq!(
        reasons[0],
        (
            "aif-multi",
            "multiple: Aiken holds single-answer questions only"
        )
    );
    assert_eq!(
        reasons[1],
        (
            "aif-order",
            "ordering: Aiken holds single-answer questions only"
        )
    );
    assert_eq!(reasons[2].0, "aif-case");
    assert!(reasons[2].1.contains("part 2: multiple"), "{reasons:?}");
    assert_eq!(reasons[3].0, "aif-label");

    let parsed = aiken::parse(std::str::from_utf8(&export.bytes).expect("UTF-8")).expect("parses");
    let stems: Vec<String> = parsed
        .drafts
        .iter()
        .map(|d| one_line(&d.parts[0].stem))
        .collect();
    assert_eq!(
        stems,
        [
            "A bank builds an assistant. First part?",
            "A bank builds an assistant. Third part?"
        ]
    );
}

/// Stems and options equal after `one_line`, and the same key.
fn assert_round_trip(exam: &Exam, questions: &[Question]) -> usize {
    let export = aiken::export(exam, questions);
    let parsed = aiken::parse(std::str::from_utf8(&export.bytes).expect("UTF-8"))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut drafts = parsed.drafts.iter();
    let mut compared = 0;
    for question in questions {
        for part in &question.parts {
            if part.kind != PartKind::Single {
                assert!(export.left_out.iter().any(|l| l.id == question.id));
                continue;
            }
            let draft = drafts.next().unwrap_or_else(|| panic!("{}", question.id));
            let back = &draft.parts[0];
            let stem = match &question.scenario {
                Some(scenario) => format!("{scenario}\n\n{}", part.stem),
                None => part.stem.clone(),
            };
            assert_eq!(one_line(&back.stem), one_line(&stem), "{}", question.id);
            let texts =
                |p: &Part| -> Vec<String> { p.options.iter().map(|o| one_line(&o.text)).collect() };
            assert_eq!(texts(back), texts(part), "{}", question.id);
            assert_eq!(back.keys(), part.keys(), "{}", question.id);
            compared += 1;
        }
    }
    assert!(
        drafts.next().is_none(),
        "more drafts than single-answer parts"
    );
    compared
}

#[test]
fn hand_written_items_round_trip_stems_options_and_keys() {
    let mut tricky = single(
        "aif-tricky",
        "Costs (50%) fell - 'a' \"b\" a/b: c; x = y ~ z #1 {k} & done!\n\nIs it **bold** or `code`? 1. Not a list. <b>no html</b>",
    );
    tricky.parts[0].options[0] = Choice {
        id: 'A',
        text: "# not a heading, *not* emphasis, [not](a link) & AT&amp;T".into(),
        rationale: "lost".into(),
        correct: false,
    };
    let items = [tricky, single("aif-plain", "Which option fits best?")];
    assert_eq!(assert_round_trip(&exam(), &items), 2);
}

#[test]
fn the_real_bank_round_trips_its_single_answer_questions() {
    let content = Content::load(&ContentSource::Embedded).expect("the bundled content loads");
    for code in ["AIF-C01", "MLS-C01"] {
        let code = ExamCode::parse(code).expect("code");
        let exam = content.exam(&code).expect("exam");
        let questions: Vec<Question> = content
            .questions
            .iter()
            .filter(|q| q.status == ItemStatus::Live && q.mapping_for(&code).is_some())
            .cloned()
            .collect();
        let compared = assert_round_trip(exam, &questions);
        assert!(compared > 10, "{code}: {compared}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_text_parses_or_fails_without_panicking(text in "\\PC{0,300}") {
        let _ = aiken::parse(&text);
    }

    #[test]
    fn aiken_soup_parses_or_fails_without_panicking(
        text in "([A-Eab)(. \\t\\r\\n:é]|ANSWER:|A\\) |B\\. |\\n\\n){0,80}"
    ) {
        let _ = aiken::parse(&text);
    }

    #[test]
    fn mutated_fixtures_parse_or_fail_without_panicking(
        edits in prop::collection::vec(
            (any::<prop::sample::Index>(), 0usize..3, prop::sample::select(vec![
                "A)", "ANSWER: ", "\n", "\r", "Z", ".", " ", "é",
            ])),
            1..6,
        ),
    ) {
        let mut chars: Vec<char> = fixture("questions.aiken.txt").chars().collect();
        for (at, action, piece) in edits {
            let i = at.index(chars.len() + 1);
            if action > 0 && i < chars.len() {
                chars.remove(i);
            }
            if action != 1 {
                for (k, c) in piece.chars().enumerate() {
                    chars.insert(i + k, c);
                }
            }
        }
        let text: String = chars.into_iter().collect();
        let _ = aiken::parse(&text);
    }
}
