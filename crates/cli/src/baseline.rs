//! Baselines: `--write-baseline FILE` records today's findings, `--baseline FILE` reports only
//! the findings not in it. A baseline is the JSON report with each finding's fingerprint (see
//! `pyward_engine::findings::fingerprint`): rule id, path, flagged code, enclosing function or
//! class and occurrence index, so that code moving up or down the file stays "known".

use std::collections::HashSet;
use std::path::Path;

use pyward_engine::findings::fingerprint::file_fingerprints;
use pyward_engine::report::Report;
use pyward_engine::FileResult;

/// The format version a baseline file carries.
const VERSION: u64 = 1;

/// The fingerprints of a baseline file.
pub struct Baseline {
    known: HashSet<String>,
}

impl Baseline {
    /// Reads a baseline written by `--write-baseline`; errors name the file and the reason.
    pub fn read(path: &Path) -> Result<Baseline, String> {
        let fail = |why: String| format!("{}: not a pyward baseline: {why}", path.display());
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: cannot read baseline: {e}", path.display()))?;
        let doc: serde_json::Value = serde_json::from_str(&text).map_err(|e| fail(e.to_string()))?;
        match doc.get("baseline_version").and_then(serde_json::Value::as_u64) {
            Some(VERSION) => {}
            Some(v) => return Err(fail(format!("baseline_version {v}, this pyward reads {VERSION}"))),
            None => return Err(fail("no baseline_version (write one with `pyward scan --write-baseline FILE`)".into())),
        }
        let findings = doc.get("findings").and_then(serde_json::Value::as_array).ok_or_else(|| fail("no findings list".into()))?;
        let mut known = HashSet::with_capacity(findings.len());
        for (i, f) in findings.iter().enumerate() {
            let fp = f.get("fingerprint").and_then(serde_json::Value::as_str);
            known.insert(fp.ok_or_else(|| fail(format!("finding {} has no fingerprint", i + 1)))?.to_string());
        }
        Ok(Baseline { known })
    }

    /// Drops the findings the baseline knows from each file's results; returns how many.
    pub fn filter(&self, results: &mut [FileResult]) -> usize {
        let mut dropped = 0;
        for r in results {
            let prints = file_fingerprints(r);
            let before = r.findings.len();
            let mut keep = prints.iter().map(|fp| !self.known.contains(fp));
            r.findings.retain(|_| keep.next().unwrap_or(true));
            dropped += before - r.findings.len();
        }
        dropped
    }
}

/// Writes `report` as a baseline: the JSON report, each finding with its fingerprint.
pub fn write(path: &Path, report: &Report) -> Result<(), String> {
    let fail = |e: String| format!("{}: cannot write baseline: {e}", path.display());
    let mut doc = serde_json::to_value(report).map_err(|e| fail(e.to_string()))?;
    if let Some(findings) = doc.get_mut("findings").and_then(serde_json::Value::as_array_mut) {
        for (f, fp) in findings.iter_mut().zip(report.fingerprints()) {
            f["fingerprint"] = serde_json::Value::String(fp);
        }
    }
    doc["baseline_version"] = serde_json::Value::from(VERSION);
    let text = serde_json::to_string_pretty(&doc).map_err(|e| fail(e.to_string()))?;
    std::fs::write(path, text + "\n").map_err(|e| fail(e.to_string()))
}
