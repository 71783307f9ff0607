//! Single-threaded throughput over a directory tree: parse only vs. full analysis.
//! `cargo run --release -p pyward-engine --example throughput -- DIR`

use std::path::{Path, PathBuf};
use std::time::Instant;

use pyward_engine::{parse, Engine, Options};

fn py_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() && !p.is_symlink() {
            py_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "py") {
            out.push(p);
        }
    }
}

fn main() {
    let dir = std::env::args().nth(1).expect("usage: throughput DIR");
    let mut files = Vec::new();
    py_files(Path::new(&dir), &mut files);
    let sources: Vec<String> = files.iter().filter_map(|f| std::fs::read_to_string(f).ok()).collect();
    let bytes: usize = sources.iter().map(String::len).sum();
    let lines: usize = sources.iter().map(|s| s.lines().count()).sum();
    let engine = Engine::builtin().expect("rules");
    let opts = Options::default();
    // Warm up once, then take the best of three runs of each.
    let mut parse_best = f64::MAX;
    let mut full_best = f64::MAX;
    let mut findings = 0;
    for _ in 0..3 {
        let t = Instant::now();
        let mut n = 0;
        for s in &sources {
            n += parse::parse_module(s).module.body.len();
        }
        std::hint::black_box(n);
        parse_best = parse_best.min(t.elapsed().as_secs_f64());
        let t = Instant::now();
        findings = 0;
        for (f, s) in files.iter().zip(&sources) {
            findings += engine.check_source(&f.display().to_string(), s, &opts).findings.len();
        }
        full_best = full_best.min(t.elapsed().as_secs_f64());
    }
    println!("files: {}  lines: {lines}  MB: {:.1}  findings: {findings}", sources.len(), bytes as f64 / 1e6);
    println!("parse only   : {parse_best:.3} s  ({:.0} lines/s, {:.1} MB/s)", lines as f64 / parse_best, bytes as f64 / 1e6 / parse_best);
    println!("full analysis: {full_best:.3} s  ({:.0} lines/s, {:.1} MB/s)", lines as f64 / full_best, bytes as f64 / 1e6 / full_best);
    println!("full analysis / parse only: {:.2}x", full_best / parse_best);
}
