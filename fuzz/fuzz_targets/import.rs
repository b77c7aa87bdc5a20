//! Any bytes given to an import (GIFT, Moodle XML, Aiken, a QTI file or package) yield drafts
//! or an error with a location; never a panic. What one format reads is also assembled into
//! items, which must then parse as our own Markdown.
#![no_main]

use std::collections::BTreeSet;

use libfuzzer_sys::fuzz_target;

use getmycert_core::Level;
use getmycert_core::fixtures::sample_exam;
use getmycert_interop::{Format, draft};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let format = match selector % 4 {
        0 => Format::Gift,
        1 => Format::MoodleXml,
        2 => Format::Aiken,
        _ => Format::Qti3,
    };
    match format.parse_file(bytes) {
        Ok(parsed) => {
            let exam = sample_exam("AIF-C01", Level::Foundational, &[50, 50]);
            // Assembly writes each item and parses it back: an error is a refusal with a
            // location, never a panic.
            let _ = draft::assemble(&parsed.drafts, &exam, None, &BTreeSet::new());
        }
        Err(error) => assert!(error.location.line >= 1, "{error}"),
    }
});
