//! Embeds every `rules/**/*.yaml` file into the engine at build time, so neither the CLI nor
//! the WebAssembly build needs file access at run time. Each file is read here with the engine's
//! own YAML reader (`src/rules/yaml.rs`) and embedded as JSON, which loads several times faster at
//! start-up than YAML (see `Engine::builtin`); a rule file that is not valid YAML fails the build
//! with its path, line and column. Everything else about a rule is checked when it loads.

#[path = "src/rules/yaml.rs"]
#[allow(dead_code)]
mod yaml;

use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
            out.push(p);
        }
    }
}

fn main() {
    let manifest =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let rules_dir = manifest.join("../../rules");
    println!("cargo:rerun-if-changed={}", rules_dir.display());
    let mut files = Vec::new();
    collect(&rules_dir, &mut files);
    files.sort();
    let mut code = String::from("/// (path under rules/, the YAML file as JSON text) of every built-in rule file.\npub static BUILTIN_RULE_FILES: &[(&str, &str)] = &[\n");
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        if let Some(parent) = f.parent() {
            println!("cargo:rerun-if-changed={}", parent.display());
        }
        let rel = f
            .strip_prefix(&rules_dir)
            .unwrap_or(f)
            .to_string_lossy()
            .replace('\\', "/");
        let text =
            std::fs::read_to_string(f).unwrap_or_else(|e| panic!("rules/{rel}: cannot read: {e}"));
        let value = yaml::parse(&text).unwrap_or_else(|e| panic!("rules/{rel}: invalid YAML: {e}"));
        code.push_str(&format!("    ({rel:?}, {:?}),\n", value.to_string()));
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("builtin_rules.rs");
    std::fs::write(out, code).expect("write builtin_rules.rs");
}
