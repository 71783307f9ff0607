//! Messages and fixes: a rule's template with the text its metavariables matched.

use crate::syntax::ast::Span;

/// Replaces each `$NAME` of `template` by the source text bound to `NAME`, in one pass from
/// left to right: the substituted text is never searched again, so code that holds `$X`
/// itself stays as written. At each `$` the longest bound name that follows wins (`$XY` is
/// `XY`, not `X` then `Y`); a `$` that starts no bound name is kept.
pub fn interpolate(template: &str, bindings: &[(&str, Span)], src: &str) -> String {
    if !template.contains('$') {
        return template.to_string();
    }
    let mut names: Vec<&(&str, Span)> = bindings.iter().filter(|(n, _)| !n.is_empty()).collect();
    names.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match names.iter().find(|(n, _)| after.starts_with(n)) {
            Some((n, s)) => {
                out.push_str(src.get(s.start as usize..s.end as usize).unwrap_or(""));
                rest = &after[n.len()..];
            }
            None => {
                out.push('$');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span_of(src: &str, text: &str) -> Span {
        let start = src.find(text).unwrap() as u32;
        Span { start, end: start + text.len() as u32 }
    }

    #[test]
    fn substitutes_once_left_to_right() {
        // The code bound to $A holds `$B`: it must not be replaced again.
        let src = r#"f("$B", secret_value)"#;
        let b = [("A", span_of(src, r#""$B""#)), ("B", span_of(src, "secret_value"))];
        assert_eq!(interpolate("first=$A second=$B", &b, src), r#"first="$B" second=secret_value"#);
        assert_eq!(interpolate("$AB $A$B $ $C", &b, src), r#""$B"B "$B"secret_value $ $C"#);
    }

    #[test]
    fn the_longest_name_wins() {
        let src = "xy x";
        let b = [("X", span_of(src, "x")), ("XY", span_of(src, "xy"))];
        assert_eq!(interpolate("$XY/$X/$XZ", &b, src), "xy/x/xZ");
        assert_eq!(interpolate("no metavariables", &b, src), "no metavariables");
    }
}
