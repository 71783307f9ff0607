//! pyward's patch of the `unicode_names2` crate (`[patch.crates-io]` in the workspace
//! Cargo.toml): only [`character`], the one function ruff_python_parser 0.0.10 calls (for the
//! `\N{NAME}` escapes of string literals, in its src/string.rs).
//!
//! Why: the size of the playground's engine wasm. unicode_names2 1.3.0 stores its names as a
//! phrasebook (a lexicon of words plus per-character word indices) behind perfect-hash tables;
//! that packing is small uncompressed but nearly incompressible, and measured ~396 KB of the
//! 1,249 KB gzipped engine wasm. Here the same names are text in code point order (plus a
//! LEB128 list of code point gaps), which gzip compresses ~2.5x better. Measured (gzip -9 of
//! the built pyward_wasm_bg.wasm): 1,248,627 -> 1,008,640 bytes (-240 KB, -19%), though the raw
//! wasm grows by 285 KB (3,004,645 -> 3,289,602 bytes).
//! The names are then front-coded (each stored as the length of the prefix it shares with the
//! previous name plus the rest: consecutive names share long prefixes such as `LATIN SMALL LETTER
//! `): gzipped engine 989,479 -> 941,788 bytes (-48 KB), raw 3,248,789 -> 2,559,176 bytes.
//!
//! The first few `\N{...}` escapes of a process are looked up by scanning the names (one pass
//! that rebuilds each front-coded name, about 1 ms native for a miss); from the ninth on, a
//! lookup table (a `HashMap` from name to character) is built once, ~10 ms native (~20-70 ms in
//! V8, measured before front coding), then ~1.5 µs a lookup. Most programs have no such escape or only a few, so most never pay for the table
//! (a scan of the standard library used to spend ~25 million instructions building it).
//! Tried and dropped for the table: FxHash (slower here: its weak low bits collide), and
//! building in chunks so that V8 tiers the loop up (no gain).
//!
//! Same answers as unicode_names2 1.3.0 (same Unicode 16.0 data, same selection: every name,
//! every formal alias, Hangul syllables, CJK unified ideographs, case-insensitive in ASCII),
//! compared on 29.7 million inputs: every name, alias, Hangul syllable and `CJK UNIFIED
//! IDEOGRAPH-` number, their lower-case forms and near misses (cut, extended, one byte changed,
//! random word salad). The one difference is deliberate: unicode_names2 1.3.0 does not check that
//! the input ends where the name it found ends, so a name followed by extra text is sometimes
//! accepted there (8 distinct inputs of the 29.7 million, e.g. `DOWNWARDS DOUBLE ARROW ` with a
//! trailing space, or `TRIPLE PLUSé`); here it is not, as in CPython.
//!
//! Data: data/UnicodeData-names.txt and data/NameAliases.txt (see data/README.md), turned into
//! the embedded tables by build.rs.
use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

mod jamo;

mod consts {
    include!(concat!(env!("OUT_DIR"), "/consts.rs"));
}
use consts::{CJK_IDEOGRAPH_RANGES, MAX_NAME_LENGTH};

/// Every name, in code point order, front-coded (see build.rs): for each name, a byte with the
/// length of the prefix it shares with the previous name, the rest of it, and a newline.
static NAMES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/names.bin"));
/// The code point of each name of `NAMES`: its gap from the previous one, minus one (LEB128).
static GAPS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/deltas.bin"));
/// `ALIAS;HEX` lines.
static ALIASES: &str = include_str!(concat!(env!("OUT_DIR"), "/aliases.txt"));

const HANGUL_SYLLABLE_PREFIX: &[u8] = b"HANGUL SYLLABLE ";
const CJK_UNIFIED_IDEOGRAPH_PREFIX: &[u8] = b"CJK UNIFIED IDEOGRAPH-";

/// Lookups answered by a scan before the table is built.
const SCANNED_LOOKUPS: u32 = 8;

/// Calls `f` with every name and its character, in code point order, until it returns true;
/// returns that name's character. (The names are front-coded, so each is rebuilt in one buffer.)
fn find_named(mut f: impl FnMut(&[u8], char) -> bool) -> Option<char> {
    let mut name: Vec<u8> = Vec::with_capacity(MAX_NAME_LENGTH);
    let mut code: i64 = -1;
    let (mut gaps, mut rest) = (GAPS.iter(), NAMES);
    while let Some((&shared, tail)) = rest.split_first() {
        let end = tail.iter().position(|&b| b == b'\n').unwrap_or(tail.len());
        name.truncate(usize::from(shared));
        name.extend_from_slice(&tail[..end]);
        rest = tail.get(end + 1..).unwrap_or_default();
        let (mut gap, mut shift) = (0u32, 0);
        for &b in gaps.by_ref() {
            gap |= u32::from(b & 0x7f) << shift;
            shift += 7;
            if b & 0x80 == 0 {
                break;
            }
        }
        code += i64::from(gap) + 1;
        let c = u32::try_from(code).ok().and_then(char::from_u32).expect("a char in the built table");
        if f(&name, c) {
            return Some(c);
        }
    }
    None
}

/// Every formal alias with its character.
fn aliases() -> impl Iterator<Item = (&'static str, char)> {
    ALIASES.lines().map(|line| {
        let (alias, code) = line.split_once(';').expect("alias;code in the built table");
        let code = u32::from_str_radix(code, 16).expect("hex code point in the built table");
        (alias, char::from_u32(code).expect("a char in the built table"))
    })
}

/// A lookup without the table: the names first, then the aliases (a name wins over an alias
/// spelled the same, as in unicode_names2, which tries the names first).
fn scan(upper: &[u8]) -> Option<char> {
    find_named(|n, _| n == upper).or_else(|| aliases().find(|(n, _)| n.as_bytes() == upper).map(|(_, c)| c))
}

/// Name or alias (upper case) -> character, built when the scans have been used up.
fn table() -> &'static HashMap<Box<[u8]>, char> {
    static TABLE: OnceLock<HashMap<Box<[u8]>, char>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map = HashMap::with_capacity(41_000);
        // Aliases first: a name wins over an alias spelled the same (as in unicode_names2, which
        // tries the names first).
        for (alias, c) in aliases() {
            map.insert(alias.as_bytes().into(), c);
        }
        find_named(|name, c| {
            map.insert(name.into(), c);
            false
        });
        map
    })
}

/// Finds the character named `search_name` (a name, a formal alias, `HANGUL SYLLABLE ...` or
/// `CJK UNIFIED IDEOGRAPH-XXXX`), case-insensitively (ASCII letters), or `None` if there is
/// none. Any input, of any length, is answered without panicking.
pub fn character(search_name: &str) -> Option<char> {
    // No name is longer; this also bounds the upper-case copy below.
    if search_name.len() > MAX_NAME_LENGTH {
        return None;
    }
    let mut buf = [0u8; MAX_NAME_LENGTH];
    let upper = &mut buf[..search_name.len()];
    upper.copy_from_slice(search_name.as_bytes());
    upper.make_ascii_uppercase();
    let search_name = &*upper;

    if let Some(remaining) = search_name.strip_prefix(HANGUL_SYLLABLE_PREFIX) {
        let (choseong, remaining) = jamo::slice_shift_choseong(remaining);
        let (jungseong, remaining) = jamo::slice_shift_jungseong(remaining);
        let (jongseong, remaining) = jamo::slice_shift_jongseong(remaining);
        // No other name starts with `HANGUL SYLLABLE `.
        return match (choseong, jungseong, jongseong, remaining) {
            (Some(choseong), Some(jungseong), Some(jongseong), b"") => {
                char::from_u32(0xac00 + (choseong * 21 + jungseong) * 28 + jongseong)
            }
            _ => None,
        };
    }

    if let Some(digits) = search_name.strip_prefix(CJK_UNIFIED_IDEOGRAPH_PREFIX) {
        // No other name starts with `CJK UNIFIED IDEOGRAPH-`.
        if digits.len() > 5 {
            return None;
        }
        let mut v = 0u32;
        for &c in digits {
            v = match c {
                b'0'..=b'9' => (v << 4) | u32::from(c - b'0'),
                b'A'..=b'F' => (v << 4) | u32::from(c - b'A' + 10),
                _ => return None,
            }
        }
        let ch = char::from_u32(v)?;
        return CJK_IDEOGRAPH_RANGES.iter().any(|&(lo, hi)| lo <= ch && ch <= hi).then_some(ch);
    }

    static LOOKUPS: AtomicU32 = AtomicU32::new(0);
    if LOOKUPS.fetch_add(1, Ordering::Relaxed) < SCANNED_LOOKUPS {
        return scan(search_name);
    }
    table().get(search_name).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    static DATA: &str = include_str!("../data/UnicodeData-names.txt");
    static ALIAS_DATA: &str = include_str!("../data/NameAliases.txt");

    fn hex(s: &str) -> char {
        char::from_u32(u32::from_str_radix(s, 16).unwrap()).unwrap()
    }

    /// (name, character) for every named character of the data (not the `<...>` entries).
    fn names() -> Vec<(&'static str, char)> {
        DATA.lines()
            .map(|l| l.split_once(';').unwrap())
            .filter(|(_, name)| !name.starts_with('<'))
            .map(|(code, name)| (name, hex(code)))
            .collect()
    }

    #[test]
    fn every_name_maps_to_its_character() {
        let names = names();
        assert!(names.len() > 40_000, "{}", names.len());
        for (name, c) in names {
            assert_eq!(character(name), Some(c), "{name}");
            assert_eq!(character(&name.to_ascii_lowercase()), Some(c), "{name}");
        }
    }

    /// The scan (the first lookups of a process) and the table agree on a sample of names,
    /// aliases and misses.
    #[test]
    fn the_scan_answers_as_the_table() {
        let names = names();
        for (name, c) in names.iter().step_by(97) {
            assert_eq!(scan(name.as_bytes()), Some(*c), "{name}");
            assert_eq!(table().get(name.as_bytes()).copied(), Some(*c), "{name}");
        }
        for (input, want) in [("NBSP", Some('\u{A0}')), ("LINE FEED", Some('\n')), ("NOT A NAME", None), ("", None)] {
            assert_eq!(scan(input.as_bytes()), want, "{input}");
            assert_eq!(table().get(input.as_bytes()).copied(), want, "{input}");
        }
    }

    #[test]
    fn every_alias_maps_to_its_character() {
        let names: std::collections::HashSet<&str> = names().into_iter().map(|(n, _)| n).collect();
        let mut count = 0;
        for line in ALIAS_DATA.lines().filter(|l| !l.is_empty() && !l.starts_with('#')) {
            let mut fields = line.split(';');
            let (c, alias) = (hex(fields.next().unwrap()), fields.next().unwrap());
            assert!(!names.contains(alias), "{alias} is also a name");
            assert_eq!(character(alias), Some(c), "{alias}");
            assert_eq!(character(&alias.to_ascii_lowercase()), Some(c), "{alias}");
            count += 1;
        }
        assert!(count > 450, "{count}");
        // One of each type: correction, control, alternate, figment, abbreviation.
        assert_eq!(character("LATIN CAPITAL LETTER GHA"), Some('\u{1A2}'));
        assert_eq!(character("LINE FEED"), Some('\n'));
        assert_eq!(character("BYTE ORDER MARK"), Some('\u{FEFF}'));
        assert_eq!(character("SINGLE GRAPHIC CHARACTER INTRODUCER"), Some('\u{99}'));
        assert_eq!(character("NBSP"), Some('\u{A0}'));
    }

    #[test]
    fn hangul_syllables() {
        let mut c = 0xAC00;
        for cho in jamo::CHOSEONG {
            for jung in jamo::JUNGSEONG {
                for jong in jamo::JONGSEONG {
                    let name = format!("HANGUL SYLLABLE {cho}{jung}{jong}");
                    assert_eq!(character(&name), char::from_u32(c), "{name}");
                    c += 1;
                }
            }
        }
        assert_eq!(c, 0xD7A4);
        assert_eq!(character("HANGUL SYLLABLE GA"), Some('\u{AC00}'));
        assert_eq!(character("hangul syllable hih"), Some('\u{D7A3}'));
        assert_eq!(character("HANGUL SYLLABLE A"), Some('\u{C544}'));
        assert_eq!(character("HANGUL SYLLABLE "), None);
        assert_eq!(character("HANGUL SYLLABLE G"), None);
        assert_eq!(character("HANGUL SYLLABLE GAX"), None);
        assert_eq!(character("HANGUL SYLLABLE GA "), None);
        assert_eq!(character("HANGUL SYLLABLE"), None);
    }

    #[test]
    fn cjk_unified_ideographs() {
        let mut ranges = 0;
        let mut lines = DATA.lines();
        while let Some(line) = lines.next() {
            if line.contains("<CJK Ideograph") {
                let first = hex(line.split(';').next().unwrap());
                let last = hex(lines.next().unwrap().split(';').next().unwrap());
                for c in [first, last] {
                    let name = format!("CJK UNIFIED IDEOGRAPH-{:X}", c as u32);
                    assert_eq!(character(&name), Some(c), "{name}");
                    assert_eq!(character(&name.to_ascii_lowercase()), Some(c), "{name}");
                }
                let before = format!("CJK UNIFIED IDEOGRAPH-{:X}", first as u32 - 1);
                let after = format!("CJK UNIFIED IDEOGRAPH-{:X}", last as u32 + 1);
                assert_eq!(character(&before), None, "{before}");
                assert_eq!(character(&after), None, "{after}");
                ranges += 1;
            }
        }
        assert!(ranges >= 10, "{ranges}");
        assert_eq!(character("CJK UNIFIED IDEOGRAPH-4E00"), Some('一'));
        assert_eq!(character("CJK UNIFIED IDEOGRAPH-04E00"), Some('一'));
        assert_eq!(character("CJK UNIFIED IDEOGRAPH-20000"), Some('\u{20000}'));
        assert_eq!(character("CJK UNIFIED IDEOGRAPH-004E00"), None);
        assert_eq!(character("CJK UNIFIED IDEOGRAPH-"), None);
        assert_eq!(character("CJK UNIFIED IDEOGRAPH-0041"), None);
        assert_eq!(character("CJK UNIFIED IDEOGRAPH-4E0G"), None);
        assert_eq!(character("CJK UNIFIED IDEOGRAPH-D800"), None);
        assert_eq!(character("CJK UNIFIED IDEOGRAPH-4E00 "), None);
    }

    #[test]
    fn case_insensitive() {
        assert_eq!(character("BULLET"), Some('•'));
        assert_eq!(character("bullet"), Some('•'));
        assert_eq!(character("BuLlEt"), Some('•'));
        assert_eq!(character("latin small letter a"), Some('a'));
        assert_eq!(character("Latin Capital Letter A"), Some('A'));
        assert_eq!(character("nbsp"), Some('\u{A0}'));
        assert_eq!(character("Greek Small Letter Alpha"), Some('α'));
    }

    #[test]
    fn none_and_no_panic() {
        for s in [
            "",
            " ",
            "NOT A REAL NAME",
            "BULLET ",
            " BULLET",
            "BULLETX",
            "BULLET\nNULL",
            "BULLET;2022",
            "\0",
            "•",
            "BULLÉT",
            "bullét",
            "ß",
            "İ",
            "<control>",
            "<CJK Ideograph, First>",
            // unicode_names2 1.3.0 accepts these (no check that the input ends with the name).
            "DOWNWARDS DOUBLE ARROW ",
            "COMBINING BREVE-MACRO",
            "TRIPLE PLUSé",
            "YI SYLLABLE TIEX-1",
        ] {
            assert_eq!(character(s), None, "{s:?}");
        }
        let longest = names().into_iter().map(|(n, _)| n.len()).max().unwrap();
        assert_eq!(longest, MAX_NAME_LENGTH);
        for len in [longest - 1, longest, longest + 1, longest + 2, 1_000, 1_000_000] {
            assert_eq!(character(&"A".repeat(len)), None, "{len}");
            assert_eq!(character(&"é".repeat(len)), None, "{len}");
            assert_eq!(character(&format!("HANGUL SYLLABLE {}", "G".repeat(len))), None);
            assert_eq!(character(&format!("CJK UNIFIED IDEOGRAPH-{}", "4".repeat(len))), None);
        }
        // A multi-byte character across the length limit.
        let s = format!("{}é", "A".repeat(MAX_NAME_LENGTH - 1));
        assert_eq!(character(&s), None);
    }
}
