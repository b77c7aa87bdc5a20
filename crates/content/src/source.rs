//! Where content comes from: the bank embedded in the binary, or a directory on disk.

use std::path::{Path, PathBuf};

use rust_embed::RustEmbed;

use crate::error::{ContentError, ContentErrors};

#[derive(RustEmbed)]
#[folder = "../../content/"]
struct Embedded;

/// One content file: its display path (`content/…`) and text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

/// The content to serve.
#[derive(Debug, Clone)]
pub enum ContentSource {
    /// The content embedded at build time.
    Embedded,
    /// A directory laid out like `content/` (for authors).
    Dir(PathBuf),
}

impl ContentSource {
    /// All files, sorted by path. Unreadable files are errors naming the file.
    pub fn files(&self) -> Result<Vec<SourceFile>, ContentErrors> {
        let mut files = Vec::new();
        let mut errors = Vec::new();
        match self {
            ContentSource::Embedded => {
                for name in Embedded::iter() {
                    let path = format!("content/{name}");
                    match Embedded::get(&name).map(|f| String::from_utf8(f.data.into_owned())) {
                        Some(Ok(text)) => files.push(SourceFile { path, text }),
                        _ => errors.push(ContentError::new(&path, None, "not valid UTF-8 text")),
                    }
                }
            }
            ContentSource::Dir(dir) => {
                if !dir.is_dir() {
                    return Err(ContentErrors(vec![ContentError::new(
                        &dir.display().to_string(),
                        None,
                        "not a directory",
                    )]));
                }
                walk(dir, dir, &mut files, &mut errors);
            }
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        if errors.is_empty() {
            Ok(files)
        } else {
            Err(ContentErrors(errors))
        }
    }
}

fn walk(root: &Path, dir: &Path, files: &mut Vec<SourceFile>, errors: &mut Vec<ContentError>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            errors.push(ContentError::new(
                &dir.display().to_string(),
                None,
                e.to_string(),
            ));
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(root, &path, files, errors);
            continue;
        }
        let display = path.display().to_string();
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let relative = path.strip_prefix(root).unwrap_or(&path);
                let relative = relative.to_string_lossy().replace('\\', "/");
                files.push(SourceFile {
                    path: format!("{}/{relative}", root.display()),
                    text,
                });
                let _ = display;
            }
            Err(e) => errors.push(ContentError::new(&display, None, e.to_string())),
        }
    }
}

/// The file's path relative to the content root (`catalog/mls-c01.toml`), whatever the root.
pub fn relative(path: &str) -> &str {
    ["catalog/", "guides/", "questions/"]
        .iter()
        .find_map(|dir| path.rfind(dir).map(|i| &path[i..]))
        .unwrap_or(path)
}
