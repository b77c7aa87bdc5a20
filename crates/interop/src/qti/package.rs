//! Reading files out of a zip package without trusting it: the entry count is capped, and so
//! is the total size of the files we inflate (each file's declared size is checked before it
//! is read, then the bytes actually inflated, since a header can lie), so a zip bomb costs at
//! most the cap. Files the import never reads (images, media) are never inflated, so a package
//! heavy with media is not refused for them.

use std::io::{Cursor, Read};

use zip::ZipArchive;
use zip::result::ZipError;

use crate::{ImportError, Location};

/// The most bytes the files read from a package may inflate to, all together.
pub(crate) const MAX_TOTAL_BYTES: u64 = 64 * 1024 * 1024;
/// The most entries a package may hold.
pub(crate) const MAX_FILES: usize = 20_000;

/// An opened package and what is left of its size budget.
pub(crate) struct Package<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
    budget: u64,
}

impl std::fmt::Debug for Package<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Package")
            .field("files", &self.archive.len())
            .field("budget", &self.budget)
            .finish()
    }
}

impl<'a> Package<'a> {
    pub fn open(bytes: &'a [u8]) -> Result<Self, ImportError> {
        let archive = ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
            ImportError::new(
                Location::line(1),
                format!("the file starts like a zip package but cannot be read as one: {e}"),
            )
        })?;
        if archive.len() > MAX_FILES {
            return Err(ImportError::new(
                Location::line(1),
                format!(
                    "the package holds {} files; more than {MAX_FILES} is refused",
                    archive.len()
                ),
            ));
        }
        Ok(Self {
            archive,
            budget: MAX_TOTAL_BYTES,
        })
    }

    /// The names of the package's files, in the order the zip lists them.
    pub fn names(&self) -> Vec<String> {
        self.archive
            .file_names()
            .filter_map(|name| name.ok().map(|n| n.into_owned()))
            .collect()
    }

    /// The text of the file at `path`, or `None` when the package has no such file. `path` is
    /// named in errors about the file (not UTF-8, cannot be inflated, over the size cap).
    pub fn read(&mut self, path: &str) -> Result<Option<String>, ImportError> {
        let mut file = match self.archive.by_name(path) {
            Ok(file) => file,
            Err(ZipError::FileNotFound) => return Ok(None),
            Err(e) => {
                return Err(ImportError::new(
                    Location::in_file(path, 1),
                    format!("the file cannot be read from the package: {e}"),
                ));
            }
        };
        if file.size() > self.budget {
            return Err(too_big());
        }
        let mut bytes = Vec::new();
        (&mut file)
            .take(self.budget.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| {
                ImportError::new(
                    Location::in_file(path, 1),
                    format!("the file cannot be inflated: {e}"),
                )
            })?;
        let read = bytes.len() as u64;
        if read > self.budget {
            return Err(too_big());
        }
        self.budget -= read;
        text(&bytes, Some(path)).map(Some)
    }
}

fn too_big() -> ImportError {
    ImportError::new(
        Location::line(1),
        format!(
            "the package's QTI files inflate to more than {} MiB together; larger packages are refused",
            MAX_TOTAL_BYTES / (1024 * 1024)
        ),
    )
}

/// Bytes as UTF-8 text without a byte-order mark; the error names the line of the first bad
/// byte.
pub(crate) fn text(bytes: &[u8], file: Option<&str>) -> Result<String, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(e) => {
            let valid = bytes.get(..e.valid_up_to()).unwrap_or_default();
            let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
            let location = match file {
                Some(file) => Location::in_file(file, line),
                None => Location::line(line),
            };
            Err(ImportError::new(
                location,
                "the file is not UTF-8 text (QTI files are UTF-8)",
            ))
        }
    }
}

/// `href` resolved against the folder `base` (`""` for the package root): `.` and `..`
/// segments applied, `%XX` escapes decoded. `None` when it climbs out of the package or
/// points outside it (a URL with a scheme).
pub(crate) fn resolve(base: &str, href: &str) -> Option<String> {
    let href = href.split(['#', '?']).next().unwrap_or_default();
    if href.contains("://") || href.starts_with("//") {
        return None;
    }
    let decoded = percent_decode(href);
    let mut parts: Vec<&str> = if decoded.starts_with('/') {
        Vec::new()
    } else {
        base.split('/').filter(|s| !s.is_empty()).collect()
    };
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// The folder of a package path: `tests` for `tests/exam.xml`, `""` at the root.
pub(crate) fn folder(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes.get(i), bytes.get(i + 1), bytes.get(i + 2)) {
            (Some(b'%'), Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                let value = hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0);
                out.push(value as u8);
                i += 3;
            }
            (Some(&b), _, _) => {
                out.push(b);
                i += 1;
            }
            (None, _, _) => break,
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_resolve_against_their_folder() {
        assert_eq!(
            resolve("tests", "../items/a.xml").as_deref(),
            Some("items/a.xml")
        );
        assert_eq!(
            resolve("", "./items/a%20b.xml").as_deref(),
            Some("items/a b.xml")
        );
        assert_eq!(resolve("", "/items/a.xml").as_deref(), Some("items/a.xml"));
        assert_eq!(resolve("", "../a.xml"), None);
        assert_eq!(resolve("", "https://example.com/a.xml"), None);
        assert_eq!(folder("tests/t.xml"), "tests");
        assert_eq!(folder("t.xml"), "");
    }

    #[test]
    fn text_that_is_not_utf8_names_its_line() {
        let err = text(b"<a>\n\xff</a>", Some("items/x.xml")).expect_err("not utf-8");
        assert_eq!(err.location, Location::in_file("items/x.xml", 2));
        assert_eq!(text(b"\xEF\xBB\xBF<a/>", None).as_deref(), Ok("<a/>"));
    }
}
