//! Writes the Unicode name tables as one file (table.bin, see build.rs) to the path given: the
//! file the playground's worker fetches, and hands to `unicode_names2::install`, when a text has
//! a `\N{...}` escape (scripts/build-web.sh runs this).
fn main() {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: unicode-names-table OUTPUT");
        std::process::exit(2);
    };
    if let Err(e) = std::fs::write(&path, unicode_names2::table_file()) {
        eprintln!("{}: {e}", std::path::Path::new(&path).display());
        std::process::exit(1);
    }
}
