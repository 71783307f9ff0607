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
