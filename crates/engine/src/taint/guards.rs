//! Guards that clean more than the expression they test.
//!
//! A rule's `by-guard` sanitizers say which expression a condition cleans
//! ([`Analyzer::guards`]). A check on the parts of a parsed URL cleans the URL too:
//! `parsed = urlparse(url)`, then `if parsed.netloc not in ALLOWED: abort(400)` leaves `url`
//! clean where the check passed, when the rule's guard cleans `parsed` (the SSRF and
//! open-redirect rules' host and scheme checks do).

use super::containers::Shape;
use super::*;

impl<'a> Analyzer<'a> {
    /// Paths cleaned where `test` holds (`.0`) and where it fails (`.1`): the rule's guards,
    /// and the URLs that the cleaned variables were parsed from.
    pub(super) fn guard_paths(&self, fr: &Frame<'a>, test: &'a Expr) -> (Vec<String>, Vec<String>) {
        let (mut when_true, mut when_false) = self.guards(test, 0);
        for paths in [&mut when_true, &mut when_false] {
            let parsed_from: Vec<String> = paths
                .iter()
                .filter_map(|p| match fr.env.shape(p) {
                    Some(Shape::Url(url)) => Some(url.clone()),
                    _ => None,
                })
                .collect();
            paths.extend(parsed_from);
        }
        (when_true, when_false)
    }
}

#[cfg(test)]
mod tests {
    use crate::{Engine, Options};

    /// A rule whose guard cleans the variable whose host is checked (as the SSRF rule's), and
    /// the generic allow-list (which cleans only the checked expression).
    const RULE: &str = r#"
rules:
  - id: t-url
    mode: taint
    message: request data reaches a fetch
    severity: HIGH
    pattern-sources:
      - pattern: flask.request.args
    pattern-sinks:
      - patterns:
          - pattern: fetch($U)
          - focus-metavariable: $U
    pattern-sanitizers:
      - by-guard: negated
        patterns:
          - pattern: $X not in $ALLOWED
          - focus-metavariable: $X
      - by-guard: negated
        patterns:
          - pattern: $P.netloc not in $ALLOWED
          - focus-metavariable: $P
"#;

    fn lines(body: &str) -> Vec<u32> {
        let prelude = "from flask import request, abort\nfrom urllib.parse import urlparse, urlsplit\ndef v(c):\n    u = request.args['u']\n";
        super::super::tests::lines_of(Some(RULE), "t-url", prelude, &super::super::tests::in_function(body))
    }

    #[test]
    fn a_check_on_a_parsed_url_cleans_the_url_it_was_parsed_from() {
        assert_eq!(lines("p = urlparse(u)\nif p.netloc not in OK:\n    abort(400)\nfetch(u)\n"), Vec::<u32>::new());
        assert_eq!(lines("p = urlsplit(u)\nif p.netloc not in OK:\n    return None\nfetch(u)\nfetch(p.geturl())\n"), Vec::<u32>::new());
        // Where the check fails, or when it does not stop the request: still tainted.
        assert_eq!(lines("p = urlparse(u)\nif p.netloc not in OK:\n    fetch(u)\n"), vec![3]);
        assert_eq!(lines("p = urlparse(u)\nif p.netloc not in OK:\n    print(p)\nfetch(u)\n"), vec![4]);
        // A variable parsed from another URL, or bound again since, cleans nothing of `u`.
        assert_eq!(lines("p = urlparse(c)\nif p.netloc not in OK:\n    abort(400)\nfetch(u)\n"), vec![4]);
        assert_eq!(lines("p = urlparse(u)\np = c\nif p.netloc not in OK:\n    abort(400)\nfetch(u)\n"), vec![5]);
        // Parsed on one path only: the link is not known after the join.
        assert_eq!(lines("p = c\nif c:\n    p = urlparse(u)\nif p.netloc not in OK:\n    abort(400)\nfetch(u)\n"), vec![6]);
    }

    #[test]
    fn the_generic_allow_list_cleans_only_the_part_it_checks() {
        // `$X not in $ALLOWED` cleans `p.netloc` itself, not the URL: a rule must say that a
        // host check is enough (as the SSRF and open-redirect rules do).
        let rule = RULE.replace("          - pattern: $P.netloc not in $ALLOWED\n          - focus-metavariable: $P\n", "          - pattern: $P.nothing not in $ALLOWED\n          - focus-metavariable: $P\n");
        let mut e = Engine::builtin().expect("rules");
        e.add_rules_yaml("t.yaml", &rule).expect("rule");
        let opts = Options { select: vec!["t-url".into()], ..Options::default() };
        let src = "from flask import request, abort\nfrom urllib.parse import urlparse\ndef v():\n    u = request.args['u']\n    p = urlparse(u)\n    if p.netloc not in OK:\n        abort(400)\n    fetch(u)\n";
        let lines: Vec<u32> = e.check_source("t.py", src, &opts).findings.into_iter().map(|f| f.line).collect();
        assert_eq!(lines, vec![8]);
    }
}
