//! Any bytes as a Python file: the engine never panics, and every finding and error it reports
//! is well formed (positions inside the file, ranges in order, a report that is valid JSON).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use pyward_engine::report::Report;
use pyward_engine::{Engine, Options};

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::builtin().expect("built-in rules load"))
}

fuzz_target!(|data: &[u8]| {
    let r = engine().check_bytes("fuzz.py", data, &Options::default());
    let len = data.len() as u32;
    for f in &r.findings {
        assert!(f.start_offset <= f.end_offset && f.end_offset <= len, "range {}..{} of {len}", f.start_offset, f.end_offset);
        assert!(f.line >= 1 && f.column >= 1 && (f.end_line, f.end_column) >= (f.line, f.column));
        for s in &f.trace {
            assert!(s.start_offset <= s.end_offset && s.end_offset <= len);
        }
    }
    for e in &r.errors {
        assert!(e.line.is_none_or(|l| l >= 1));
    }
    let report = Report::new(vec![r], &[]);
    let json = report.to_json();
    serde_json::from_str::<serde_json::Value>(&json).expect("the JSON report parses");
});
