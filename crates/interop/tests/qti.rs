//! QTI 3.0: fixtures in 1EdTech's published shapes (single items and a content package), the
//! exported package's structure, and the round trip on hand-written items and on the real
//! bank.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read, Write};
use std::path::PathBuf;

use getmycert_content::{Content, ContentSource};
use getmycert_core::fixtures::{sample_exam, sample_question};
use getmycert_core::{
    Choice, Exam, ExamCode, ItemStatus, Level, Part, PartKind, Prompt, Question, QuestionType,
};
use getmycert_interop::text::one_line;
use getmycert_interop::{Draft, ImportError, Location, Parsed, qti};
use proptest::prelude::*;
use quick_xml::events::Event;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

// ---------------------------------------------------------------------------------------------
// Helpers

fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/qti")
        .join(name)
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixture_path(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn fixture_text(name: &str) -> String {
    String::from_utf8(fixture(name)).expect("utf-8 fixture")
}

/// The 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("`{needle}` not found"))
        + 1
}

fn zip_of(files: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, bytes) in files {
        zip.start_file(*name, options).expect("start");
        zip.write_all(bytes).expect("write");
    }
    zip.finish().expect("finish").into_inner()
}

const PACKAGE_FILES: [&str; 9] = [
    "items/choice-single.xml",
    "items/choice-multiple.xml",
    "items/true-false.xml",
    "items/order.xml",
    "items/match.xml",
    "items/case-study.xml",
    "items/stimulus-choice.xml",
    "passages/feature-store.xml",
    "items/text-entry.xml",
];

/// The fixture package (manifest, test, the items it names), with `change` applied to the
/// file list first.
fn fixture_package(change: impl FnOnce(&mut Vec<(&'static str, Vec<u8>)>)) -> Vec<u8> {
    let mut files: Vec<(&str, Vec<u8>)> = vec![
        ("imsmanifest.xml", fixture("imsmanifest.xml")),
        ("aws-ml-test.xml", fixture("aws-ml-test.xml")),
    ];
    files.extend(PACKAGE_FILES.iter().map(|p| (*p, fixture(p))));
    change(&mut files);
    zip_of(&files)
}

fn parse(bytes: &[u8]) -> Parsed {
    qti::parse(bytes).unwrap_or_else(|e| panic!("{e}"))
}

fn one(name: &str) -> Draft {
    let parsed = parse(&fixture(name));
    assert!(parsed.unsupported.is_empty(), "{:?}", parsed.unsupported);
    assert_eq!(parsed.drafts.len(), 1);
    parsed.drafts.into_iter().next().expect("one draft")
}

fn error(name: &str) -> ImportError {
    qti::parse(&fixture(name)).expect_err("malformed")
}

fn texts(part: &Part) -> Vec<&str> {
    part.options.iter().map(|o| o.text.as_str()).collect()
}

fn keys(part: &Part) -> Vec<char> {
    part.keys()
}

fn bank() -> Content {
    Content::load(&ContentSource::Embedded).expect("the bundled bank loads")
}

fn live_items(content: &Content, code: &str) -> (Exam, Vec<Question>) {
    let code = ExamCode::parse(code).expect("code");
    let exam = content.exam(&code).expect("exam").clone();
    let live = content
        .questions
        .iter()
        .filter(|q| q.status == ItemStatus::Live && q.mapping_for(&code).is_some())
        .cloned()
        .collect();
    (exam, live)
}

/// Every file of a zip, by name.
fn unzip(bytes: &[u8]) -> BTreeMap<String, String> {
    let mut archive = ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let mut files = BTreeMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).expect("entry");
        let name = file.name().expect("name").into_owned();
        let mut text = String::new();
        file.read_to_string(&mut text).expect("utf-8 entry");
        files.insert(name, text);
    }
    files
}

/// The elements of an XML text in document order, by local name, with their attributes and
/// the titles of the `qti-assessment-section`s around them.
fn elements(xml: &str) -> Vec<(String, BTreeMap<String, String>, Vec<String>)> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let mut sections: Vec<Option<String>> = Vec::new();
    loop {
        let event = reader.read_event().expect("well-formed XML");
        let (tag, opens) = match event {
            Event::Start(tag) => (tag, true),
            Event::Empty(tag) => (tag, false),
            Event::End(_) => {
                sections.pop();
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let name = String::from_utf8_lossy(tag.local_name().as_ref().as_bytes()).into_owned();
        let attrs: BTreeMap<String, String> = tag
            .attributes()
            .map(|a| {
                let a = a.expect("attribute");
                (
                    a.key.as_ref().to_owned(),
                    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .expect("value")
                        .into_owned(),
                )
            })
            .collect();
        let around: Vec<String> = sections.iter().flatten().cloned().collect();
        if opens {
            let title = (name == "qti-assessment-section").then(|| attrs["title"].clone());
            sections.push(title);
        }
        out.push((name, attrs, around));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Single-item fixtures: supported interactions

#[test]
fn a_single_choice_reads_its_prompt_choices_and_inline_feedback() {
    let d = one("items/choice-single.xml");
    assert_eq!(d.title.as_deref(), Some("sagemaker-fastfile-mode"));
    assert_eq!(d.category.as_deref(), Some("3.3"), "the label is the task");
    assert_eq!(d.location, Location::line(2));
    assert_eq!(d.scenario, None);
    let [p] = d.parts.as_slice() else {
        panic!("one part")
    };
    assert_eq!(p.kind, PartKind::Single);
    assert_eq!(
        one_line(&p.stem),
        "A training script reads its images with ordinary file reads. Which SageMaker training input mode streams the objects from Amazon S3 without a full download and without changing the script?"
    );
    assert!(
        p.stem.contains("*without*") || p.stem.contains("_without_"),
        "{}",
        p.stem
    );
    assert_eq!(
        texts(p),
        ["File mode", "FastFile mode", "Pipe mode", "Batch transform"]
    );
    assert_eq!(keys(p), ['B']);
    assert_eq!(
        one_line(&p.options[1].rationale),
        "FastFile mode exposes S3 objects as files and fetches each one on first read."
    );
    assert!(p.options.iter().all(|o| !o.rationale.is_empty()));
    assert_eq!(p.explanation, "");
}

#[test]
fn a_multiple_response_keeps_its_keys_and_block_feedback() {
    let d = one("items/choice-multiple.xml");
    let p = &d.parts[0];
    assert_eq!(p.kind, PartKind::Multiple);
    assert_eq!(keys(p), ['A', 'B']);
    assert_eq!(p.options.len(), 5);
    assert_eq!(p.options[3].text, "SageMaker Neo");
    assert!(
        p.stem.starts_with("A bank serves a credit model"),
        "{}",
        p.stem
    );
    assert!(
        p.stem
            .ends_with("\n\nWhich TWO SageMaker features meet these needs?"),
        "the body text comes before the prompt: {}",
        p.stem
    );
    assert_eq!(
        one_line(&p.options[2].rationale),
        "Ground Truth labels data; it does not watch a deployed model."
    );
    assert_eq!(d.category, None);
}

#[test]
fn true_false_takes_per_choice_modal_feedback_as_rationales() {
    let d = one("items/true-false.xml");
    let p = &d.parts[0];
    assert_eq!(p.kind, PartKind::Single);
    assert_eq!(texts(p), ["True", "False"]);
    assert_eq!(keys(p), ['A']);
    assert_eq!(
        p.options[0].rationale,
        "Right: a private workforce is one of the three workforce types."
    );
    assert_eq!(
        p.options[1].rationale,
        "Ground Truth supports private, vendor and Mechanical Turk workforces."
    );
    assert_eq!(
        p.explanation, "",
        "per-choice feedback is not the explanation"
    );
    assert!(p.stem.starts_with("SageMaker Ground Truth can send"));
}

#[test]
fn an_order_interaction_lists_the_steps_in_the_correct_order() {
    let d = one("items/order.xml");
    let p = &d.parts[0];
    assert_eq!(p.kind, PartKind::Ordering);
    assert_eq!(
        texts(p),
        ["CreateModel", "CreateEndpointConfig", "CreateEndpoint"]
    );
    assert!(p.options.iter().all(|o| !o.correct));
    assert_eq!(
        p.stem,
        "A trained model artifact is in Amazon S3.\n\nPut the API calls that deploy it to a real-time endpoint in order."
    );
}

#[test]
fn a_match_interaction_numbers_prompts_and_letters_options() {
    let d = one("items/match.xml");
    let p = &d.parts[0];
    assert_eq!(p.kind, PartKind::Matching);
    assert_eq!(
        texts(p),
        ["Amazon Comprehend", "Amazon Transcribe", "Amazon Polly"]
    );
    let prompts: Vec<(u8, &str, char)> = p
        .prompts
        .iter()
        .map(|q| (q.id, q.text.as_str(), q.answer))
        .collect();
    assert_eq!(
        prompts,
        [
            (1, "Turn recorded support calls into text", 'B'),
            (2, "Find the sentiment of product reviews", 'A'),
            (3, "Extract key phrases from support tickets", 'A'),
        ]
    );
    assert_eq!(
        p.options[2].rationale,
        "A distractor: Polly turns text into speech."
    );
    assert!(p.options.iter().all(|o| !o.correct));
}

#[test]
fn two_interactions_make_a_case_study() {
    let d = one("items/case-study.xml");
    let scenario = d.scenario.as_deref().expect("scenario");
    assert!(
        scenario.starts_with("A retailer builds a support assistant"),
        "{scenario}"
    );
    assert_eq!(
        scenario.matches("\n\n").count(),
        1,
        "two paragraphs: {scenario}"
    );
    let [first, second] = d.parts.as_slice() else {
        panic!("two parts")
    };
    assert_eq!(first.kind, PartKind::Single);
    assert_eq!(
        first.stem,
        "How should the assistant ground its answers in the policies?"
    );
    assert_eq!(keys(first), ['A']);
    assert_eq!(second.kind, PartKind::Multiple);
    assert_eq!(keys(second), ['A', 'B']);
    assert_eq!(second.options.len(), 5);
    assert!(first.explanation.starts_with("Knowledge Bases retrieves"));
    assert!(
        second
            .explanation
            .starts_with("Denied topics block subjects")
    );
}

// ---------------------------------------------------------------------------------------------
// Single-item fixtures: unsupported interactions and malformed files

#[test]
fn other_interactions_are_unsupported_with_their_line() {
    for (file, kind, element) in [
        (
            "items/text-entry.xml",
            "text-entry",
            "<qti-text-entry-interaction",
        ),
        (
            "items/extended-text.xml",
            "extended-text",
            "<qti-extended-text-interaction",
        ),
        ("items/hottext.xml", "hottext", "<qti-hottext-interaction"),
        (
            "items/inline-choice.xml",
            "inline-choice",
            "<qti-inline-choice-interaction",
        ),
        (
            "items/gap-match.xml",
            "gap-match",
            "<qti-gap-match-interaction",
        ),
        ("items/slider.xml", "slider", "<qti-slider-interaction"),
    ] {
        let parsed = parse(&fixture(file));
        assert!(parsed.drafts.is_empty(), "{file}");
        let [u] = parsed.unsupported.as_slice() else {
            panic!("{file}: one unsupported item")
        };
        assert_eq!(u.kind, kind, "{file}");
        assert_eq!(
            u.location,
            Location::line(line_of(&fixture_text(file), element)),
            "{file}"
        );
        assert!(u.title.is_some(), "{file}");
        assert!(u.to_string().contains("is not supported"), "{u}");
    }
}

#[test]
fn malformed_items_are_errors_with_their_line() {
    let e = error("malformed/mismatched-tag.xml");
    assert_eq!(e.location, Location::line(13), "{e}");
    assert!(e.message.contains("malformed XML"), "{e}");

    let e = error("malformed/no-correct-response.xml");
    assert_eq!(e.location, Location::line(4), "{e}");
    assert!(e.message.contains("no `qti-correct-response`"), "{e}");

    let e = error("malformed/key-not-a-choice.xml");
    assert_eq!(e.location, Location::line(4), "{e}");
    assert!(e.message.contains("`C`"), "{e}");

    let e = error("malformed/qti2-item.xml");
    assert_eq!(e.location, Location::line(2), "{e}");
    assert!(e.message.contains("QTI 2"), "{e}");
}

#[test]
fn a_manifest_or_test_alone_is_refused_with_a_hint() {
    for file in ["imsmanifest.xml", "aws-ml-test.xml"] {
        let e = qti::parse(&fixture(file)).expect_err("not an item");
        assert!(e.message.contains("zip package"), "{e}");
    }
    assert!(qti::parse(b"not xml at all").is_err());
    assert!(qti::parse(b"").is_err());
    let e = qti::parse(b"<qti-assessment-item>\n\xff</qti-assessment-item>").expect_err("utf-8");
    assert_eq!(e.location, Location::line(2));
}

// ---------------------------------------------------------------------------------------------
// The fixture package

#[test]
fn a_package_reads_every_item_with_its_section_metadata_and_file() {
    let parsed = parse(&fixture_package(|_| {}));
    let titles: Vec<&str> = parsed
        .drafts
        .iter()
        .filter_map(|d| d.title.as_deref())
        .collect();
    assert_eq!(
        titles,
        [
            "sagemaker-fastfile-mode",
            "sagemaker-monitor-drift-bias",
            "ground-truth-private-workforce",
            "sagemaker-endpoint-steps",
            "ai-services-match",
            "retail-chatbot-case",
            "feature-store-online-offline",
        ],
        "manifest order"
    );
    let first = &parsed.drafts[0];
    assert_eq!(
        first.location,
        Location::in_file("items/choice-single.xml", 2)
    );
    assert_eq!(first.category.as_deref(), Some("Modeling/3.3"));
    assert_eq!(first.tags, ["sagemaker-training", "s3"]);
    assert_eq!(parsed.drafts[1].category.as_deref(), Some("Modeling"));
    assert_eq!(parsed.drafts[4].category.as_deref(), Some("AI services"));
    assert_eq!(parsed.drafts[5].parts.len(), 2);

    // A shared passage leads the stem of the item that refers to it.
    let shared = &parsed.drafts[6];
    assert_eq!(shared.category.as_deref(), Some("Modeling"));
    let stem = &shared.parts[0].stem;
    assert!(stem.contains("A shared feature store"), "{stem}");
    assert!(
        stem.contains("Two teams compute the same customer features"),
        "{stem}"
    );
    assert!(
        stem.ends_with(
            "Which SageMaker capability serves the same features to training and to the endpoint?"
        ),
        "{stem}"
    );
    assert_eq!(keys(&shared.parts[0]), ['B']);

    let [u] = parsed.unsupported.as_slice() else {
        panic!("the text entry item")
    };
    assert_eq!(u.kind, "text-entry");
    assert_eq!(
        u.location,
        Location::in_file(
            "items/text-entry.xml",
            line_of(
                &fixture_text("items/text-entry.xml"),
                "<qti-text-entry-interaction"
            )
        )
    );
    assert_eq!(u.title.as_deref(), Some("xgboost-objective-entry"));
}

#[test]
fn a_file_the_manifest_names_but_the_package_lacks_is_an_error() {
    let bytes = fixture_package(|files| files.retain(|(name, _)| *name != "items/order.xml"));
    let e = qti::parse(&bytes).expect_err("missing file");
    let line = line_of(&fixture_text("imsmanifest.xml"), "href=\"items/order.xml\"");
    assert_eq!(
        e.location,
        Location::in_file("imsmanifest.xml", line),
        "{e}"
    );
    assert!(e.message.contains("items/order.xml"), "{e}");

    let bytes = fixture_package(|files| files.retain(|(name, _)| *name != "aws-ml-test.xml"));
    let e = qti::parse(&bytes).expect_err("missing test");
    assert!(e.message.contains("aws-ml-test.xml"), "{e}");

    let bytes =
        fixture_package(|files| files.retain(|(name, _)| *name != "passages/feature-store.xml"));
    let e = qti::parse(&bytes).expect_err("missing passage");
    let line = line_of(
        &fixture_text("items/stimulus-choice.xml"),
        "<qti-assessment-stimulus-ref",
    );
    assert_eq!(
        e.location,
        Location::in_file("items/stimulus-choice.xml", line),
        "{e}"
    );
    assert!(e.message.contains("passages/feature-store.xml"), "{e}");
}

#[test]
fn a_malformed_file_in_a_package_is_named_with_its_line() {
    let bytes = fixture_package(|files| {
        for (name, bytes) in files.iter_mut() {
            if *name == "items/order.xml" {
                *bytes = fixture("malformed/mismatched-tag.xml");
            }
        }
    });
    let e = qti::parse(&bytes).expect_err("malformed item");
    assert_eq!(e.location, Location::in_file("items/order.xml", 13), "{e}");

    let bytes = fixture_package(|files| {
        for (name, bytes) in files.iter_mut() {
            if *name == "items/match.xml" {
                *bytes = fixture("malformed/no-correct-response.xml");
            }
        }
    });
    let e = qti::parse(&bytes).expect_err("no key");
    assert_eq!(e.location, Location::in_file("items/match.xml", 4), "{e}");
}

#[test]
fn a_zip_that_is_not_a_package_is_refused() {
    let e = qti::parse(&zip_of(&[("notes.txt", b"hello".to_vec())])).expect_err("no manifest");
    assert!(e.message.contains("imsmanifest.xml"), "{e}");
    let e = qti::parse(b"PK\x03\x04 truncated").expect_err("broken zip");
    assert!(e.message.contains("zip"), "{e}");
}

#[test]
fn a_package_zipped_with_its_folder_is_read() {
    let mut files = vec![
        ("bank/imsmanifest.xml", fixture("imsmanifest.xml")),
        ("bank/aws-ml-test.xml", fixture("aws-ml-test.xml")),
    ];
    let names: Vec<String> = PACKAGE_FILES.iter().map(|p| format!("bank/{p}")).collect();
    for (name, path) in names.iter().zip(PACKAGE_FILES) {
        files.push((name.as_str(), fixture(path)));
    }
    let parsed = parse(&zip_of(&files));
    assert_eq!(parsed.drafts.len(), 7);
    assert_eq!(parsed.drafts[0].category.as_deref(), Some("Modeling/3.3"));
}

#[test]
fn zip_bombs_and_huge_packages_are_refused() {
    // 65 MiB of zeros deflate to about 65 KiB.
    let zeros = vec![0u8; 65 * 1024 * 1024];
    let bomb = zip_of(&[("imsmanifest.xml", zeros.clone())]);
    assert!(bomb.len() < 1024 * 1024);
    let e = qti::parse(&bomb).expect_err("bomb");
    assert!(e.message.contains("MiB"), "{e}");

    // A header that understates the size gets no further: reading stops at the declared size.
    let liar = understate_sizes(bomb, 1000);
    let e = qti::parse(&liar).expect_err("lying bomb");
    assert!(
        e.message.contains("MiB") || e.message.contains("inflated"),
        "{e}"
    );

    // Media the import never reads are never inflated, however large.
    let mut files: Vec<(&str, Vec<u8>)> = vec![
        ("imsmanifest.xml", fixture("imsmanifest.xml")),
        ("aws-ml-test.xml", fixture("aws-ml-test.xml")),
        ("items/video.mp4", zeros),
    ];
    files.extend(PACKAGE_FILES.iter().map(|p| (*p, fixture(p))));
    assert_eq!(parse(&zip_of(&files)).drafts.len(), 7);

    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    for i in 0..20_001 {
        zip.start_file(format!("f{i}"), stored).expect("start");
    }
    let many = zip.finish().expect("finish").into_inner();
    let e = qti::parse(&many).expect_err("too many files");
    assert!(e.message.contains("files"), "{e}");
}

/// Rewrites the uncompressed size in every local and central header of a zip (a lying
/// header, as zip bombs use).
fn understate_sizes(mut zip: Vec<u8>, size: u32) -> Vec<u8> {
    let mut i = 0;
    while i + 46 <= zip.len() {
        let field = match &zip[i..i + 4] {
            b"PK\x03\x04" => Some(i + 22),
            b"PK\x01\x02" => Some(i + 24),
            _ => None,
        };
        if let Some(at) = field {
            zip[at..at + 4].copy_from_slice(&size.to_le_bytes());
        }
        i += 1;
    }
    zip
}

// ---------------------------------------------------------------------------------------------
// Export: the package's structure

#[test]
fn the_export_is_a_well_formed_package() {
    let content = bank();
    for code in ["AIF-C01", "MLS-C01"] {
        let (exam, live) = live_items(&content, code);
        let export = qti::export(&exam, &live);
        assert!(export.left_out.is_empty(), "{:?}", export.left_out);
        let files = unzip(&export.bytes);

        // The manifest lists every file of the package, and every file it lists is there.
        let manifest = elements(&files["imsmanifest.xml"]);
        let root = &manifest[0];
        assert_eq!(root.0, "manifest");
        assert_eq!(
            root.1["xmlns"],
            "http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1"
        );
        let resources: Vec<&BTreeMap<String, String>> = manifest
            .iter()
            // `lom:resource` inside a relation has the same local name and no type.
            .filter(|(name, attrs, _)| name == "resource" && attrs.contains_key("type"))
            .map(|(_, attrs, _)| attrs)
            .collect();
        let listed: BTreeSet<&str> = manifest
            .iter()
            .filter(|(name, ..)| name == "file")
            .map(|(_, attrs, _)| attrs["href"].as_str())
            .collect();
        for r in &resources {
            assert!(
                files.contains_key(&r["href"]),
                "{code}: {} is missing",
                r["href"]
            );
            assert!(listed.contains(r["href"].as_str()));
        }
        let in_zip: BTreeSet<&str> = files
            .keys()
            .map(String::as_str)
            .filter(|f| *f != "imsmanifest.xml")
            .collect();
        assert_eq!(listed, in_zip, "{code}: every file is listed once");
        let items: Vec<&str> = resources
            .iter()
            .filter(|r| r["type"] == "imsqti_item_xmlv3p0")
            .map(|r| r["href"].as_str())
            .collect();
        assert_eq!(items.len(), live.len(), "{code}: one resource per item");
        let difficulties = manifest.iter().filter(|(n, ..)| n == "difficulty").count();
        assert_eq!(difficulties, live.len(), "{code}: LOM difficulty per item");
        let relations = manifest.iter().filter(|(n, ..)| n == "relation").count();
        let references: usize = live.iter().map(|q| q.references.len()).sum();
        assert_eq!(
            relations, references,
            "{code}: a LOM relation per reference"
        );
        assert!(items.iter().all(|h| h.starts_with("items/")));
        let tests: Vec<&str> = resources
            .iter()
            .filter(|r| r["type"] == "imsqti_test_xmlv3p0")
            .map(|r| r["href"].as_str())
            .collect();
        assert_eq!(tests, [format!("tests/{code}.xml")]);

        // The test: one section per domain with items, titled by the domain; every item ref
        // resolves (relative to the test file) to an item resource, each item once.
        let test = elements(&files[tests[0]]);
        assert_eq!(test[0].0, "qti-assessment-test");
        assert_eq!(
            test.iter().filter(|(n, ..)| n == "qti-test-part").count(),
            1
        );
        let sections: Vec<(&str, &str)> = test
            .iter()
            .filter(|(n, ..)| n == "qti-assessment-section")
            .map(|(_, a, _)| (a["identifier"].as_str(), a["title"].as_str()))
            .collect();
        let expected: Vec<(String, &str)> = exam
            .domains
            .iter()
            .filter(|d| {
                live.iter().any(|q| {
                    q.mapping_for(&exam.code)
                        .is_some_and(|m| m.domain == d.number)
                })
            })
            .map(|d| (format!("domain-{}", d.number), d.name.as_str()))
            .collect();
        let expected: Vec<(&str, &str)> = expected.iter().map(|(i, t)| (i.as_str(), *t)).collect();
        assert_eq!(sections, expected, "{code}");
        let mut referenced = Vec::new();
        for (_, attrs, around) in test.iter().filter(|(n, ..)| n == "qti-assessment-item-ref") {
            let href = attrs["href"]
                .strip_prefix("../")
                .expect("relative to tests/");
            assert!(items.contains(&href), "{code}: {href} resolves to an item");
            let id = href
                .strip_prefix("items/")
                .and_then(|h| h.strip_suffix(".xml"))
                .expect("items/<id>.xml");
            let q = live.iter().find(|q| q.id.as_str() == id).expect("the item");
            let domain = q.mapping_for(&exam.code).expect("mapped").domain;
            let name = &exam
                .domains
                .iter()
                .find(|d| d.number == domain)
                .expect("domain")
                .name;
            assert_eq!(
                around,
                &vec![name.clone()],
                "{code}: {id} in its domain's section"
            );
            referenced.push(href);
        }
        referenced.sort_unstable();
        let mut all = items.clone();
        all.sort_unstable();
        assert_eq!(referenced, all, "{code}: every item referenced once");

        // Every item file parses back on its own, as the item it came from.
        for href in &items {
            let parsed = parse(files[*href].as_bytes());
            assert_eq!(parsed.drafts.len(), 1, "{href}");
            let item = elements(&files[*href]);
            assert_eq!(item[0].0, "qti-assessment-item");
            assert_eq!(
                item[0].1["xmlns"],
                "http://www.imsglobal.org/xsd/imsqtiasi_v3p0"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Round trip

/// Every character of the generated texts of the round-trip property, in three paragraphs.
const EVERY: &str = "Which value (in %) fits: a, b. c? d - e 'f' \"g\" h/i: j; k = l ~ m # n { o } p & q! **Bold 1** and `code x`.\n\nA second paragraph, 42/7 = 6 & \"done\"!\n\n{x} = ~y; #3 (it's 100%)?";

fn every(tag: &str) -> String {
    format!("{tag}: {EVERY}")
}

fn choice(id: char, correct: bool) -> Choice {
    Choice {
        id,
        text: every(&format!("option {id}")),
        rationale: every(&format!("why {id}")),
        correct,
    }
}

fn hand_written() -> Vec<Question> {
    let base = |id: &str, task: &str| sample_question(id, "AIF-C01", task);
    let mut single = base("aif-rt-single", "1.1");
    single.parts[0].stem = every("stem");
    single.parts[0].options = ['A', 'B', 'C', 'D'].map(|l| choice(l, l == 'C')).to_vec();
    single.parts[0].explanation = every("explanation");

    let mut multiple = base("aif-rt-multiple", "2.1");
    multiple.kind = QuestionType::Multiple;
    multiple.parts[0] = Part {
        kind: PartKind::Multiple,
        stem: every("stem"),
        options: ['A', 'B', 'C', 'D', 'E']
            .map(|l| choice(l, l == 'B' || l == 'E'))
            .to_vec(),
        prompts: vec![],
        explanation: every("explanation"),
    };

    let mut ordering = base("aif-rt-ordering", "3.1");
    ordering.kind = QuestionType::Ordering;
    ordering.parts[0] = Part {
        kind: PartKind::Ordering,
        stem: every("stem"),
        options: ['A', 'B', 'C', 'D'].map(|l| choice(l, false)).to_vec(),
        prompts: vec![],
        explanation: every("explanation"),
    };

    let mut matching = base("aif-rt-matching", "4.1");
    matching.kind = QuestionType::Matching;
    matching.parts[0] = Part {
        kind: PartKind::Matching,
        stem: every("stem"),
        options: ['A', 'B', 'C', 'D'].map(|l| choice(l, false)).to_vec(),
        prompts: [(1, 'B'), (2, 'A'), (3, 'B')]
            .map(|(id, answer)| Prompt {
                id,
                text: every(&format!("prompt {id}")),
                answer,
            })
            .to_vec(),
        explanation: every("explanation"),
    };

    let mut case = base("aif-rt-case", "5.1");
    case.kind = QuestionType::CaseStudy;
    case.scenario = Some(every("scenario"));
    case.parts = vec![
        Part {
            kind: PartKind::Single,
            stem: every("first"),
            options: ['A', 'B', 'C', 'D'].map(|l| choice(l, l == 'D')).to_vec(),
            prompts: vec![],
            explanation: every("first explanation"),
        },
        Part {
            kind: PartKind::Multiple,
            stem: every("second"),
            options: ['A', 'B', 'C', 'D', 'E']
                .map(|l| choice(l, l != 'C' && l != 'D'))
                .to_vec(),
            prompts: vec![],
            explanation: every("second explanation"),
        },
        Part {
            kind: PartKind::Single,
            stem: every("third"),
            options: ['A', 'B', 'C', 'D'].map(|l| choice(l, l == 'A')).to_vec(),
            prompts: vec![],
            explanation: String::new(),
        },
    ];

    let mut bare = base("aif-rt-bare", "1.2");
    for option in &mut bare.parts[0].options {
        option.rationale.clear();
    }
    bare.parts[0].explanation.clear();

    let digit = base("3d-rt-digit-first", "1.1");
    vec![single, multiple, ordering, matching, case, bare, digit]
}

/// Compares an item with what came back, exactly or after `one_line`.
fn assert_same(q: &Question, d: &Draft, task: &str, exact: bool) {
    let id = q.id.as_str();
    let same = |a: &str, b: &str, what: &str| {
        if exact {
            assert_eq!(a, b, "{id}: {what}");
        } else {
            assert_eq!(one_line(a), one_line(b), "{id}: {what}");
        }
    };
    assert_eq!(d.title.as_deref(), Some(id));
    let category = d.category.as_deref().unwrap_or_default();
    assert!(category.ends_with(&format!("/{task}")), "{id}: {category}");
    assert_eq!(d.tags, q.tags, "{id}");
    match (&q.scenario, &d.scenario) {
        (Some(a), Some(b)) => same(a, b, "scenario"),
        (None, None) => {}
        (a, b) => panic!("{id}: scenario {a:?} came back as {b:?}"),
    }
    assert_eq!(d.parts.len(), q.parts.len(), "{id}");
    for (n, (a, b)) in q.parts.iter().zip(&d.parts).enumerate() {
        assert_eq!(a.kind, b.kind, "{id} part {n}");
        same(&a.stem, &b.stem, "stem");
        same(&a.explanation, &b.explanation, "explanation");
        assert_eq!(a.options.len(), b.options.len(), "{id} part {n}");
        for (x, y) in a.options.iter().zip(&b.options) {
            assert_eq!(x.id, y.id, "{id}");
            assert_eq!(x.correct, y.correct, "{id} option {}", x.id);
            same(&x.text, &y.text, "option text");
            same(&x.rationale, &y.rationale, "rationale");
        }
        assert_eq!(a.prompts.len(), b.prompts.len(), "{id} part {n}");
        for (x, y) in a.prompts.iter().zip(&b.prompts) {
            assert_eq!((x.id, x.answer), (y.id, y.answer), "{id}");
            same(&x.text, &y.text, "prompt text");
        }
    }
}

#[test]
fn hand_written_items_of_every_kind_come_back_exactly() {
    let exam = sample_exam("AIF-C01", Level::Foundational, &[20, 24, 28, 14, 14]);
    let items = hand_written();
    let export = qti::export(&exam, &items);
    assert!(export.left_out.is_empty());
    let parsed = parse(&export.bytes);
    assert!(parsed.unsupported.is_empty(), "{:?}", parsed.unsupported);
    assert_eq!(parsed.drafts.len(), items.len());
    for (q, d) in items.iter().zip(&parsed.drafts) {
        let task = getmycert_interop::task_of(&exam, q).expect("mapped");
        assert_same(q, d, &task, true);
        assert!(
            d.category
                .as_deref()
                .is_some_and(|c| c.starts_with("Domain "))
        );
    }
    let files = unzip(&export.bytes);
    let digit = &files["items/3d-rt-digit-first.xml"];
    assert!(
        digit.contains("identifier=\"q-3d-rt-digit-first\""),
        "{digit}"
    );
    let bare = &files["items/aif-rt-bare.xml"];
    assert!(
        bare.contains("rptemplates/match_correct.xml"),
        "an item without feedback uses the template: {bare}"
    );
    assert!(!bare.contains("FEEDBACK"));
    let case = &files["items/aif-rt-case.xml"];
    for needle in ["RESPONSE_1", "RESPONSE_3", "EXPLANATION_2", "qti-sum"] {
        assert!(case.contains(needle), "{needle}");
    }
}

#[test]
fn the_real_bank_comes_back_with_its_keys_and_texts() {
    let content = bank();
    for code in ["AIF-C01", "MLS-C01"] {
        let (exam, live) = live_items(&content, code);
        assert!(!live.is_empty());
        let parsed = parse(&qti::export(&exam, &live).bytes);
        assert!(
            parsed.unsupported.is_empty(),
            "{code}: {:?}",
            parsed.unsupported
        );
        assert_eq!(parsed.drafts.len(), live.len(), "{code}");
        for (q, d) in live.iter().zip(&parsed.drafts) {
            let task = getmycert_interop::task_of(&exam, q).expect("mapped");
            assert_same(q, d, &task, false);
            let domain = q.mapping_for(&exam.code).expect("mapped").domain;
            let name = &exam
                .domains
                .iter()
                .find(|x| x.number == domain)
                .expect("domain")
                .name;
            assert_eq!(
                d.category.as_deref(),
                Some(format!("{name}/{task}").as_str())
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// No input makes the parser panic

fn mutate(mut bytes: Vec<u8>, edits: &[(usize, u8)], cut: usize) -> Vec<u8> {
    for (at, byte) in edits {
        if !bytes.is_empty() {
            let i = at % bytes.len();
            bytes[i] = *byte;
        }
    }
    let keep = bytes.len().saturating_sub(cut % (bytes.len() / 4 + 1));
    bytes.truncate(keep);
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC*") {
        let _ = qti::parse(text.as_bytes());
    }

    #[test]
    fn xml_like_text_never_panics(
        text in "(<qti-[a-z-]{1,30}( [a-z-]{1,12}=\"[A-Za-z0-9_ ]{0,6}\"){0,3}/?>|</qti-[a-z-]{1,30}>|[a-zA-Z &;<>]{0,8}){0,40}"
    ) {
        let _ = qti::parse(text.as_bytes());
    }

    #[test]
    fn mutated_items_never_panic(
        file in prop::sample::select(vec![
            "items/choice-single.xml", "items/choice-multiple.xml", "items/true-false.xml",
            "items/order.xml", "items/match.xml", "items/case-study.xml", "items/hottext.xml",
        ]),
        edits in prop::collection::vec((any::<usize>(), any::<u8>()), 0..8),
        cut in any::<usize>(),
    ) {
        let _ = qti::parse(&mutate(fixture(file), &edits, cut));
    }

    #[test]
    fn packages_of_mutated_files_never_panic(
        file in 0..PACKAGE_FILES.len() + 2,
        edits in prop::collection::vec((any::<usize>(), any::<u8>()), 1..8),
        cut in any::<usize>(),
    ) {
        let package = fixture_package(|files| {
            if let Some((_, bytes)) = files.get_mut(file) {
                *bytes = mutate(std::mem::take(bytes), &edits, cut);
            }
        });
        let _ = qti::parse(&package);
    }

    #[test]
    fn mutated_packages_never_panic(
        edits in prop::collection::vec((any::<usize>(), any::<u8>()), 1..8),
        cut in any::<usize>(),
    ) {
        let package = fixture_package(|_| {});
        let _ = qti::parse(&mutate(package, &edits, cut));
    }
}
