//! Rule docs (Markdown) rendered as Yew nodes. No HTML string is ever parsed: raw HTML in the
//! Markdown shows as text, and links other than http(s) are dropped, so even a user-written
//! rule's docs cannot inject markup or script.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Parser, Tag};
use yew::prelude::*;

/// Drops the sections the detail view shows in its own way (the example, which the
/// before/after remediation replaces).
pub fn strip_sections(md: &str, drop: &[&str]) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in md.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            skipping = drop.iter().any(|d| h.trim().eq_ignore_ascii_case(d));
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn safe_href(url: &str) -> Option<String> {
    let u = url.trim();
    (u.starts_with("https://") || u.starts_with("http://")).then(|| u.to_string())
}

fn wrap(tag: &Tag, children: Vec<Html>) -> Html {
    let kids: Html = children.into_iter().collect();
    match tag {
        Tag::Paragraph => html! { <p>{kids}</p> },
        Tag::Heading { level, .. } => match level {
            HeadingLevel::H1 | HeadingLevel::H2 => html! { <h4>{kids}</h4> },
            _ => html! { <h5>{kids}</h5> },
        },
        Tag::BlockQuote(_) => html! { <blockquote>{kids}</blockquote> },
        Tag::CodeBlock(kind) => {
            let lang = match kind {
                CodeBlockKind::Fenced(l) if !l.is_empty() => format!("language-{l}"),
                _ => String::new(),
            };
            html! { <pre class="code"><code class={lang}>{kids}</code></pre> }
        }
        Tag::List(Some(start)) => html! { <ol start={start.to_string()}>{kids}</ol> },
        Tag::List(None) => html! { <ul>{kids}</ul> },
        Tag::Item => html! { <li>{kids}</li> },
        Tag::Emphasis => html! { <em>{kids}</em> },
        Tag::Strong => html! { <strong>{kids}</strong> },
        Tag::Strikethrough => html! { <s>{kids}</s> },
        Tag::Link { dest_url, .. } => match safe_href(dest_url) {
            Some(href) => html! { <a {href} target="_blank" rel="noopener noreferrer">{kids}</a> },
            None => kids,
        },
        _ => kids,
    }
}

/// Renders Markdown into nodes.
pub fn render(md: &str) -> Html {
    let mut stack: Vec<(Option<Tag>, Vec<Html>)> = vec![(None, Vec::new())];
    for ev in Parser::new(md) {
        match ev {
            Event::Start(tag) => stack.push((Some(tag), Vec::new())),
            Event::End(_) if stack.len() > 1 => {
                if let Some((Some(tag), children)) = stack.pop() {
                    let node = wrap(&tag, children);
                    if let Some(parent) = stack.last_mut() {
                        parent.1.push(node);
                    }
                }
            }
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => {
                if let Some(top) = stack.last_mut() {
                    top.1.push(html! { {t.to_string()} });
                }
            }
            Event::Code(t) => {
                if let Some(top) = stack.last_mut() {
                    top.1.push(html! { <code>{t.to_string()}</code> });
                }
            }
            Event::SoftBreak => {
                if let Some(top) = stack.last_mut() {
                    top.1.push(html! { {" "} });
                }
            }
            Event::HardBreak => {
                if let Some(top) = stack.last_mut() {
                    top.1.push(html! { <br/> });
                }
            }
            _ => {}
        }
    }
    // Close anything left open (unbalanced input) instead of losing it.
    while stack.len() > 1 {
        if let Some((tag, children)) = stack.pop() {
            let node = match tag {
                Some(t) => wrap(&t, children),
                None => children.into_iter().collect(),
            };
            if let Some(parent) = stack.last_mut() {
                parent.1.push(node);
            }
        }
    }
    stack.pop().map(|(_, c)| c.into_iter().collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_the_example_section_only() {
        let md = "## What it does\nA\n\n## Example\n```python\nx\n```\nUse instead:\n```python\ny\n```\n## References\n- r\n";
        let s = strip_sections(md, &["Example"]);
        assert!(s.contains("## What it does") && s.contains("## References"));
        assert!(!s.contains("Use instead") && !s.contains("```"));
    }

    #[test]
    fn only_web_links_are_kept() {
        assert_eq!(safe_href("https://cwe.mitre.org/"), Some("https://cwe.mitre.org/".into()));
        assert_eq!(safe_href("javascript:alert(1)"), None);
        assert_eq!(safe_href(" data:text/html,x"), None);
    }
}
