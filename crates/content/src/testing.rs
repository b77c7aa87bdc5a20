//! Content directories for tests (feature `testing`): the repository's catalog and guides with
//! a question bank of the test's choosing, in a temporary directory the test may break.

use std::path::{Path, PathBuf};

/// The repository's `content/` directory.
pub fn repository_content() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content")
}

/// Copies a directory tree.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create the target directory");
    for entry in std::fs::read_dir(from).expect("read the source directory") {
        let entry = entry.expect("a directory entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}

/// The repository's catalog and guides plus `questions`, as (path under `questions/`, text).
pub fn content_dir_with(questions: &[(&str, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let content = repository_content();
    copy_tree(&content.join("catalog"), &dir.path().join("catalog"));
    copy_tree(&content.join("guides"), &dir.path().join("guides"));
    for (path, text) in questions {
        let path = dir.path().join("questions").join(path);
        std::fs::create_dir_all(path.parent().expect("a parent directory")).expect("mkdir");
        std::fs::write(path, text).expect("write a question");
    }
    dir
}
