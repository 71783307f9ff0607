//! Files opened by path: only the path is the caller's data.
//!
//! `open(path)` returns a file object, and what is read from it is the file's content, not the
//! path: `open(request.args["p"]).read()` is not request data (the path traversal is reported
//! at `open`'s argument, by the rules whose sink it is). Reading a file is a source of its
//! own, `file-input` in `rules/taint/sources.yaml`, which the rules include at a lower
//! confidence. Without this, the generic "an unresolved call passes its arguments' data on"
//! made the file object, its `.name`, and every line read from it carry the request's data.
//!
//! Only the functions that take a path are recognised: the built-in `open` (when the file does
//! not bind the name to something else), `io.open` and `codecs.open`. Openers that take a file
//! object (`gzip.open(upload)`, `Image.open(request.files["f"])`, `tarfile.open(fileobj=...)`)
//! still pass their argument's data on, since there the data *is* the caller's.

use crate::semantic::{ScopeId, SemanticModel};
use crate::syntax::ast::{Expr, ExprKind};

/// Functions other than the built-in `open` that open a file by its path, by qualified name.
const PATH_OPENERS: &[&str] = &["io.open", "codecs.open"];

/// Does calling `func` (in `scope`) open a file by its path, so that the result carries none of
/// the arguments' data? The caller has already ruled out the file's own functions.
pub(super) fn opens_by_path(sem: &SemanticModel<'_>, scope: ScopeId, func: &Expr) -> bool {
    match &func.kind {
        // The built-in, unless an import rebinds the name (`from gzip import open`).
        ExprKind::Name(n) => n.as_str() == "open" && sem.resolve_import(scope, "open").is_none(),
        ExprKind::Attribute { attr, .. } if attr.name.as_str() == "open" => {
            sem.qualified_name(scope, func).is_some_and(|q| PATH_OPENERS.contains(&q.as_str()))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::{Confidence, Engine, Options};

    /// (line, rule, confidence) of the findings of the built-in rules `rules` in `src`.
    fn findings(src: &str, rules: &[&str]) -> Vec<(u32, String, Confidence)> {
        let engine = Engine::builtin().expect("built-in rules load");
        let opts = Options { select: rules.iter().map(|r| r.to_string()).collect(), ..Options::default() };
        let r = engine.check_source("t.py", src, &opts);
        r.findings.into_iter().map(|f| (f.line, f.rule_id, f.confidence)).collect()
    }

    const HEAD: &str = "import codecs, gzip, io, os\nfrom flask import request\n\ndef view():\n    p = request.args['p']\n";

    #[test]
    fn the_file_read_from_a_request_path_is_not_request_data() {
        let rules = ["tainted-os-command", "path-traversal-request-input"];
        // The path traversal stays at open(); what was read is file content (MEDIUM), not a
        // HIGH-confidence command injection from the request.
        let f = findings(&format!("{HEAD}    os.system(open(p).read())\n"), &rules);
        assert!(f.contains(&(6, "path-traversal-request-input".into(), Confidence::High)), "{f:?}");
        assert!(f.iter().all(|(_, r, c)| r != "tainted-os-command" || *c < Confidence::High), "{f:?}");
        // The file object and its name are clean; so are io.open and codecs.open, and a file
        // read in a `with` block is at most file content.
        for open in ["open(p)", "io.open(p)", "codecs.open(p, 'r', 'utf-8')"] {
            let f = findings(&format!("{HEAD}    fh = {open}\n    os.system(fh.name)\n"), &rules);
            assert_eq!(f, vec![(6, "path-traversal-request-input".into(), Confidence::High)], "{open}: {f:?}");
        }
        let f = findings(&format!("{HEAD}    with open(p) as fh:\n        os.system(fh.readline())\n"), &rules);
        assert!(f.iter().all(|(_, r, c)| r != "tainted-os-command" || *c < Confidence::High), "{f:?}");
    }

    #[test]
    fn openers_of_file_objects_and_rebound_names_still_pass_data_on() {
        let rules = ["tainted-os-command"];
        // The uploaded file's content is request data.
        let up = "import gzip, os\nfrom flask import request\n\ndef view():\n    up = request.files['f']\n";
        let f = findings(&format!("{up}    os.system(gzip.open(up).read())\n"), &rules);
        assert_eq!(f.iter().map(|x| x.0).collect::<Vec<_>>(), vec![6], "{f:?}");
        // `open` imported from elsewhere is not the built-in.
        let f = findings(&format!("from gzip import open\n{HEAD}    os.system(open(p).read())\n"), &rules);
        assert_eq!(f.iter().map(|x| x.0).collect::<Vec<_>>(), vec![7], "{f:?}");
    }
}
