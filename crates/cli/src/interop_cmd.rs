//! `getmycert content import` and `getmycert content export`: other tools' question files in
//! and out. An import writes every item or none; an export writes one file, atomically.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use getmycert_content::{Content, ContentSource};
use getmycert_core::ExamCode;
use getmycert_interop::{Format, draft};

/// What `content import` was asked to do.
#[derive(Debug)]
pub struct ImportRequest<'a> {
    pub format: Format,
    pub file: &'a Path,
    pub exam: &'a str,
    pub out: Option<&'a Path>,
    pub skip_unsupported: bool,
    pub task: Option<&'a str>,
    pub content: &'a Path,
}

/// Reads `file` and writes one draft item per question into the output directory; on any
/// error (or an unsupported question without `skip_unsupported`) writes nothing, exit 1.
pub fn import(req: &ImportRequest) -> ExitCode {
    match run_import(req) {
        Ok(()) => ExitCode::SUCCESS,
        Err(lines) => {
            for line in lines {
                eprintln!("error: {line}");
            }
            eprintln!("nothing was written");
            ExitCode::from(1)
        }
    }
}

fn run_import(req: &ImportRequest) -> Result<(), Vec<String>> {
    let shown = req.file.display();
    let (code, content) = catalog(req.exam, Some(req.content))?;
    let exam = content
        .exam(&code)
        .ok_or_else(|| vec![format!("unknown exam {code}")])?;
    let task = match req.task {
        None => None,
        Some(label) => Some(
            draft::exam_task(label, exam)
                .ok_or_else(|| vec![format!("--task {label}: {code} has no such task")])?,
        ),
    };
    let bytes = fs::read(req.file).map_err(|e| vec![format!("{shown}: {e}")])?;
    let parsed = req
        .format
        .parse_file(&bytes)
        .map_err(|e| vec![format!("{shown}: {e}")])?;
    if !parsed.unsupported.is_empty() && !req.skip_unsupported {
        let mut lines: Vec<String> = parsed
            .unsupported
            .iter()
            .map(|u| format!("{shown}: {u}"))
            .collect();
        lines.push(format!(
            "{} question(s) of types our items cannot hold; pass --skip-unsupported to import the other {}",
            parsed.unsupported.len(),
            parsed.drafts.len()
        ));
        return Err(lines);
    }
    let out: PathBuf = req.out.map_or_else(
        || {
            req.content
                .join("questions")
                .join(code.as_str().to_ascii_lowercase())
        },
        Path::to_path_buf,
    );
    let mut taken = ids_in(&req.content.join("questions"));
    taken.extend(ids_in(&out));
    let items = draft::assemble(&parsed.drafts, exam, task, &taken).map_err(|errors| {
        errors
            .iter()
            .map(|e| format!("{shown}: {e}"))
            .collect::<Vec<_>>()
    })?;
    write_all(&out, &items)?;
    for u in &parsed.unsupported {
        eprintln!("skipped: {shown}: {u}");
    }
    let defaulted = items.iter().filter(|i| i.task_defaulted).count();
    println!(
        "wrote {} draft item(s) for {code} to {}{}",
        items.len(),
        out.display(),
        if parsed.unsupported.is_empty() {
            String::new()
        } else {
            format!("; skipped {} unsupported", parsed.unsupported.len())
        }
    );
    if defaulted > 0 {
        let (d, t) = task.unwrap_or((1, 1));
        println!(
            "{defaulted} item(s) name no task of {code} in the file and were mapped to {d}.{t}; review their `task` before promoting them"
        );
    }
    println!(
        "drafts are never served: give each a reference and a rationale for every option, then set status = \"pilot\" or \"live\" (`getmycert content check` tells what is missing)"
    );
    Ok(())
}

/// The item ids (file stems) of every `.md` file under `dir`.
fn ids_in(dir: &Path) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Some(stem) = path
                .file_stem()
                .and_then(|s| s.to_str())
                .filter(|_| path.extension().is_some_and(|e| e == "md"))
            {
                ids.insert(stem.to_owned());
            }
        }
    }
    ids
}

/// Writes every item as a new file, or none: files already written are removed on a failure.
fn write_all(out: &Path, items: &[draft::Item]) -> Result<(), Vec<String>> {
    fs::create_dir_all(out).map_err(|e| vec![format!("{}: {e}", out.display())])?;
    let mut written: Vec<PathBuf> = Vec::new();
    for item in items {
        let path = out.join(format!("{}.md", item.question.id));
        let result = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut f| {
                use std::io::Write;
                f.write_all(item.text.as_bytes())?;
                f.write_all(b"\n")?;
                f.sync_all()
            });
        if let Err(e) = result {
            for done in &written {
                let _ = fs::remove_file(done);
            }
            if !written.contains(&path) && e.kind() != std::io::ErrorKind::AlreadyExists {
                let _ = fs::remove_file(&path);
            }
            return Err(vec![format!("{}: {e}", path.display())]);
        }
        written.push(path);
    }
    Ok(())
}

/// Writes the live items of `exam` in `format` to `out`; lists what the format left out.
pub fn export(format: Format, exam: &str, out: &Path, content: Option<&Path>) -> ExitCode {
    match run_export(format, exam, out, content) {
        Ok(()) => ExitCode::SUCCESS,
        Err(lines) => {
            for line in lines {
                eprintln!("error: {line}");
            }
            ExitCode::from(1)
        }
    }
}

fn run_export(
    format: Format,
    exam: &str,
    out: &Path,
    content: Option<&Path>,
) -> Result<(), Vec<String>> {
    let (code, content) = catalog(exam, content)?;
    let exam = content
        .exam(&code)
        .ok_or_else(|| vec![format!("unknown exam {code}")])?;
    let live = getmycert_interop::exportable(&content.questions, &code);
    let export = format.export(exam, &live);
    let temp = out.with_extension("partial");
    fs::write(&temp, &export.bytes)
        .and_then(|()| fs::rename(&temp, out))
        .map_err(|e| {
            let _ = fs::remove_file(&temp);
            vec![format!("{}: {e}", out.display())]
        })?;
    for left in &export.left_out {
        eprintln!("left out: {left}");
    }
    println!(
        "wrote {} of {} live {code} item(s) as {format} to {} ({} byte(s)){}",
        live.len() - export.left_out.len(),
        live.len(),
        out.display(),
        export.bytes.len(),
        if export.left_out.is_empty() {
            String::new()
        } else {
            format!("; {} left out, listed above", export.left_out.len())
        }
    );
    Ok(())
}

/// The exam code and the content: a directory's, or the bundled bank when `dir` is `None` (or,
/// for imports, when the directory does not exist).
fn catalog(exam: &str, dir: Option<&Path>) -> Result<(ExamCode, Content), Vec<String>> {
    let code = ExamCode::parse(exam).map_err(|e| vec![e.to_string()])?;
    let source = match dir {
        Some(dir) if dir.is_dir() => ContentSource::Dir(dir.to_path_buf()),
        Some(dir) if dir != Path::new("content") => {
            return Err(vec![format!(
                "{}: no such content directory",
                dir.display()
            )]);
        }
        _ => ContentSource::Embedded,
    };
    let content = Content::load(&source).map_err(|e| {
        let mut lines: Vec<String> = e.0.iter().map(ToString::to_string).collect();
        lines.push("the content has errors; run `getmycert content check` first".into());
        lines
    })?;
    Ok((code, content))
}
