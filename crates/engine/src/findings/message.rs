//! Messages and fixes: a rule's template with the text its metavariables matched.

use std::borrow::Cow;

use crate::rules::transform;
use crate::syntax::ast::Span;

/// Most characters of one metavariable's text shown in a message (the rest is cut, marked
/// with [`ELLIPSIS`]).
pub const MAX_MESSAGE_VALUE: usize = 200;
/// Most bytes of a message, all substitutions done (the rest is cut, marked with [`ELLIPSIS`]):
/// 10,000 findings whose `$X` is a 100 KB expression cost 20 MB of messages, not 1 GB.
pub const MAX_MESSAGE: usize = 2048;
/// What marks a cut.
pub const ELLIPSIS: &str = "...";

/// Replaces each `$NAME` of `template` by the source text bound to `NAME`, in one pass from
/// left to right: the substituted text is never searched again, so code that holds `$X`
/// itself stays as written. At each `$` the longest bound name that follows wins (`$XY` is
/// `XY`, not `X` then `Y`); a `$` that starts no bound name is kept. The text is substituted
/// whole: this is for fixes, which must be code (messages use [`interpolate_message`]).
pub fn interpolate(template: &str, bindings: &[(&str, Span)], src: &str) -> String {
    substitute(template, bindings, src, |t| Cow::Borrowed(t))
}

/// [`interpolate`] for a finding's message: each substituted text is cut to
/// [`MAX_MESSAGE_VALUE`] characters and the message to [`MAX_MESSAGE`] bytes.
pub fn interpolate_message(template: &str, bindings: &[(&str, Span)], src: &str) -> String {
    let mut out = substitute(template, bindings, src, |t| cut(t, MAX_MESSAGE_VALUE));
    if out.len() > MAX_MESSAGE {
        let mut end = MAX_MESSAGE - ELLIPSIS.len();
        while !out.is_char_boundary(end) {
            end -= 1;
        }
        out.truncate(end);
        out.push_str(ELLIPSIS);
    }
    out
}

/// `text` cut to its first `max` characters, the cut marked, or all of it.
fn cut(text: &str, max: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}{ELLIPSIS}", &text[..end]).into(),
        None => text.into(),
    }
}

/// The substitution of [`interpolate`], with `show` turning each bound text into what is
/// written. `${NAME}` and `${NAME:transform...}` (see [`transform`]) stand for the bound text
/// too, the latter transformed; one whose name is not bound, or whose transform is unknown,
/// is kept as written.
fn substitute(template: &str, bindings: &[(&str, Span)], src: &str, show: impl Fn(&str) -> Cow<'_, str>) -> String {
    if !template.contains('$') {
        return template.to_string();
    }
    let mut names: Vec<&(&str, Span)> = bindings.iter().filter(|(n, _)| !n.is_empty()).collect();
    names.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
    let text_of = |s: &Span| src.get(s.start as usize..s.end as usize).unwrap_or("");
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some((text, used)) = braced(after, &names, text_of) {
            out.push_str(show(&text).as_ref());
            rest = &after[used..];
            continue;
        }
        match names.iter().find(|(n, _)| after.starts_with(n)) {
            Some((n, s)) => {
                out.push_str(show(text_of(s)).as_ref());
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

/// `{NAME}` or `{NAME:transforms}` at the start of `after` (the text after a `$`): the bound
/// text, transformed, and how many bytes of `after` the placeholder takes.
fn braced<'s>(after: &str, names: &[&(&str, Span)], text_of: impl Fn(&Span) -> &'s str) -> Option<(String, usize)> {
    let inner = after.strip_prefix('{')?;
    let end = inner.find('}')?;
    let (name, list) = match inner[..end].split_once(':') {
        Some((n, l)) => (n, Some(l)),
        None => (&inner[..end], None),
    };
    let (_, span) = names.iter().find(|(n, _)| *n == name)?;
    let text = text_of(span);
    let text = match list {
        Some(l) => transform::apply(text, l).ok()?,
        None => text.to_string(),
    };
    Some((text, end + 2))
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
    fn braced_names_and_transforms() {
        let src = "def get_user_id(): pass";
        let b = [("F", span_of(src, "get_user_id"))];
        assert_eq!(interpolate("func_${F:camel}", &b, src), "func_getUserId");
        assert_eq!(interpolate("${F}()", &b, src), "get_user_id()");
        // Unbound names and unknown transforms stay as written.
        assert_eq!(interpolate("${G:camel} ${F:shout} ${F", &b, src), "${G:camel} ${F:shout} ${F");
        assert_eq!(interpolate_message("rename `$F` to `${F:camel}`", &b, src), "rename `get_user_id` to `getUserId`");
    }

    #[test]
    fn the_longest_name_wins() {
        let src = "xy x";
        let b = [("X", span_of(src, "x")), ("XY", span_of(src, "xy"))];
        assert_eq!(interpolate("$XY/$X/$XZ", &b, src), "xy/x/xZ");
        assert_eq!(interpolate("no metavariables", &b, src), "no metavariables");
    }

    #[test]
    fn message_values_and_messages_are_capped() {
        let big = format!("f({})", "a".repeat(100_000));
        let src = format!("{big} y");
        let b = [("X", span_of(&src, &big)), ("Y", span_of(&src, "y"))];
        // One value: its first characters, the cut marked; the rest of the template stays.
        let m = interpolate_message("call $X with $Y", &b, &src);
        assert_eq!(m, format!("call f({}{ELLIPSIS} with y", "a".repeat(MAX_MESSAGE_VALUE - 2)));
        // Many values: the whole message is capped, on a character boundary.
        let m = interpolate_message(&"é$X".repeat(50), &b, &src);
        assert!(m.len() <= MAX_MESSAGE && m.ends_with(ELLIPSIS), "{}", m.len());
        assert!(m.starts_with("éf(aaa"));
        // Short values are as written, and substituted once: `$B` in the code stays.
        let src = r#"f("$B", secret_value)"#;
        let b = [("A", span_of(src, r#""$B""#)), ("B", span_of(src, "secret_value"))];
        assert_eq!(interpolate_message("first=$A second=$B", &b, src), r#"first="$B" second=secret_value"#);
        // A fix is code: never cut.
        let src = format!("{big} y");
        let b = [("X", span_of(&src, &big))];
        assert_eq!(interpolate("g($X)", &b, &src), format!("g({big})"));
    }
}
