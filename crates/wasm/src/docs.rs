//! Rule docs (Markdown) rendered to HTML in the worker, so the page does no Markdown parsing: it
//! puts this HTML into the detail view as it is. The HTML is safe to insert even for a
//! user-written rule's docs: raw HTML in the Markdown comes out as escaped text, links other than
//! http(s) (`javascript:`, `data:`…) show their text only, images their alt text, and every text
//! and attribute is escaped.
//!
//! The parser is pulldown-cmark (CommonMark, no extensions). The elements: headings of level 1
//! and 2 become `h4`, deeper ones `h5` (the detail view's own headings are `h2`/`h3`); code blocks
//! `<pre class="code"><code class="language-…">`; thematic breaks are dropped.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Parser, Tag};

/// The sections the detail view shows above its fix (what the rule finds and why it matters).
const EXPLAIN_DROPS: &[&str] = &["Example", "References"];
/// The sections it shows at the end (the references).
const REFERENCES_DROPS: &[&str] = &["What it does", "Why is this bad?", "Example"];

/// A rule's docs as the detail view shows them: the explanation, and the references. The example
/// is left out: the rule's before/after remediation replaces it.
pub fn rule_docs(md: &str) -> (String, String) {
    (to_html(&strip_sections(md, EXPLAIN_DROPS)), to_html(&strip_sections(md, REFERENCES_DROPS)))
}

/// `md` without its `## ` sections titled one of `drop`.
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

/// Markdown to safe HTML. The events come as a flat stream; a stack holds the closing tag of each
/// open element (empty for dropped ones), so nothing recurses with the input's nesting.
pub fn to_html(md: &str) -> String {
    let mut out = String::with_capacity(md.len() + md.len() / 4);
    let mut open: Vec<&'static str> = Vec::new();
    for event in Parser::new(md) {
        match event {
            Event::Start(tag) => open.push(start(&tag, &mut out)),
            Event::End(_) => out.push_str(open.pop().unwrap_or_default()),
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => escape(&mut out, &t),
            Event::Code(t) => {
                out.push_str("<code>");
                escape(&mut out, &t);
                out.push_str("</code>");
            }
            Event::SoftBreak => out.push('\n'),
            Event::HardBreak => out.push_str("<br>"),
            _ => {}
        }
    }
    out
}

/// Writes the opening tag of `tag` and returns its closing tag ("" when the element is dropped
/// and only its content shows).
fn start(tag: &Tag, out: &mut String) -> &'static str {
    let (open, close) = match tag {
        Tag::Paragraph => ("<p>", "</p>"),
        Tag::Heading { level: HeadingLevel::H1 | HeadingLevel::H2, .. } => ("<h4>", "</h4>"),
        Tag::Heading { .. } => ("<h5>", "</h5>"),
        Tag::BlockQuote(_) => ("<blockquote>", "</blockquote>"),
        Tag::CodeBlock(CodeBlockKind::Fenced(info)) if !info.is_empty() => {
            out.push_str("<pre class=\"code\"><code class=\"language-");
            escape(out, info);
            out.push_str("\">");
            return "</code></pre>";
        }
        Tag::CodeBlock(_) => ("<pre class=\"code\"><code>", "</code></pre>"),
        Tag::List(Some(first)) => {
            out.push_str(&format!("<ol start=\"{first}\">"));
            return "</ol>";
        }
        Tag::List(None) => ("<ul>", "</ul>"),
        Tag::Item => ("<li>", "</li>"),
        Tag::Emphasis => ("<em>", "</em>"),
        Tag::Strong => ("<strong>", "</strong>"),
        Tag::Link { dest_url, .. } => match safe_href(dest_url) {
            Some(href) => {
                out.push_str("<a href=\"");
                escape(out, href);
                out.push_str("\" target=\"_blank\" rel=\"noopener noreferrer\">");
                return "</a>";
            }
            None => return "",
        },
        _ => return "",
    };
    out.push_str(open);
    close
}

/// Only http(s) links are kept.
fn safe_href(url: &str) -> Option<&str> {
    let u = url.trim();
    let scheme = u.get(..8).unwrap_or(u).to_ascii_lowercase();
    (scheme.starts_with("https://") || scheme.starts_with("http://")).then_some(u)
}

/// Appends `text` with the characters that mean something in HTML text or attributes escaped.
fn escape(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_the_detail_view_s_elements() {
        let html = to_html("## What it does\n\nRuns *`os.system`* with **user** input.\n\n### More\n\n- a\n- [CWE](https://cwe.mitre.org/)\n\n3. x\n\n```python\nos.system(cmd)\n```\n");
        assert_eq!(
            html,
            "<h4>What it does</h4><p>Runs <em><code>os.system</code></em> with <strong>user</strong> input.</p><h5>More</h5>\
             <ul><li>a</li><li><a href=\"https://cwe.mitre.org/\" target=\"_blank\" rel=\"noopener noreferrer\">CWE</a></li></ul>\
             <ol start=\"3\"><li>x</li></ol><pre class=\"code\"><code class=\"language-python\">os.system(cmd)\n</code></pre>"
        );
    }

    #[test]
    fn raw_html_and_script_links_stay_text() {
        let html = to_html("<script>alert(1)</script>\n\nHi <img src=x onerror=alert(1)> [a](javascript:alert(1)) [b](JaVaScRiPt:x) ![pic](https://x/y.png) [c](data:text/html,x)\n");
        assert!(!html.contains("<script") && !html.contains("<img") && !html.contains("href"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && html.contains("&lt;img src=x onerror=alert(1)&gt;"), "{html}");
        assert!(html.contains(" a b pic c"), "the links and the image show their text: {html}");
        let quoted = to_html("[q](https://x.test/\"onmouseover=\"alert(1))\n\n```a\"b\n```\n");
        assert!(!quoted.contains("\"onmouseover") && quoted.contains("language-a&quot;b"), "{quoted}");
    }

    #[test]
    fn sections_are_split_for_the_detail_view() {
        let md = "## What it does\n\nFinds x.\n\n## Example\n\n```python\nx()\n```\n\n## References\n\n- [r](https://r.test/)\n";
        let (explain, refs) = rule_docs(md);
        assert_eq!(explain, "<h4>What it does</h4><p>Finds x.</p>");
        assert!(refs.starts_with("<h4>References</h4><ul><li><a href=\"https://r.test/\""), "{refs}");
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let md = format!("{}x\n\n{}y{}\n", "> ".repeat(20_000), "[".repeat(20_000), "*".repeat(20_000));
        assert!(to_html(&md).contains('x'));
    }
}
