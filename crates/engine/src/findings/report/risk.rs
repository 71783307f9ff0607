//! The overall risk rating and the 0-100 security score of a report (README, "Risk rating and
//! security score").
//!
//! Each finding deducts `weight(severity) × factor(confidence)` points of "exposure":
//! critical 25, high 10, medium 4, low 1; times 1 (high confidence), 0.6 (medium) or 0.3 (low).
//! The score falls with diminishing returns: `round(100 × e^(-exposure / 40))`, so the first
//! findings cost the most and no number of findings goes below 0. The rating is the highest
//! severity among the findings, a level lower for a low-confidence finding (a low stays low);
//! a report without findings is low risk. The score is then capped by the rating's band
//! (critical ≤ 39, high ≤ 69, medium ≤ 89), so the two never disagree.

use crate::rules::{Confidence, Severity};
use crate::Finding;
pub use pyward_contract::Risk;

/// Points of exposure a finding of this severity adds at high confidence.
fn weight(s: Severity) -> f64 {
    match s {
        Severity::Critical => 25.0,
        Severity::High => 10.0,
        Severity::Medium => 4.0,
        Severity::Low => 1.0,
    }
}

/// How much of its severity's weight a finding of this confidence counts.
fn factor(c: Confidence) -> f64 {
    match c {
        Confidence::High => 1.0,
        Confidence::Medium => 0.6,
        Confidence::Low => 0.3,
    }
}

/// The severity a finding stands for in the rating: a level lower at low confidence.
fn rated(f: &Finding) -> Severity {
    match (f.confidence, f.severity) {
        (Confidence::Low, Severity::Critical) => Severity::High,
        (Confidence::Low, Severity::High) => Severity::Medium,
        (Confidence::Low, _) => Severity::Low,
        (_, s) => s,
    }
}

/// The highest score a report of this rating may have.
fn cap(rating: Severity) -> u8 {
    match rating {
        Severity::Critical => 39,
        Severity::High => 69,
        Severity::Medium => 89,
        Severity::Low => 100,
    }
}

/// The risk of a set of findings.
pub fn assess(findings: &[Finding]) -> Risk {
    let exposure: f64 = findings.iter().map(|f| weight(f.severity) * factor(f.confidence)).sum();
    let rating = findings.iter().map(rated).max().unwrap_or(Severity::Low);
    let raw = (100.0 * (-exposure / 40.0).exp()).round().clamp(0.0, 100.0) as u8;
    Risk { rating, score: raw.min(cap(rating)) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Confidence as C, Severity as S};

    fn finding(severity: Severity, confidence: Confidence) -> Finding {
        Finding {
            rule_id: "r".into(),
            title: "t".into(),
            severity,
            confidence,
            cwe: None,
            owasp: None,
            path: "a.py".into(),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 2,
            message: "m".into(),
            snippet: "x".into(),
            region: None,
            fix: None,
            fix_edits: Vec::new(),
            family: "other".into(),
            start_offset: 0,
            end_offset: 1,
            trace: Vec::new(),
            likelihood: None,
            impact: None,
            dependency: None,
        }
    }

    fn risk(list: &[(Severity, Confidence)]) -> (Severity, u8) {
        let fs: Vec<Finding> = list.iter().map(|&(s, c)| finding(s, c)).collect();
        let r = assess(&fs);
        (r.rating, r.score)
    }

    #[test]
    fn no_finding_is_low_risk_and_full_score() {
        assert_eq!(risk(&[]), (Severity::Low, 100));
    }

    #[test]
    fn one_finding_costs_its_weighted_exposure() {
        // 100·e^(-25/40) = 53.5, capped at 39 for a critical rating.
        assert_eq!(risk(&[(S::Critical, C::High)]), (S::Critical, 39));
        // 100·e^(-10/40) = 77.9, capped at 69.
        assert_eq!(risk(&[(S::High, C::High)]), (S::High, 69));
        // 100·e^(-2.4/40) = 94.2, capped at 89.
        assert_eq!(risk(&[(S::Medium, C::Medium)]), (S::Medium, 89));
        // 100·e^(-0.3/40) = 99.25.
        assert_eq!(risk(&[(S::Low, C::Low)]), (S::Low, 99));
    }

    #[test]
    fn low_confidence_lowers_the_rating_a_level() {
        // 100·e^(-7.5/40) = 82.9, capped at 69 for the high rating it stands for.
        assert_eq!(risk(&[(S::Critical, C::Low)]), (S::High, 69));
        assert_eq!(risk(&[(S::High, C::Low)]).0, S::Medium);
        assert_eq!(risk(&[(S::Medium, C::Low)]).0, S::Low);
        assert_eq!(risk(&[(S::Critical, C::Low), (S::Critical, C::Medium)]).0, S::Critical);
    }

    #[test]
    fn returns_diminish_and_the_score_stays_in_range() {
        let lows = |n: usize| risk(&vec![(S::Low, C::High); n]).1;
        // 10 lows: e^(-10/40) = 77.9; 20 lows: e^(-0.5) = 60.7; the second ten cost less.
        assert_eq!((lows(10), lows(20)), (78, 61));
        assert!(100 - lows(10) > lows(10) - lows(20));
        assert_eq!(risk(&vec![(S::Critical, C::High); 1000]), (S::Critical, 0));
    }
}
