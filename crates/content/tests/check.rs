//! `content check` on a bank holding one error of each kind: every error is reported with its
//! file and line; warnings come with figures.

use std::path::Path;

use getmycert_content::{Content, ContentSource};

const VALID: &str = r#"+++
id = "ID"
type = "single"
difficulty = "medium"
status = "live"
tags = ["sagemaker"]
references = ["https://docs.aws.amazon.com/sagemaker/latest/dg/whatis.html"]

[[exams]]
exam = "MLS-C01"
task = "3.3"
+++
A team trains a gradient-boosted model on tabular data in Amazon S3 every night and wants the
jobs to start quickly, cost little and need no servers to manage between runs at all.

Which approach meets these requirements?

## Options

- [ ] A. Run the training on an always-on Amazon EC2 instance
  Why: An always-on instance costs money between nightly runs.
- [x] B. Run a SageMaker training job with the built-in XGBoost algorithm
  Why: Training jobs provision instances per run and release them when the job ends.
- [ ] C. Run the training inside an AWS Lambda function
  Why: Lambda's time and memory limits do not fit model training on large data.
- [ ] D. Run the training on an Amazon EMR cluster kept running all day
  Why: A long-running cluster costs money between runs.

## Explanation

Managed training jobs start instances for the job and stop them afterwards.
"#;

fn item(id: &str) -> String {
    VALID.replace("\"ID\"", &format!("\"{id}\""))
}

/// The repository's catalog and guides with the given items as the whole bank.
fn bank(items: &[(&str, String)]) -> tempfile::TempDir {
    getmycert_content::testing::content_dir_with(items)
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no `{needle}`"))
        + 1
}

#[test]
fn one_error_of_each_kind_is_reported_with_file_and_line() {
    let mut cases: Vec<(&str, String, &str, &str)> = Vec::new();
    // (file, text, line marker, message fragment)
    let mut add =
        |file: &'static str, text: String, marker: &'static str, message: &'static str| {
            cases.push((file, text, marker, message));
        };
    let id = |file: &str| {
        file.rsplit('/')
            .next()
            .unwrap_or(file)
            .trim_end_matches(".md")
            .to_owned()
    };

    add("a/dup.md", item("dup"), "", "");
    add("b/dup.md", item("dup"), "id =", "duplicate id `dup`");
    add(
        "x/unknown-exam.md",
        item(&id("unknown-exam")).replace("MLS-C01", "ZZZ-C01"),
        "ZZZ-C01",
        "unknown exam ZZZ-C01",
    );
    add(
        "x/unknown-domain.md",
        item(&id("unknown-domain")).replace("\"3.3\"", "\"9.1\""),
        "9.1",
        "has no domain 9",
    );
    add(
        "x/unknown-task.md",
        item(&id("unknown-task")).replace("\"3.3\"", "\"3.9\""),
        "3.9",
        "has no task 3.9",
    );
    add(
        "x/two-keys.md",
        item(&id("two-keys")).replace("- [ ] A.", "- [x] A."),
        "## Options",
        "exactly one key `[x]`; found 2",
    );
    let three = item(&id("three-options"));
    let three = three.replace(
        &three[three.find("- [ ] D.").expect("D")..three.find("## Explanation").expect("E")],
        "\n",
    );
    add(
        "x/three-options.md",
        three,
        "## Options",
        "at least 4 options; found 3",
    );
    let e_option = "- [ ] D. Run the training on an Amazon EMR cluster kept running all day\n  Why: A long-running cluster costs money between runs.\n- [ ] E. Run the training on a laptop\n  Why: A laptop is not managed infrastructure.\n";
    let five = |t: String| {
        t.replace("- [ ] D. Run the training on an Amazon EMR cluster kept running all day\n  Why: A long-running cluster costs money between runs.\n", e_option)
    };
    add(
        "x/multi-count.md",
        five(item(&id("multi-count")))
            .replace("type = \"single\"", "type = \"multiple\"\nselect = 2")
            .replace("- [ ] A.", "- [x] A.")
            .replace("- [ ] C.", "- [x] C.")
            + "",
        "## Options",
        "select = 2 but 3 option(s) are marked",
    );
    add(
        "x/multi-no-select.md",
        five(item(&id("multi-no-select"))).replace("type = \"single\"", "type = \"multiple\""),
        "## Options",
        "must say how many to select",
    );
    let steps = "## Steps\n\n".to_owned()
        + &(0..6)
            .map(|i| {
                format!(
                    "- {}. Step number {i}\n  Why: Because step {i} follows.\n",
                    (b'A' + i) as char
                )
            })
            .collect::<String>();
    let ordering = item(&id("six-steps")).replace("type = \"single\"", "type = \"ordering\"");
    let ordering = ordering[..ordering.find("## Options").expect("options")].to_owned()
        + &steps
        + "\n## Explanation\n\nOrder.\n";
    add(
        "x/six-steps.md",
        ordering,
        "## Steps",
        "3 to 5 steps; found 6",
    );
    let matching = item(&id("two-prompts"))
        .replace("type = \"single\"", "type = \"matching\"")
        .replace("- [ ] ", "- ")
        .replace("- [x] ", "- ");
    let matching = matching.replace(
        "## Options",
        "## Prompts\n\n- 1. First need\n  Match: A\n- 2. Second need\n  Match: B\n\n## Options",
    );
    add(
        "x/two-prompts.md",
        matching,
        "## Prompts",
        "3 to 7 prompts; found 2",
    );
    let case = item(&id("one-sub-question"))
        .replace("type = \"single\"", "type = \"case-study\"")
        .replace("## Options", "## Question 1\n\nWhich one?\n\n### Options")
        .replace("## Explanation", "### Explanation");
    add(
        "x/one-sub-question.md",
        case,
        "## Question 1",
        "2 to 4 sub-questions",
    );
    add(
        "x/no-rationale.md",
        item(&id("no-rationale")).replace(
            "  Why: Lambda's time and memory limits do not fit model training on large data.\n",
            "",
        ),
        "- [ ] C.",
        "option C has no rationale",
    );
    add(
        "x/no-https.md",
        item(&id("no-https")).replace(
            "https://docs.aws.amazon.com/sagemaker/latest/dg/whatis.html",
            "http://example.com/docs",
        ),
        "references",
        "at least one https reference",
    );
    add(
        "x/raw-html.md",
        item(&id("raw-html")).replace("Which approach", "<script>alert(1)</script> Which approach"),
        "<script>",
        "raw HTML `<script>",
    );
    add(
        "x/bad-toml.md",
        item(&id("bad-toml")).replace("status = \"live\"", "status = live"),
        "status = live",
        "front matter",
    );
    add(
        "x/wrong-name.md",
        item("another-name"),
        "id =",
        "must be the file name",
    );

    let dir = bank(
        &cases
            .iter()
            .map(|(f, t, _, _)| (*f, t.clone()))
            .collect::<Vec<_>>(),
    );
    let report = Content::check(&ContentSource::Dir(dir.path().to_owned()));
    let all = report
        .errors
        .iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join("\n");
    for (file, text, marker, message) in cases.iter().filter(|c| !c.3.is_empty()) {
        let line = line_of(text, marker);
        let found = report.errors.iter().any(|e| {
            e.file.ends_with(&format!("questions/{file}"))
                && e.line == Some(line)
                && e.message.contains(message)
        });
        assert!(found, "no error `{message}` at {file}:{line} in:\n{all}");
    }
    assert_eq!(
        report.errors.len(),
        cases.len() - 1,
        "exactly one error per broken file:\n{all}"
    );
}

#[test]
fn warnings_carry_figures_and_valid_banks_have_no_errors() {
    let mut near = item("near-copy");
    near = near.replace("every night", "every single night");
    let short = item("short-stem").replace(
        "A team trains a gradient-boosted model on tabular data in Amazon S3 every night and wants the\njobs to start quickly, cost little and need no servers to manage between runs at all.\n\n",
        "",
    );
    let cites = item("cites-letter").replace(
        "between nightly runs.",
        "between nightly runs, unlike option B.",
    );
    let matching = item("diagonal-matching")
        .replace("type = \"single\"", "type = \"matching\"")
        .replace("- [ ] ", "- ")
        .replace("- [x] ", "- ")
        .replace("## Options", "## Prompts\n\n- 1. First need\n  Match: A\n- 2. Second need\n  Match: B\n- 3. Third need\n  Match: C\n\n## Options");
    let dir = bank(&[
        ("m/original.md", item("original")),
        ("m/near-copy.md", near),
        ("m/short-stem.md", short),
        ("m/cites-letter.md", cites),
        ("m/diagonal-matching.md", matching),
    ]);
    let report = Content::check(&ContentSource::Dir(dir.path().to_owned()));
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let warnings = report
        .warnings
        .iter()
        .map(|w| w.to_string())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        warnings.contains("near-duplicate stem: near-copy and original are 88% alike"),
        "{warnings}"
    );
    assert!(warnings.contains("the stem has 5 words"), "{warnings}");
    assert!(
        warnings.contains("domain 3 has 5 of 5 live items (100.0%) against a weight of 36%"),
        "{warnings}"
    );
    assert!(
        warnings.contains("task statement(s) have no live items"),
        "{warnings}"
    );
    assert!(
        warnings
            .contains("cites-letter.md: a rationale or the explanation cites an option by letter"),
        "{warnings}"
    );
    assert!(
        warnings.contains("diagonal-matching.md:18: matching answers follow the prompt order"),
        "{warnings}"
    );
    let stats = &report.stats.exams["MLS-C01"];
    assert_eq!(stats.live, 5);
    assert_eq!(stats.tasks["3.3"], 5);
    assert_eq!(stats.key_positions["B"], 4);
    assert_eq!(stats.types["matching"], 1);
    assert!(
        report
            .stats
            .near_duplicates
            .iter()
            .any(|(a, b, sim)| a == "near-copy" && b == "original" && *sim > 0.8),
        "{:?}",
        report.stats.near_duplicates
    );
}

#[test]
fn the_bundled_bank_has_no_errors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content");
    let report = Content::check(&ContentSource::Dir(dir));
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    assert!(report.items >= 5);
}

#[test]
fn blueprint_warnings_count_the_pool_of_exams_that_have_items_of_their_own() {
    // An item written for MLS-C01 and mapped to MLA-C01 too: MLA-C01 has no item of its own,
    // so it only borrows and is not held to its weights.
    let cross = item("cross-mapped").replace(
        "task = \"3.3\"\n+++",
        "task = \"3.3\"\n\n[[exams]]\nexam = \"MLA-C01\"\ntask = \"2.2\"\n+++",
    );
    let dir = bank(&[("m/cross-mapped.md", cross.clone())]);
    let report = Content::check(&ContentSource::Dir(dir.path().to_owned()));
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let warnings: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("(MLS-C01): domain 3 has 1 of 1")),
        "{warnings:?}"
    );
    assert!(
        !warnings.iter().any(|w| w.contains("(MLA-C01)")),
        "{warnings:?}"
    );
    assert_eq!(
        report.stats.exams["MLA-C01"].live, 1,
        "stats still count the second mapping"
    );
    assert_eq!(report.stats.exams["MLA-C01"].tasks["2.2"], 1);

    // Once MLA-C01 has an item of its own, its warnings count the whole pool: the borrowed
    // item in domain 2 and its own item in domain 3.
    let own = item("written-for-mla")
        .replace("exam = \"MLS-C01\"", "exam = \"MLA-C01\"")
        .replace("task = \"3.3\"", "task = \"3.1\"")
        .replace("Which change", "Which deployment change");
    let dir = bank(&[("m/cross-mapped.md", cross), ("m/written-for-mla.md", own)]);
    let report = Content::check(&ContentSource::Dir(dir.path().to_owned()));
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let warnings: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("(MLA-C01): domain 2 has 1 of 2 live items (50.0%)")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("(MLA-C01): domain 3 has 1 of 2 live items (50.0%)")),
        "{warnings:?}"
    );
}

/// An imported draft: two options, no rationale, no reference, an empty explanation.
const DRAFT: &str = r#"+++
id = "imported-true-false"
type = "single"
difficulty = "medium"
status = "draft"
tags = []
references = []

[[exams]]
exam = "MLS-C01"
task = "3.3"
+++
Amazon SageMaker AI training jobs release their instances when the job ends.

## Options

- [x] A. True
  Why:
- [ ] B. False
  Why:

## Explanation
"#;

#[test]
fn a_draft_needs_only_structure_and_leaving_draft_needs_the_rest() {
    let dir = bank(&[("x/imported-true-false.md", DRAFT.to_owned())]);
    let report = Content::check(&ContentSource::Dir(dir.path().to_owned()));
    assert!(report.errors.is_empty(), "{:?}", report.errors);

    let live = DRAFT.replace("status = \"draft\"", "status = \"live\"");
    let dir = bank(&[("x/imported-true-false.md", live.clone())]);
    let report = Content::check(&ContentSource::Dir(dir.path().to_owned()));
    let messages: Vec<String> = report.errors.iter().map(ToString::to_string).collect();
    for (marker, fragment) in [
        ("references", "add at least one https reference"),
        ("- [x] A.", "option A has no rationale"),
        ("- [ ] B.", "option B has no rationale"),
        ("## Explanation", "the explanation is empty"),
        ("## Options", "at least 4 options; found 2"),
    ] {
        let line = line_of(&live, marker);
        assert!(
            messages
                .iter()
                .any(|m| m.contains(&format!(":{line}:")) && m.contains(fragment)),
            "no `{fragment}` at line {line}: {messages:#?}"
        );
    }

    let broken = DRAFT.replace("- [ ] B.", "- [x] B.");
    let dir = bank(&[("x/imported-true-false.md", broken)]);
    let report = Content::check(&ContentSource::Dir(dir.path().to_owned()));
    assert!(
        report
            .errors
            .iter()
            .any(|e| e.to_string().contains("exactly one key")),
        "a draft is still checked for structure: {:?}",
        report.errors
    );
}
