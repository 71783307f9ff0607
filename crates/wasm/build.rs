//! Renders the built-in rules' docs to HTML at build time (with src/docs.rs, the renderer the
//! worker uses for custom rules), so the worker does not parse their Markdown at start-up.

use std::fmt::Write as _;
use std::path::Path;

#[path = "src/docs.rs"]
#[allow(dead_code)]
mod docs;

fn main() {
    println!("cargo:rerun-if-changed=src/docs.rs");
    println!("cargo:rerun-if-changed=../../rules");
    let engine = pyward_engine::Engine::builtin().expect("the built-in rules load");
    let mut rendered: Vec<(String, String, String)> = engine
        .rules()
        .iter()
        .map(|r| {
            let (explain, refs) = docs::rule_docs(&r.meta.docs);
            (r.meta.id.clone(), explain, refs)
        })
        .collect();
    rendered.sort();
    let mut out = String::from("/// Each built-in rule's docs as HTML: (id, explanation, references), sorted by id.\npub static BUILTIN_DOCS: &[(&str, &str, &str)] = &[\n");
    for (id, explain, refs) in rendered {
        let _ = writeln!(out, "    ({id:?}, {explain:?}, {refs:?}),");
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("builtin_docs.rs");
    std::fs::write(dest, out).expect("write builtin_docs.rs");
}
