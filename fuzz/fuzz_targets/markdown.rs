//! Any text as rule docs: the playground's Markdown reader never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = pyward_web::markdown::parse(text);
    }
});
