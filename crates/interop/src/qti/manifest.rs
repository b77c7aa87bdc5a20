//! The package's `imsmanifest.xml` (a resource per item with its LOM metadata: keywords,
//! difficulty, references, the exam → domain → task classification) and the assessment test
//! (one section per exam domain).

use std::io;

use getmycert_core::{Difficulty, Exam};

use super::export::{
    CP_SCHEMA, Entry, ITEM_SCHEMA, ITEM_TYPE, NS_CP, NS_ITEM, NS_LOM, NS_XSI, TEST_TYPE, has_text,
    test_path,
};
use super::xml_out::Out;

pub(super) fn manifest(exam: &Exam, entries: &[Entry<'_>]) -> io::Result<Vec<u8>> {
    let mut x = Out::new();
    let code = exam.code.as_str();
    let manifest_id = format!("MANIFEST-{code}");
    x.open(
        "manifest",
        &[
            ("xmlns", NS_CP),
            ("xmlns:lom", NS_LOM),
            ("xmlns:xsi", NS_XSI),
            ("xsi:schemaLocation", CP_SCHEMA),
            ("identifier", manifest_id.as_str()),
        ],
    );
    x.open("metadata", &[]);
    x.leaf("schema", &[], "QTI Package");
    x.leaf("schemaversion", &[], "3.0.1");
    x.close("metadata");
    x.empty("organizations", &[]);
    x.open("resources", &[]);
    for entry in entries {
        let q = entry.question;
        x.open(
            "resource",
            &[
                ("identifier", entry.identifier.as_str()),
                ("type", ITEM_TYPE),
                ("href", entry.file.as_str()),
            ],
        );
        x.open("metadata", &[]);
        x.open("lom:lom", &[]);
        x.open("lom:general", &[]);
        x.open("lom:identifier", &[]);
        x.leaf("lom:catalog", &[], "GetMyCert");
        x.leaf("lom:entry", &[], q.id.as_str());
        x.close("lom:identifier");
        x.open("lom:title", &[]);
        x.leaf("lom:string", &[], q.id.as_str());
        x.close("lom:title");
        for tag in &q.tags {
            x.open("lom:keyword", &[]);
            x.leaf("lom:string", &[], tag);
            x.close("lom:keyword");
        }
        x.close("lom:general");
        x.open("lom:educational", &[]);
        vocabulary(&mut x, "lom:difficulty", difficulty(q.difficulty));
        x.close("lom:educational");
        for reference in &q.references {
            x.open("lom:relation", &[]);
            vocabulary(&mut x, "lom:kind", "references");
            x.open("lom:resource", &[]);
            x.open("lom:identifier", &[]);
            x.leaf("lom:catalog", &[], "URI");
            x.leaf("lom:entry", &[], reference);
            x.close("lom:identifier");
            x.close("lom:resource");
            x.close("lom:relation");
        }
        if let Some(mapping) = q.mapping_for(&exam.code) {
            let domain = exam.domains.iter().find(|d| d.number == mapping.domain);
            let statement = domain
                .and_then(|d| d.tasks.get(usize::from(mapping.task).saturating_sub(1)))
                .map_or("", String::as_str);
            x.open("lom:classification", &[]);
            vocabulary(&mut x, "lom:purpose", "educational objective");
            x.open("lom:taxonPath", &[]);
            x.open("lom:source", &[]);
            x.leaf("lom:string", &[], code);
            x.close("lom:source");
            taxon(
                &mut x,
                &mapping.domain.to_string(),
                domain.map_or("", |d| d.name.as_str()),
            );
            taxon(&mut x, &mapping.task_label(), statement);
            x.close("lom:taxonPath");
            x.close("lom:classification");
        }
        x.close("lom:lom");
        x.close("metadata");
        x.empty("file", &[("href", entry.file.as_str())]);
        x.close("resource");
    }
    let test_id = format!("TEST-{code}");
    let test_path = test_path(exam);
    x.open(
        "resource",
        &[
            ("identifier", test_id.as_str()),
            ("type", TEST_TYPE),
            ("href", test_path.as_str()),
        ],
    );
    x.empty("file", &[("href", test_path.as_str())]);
    for entry in entries {
        x.empty(
            "dependency",
            &[("identifierref", entry.identifier.as_str())],
        );
    }
    x.close("resource");
    x.close("resources");
    x.close("manifest");
    x.finish()
}

/// A LOM vocabulary element: `<name><source>LOMv1.0</source><value>…</value></name>`.
pub(super) fn vocabulary(x: &mut Out, name: &str, value: &str) {
    x.open(name, &[]);
    x.leaf("lom:source", &[], "LOMv1.0");
    x.leaf("lom:value", &[], value);
    x.close(name);
}

/// Our difficulty in LOM's vocabulary (`very easy` … `very difficult`).
pub(super) fn difficulty(difficulty: Difficulty) -> &'static str {
    match difficulty {
        Difficulty::Easy => "easy",
        Difficulty::Medium => "medium",
        Difficulty::Hard => "difficult",
    }
}

pub(super) fn taxon(x: &mut Out, id: &str, entry: &str) {
    x.open("lom:taxon", &[]);
    x.leaf("lom:id", &[], id);
    if has_text(entry) {
        x.open("lom:entry", &[]);
        x.leaf("lom:string", &[], entry);
        x.close("lom:entry");
    }
    x.close("lom:taxon");
}

/// The assessment test: one section per domain (those with items), item refs relative to the
/// test file.
pub(super) fn test(exam: &Exam, entries: &[Entry<'_>]) -> io::Result<Vec<u8>> {
    let mut x = Out::new();
    let code = exam.code.as_str();
    x.open(
        "qti-assessment-test",
        &[
            ("xmlns", NS_ITEM),
            ("xmlns:xsi", NS_XSI),
            ("xsi:schemaLocation", ITEM_SCHEMA),
            ("identifier", code),
            ("title", exam.name.as_str()),
            ("tool-name", "GetMyCert"),
        ],
    );
    x.open(
        "qti-test-part",
        &[
            ("identifier", "part-1"),
            ("navigation-mode", "nonlinear"),
            ("submission-mode", "individual"),
        ],
    );
    let mut sections: Vec<(String, String, Vec<&Entry<'_>>)> = exam
        .domains
        .iter()
        .map(|d| {
            let items = entries
                .iter()
                .filter(|e| e.domain == Some(d.number))
                .collect();
            (format!("domain-{}", d.number), d.name.clone(), items)
        })
        .collect();
    let known: Vec<u8> = exam.domains.iter().map(|d| d.number).collect();
    let other: Vec<&Entry<'_>> = entries
        .iter()
        .filter(|e| e.domain.is_none_or(|d| !known.contains(&d)))
        .collect();
    sections.push((
        "other".to_owned(),
        "Not mapped to a domain".to_owned(),
        other,
    ));
    for (id, title, items) in sections.iter().filter(|(_, _, items)| !items.is_empty()) {
        x.open(
            "qti-assessment-section",
            &[
                ("identifier", id.as_str()),
                ("title", title.as_str()),
                ("visible", "true"),
            ],
        );
        for entry in items {
            let href = format!("../{}", entry.file);
            x.empty(
                "qti-assessment-item-ref",
                &[
                    ("identifier", entry.identifier.as_str()),
                    ("href", href.as_str()),
                ],
            );
        }
        x.close("qti-assessment-section");
    }
    x.close("qti-test-part");
    x.close("qti-assessment-test");
    x.finish()
}
