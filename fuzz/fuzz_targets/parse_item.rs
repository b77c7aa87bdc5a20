//! Any bytes given to the item parser yield an item or errors with file and line; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        match getmycert_content::items::parse_item("content/questions/fuzz/fuzz-item.md", text) {
            Ok(item) => {
                // A parsed item must survive a write and a second parse unchanged.
                let again = getmycert_content::items::write_item(&item);
                let reparsed = getmycert_content::items::parse_item("content/questions/fuzz/fuzz-item.md", &again);
                assert_eq!(reparsed.as_ref().ok(), Some(&item), "{again}");
            }
            Err(errors) => assert!(errors.iter().all(|e| e.line.is_some()), "{errors:?}"),
        }
    }
});
