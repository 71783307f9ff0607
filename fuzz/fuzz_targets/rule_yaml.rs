//! Any text as a rule file: loading never panics; a rule that loads runs on a small file
//! without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pyward_engine::rules::RuleSet;
use pyward_engine::{Engine, Options};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut rules = RuleSet::default();
    if rules.add_yaml("fuzz.yaml", text).is_ok() {
        let engine = Engine::from_rules(rules);
        let _ = engine.check_source("t.py", "import os\nos.system(input())\nx = f(a, b=1)[2]\n", &Options::default());
    }
});
