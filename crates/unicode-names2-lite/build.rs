//! Turns data/UnicodeData-names.txt and data/NameAliases.txt (Unicode 16.0, the data of
//! unicode_names2 1.3.0) into the tables `src/lib.rs` embeds, in `OUT_DIR`:
//! - names.bin: every character name, in code point order, front-coded: a byte with the length
//!   of the prefix shared with the previous name, the rest of the name, a newline;
//! - deltas.bin: the code point of each name as the gap from the previous one (LEB128);
//! - aliases.txt: `ALIAS;HEX` lines, every formal alias (all five types);
//! - consts.rs: the longest name's length and the CJK unified ideograph ranges;
//! - table.bin: the first three in one file, for builds that load them at run time (wasm32).
//!
//! The selection is unicode_names2_generator's: the `<...>` entries (controls, ranges) have no
//! name of their own; the `<CJK Ideograph..., First>`/`<..., Last>` pairs give the ranges named
//! `CJK UNIFIED IDEOGRAPH-XXXX`; Hangul syllables are named algorithmically (src/jamo.rs).
use std::fmt::Write as _;
use std::path::PathBuf;

fn hex(s: &str) -> u32 {
    u32::from_str_radix(s, 16).expect("hex code point in the Unicode data")
}

fn main() {
    println!("cargo:rerun-if-changed=data/UnicodeData-names.txt");
    println!("cargo:rerun-if-changed=data/NameAliases.txt");
    let data = std::fs::read_to_string("data/UnicodeData-names.txt").expect("data/UnicodeData-names.txt");
    let aliases = std::fs::read_to_string("data/NameAliases.txt").expect("data/NameAliases.txt");

    let mut names = Vec::new();
    let mut prev_name = "";
    let mut deltas = Vec::new();
    let mut cjk = Vec::new();
    let mut prev: i64 = -1;
    let mut longest = 0;
    let mut lines = data.lines().filter(|l| !l.trim().is_empty());
    while let Some(line) = lines.next() {
        let (code, name) = line.split_once(';').expect("code;name");
        let cp = hex(code);
        if let Some(range) = name.strip_prefix('<') {
            if range.starts_with("CJK Ideograph") {
                assert!(range.ends_with(", First>"), "{line}");
                let last = lines.next().expect("the range's Last line");
                let (last_code, last_name) = last.split_once(';').expect("code;name");
                assert_eq!(last_name, name.replace("First", "Last"), "{last}");
                cjk.push((cp, hex(last_code)));
            }
            continue;
        }
        assert!(cp as i64 > prev, "code points in order: {line}");
        longest = longest.max(name.len());
        let mut gap = (cp as i64 - prev - 1) as u32;
        prev = cp as i64;
        loop {
            let b = (gap & 0x7f) as u8;
            gap >>= 7;
            deltas.push(if gap != 0 { b | 0x80 } else { b });
            if gap == 0 {
                break;
            }
        }
        // Front coding: the length of the prefix shared with the previous name (one byte: no
        // name is near 256 bytes long), then the rest of the name and a newline.
        let shared = prev_name.bytes().zip(name.bytes()).take_while(|(a, b)| a == b).count();
        names.push(u8::try_from(shared).expect("names shorter than 256 bytes"));
        names.extend_from_slice(&name.as_bytes()[shared..]);
        names.push(b'\n');
        prev_name = name;
    }

    let mut al = String::new();
    for line in aliases.lines() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.splitn(3, ';');
        let code = fields.next().expect("code");
        let alias = fields.next().expect("alias");
        longest = longest.max(alias.len());
        writeln!(al, "{alias};{code}").expect("write to a String");
    }

    let mut consts = format!(
        "/// The length of the longest name or alias.\npub const MAX_NAME_LENGTH: usize = {longest};\n\
         /// The code point ranges named `CJK UNIFIED IDEOGRAPH-<hex>`.\n\
         pub static CJK_IDEOGRAPH_RANGES: &[(char, char)] = &["
    );
    for (a, b) in cjk {
        write!(consts, "('\\u{{{a:x}}}', '\\u{{{b:x}}}'), ").expect("write to a String");
    }
    consts.push_str("];\n");

    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    std::fs::write(out.join("names.bin"), &names).expect("write names.bin");
    std::fs::write(out.join("deltas.bin"), &deltas).expect("write deltas.bin");
    std::fs::write(out.join("aliases.txt"), &al).expect("write aliases.txt");
    std::fs::write(out.join("consts.rs"), consts).expect("write consts.rs");
    // The three tables in one file, for a build that loads them at run time (the playground
    // fetches it only for code with a `\N{...}` escape; see `install` in src/lib.rs): a header
    // line, then each table as its length (u32, little-endian) and its bytes.
    let mut blob = TABLE_HEADER.to_vec();
    for part in [&names[..], &deltas[..], al.as_bytes()] {
        blob.extend_from_slice(&u32::try_from(part.len()).expect("tables under 4 GB").to_le_bytes());
        blob.extend_from_slice(part);
    }
    std::fs::write(out.join("table.bin"), blob).expect("write table.bin");
}

/// The first bytes of table.bin (the same constant is in src/lib.rs).
const TABLE_HEADER: &[u8] = b"pyward unicode names 16.0 v1\n";
