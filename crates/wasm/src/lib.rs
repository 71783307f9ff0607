//! The browser-facing API over the engine.
//!
//! For now this is plain Rust with a JSON-in/JSON-out surface, built for
//! `wasm32-unknown-unknown` in CI; the wasm-bindgen/serde-wasm-bindgen layer and the Web Worker
//! that calls it belong to the playground.

use pyward_engine::report::Report;
use pyward_engine::{Engine, Options, RuleMeta};

/// Analyses one source text and returns the report in the JSON contract's shape.
pub fn analyze_to_json(engine: &Engine, path: &str, source: &str, opts: &Options) -> String {
    let result = engine.check_source(path, source, opts);
    let metas: Vec<&RuleMeta> = engine.rules().iter().map(|r| &r.meta).filter(|m| opts.rule_enabled(m)).collect();
    Report::new(vec![result], &metas).to_json()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_findings_as_json() {
        let engine = Engine::builtin().expect("rules");
        let json = analyze_to_json(&engine, "snippet.py", "import pickle\npickle.loads(data)\n", &Options::default());
        let v: serde_json::Value = serde_json::from_str(&json).expect("json");
        assert_eq!(v["findings"][0]["rule_id"], "unsafe-deserialization-pickle");
        assert_eq!(v["findings"][0]["line"], 2);
    }
}
