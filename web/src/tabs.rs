//! The editor's file tabs: `app.py` and a dependency file (`requirements.txt`) to start with;
//! the user adds and removes tabs. A tab's name picks how it is analysed: a dependency file's
//! name (as the engine and the CLI read them) goes through the dependency audit, any other
//! `.py` file is Python. All tabs are analysed together (see `crates/wasm/src/files.rs`).
//!
//! Pure functions over the tab list, tested natively; `Services` applies them to the editor and
//! the engine, and the state keeps the list (`Action::SetTabs`).

use std::rc::Rc;

/// The most tabs the page opens (the engine analyses as many).
pub const MAX_TABS: usize = 16;
/// The longest tab name accepted.
pub const MAX_NAME: usize = 64;
/// The first tab: the Python code.
pub const APP: &str = "app.py";
/// The second tab: the dependencies.
pub const REQUIREMENTS: &str = "requirements.txt";

/// One tab: its file name and its text (for the tab in the editor, as of the last analysis).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tab {
    pub name: Rc<str>,
    pub text: Rc<str>,
}

impl Tab {
    pub fn new(name: &str, text: &str) -> Tab {
        Tab { name: Rc::from(name), text: Rc::from(text) }
    }

    pub fn is_dependency_file(&self) -> bool {
        is_dependency_file(&self.name)
    }
}

/// Whether a file of this name is a dependency file: the engine's rule (`deps::FileKind::of`):
/// `pyproject.toml`, `poetry.lock`, `uv.lock`, `Pipfile`, `Pipfile.lock`, and `.txt`/`.in`
/// files named `requirements*`, `*requirements` or `constraints*` (any case). The tests check
/// it against the engine's.
pub fn is_dependency_file(name: &str) -> bool {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name).to_ascii_lowercase();
    if matches!(base.as_str(), "pyproject.toml" | "poetry.lock" | "uv.lock" | "pipfile" | "pipfile.lock") {
        return true;
    }
    let Some(stem) = base.strip_suffix(".txt").or_else(|| base.strip_suffix(".in")) else { return false };
    stem.starts_with("requirements") || stem.ends_with("requirements") || stem.starts_with("constraints")
}

/// The starting tabs: `app.py` with `code` and `requirements.txt` with `requirements`.
pub fn initial(code: &str, requirements: &str) -> Vec<Tab> {
    vec![Tab::new(APP, code), Tab::new(REQUIREMENTS, requirements)]
}

/// Checks a name the user typed for a new tab; the name to use, or why not.
pub fn check_name(name: &str, tabs: &[Tab]) -> Result<String, String> {
    let name = name.trim();
    if tabs.len() >= MAX_TABS {
        return Err(format!("At most {MAX_TABS} files"));
    }
    if name.is_empty() {
        return Err("Type a file name, e.g. utils.py or pyproject.toml".into());
    }
    if name.chars().count() > MAX_NAME {
        return Err(format!("At most {MAX_NAME} characters"));
    }
    if name.chars().any(|c| c.is_control() || matches!(c, '/' | '\\' | '"' | '<' | '>' | '|' | ':' | '*' | '?')) || name.starts_with('.') {
        return Err("A plain file name, without folders or special characters".into());
    }
    if !(name.ends_with(".py") || is_dependency_file(name)) {
        return Err("A Python file (.py) or a dependency file: requirements.txt, pyproject.toml, Pipfile, poetry.lock, uv.lock".into());
    }
    if tabs.iter().any(|t| t.name.eq_ignore_ascii_case(name)) {
        return Err(format!("There is already a tab {name}"));
    }
    Ok(name.to_string())
}

/// The tabs with the editor's text `doc` in the active one.
pub fn with_doc(tabs: &[Tab], active: usize, doc: &Rc<str>) -> Vec<Tab> {
    let mut out = tabs.to_vec();
    if let Some(t) = out.get_mut(active) {
        t.text = doc.clone();
    }
    out
}

/// After removing tab `i` of tabs where `active` was in the editor: the tabs and the tab to
/// show. The last tab is never removed (None).
pub fn remove(tabs: &[Tab], active: usize, i: usize) -> Option<(Vec<Tab>, usize)> {
    if tabs.len() <= 1 || i >= tabs.len() {
        return None;
    }
    let mut out = tabs.to_vec();
    out.remove(i);
    let active = match active {
        a if a > i => a - 1,
        a if a == i => i.min(out.len() - 1),
        a => a,
    };
    Some((out, active))
}

/// The (name, text) of the tabs the engine analyses: every Python tab, and the dependency tabs
/// that declare something (an empty requirements tab is nothing to audit: it neither fetches
/// the advisory data nor counts as "dependencies checked").
pub fn to_analyse(tabs: &[Tab]) -> Vec<(&str, &str)> {
    tabs.iter().filter(|t| !(t.is_dependency_file() && t.text.trim().is_empty())).map(|t| (&*t.name, &*t.text)).collect()
}

/// A text that differs whenever a tab's name or text does (to tell whether the tabs are
/// still those of the share link in the address bar).
pub fn signature(tabs: &[Tab]) -> String {
    let mut out = String::new();
    for t in tabs {
        out.push_str(&format!("{}:{}:{}\u{0}{}\u{0}", t.name.len(), t.text.len(), t.name, t.text));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependency_files_are_named_as_the_engine_reads_them() {
        for name in [
            "requirements.txt",
            "requirements-dev.txt",
            "dev-requirements.txt",
            "Requirements.in",
            "constraints.txt",
            "pyproject.toml",
            "poetry.lock",
            "uv.lock",
            "Pipfile",
            "Pipfile.lock",
            "app.py",
            "requirements.py",
            "setup.cfg",
            "notes.txt",
            "",
            "pyproject.toml.bak",
        ] {
            assert_eq!(is_dependency_file(name), pyward_engine::Engine::is_dependency_file(name), "{name}");
        }
    }

    #[test]
    fn names_are_checked() {
        let tabs = initial("x = 1\n", "");
        assert_eq!(check_name(" utils.py ", &tabs), Ok("utils.py".into()));
        assert_eq!(check_name("pyproject.toml", &tabs), Ok("pyproject.toml".into()));
        assert!(check_name("APP.py", &tabs).unwrap_err().contains("already"));
        assert!(check_name("notes.md", &tabs).is_err());
        assert!(check_name("", &tabs).is_err());
        assert!(check_name("a/b.py", &tabs).is_err());
        assert!(check_name(".hidden.py", &tabs).is_err());
        assert!(check_name(&format!("{}.py", "x".repeat(70)), &tabs).is_err());
        let full: Vec<Tab> = (0..MAX_TABS).map(|i| Tab::new(&format!("m{i}.py"), "")).collect();
        assert!(check_name("new.py", &full).unwrap_err().contains("At most"));
    }

    #[test]
    fn removing_a_tab_keeps_a_sensible_one_open() {
        let tabs = vec![Tab::new("a.py", "a"), Tab::new("b.py", "b"), Tab::new("c.py", "c")];
        let names = |v: &[Tab]| v.iter().map(|t| t.name.to_string()).collect::<Vec<_>>();
        let (after, active) = remove(&tabs, 2, 0).expect("removed");
        assert_eq!((names(&after), active), (vec!["b.py".to_string(), "c.py".to_string()], 1), "the open tab stays open");
        let (after, active) = remove(&tabs, 1, 1).expect("removed");
        assert_eq!((names(&after), active), (vec!["a.py".to_string(), "c.py".to_string()], 1), "the next one opens");
        let (_, active) = remove(&tabs, 2, 2).expect("removed");
        assert_eq!(active, 1, "the last one closed: the one before");
        assert!(remove(&tabs[..1], 0, 0).is_none(), "one tab always stays");
        assert!(remove(&tabs, 0, 7).is_none());
    }

    #[test]
    fn empty_dependency_tabs_are_not_sent() {
        let doc: Rc<str> = Rc::from("import os\n");
        let tabs = with_doc(&initial("old", "  \n"), 0, &doc);
        assert_eq!(to_analyse(&tabs), vec![("app.py", "import os\n")]);
        let tabs = with_doc(&tabs, 1, &Rc::from("flask==3.0.0\n"));
        assert_eq!(to_analyse(&tabs).len(), 2);
        // An empty Python tab is still analysed (the status says there is nothing to analyse).
        assert_eq!(to_analyse(&[Tab::new("a.py", "")]), vec![("a.py", "")]);
    }
}
