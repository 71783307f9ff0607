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

/// The name tables (built by build.rs from the Unicode data).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Tables<'a> {
    /// Every name, in code point order, front-coded: for each name, a byte with the length of
    /// the prefix it shares with the previous name, the rest of it, and a newline.
    names: &'a [u8],
    /// The code point of each name: its gap from the previous one, minus one (LEB128).
    gaps: &'a [u8],
    /// `ALIAS;HEX` lines.
    aliases: &'a str,
}

/// The first bytes of the tables as one file (build.rs writes it as table.bin).
const TABLE_HEADER: &[u8] = b"pyward unicode names 16.0 v1\n";

/// Natively the tables are part of the program. In the playground's WebAssembly they are not
/// (113 KB of its gzipped engine, for an escape few programs have): the worker fetches table.bin
/// when a text has `\N{` and hands it to [`install`].
#[cfg(not(target_arch = "wasm32"))]
fn tables() -> Option<Tables<'static>> {
    Some(Tables {
        names: include_bytes!(concat!(env!("OUT_DIR"), "/names.bin")),
        gaps: include_bytes!(concat!(env!("OUT_DIR"), "/deltas.bin")),
        aliases: include_str!(concat!(env!("OUT_DIR"), "/aliases.txt")),
    })
}

#[cfg(target_arch = "wasm32")]
static INSTALLED: OnceLock<Tables<'static>> = OnceLock::new();

#[cfg(target_arch = "wasm32")]
fn tables() -> Option<Tables<'static>> {
    INSTALLED.get().copied()
}

/// The tables as one file (table.bin), as [`install`] takes them. (In wasm32 only what calls it
/// embeds it: the engine does not.)
pub fn table_file() -> &'static [u8] {
    include_bytes!(concat!(env!("OUT_DIR"), "/table.bin"))
}

/// Are the name tables there (always natively; in wasm32 once [`install`]ed)?
pub fn available() -> bool {
    tables().is_some()
}

/// Installs the name tables from table.bin's bytes, after checking all of them (a truncated or
/// corrupted file is refused with the reason, and lookups stay as they were). Natively the
/// tables are built in: the file is checked, then dropped. A second install keeps the first.
pub fn install(file: Vec<u8>) -> Result<(), String> {
    // Checked on a borrowed copy first: only a good file is kept.
    Tables::read(&file)?;
    #[cfg(target_arch = "wasm32")]
    {
        // Kept for the life of the program (the tables' lifetime is 'static); one file at most.
        if INSTALLED.get().is_none() {
            let file: &'static [u8] = Box::leak(file.into_boxed_slice());
            if let Ok(t) = Tables::read(file) {
                let _ = INSTALLED.set(t);
            }
        }
    }
    Ok(())
}

static UNRESOLVED: AtomicU32 = AtomicU32::new(0);

/// How many `\N{...}` lookups were answered without the tables (with U+FFFD, as the name could
/// not be checked): a caller compares the count before and after parsing to tell that a text's
/// string values are not all known. Always 0 where the tables are built in.
pub fn unresolved() -> u32 {
    UNRESOLVED.load(Ordering::Relaxed)
}

impl<'a> Tables<'a> {
    /// Splits table.bin into its tables and checks every name, gap and alias in them.
    fn read(file: &'a [u8]) -> Result<Tables<'a>, String> {
        let mut rest = file.strip_prefix(TABLE_HEADER).ok_or("not a pyward Unicode name table (wrong header)")?;
        let mut parts = [&[][..]; 3];
        for part in &mut parts {
            let (len, tail) = rest.split_first_chunk::<4>().ok_or("the Unicode name table is truncated")?;
            let len = usize::try_from(u32::from_le_bytes(*len)).map_err(|_| "table too large")?;
            if len > tail.len() {
                return Err("the Unicode name table is truncated".into());
            }
            (*part, rest) = tail.split_at(len);
        }
        if !rest.is_empty() {
            return Err("the Unicode name table has extra bytes at its end".into());
        }
        let aliases = std::str::from_utf8(parts[2]).map_err(|_| "the Unicode name table's aliases are not UTF-8")?;
        let t = Tables { names: parts[0], gaps: parts[1], aliases };
        // Every entry decodes, and names and gaps end together.
        let mut count = 0usize;
        let mut bad = false;
        t.each_name(|name, c| {
            count += 1;
            bad = c.is_none() || name.len() > MAX_NAME_LENGTH;
            bad
        });
        // (Each name ends at a newline; only the last one could lack it.)
        let unterminated = !t.names.is_empty() && !t.names.ends_with(b"\n");
        if bad || unterminated || t.gap_count() != Some(count) {
            return Err("the Unicode name table's names are corrupted".into());
        }
        if t.alias_entries().any(|a| a.is_none()) {
            return Err("the Unicode name table's aliases are corrupted".into());
        }
        Ok(t)
    }

    /// The number of gaps, if they are all well formed (at most 4 LEB128 bytes each).
    fn gap_count(&self) -> Option<usize> {
        let (mut n, mut len) = (0, 0);
        for &b in self.gaps {
            len += 1;
            if len > 4 {
                return None;
            }
            if b & 0x80 == 0 {
                n += 1;
                len = 0;
            }
        }
        (len == 0).then_some(n)
    }

    /// Calls `f` with every name and its character (`None` for an entry that does not decode),
    /// in code point order, until it returns true.
    fn each_name(&self, mut f: impl FnMut(&[u8], Option<char>) -> bool) {
        let mut name: Vec<u8> = Vec::with_capacity(MAX_NAME_LENGTH);
        let mut code: i64 = -1;
        let (mut gaps, mut rest) = (self.gaps.iter(), self.names);
        while let Some((&shared, tail)) = rest.split_first() {
            let end = tail.iter().position(|&b| b == b'\n').unwrap_or(tail.len());
            name.truncate(usize::from(shared));
            name.extend_from_slice(&tail[..end]);
            rest = tail.get(end + 1..).unwrap_or_default();
            let (mut gap, mut shift) = (0u32, 0u32);
            for &b in gaps.by_ref() {
                gap |= u32::from(b & 0x7f).checked_shl(shift).unwrap_or(0);
                shift += 7;
                if b & 0x80 == 0 {
                    break;
                }
            }
            code += i64::from(gap) + 1;
            let c = u32::try_from(code).ok().and_then(char::from_u32);
            if f(&name, c) {
                return;
            }
        }
    }

    /// The character named `upper`, by a scan of the names.
    fn find_named(&self, upper: &[u8]) -> Option<char> {
        let mut found = None;
        self.each_name(|n, c| {
            if n == upper {
                found = c;
            }
            n == upper
        });
        found
    }

    /// Every formal alias with its character (`None` for a line that does not decode).
    fn alias_entries(&self) -> impl Iterator<Item = Option<(&'a str, char)>> + 'a {
        self.aliases.lines().map(|line| {
            let (alias, code) = line.split_once(';')?;
            let c = u32::from_str_radix(code, 16).ok().and_then(char::from_u32)?;
            Some((alias, c))
        })
    }

    fn aliases(&self) -> impl Iterator<Item = (&'a str, char)> + 'a {
        self.alias_entries().flatten()
    }
}
const HANGUL_SYLLABLE_PREFIX: &[u8] = b"HANGUL SYLLABLE ";
const CJK_UNIFIED_IDEOGRAPH_PREFIX: &[u8] = b"CJK UNIFIED IDEOGRAPH-";

/// Lookups answered by a scan before the table is built.
const SCANNED_LOOKUPS: u32 = 8;

/// A lookup without the hash table: the names first, then the aliases (a name wins over an
/// alias spelled the same, as in unicode_names2, which tries the names first).
fn scan(t: Tables<'_>, upper: &[u8]) -> Option<char> {
    t.find_named(upper).or_else(|| t.aliases().find(|(n, _)| n.as_bytes() == upper).map(|(_, c)| c))
}

/// Name or alias (upper case) -> character, built when the scans have been used up.
fn table(t: Tables<'_>) -> &'static HashMap<Box<[u8]>, char> {
    static TABLE: OnceLock<HashMap<Box<[u8]>, char>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map = HashMap::with_capacity(41_000);
        // Aliases first: a name wins over an alias spelled the same (as in unicode_names2, which
        // tries the names first).
        for (alias, c) in t.aliases() {
            map.insert(alias.as_bytes().into(), c);
        }
        t.each_name(|name, c| {
            if let Some(c) = c {
                map.insert(name.into(), c);
            }
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

    let Some(t) = tables() else {
        // Not installed (wasm32): the name cannot be checked. The string gets U+FFFD, and the
        // count tells the caller that its value is not known.
        UNRESOLVED.fetch_add(1, Ordering::Relaxed);
        return Some(char::REPLACEMENT_CHARACTER);
    };
    static LOOKUPS: AtomicU32 = AtomicU32::new(0);
    if LOOKUPS.fetch_add(1, Ordering::Relaxed) < SCANNED_LOOKUPS {
        return scan(t, search_name);
    }
    table(t).get(search_name).copied()
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
        let t = tables().unwrap();
        let names = names();
        for (name, c) in names.iter().step_by(97) {
            assert_eq!(scan(t, name.as_bytes()), Some(*c), "{name}");
            assert_eq!(table(t).get(name.as_bytes()).copied(), Some(*c), "{name}");
        }
        for (input, want) in [("NBSP", Some('\u{A0}')), ("LINE FEED", Some('\n')), ("NOT A NAME", None), ("", None)] {
            assert_eq!(scan(t, input.as_bytes()), want, "{input}");
            assert_eq!(table(t).get(input.as_bytes()).copied(), want, "{input}");
        }
    }

    /// table.bin holds the same tables; a damaged copy is refused, without a panic.
    #[test]
    fn the_table_file_round_trips_and_damage_is_refused() {
        let file = table_file();
        assert!(Tables::read(file) == Ok(tables().unwrap()));
        assert_eq!(install(file.to_vec()), Ok(()));
        assert!(available());
        let t = Tables::read(file).unwrap();
        assert_eq!(scan(t, b"BULLET"), Some('•'));
        assert_eq!(scan(t, b"NBSP"), Some('\u{A0}'));

        assert!(install(Vec::new()).is_err());
        assert!(install(b"something else".to_vec()).is_err());
        for cut in [TABLE_HEADER.len(), TABLE_HEADER.len() + 3, file.len() / 3, file.len() / 2, file.len() - 1] {
            assert!(Tables::read(&file[..cut]).is_err(), "cut at {cut}");
        }
        let mut longer = file.to_vec();
        longer.push(b'x');
        assert!(Tables::read(&longer).is_err());
        // Every byte of the tables (a sample) changed: refused, or still a table of valid
        // characters; never a panic.
        let mut refused = 0;
        for i in (TABLE_HEADER.len()..file.len()).step_by(997) {
            for v in [0u8, b'\n', 0x80, 0xff] {
                let mut bad = file.to_vec();
                bad[i] = v;
                if let Ok(t) = Tables::read(&bad) {
                    t.each_name(|_, c| {
                        assert!(c.is_some());
                        false
                    });
                } else {
                    refused += 1;
                }
            }
        }
        assert!(refused > 0);
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
