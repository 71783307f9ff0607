//! Configuration files: a `pyward.toml` (top-level keys) or a `pyproject.toml` with a
//! `[tool.pyward]` table, found as Ruff finds its own (the nearest one at or above each file's
//! directory; `--config FILE` for every file), with the command line's flags layered over it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use clap::ValueEnum;
use pyward_engine::{Confidence, Engine, Options, Severity};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use toml::de::{DeTable, DeValue, ValueDeserializer};
use toml::Spanned;

use crate::excludes::{absolute, Excludes, Globs, DEFAULT_EXCLUDES};
use crate::{ConfArg, Format, SevArg};

/// The files a directory's configuration is looked for in, in this order: a `pyward.toml`
/// wins over a `pyproject.toml` beside it (as Ruff's `ruff.toml` wins over `pyproject.toml`);
/// a `pyproject.toml` without `[tool.pyward]` is passed over.
pub const FILE_NAMES: [&str; 2] = ["pyward.toml", "pyproject.toml"];

/// Configuration files larger than this are refused (a config is a few hundred bytes).
const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// The flags that choose the configuration and the files (`scan` and `config` take them).
#[derive(clap::Args, Clone, Default)]
pub struct ConfigArgs {
    /// Use this configuration file for every path, instead of the nearest `pyward.toml` or
    /// `pyproject.toml` with a `[tool.pyward]` table.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Leave out paths matching these globs (comma-separated), instead of the configured
    /// `exclude` or the default excludes (.git, .venv, venv, build, dist, ...).
    #[arg(long, value_delimiter = ',', value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Leave out paths matching these globs as well (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "GLOB")]
    pub extend_exclude: Vec<String>,
    /// Apply the excludes to paths named on the command line too (for pre-commit, which names
    /// every changed file).
    #[arg(long)]
    pub force_exclude: bool,
    /// Scan the `.pyi` stub files found in directories (skipped otherwise).
    #[arg(long)]
    pub include_stubs: bool,
}

/// A command-line choice (`min-severity = "high"`), checked as clap checks the flag.
#[derive(Clone, Copy)]
pub struct Choice<T>(pub T);

impl<'de, T: ValueEnum> Deserialize<'de> for Choice<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        T::from_str(&s, false)
            .map(Choice)
            .map_err(|_| D::Error::custom(format!("`{s}` is not one of: {}", choice_names::<T>().join(", "))))
    }
}

fn choice_names<T: ValueEnum>() -> Vec<String> {
    T::value_variants().iter().filter_map(|v| v.to_possible_value()).map(|p| p.get_name().to_string()).collect()
}

/// The name of a choice as the command line spells it.
pub fn choice_name<T: ValueEnum>(v: &T) -> String {
    v.to_possible_value().map(|p| p.get_name().to_string()).unwrap_or_default()
}

/// The keys of a configuration, as written (each optional). An unknown key is an error.
#[derive(Deserialize, Default, Clone)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Keys {
    pub select: Option<Vec<String>>,
    pub extend_select: Option<Vec<String>>,
    pub ignore: Option<Vec<String>>,
    pub exclude: Option<Vec<String>>,
    pub extend_exclude: Option<Vec<String>>,
    pub per_file_ignores: Option<BTreeMap<String, Vec<String>>>,
    pub min_severity: Option<Choice<SevArg>>,
    pub min_confidence: Option<Choice<ConfArg>>,
    pub rules: Option<Vec<PathBuf>>,
    pub format: Option<Choice<Format>>,
    pub baseline: Option<PathBuf>,
    pub force_exclude: Option<bool>,
    pub include_stubs: Option<bool>,
}

/// The file a configuration was read from, with the line of each key.
pub struct Source {
    pub file: PathBuf,
    /// `[tool.pyward]` in a `pyproject.toml` (else top-level keys of a `pyward.toml`).
    pub pyproject: bool,
    lines: HashMap<String, usize>,
}

impl Source {
    /// `FILE:LINE: key `KEY`` for messages about a key.
    pub fn at(&self, key: &str) -> String {
        match self.lines.get(key) {
            Some(line) => format!("{}:{line}: key `{key}`", self.file.display()),
            None => format!("{}: key `{key}`", self.file.display()),
        }
    }

    /// The line a key is set on (for `pyward config`).
    pub fn line(&self, key: &str) -> Option<usize> {
        self.lines.get(key).copied()
    }
}

/// One line number per byte offset of `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).map_or(0, |t| t.matches('\n').count()) + 1
}

/// Reads a configuration file: `None` for a `pyproject.toml` without `[tool.pyward]`. Errors
/// name the file, the line, the key and the reason.
pub fn read(file: &Path) -> Result<Option<(Source, Keys)>, String> {
    let meta = std::fs::metadata(file).map_err(|e| format!("{}: cannot read: {e}", file.display()))?;
    if meta.len() > MAX_CONFIG_BYTES {
        return Err(format!("{}: over {MAX_CONFIG_BYTES} bytes; not a configuration file", file.display()));
    }
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: cannot read: {e}", file.display()))?;
    let pyproject = file.file_name().is_some_and(|n| n == "pyproject.toml");
    parse(file, &text, pyproject)
}

fn parse(file: &Path, text: &str, pyproject: bool) -> Result<Option<(Source, Keys)>, String> {
    let at = |span: Option<std::ops::Range<usize>>| match span {
        Some(s) => format!("{}:{}", file.display(), line_of(text, s.start)),
        None => file.display().to_string(),
    };
    let doc = DeTable::parse(text).map_err(|e| format!("{}: {}", at(e.span()), e.message().trim_end()))?;
    let table: Spanned<DeValue<'_>> = if pyproject {
        let Some(t) = entry(doc.get_ref(), "tool").and_then(|t| t.get_ref().as_table()).and_then(|t| entry(t, "pyward")) else {
            return Ok(None);
        };
        t.clone()
    } else {
        let span = doc.span();
        Spanned::new(span, DeValue::Table(doc.into_inner()))
    };
    let Some(entries) = table.get_ref().as_table() else {
        return Err(format!("{}: `tool.pyward` is not a table", at(Some(table.span()))));
    };
    let lines: HashMap<String, usize> = entries.iter().map(|(k, _)| (k.get_ref().to_string(), line_of(text, k.span().start))).collect();
    let key_at = |offset: usize| {
        entries
            .iter()
            .find(|(k, v)| k.span().contains(&offset) || v.span().contains(&offset))
            .map(|(k, _)| k.get_ref().to_string())
    };
    let keys = Keys::deserialize(ValueDeserializer::from(table.clone())).map_err(|e| {
        let key = e.span().and_then(|s| key_at(s.start)).map(|k| format!(" key `{k}`:")).unwrap_or_default();
        // serde says "field"; the user wrote a key.
        let msg = e.message().trim_end().replacen("unknown field", "unknown key", 1);
        format!("{}:{key} {msg}", at(e.span()))
    })?;
    Ok(Some((Source { file: file.to_path_buf(), pyproject, lines }, keys)))
}

fn entry<'a, 'i>(t: &'a DeTable<'i>, key: &str) -> Option<&'a Spanned<DeValue<'i>>> {
    t.iter().find(|(k, _)| k.get_ref() == key).map(|(_, v)| v)
}

/// A configuration in force: a file's keys (or none), checked and compiled, with the command
/// line's file-selection flags applied.
pub struct Settings {
    /// The file, or `None` for the defaults (no configuration file found).
    pub source: Option<Source>,
    /// The directory relative paths and globs of the file are taken from (the current
    /// directory when there is no file).
    pub root: PathBuf,
    pub keys: Keys,
    pub excludes: Excludes,
    per_file_ignores: Vec<(Globs, Vec<String>)>,
    pub force_exclude: bool,
    pub include_stubs: bool,
}

impl Settings {
    /// Compiles a configuration's globs. `cwd` is where command-line globs are relative to.
    pub fn new(source: Option<Source>, root: PathBuf, keys: Keys, cli: &ConfigArgs, cwd: &Path) -> Result<Settings, String> {
        let here = |key: &str| source.as_ref().map_or_else(|| format!("key `{key}`"), |s| s.at(key));
        let globs = |root: &Path, pats: &[String], key: &str| Globs::new(root, pats).map_err(|e| format!("{}: {e}", here(key)));
        let cli_globs = |pats: &[String], flag: &str| Globs::new(cwd, pats).map_err(|e| format!("{flag}: {e}"));
        let defaults: Vec<String> = DEFAULT_EXCLUDES.iter().map(|s| s.to_string()).collect();
        let exclude = match (&cli.exclude, &keys.exclude) {
            (c, _) if !c.is_empty() => cli_globs(c, "--exclude")?,
            (_, Some(k)) => globs(&root, k, "exclude")?,
            _ => globs(&root, &defaults, "exclude")?,
        };
        let lists = vec![
            exclude,
            globs(&root, keys.extend_exclude.as_deref().unwrap_or_default(), "extend-exclude")?,
            cli_globs(&cli.extend_exclude, "--extend-exclude")?,
        ];
        let mut per_file_ignores = Vec::new();
        for (pat, sels) in keys.per_file_ignores.iter().flatten() {
            per_file_ignores.push((globs(&root, std::slice::from_ref(pat), "per-file-ignores")?, sels.clone()));
        }
        Ok(Settings {
            force_exclude: cli.force_exclude || keys.force_exclude.unwrap_or(false),
            include_stubs: cli.include_stubs || keys.include_stubs.unwrap_or(false),
            source,
            root,
            keys,
            excludes: Excludes { lists },
            per_file_ignores,
        })
    }

    /// The rule selectors `per-file-ignores` adds for the file `abs`.
    pub fn file_ignores(&self, abs: &Path) -> Vec<String> {
        let mut out: Vec<String> = self.per_file_ignores.iter().filter(|(g, _)| g.matching(abs).is_some()).flat_map(|(_, s)| s.clone()).collect();
        out.sort();
        out.dedup();
        out
    }

    /// Checks every rule selector of the file with `known`; the error names the file, line
    /// and key.
    pub fn check_selectors(&self, known: impl Fn(&str) -> bool) -> Result<(), String> {
        let Some(src) = &self.source else { return Ok(()) };
        let k = &self.keys;
        let lists = [("select", &k.select), ("extend-select", &k.extend_select), ("ignore", &k.ignore)];
        let pfi = k.per_file_ignores.iter().flat_map(|m| m.values()).map(|v| ("per-file-ignores", v));
        for (key, sels) in lists.into_iter().filter_map(|(key, v)| v.as_ref().map(|v| (key, v))).chain(pfi) {
            if let Some(bad) = sels.iter().find(|s| !known(s)) {
                return Err(format!("{}: `{bad}` names no rule, family, Bandit id or Ruff code (see `pyward rules`)", src.at(key)));
            }
        }
        Ok(())
    }

    /// The configuration's `rules` paths, relative to its directory.
    pub fn rule_paths(&self) -> Vec<PathBuf> {
        self.keys.rules.iter().flatten().map(|p| self.root.join(p)).collect()
    }

    /// The configured baseline, relative to the configuration's directory.
    pub fn baseline(&self) -> Option<PathBuf> {
        self.keys.baseline.as_ref().map(|p| self.root.join(p))
    }
}

/// Finds the configuration of each directory (once per directory) and keeps the files read.
pub struct Resolver {
    cli: ConfigArgs,
    cwd: PathBuf,
    /// `--config FILE`: the configuration of every path.
    fixed: Option<Arc<Settings>>,
    /// No file found: the defaults, relative to the current directory.
    default: Arc<Settings>,
    dirs: Mutex<HashMap<PathBuf, Arc<Settings>>>,
    /// Configuration files that could not be used (reported once the walk is done).
    errors: Mutex<Vec<String>>,
}

fn locked<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Resolver {
    /// Reads `--config` if given; otherwise files are found as paths are asked for.
    pub fn new(cli: &ConfigArgs) -> Result<Resolver, String> {
        let cwd = std::env::current_dir().map_err(|e| format!("no current directory: {e}"))?;
        let default = Arc::new(Settings::new(None, cwd.clone(), Keys::default(), cli, &cwd)?);
        let fixed = match &cli.config {
            Some(file) => {
                let file = absolute(&cwd, file);
                let (source, keys) = read(&file)?.ok_or_else(|| format!("{}: no [tool.pyward] table", file.display()))?;
                Some(Arc::new(settings_of(source, keys, cli, &cwd)?))
            }
            None => None,
        };
        Ok(Resolver { cli: cli.clone(), cwd, fixed, default, dirs: Mutex::default(), errors: Mutex::default() })
    }

    /// `p` as an absolute path (below the current directory if relative).
    pub fn absolute(&self, p: &Path) -> PathBuf {
        absolute(&self.cwd, p)
    }

    /// The configuration of the file (or directory entry) at the absolute path `abs`: that of
    /// its directory.
    pub fn for_file(&self, abs: &Path) -> Arc<Settings> {
        self.for_dir(abs.parent().unwrap_or(abs))
    }

    /// The configuration for the scan as a whole (the output format, the baseline): `--config`,
    /// or the nearest to the current directory, as Ruff takes its global settings.
    pub fn global(&self) -> Arc<Settings> {
        self.for_dir(&self.cwd.clone())
    }

    /// The configuration of the absolute directory `dir`: the nearest file at or above it.
    pub fn for_dir(&self, dir: &Path) -> Arc<Settings> {
        if let Some(f) = &self.fixed {
            return f.clone();
        }
        let mut dirs = locked(&self.dirs);
        let mut todo = Vec::new();
        // Bounded by the path's depth; stops at the first directory already known.
        let mut found = self.default.clone();
        for d in dir.ancestors() {
            if let Some(s) = dirs.get(d) {
                found = s.clone();
                break;
            }
            todo.push(d.to_path_buf());
            if let Some(s) = self.read_dir(d) {
                found = s;
                break;
            }
        }
        for d in todo {
            dirs.insert(d, found.clone());
        }
        found
    }

    /// The configuration file in `dir`, if any (a bad one is recorded as an error).
    fn read_dir(&self, dir: &Path) -> Option<Arc<Settings>> {
        for name in FILE_NAMES {
            let file = dir.join(name);
            if !file.is_file() {
                continue;
            }
            match read(&file).and_then(|r| r.map(|(src, keys)| settings_of(src, keys, &self.cli, &self.cwd)).transpose()) {
                Ok(Some(s)) => return Some(Arc::new(s)),
                Ok(None) => {}
                Err(e) => {
                    locked(&self.errors).push(e);
                    return Some(self.default.clone());
                }
            }
        }
        None
    }

    /// The first configuration file that could not be used, if any.
    pub fn check(&self) -> Result<(), String> {
        match locked(&self.errors).first() {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }

    /// Every configuration in force so far (each once).
    pub fn all(&self) -> Vec<Arc<Settings>> {
        let mut all: Vec<Arc<Settings>> = vec![self.default.clone()];
        all.extend(self.fixed.clone());
        all.extend(locked(&self.dirs).values().cloned());
        all.sort_by_key(|s| Arc::as_ptr(s) as usize);
        all.dedup_by_key(|s| Arc::as_ptr(s) as usize);
        all.sort_by(|a, b| a.root.cmp(&b.root));
        all
    }
}

fn settings_of(source: Source, keys: Keys, cli: &ConfigArgs, cwd: &Path) -> Result<Settings, String> {
    let root = source.file.parent().map(Path::to_path_buf).unwrap_or_else(|| cwd.to_path_buf());
    Settings::new(Some(source), root, keys, cli, cwd)
}

/// The command line's rule and threshold flags, laid over each configuration: `--select`
/// replaces `select` and `extend-select`; `--extend-select` and `--ignore` add to theirs; a
/// threshold given on the command line replaces the configured one.
pub struct RuleFlags<'a> {
    pub select: &'a [String],
    pub extend_select: &'a [String],
    pub ignore: &'a [String],
    pub min_severity: Option<Severity>,
    pub min_confidence: Option<Confidence>,
}

/// The engine options of each scanned file.
pub struct Plan {
    /// The distinct options.
    pub options: Vec<Options>,
    /// Per file, the index of its options.
    pub of_file: Vec<usize>,
    /// The options of the scan as a whole (the cross-file pass, the rule list of the report).
    pub global: Options,
}

impl Plan {
    /// The options of each of `files` (absolute paths): their configuration's with the
    /// command line's flags over it, plus their `per-file-ignores`, less the rules that other
    /// configurations' `rules` files added (`hidden`).
    pub fn new(resolver: &Resolver, files: &[PathBuf], flags: &RuleFlags<'_>, scopes: &RuleScopes) -> Plan {
        let mut index: HashMap<(usize, Vec<String>), usize> = HashMap::new();
        let mut options = Vec::new();
        let mut of_file = Vec::with_capacity(files.len());
        for f in files {
            let s = resolver.for_file(f);
            let extra = s.file_ignores(f);
            let key = (Arc::as_ptr(&s) as usize, extra);
            let i = *index.entry(key).or_insert_with_key(|(_, extra)| {
                options.push(options_of(&s, flags, extra, scopes));
                options.len() - 1
            });
            of_file.push(i);
        }
        let global = options_of(&resolver.global(), flags, &[], scopes);
        Plan { options, of_file, global }
    }

    /// The options of file `i` (standard input's after the files'), the scan's if none.
    pub fn for_file(&self, i: usize) -> &Options {
        self.of_file.get(i).and_then(|&o| self.options.get(o)).unwrap_or(&self.global)
    }

    /// Whether any file's options run rule `m` at its severity and confidence.
    pub fn reports(&self, m: &pyward_engine::RuleMeta) -> bool {
        let on = |o: &Options| o.rule_enabled(m) && m.severity >= o.min_severity && m.confidence >= o.min_confidence;
        self.options.iter().chain([&self.global]).any(on)
    }
}

fn options_of(s: &Settings, flags: &RuleFlags<'_>, extra: &[String], scopes: &RuleScopes) -> Options {
    let k = &s.keys;
    let cat = |a: &Option<Vec<String>>, b: &[String]| -> Vec<String> { a.iter().flatten().chain(b).cloned().collect() };
    let (select, extend_select) = if flags.select.is_empty() {
        (k.select.clone().unwrap_or_default(), cat(&k.extend_select, flags.extend_select))
    } else {
        (flags.select.to_vec(), flags.extend_select.to_vec())
    };
    let mut ignore = cat(&k.ignore, flags.ignore);
    ignore.extend(extra.iter().cloned());
    ignore.extend(scopes.hidden(s));
    Options {
        min_severity: flags.min_severity.or(k.min_severity.map(|c| c.0.into())).unwrap_or(Severity::Low),
        min_confidence: flags.min_confidence.or(k.min_confidence.map(|c| c.0.into())).unwrap_or(Confidence::Low),
        select,
        extend_select,
        ignore,
    }
}

/// Which rules each configuration's `rules` files added: they run only on the files that
/// configuration governs (those of `--rules` run everywhere).
#[derive(Default)]
pub struct RuleScopes {
    /// Per configuration file, the ids its `rules` added.
    own: HashMap<PathBuf, BTreeSet<String>>,
    /// Every id a configuration's `rules` added.
    all: BTreeSet<String>,
}

impl RuleScopes {
    /// Loads `--rules` (`cli`), then each configuration's `rules` (a file loaded once, however
    /// many name it), with `add` (which loads one file or directory).
    pub fn load(
        engine: &mut Engine,
        cli: &[PathBuf],
        all: &[Arc<Settings>],
        add: impl Fn(&mut Engine, &Path) -> Result<(), String>,
    ) -> Result<RuleScopes, String> {
        let mut loaded: HashMap<PathBuf, BTreeSet<String>> = HashMap::new();
        let mut load = |engine: &mut Engine, p: &Path| -> Result<BTreeSet<String>, String> {
            let key = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
            if let Some(ids) = loaded.get(&key) {
                return Ok(ids.clone());
            }
            let before = engine.rules().len();
            add(engine, p)?;
            let ids: BTreeSet<String> = engine.rules().iter().skip(before).map(|r| r.meta.id.clone()).collect();
            loaded.insert(key, ids.clone());
            Ok(ids)
        };
        for p in cli {
            load(engine, p)?;
        }
        let mut scopes = RuleScopes::default();
        for s in all {
            let Some(src) = &s.source else { continue };
            let mut own = BTreeSet::new();
            for p in s.rule_paths() {
                own.extend(load(engine, &p).map_err(|e| format!("{}: {e}", src.at("rules")))?);
            }
            scopes.all.extend(own.iter().cloned());
            scopes.own.insert(src.file.clone(), own);
        }
        // An id also loaded by `--rules` runs everywhere.
        for p in cli {
            for id in load(engine, p)? {
                scopes.all.remove(&id);
            }
        }
        Ok(scopes)
    }

    /// The ids `s` does not run: those other configurations' `rules` added.
    fn hidden(&self, s: &Settings) -> Vec<String> {
        let own = s.source.as_ref().and_then(|src| self.own.get(&src.file));
        self.all.iter().filter(|id| !own.is_some_and(|o| o.contains(*id))).cloned().collect()
    }
}

impl From<SevArg> for Severity {
    fn from(s: SevArg) -> Severity {
        match s {
            SevArg::Low => Severity::Low,
            SevArg::Medium => Severity::Medium,
            SevArg::High => Severity::High,
            SevArg::Critical => Severity::Critical,
        }
    }
}

impl From<ConfArg> for Confidence {
    fn from(c: ConfArg) -> Confidence {
        match c {
            ConfArg::Low => Confidence::Low,
            ConfArg::Medium => Confidence::Medium,
            ConfArg::High => Confidence::High,
        }
    }
}

/// `pyward config [PATH]`: the configuration in force for `path`, as TOML, with where each
/// value comes from.
pub fn describe(resolver: &Resolver, path: &Path) -> String {
    let abs = resolver.absolute(path);
    let s = if abs.is_dir() { resolver.for_dir(&abs) } else { resolver.for_file(&abs) };
    let mut out = format!("# pyward configuration for {}\n", path.display());
    match &s.source {
        Some(src) if src.pyproject => out.push_str(&format!("# from {} [tool.pyward]\n", src.file.display())),
        Some(src) => out.push_str(&format!("# from {}\n", src.file.display())),
        None => out.push_str("# no configuration file (pyward.toml, or pyproject.toml with [tool.pyward]) here or above: defaults\n"),
    }
    let k = &s.keys;
    let list = |v: &[String]| format!("[{}]", v.iter().map(|x| quote(x)).collect::<Vec<_>>().join(", "));
    let paths = |v: &[PathBuf]| list(&v.iter().map(|p| p.display().to_string()).collect::<Vec<_>>());
    let excl: Vec<String> = s.excludes.lists.first().map(|g| g.patterns().to_vec()).unwrap_or_default();
    let pfi = k.per_file_ignores.as_ref().map(|m| {
        format!("{{ {} }}", m.iter().map(|(g, v)| format!("{} = {}", quote(g), list(v))).collect::<Vec<_>>().join(", "))
    });
    let rows: Vec<(&str, Option<String>, String)> = vec![
        ("select", k.select.as_deref().map(list), "[]".into()),
        ("extend-select", k.extend_select.as_deref().map(list), "[]".into()),
        ("ignore", k.ignore.as_deref().map(list), "[]".into()),
        ("exclude", k.exclude.as_ref().map(|_| list(&excl)), list(&excl)),
        ("extend-exclude", k.extend_exclude.as_deref().map(list), "[]".into()),
        ("per-file-ignores", pfi, "{}".into()),
        ("min-severity", k.min_severity.map(|c| quote(&choice_name(&c.0))), quote("low")),
        ("min-confidence", k.min_confidence.map(|c| quote(&choice_name(&c.0))), quote("low")),
        ("rules", k.rules.as_deref().map(paths), "[]".into()),
        ("format", k.format.map(|c| quote(&choice_name(&c.0))), quote("text")),
        ("baseline", k.baseline.as_ref().map(|p| quote(&p.display().to_string())), String::new()),
        ("force-exclude", k.force_exclude.map(|b| b.to_string()), s.force_exclude.to_string()),
        ("include-stubs", k.include_stubs.map(|b| b.to_string()), s.include_stubs.to_string()),
    ];
    for (key, set, default) in rows {
        match (set, &s.source) {
            (Some(v), Some(src)) => out.push_str(&format!("{key} = {v}  # line {}\n", src.line(key).unwrap_or(0))),
            _ if default.is_empty() => out.push_str(&format!("# {key}: not set\n")),
            _ => out.push_str(&format!("{key} = {default}  # default\n")),
        }
    }
    out.push_str(&flag_notes(resolver));
    if !abs.is_dir() {
        out.push_str(&file_notes(&s, &abs));
    }
    out
}

/// The command-line flags that change the printed configuration.
fn flag_notes(r: &Resolver) -> String {
    let c = &r.cli;
    let mut out = String::new();
    if !c.exclude.is_empty() {
        out.push_str(&format!("# --exclude {} replaces `exclude`\n", c.exclude.join(",")));
    }
    if !c.extend_exclude.is_empty() {
        out.push_str(&format!("# --extend-exclude {} adds to `extend-exclude`\n", c.extend_exclude.join(",")));
    }
    out
}

/// What the configuration does to one file.
fn file_notes(s: &Settings, abs: &Path) -> String {
    let mut out = String::new();
    if let Some(p) = s.excludes.matching_named(abs, &s.root) {
        out.push_str(&format!("# this file is excluded by `{p}` (scanned only when named, without --force-exclude)\n"));
    }
    let ign = s.file_ignores(abs);
    if !ign.is_empty() {
        out.push_str(&format!("# per-file-ignores for this file: {}\n", ign.join(", ")));
    }
    out
}

/// A TOML basic string (JSON's escapes are TOML's).
fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str, pyproject: bool) -> Result<Option<(Source, Keys)>, String> {
        parse(Path::new("cfg.toml"), text, pyproject)
    }

    fn err(text: &str, pyproject: bool) -> String {
        match parsed(text, pyproject) {
            Err(e) => e,
            Ok(_) => panic!("no error for {text:?}"),
        }
    }

    #[test]
    fn keys_and_lines() {
        let (src, keys) = parsed("# c\nselect = [\"injection\"]\nmin-severity = \"high\"\n", false).unwrap().unwrap();
        assert_eq!(keys.select, Some(vec!["injection".to_string()]));
        assert!(matches!(keys.min_severity, Some(Choice(SevArg::High))));
        assert_eq!(src.line("min-severity"), Some(3));
        assert_eq!(src.at("select"), "cfg.toml:2: key `select`");
    }

    #[test]
    fn pyproject_without_table_is_no_config() {
        assert!(parsed("[tool.ruff]\nselect = [\"E\"]\n", true).unwrap().is_none());
        let (_, keys) = parsed("[tool.ruff]\nx = 1\n[tool.pyward]\nignore = [\"B101\"]\n", true).unwrap().unwrap();
        assert_eq!(keys.ignore, Some(vec!["B101".to_string()]));
    }

    #[test]
    fn errors_name_line_key_and_reason() {
        let e = err("select = []\nselct = [\"x\"]\n", false);
        assert!(e.starts_with("cfg.toml:2: key `selct`:") && e.contains("unknown key `selct`, expected one of `select`"), "{e}");
        let e = err("[tool.pyward]\nmin-severity = \"huge\"\n", true);
        assert!(e.starts_with("cfg.toml:2: key `min-severity`:") && e.contains("`huge` is not one of: low, medium, high, critical"), "{e}");
        let e = err("\nselect = \"injection\"\n", false);
        assert!(e.starts_with("cfg.toml:2: key `select`:"), "{e}");
        let e = err("select = [\n", false);
        assert!(e.starts_with("cfg.toml:"), "{e}");
        let e = err("[tool]\npyward = 3\n", true);
        assert!(e.contains("not a table"), "{e}");
    }
}
