//! Transforms of a metavariable's text in `fix` and `message` templates (a pyward extension):
//! `${F}` is `$F`, and `${F:camel}` the text bound to `$F` in lowerCamelCase, which lets a
//! naming rule show the renamed identifier as its fix. Several transforms apply left to right:
//! `${F:strip=func_:camel}`.
//!
//! | transform | result |
//! |---|---|
//! | `camel` | `get_user_id` -> `getUserId`; leading and trailing underscores are kept |
//! | `strip=P` | the text without the prefix `P` (unchanged when it does not start with it) |

/// The text after every transform of `list` (`camel:strip=x`, `:`-separated), or why one is
/// unknown.
pub fn apply(text: &str, list: &str) -> Result<String, String> {
    let mut out = text.to_string();
    for t in list.split(':') {
        out = match t {
            "camel" => camel(&out),
            _ => match t.strip_prefix("strip=") {
                Some(prefix) => out.strip_prefix(prefix).map_or_else(|| out.clone(), str::to_string),
                None => return Err(format!("unknown transform `{t}` (known: camel, strip=PREFIX)")),
            },
        };
    }
    Ok(out)
}

/// `name` in lowerCamelCase: its `_`-separated words joined, each after the first starting
/// with a capital. The first word starts lower-case (all of it when it is all capitals:
/// `HTTP_code` -> `httpCode`). Leading and trailing underscores (privacy, `class_`) stay.
pub fn camel(name: &str) -> String {
    let core = name.trim_matches('_');
    if core.is_empty() {
        return name.to_string();
    }
    let lead = &name[..name.len() - name.trim_start_matches('_').len()];
    let trail = &name[name.trim_end_matches('_').len()..];
    let mut out = String::with_capacity(name.len());
    out.push_str(lead);
    for (i, word) in core.split('_').filter(|w| !w.is_empty()).enumerate() {
        let mut chars = word.chars();
        let Some(first) = chars.next() else { continue };
        if i == 0 {
            if word.chars().all(|c| !c.is_lowercase()) {
                out.push_str(&word.to_lowercase());
            } else {
                out.extend(first.to_lowercase());
                out.push_str(chars.as_str());
            }
        } else {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out.push_str(trail);
    out
}

/// Checks the `${NAME:transform...}` placeholders of a template: each is closed and each
/// transform known. Used when a rule loads, so that a typo is an error, not a wrong fix.
pub fn check_template(template: &str) -> Result<(), String> {
    let mut rest = template;
    while let Some(i) = rest.find("${") {
        let after = &rest[i + 2..];
        let end = after.find('}').ok_or_else(|| format!("`${{` without a closing `}}` in `{template}`"))?;
        if let Some((_, list)) = after[..end].split_once(':') {
            apply("", list)?;
        }
        rest = &after[end + 1..];
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_case_of_identifiers() {
        let cases = [
            ("get_user", "getUser"),
            ("get_user_id_2", "getUserId2"),
            ("getUser", "getUser"),
            ("x", "x"),
            ("_private_name", "_privateName"),
            ("__mangled_name", "__mangledName"),
            ("class_", "class_"),
            ("HTTP_code", "httpCode"),
            ("parse_HTTP_response", "parseHTTPResponse"),
            ("double__underscore", "doubleUnderscore"),
            ("__", "__"),
            ("", ""),
            ("émile_zola", "émileZola"),
        ];
        for (from, to) in cases {
            assert_eq!(camel(from), to, "{from}");
        }
    }

    #[test]
    fn transforms_chain_left_to_right() {
        assert_eq!(apply("func_get_user", "strip=func_:camel").as_deref(), Ok("getUser"));
        assert_eq!(apply("get_user", "strip=func_:camel").as_deref(), Ok("getUser"));
        assert_eq!(apply("get_user", "camel:strip=get").as_deref(), Ok("User"));
        assert!(apply("x", "upper").unwrap_err().contains("unknown transform `upper`"));
    }

    #[test]
    fn templates_are_checked() {
        assert!(check_template("func_${F:strip=func_:camel} and $X and ${Y}").is_ok());
        assert!(check_template("${F:shout}").is_err());
        assert!(check_template("${F:camel").is_err());
        assert!(check_template("no placeholders, a $ sign").is_ok());
    }
}
