//! Single-threaded throughput over a directory tree: parse only vs. full analysis.
//! `find DIR -name "*.py" | cargo run --release -p pyward-engine --example throughput`

use std::io::Read;
use std::time::Instant;

use pyward_engine::{parse, Engine, Options};

fn main() {
    // The file list comes from the caller (bench/run.py), so every tool measures the same files.
    let mut list = String::new();
    std::io::stdin().read_to_string(&mut list).expect("file list on stdin");
    let files: Vec<&str> = list.lines().filter(|l| !l.is_empty()).collect();
    let sources: Vec<String> = files.iter().filter_map(|f| std::fs::read_to_string(f).ok()).collect();
    let bytes: usize = sources.iter().map(String::len).sum();
    let lines: usize = sources.iter().map(|s| s.lines().count()).sum();
    let engine = Engine::builtin().expect("rules");
    let opts = Options::default();
    // Best of three runs of each (`THROUGHPUT_RUNS=1` for a single run, e.g. under callgrind;
    // `THROUGHPUT_MODE=parse` or `full` runs only that half).
    let runs: usize = std::env::var("THROUGHPUT_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(3);
    let mode = std::env::var("THROUGHPUT_MODE").unwrap_or_default();
    let mut parse_best = f64::MAX;
    let mut full_best = f64::MAX;
    let mut findings = 0;
    for _ in 0..runs {
        if mode != "full" {
            let t = Instant::now();
            let mut n = 0;
            for s in &sources {
                n += parse::parse_module(s).module.body.len();
            }
            std::hint::black_box(n);
            parse_best = parse_best.min(t.elapsed().as_secs_f64());
        }
        if mode != "parse" {
            let t = Instant::now();
            findings = 0;
            for (f, s) in files.iter().zip(&sources) {
                findings += engine.check_source(f, s, &opts).findings.len();
            }
            full_best = full_best.min(t.elapsed().as_secs_f64());
        }
    }
    println!("files: {}  lines: {lines}  MB: {:.1}  findings: {findings}", sources.len(), bytes as f64 / 1e6);
    if mode != "full" {
        println!("parse only   : {parse_best:.3} s  ({:.0} lines/s, {:.1} MB/s)", lines as f64 / parse_best, bytes as f64 / 1e6 / parse_best);
    }
    if mode != "parse" {
        println!("full analysis: {full_best:.3} s  ({:.0} lines/s, {:.1} MB/s)", lines as f64 / full_best, bytes as f64 / 1e6 / full_best);
    }
    if mode.is_empty() {
        println!("full analysis / parse only: {:.2}x", full_best / parse_best);
    }
}
