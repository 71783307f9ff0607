//! The OWASP Top 10 (2021) compliance matrix: for each category, the rules that ran for it
//! (by their `owasp` metadata), the findings in it, and a status.

use crate::rules::RuleMeta;
use crate::Finding;
pub use pyward_contract::{OwaspRow, OwaspStatus};

/// The ten categories of the OWASP Top 10 2021: code and name.
pub const OWASP_TOP10: [(&str, &str); 10] = [
    ("A01:2021", "Broken Access Control"),
    ("A02:2021", "Cryptographic Failures"),
    ("A03:2021", "Injection"),
    ("A04:2021", "Insecure Design"),
    ("A05:2021", "Security Misconfiguration"),
    ("A06:2021", "Vulnerable and Outdated Components"),
    ("A07:2021", "Identification and Authentication Failures"),
    ("A08:2021", "Software and Data Integrity Failures"),
    ("A09:2021", "Security Logging and Monitoring Failures"),
    ("A10:2021", "Server-Side Request Forgery"),
];

/// Whether an `owasp` value (`A03:2021-Injection`) is in the category `code` (`A03:2021`).
fn in_category(owasp: Option<&str>, code: &str) -> bool {
    owasp.is_some_and(|o| o.get(..code.len()) == Some(code))
}

/// The matrix for the rules that ran and the findings they reported.
pub fn matrix(rules: &[&RuleMeta], findings: &[Finding]) -> Vec<OwaspRow> {
    OWASP_TOP10
        .iter()
        .map(|&(id, name)| {
            let mut ids: Vec<String> =
                rules.iter().filter(|r| in_category(r.owasp.as_deref(), id)).map(|r| r.id.clone()).collect();
            ids.sort();
            ids.dedup();
            let count = findings.iter().filter(|f| in_category(f.owasp.as_deref(), id)).count();
            let status = if count > 0 {
                OwaspStatus::IssuesFound
            } else if ids.is_empty() {
                OwaspStatus::NotCovered
            } else {
                OwaspStatus::NoIssuesFound
            };
            OwaspRow { id: id.to_string(), name: name.to_string(), rules: ids, findings: count, status }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Engine;

    #[test]
    fn rows_count_rules_and_findings_per_category() {
        let e = Engine::builtin().expect("built-in rules");
        let metas: Vec<&RuleMeta> = e.rules().iter().map(|r| &r.meta).collect();
        let r = e.check_source("app.py", "import os\nos.system(input())\n", &crate::Options::default());
        let rows = matrix(&metas, &r.findings);
        assert_eq!(rows.len(), 10);
        let a03 = &rows[2];
        assert_eq!((a03.id.as_str(), a03.name.as_str()), ("A03:2021", "Injection"));
        assert!(a03.rules.iter().any(|id| id == "os-command-injection"), "{:?}", a03.rules);
        assert!(a03.findings >= 1 && a03.status == OwaspStatus::IssuesFound, "{a03:?}");
        let expected = r.findings.iter().filter(|f| f.owasp.as_deref().is_some_and(|o| o.starts_with("A03"))).count();
        assert_eq!(a03.findings, expected);
        // Cryptographic rules ran and found nothing in this file.
        assert_eq!(rows[1].status, OwaspStatus::NoIssuesFound);
        assert!(!rows[1].rules.is_empty());
    }

    #[test]
    fn a_category_no_rule_covers_is_not_covered() {
        let rows = matrix(&[], &[]);
        assert!(rows.iter().all(|r| r.status == OwaspStatus::NotCovered && r.rules.is_empty() && r.findings == 0));
        assert!(!in_category(Some("A1"), "A01:2021"));
        assert!(in_category(Some("A10:2021-Server-Side Request Forgery"), "A10:2021"));
        assert!(!in_category(Some("A01:2021-Broken Access Control"), "A10:2021"));
    }
}
