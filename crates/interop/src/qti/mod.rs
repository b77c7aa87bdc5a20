//! QTI 3.0 (1EdTech Question and Test Interoperability): an IMS content package (zip) with
//! `imsmanifest.xml`, one `qti-assessment-item` file per item and an assessment test per exam.
//!
//! **Export** writes `imsmanifest.xml` (namespace `…/qti/qtiv3p0/imscp_v1p1`), `items/<id>.xml`
//! per item (resource type `imsqti_item_xmlv3p0`) and `tests/<EXAM>.xml` (type
//! `imsqti_test_xmlv3p0`): one `qti-test-part`, one `qti-assessment-section` per domain
//! (identifier `domain-<n>`, title the domain name) holding the `qti-assessment-item-ref`s of
//! its items, their `href`s relative to the test file (`../items/<id>.xml`).
//!
//! An item is `qti-assessment-item identifier=<id> title=<id> label=<task>`:
//! - single: `qti-choice-interaction max-choices=1`, a response of cardinality `single`;
//!   multiple response: `max-choices=<keys>`, cardinality `multiple`; ordering:
//!   `qti-order-interaction shuffle=true`, cardinality `ordered` listing the steps in order;
//!   matching: `qti-match-interaction` with two `qti-simple-match-set`s (prompts `P1…`,
//!   `match-max=1`, then options `A…`, `match-max` = the prompt count, so one option can serve
//!   several prompts), cardinality `multiple` of `directedPair`s `P1 B`.
//! - the stem is the interaction's `qti-prompt`; Markdown goes out as XHTML
//!   (`text::markdown_to_xhtml`) re-emitted through quick-xml events.
//! - each option's rationale is a `qti-feedback-block` inside its choice (blocks, not
//!   `qti-feedback-inline`, because a rationale may hold paragraphs, which inline feedback
//!   cannot); the explanation is a `qti-modal-feedback` (`EXPLANATION`). Both hang on a
//!   `FEEDBACK` outcome of cardinality `multiple` that response processing sets to every
//!   feedback identifier once the item is answered, so a player shows all rationales after
//!   answering, as our pages do.
//! - response processing is the `match_correct` template when the item has no feedback;
//!   with feedback the template's rule is written out (SCORE 1 on a match, else 0) followed
//!   by setting `FEEDBACK`, which the template cannot do.
//! - a case study is one item: the scenario as the body's leading XHTML, then one interaction
//!   per part answering `RESPONSE_1` … `RESPONSE_n`, explanations `EXPLANATION_1` … and SCORE
//!   the count of correct parts. An importer reads the text before the first interaction as
//!   the scenario and each interaction's prompt as its part's stem.
//! - the manifest resource of each item carries LOM metadata: `general/keyword` per tag,
//!   `educational/difficulty`, a `relation` (kind `references`) per reference URL, and a
//!   `classification` whose taxon path is the exam code, then the domain (id = number, entry =
//!   name), then the task (id = `1.2`, entry = the task statement).
//!
//! **Import** reads a zip package (sniffed by its `PK` start: `imsmanifest.xml`, its test
//! resources for the sections, then each item resource in manifest order) or a single
//! `qti-assessment-item` XML file. Choice, order and match interactions become parts; an item
//! with 2–4 of them becomes a case study whose scenario is the body text before the first
//! interaction, each later part's stem being the text between interactions and its prompt.
//! An item with any other interaction (text entry, extended text, hot text, gap match,
//! inline choice, hotspot, graphic, slider, upload, drawing, media, associate, custom, …) or
//! none is [`Unsupported`](crate::Unsupported), named after the interaction (`text-entry`).
//! A shared passage (`qti-assessment-stimulus-ref`) read from the package leads the stem, or
//! the scenario of a case study; an item file imported alone loses it.
//! Rationales come from the feedback inside each choice (or a modal feedback whose
//! identifier is the choice's), the explanation from the remaining modal and body feedback.
//! `Draft.title` is the item identifier; `Draft.category` is `<section or domain>/<task>`
//! (task from the LOM taxon, else the item `label`); tags are the LOM keywords.
//! Malformed XML, a file the manifest names but the package lacks, or a response without a
//! correct response is an [`ImportError`] naming the file inside the package and its line.
//! The files read from a package may inflate to at most 64 MiB together (media it does not
//! read are never inflated), and a package may hold at most 20 000 files.
//!
//! **Kept** both ways: stems, options, keys, orders, matches, rationales, explanations,
//! scenario, id, task, domain, tags. **Written but not read back**: difficulty and references
//! (a draft has no place for them). **Lost**: status and the verification date; an id starting
//! with a digit gets a `q-` prefix in the identifier (QTI identifiers are XML names), though
//! `title` keeps it. From other tools' files the import also drops partial-credit mappings
//! (`qti-mapping`: the correct response is the key), feedback on match prompts, templates and
//! printed variables (their text stays as written); body text after the last interaction joins
//! the last part's stem.

mod dom;
mod export;
mod import;
mod interactions;
mod manifest;
mod package;
mod xml_out;

use std::collections::HashMap;

use getmycert_core::{Exam, Question};

use self::dom::Element;
use self::import::{ItemContext, ItemRead};
use self::package::{Package, folder, resolve};
use crate::{Export, ImportError, Location, Parsed};

/// Reads a QTI 3.0 content package (zip) or a single `qti-assessment-item` file.
pub fn parse(bytes: &[u8]) -> Result<Parsed, ImportError> {
    if bytes.starts_with(b"PK") {
        parse_package(bytes)
    } else {
        parse_item_file(bytes)
    }
}

/// Writes `questions` (live items of `exam`) as a QTI 3.0 content package (zip bytes).
pub fn export(exam: &Exam, questions: &[Question]) -> Export {
    export::export(exam, questions)
}

fn push(read: ItemRead, parsed: &mut Parsed) {
    match read {
        ItemRead::Draft(draft) => parsed.drafts.push(draft),
        ItemRead::Unsupported(unsupported) => parsed.unsupported.push(unsupported),
    }
}

fn xml(text: &str, file: Option<&str>) -> Result<Element, ImportError> {
    dom::parse(text).map_err(|e| {
        let location = match file {
            Some(file) => Location::in_file(file, e.line),
            None => Location::line(e.line),
        };
        ImportError::new(location, e.message)
    })
}

fn parse_item_file(bytes: &[u8]) -> Result<Parsed, ImportError> {
    let text = package::text(bytes, None)?;
    let root = xml(&text, None)?;
    let whole = match root.name.as_str() {
        "manifest" => Some("a package manifest"),
        "qti-assessment-test" => Some("an assessment test"),
        _ => None,
    };
    if let Some(what) = whole {
        return Err(ImportError::new(
            Location::line(root.line),
            format!(
                "this is {what}, which only points at item files; import the zip package that holds them"
            ),
        ));
    }
    let mut parsed = Parsed::default();
    push(
        import::read_item(&root, &ItemContext::default())?,
        &mut parsed,
    );
    Ok(parsed)
}

/// A resource's file inside the package, resolved against the manifest's folder and any
/// `xml:base` on `resources` or the resource.
fn resource_path(resource: &Element, base: &str, manifest: &str) -> Result<String, ImportError> {
    let href = resource
        .attr("href")
        .or_else(|| resource.child("file").and_then(|f| f.attr("href")));
    let Some(href) = href else {
        return Err(ImportError::new(
            Location::in_file(manifest, resource.line),
            "the resource names no file (`href`)",
        ));
    };
    let base = match resource.attr("base") {
        Some(extra) => resolve(base, extra).unwrap_or_default(),
        None => base.to_owned(),
    };
    resolve(&base, href).ok_or_else(|| {
        ImportError::new(
            Location::in_file(manifest, resource.line),
            format!("the resource points outside the package: `{href}`"),
        )
    })
}

fn parse_package(bytes: &[u8]) -> Result<Parsed, ImportError> {
    let mut package = Package::open(bytes)?;
    // The manifest sits at the root; a package zipped with its folder has it one level down.
    let manifest_path = if package.names().iter().any(|n| n == "imsmanifest.xml") {
        "imsmanifest.xml".to_owned()
    } else {
        package
            .names()
            .into_iter()
            .filter(|n| n.ends_with("/imsmanifest.xml"))
            .min_by_key(|n| n.matches('/').count())
            .ok_or_else(|| {
                ImportError::new(
                    Location::line(1),
                    "the zip has no imsmanifest.xml, so it is not a QTI content package",
                )
            })?
    };
    let manifest_text = package.read(&manifest_path)?.unwrap_or_default();
    let manifest = xml(&manifest_text, Some(&manifest_path))?;
    if manifest.name != "manifest" {
        return Err(ImportError::new(
            Location::in_file(&manifest_path, manifest.line),
            format!("expected a `manifest`, found `<{}>`", manifest.name),
        ));
    }
    let Some(resources) = manifest.child("resources") else {
        return Ok(Parsed::default());
    };
    let base = match resources.attr("base") {
        Some(extra) => resolve(folder(&manifest_path), extra).unwrap_or_default(),
        None => folder(&manifest_path).to_owned(),
    };
    let of_type = |prefix: &'static str| {
        resources
            .children_named("resource")
            .filter(move |r| r.attr("type").is_some_and(|t| t.starts_with(prefix)))
    };
    let read = |package: &mut Package<'_>, resource: &Element| {
        let path = resource_path(resource, &base, &manifest_path)?;
        match package.read(&path)? {
            Some(text) => Ok((path, text)),
            None => Err(ImportError::new(
                Location::in_file(&manifest_path, resource.line),
                format!("the manifest names `{path}`, which the package does not hold"),
            )),
        }
    };

    let mut sections = HashMap::new();
    for resource in of_type("imsqti_test_xml") {
        let (path, text) = read(&mut package, resource)?;
        let test = xml(&text, Some(&path))?;
        collect_sections(&test, folder(&path), None, &mut sections);
    }
    let mut parsed = Parsed::default();
    for resource in of_type("imsqti_item_xml") {
        let (path, text) = read(&mut package, resource)?;
        let root = xml(&text, Some(&path))?;
        let mut cx = lom(resource);
        cx.section = sections.get(&path).cloned();
        cx.stimulus = stimuli(&mut package, &root, &path)?;
        cx.file = Some(path);
        push(import::read_item(&root, &cx)?, &mut parsed);
    }
    Ok(parsed)
}

/// The passages an item shares with others (`qti-assessment-stimulus-ref`, `href` relative to
/// the item file), read from the package, as Markdown.
fn stimuli(
    package: &mut Package<'_>,
    item: &Element,
    item_path: &str,
) -> Result<Option<String>, ImportError> {
    let mut passages = Vec::new();
    for reference in item.children_named("qti-assessment-stimulus-ref") {
        let missing = |what: &str| {
            ImportError::new(
                Location::in_file(item_path, reference.line),
                format!("the item refers to the passage {what}, which the package does not hold"),
            )
        };
        let href = reference.attr("href").unwrap_or_default();
        let path = resolve(folder(item_path), href).ok_or_else(|| missing(&format!("`{href}`")))?;
        let text = package
            .read(&path)?
            .ok_or_else(|| missing(&format!("`{path}`")))?;
        let stimulus = xml(&text, Some(&path))?;
        if stimulus.name != "qti-assessment-stimulus" {
            return Err(ImportError::new(
                Location::in_file(&path, stimulus.line),
                format!(
                    "expected a `qti-assessment-stimulus`, found `<{}>`",
                    stimulus.name
                ),
            ));
        }
        passages.extend(import::stimulus_markdown(&stimulus));
    }
    Ok((!passages.is_empty()).then(|| passages.join("\n\n")))
}

/// Maps each item file a test references to the title of the innermost section holding it.
fn collect_sections(
    element: &Element,
    folder: &str,
    section: Option<&str>,
    out: &mut HashMap<String, String>,
) {
    for child in element.elements() {
        match child.name.as_str() {
            "qti-assessment-section" => {
                let title = child.attr("title").map(str::trim).filter(|t| !t.is_empty());
                collect_sections(child, folder, title.or(section), out);
            }
            "qti-assessment-item-ref" => {
                if let (Some(href), Some(title)) = (child.attr("href"), section)
                    && let Some(path) = resolve(folder, href)
                {
                    out.entry(path).or_insert_with(|| title.to_owned());
                }
            }
            _ => collect_sections(child, folder, section, out),
        }
    }
}

/// What a resource's LOM metadata says: keywords as tags, the classification's first taxon
/// (the domain) and its last taxon id shaped like a task (`1.2`).
fn lom(resource: &Element) -> ItemContext {
    let mut cx = ItemContext::default();
    let Some(lom) = resource.child("metadata").and_then(|m| m.find("lom")) else {
        return cx;
    };
    let string = |e: &Element| {
        e.find("string")
            .map(|s| s.text().trim().to_owned())
            .filter(|s| !s.is_empty())
    };
    if let Some(general) = lom.child("general") {
        cx.tags = general
            .children_named("keyword")
            .filter_map(string)
            .collect();
    }
    for path in lom.find_all("taxonPath") {
        let taxa: Vec<&Element> = path.children_named("taxon").collect();
        if cx.domain.is_none() {
            cx.domain = taxa.first().and_then(|t| t.child("entry")).and_then(string);
        }
        let task = taxa.iter().rev().find_map(|t| {
            let id = t.child("id")?.text().trim().to_owned();
            let (domain, task) = id.split_once('.')?;
            let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            (numeric(domain) && numeric(task)).then_some(id)
        });
        if cx.task.is_none() {
            cx.task = task;
        }
    }
    cx
}
