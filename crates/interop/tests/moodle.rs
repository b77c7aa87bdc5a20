//! Moodle XML: real-shape fixtures of every question type Moodle exports (read, reported as
//! unsupported, or refused with the line of the fault), exports that Moodle's importer takes
//! (grade list, category records, tags), and round trips of hand-written items and of the
//! bundled bank.

use std::path::Path;

use proptest::prelude::*;

use getmycert_content::{Content, ContentSource};
use getmycert_core::fixtures::{sample_exam, sample_question};
use getmycert_core::{
    Choice, Exam, ItemStatus, Level, Part, PartKind, Prompt, Question, QuestionId, QuestionType,
};
use getmycert_interop::{Draft, Parsed, moodle, text};

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/moodle")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn parse_fixture(name: &str) -> Parsed {
    moodle::parse(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn only_draft(name: &str) -> Draft {
    let parsed = parse_fixture(name);
    assert!(parsed.unsupported.is_empty(), "{:?}", parsed.unsupported);
    assert_eq!(parsed.drafts.len(), 1, "{name}");
    parsed.drafts.into_iter().next().expect("one draft")
}

fn texts(part: &Part) -> Vec<&str> {
    part.options.iter().map(|o| o.text.as_str()).collect()
}

fn keys(part: &Part) -> Vec<char> {
    part.keys()
}

#[test]
fn single_answer_multichoice_keeps_feedback_name_category_and_tags() {
    let draft = only_draft("multichoice_single.xml");
    assert_eq!(draft.location.line, 15);
    assert_eq!(draft.title.as_deref(), Some("Training input mode"));
    assert_eq!(
        draft.category.as_deref(),
        Some("Default for AWS ML/SageMaker training")
    );
    assert_eq!(draft.tags, ["sagemaker-training", "s3"]);
    let part = &draft.parts[0];
    assert_eq!(part.kind, PartKind::Single);
    assert!(
        part.stem.starts_with("A team trains on 40 TB"),
        "{}",
        part.stem
    );
    assert!(part.stem.contains("**input mode**"), "{}", part.stem);
    assert_eq!(
        texts(part),
        [
            "File mode",
            "FastFile mode",
            "Pipe mode with RecordIO & no shuffling",
            "Copy the data to an Amazon EBS volume",
        ]
    );
    assert_eq!(keys(part), ['B']);
    assert_eq!(
        part.options[1].rationale,
        "Right: objects are fetched when the job first reads them."
    );
    // Escaped text is HTML as CDATA is: `&lt;b&gt;` is a tag.
    assert!(
        part.options[2].rationale.contains("pipeline **and** code"),
        "{}",
        part.options[2].rationale
    );
    assert_eq!(part.options[3].rationale, "");
    assert!(part.explanation.starts_with("FastFile mode streams"));
}

#[test]
fn multiple_response_keys_are_the_positive_fractions_and_blank_answers_are_skipped() {
    let draft = only_draft("multichoice_multiple.xml");
    assert_eq!(draft.title.as_deref(), Some("Drift signals"));
    let part = &draft.parts[0];
    assert_eq!(part.kind, PartKind::Multiple);
    assert_eq!(part.options.len(), 4);
    assert_eq!(keys(part), ['A', 'C']);
    assert_eq!(
        part.options[3].rationale,
        "CloudTrail records API calls, not model inputs."
    );
}

#[test]
fn true_false_is_a_single_choice_of_true_and_false() {
    let draft = only_draft("truefalse.xml");
    assert_eq!(
        draft.category.as_deref(),
        Some("Default for AWS ML/Inference")
    );
    let part = &draft.parts[0];
    assert_eq!(part.kind, PartKind::Single);
    assert_eq!(texts(part), ["True", "False"]);
    assert_eq!(keys(part), ['B']);
    assert_eq!(
        part.options[0].rationale,
        "No: you choose only a memory size."
    );
    assert_eq!(
        part.options[1].rationale,
        "Correct: serverless endpoints are CPU only."
    );
}

#[test]
fn matching_options_are_the_distinct_answers_with_distractors() {
    let draft = only_draft("matching.xml");
    let part = &draft.parts[0];
    assert_eq!(part.kind, PartKind::Matching);
    assert_eq!(
        texts(part),
        [
            "Amazon Textract",
            "Amazon Comprehend",
            "Amazon Polly",
            "Amazon Translate"
        ]
    );
    let pairs: Vec<(u8, char)> = part.prompts.iter().map(|p| (p.id, p.answer)).collect();
    assert_eq!(pairs, [(1, 'A'), (2, 'B'), (3, 'C'), (4, 'B')]);
    assert_eq!(
        part.prompts[0].text,
        "Extract printed and handwritten text from scanned forms"
    );
    assert!(
        part.options
            .iter()
            .all(|o| !o.correct && o.rationale.is_empty())
    );
}

#[test]
fn ordering_takes_the_answers_in_file_order() {
    let draft = only_draft("ordering.xml");
    let part = &draft.parts[0];
    assert_eq!(part.kind, PartKind::Ordering);
    assert_eq!(
        texts(part),
        [
            "Create a model from the artifact in Amazon S3",
            "Create an endpoint configuration with the instance type",
            "Create the endpoint",
        ]
    );
    assert!(part.options.iter().all(|o| !o.correct));
    assert_eq!(
        part.options[2].rationale,
        "The endpoint is created from the configuration."
    );
    assert!(
        part.explanation
            .contains("endpoint → configuration → model")
    );
}

#[test]
fn markdown_and_plain_text_are_kept_and_escaped_html_is_converted() {
    let parsed = parse_fixture("text_formats.xml");
    assert_eq!(parsed.drafts.len(), 3);
    let markdown = &parsed.drafts[0].parts[0];
    assert_eq!(
        markdown.stem,
        "Which **built-in algorithm** learns word embeddings from text?"
    );
    assert_eq!(
        markdown.explanation,
        "`BlazingText` implements Word2vec and text classification."
    );
    assert_eq!(
        markdown.options[1].rationale,
        "DeepAR forecasts *time series*."
    );
    let plain = &parsed.drafts[1].parts[0];
    assert!(plain.stem.ends_with("first column & there is no header."));
    assert_eq!(keys(plain), ['A']);
    let escaped = &parsed.drafts[2].parts[0];
    assert_eq!(
        escaped.stem,
        "Which metric suits an imbalanced binary classifier *best*?"
    );
    assert_eq!(keys(escaped), ['A']);
    assert!(
        parsed
            .drafts
            .iter()
            .all(|d| d.category.as_deref() == Some("Default for AWS ML/Text formats"))
    );
}

#[test]
fn types_we_cannot_hold_are_reported_with_their_line_and_name() {
    for (file, kind, title) in [
        ("essay.xml", "essay", "Explain bias and variance"),
        ("shortanswer.xml", "shortanswer", "Name the tuning service"),
        ("numerical.xml", "numerical", "Precision from counts"),
        ("calculated.xml", "calculated", "Training steps per epoch"),
        ("multianswer.xml", "cloze", "Fill in the services"),
        ("description.xml", "description", "About the next questions"),
        ("ddwtos.xml", "ddwtos", "Drag the split names"),
    ] {
        let parsed = parse_fixture(file);
        assert!(parsed.drafts.is_empty(), "{file}");
        assert_eq!(parsed.unsupported.len(), 1, "{file}");
        let found = &parsed.unsupported[0];
        assert_eq!(found.kind, kind, "{file}");
        assert_eq!(found.title.as_deref(), Some(title), "{file}");
        assert_eq!(found.location.line, 4, "{file}");
        assert!(
            found.to_string().contains("is not supported"),
            "{file}: {found}"
        );
    }
}

#[test]
fn an_unclosed_element_is_an_error_at_its_line() {
    let error = moodle::parse(&fixture("malformed.xml")).expect_err("malformed");
    assert_eq!(error.location.line, 15, "{error}");
    assert!(error.message.contains("answer"), "{error}");
}

fn question_xml(kind: &str, body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n  <question type=\"{kind}\">\n    \
         <name><text>Broken</text></name>\n    <questiontext format=\"html\"><text>Which one?</text></questiontext>\n{body}  </question>\n</quiz>\n"
    )
}

#[test]
fn questions_without_what_their_type_needs_are_errors_at_their_line() {
    let cases = [
        (
            question_xml(
                "multichoice",
                "    <answer fraction=\"0\"><text>a</text></answer>\n    <answer fraction=\"50\"><text>b</text></answer>\n",
            ),
            3,
            "no right answer",
        ),
        (
            question_xml(
                "multichoice",
                "    <single>false</single>\n    <answer fraction=\"0\"><text>a</text></answer>\n",
            ),
            3,
            "no right answer",
        ),
        (question_xml("multichoice", ""), 3, "no answers"),
        (
            question_xml("matching", "    <subquestion><text></text><answer><text>x</text></answer></subquestion>\n"),
            3,
            "no subquestion",
        ),
        (question_xml("matching", ""), 3, "no subquestion"),
        (question_xml("ordering", ""), 3, "no items"),
        (
            question_xml("truefalse", "    <answer fraction=\"0\"><text>true</text></answer>\n    <answer fraction=\"0\"><text>false</text></answer>\n"),
            3,
            "exactly one",
        ),
        (
            question_xml("multichoice", "    <answer fraction=\"lots\"><text>a</text></answer>\n"),
            6,
            "not a number",
        ),
        (
            "<quiz>\n<question type=\"multichoice\">\n<name><text>x</text></name>\n<questiontext><text></text></questiontext>\n</question>\n</quiz>".to_owned(),
            2,
            "empty question text",
        ),
        ("<quiz>\n  <question>\n  </question>\n</quiz>".to_owned(), 2, "without a type"),
        ("<quiz>\n<question type=\"essay\">\n".to_owned(), 2, "never closed"),
        ("<questions>\n</questions>\n".to_owned(), 1, "root element"),
        ("".to_owned(), 1, "no XML element"),
        ("<quiz>\n<a>&nbsp;</a>\n</quiz>".to_owned(), 2, "unknown entity"),
        ("<quiz>\n</quiz>\n<quiz/>".to_owned(), 3, "second root"),
        ("<quiz>\n<a>\n</b>\n</quiz>".to_owned(), 3, "well-formed"),
    ];
    for (xml, line, message) in cases {
        let error = moodle::parse(&xml).expect_err(&xml);
        assert_eq!(error.location.line, line, "{error}\n{xml}");
        assert!(error.message.contains(message), "{error}\n{xml}");
    }
}

#[test]
fn a_single_answer_question_with_two_full_marks_is_unsupported() {
    let xml = question_xml(
        "multichoice",
        "    <answer fraction=\"100\"><text>a</text></answer>\n    <answer fraction=\"100\"><text>b</text></answer>\n",
    );
    let parsed = moodle::parse(&xml).expect("parses");
    assert_eq!(parsed.unsupported.len(), 1);
    assert!(parsed.unsupported[0].kind.starts_with("multichoice ("));
    assert_eq!(parsed.unsupported[0].location.line, 3);
}

#[test]
fn raw_html_never_comes_through() {
    let xml = question_xml(
        "multichoice",
        "    <answer fraction=\"100\" format=\"markdown\"><text>ok <script>alert(1)</script></text></answer>\n    \
         <answer fraction=\"0\" format=\"plain_text\"><text>&lt;b onclick=\"x()\"&gt;bold&lt;/b&gt;</text></answer>\n    \
         <answer fraction=\"0\" format=\"html\"><text><![CDATA[<img src=x onerror=alert(1)>Picture <a href=\"javascript:alert(1)\">link</a>]]></text></answer>\n",
    );
    let parsed = moodle::parse(&xml).expect("parses");
    let part = &parsed.drafts[0].parts[0];
    for option in &part.options {
        let html = text::markdown_to_html(&option.text);
        assert!(
            !html.contains("<script") && !html.contains("<b ") && !html.contains("<img"),
            "{html}"
        );
        assert!(!option.text.contains("javascript"), "{}", option.text);
    }
}

// ---------------------------------------------------------------------------------------------
// Export

fn exam() -> Exam {
    let mut exam = sample_exam("AIF-C01", Level::Foundational, &[20, 24, 28, 14, 14]);
    exam.domains[0].name = "Fundamentals of AI/ML".into();
    exam.domains[0].tasks = vec![
        "Explain basic AI concepts".into(),
        "Identify use cases".into(),
    ];
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

/// Every character the round trip has to carry, in stems, options, rationales and feedback.
const NASTY: &str =
    "Cost, latency. Why? (p99) 50% - it's \"fast\" / slow: yes; a = b ~c #d {e} & f!";

fn nasty(n: &str) -> String {
    format!(
        "{n} {NASTY} with **bold {n}** and `code_{n}`.\n\nSecond {n} paragraph: 1 / 2 = 0.5 & done!"
    )
}

fn multiple(id: &str) -> Question {
    let mut q = sample_question(id, "AIF-C01", "1.2");
    q.kind = QuestionType::Multiple;
    q.parts[0] = Part {
        kind: PartKind::Multiple,
        stem: nasty("stem"),
        options: ('A'..='E')
            .map(|l| {
                choice(
                    l,
                    &format!("Option {l}: {NASTY}"),
                    &nasty(&format!("why{l}")),
                    l == 'B' || l == 'D',
                )
            })
            .collect(),
        prompts: vec![],
        explanation: nasty("explanation"),
    };
    q
}

fn ordering_item(id: &str) -> Question {
    let mut q = sample_question(id, "AIF-C01", "2.1");
    q.kind = QuestionType::Ordering;
    q.parts[0] = Part {
        kind: PartKind::Ordering,
        stem: nasty("order"),
        options: ('A'..='D')
            .map(|l| {
                choice(
                    l,
                    &format!("Step {l} {NASTY}"),
                    &nasty(&format!("step{l}")),
                    false,
                )
            })
            .collect(),
        prompts: vec![],
        explanation: nasty("steps"),
    };
    q
}

fn matching_item(id: &str) -> Question {
    let mut q = sample_question(id, "AIF-C01", "1.1");
    q.kind = QuestionType::Matching;
    q.parts[0] = Part {
        kind: PartKind::Matching,
        stem: nasty("match"),
        options: vec![
            choice('A', "Amazon Comprehend", &nasty("comprehend"), false),
            choice('B', "Amazon Textract & `OCR`", &nasty("textract"), false),
            choice('C', "Amazon Polly", &nasty("polly"), false),
            choice(
                'D',
                "Amazon Translate",
                "A distractor: it translates only.",
                false,
            ),
        ],
        prompts: vec![
            Prompt {
                id: 1,
                text: nasty("forms"),
                answer: 'B',
            },
            Prompt {
                id: 2,
                text: "Detect the language of emails".into(),
                answer: 'A',
            },
            Prompt {
                id: 3,
                text: "Read text aloud".into(),
                answer: 'C',
            },
            Prompt {
                id: 4,
                text: "Find sentiment".into(),
                answer: 'A',
            },
        ],
        explanation: nasty("services"),
    };
    q
}

fn case_study(id: &str) -> Question {
    let mut q = sample_question(id, "AIF-C01", "3.1");
    q.kind = QuestionType::CaseStudy;
    q.scenario = Some(nasty("scenario"));
    let first = q.parts[0].clone();
    let mut second = multiple("case-part").parts[0].clone();
    second.stem = "Which two apply?".into();
    q.parts = vec![first, second];
    q
}

fn bank() -> Vec<Question> {
    let mut single = sample_question("single-item", "AIF-C01", "1.1");
    single.parts[0].stem = nasty("single");
    single.parts[0].explanation = nasty("single explanation");
    for option in &mut single.parts[0].options {
        option.text = format!("{} {NASTY}", option.text);
        option.rationale = nasty(&option.rationale);
    }
    vec![
        single,
        multiple("multiple-item"),
        ordering_item("ordering-item"),
        matching_item("matching-item"),
        case_study("case-item"),
    ]
}

fn export_text(exam: &Exam, questions: &[Question]) -> String {
    let export = moodle::export(exam, questions);
    assert!(export.left_out.is_empty(), "{:?}", export.left_out);
    String::from_utf8(export.bytes).expect("UTF-8")
}

#[test]
fn export_files_items_under_domain_and_task_categories_with_tags() {
    let xml = export_text(&exam(), &bank());
    assert!(
        xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>"),
        "{xml}"
    );
    // A literal slash in a category name is doubled, as Moodle writes it.
    assert!(
        xml.contains("<text>$course$/top/AIF-C01/Domain 1: Fundamentals of AI//ML/1.1</text>"),
        "{xml}"
    );
    assert!(
        xml.contains("<text>Explain basic AI concepts</text>"),
        "{xml}"
    );
    assert!(xml.contains("<text>$course$/top/AIF-C01/Domain 3: Domain 3/3.1</text>"));
    assert!(xml.contains("<idnumber>multiple-item</idnumber>"));
    assert!(xml.contains("<text>AIF-C01 task 1.2</text>"));
    assert!(xml.contains("<text>topic-single-item</text>"));
    // Multiple response: keys share 100%, wrong answers take the share off.
    assert_eq!(
        xml.matches("fraction=\"50\"").count(),
        4,
        "two items with two keys"
    );
    assert_eq!(xml.matches("fraction=\"-50\"").count(), 6);
    assert!(xml.contains("<single>false</single>"));
    assert!(xml.contains("<answernumbering>ABCD</answernumbering>"));
    assert!(xml.contains("<shuffleanswers>1</shuffleanswers>"));
    // Case-study parts are their own questions.
    assert!(xml.contains("<text>case-item-q1</text>") && xml.contains("<text>case-item-q2</text>"));
    // HTML goes in CDATA; the ampersand of plain text is escaped by the writer.
    assert!(xml.contains("<![CDATA[<p>"), "{xml}");
    assert!(
        xml.contains("<text>Amazon Textract &amp; `OCR`</text>"),
        "{xml}"
    );
    assert!(xml.contains("<question type=\"ordering\">"));
    assert!(xml.contains("<gradingtype>ALL_OR_NOTHING</gradingtype>"));
    assert!(xml.contains("<question type=\"matching\">"));
}

#[test]
fn a_category_record_is_written_only_when_the_task_changes() {
    let items = vec![
        sample_question("first-item", "AIF-C01", "1.1"),
        sample_question("second-item", "AIF-C01", "1.1"),
        sample_question("third-item", "AIF-C01", "2.1"),
    ];
    let xml = export_text(&exam(), &items);
    assert_eq!(xml.matches("<question type=\"category\">").count(), 2);
}

#[test]
fn export_then_import_gives_back_every_text_key_and_rationale_exactly() {
    let items = bank();
    let xml = export_text(&exam(), &items);
    let parsed = moodle::parse(&xml).expect("our export parses");
    assert!(parsed.unsupported.is_empty());
    // The case study comes back as one question per part.
    assert_eq!(parsed.drafts.len(), items.len() + 1);
    let mut drafts = parsed.drafts.iter();
    for item in &items {
        let task = item.mappings[0].task_label();
        for (n, part) in item.parts.iter().enumerate() {
            let draft = drafts.next().expect("a draft per part");
            let back = &draft.parts[0];
            let name = match &item.scenario {
                Some(_) => format!("{}-q{}", item.id, n + 1),
                None => item.id.to_string(),
            };
            assert_eq!(draft.title.as_deref(), Some(name.as_str()));
            assert!(
                draft
                    .category
                    .as_deref()
                    .is_some_and(|c| c.ends_with(&task)),
                "{:?}",
                draft.category
            );
            assert!(draft.tags.contains(&"AIF-C01".to_owned()));
            let stem = match &item.scenario {
                Some(scenario) => format!("{scenario}\n\n{}", part.stem),
                None => part.stem.clone(),
            };
            assert_eq!(back.stem, stem);
            assert_eq!(back.kind, part.kind);
            assert_eq!(back.explanation, part.explanation);
            if part.kind == PartKind::Matching {
                let meaning = |p: &Part| {
                    let mut options: Vec<(String, String)> = p
                        .options
                        .iter()
                        .map(|o| (o.text.clone(), o.rationale.clone()))
                        .collect();
                    options.sort();
                    let pairs: Vec<(String, String)> = p
                        .prompts
                        .iter()
                        .map(|pr| {
                            let text = p
                                .options
                                .iter()
                                .find(|o| o.id == pr.answer)
                                .map(|o| o.text.clone());
                            (pr.text.clone(), text.unwrap_or_default())
                        })
                        .collect();
                    (options, pairs)
                };
                assert_eq!(meaning(back), meaning(part));
                continue;
            }
            assert_eq!(back.options, part.options, "{name}");
        }
    }
}

/// The texts of a part after `one_line`, for comparing items whose Markdown (tables, lists,
/// links) comes back written differently.
fn flat(part: &Part) -> Vec<String> {
    let mut out = vec![
        text::one_line(&part.stem),
        text::one_line(&part.explanation),
    ];
    for option in &part.options {
        out.push(text::one_line(&option.text));
        out.push(text::one_line(&option.rationale));
        out.push(format!("{}", option.correct));
    }
    out
}

fn matching_flat(part: &Part) -> Vec<String> {
    let mut options: Vec<String> = part
        .options
        .iter()
        .map(|o| {
            format!(
                "{} | {}",
                text::one_line(&o.text),
                text::one_line(&o.rationale)
            )
        })
        .collect();
    options.sort();
    let pairs = part.prompts.iter().map(|p| {
        let answer = part
            .options
            .iter()
            .find(|o| o.id == p.answer)
            .map(|o| text::one_line(&o.text));
        format!(
            "{} -> {}",
            text::one_line(&p.text),
            answer.unwrap_or_default()
        )
    });
    options.extend(pairs);
    options.push(text::one_line(&part.stem));
    options.push(text::one_line(&part.explanation));
    options
}

#[test]
fn the_bundled_bank_round_trips() {
    let content = Content::load(&ContentSource::Embedded).expect("bundled content loads");
    for code in ["AIF-C01", "MLS-C01"] {
        let exam = content
            .exams
            .iter()
            .find(|e| e.code.as_str() == code)
            .expect("exam in catalog");
        let items: Vec<Question> = content
            .questions
            .iter()
            .filter(|q| q.status == ItemStatus::Live && q.mapping_for(&exam.code).is_some())
            .cloned()
            .collect();
        assert!(!items.is_empty(), "{code} has live items");
        let xml = export_text(exam, &items);
        let parsed = moodle::parse(&xml).unwrap_or_else(|e| panic!("{code}: {e}"));
        assert!(
            parsed.unsupported.is_empty(),
            "{code}: {:?}",
            parsed.unsupported
        );
        let parts: Vec<(&Question, usize, &Part)> = items
            .iter()
            .flat_map(|q| q.parts.iter().enumerate().map(move |(n, p)| (q, n, p)))
            .collect();
        assert_eq!(parsed.drafts.len(), parts.len(), "{code}");
        for ((item, n, part), draft) in parts.into_iter().zip(&parsed.drafts) {
            let back = &draft.parts[0];
            let mut original = part.clone();
            if let Some(scenario) = &item.scenario {
                original.stem = format!("{scenario}\n\n{}", part.stem);
                assert_eq!(
                    draft.title.as_deref(),
                    Some(format!("{}-q{}", item.id, n + 1).as_str())
                );
            } else {
                assert_eq!(draft.title.as_deref(), Some(item.id.as_str()));
            }
            let task = item
                .mapping_for(&exam.code)
                .map(|m| m.task_label())
                .unwrap_or_default();
            assert!(
                draft
                    .category
                    .as_deref()
                    .is_some_and(|c| c.ends_with(&task)),
                "{}",
                item.id
            );
            assert_eq!(back.kind, part.kind, "{}", item.id);
            assert_eq!(back.options.len(), part.options.len(), "{}", item.id);
            assert_eq!(back.prompts.len(), part.prompts.len(), "{}", item.id);
            if part.kind == PartKind::Matching {
                assert_eq!(matching_flat(back), matching_flat(&original), "{}", item.id);
            } else {
                assert_eq!(flat(back), flat(&original), "{}", item.id);
            }
        }
    }
}

#[test]
fn export_names_the_items_moodle_cannot_grade() {
    let mut too_many = multiple("eleven-keys");
    too_many.parts[0].options = ('A'..='L')
        .map(|l| choice(l, &format!("Option {l}"), "Why.", l != 'L'))
        .collect();
    let export = moodle::export(
        &exam(),
        &[too_many, sample_question("fine-item", "AIF-C01", "1.1")],
    );
    assert_eq!(export.left_out.len(), 1);
    assert_eq!(
        export.left_out[0].id,
        QuestionId::parse("eleven-keys").expect("id")
    );
    assert!(
        export.left_out[0].reason.contains("grade list"),
        "{}",
        export.left_out[0]
    );
    let xml = String::from_utf8(export.bytes).expect("UTF-8");
    assert!(!xml.contains("eleven-keys") && xml.contains("fine-item"));
}

// ---------------------------------------------------------------------------------------------
// Never a panic

const FIXTURES: &[&str] = &[
    "multichoice_single.xml",
    "multichoice_multiple.xml",
    "truefalse.xml",
    "matching.xml",
    "ordering.xml",
    "text_formats.xml",
    "essay.xml",
    "calculated.xml",
    "malformed.xml",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(input in "\\PC*") {
        let _ = moodle::parse(&input);
    }

    #[test]
    fn xml_like_text_never_panics(input in "(<[a-z/?!]{0,3}[a-z]{0,8}( [a-z]{1,8}=\"[^\"]{0,6}\")?/?>|[^<]{0,8}|&[a-z#0-9]{0,5};|<!\\[CDATA\\[[^\\]]{0,8}\\]\\]>){0,40}") {
        let _ = moodle::parse(&input);
    }

    #[test]
    fn mutated_fixtures_never_panic(
        file in prop::sample::select(FIXTURES),
        cuts in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), "[<>/&;\"a-z\\]\\[ !]{0,4}"), 1..6),
    ) {
        let mut text = fixture(file);
        for (at, len, insert) in cuts {
            let start = at.index(text.len() + 1);
            let end = (start + len.index(12)).min(text.len());
            if text.is_char_boundary(start) && text.is_char_boundary(end) {
                text.replace_range(start..end, &insert);
            }
        }
        let _ = moodle::parse(&text);
    }
}

#[test]
fn hostile_inputs_are_errors_not_panics() {
    let deep = format!(
        "<quiz>{}{}</quiz>",
        "<a>".repeat(100_000),
        "</a>".repeat(100_000)
    );
    let error = moodle::parse(&deep).expect_err("too deep");
    assert!(error.message.contains("nested"), "{error}");
    for bad in [
        "<quiz>&#0;</quiz>",
        "<quiz>&#x110000;</quiz>",
        "<quiz a=\"&bogus;\"/>",
        "<quiz a='1' a='2'/>",
        "\u{feff}<quiz/>",
        "<quiz><![CDATA[x</quiz>",
    ] {
        let _ = moodle::parse(bad);
    }
    assert!(moodle::parse("\u{feff}<quiz/>").is_ok());
}
