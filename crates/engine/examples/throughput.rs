//! Single-threaded throughput over a directory tree: parse only vs. full analysis.
//! `find DIR -name "*.py" | cargo run --release -p pyward-engine --example throughput`
//!
//! `THROUGHPUT_RUNS=n` (default 3, best of n; 1 under callgrind), `THROUGHPUT_MODE=parse` or
//! `full` to run only that half, `THROUGHPUT_MODE=breakdown` to also time the parts of parsing:
//! the depth pre-scan alone and the parser crate alone (the rest of `parse_module` is the
//! conversion into pyward's tree and dropping it).

use std::io::Read;
use std::time::Instant;

use pyward_engine::syntax::{parse, prescan};
use pyward_engine::{Engine, Options};

fn best_of(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        f();
        best = best.min(t.elapsed().as_secs_f64());
    }
    best
}

fn main() {
    // The file list comes from the caller (bench/run.py), so every tool measures the same files.
    let mut list = String::new();
    std::io::stdin()
        .read_to_string(&mut list)
        .expect("file list on stdin");
    let files: Vec<(&str, String)> = list
        .lines()
        .filter(|l| !l.is_empty())
        .filter_map(|f| std::fs::read_to_string(f).ok().map(|s| (f, s)))
        .collect();
    let bytes: usize = files.iter().map(|(_, s)| s.len()).sum();
    let lines: usize = files.iter().map(|(_, s)| s.lines().count()).sum();
    let engine = Engine::builtin().expect("rules");
    let opts = Options::default();
    let runs: usize = std::env::var("THROUGHPUT_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let mode = std::env::var("THROUGHPUT_MODE").unwrap_or_default();
    let rate = |t: f64| {
        format!(
            "{t:.3} s  ({:.0} lines/s, {:.1} MB/s)",
            lines as f64 / t,
            bytes as f64 / 1e6 / t
        )
    };

    println!(
        "files: {}  lines: {lines}  MB: {:.1}",
        files.len(),
        bytes as f64 / 1e6
    );
    if mode == "breakdown" {
        let t = best_of(runs, || {
            let n = files
                .iter()
                .filter(|(_, s)| prescan::check_depth(s).is_some())
                .count();
            std::hint::black_box(n);
        });
        println!("  pre-scan alone      : {}", rate(t));
        let t = best_of(runs, || {
            for (_, s) in &files {
                let p = ruff_python_parser::parse_unchecked_source(
                    s,
                    ruff_python_ast::PySourceType::Python,
                );
                std::hint::black_box(p.syntax().body.len());
            }
        });
        println!("  parser crate alone  : {}", rate(t));
    }
    let mut parse_best = f64::MAX;
    if mode != "full" {
        parse_best = best_of(runs, || {
            let n: usize = files
                .iter()
                .map(|(_, s)| parse::parse_module(s).module.body.len())
                .sum();
            std::hint::black_box(n);
        });
        println!("parse only   : {}", rate(parse_best));
    }
    if mode != "parse" {
        let mut findings = 0;
        let full_best = best_of(runs, || {
            findings = files
                .iter()
                .map(|(f, s)| engine.check_source(f, s, &opts).findings.len())
                .sum();
        });
        println!("full analysis: {}  findings: {findings}", rate(full_best));
        if mode != "full" {
            println!("full analysis / parse only: {:.2}x", full_best / parse_best);
        }
    }
}
