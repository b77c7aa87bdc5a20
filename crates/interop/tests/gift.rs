//! GIFT: Moodle-shaped files of every question type, malformed files, exports Moodle accepts,
//! and round trips of hand-written items and of the real bank.

use getmycert_content::{Content, ContentSource};
use getmycert_core::fixtures::{sample_exam, sample_question};
use getmycert_core::{
    Choice, Exam, ExamCode, ItemStatus, Level, Part, PartKind, Prompt, Question, QuestionType,
};
use getmycert_interop::{Draft, Parsed, gift, task_of, text};
use proptest::prelude::*;

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/gift/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn parse_fixture(name: &str) -> Parsed {
    gift::parse(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn only_part(draft: &Draft) -> &Part {
    assert_eq!(draft.parts.len(), 1);
    &draft.parts[0]
}

fn texts(part: &Part) -> Vec<&str> {
    part.options.iter().map(|o| o.text.as_str()).collect()
}

fn rationales(part: &Part) -> Vec<&str> {
    part.options.iter().map(|o| o.rationale.as_str()).collect()
}

#[test]
fn multiple_choice_keeps_name_feedback_category_and_tags() {
    let parsed = parse_fixture("multichoice.gift.txt");
    assert!(parsed.unsupported.is_empty());
    let [named, short, partial] = &parsed.drafts[..] else {
        panic!("three questions: {:?}", parsed.drafts);
    };

    assert_eq!(named.location.line, 6);
    assert_eq!(named.title.as_deref(), Some("Sentiment service"));
    assert_eq!(
        named.category.as_deref(),
        Some("$course$/top/AWS ML/Task 1.2")
    );
    assert_eq!(named.tags, ["comprehend", "nlp"]);
    let part = only_part(named);
    assert_eq!(part.kind, PartKind::Single);
    assert_eq!(
        part.stem,
        "Which AWS service labels customer reviews as positive, negative, neutral or mixed?"
    );
    assert_eq!(
        texts(part),
        [
            "Amazon Polly",
            "Amazon Comprehend",
            "Amazon Rekognition",
            "Amazon Textract"
        ]
    );
    assert_eq!(part.keys(), ['B']);
    assert_eq!(
        part.options[1].rationale,
        "Right: sentiment analysis is a built-in Comprehend feature."
    );
    assert_eq!(
        part.explanation,
        "Comprehend finds insights in text without training a model."
    );

    // No name: no title; the category carries on until the next `$CATEGORY:`.
    assert_eq!(short.title, None);
    assert_eq!(short.category, named.category);
    let part = only_part(short);
    assert_eq!(texts(part), ["P4d", "Inf2", "Trn1", "G5"]);
    assert_eq!(part.keys(), ['C']);
    assert_eq!(rationales(part), ["", "", "", ""]);
    assert_eq!(part.explanation, "");

    // With an `=`, Moodle makes a single-answer question: partial credit is not a key.
    let part = only_part(partial);
    assert_eq!(part.kind, PartKind::Single);
    assert_eq!(part.keys(), ['C']);
}

#[test]
fn positive_weights_without_an_equals_sign_are_the_keys() {
    let parsed = parse_fixture("multiple_response.gift.txt");
    let [two, one] = &parsed.drafts[..] else {
        panic!("two questions: {:?}", parsed.drafts);
    };
    let part = only_part(two);
    assert_eq!(part.kind, PartKind::Multiple);
    assert_eq!(part.keys(), ['A', 'B']);
    assert_eq!(
        texts(part),
        [
            "Amazon FSx for Lustre",
            "Amazon EFS",
            "Amazon EBS snapshot",
            "Amazon S3 Glacier Deep Archive"
        ]
    );
    assert_eq!(
        part.options[2].rationale,
        "Snapshots are not a training data source."
    );
    assert!(part.explanation.starts_with("SageMaker training reads"));
    // One positive weight is a single-answer question.
    let part = only_part(one);
    assert_eq!(part.kind, PartKind::Single);
    assert_eq!(part.keys(), ['A']);
}

#[test]
fn true_false_is_a_single_with_true_then_false_and_each_its_feedback() {
    let parsed = parse_fixture("truefalse.gift.txt");
    let keys: Vec<Vec<char>> = parsed.drafts.iter().map(|d| only_part(d).keys()).collect();
    assert_eq!(keys, [vec!['A'], vec!['B'], vec!['A'], vec!['B']]);
    for draft in &parsed.drafts {
        let part = only_part(draft);
        assert_eq!(part.kind, PartKind::Single);
        assert_eq!(texts(part), ["True", "False"]);
    }
    // `{TRUE#wrong#right####general}`: the first feedback is for the wrong answer.
    let part = only_part(&parsed.drafts[0]);
    assert_eq!(
        rationales(part),
        [
            "Yes: Autopilot explores algorithms and tunes them for you.",
            "Autopilot does not need code: it is SageMaker's AutoML."
        ]
    );
    assert_eq!(
        part.explanation,
        "Autopilot also explains the models it builds."
    );
    // `{FALSE#wrong}`: the feedback goes to True, the wrong answer.
    let part = only_part(&parsed.drafts[3]);
    assert_eq!(
        rationales(part),
        ["No: that is Rekognition Custom Labels.", ""]
    );
}

#[test]
fn matching_reads_prompts_distinct_answers_and_distractors() {
    let parsed = parse_fixture("matching.gift.txt");
    let [draft] = &parsed.drafts[..] else {
        panic!("one question: {:?}", parsed.drafts);
    };
    let part = only_part(draft);
    assert_eq!(part.kind, PartKind::Matching);
    // `[html]` question text through the sanitizer.
    assert_eq!(
        part.stem,
        "Match each **task** with the AWS service that does it."
    );
    assert_eq!(
        texts(part),
        [
            "Amazon Transcribe",
            "Amazon Polly",
            "Amazon Textract",
            "Amazon Comprehend",
            "Amazon Lex"
        ]
    );
    assert!(
        part.options
            .iter()
            .all(|o| !o.correct && o.rationale.is_empty())
    );
    let prompts: Vec<(u8, &str, char)> = part
        .prompts
        .iter()
        .map(|p| (p.id, p.text.as_str(), p.answer))
        .collect();
    assert_eq!(
        prompts,
        [
            (1, "Convert recorded support calls to text", 'A'),
            (2, "Read booking confirmations *aloud*", 'B'),
            (3, "Pull totals out of scanned\\_invoices", 'C'),
            (4, "Detect the **language** of an email", 'D'),
            (5, "Transcribe voicemails left overnight", 'A'),
        ]
    );
    assert_eq!(part.explanation, "Each AI service does one kind of task.");
}

#[test]
fn missing_word_leaves_a_blank_where_the_answers_were() {
    let parsed = parse_fixture("missing_word.gift.txt");
    let stems: Vec<&str> = parsed
        .drafts
        .iter()
        .map(|d| only_part(d).stem.as_str())
        .collect();
    assert_eq!(
        stems,
        [
            "Amazon SageMaker _____ detects bias in training data and explains predictions.",
            "Pipe mode streams training data from _____ to the algorithm container."
        ]
    );
    assert_eq!(only_part(&parsed.drafts[0]).keys(), ['B']);
    assert_eq!(rationales(only_part(&parsed.drafts[1])), ["Yes.", "No."]);
}

#[test]
fn text_formats_and_escapes_become_safe_markdown() {
    let parsed = parse_fixture("formats.gift.txt");
    let [escapes, plain, default, html] = &parsed.drafts[..] else {
        panic!("four questions: {:?}", parsed.drafts);
    };

    let part = only_part(escapes);
    assert_eq!(
        part.stem,
        "A SageMaker training job gets {\"epochs\": 10} as hyperparameters.\n\nWhich statement is **true**?"
    );
    assert_eq!(
        texts(part),
        [
            "SageMaker passes every hyperparameter value to the container as a string.",
            "Each value must be a number ~ integers only.",
            "The file must be named #params.json.",
            "Values can be = signs only.",
        ]
    );
    assert_eq!(part.keys(), ['A']);
    assert_eq!(
        part.options[0].rationale,
        "Right: the API's map is string to string."
    );
    assert_eq!(
        part.explanation,
        "See the HyperParameters map of `CreateTrainingJob` (a path such as C:\\data is a string too)."
    );

    // Plain text stays text: Markdown marks and `<` are escaped.
    let part = only_part(plain);
    assert_eq!(
        text::one_line(&part.stem),
        "For fraud in 1 of 1,000 transactions, which metric beats accuracy: *recall* or <nothing>?"
    );
    assert!(part.stem.contains("\\<nothing>"), "{}", part.stem);

    // Moodle's default format is HTML, here spread over two lines.
    let part = only_part(default);
    assert_eq!(
        part.stem,
        "Which instance family has **AWS Inferentia2** chips?"
    );
    assert_eq!(part.keys(), ['C']);

    let part = only_part(html);
    assert_eq!(
        part.stem,
        "Which service stores *features* for training and inference?"
    );
    assert_eq!(
        texts(part),
        ["**SageMaker Feature Store**", "SageMaker Model Registry"]
    );
}

#[test]
fn html_is_sanitized_and_raw_html_in_markdown_shows_as_text() {
    let parsed = gift::parse(
        "::x::[html]<p onclick=\"steal()\">Pick <b>one</b><script>alert(1)</script></p>{=a ~b}\n\n\
         ::y::[markdown]Pick <img src=x onerror=alert(1)> one{=a ~b}",
    )
    .expect("parses");
    let stem = &only_part(&parsed.drafts[0]).stem;
    assert_eq!(stem, "Pick **one**");
    let stem = &only_part(&parsed.drafts[1]).stem;
    assert!(stem.contains("\\<img"), "{stem}");
    let html = getmycert_interop::text::markdown_to_html(stem);
    assert!(!html.contains("<img"), "{html}");
}

#[test]
fn unsupported_types_are_listed_with_their_line_and_name() {
    for (file, kind, title) in [
        ("essay.gift.txt", "essay", "Pipe or File"),
        ("numerical.gift.txt", "numerical", "Runtime"),
        ("shortanswer.gift.txt", "shortanswer", "Speech to text"),
        ("description.gift.txt", "description", "Intro"),
    ] {
        let parsed = parse_fixture(file);
        assert!(parsed.drafts.is_empty(), "{file}");
        let [unsupported] = &parsed.unsupported[..] else {
            panic!("{file}: {:?}", parsed.unsupported);
        };
        assert_eq!(unsupported.kind, kind);
        assert_eq!(unsupported.location.line, 2, "{file}");
        assert_eq!(unsupported.title.as_deref(), Some(title));
    }
    let all = [
        "essay.gift.txt",
        "numerical.gift.txt",
        "multichoice.gift.txt",
        "shortanswer.gift.txt",
    ]
    .map(fixture)
    .join("\n");
    let parsed = gift::parse(&all).expect("parses");
    assert_eq!(parsed.drafts.len(), 3);
    let lines: Vec<usize> = parsed.unsupported.iter().map(|u| u.location.line).collect();
    assert_eq!(lines, [2, 5, 31]);
}

#[test]
fn several_full_credit_answers_in_a_single_answer_question_are_unsupported() {
    let parsed = gift::parse("::Two right::Which?{=Amazon S3 =S3 ~Amazon EBS}").expect("parses");
    assert_eq!(parsed.unsupported.len(), 1);
    assert!(parsed.unsupported[0].kind.contains("several full-credit"));
}

fn error_of(text: &str) -> (usize, String) {
    let error = gift::parse(text).expect_err("malformed");
    (error.location.line, error.message)
}

#[test]
fn malformed_files_fail_at_the_line_of_the_fault() {
    let (line, message) = error_of(&fixture("unclosed.gift.txt"));
    assert_eq!(line, 3);
    assert!(message.contains("never closed"), "{message}");

    let (line, message) = error_of(&fixture("no_right_answer.gift.txt"));
    assert_eq!(line, 1);
    assert!(message.contains("no answer is right"), "{message}");

    let (line, message) = error_of(&fixture("matching_without_arrow.gift.txt"));
    assert_eq!(line, 4);
    assert!(message.contains("no `->`"), "{message}");

    for (text, line, words) in [
        ("Which?\n}\n{=a ~b", 2, "before the `{`"),
        ("Which? =a ~b}", 1, "closes no `{`"),
        ("Which?{=a ~b}\nmore {~c =d}", 2, "one `{…}` block"),
        ("Which?{=a ~b\nNext?{=c ~d}", 2, "second `{`"),
        ("Which?{=only}\n\nWhich?{~one}", 3, "at least two answers"),
        (
            "$CATEGORY: AIF-C01/1.1\n::q::Which?{=a ~b}",
            2,
            "blank line",
        ),
        ("::q::{=a ~b}", 1, "no text"),
        ("Which?{~%--50%a =b}", 1, "not a weight"),
        ("Match {\n=a -> \n=b -> c}", 2, "no answer after"),
    ] {
        let (got, message) = error_of(text);
        assert_eq!(got, line, "{text:?}: {message}");
        assert!(message.contains(words), "{text:?}: {message}");
    }
}

/// A draft's line, title, category and tags.
type Summary<'a> = (usize, Option<&'a str>, Option<&'a str>, Vec<&'a str>);

#[test]
fn comments_categories_and_blank_lines_follow_moodle() {
    let text = "\u{feff}// header comment\n\n$CATEGORY: $course$/top/AIF-C01/Task 2.1\n\n\
                // [id:q-1] [tag:a]\n// [tag:b]\n::q1::Which?{\n// a comment inside\n=a\n~b}\n\n\
                $CATEGORY: other\n\n\
                Which again?{=c ~d}\r\n\r\nLast?{=e ~f}";
    let parsed = gift::parse(text).expect("parses");
    let summary: Vec<Summary<'_>> = parsed
        .drafts
        .iter()
        .map(|d| {
            (
                d.location.line,
                d.title.as_deref(),
                d.category.as_deref(),
                d.tags.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                7,
                Some("q1"),
                Some("$course$/top/AIF-C01/Task 2.1"),
                vec!["a", "b"]
            ),
            (14, None, Some("other"), vec![]),
            (16, None, Some("other"), vec![]),
        ]
    );
    assert_eq!(texts(only_part(&parsed.drafts[0])), ["a", "b"]);
    // Without a `::name::`, the `[id:…]` names the question.
    let parsed = gift::parse("// [id:aif-x]\nWhich?{=a ~b}").expect("parses");
    assert_eq!(parsed.drafts[0].title.as_deref(), Some("aif-x"));
}

// ---- export ----

fn exam() -> Exam {
    let mut exam = sample_exam("AIF-C01", Level::Foundational, &[20, 30, 50]);
    exam.domains[0].name = "Fundamentals of AI/ML".into();
    for domain in &mut exam.domains {
        domain.tasks = vec!["First".into(), "Second".into()];
    }
    exam
}

fn choice(id: char, text: &str, rationale: &str, correct: bool) -> Choice {
    Choice {
        id,
        text: text.into(),
        rationale: rationale.into(),
        correct,
    }
}

/// Every character the round trip must keep, in texts of one to three paragraphs.
const HARD: &str =
    "Costs (50%) fell - 'a' \"b\" a/b: c; x = y ~ z #1 {k} & done! Is it **bold** or `co:de`?";

fn single_item() -> Question {
    let mut q = sample_question("aif-hard-single", "AIF-C01", "1.2");
    q.tags = vec!["bedrock".into(), "rag".into()];
    q.parts[0] = Part {
        kind: PartKind::Single,
        stem: format!("{HARD}\n\nSecond paragraph: a = b.\n\n- a list\n  - nested"),
        options: vec![
            choice('A', "%50% of data", "#1 reason: {x}", false),
            choice('B', "[bracketed] start", "[x] also", true),
            choice('C', "= sign first", "~ tilde first", false),
            choice('D', HARD, "", false),
        ],
        prompts: vec![],
        explanation: format!("{HARD}\n\n| a | b |\n|---|---|\n| 1 | 2 |"),
    };
    q
}

fn multiple_item(keys: &[usize], count: usize) -> Question {
    let mut q = sample_question(
        &format!("aif-multi-{}-of-{count}", keys.len()),
        "AIF-C01",
        "2.1",
    );
    q.kind = QuestionType::Multiple;
    q.parts[0] = Part {
        kind: PartKind::Multiple,
        stem: format!("Which? {HARD}"),
        options: (0..count)
            .map(|i| {
                let id = getmycert_interop::letter(i);
                choice(
                    id,
                    &format!("Option {id}: {HARD}"),
                    &format!("Why {id}"),
                    keys.contains(&i),
                )
            })
            .collect(),
        prompts: vec![],
        explanation: "Because.".into(),
    };
    q
}

fn matching_item() -> Question {
    let mut q = sample_question("aif-match", "AIF-C01", "3.2");
    q.kind = QuestionType::Matching;
    let prompt = |id, text: &str, answer| Prompt {
        id,
        text: text.into(),
        answer,
    };
    q.parts[0] = Part {
        kind: PartKind::Matching,
        stem: "Match each need with the service.".into(),
        options: vec![
            choice(
                'A',
                "Amazon Comprehend",
                "Text insights: {sentiment}.",
                false,
            ),
            choice(
                'B',
                "Amazon **Polly**",
                "Text to speech.\n\nSecond para.",
                false,
            ),
            choice('C', "Amazon Transcribe", "Speech to text.", false),
            choice('D', "Amazon Lex", "A distractor: [tag:x] bots.", false),
        ],
        // The prompts meet the options out of order, and D is a distractor.
        prompts: vec![
            prompt(1, "Read text aloud", 'B'),
            prompt(2, "Label reviews = sentiment", 'A'),
            prompt(3, "Turn calls into text", 'C'),
            prompt(4, "Find the language", 'A'),
        ],
        explanation: "Each service does one task.".into(),
    };
    q
}

fn ordering_item() -> Question {
    let mut q = sample_question("aif-order", "AIF-C01", "1.1");
    q.kind = QuestionType::Ordering;
    q.parts[0].kind = PartKind::Ordering;
    for option in &mut q.parts[0].options {
        option.correct = false;
    }
    q
}

fn case_study() -> Question {
    let mut q = sample_question("aif-case", "AIF-C01", "3.1");
    q.kind = QuestionType::CaseStudy;
    q.scenario = Some("A bank builds an assistant.\n\n- It must not give advice.".into());
    let single = q.parts[0].clone();
    let mut ordering = ordering_item().parts[0].clone();
    ordering.stem = "Order the steps.".into();
    let multiple = multiple_item(&[0, 2], 5).parts[0].clone();
    q.parts = vec![single, ordering, multiple];
    q
}

fn export_text(items: &[Question]) -> (String, Vec<getmycert_interop::LeftOut>) {
    let export = gift::export(&exam(), items);
    (
        String::from_utf8(export.bytes).expect("UTF-8"),
        export.left_out,
    )
}

#[test]
fn export_files_items_by_domain_and_task_with_ids_and_tags() {
    let (text, left_out) = export_text(&[single_item(), matching_item()]);
    assert!(left_out.is_empty(), "{left_out:?}");
    assert!(
        text.contains("$CATEGORY: AIF-C01/Domain 1: Fundamentals of AI//ML/Task 1.2\n\n"),
        "{text}"
    );
    assert!(
        text.contains("$CATEGORY: AIF-C01/Domain 3: Domain 3/Task 3.2\n\n"),
        "{text}"
    );
    assert!(
        text.contains("// [id:aif-hard-single] [tag:bedrock] [tag:rag]\n::aif-hard-single::[markdown]Costs (50%) fell - 'a' \"b\" a/b\\: c; x \\= y \\~ z \\#1 \\{k\\} & done! Is it **bold** or `co\\:de`?\\n\\nSecond paragraph"),
        "{text}"
    );
    // Each question is one block between blank lines, from its comment to its `}`.
    let questions: Vec<&str> = text.split("\n\n").filter(|b| b.contains("::")).collect();
    assert_eq!(questions.len(), 2);
    for block in questions {
        assert!(
            block.starts_with("// [id:") && block.ends_with('}'),
            "{block}"
        );
    }
    assert!(
        text.contains("\t~%0%%50% of data#\\#1 reason\\: \\{x\\}\n"),
        "{text}"
    );
    assert!(
        text.contains("\t=[markdown][bracketed] start#[markdown][x] also\n"),
        "{text}"
    );
}

/// The `~%w%` weights of the file, as Moodle reads them.
fn weights(text: &str) -> Vec<f64> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("~%"))
        .filter_map(|l| l.split('%').next()?.parse().ok())
        .collect()
}

/// Moodle's grade list (`question_bank::fraction_options_full`), in percent.
const MOODLE_GRADES: [f64; 20] = [
    100.0, 90.0, 83.33333, 80.0, 75.0, 70.0, 66.66667, 60.0, 50.0, 40.0, 33.33333, 30.0, 25.0,
    20.0, 16.66667, 14.28571, 12.5, 11.11111, 10.0, 5.0,
];

#[test]
fn multiple_response_weights_are_moodle_grades_and_guessing_everything_scores_nothing() {
    for (keys, count) in [
        (vec![0, 1], 5),
        (vec![0, 2, 4], 5),
        (vec![1, 2, 3, 4], 5),
        (vec![0, 1, 2], 7),
    ] {
        let (text, left_out) = export_text(&[multiple_item(&keys, count)]);
        assert!(left_out.is_empty());
        let weights = weights(&text);
        assert_eq!(weights.len(), count, "{text}");
        for w in &weights {
            assert!(
                MOODLE_GRADES.iter().any(|g| (g - w.abs()).abs() < 0.001),
                "{w} is not a Moodle grade"
            );
        }
        let positive: f64 = weights.iter().filter(|w| **w > 0.0).sum();
        assert!((positive - 100.0).abs() < 0.01, "{positive}");
        assert!(weights.iter().sum::<f64>() <= 0.01, "{weights:?}");
        assert!(
            !text.contains("\t="),
            "no `=` in a multiple response: {text}"
        );
    }
}

#[test]
fn ordering_is_left_out_and_case_studies_are_flattened() {
    let (text, left_out) = export_text(&[ordering_item(), case_study()]);
    assert!(!text.contains("aif-order"), "{text}");
    assert_eq!(left_out.len(), 2, "{left_out:?}");
    assert_eq!(left_out[0].id.as_str(), "aif-order");
    assert_eq!(
        left_out[0].reason,
        "ordering: GIFT has no ordering question type"
    );
    assert_eq!(left_out[1].id.as_str(), "aif-case");
    assert!(
        left_out[1].reason.contains("part 2: ordering"),
        "{}",
        left_out[1].reason
    );

    let parsed = gift::parse(&text).expect("parses");
    let names: Vec<&str> = parsed
        .drafts
        .iter()
        .filter_map(|d| d.title.as_deref())
        .collect();
    assert_eq!(names, ["aif-case-q1", "aif-case-q3"]);
    let case = case_study();
    let scenario = case.scenario.as_deref().unwrap_or_default();
    for (draft, part) in parsed.drafts.iter().zip([&case.parts[0], &case.parts[2]]) {
        let back = only_part(draft);
        assert_eq!(back.stem, format!("{scenario}\n\n{}", part.stem));
        assert_eq!(back.kind, part.kind);
        assert_eq!(back.keys(), part.keys());
        assert_eq!(draft.tags, case.tags);
    }
}

#[test]
fn matching_that_gift_cannot_hold_is_left_out_with_a_reason() {
    let mut arrow = matching_item();
    arrow.parts[0].prompts[0].text = "Text -> speech".into();
    let mut twins = matching_item();
    twins.parts[0].options[3].text = "Amazon Comprehend".into();
    let (_, left_out) = export_text(&[arrow, twins]);
    let reasons: Vec<&str> = left_out.iter().map(|l| l.reason.as_str()).collect();
    assert!(reasons[0].contains("contains `->`"), "{reasons:?}");
    assert!(reasons[1].contains("same text"), "{reasons:?}");
}

fn assert_same_part(original: &Part, back: &Part) {
    assert_eq!(back.kind, original.kind);
    assert_eq!(back.stem, original.stem);
    assert_eq!(back.options, original.options);
    assert_eq!(back.prompts, original.prompts);
    assert_eq!(back.explanation, original.explanation);
}

#[test]
fn hand_written_items_round_trip_exactly() {
    let items = [
        single_item(),
        multiple_item(&[0, 1], 5),
        multiple_item(&[1, 3, 4], 6),
        matching_item(),
    ];
    let exam = exam();
    let (text, left_out) = export_text(&items);
    assert!(left_out.is_empty());
    let parsed = gift::parse(&text).expect("parses");
    assert!(parsed.unsupported.is_empty());
    assert_eq!(parsed.drafts.len(), items.len());
    for (original, draft) in items.iter().zip(&parsed.drafts) {
        assert_eq!(draft.title.as_deref(), Some(original.id.as_str()));
        assert_eq!(draft.tags, original.tags);
        let task = task_of(&exam, original).expect("mapped");
        assert!(
            draft
                .category
                .as_deref()
                .is_some_and(|c| c.ends_with(&task)),
            "{:?}",
            draft.category
        );
        assert_same_part(&original.parts[0], only_part(draft));
    }
}

/// The live items of `code` in the real bank.
fn bank(code: &str) -> (Exam, Vec<Question>) {
    let content = Content::load(&ContentSource::Embedded).expect("the bundled content loads");
    let code = ExamCode::parse(code).expect("code");
    let exam = content.exam(&code).expect("exam").clone();
    let questions = content
        .questions
        .into_iter()
        .filter(|q| q.status == ItemStatus::Live && q.mapping_for(&code).is_some())
        .collect();
    (exam, questions)
}

#[test]
fn the_real_bank_round_trips() {
    for code in ["AIF-C01", "MLS-C01"] {
        let (exam, questions) = bank(code);
        assert!(questions.len() > 10, "{code}: {} items", questions.len());
        let export = gift::export(&exam, &questions);
        let parsed = gift::parse(std::str::from_utf8(&export.bytes).expect("UTF-8"))
            .unwrap_or_else(|e| panic!("{code}: {e}"));
        assert!(parsed.unsupported.is_empty(), "{:?}", parsed.unsupported);
        for left in &export.left_out {
            assert!(left.reason.contains("ordering"), "{code}: {left}");
        }
        let mut drafts = parsed.drafts.iter();
        let mut compared = 0;
        for question in &questions {
            let task = task_of(&exam, question).expect("mapped");
            for (n, part) in question.parts.iter().enumerate() {
                if part.kind == PartKind::Ordering {
                    assert!(export.left_out.iter().any(|l| l.id == question.id));
                    continue;
                }
                let draft = drafts.next().unwrap_or_else(|| panic!("{}", question.id));
                let (name, stem) = match &question.scenario {
                    Some(scenario) => (
                        format!("{}-q{}", question.id, n + 1),
                        format!("{scenario}\n\n{}", part.stem),
                    ),
                    None => (question.id.to_string(), part.stem.clone()),
                };
                assert_eq!(draft.title.as_deref(), Some(name.as_str()));
                assert_eq!(draft.tags, question.tags, "{name}");
                assert!(
                    draft
                        .category
                        .as_deref()
                        .is_some_and(|c| c.ends_with(&task)),
                    "{name}"
                );
                // The bank's tables, lists and links come back exactly, not only as one line.
                let back = only_part(draft);
                assert_same_part(
                    &Part {
                        stem,
                        ..part.clone()
                    },
                    back,
                );
                compared += 1;
            }
        }
        assert!(drafts.next().is_none(), "{code}: more drafts than items");
        assert!(compared > 10, "{code}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_text_parses_or_fails_without_panicking(text in "\\PC{0,300}") {
        let _ = gift::parse(&text);
    }

    #[test]
    fn gift_syntax_soup_parses_or_fails_without_panicking(
        text in "([\\\\{}~=#:%\\->\\[\\]/$ \\n\\r\\tTFa0.]|markdown|html|CATEGORY|::|->|####|%-50%|\\[id:|\\[tag:){0,80}"
    ) {
        let _ = gift::parse(&text);
    }

    #[test]
    fn mutated_fixtures_parse_or_fail_without_panicking(
        file in prop::sample::select(vec![
            "multichoice.gift.txt", "multiple_response.gift.txt", "truefalse.gift.txt",
            "matching.gift.txt", "missing_word.gift.txt", "formats.gift.txt",
        ]),
        edits in prop::collection::vec(
            (any::<prop::sample::Index>(), 0usize..3, prop::sample::select(vec![
                "{", "}", "~", "=", "#", "\\", ":", "->", "%", "\n", "\n\n", "[", "]", "é",
            ])),
            1..6,
        ),
    ) {
        let mut chars: Vec<char> = fixture(file).chars().collect();
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
        let _ = gift::parse(&text);
    }
}
