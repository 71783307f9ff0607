//! `hardcoded-pii`: string literals holding personal data of a shape that can be verified:
//! payment card numbers that pass the Luhn check, US social security numbers, IBANs with a
//! valid mod-97 check, and an e-mail address written with its password
//! (rules/secrets/hardcoded-pii.yaml). Check digits are what patterns cannot compute.

use crate::matching::matcher::Match;
use crate::syntax::ast::*;
use crate::syntax::visitor::NodeObserver;

use super::{NativeCheck, Registered};

/// The check's entry in the registry (`checks/mod.rs`).
pub const REGISTERED: Registered = Registered { name: "hardcoded-pii", start: || Box::new(PiiWalk::default()), needs: &[] };

/// Literals longer than this are not scanned (data blobs, embedded files).
const MAX_SCANNED: usize = 4096;

/// What kind of personal data a literal holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PiiKind {
    CardNumber,
    SocialSecurityNumber,
    Iban,
    EmailWithPassword,
}

/// The first kind of personal data found in `text`, if any.
pub fn find_pii(text: &str) -> Option<PiiKind> {
    if text.len() > MAX_SCANNED {
        return None;
    }
    if has_card_number(text) {
        return Some(PiiKind::CardNumber);
    }
    if has_ssn(text) {
        return Some(PiiKind::SocialSecurityNumber);
    }
    if is_iban(text) {
        return Some(PiiKind::Iban);
    }
    if has_email_password_pair(text) {
        return Some(PiiKind::EmailWithPassword);
    }
    None
}

/// The Luhn checksum used by payment cards: valid when the weighted digit sum ends in 0.
pub fn luhn_valid(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 1 {
                let twice = d * 2;
                if twice > 9 { twice - 9 } else { twice }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// A prefix that a card network issues (Visa, Mastercard, American Express, Discover, JCB,
/// Diners Club), with that network's length.
fn known_issuer(digits: &[u8]) -> bool {
    let prefix = |n: usize| digits.iter().take(n).fold(0u32, |acc, &d| acc * 10 + u32::from(d));
    let len = digits.len();
    match digits.first() {
        Some(4) => matches!(len, 13 | 16 | 19),
        Some(5) => (51..=55).contains(&prefix(2)) && len == 16,
        Some(2) => (2221..=2720).contains(&prefix(4)) && len == 16,
        Some(3) => {
            (matches!(prefix(2), 34 | 37) && len == 15)
                || ((3528..=3589).contains(&prefix(4)) && len == 16)
                || ((matches!(prefix(2), 36 | 38) || (300..=305).contains(&prefix(3))) && len == 14)
        }
        Some(6) => (prefix(4) == 6011 || prefix(2) == 65 || (644..=649).contains(&prefix(3))) && (16..=19).contains(&len),
        _ => false,
    }
}

/// A run of digits in a literal: its digit values, whether spaces or dashes separate groups,
/// and whether it is the whole (trimmed) literal.
struct DigitRun {
    digits: Vec<u8>,
    grouped: bool,
    whole: bool,
}

/// Runs of digits, each with single spaces or dashes allowed between digits, that are not
/// part of a longer word or number.
fn digit_runs(text: &str) -> Vec<DigitRun> {
    let bytes = text.as_bytes();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let glued = i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_' || bytes[i - 1] == b'.');
        if !bytes[i].is_ascii_digit() || glued {
            i += 1;
            continue;
        }
        let mut digits = Vec::new();
        let mut grouped = false;
        let mut j = i;
        while j < bytes.len() {
            if bytes[j].is_ascii_digit() {
                digits.push(bytes[j] - b'0');
                j += 1;
            } else if matches!(bytes[j], b' ' | b'-') && bytes.get(j + 1).is_some_and(u8::is_ascii_digit) {
                grouped = true;
                j += 1;
            } else {
                break;
            }
        }
        let glued_after = bytes.get(j).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
        if !glued_after {
            let whole = text[..i].trim().is_empty() && text[j..].trim().is_empty();
            runs.push(DigitRun { digits, grouped, whole });
        }
        i = j.max(i + 1);
    }
    runs
}

/// A card number is the whole literal, or is written in groups (`4111 1111 1111 1111`): a
/// bare 16-digit run inside longer text is as often a float mantissa or an id.
fn has_card_number(text: &str) -> bool {
    digit_runs(text).iter().any(|run| {
        let d = &run.digits;
        (run.whole || run.grouped) && (13..=19).contains(&d.len()) && known_issuer(d) && !all_same(d) && luhn_valid(d)
    })
}

fn all_same(d: &[u8]) -> bool {
    d.windows(2).all(|w| w[0] == w[1])
}

/// `ddd-dd-dddd` with the area, group and serial numbers the SSA issues (no 000, 666 or 9xx
/// area, no 00 group, no 0000 serial).
fn has_ssn(text: &str) -> bool {
    let b = text.as_bytes();
    (0..b.len().saturating_sub(10)).any(|i| {
        let w = &b[i..i + 11];
        let shape = w.iter().enumerate().all(|(k, c)| if k == 3 || k == 6 { *c == b'-' } else { c.is_ascii_digit() });
        let before_ok = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'-');
        let after_ok = b.get(i + 11).is_none_or(|c| !(c.is_ascii_alphanumeric() || *c == b'-'));
        shape && before_ok && after_ok && ssn_numbers_valid(w)
    })
}

fn ssn_numbers_valid(w: &[u8]) -> bool {
    let area = &w[0..3];
    area != b"000" && area != b"666" && area[0] != b'9' && &w[4..6] != b"00" && &w[7..11] != b"0000"
}

/// The whole literal is an IBAN (groups of four separated by spaces allowed) whose mod-97
/// check holds.
pub fn is_iban(text: &str) -> bool {
    let compact: Vec<u8> = text.trim().bytes().filter(|b| *b != b' ').collect();
    if !(15..=34).contains(&compact.len())
        || !compact[..2].iter().all(u8::is_ascii_uppercase)
        || !compact[2..4].iter().all(u8::is_ascii_digit)
        || !compact[4..].iter().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        || !compact[4..].iter().any(u8::is_ascii_digit)
    {
        return false;
    }
    let rearranged = compact[4..].iter().chain(&compact[..4]);
    let mut rem: u32 = 0;
    for &c in rearranged {
        let v = if c.is_ascii_digit() { u32::from(c - b'0') } else { u32::from(c - b'A') + 10 };
        rem = if v >= 10 { (rem * 100 + v) % 97 } else { (rem * 10 + v) % 97 };
    }
    rem == 1
}

/// `user@example.com:password` (a credential pair, as in leaked combo lists).
fn has_email_password_pair(text: &str) -> bool {
    text.split_whitespace().any(|word| {
        let Some((email, password)) = word.split_once(':') else { return false };
        looks_like_email(email) && password.len() >= 4 && !password.contains(['/', '@']) && !password.starts_with(['{', '%', '$', '<'])
    })
}

fn looks_like_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    !local.is_empty()
        && local.bytes().all(|b| b.is_ascii_alphanumeric() || b"._+-".contains(&b))
        && domain.contains('.')
        && domain.bytes().all(|b| b.is_ascii_alphanumeric() || b".-".contains(&b))
        && !domain.ends_with('.')
}

fn is_email_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k == "email" || k == "e-mail" || k.ends_with("_email") || k == "username" || k == "login"
}

fn is_password_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k.contains("password") || k.contains("passwd") || k == "pwd"
}

/// A dict literal that pairs an e-mail address with a literal password: the e-mail's span.
fn email_with_password_in_dict(items: &[(Option<Expr>, Expr)]) -> Option<Span> {
    let literal = |key: fn(&str) -> bool| {
        items.iter().find_map(|(k, v)| match (k.as_ref().map(|k| &k.kind), &v.kind) {
            (Some(ExprKind::Str(name)), ExprKind::Str(value)) if key(name) && !value.is_empty() => Some((value, v.span)),
            _ => None,
        })
    };
    let (email, span) = literal(is_email_key)?;
    literal(is_password_key)?;
    looks_like_email(email).then_some(span)
}

/// The hardcoded-pii check, node by node on the matcher's walk.
#[derive(Debug, Default)]
pub struct PiiWalk {
    out: Vec<Match<'static>>,
    /// The docstring-like expression statement being visited: documentation, not data.
    skip: Option<Span>,
}

impl PiiWalk {
    fn report(&mut self, span: Span) {
        if !self.out.iter().any(|m| m.span == span) {
            self.out.push(Match::at(span));
        }
    }

    /// One expression: string literals and dict literals.
    #[inline]
    pub fn visit_expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Str(s) if Some(e.span) != self.skip && s.len() >= 9 && find_pii(s).is_some() => {
                self.report(e.span);
            }
            ExprKind::Dict(items) if items.len() >= 2 => {
                if let Some(span) = email_with_password_in_dict(items) {
                    self.report(span);
                }
            }
            _ => {}
        }
    }

    /// One statement: remembers a bare string statement (a docstring) so it is not scanned.
    #[inline]
    pub fn visit_stmt(&mut self, s: &Stmt) {
        if let StmtKind::Expr(Expr { kind: ExprKind::Str(_), span }) = &s.kind {
            self.skip = Some(*span);
        }
    }
}

impl NativeCheck for PiiWalk {
    fn finish(self: Box<Self>) -> Vec<Vec<Match<'static>>> {
        vec![self.out]
    }
}

impl NodeObserver for PiiWalk {
    #[inline]
    fn stmt(&mut self, s: &Stmt) {
        self.visit_stmt(s);
    }

    #[inline]
    fn expr(&mut self, e: &Expr, _depth: u32) {
        self.visit_expr(e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_accepts_issued_numbers_and_rejects_typos() {
        let digits = |s: &str| s.bytes().map(|b| b - b'0').collect::<Vec<_>>();
        assert!(luhn_valid(&digits("4111111111111111")));
        assert!(luhn_valid(&digits("378282246310005")));
        assert!(!luhn_valid(&digits("4111111111111112")));
    }

    #[test]
    fn card_numbers_need_an_issuer_a_length_and_the_checksum() {
        assert_eq!(find_pii("4111 1111 1111 1111"), Some(PiiKind::CardNumber));
        assert_eq!(find_pii("card: 5555-5555-5555-4444 exp 12/29"), Some(PiiKind::CardNumber));
        assert_eq!(find_pii("3782 822463 10005"), Some(PiiKind::CardNumber));
        assert_eq!(find_pii("4111111111111112"), None, "fails Luhn");
        assert_eq!(find_pii("1234567812345670"), None, "no issuer starts with 1");
        assert_eq!(find_pii("order-4111111111111111x"), None, "part of a longer word");
        assert_eq!(find_pii("**** **** **** 1111"), None);
        assert_eq!(find_pii("mpf((0, 4111111111111111, -53, 53))"), None, "a bare run inside code");
    }

    #[test]
    fn ssn_shapes_follow_the_issuing_rules() {
        assert_eq!(find_pii("SSN 123-45-6789"), Some(PiiKind::SocialSecurityNumber));
        assert_eq!(find_pii("000-12-3456"), None);
        assert_eq!(find_pii("666-12-3456"), None);
        assert_eq!(find_pii("123-00-6789"), None);
        assert_eq!(find_pii("2024-01-15"), None);
        assert_eq!(find_pii("555-123-4567"), None, "a phone number");
    }

    #[test]
    fn iban_needs_the_mod_97_check() {
        assert_eq!(find_pii("GB82 WEST 1234 5698 7654 32"), Some(PiiKind::Iban));
        assert_eq!(find_pii("DE89370400440532013000"), Some(PiiKind::Iban));
        assert_eq!(find_pii("GB82 WEST 1234 5698 7654 33"), None);
        assert_eq!(find_pii("ABCDEFGHIJKLMNOPQ"), None);
    }

    #[test]
    fn email_password_pairs() {
        assert_eq!(find_pii("alice@example.com:Winter2024!"), Some(PiiKind::EmailWithPassword));
        assert_eq!(find_pii("mailto:alice@example.com"), None);
        assert_eq!(find_pii("alice@example.com:{password}"), None);
        assert_eq!(find_pii("https://alice@example.com:8080/x"), None);
    }

    #[test]
    fn long_literals_are_not_scanned() {
        let blob = format!("{} 4111111111111111", "x".repeat(MAX_SCANNED));
        assert_eq!(find_pii(&blob), None);
    }
}
