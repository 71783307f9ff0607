//! `pyward`: scan Python files for security issues.

use std::collections::HashMap;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

mod config;
mod excludes;
mod baseline;
mod fix;
mod deps;
mod project;
mod ruletest;
mod terminal;
mod review;

use clap::{Parser, Subcommand, ValueEnum};
use pyward_engine::report::{escape_control, Report};
use pyward_engine::{Engine, FileError, FileResult, Options, RuleMeta, MAX_FILE_BYTES};
use pyward_engine::rules::is_opt_in;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The exit codes, as `--help` shows them.
const EXIT_CODES: &str = "Exit codes:
  0  no finding at or above the thresholds, and every input analysed
  1  findings (0 with --exit-zero)
  2  errors: an input could not be read or parsed (even with findings or --exit-zero),
     or a usage or rule error";

#[derive(Parser)]
#[command(name = "pyward", version = deps::version_line(), about = "A fast security analyzer for Python", after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Colour the output: `auto` on a terminal unless NO_COLOR is set.
    #[arg(long, global = true, value_enum, default_value = "auto")]
    color: terminal::ColorChoice,
}

/// The exit codes of `pyward test`, as its `--help` shows them.
const TEST_EXIT_CODES: &str = "Exit codes:
  0  every rule passed its test file
  1  a rule failed (a line flagged or missed against its annotation)
  2  a usage error or no rule file to test";

#[derive(Subcommand)]
enum Command {
    /// Scan files and directories (recursively, honouring .gitignore, the configuration and the
    /// default excludes) for security issues.
    #[command(after_help = EXIT_CODES)]
    Scan(ScanArgs),
    /// List the rules.
    Rules {
        /// Extra rule files or directories to load as well.
        #[arg(long = "rules", value_name = "PATH")]
        rules: Vec<PathBuf>,
        /// `text` (a table) or `json` (an array of rules, for tools).
        #[arg(long, value_enum, default_value = "text")]
        format: RulesFormat,
    },
    /// Print a rule's documentation, rendered for a terminal.
    Explain {
        /// The rule id, e.g. sql-injection-format.
        rule: String,
        #[arg(long = "rules", value_name = "PATH")]
        rules: Vec<PathBuf>,
        /// Print the docs as written (Markdown) instead.
        #[arg(long)]
        markdown: bool,
    },
    /// Print the configuration in force for a path: the file it comes from and each key's value.
    Config {
        /// The file or directory (default: the current directory).
        path: Option<PathBuf>,
        #[command(flatten)]
        conf: config::ConfigArgs,
    },
    /// Test rule files: each `.yaml` under PATH runs against the annotated `.py` file of the
    /// same name beside it (`# ruleid:`, `# ok:`, `# todoruleid:`, `# todook:`, as `semgrep --test`).
    #[command(after_help = TEST_EXIT_CODES)]
    Test {
        /// Rule files or directories of rule files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum RulesFormat {
    Text,
    Json,
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
    /// Files or directories to scan; `-` reads standard input.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The file name reports show for standard input (`-`).
    #[arg(long, value_name = "NAME", default_value = "<stdin>")]
    stdin_filename: String,
    /// The report format [default: text, or the configuration's `format`].
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Report only findings at or above this severity [default: low, or `min-severity`].
    #[arg(long, value_enum)]
    min_severity: Option<SevArg>,
    /// Report only findings at or above this confidence [default: low, or `min-confidence`].
    #[arg(long, value_enum)]
    min_confidence: Option<ConfArg>,
    /// Run only these rules (ids, families, Bandit ids or Ruff codes; comma-separated).
    /// Opt-in families (`naming`) run only when named here or in --extend-select.
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Run these rules as well as the selected ones, e.g. `--extend-select naming` adds the
    /// opt-in naming policy to the default rules.
    #[arg(long, value_delimiter = ',')]
    extend_select: Vec<String>,
    /// Skip these rules (ids, families, Bandit ids or Ruff codes; comma-separated).
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Extra rule files or directories of `.yaml` rules.
    #[arg(long = "rules", value_name = "PATH")]
    rules: Vec<PathBuf>,
    /// Write the report to this file instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Write a review into this directory (with `--format markdown`): the report
    /// `security-analysis-YYYY-MM-DD.md` and one file per finding in
    /// `security-analysis-YYYY-MM-DD/` (the date is today's, or SOURCE_DATE_EPOCH's).
    #[arg(long, value_name = "DIR", conflicts_with = "output")]
    output_dir: Option<PathBuf>,
    /// Exit with 0 even when there are findings (errors still exit with 2).
    #[arg(long)]
    exit_zero: bool,
    /// Never show a progress bar.
    #[arg(long)]
    no_progress: bool,
    /// Report only the findings not in this baseline (written by --write-baseline).
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Write today's findings to FILE as a baseline (before --baseline filters them).
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Print the number of findings per rule instead of the findings (text or json).
    #[arg(long)]
    statistics: bool,
    /// Print the findings (and errors) only: no summary, no notes on standard error.
    #[arg(long, short)]
    quiet: bool,
    #[command(flatten)]
    conf: config::ConfigArgs,
    /// Apply the safe fixes in place (the report then shows what remains).
    #[arg(long)]
    fix: bool,
    /// Print the fixes as a unified diff instead of writing them (exit 1 when there is one).
    #[arg(long)]
    diff: bool,
    /// With --fix or --diff: apply the unsafe fixes too (they may change behaviour).
    #[arg(long)]
    unsafe_fixes: bool,
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
        add_rules(&mut engine, p)?;
    }
    Ok(engine)
}

/// Loads a rule file, or the `.yaml` rule files under a directory.
fn add_rules(engine: &mut Engine, p: &Path) -> Result<(), String> {
    for f in rule_files(p) {
        let text = std::fs::read_to_string(&f).map_err(|e| format!("{}: cannot read rule file: {e}", f.display()))?;
        let before = engine.rule_notices().len();
        engine.add_rules_yaml(&f.display().to_string(), &text).map_err(|e| e.to_string())?;
        // A rule that replaced another of the same id, options pyward ignores: said once, here.
        for n in &engine.rule_notices()[before..] {
            eprintln!("pyward: note: {n}");
        }
    }
    Ok(())
}

/// The rule files under `p`: `p` itself, or the `.yaml` and `.yml` files of a directory
/// (honouring .gitignore), sorted.
pub(crate) fn rule_files(p: &Path) -> Vec<PathBuf> {
    if !p.is_dir() {
        return vec![p.to_path_buf()];
    }
    let mut files: Vec<PathBuf> = ignore::WalkBuilder::new(p)
        .build()
        .flatten()
        .map(|e| e.into_path())
        .filter(|path| path.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    files.sort();
    files
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    let paint = terminal::Paint::new(cli.color.enabled(std::io::stdout().is_terminal()));
    match cli.command {
        Command::Rules { rules, format: RulesFormat::Json } => {
            let engine = load_engine(&rules)?;
            let list: Vec<serde_json::Value> = engine.rules().iter().map(|r| rule_json(&r.meta)).collect();
            print_out(&(serde_json::to_string_pretty(&list).map_err(|e| e.to_string())? + "\n"))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Rules { rules, format: RulesFormat::Text } => {
            let engine = load_engine(&rules)?;
            let mut out = String::new();
            for r in engine.rules() {
                let m = &r.meta;
                let eq: Vec<String> = m.bandit.iter().chain(m.ruff.iter()).cloned().collect();
                out.push_str(&format!(
                    "{:<40} {:<8} {:<16} CWE-{:<5} {}{}{}\n",
                    m.id,
                    m.severity.upper(),
                    m.family,
                    m.cwe.map(|c| c.to_string()).unwrap_or_else(|| "-".into()),
                    m.title,
                    if eq.is_empty() { String::new() } else { format!(" [{}]", eq.join(", ")) },
                    if is_opt_in(&m.family) { " (opt-in)" } else { "" }
                ));
            }
            let opt_in = engine.rules().iter().filter(|r| is_opt_in(&r.meta.family)).count();
            out.push_str(&format!("{} rules ({opt_in} opt-in, off unless selected)\n", engine.rules().len()));
            print_out(&out)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain { rule, rules, markdown } => {
            let engine = load_engine(&rules)?;
            let r = engine.rule(&rule).ok_or_else(|| format!("unknown rule `{rule}` (see `pyward rules`)"))?;
            let md = explain(&r.meta);
            print_out(&if markdown { md } else { terminal::render_markdown(&md, paint) })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Test { paths } => {
            let mut out = String::new();
            let passed = ruletest::run(&paths, &mut out)?;
            print_out(&out)?;
            Ok(if passed { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Command::Scan(args) => scan(args, paint),
        Command::Config { path, conf } => show_config(path.as_deref().unwrap_or(Path::new(".")), &conf),
    }
}

/// `pyward config [PATH]`: checks the configuration in force for `path` (its rule selectors
/// against the rules, its own `rules` loaded) and prints it.
fn show_config(path: &Path, conf: &config::ConfigArgs) -> Result<ExitCode, String> {
    let resolver = config::Resolver::new(conf)?;
    let text = config::describe(&resolver, path);
    resolver.check()?;
    let mut engine = load_engine(&[])?;
    let all = resolver.all();
    config::RuleScopes::load(&mut engine, &[], &all, add_rules)?;
    check_config_selectors(&engine, &all)?;
    print_out(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// Whether `sel` names a rule, a family, a Bandit id or a Ruff code.
fn known_selector(engine: &Engine, sel: &str) -> bool {
    engine.rules().iter().any(|r| {
        let m = &r.meta;
        m.id == sel || m.family == sel || m.bandit.iter().any(|b| b == sel) || m.ruff.iter().any(|r| r == sel)
    })
}

fn check_config_selectors(engine: &Engine, all: &[Arc<config::Settings>]) -> Result<(), String> {
    all.iter().try_for_each(|s| s.check_selectors(|sel| known_selector(engine, sel)))
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

/// A rule for `pyward rules --format json`.
fn rule_json(m: &RuleMeta) -> serde_json::Value {
    serde_json::json!({
        "id": m.id,
        "title": m.title,
        "severity": m.severity.as_str(),
        "confidence": m.confidence.as_str(),
        "family": m.family,
        "cwe": m.cwe,
        "owasp": m.owasp,
        "bandit": m.bandit,
        "ruff": m.ruff,
        "opt_in": is_opt_in(&m.family),
        "source": m.source,
    })
}

/// A rule's documentation as Markdown: its metadata, docs and remediation.
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
        s.push_str(&format!("\n## Remediation\nBefore:\n```python\n{}\n```\n\nAfter:\n```python\n{}\n```\n", r.before.trim_end(), r.after.trim_end()));
    }
    s
}

/// What the walk found: files to scan (sorted, each file once), errors, and inputs skipped on
/// purpose with the reason (printed on standard error).
#[derive(Default)]
struct Collected {
    files: Vec<PathBuf>,
    errors: Vec<FileError>,
    skipped: Vec<(PathBuf, String)>,
}

fn io_error(path: &Path, message: String) -> FileError {
    FileError { path: display_path(path), message, line: None, column: None }
}

/// The files to scan under `paths` (`-`, standard input, excepted). A file named on the
/// command line is scanned whatever its name (unless `--force-exclude` and an exclude matches
/// it); directories are walked (honouring .gitignore and the excludes) for `.py` and `.pyw`
/// files (and `.pyi` stubs if asked for), following symbolic links. A file reached twice
/// (through a link) is scanned once; link loops are skipped.
fn collect_files(paths: &[PathBuf], resolver: &Arc<config::Resolver>) -> Collected {
    let mut found: Vec<PathBuf> = Vec::new();
    let mut c = Collected::default();
    for p in paths.iter().filter(|p| p.as_os_str() != "-") {
        if let Some(why) = force_excluded(p, resolver) {
            c.skipped.push((p.clone(), why));
            continue;
        }
        match std::fs::metadata(p) {
            Err(e) => c.errors.push(io_error(p, format!("cannot read: {e}"))),
            Ok(m) if m.is_file() => found.push(p.clone()),
            Ok(m) if m.is_dir() => walk_dir(p, &mut found, &mut c, resolver),
            Ok(m) => c.errors.push(io_error(
                p,
                format!("not a regular file or directory ({}); use `-` to scan standard input", file_kind(&m.file_type())),
            )),
        }
    }
    found.sort();
    found.dedup();
    // Each file once, by its canonical path: the first name in sorted order is kept.
    let mut seen: HashMap<PathBuf, PathBuf> = HashMap::new();
    for f in found {
        let key = std::fs::canonicalize(&f).unwrap_or_else(|_| f.clone());
        match seen.get(&key) {
            Some(first) => c.skipped.push((f, format!("same file as {}", display_path(first)))),
            None => {
                seen.insert(key, f.clone());
                c.files.push(f);
            }
        }
    }
    c
}

/// Why a path named on the command line is left out: `--force-exclude` (or the
/// `force-exclude` key) and an exclude matching it or a directory above it.
fn force_excluded(p: &Path, resolver: &config::Resolver) -> Option<String> {
    let abs = resolver.absolute(p);
    let s = resolver.for_file(&abs);
    let pattern = s.excludes.matching_named(&abs, &s.root).filter(|_| s.force_exclude)?;
    Some(format!("excluded by `{pattern}` (--force-exclude)"))
}

/// Walks a directory for Python files into `found`.
fn walk_dir(dir: &Path, found: &mut Vec<PathBuf>, c: &mut Collected, resolver: &Arc<config::Resolver>) {
    let walk = ignore::WalkBuilder::new(dir)
        .hidden(false)
        .require_git(false)
        .follow_links(true)
        .filter_entry(excludes::walk_filter(resolver.clone()))
        .build();
    for entry in walk {
        match entry {
            Ok(e) => {
                let path = e.path();
                if e.file_type().is_some_and(|t| t.is_file())
                    && (is_python(path) || excludes::is_stub(path) || Engine::is_dependency_file(&path.to_string_lossy()))
                {
                    found.push(path.to_path_buf());
                }
            }
            Err(e) => match walk_skip(&e) {
                Some(Skip::Loop(child)) => c.skipped.push((child.to_path_buf(), "symbolic link loop (a directory that contains itself)".into())),
                Some(Skip::Broken(link)) if is_python(link) => c.skipped.push((link.to_path_buf(), "broken symbolic link".into())),
                Some(Skip::Broken(_)) => {}
                None => c.errors.push(io_error(dir, e.to_string())),
            },
        }
    }
}

fn is_python(path: &Path) -> bool {
    path.extension().is_some_and(|x| x == "py" || x == "pyw")
}

/// A walk error that only means a symbolic link leads nowhere useful.
enum Skip<'e> {
    /// The link of a loop the walker refused to enter.
    Loop(&'e Path),
    /// A link whose target does not exist.
    Broken(&'e Path),
}

fn walk_skip(e: &ignore::Error) -> Option<Skip<'_>> {
    // Each wrapper holds one error; a handful of levels at most.
    let mut e = e;
    let mut at = None;
    for _ in 0..8 {
        match e {
            ignore::Error::Loop { child, .. } => return Some(Skip::Loop(child)),
            ignore::Error::WithPath { path, err } => {
                at = Some(path.as_path());
                e = err;
            }
            ignore::Error::WithDepth { err, .. } => e = err,
            ignore::Error::Io(io) if io.kind() == std::io::ErrorKind::NotFound => {
                let link = at?;
                return link.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink()).then_some(Skip::Broken(link));
            }
            _ => return None,
        }
    }
    None
}

/// What kind of file this is, for an error message.
fn file_kind(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    let _ = t;
    "a special file"
}

/// Reads at most `MAX_FILE_BYTES + 1` bytes; more is refused without reading it all.
fn read_limited(r: impl Read) -> Result<Vec<u8>, String> {
    let mut buf = Vec::new();
    r.take(MAX_FILE_BYTES as u64 + 1).read_to_end(&mut buf).map_err(|e| format!("cannot read: {e}"))?;
    if buf.len() > MAX_FILE_BYTES {
        return Err(format!("file is over the {MAX_FILE_BYTES} byte limit; it was not analysed"));
    }
    Ok(buf)
}

/// A source file's bytes; a file over the size limit (by its metadata) is not read at all.
fn read_source(path: &Path) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read file: {e}"))?;
    let meta = file.metadata().map_err(|e| format!("cannot read file: {e}"))?;
    if !meta.is_file() {
        return Err(format!("not a regular file ({})", file_kind(&meta.file_type())));
    }
    if meta.len() > MAX_FILE_BYTES as u64 {
        return Err(format!("file is {} bytes, over the {MAX_FILE_BYTES} byte limit; it was not analysed", meta.len()));
    }
    read_limited(file)
}

/// Scans one source text; a read error becomes the file's error.
fn check_read(engine: &Engine, path: String, bytes: Result<Vec<u8>, String>, opts: &Options) -> FileResult {
    match bytes {
        Ok(bytes) => engine.check_bytes(&path, &bytes, opts),
        Err(message) => FileResult {
            errors: vec![FileError { path: path.clone(), message, line: None, column: None }],
            path,
            ..FileResult::default()
        },
    }
}

/// File `i` of the scan (`f`) analysed, in the project `linked` when there is one.
fn analyse_file(engine: &Engine, linked: Option<&project::Scan>, i: usize, f: &Path, opts: &Options) -> FileResult {
    let path = display_path(f);
    match linked {
        Some(scan) => scan.check(engine, i, &path, opts).unwrap_or_else(|| check_read(engine, path, read_source(f), opts)),
        None => check_read(engine, path, read_source(f), opts),
    }
}

/// The name reports show for a path: without a leading `./`; bytes that are not UTF-8 are
/// written `\xNN` (the raw name goes to [`Report::raw_paths`]).
fn display_path(p: &Path) -> String {
    let s = match p.to_str() {
        Some(s) => s.to_string(),
        None => {
            let mut s = String::new();
            for chunk in p.as_os_str().as_encoded_bytes().utf8_chunks() {
                s.push_str(chunk.valid());
                for b in chunk.invalid() {
                    s.push_str(&format!("\\x{b:02x}"));
                }
            }
            s
        }
    };
    // On Windows `\` separates directories; elsewhere it is part of a name and stays.
    #[cfg(windows)]
    let s = s.replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// Refuses an `--output` that is one of the inputs (it would overwrite the source).
fn check_output(output: &Path, files: &[PathBuf]) -> Result<(), String> {
    let Ok(out) = std::fs::canonicalize(output) else { return Ok(()) };
    match files.iter().find(|f| std::fs::canonicalize(f).is_ok_and(|c| c == out)) {
        Some(f) => Err(format!("--output {} is the input file {}; refusing to overwrite it", output.display(), display_path(f))),
        None => Ok(()),
    }
}

/// The exit code of a scan. Errors win over findings: a scan that missed something must not
/// look complete.
fn exit_code(report: &Report, exit_zero: bool) -> ExitCode {
    if !report.errors.is_empty() {
        ExitCode::from(2)
    } else if !report.findings.is_empty() && !exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn scan(mut args: ScanArgs, paint: terminal::Paint) -> Result<ExitCode, String> {
    let resolver = Arc::new(config::Resolver::new(&args.conf)?);
    let Collected { files, errors: walk_errors, skipped } = collect_files(&args.paths, &resolver);
    // Dependency files (by name, walked or named) go to the dependency audit, not the parser.
    let (dep_files, files): (Vec<PathBuf>, Vec<PathBuf>) = files.into_iter().partition(|f| Engine::is_dependency_file(&f.to_string_lossy()));
    let stdin = args.paths.iter().any(|p| p.as_os_str() == "-");
    // Each file's configuration (standard input's by its --stdin-filename), then the rules.
    let mut targets: Vec<PathBuf> = files.iter().map(|f| resolver.absolute(f)).collect();
    if stdin {
        targets.push(resolver.absolute(Path::new(&args.stdin_filename)));
    }
    targets.iter().for_each(|t| drop(resolver.for_file(t)));
    let global = resolver.global();
    resolver.check()?;
    let all = resolver.all();
    let mut engine = load_engine(&[])?;
    let scopes = config::RuleScopes::load(&mut engine, &args.rules, &all, add_rules)?;
    // The data (an index of 15,000 names, 2,651 advisories) is loaded only when it is needed.
    if !dep_files.is_empty() {
        deps::load_data(&mut engine);
    }
    if let Some(sel) = args.select.iter().chain(&args.extend_select).chain(&args.ignore).find(|s| !known_selector(&engine, s)) {
        return Err(format!("`{sel}` names no rule, family, Bandit id or Ruff code (see `pyward rules`)"));
    }
    check_config_selectors(&engine, &all)?;
    let flags = config::RuleFlags {
        select: &args.select,
        extend_select: &args.extend_select,
        ignore: &args.ignore,
        min_severity: args.min_severity.map(Into::into),
        min_confidence: args.min_confidence.map(Into::into),
    };
    let plan = config::Plan::new(&resolver, &targets, &flags, &scopes);
    let format = args.format.or(global.keys.format.map(|c| c.0)).unwrap_or(Format::Text);
    args.baseline = args.baseline.take().or_else(|| global.baseline());
    if args.statistics && !matches!(format, Format::Text | Format::Json) {
        return Err("--statistics prints text or json (--format text or --format json)".into());
    }
    if args.unsafe_fixes && !(args.fix || args.diff) {
        return Err("--unsafe-fixes applies with --fix or --diff".into());
    }
    if args.fix && !args.diff && stdin {
        return Err("--fix cannot write standard input back; use --diff".into());
    }
    if args.output_dir.is_some() && !matches!(format, Format::Markdown) {
        return Err("--output-dir writes a Markdown review: add `--format markdown`".into());
    }
    let known = args.baseline.as_deref().map(baseline::Baseline::read).transpose()?;
    let opts = &plan.global;
    for out in args.output.iter().chain(&args.write_baseline) {
        check_output(out, &files)?;
        check_output(out, &dep_files)?;
    }
    for (path, why) in skipped.iter().filter(|_| !args.quiet) {
        eprintln!("pyward: skipped {}: {why}", escape_control(&display_path(path)));
    }
    let show_progress = !args.no_progress && !args.quiet && files.len() > 20 && std::io::stderr().is_terminal();
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
    // Several files: a function one imports from another gets its summary there (pass 1).
    let roots: Vec<PathBuf> = args.paths.iter().filter(|p| p.is_dir()).cloned().collect();
    let linked = project::build(&engine, &files, &roots, opts, read_source, display_path);
    let done = AtomicUsize::new(0);
    let scan_one = |i: usize, f: &PathBuf| {
        let r = analyse_file(&engine, linked.as_ref(), i, f, plan.for_file(i));
        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(b) = &bar {
            b.set_position(n as u64);
        }
        r
    };
    let mut results: Vec<FileResult> = project::par_map(&files, scan_one);
    // A base settings module's missing settings that the modules built on it add.
    project::settings_inherited(&engine, &files, &roots, &mut results, read_source);
    let (dep_results, declared) = deps::scan(&engine, &dep_files, &opts, read_source, display_path);
    if !dep_results.is_empty() {
        for note in deps::data_notes(deps::today_days()) {
            eprintln!("{note}");
        }
        // The imports no declared dependency provides get the typosquat check too.
        for (r, found) in results.iter_mut().zip(deps::import_findings(&engine, &files, &declared, &opts, read_source, display_path)) {
            r.findings.extend(found);
        }
    }
    let dep_count = dep_results.len();
    results.extend(dep_results);
    let mut stdin_text = None;
    if stdin {
        let bytes = read_limited(std::io::stdin().lock());
        stdin_text = bytes.as_ref().ok().and_then(|b| String::from_utf8(b.clone()).ok());
        results.insert(0, check_read(&engine, args.stdin_filename.clone(), bytes, plan.for_file(files.len())));
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let fixes = if args.fix || args.diff {
        let policy = fix::Policy::new(&engine, args.unsafe_fixes);
        let scanned = fix::Scanned { files: &files, roots: &roots, stdin: stdin_text.as_deref(), results: &mut results };
        Some(fix::run(&engine, &opts, &policy, scanned, !args.diff)?)
    } else {
        None
    };
    if let Some(summary) = fixes.as_ref().filter(|_| args.diff) {
        return fix::print_diff(summary, results.iter().flat_map(|r| &r.errors).chain(&walk_errors));
    }
    if !walk_errors.is_empty() {
        results.push(FileResult { path: String::new(), errors: walk_errors, no_code: true, ..FileResult::default() });
    }
    let metas: Vec<&RuleMeta> = engine
        .rules()
        .iter()
        .map(|r| &r.meta)
        .filter(|m| plan.reports(m))
        .collect();
    if let Some(path) = &args.write_baseline {
        baseline::write(path, &Report::new(results.clone(), &metas))?;
    }
    if let Some(known) = &known {
        let hidden = known.filter(&mut results);
        if hidden > 0 && !args.quiet {
            eprintln!("pyward: {hidden} finding(s) in the baseline not shown");
        }
    }
    let mut report = Report::new(results, &metas);
    report.summary.files = files.len() + dep_count + usize::from(stdin);
    report.raw_paths = files.iter().filter(|f| f.to_str().is_none()).map(|f| (display_path(f), f.as_os_str().as_encoded_bytes().to_vec())).collect();
    if let Some(dir) = &args.output_dir {
        let scope: Vec<String> =
            args.paths.iter().map(|p| if p.as_os_str() == "-" { args.stdin_filename.clone() } else { display_path(p) }).collect();
        let (path, n) = review::write_review(dir, &report, &metas, &scope)?;
        eprintln!("pyward: wrote {} and {n} finding file(s)", escape_control(&display_path(&path)));
        return Ok(exit_code(&report, args.exit_zero));
    }
    // The report is written as it is formatted (JSON) or in one piece, through a buffer.
    // Colour goes to a terminal, never into a file.
    let paint = if args.output.is_some() { terminal::Paint::new(false) } else { paint };
    let write = |w: &mut dyn Write| -> std::io::Result<()> {
        let mut w = std::io::BufWriter::with_capacity(1 << 16, w);
        match format {
            Format::Text if args.statistics => w.write_all(terminal::statistics_text(&report, paint).as_bytes())?,
            Format::Json if args.statistics => w.write_all(terminal::statistics_json(&report).as_bytes())?,
            Format::Text if args.quiet => w.write_all(terminal::color_text(&report.findings_text(), paint).as_bytes())?,
            Format::Text => w.write_all(terminal::color_text(&report.to_text(), paint).as_bytes())?,
            Format::Json => report.write_json(&mut w)?,
            Format::Sarif => w.write_all((report.to_sarif(&metas) + "\n").as_bytes())?,
            Format::Markdown => w.write_all(report.to_markdown(&metas).as_bytes())?,
        }
        w.flush()
    };
    match &args.output {
        Some(path) => std::fs::File::create(path)
            .and_then(|mut f| write(&mut f))
            .map_err(|e| format!("{}: cannot write report: {e}", path.display()))?,
        None => match write(&mut std::io::stdout().lock()) {
            // A closed pipe (`pyward scan . | head`) is not an error.
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => return Err(format!("cannot write output: {e}")),
            _ => {}
        },
    }
    if let Some(summary) = &fixes {
        eprint!("{}", summary.message(true, report.findings.len()));
    }
    let code = exit_code(&report, args.exit_zero);
    // The process ends now: the operating system takes the memory back at once, while freeing
    // the report's findings one by one cost 2% of a large scan's CPU.
    std::mem::forget(report);
    Ok(code)
}
