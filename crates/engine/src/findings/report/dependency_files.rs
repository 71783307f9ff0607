//! Which files are dependency files (requirements, `pyproject.toml`, lock files, Pipfiles):
//! a report says "Vulnerable dependencies ✓" only when it checked one.

/// Whether a file, by its name (a path's last component is used), is a dependency file:
/// `requirements*.txt`, `pyproject.toml`, `*.lock` (`poetry.lock`, `uv.lock`), `Pipfile`,
/// `Pipfile.lock`.
pub fn is_dependency_file(name: &str) -> bool {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    (base.starts_with("requirements") && base.ends_with(".txt"))
        || base == "pyproject.toml"
        || base.ends_with(".lock")
        || base.starts_with("Pipfile")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependency_files_by_name() {
        for yes in ["requirements.txt", "requirements-dev.txt", "a/b/pyproject.toml", "poetry.lock", "uv.lock", "Pipfile", "Pipfile.lock", "c\\requirements.txt"] {
            assert!(is_dependency_file(yes), "{yes}");
        }
        for no in ["app.py", "requirements.py", "notes.txt", "pyproject.toml.bak", "src/lock.py", ""] {
            assert!(!is_dependency_file(no), "{no}");
        }
    }
}
