//! The shipped advisory table (`crates/engine/data/advisories.tsv`, built by
//! `scripts/update-advisories`): one row per advisory and package, tab-separated:
//! `package  id  aliases  affected  cvss3`. `affected` is `|`-separated spans: `lo:fixed`
//! (introduced at `lo`, empty for "every version", fixed in `fixed`), `lo:=last` (up to and
//! including `last`), `lo:` (no fix yet) or `=version` (one affected version).
//!
//! The table is text passed in by the caller: the CLI embeds it, the browser fetches it.

use std::collections::HashMap;
use std::str::FromStr;

use pep508_rs::pep440_rs::Version;

/// One affected span of versions.
#[derive(Clone, Debug, PartialEq)]
pub struct Span {
    /// Affected from this version on (`None`: every earlier version).
    pub introduced: Option<Version>,
    /// The end: fixed in (exclusive) or last affected (inclusive); `None`: no fixed release.
    pub end: Option<(Version, bool)>,
}

impl Span {
    /// Whether `v` is in the span.
    pub fn contains(&self, v: &Version) -> bool {
        let above = self.introduced.as_ref().is_none_or(|lo| v >= lo);
        let below = match &self.end {
            None => true,
            Some((hi, true)) => v <= hi,
            Some((hi, false)) => v < hi,
        };
        above && below
    }

    /// The version that fixes it, when there is one (not for a `last_affected` end).
    pub fn fixed(&self) -> Option<&Version> {
        match &self.end {
            Some((v, false)) => Some(v),
            _ => None,
        }
    }

    /// The span as people read it: `>=4.2, <4.2.15`.
    pub fn describe(&self) -> String {
        if let (Some(lo), Some((hi, true))) = (&self.introduced, &self.end) {
            if lo == hi {
                return format!("=={lo}");
            }
        }
        let lo = self.introduced.as_ref().map(|v| format!(">={v}"));
        let hi = self.end.as_ref().map(|(v, last)| format!("{}{v}", if *last { "<=" } else { "<" }));
        match (lo, hi) {
            (Some(lo), Some(hi)) => format!("{lo}, {hi}"),
            (Some(lo), None) => lo,
            (None, Some(hi)) => hi,
            (None, None) => "every version".to_string(),
        }
    }
}

/// One advisory for one package.
#[derive(Clone, Debug, PartialEq)]
pub struct Advisory {
    /// The advisory's id (`PYSEC-2019-13`, `GHSA-…`).
    pub id: String,
    /// Its other ids (CVE, GHSA).
    pub aliases: Vec<String>,
    pub spans: Vec<Span>,
    /// The CVSS v3 base score, when the advisory has a vector.
    pub cvss: Option<f32>,
}

impl Advisory {
    /// The span that contains `v`, if any.
    pub fn affecting(&self, v: &Version) -> Option<&Span> {
        self.spans.iter().find(|s| s.contains(v))
    }
}

/// The advisory table: advisories by normalised package name, and the data's date.
#[derive(Clone, Debug, Default)]
pub struct Advisories {
    by_package: HashMap<String, Vec<Advisory>>,
    /// The source's snapshot date (`# date: YYYY-MM-DD` in the header), when given.
    pub date: Option<String>,
    /// Rows that could not be read (a damaged table): counted, not fatal.
    pub bad_rows: usize,
}

impl Advisories {
    /// Reads the table's text.
    pub fn parse(text: &str) -> Advisories {
        let mut out = Advisories::default();
        for line in text.lines() {
            if let Some(h) = line.strip_prefix('#') {
                if let Some(d) = h.trim().strip_prefix("date:") {
                    out.date = Some(d.trim().to_string());
                }
                continue;
            }
            if line.trim().is_empty() {
                continue;
            }
            match row(line) {
                Some((pkg, adv)) => out.by_package.entry(pkg).or_default().push(adv),
                None => out.bad_rows += 1,
            }
        }
        out
    }

    /// The advisories of a package (by its normalised name).
    pub fn of(&self, normalized: &str) -> &[Advisory] {
        self.by_package.get(normalized).map_or(&[], Vec::as_slice)
    }

    /// The number of advisory rows.
    pub fn len(&self) -> usize {
        self.by_package.values().map(Vec::len).sum()
    }

    /// True when the table holds no advisory.
    pub fn is_empty(&self) -> bool {
        self.by_package.is_empty()
    }
}

fn row(line: &str) -> Option<(String, Advisory)> {
    let mut cols = line.split('\t');
    let pkg = cols.next()?.to_string();
    let id = cols.next()?.to_string();
    let aliases = cols.next()?.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect();
    let spans = cols.next()?.split('|').map(span).collect::<Option<Vec<_>>>()?;
    let cvss = cols.next().and_then(|s| s.trim().parse::<f32>().ok());
    Some((pkg, Advisory { id, aliases, spans, cvss }))
}

fn span(s: &str) -> Option<Span> {
    let v = |t: &str| Version::from_str(t.trim()).ok();
    if let Some(one) = s.strip_prefix('=') {
        let one = v(one)?;
        return Some(Span { introduced: Some(one.clone()), end: Some((one, true)) });
    }
    let (lo, hi) = s.split_once(':')?;
    let introduced = if lo.is_empty() { None } else { Some(v(lo)?) };
    let end = match hi {
        "" => None,
        h if h.starts_with('=') => Some((v(&h[1..])?, true)),
        h => Some((v(h)?, false)),
    };
    Some(Span { introduced, end })
}

/// Days from 1970-01-01 to a `YYYY-MM-DD` date (proleptic Gregorian), for the age warning.
pub fn days_since_epoch(date: &str) -> Option<i64> {
    let mut it = date.trim().splitn(3, '-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: i64 = it.next()?.parse().ok()?;
    let d: i64 = it.next()?.get(..2)?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146097 + doe - 719468)
}

/// Tables older than this many days get a warning.
pub const STALE_AFTER_DAYS: i64 = 90;

/// The one-line warning for a table dated `date` when today is `today_days` (days since the
/// epoch; the caller's clock, so that tests can set it), or `None` while it is fresh.
pub fn staleness_warning(date: &str, today_days: i64) -> Option<String> {
    let age = today_days - days_since_epoch(date)?;
    (age > STALE_AFTER_DAYS).then(|| {
        format!(
            "warning: the advisory data is from {date} ({age} days old); refresh it with scripts/update-advisories (a newer advisory-database checkout or OSV's PyPI export) and rebuild pyward"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = "# date: 2024-10-10\ndjango\tPYSEC-1\tCVE-1,GHSA-1\t5.0:5.0.8|4.2:4.2.15\t9.8\njinja2\tPYSEC-2\t\t:2.10.1\t\nbad row\n";

    #[test]
    fn reads_rows_spans_and_date() {
        let t = Advisories::parse(TABLE);
        assert_eq!(t.date.as_deref(), Some("2024-10-10"));
        assert_eq!(t.bad_rows, 1);
        let d = &t.of("django")[0];
        assert_eq!(d.aliases, ["CVE-1", "GHSA-1"]);
        assert_eq!(d.cvss, Some(9.8));
        let v = |s: &str| Version::from_str(s).expect("version");
        assert_eq!(d.affecting(&v("4.2.3")).and_then(Span::fixed), Some(&v("4.2.15")));
        assert!(d.affecting(&v("4.2.15")).is_none());
        assert!(d.affecting(&v("4.1")).is_none());
        assert_eq!(d.spans[1].describe(), ">=4.2, <4.2.15");
        assert!(t.of("jinja2")[0].affecting(&v("2.10")).is_some());
    }

    #[test]
    fn staleness_uses_the_given_clock() {
        let day = days_since_epoch("2024-10-10").expect("date");
        assert_eq!(days_since_epoch("1970-01-01"), Some(0));
        assert_eq!(days_since_epoch("2000-03-01"), Some(11017));
        assert!(staleness_warning("2024-10-10", day + 90).is_none());
        let w = staleness_warning("2024-10-10", day + 91).expect("stale");
        assert!(w.contains("91 days old") && w.contains("scripts/update-advisories"), "{w}");
        assert!(staleness_warning("not a date", day).is_none());
    }
}
