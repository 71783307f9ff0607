//! Typosquat detection against the most-downloaded PyPI names (`data/popular.txt`, most
//! downloaded first).
//!
//! A name that is not popular itself imitates a popular one when, after PEP 503 normalisation:
//! - one edit turns it into the popular name (a letter added, dropped, changed, or two
//!   neighbours swapped: `reqeusts`), for names of 4 letters or more;
//! - only its separators differ (`python-dateutil` / `pythondateutil`);
//! - a common prefix or suffix was added or dropped (`python-`, `py`, `-python`, `-py`, `3`:
//!   `dateutil` for `python-dateutil`, `requests-py` for `requests`);
//! - it lacks the popular name's trailing digit (`beautifulsoup` for `beautifulsoup4`). This one
//!   also applies to a name on the list when it ranks below 5,000 and the digit-suffixed name in
//!   the top 1,000: the old, unmaintained name people install by mistake.
//!
//! The one-edit search uses a deletion neighbourhood: every popular name is indexed under itself
//! and each string one deletion away; a query looks up its own deletions, so each name costs
//! O(length) hash look-ups plus a check of the few candidates, never a scan of the list.

use std::collections::HashMap;

use rustc_hash::FxBuildHasher;

/// Prefixes and suffixes squatters add or drop.
const PREFIXES: &[&str] = &["python-", "python3-", "py-", "py"];
const SUFFIXES: &[&str] = &["-python", "-python3", "-py", "py", "3", "2"];

/// The popular names and their one-deletion index.
pub struct Popular {
    /// Names, most downloaded first (normalised).
    names: Vec<String>,
    rank: HashMap<String, u32, FxBuildHasher>,
    /// Each name and each of its one-deletion variants -> the names' ranks.
    deletions: HashMap<String, Vec<u32>, FxBuildHasher>,
}

impl Popular {
    /// Reads the list (one normalised name a line, `#` header lines).
    pub fn parse(text: &str) -> Popular {
        let names: Vec<String> = text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(super::normalize).collect();
        let mut rank = HashMap::with_capacity_and_hasher(names.len(), FxBuildHasher);
        let mut deletions: HashMap<String, Vec<u32>, FxBuildHasher> = HashMap::with_capacity_and_hasher(names.len() * 12, FxBuildHasher);
        for (i, n) in names.iter().enumerate() {
            rank.entry(n.clone()).or_insert(i as u32);
            for d in std::iter::once(n.clone()).chain(one_deletions(n)) {
                let list = deletions.entry(d).or_default();
                if list.last() != Some(&(i as u32)) {
                    list.push(i as u32);
                }
            }
        }
        Popular { names, rank, deletions }
    }

    /// How many names the list holds.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True for an empty list.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The 0-based download rank of a normalised name, when it is on the list.
    pub fn rank(&self, normalized: &str) -> Option<u32> {
        self.rank.get(normalized).copied()
    }

    /// The popular package a normalised name imitates, if it looks like a typosquat.
    pub fn imitated(&self, n: &str) -> Option<&str> {
        if n.is_empty() {
            return None;
        }
        if let Some(r) = self.rank(n) {
            return self.digit_dropped(n).filter(|&(best, _)| r >= 5000 && best < 1000).map(|(_, name)| name);
        }
        let by_rank = [self.one_edit(n), self.separators(n), self.affixes(n), self.digit_dropped(n).map(|(r, _)| r)];
        by_rank.into_iter().flatten().min().map(|r| self.names[r as usize].as_str())
    }

    /// The best-ranked popular name one edit (Damerau, adjacent swap counted as one) away.
    fn one_edit(&self, n: &str) -> Option<u32> {
        if n.chars().count() < 4 {
            return None;
        }
        let mut best: Option<u32> = None;
        for key in std::iter::once(n.to_string()).chain(one_deletions(n)) {
            for &r in self.deletions.get(&key).map_or(&[][..], Vec::as_slice) {
                if best.is_some_and(|b| b <= r) {
                    continue;
                }
                let cand = &self.names[r as usize];
                if cand != n && within_one_edit(n, cand) {
                    best = Some(r);
                }
            }
        }
        best
    }

    /// A popular name that differs only in separators (`-` dropped or added).
    fn separators(&self, n: &str) -> Option<u32> {
        let bare: String = n.chars().filter(|c| *c != '-').collect();
        if bare == n {
            // Only a name with separators can drop them; one without is matched by one_edit's
            // single insertion, or not at all (several dashes).
            return None;
        }
        self.rank(&bare)
    }

    /// A popular name with a common prefix or suffix added to or removed from `n`.
    fn affixes(&self, n: &str) -> Option<u32> {
        let mut cands: Vec<String> = Vec::new();
        for p in PREFIXES {
            cands.push(format!("{p}{n}"));
            if let Some(rest) = n.strip_prefix(p) {
                cands.push(rest.to_string());
            }
        }
        for s in SUFFIXES {
            cands.push(format!("{n}{s}"));
            if let Some(rest) = n.strip_suffix(s) {
                cands.push(rest.to_string());
            }
        }
        cands.iter().filter(|c| c.len() >= 3).filter_map(|c| self.rank(c)).min()
    }

    /// The popular name `n` + one digit, with its rank.
    fn digit_dropped(&self, n: &str) -> Option<(u32, &str)> {
        (b'0'..=b'9').filter_map(|d| self.rank(&format!("{n}{}", d as char))).min().map(|r| (r, self.names[r as usize].as_str()))
    }
}

/// Every string one character deletion away from `s`.
fn one_deletions(s: &str) -> impl Iterator<Item = String> + '_ {
    s.char_indices().map(move |(i, c)| {
        let mut d = String::with_capacity(s.len());
        d.push_str(&s[..i]);
        d.push_str(&s[i + c.len_utf8()..]);
        d
    })
}

/// Whether `a` and `b` differ by at most one insertion, deletion, substitution or swap of two
/// neighbouring characters.
fn within_one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let pre = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suf = a[pre..].iter().rev().zip(b[pre..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (a.len() - pre - suf, b.len() - pre - suf);
    match (ra, rb) {
        (0, 0) | (1, 0) | (0, 1) | (1, 1) => true,
        (2, 2) => a[pre] == b[pre + 1] && a[pre + 1] == b[pre],
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str = "# header\nrequests\nbeautifulsoup4\nnumpy\npython-dateutil\ndjango\nsix\nflask\n";

    #[test]
    fn names_the_imitated_package() {
        let p = Popular::parse(LIST);
        assert_eq!(p.imitated("reqeusts"), Some("requests"), "swap");
        assert_eq!(p.imitated("requets"), Some("requests"), "dropped letter");
        assert_eq!(p.imitated("requestss"), Some("requests"), "added letter");
        assert_eq!(p.imitated("numpi"), Some("numpy"), "changed letter");
        assert_eq!(p.imitated("beautifulsoup"), Some("beautifulsoup4"), "trailing digit");
        assert_eq!(p.imitated("dateutil"), Some("python-dateutil"), "prefix dropped");
        assert_eq!(p.imitated("pythondateutil"), Some("python-dateutil"), "separator");
        assert_eq!(p.imitated("django-py"), Some("django"), "suffix added");
        assert_eq!(p.imitated("requests"), None, "popular itself");
        assert_eq!(p.imitated("sax"), None, "short names need more than one edit");
        assert_eq!(p.imitated("totally-unrelated"), None);
    }

    #[test]
    fn edits_count_swaps_as_one() {
        assert!(within_one_edit("ab", "ba"));
        assert!(within_one_edit("abc", "abd"));
        assert!(!within_one_edit("abcd", "badc"));
        assert!(!within_one_edit("abc", "a"));
    }
}
