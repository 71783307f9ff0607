//! `--output-dir DIR`: writes the Markdown review (the report and one file per finding, see
//! `Report::to_review`) into a directory.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use pyward_engine::report::{utc_date, Report};
use pyward_engine::RuleMeta;

/// Today's date (UTC), or that of `SOURCE_DATE_EPOCH` (seconds since the epoch) when set, as
/// reproducible builds and the tests use it.
pub fn review_date() -> Result<String, String> {
    let secs = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => v.trim().parse::<i64>().map_err(|_| format!("SOURCE_DATE_EPOCH `{v}` is not a number of seconds"))?,
        Err(_) => SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64),
    };
    Ok(utc_date(secs))
}

/// Writes the review into `dir` (created if missing) and returns the report's path. Finding
/// files left in the findings folder by an earlier run are removed first, so every file there
/// is linked from the new report.
pub fn write_review(dir: &Path, report: &Report, rules: &[&RuleMeta], scope: &[String]) -> Result<(PathBuf, usize), String> {
    let review = report.to_review(rules, &review_date()?, scope);
    let err = |p: &Path, e: std::io::Error| format!("{}: cannot write the review: {e}", p.display());
    let findings_dir = dir.join(review.report.path.trim_end_matches(".md"));
    std::fs::create_dir_all(dir).map_err(|e| err(dir, e))?;
    if let Ok(entries) = std::fs::read_dir(&findings_dir) {
        for e in entries.flatten() {
            let name = e.file_name();
            let name = name.to_string_lossy();
            if name.starts_with("finding-") && name.ends_with(".md") {
                std::fs::remove_file(e.path()).map_err(|x| err(&e.path(), x))?;
            }
        }
    }
    if !review.findings.is_empty() {
        std::fs::create_dir_all(&findings_dir).map_err(|e| err(&findings_dir, e))?;
    }
    for f in review.files() {
        let path = dir.join(&f.path);
        std::fs::write(&path, &f.text).map_err(|e| err(&path, e))?;
    }
    Ok((dir.join(&review.report.path), review.findings.len()))
}
