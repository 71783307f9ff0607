//! Embeds the example programs listed in `examples/index.json`, so the site needs no fetch.

use std::fmt::Write as _;
use std::path::Path;

#[derive(serde::Deserialize)]
struct Entry {
    file: String,
    title: String,
    description: String,
    /// The example's dependency file (its `requirements.txt` tab), if it has one.
    #[serde(default)]
    requirements: Option<String>,
}

fn main() {
    let dir = Path::new("examples");
    println!("cargo:rerun-if-changed=examples");
    let index = std::fs::read_to_string(dir.join("index.json")).expect("web/examples/index.json");
    let entries: Vec<Entry> = serde_json::from_str(&index).expect("web/examples/index.json: invalid JSON");
    let mut out = String::from("pub static EXAMPLES: &[Example] = &[\n");
    for e in entries {
        let path = dir.join(&e.file).canonicalize().unwrap_or_else(|_| panic!("web/examples/{} is listed but missing", e.file));
        let requirements = match &e.requirements {
            Some(r) => {
                let p = dir.join(r).canonicalize().unwrap_or_else(|_| panic!("web/examples/{r} is listed but missing"));
                format!("include_str!({:?})", p.display().to_string())
            }
            None => "\"\"".to_string(),
        };
        let _ = writeln!(
            out,
            "    Example {{ id: {:?}, title: {:?}, description: {:?}, code: include_str!({:?}), requirements: {requirements} }},",
            e.file.trim_end_matches(".py"),
            e.title,
            e.description,
            path.display().to_string()
        );
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("examples.rs");
    std::fs::write(dest, out).expect("write examples.rs");
}
