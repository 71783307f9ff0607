//! `pyward`: scan Python files for security issues.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

use clap::{Parser, Subcommand, ValueEnum};
use pyward_engine::report::Report;
use pyward_engine::{Confidence, Engine, FileError, FileResult, Options, RuleMeta, Severity};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "pyward", version, about = "A fast security analyzer for Python")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scan files and directories (recursively, honouring .gitignore) for security issues.
    Scan(ScanArgs),
    /// List the rules.
    Rules {
        /// Extra rule files or directories to load as well.
        #[arg(long = "rules", value_name = "PATH")]
        rules: Vec<PathBuf>,
    },
    /// Print a rule's documentation.
    Explain {
        /// The rule id, e.g. sql-injection-format.
        rule: String,
        #[arg(long = "rules", value_name = "PATH")]
        rules: Vec<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
    Sarif,
    Markdown,
}

#[derive(Clone, Copy, ValueEnum)]
enum SevArg {
    Low,
    Medium,
    High,
    Critical,
}

#[derive(Clone, Copy, ValueEnum)]
enum ConfArg {
    Low,
    Medium,
    High,
}

#[derive(clap::Args)]
struct ScanArgs {
    /// Files or directories to scan.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Report only findings at or above this severity.
    #[arg(long, value_enum, default_value = "low")]
    min_severity: SevArg,
    /// Report only findings at or above this confidence.
    #[arg(long, value_enum, default_value = "low")]
    min_confidence: ConfArg,
    /// Run only these rules (ids, families, Bandit ids or Ruff codes; comma-separated).
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Skip these rules (ids, families, Bandit ids or Ruff codes; comma-separated).
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Extra rule files or directories of `.yaml` rules.
    #[arg(long = "rules", value_name = "PATH")]
    rules: Vec<PathBuf>,
    /// Write the report to this file instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Exit with 0 even when there are findings.
    #[arg(long)]
    exit_zero: bool,
    /// Never show a progress bar.
    #[arg(long)]
    no_progress: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("pyward: error: {msg}");
            ExitCode::from(2)
        }
    }
}

fn load_engine(extra: &[PathBuf]) -> Result<Engine, String> {
    let mut engine = Engine::builtin().map_err(|e| format!("built-in rules: {e}"))?;
    for p in extra {
        let mut files = Vec::new();
        if p.is_dir() {
            for entry in ignore::WalkBuilder::new(p).build().flatten() {
                let path = entry.path();
                if path.extension().is_some_and(|x| x == "yaml" || x == "yml") {
                    files.push(path.to_path_buf());
                }
            }
            files.sort();
        } else {
            files.push(p.clone());
        }
        for f in files {
            let text = std::fs::read_to_string(&f).map_err(|e| format!("{}: cannot read rule file: {e}", f.display()))?;
            engine.add_rules_yaml(&f.display().to_string(), &text).map_err(|e| e.to_string())?;
        }
    }
    Ok(engine)
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    match cli.command {
        Command::Rules { rules } => {
            let engine = load_engine(&rules)?;
            let mut out = String::new();
            for r in engine.rules() {
                let m = &r.meta;
                let eq: Vec<String> = m.bandit.iter().chain(m.ruff.iter()).cloned().collect();
                out.push_str(&format!(
                    "{:<40} {:<8} {:<16} CWE-{:<5} {}{}\n",
                    m.id,
                    m.severity.upper(),
                    m.family,
                    m.cwe.map(|c| c.to_string()).unwrap_or_else(|| "-".into()),
                    m.title,
                    if eq.is_empty() { String::new() } else { format!(" [{}]", eq.join(", ")) }
                ));
            }
            out.push_str(&format!("{} rules\n", engine.rules().len()));
            print_out(&out)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain { rule, rules } => {
            let engine = load_engine(&rules)?;
            let r = engine.rule(&rule).ok_or_else(|| format!("unknown rule `{rule}` (see `pyward rules`)"))?;
            print_out(&explain(&r.meta))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Scan(args) => scan(args),
    }
}

fn print_out(s: &str) -> Result<(), String> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(s.as_bytes()) {
        Ok(()) => Ok(()),
        // A closed pipe (`pyward rules | head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("cannot write output: {e}")),
    }
}

fn explain(m: &RuleMeta) -> String {
    let mut s = format!("{} — {}\n\n", m.id, m.title);
    s.push_str(&format!("Severity: {}   Confidence: {}   Family: {}\n", m.severity.upper(), m.confidence.as_str(), m.family));
    if let Some(c) = m.cwe {
        s.push_str(&format!("CWE-{c}{}\n", m.cwe_title.as_ref().map(|t| format!(": {t}")).unwrap_or_default()));
    }
    if let Some(o) = &m.owasp {
        s.push_str(&format!("OWASP: {o}\n"));
    }
    if !m.bandit.is_empty() || !m.ruff.is_empty() {
        s.push_str(&format!("Equivalents: Bandit {} · Ruff {}\n", m.bandit.join(", "), m.ruff.join(", ")));
    }
    s.push('\n');
    s.push_str(m.docs.trim_end());
    s.push('\n');
    if let Some(r) = &m.remediation {
        s.push_str(&format!("\n## Remediation\nBefore:\n{}\n\nAfter:\n{}\n", r.before, r.after));
    }
    s
}

fn collect_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<FileError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if p.is_file() {
            files.push(p.clone());
            continue;
        }
        if !p.exists() {
            errors.push(FileError { path: p.display().to_string(), message: "no such file or directory".into(), line: None, column: None });
            continue;
        }
        for entry in ignore::WalkBuilder::new(p).hidden(false).require_git(false).build() {
            match entry {
                Ok(e) => {
                    let path = e.path();
                    if e.file_type().is_some_and(|t| t.is_file()) && path.extension().is_some_and(|x| x == "py" || x == "pyw") {
                        files.push(path.to_path_buf());
                    }
                }
                Err(e) => errors.push(FileError { path: p.display().to_string(), message: e.to_string(), line: None, column: None }),
            }
        }
    }
    files.sort();
    files.dedup();
    (files, errors)
}

fn display_path(p: &Path) -> String {
    let s = p.display().to_string();
    s.strip_prefix("./").unwrap_or(&s).to_string()
}

fn scan(args: ScanArgs) -> Result<ExitCode, String> {
    let engine = load_engine(&args.rules)?;
    let opts = Options {
        min_severity: match args.min_severity {
            SevArg::Low => Severity::Low,
            SevArg::Medium => Severity::Medium,
            SevArg::High => Severity::High,
            SevArg::Critical => Severity::Critical,
        },
        min_confidence: match args.min_confidence {
            ConfArg::Low => Confidence::Low,
            ConfArg::Medium => Confidence::Medium,
            ConfArg::High => Confidence::High,
        },
        select: args.select.clone(),
        ignore: args.ignore.clone(),
    };
    for sel in args.select.iter().chain(args.ignore.iter()) {
        let known = engine.rules().iter().any(|r| {
            let m = &r.meta;
            &m.id == sel || &m.family == sel || m.bandit.contains(sel) || m.ruff.contains(sel)
        });
        if !known {
            return Err(format!("`{sel}` names no rule, family, Bandit id or Ruff code (see `pyward rules`)"));
        }
    }
    let (files, walk_errors) = collect_files(&args.paths);
    let show_progress = !args.no_progress && files.len() > 20 && std::io::stderr().is_terminal();
    let bar = if show_progress {
        let b = indicatif::ProgressBar::new(files.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template("{spinner} scanning [{bar:30}] {pos}/{len} files {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        Some(b)
    } else {
        None
    };
    // Workers take the next file from a shared counter and block only when the list is done:
    // no idle spinning, so the CPU time is the analysis itself.
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let scan_one = |f: &PathBuf| {
        let path = display_path(f);
        let r = match std::fs::read(f) {
            Ok(bytes) => engine.check_bytes(&path, &bytes, &opts),
            Err(e) => FileResult {
                path: path.clone(),
                errors: vec![FileError { path: path.clone(), message: format!("cannot read file: {e}"), line: None, column: None }],
                ..FileResult::default()
            },
        };
        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(b) = &bar {
            b.set_position(n as u64);
        }
        r
    };
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(files.len()).max(1);
    let mut slots: Vec<(usize, FileResult)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(f) = files.get(i) else { break };
                        mine.push((i, scan_one(f)));
                    }
                    mine
                })
            })
            .collect();
        // The engine does not panic on any input; if it ever did, the panic is passed on.
        handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    });
    slots.sort_unstable_by_key(|(i, _)| *i);
    let mut results: Vec<FileResult> = slots.into_iter().map(|(_, r)| r).collect();
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if !walk_errors.is_empty() {
        results.push(FileResult { path: String::new(), errors: walk_errors, no_code: true, ..FileResult::default() });
    }
    let metas: Vec<&RuleMeta> = engine
        .rules()
        .iter()
        .map(|r| &r.meta)
        .filter(|m| opts.rule_enabled(m) && m.severity >= opts.min_severity && m.confidence >= opts.min_confidence)
        .collect();
    let mut report = Report::new(results, &metas);
    report.summary.files = files.len();
    let text = match args.format {
        Format::Text => report.to_text(),
        Format::Json => report.to_json() + "\n",
        Format::Sarif => report.to_sarif(&metas) + "\n",
        Format::Markdown => report.to_markdown(&metas),
    };
    match &args.output {
        Some(path) => std::fs::write(path, text).map_err(|e| format!("{}: cannot write report: {e}", path.display()))?,
        None => print_out(&text)?,
    }
    let io_errors = report.errors.iter().any(|e| e.line.is_none());
    if !report.findings.is_empty() && !args.exit_zero {
        Ok(ExitCode::from(1))
    } else if io_errors && !args.exit_zero {
        Ok(ExitCode::from(2))
    } else {
        Ok(ExitCode::SUCCESS)
    }
}
