//! `content import` and `content export` through the real binary, and the downloads of the
//! site: an author's bank export and a learner's missed questions as an Anki deck.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use reqwest::StatusCode;

use crate::helpers::{TestApp, binary, content_copy, some_answer};
use crate::staff::{GOOD, signed_in, user_cmd};

/// A GIFT file in Moodle's shape: a category, a single-answer question with feedback, a
/// multiple-response one with weights, true/false, matching, and an essay at line 22.
const GIFT: &str = r#"// Imported from a study group's Moodle course.
$CATEGORY: $course$/top/AIF-C01/1.2 Practical use cases

::Batch scoring::[markdown]A retailer scores **2 million** records once a night and needs no endpoint between runs. Which SageMaker AI option fits? {
  =Batch transform #Batch transform runs a job over the dataset and releases its instances.
  ~Real-time inference #A real-time endpoint keeps instances running between runs.
  ~Serverless inference #Serverless inference answers requests; it is not a bulk job.
  ~Asynchronous inference #Asynchronous inference queues single large requests.
  ####Nightly bulk scoring with no endpoint between runs is batch transform.
}

::Two metrics::Which TWO metrics describe a binary classifier's errors on the positive class? {
  ~%50%Recall #Recall counts the positives found.
  ~%50%Precision #Precision counts the right positive calls.
  ~%-100%Mean absolute error #MAE is a regression metric.
  ~%-100%BLEU #BLEU scores generated text.
}

::Bedrock data::Amazon Bedrock uses customer prompts to train its base models. {F#Bedrock does not use prompts or completions to train base models.#Right: it does not.}

::Why explain::Explain in a paragraph why a model card helps an auditor. {}

::Services::Match each need to a service. {
  =Extract text from scanned forms -> Amazon Textract
  =Detect the sentiment of reviews -> Amazon Comprehend
  =Transcribe support calls -> Amazon Transcribe
}
"#;

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn run(args: &[&str], extra: &[&Path]) -> (bool, String, String) {
    let out = binary().args(args).args(extra).output().expect("runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn an_import_writes_drafts_that_check_accepts_or_nothing_at_all() {
    let content = content_copy();
    let work = tempfile::tempdir().expect("tempdir");
    let file = work.path().join("course.gift.txt");
    fs::write(&file, GIFT).expect("write");
    let out = content.path().join("questions/imported");
    let base = [
        "content",
        "import",
        "--format",
        "gift",
        "--exam",
        "AIF-C01",
        "--content",
    ];

    // The essay cannot become an item: the import names it and writes nothing.
    let mut args: Vec<&Path> = vec![content.path(), Path::new("--out"), &out, &file];
    let (ok, _, stderr) = run(&base, &args);
    assert!(!ok, "{stderr}");
    assert!(
        stderr.contains("line 21") && stderr.contains("essay"),
        "the essay is named with its line: {stderr}"
    );
    assert!(stderr.contains("--skip-unsupported"), "{stderr}");
    assert!(
        files_in(&out).is_empty(),
        "nothing written: {:?}",
        files_in(&out)
    );

    // Skipping it imports the four others as drafts that `content check` accepts.
    args.push(Path::new("--skip-unsupported"));
    let (ok, stdout, stderr) = run(&base, &args);
    assert!(ok, "{stdout}{stderr}");
    assert!(stdout.contains("wrote 4 draft item(s)"), "{stdout}");
    assert!(
        stderr.contains("skipped") && stderr.contains("essay"),
        "{stderr}"
    );
    let written = files_in(&out);
    assert_eq!(written.len(), 4, "{written:?}");
    assert!(
        written.contains(&"batch-scoring.md".to_owned()),
        "{written:?}"
    );
    let batch = fs::read_to_string(out.join("batch-scoring.md")).expect("item");
    assert!(batch.contains("status = \"draft\""), "{batch}");
    assert!(
        batch.contains("task = \"1.2\""),
        "the category's task: {batch}"
    );
    assert!(batch.contains("- [x] A. Batch transform"), "{batch}");
    assert!(
        batch.contains("Why: Batch transform runs a job over the dataset"),
        "{batch}"
    );
    assert!(batch.contains("**2 million**"), "{batch}");
    let (ok, stdout, stderr) = run(&["content", "check"], &[content.path()]);
    assert!(ok, "content check accepts the drafts: {stdout}{stderr}");

    // A second import of the same file gets new ids instead of overwriting.
    let (ok, stdout, stderr) = run(&base, &args);
    assert!(ok, "{stdout}{stderr}");
    assert!(files_in(&out).contains(&"batch-scoring-2.md".to_owned()));

    // A malformed file is an error with its line, and nothing is written.
    let broken = work.path().join("broken.txt");
    fs::write(
        &broken,
        "::Q::Which service? {\n=Amazon Textract\n~Amazon Polly\n",
    )
    .expect("write");
    let fresh = content.path().join("questions/broken");
    let (ok, _, stderr) = run(
        &base,
        &[content.path(), Path::new("--out"), &fresh, &broken],
    );
    assert!(!ok);
    assert!(stderr.contains("line "), "{stderr}");
    assert!(files_in(&fresh).is_empty());
}

#[test]
fn an_export_writes_each_format_and_names_what_it_left_out() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (format, file) in [
        ("gift", "aif.txt"),
        ("moodle-xml", "aif.xml"),
        ("aiken", "aiken.txt"),
        ("qti3", "aif.zip"),
        ("anki", "anki.txt"),
    ] {
        let path = dir.path().join(file);
        let (ok, stdout, stderr) = run(
            &[
                "content", "export", "--format", format, "--exam", "AIF-C01", "--out",
            ],
            &[&path],
        );
        assert!(ok, "{format}: {stdout}{stderr}");
        assert!(stdout.contains("live AIF-C01 item(s)"), "{stdout}");
        let bytes = fs::read(&path).expect("written");
        assert!(bytes.len() > 10_000, "{format}: {} bytes", bytes.len());
        match format {
            "qti3" => assert_eq!(&bytes[..2], b"PK"),
            "aiken" => {
                assert!(
                    stderr.contains("left out:"),
                    "multiple-response items are left out"
                );
                assert!(stdout.contains("left out, listed above"), "{stdout}");
            }
            "anki" => assert!(bytes.starts_with(b"#separator:tab\n"), "{format}"),
            _ => {}
        }
    }
    let (ok, _, stderr) = run(
        &[
            "content", "export", "--format", "pdf", "--exam", "AIF-C01", "--out",
        ],
        &[&dir.path().join("x.pdf")],
    );
    assert!(!ok && stderr.contains("unknown format `pdf`"), "{stderr}");
}

#[test]
fn an_exported_bank_imports_back_as_drafts_with_the_same_questions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let content = content_copy();
    for (format, file) in [
        ("moodle-xml", "bank.xml"),
        ("qti3", "bank.zip"),
        ("gift", "bank.txt"),
    ] {
        let path = dir.path().join(file);
        let (ok, stdout, stderr) = run(
            &[
                "content",
                "export",
                "--format",
                format,
                "--exam",
                "AIF-C01",
                "--content",
            ],
            &[content.path(), Path::new("--out"), &path],
        );
        assert!(ok, "{stdout}{stderr}");
        let out = content.path().join(format!("questions/back-{format}"));
        let (ok, stdout, stderr) = run(
            &[
                "content",
                "import",
                "--format",
                format,
                "--exam",
                "AIF-C01",
                "--content",
            ],
            &[content.path(), Path::new("--out"), &out, &path],
        );
        assert!(ok, "{format}: {stdout}{stderr}");
        assert!(!files_in(&out).is_empty(), "{format}");
    }
    let (ok, stdout, stderr) = run(&["content", "check"], &[content.path()]);
    assert!(ok, "{stdout}{stderr}");
}

#[tokio::test]
async fn authors_download_the_bank_and_learners_their_missed_questions() {
    let app = TestApp::spawn().await;
    assert!(
        user_cmd(
            &app,
            &["create", "--email", "aut@example.com", "--role", "author"],
            &format!("{GOOD}\n"),
        )
        .0
    );
    let guest = TestApp::new_client();
    let refused = guest
        .get(format!("{}/author/export/aif-c01/qti3", app.address))
        .send()
        .await
        .expect("answered");
    assert!(
        [
            StatusCode::UNAUTHORIZED,
            StatusCode::FORBIDDEN,
            StatusCode::SEE_OTHER
        ]
        .contains(&refused.status())
            || refused.url().path().starts_with("/account"),
        "a guest gets no export: {}",
        refused.status()
    );

    let author = signed_in(&app, "aut@example.com").await;
    let (status, page) = app.page_as(&author, "/author/export").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("/author/export/aif-c01/moodle-xml"), "{page}");
    for (format, media) in [
        ("qti3", "application/zip"),
        ("moodle-xml", "application/xml"),
        ("gift", "text/plain; charset=utf-8"),
        ("aiken", "text/plain; charset=utf-8"),
        ("anki", "text/plain; charset=utf-8"),
    ] {
        let response = author
            .get(format!("{}/author/export/aif-c01/{format}", app.address))
            .send()
            .await
            .expect("answered");
        assert_eq!(response.status(), StatusCode::OK, "{format}");
        assert_eq!(response.headers()["content-type"], media);
        let disposition = response.headers()["content-disposition"]
            .to_str()
            .expect("ascii")
            .to_owned();
        assert!(
            disposition.starts_with("attachment; filename=\"getmycert-aif-c01-"),
            "{disposition}"
        );
        let bytes = response.bytes().await.expect("body");
        let parsed = getmycert_interop::Format::parse(format).expect("format");
        if parsed.imports() {
            let back = parsed.parse_file(&bytes).expect("the download reads back");
            assert!(!back.drafts.is_empty(), "{format}");
        }
    }
    let missing = author
        .get(format!("{}/author/export/aif-c01/pdf", app.address))
        .send()
        .await
        .expect("answered");
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);

    // A learner practises: the first time every answer is the first option (which misses
    // them all here); in a later set, one question drawn again gets its key from a report. The
    // deck holds exactly the questions whose latest answer is wrong.
    let learner = TestApp::new_client();
    let mut last: BTreeMap<String, bool> = BTreeMap::new();
    // Stem → the texts of its keys (option letters are shuffled per sitting).
    let mut keys: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut fixed = false;
    for _ in 0..8 {
        let id = app.practice(&learner, 5).await;
        for n in 1..=5u64 {
            let (status, item) = app.item(&learner, &id, n).await;
            assert_eq!(status, StatusCode::OK, "{item}");
            let stem = item["stem"].as_str().expect("stem");
            let answer = match keys.get(stem).filter(|_| !fixed) {
                Some(texts) => {
                    fixed = true;
                    let selected: Vec<serde_json::Value> = item["options"]
                        .as_array()
                        .expect("options")
                        .iter()
                        .filter(|o| texts.iter().any(|t| o["text"] == t.as_str()))
                        .map(|o| o["id"].clone())
                        .collect();
                    serde_json::json!({ "selected": selected })
                }
                None => some_answer(&item),
            };
            let (status, saved) = app
                .json(
                    &learner,
                    reqwest::Method::PUT,
                    &format!("/api/v1/attempts/{id}/items/{n}/response"),
                    Some(answer),
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{saved}");
        }
        let (status, report) = app.submit(&learner, &id).await;
        assert_eq!(status, StatusCode::OK, "{report}");
        for item in report["items"].as_array().expect("items") {
            last.insert(
                item["id"].as_str().expect("id").to_owned(),
                item["correct"].as_bool().expect("correct"),
            );
            if item["scenario"].is_null() && item["key"]["selected"].is_array() {
                let stem = item["stem"].as_str().expect("stem").to_owned();
                let texts = item["options"]
                    .as_array()
                    .expect("options")
                    .iter()
                    .filter(|o| o["correct"] == true)
                    .map(|o| o["text"].as_str().expect("text").to_owned())
                    .collect();
                keys.insert(stem, texts);
            }
        }
        if fixed {
            break;
        }
    }
    assert!(
        fixed,
        "a question with a key seen in a report was drawn again"
    );
    let missed: Vec<String> = last
        .iter()
        .filter(|(_, ok)| !**ok)
        .map(|(id, _)| format!("getmycert-{id}"))
        .collect();
    assert!(
        !missed.is_empty() && missed.len() < last.len(),
        "one question is now right and others still wrong: {last:?}"
    );
    let response = learner
        .get(format!("{}/review/missed.txt?exam=AIF-C01", app.address))
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), StatusCode::OK);
    let deck = response.text().await.expect("text");
    assert!(deck.starts_with("#separator:tab\n#html:true\n"), "{deck}");
    assert!(deck.contains("#deck:GetMyCert::AIF-C01::Missed"), "{deck}");
    let mut guids: Vec<String> = deck
        .lines()
        .filter(|l| l.starts_with("getmycert-"))
        .map(|l| l.split('\t').next().unwrap_or_default().to_owned())
        .collect();
    guids.sort();
    assert_eq!(guids, missed, "{deck}");
    let (status, page) = app.page_as(&learner, "/review").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("/review/missed.txt?exam=AIF-C01"), "{page}");

    let unknown = learner
        .get(format!("{}/review/missed.txt?exam=XYZ-C01", app.address))
        .send()
        .await
        .expect("answered");
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
