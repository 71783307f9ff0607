//! Rule docs (Markdown) rendered as Yew nodes. No HTML string is ever parsed: raw HTML in the
//! Markdown shows as text, and links other than http(s) are dropped, so even a user-written
//! rule's docs cannot inject markup or script.
//!
//! The parser is our own small CommonMark reader (no extensions: no tables, strikethrough or
//! footnotes), written after the reference implementation's two passes: block structure line
//! by line (block quotes, lists, headings, fenced and indented code, HTML blocks, thematic breaks,
//! paragraphs, link reference definitions), then inlines (code spans, emphasis by the delimiter
//! algorithm, links and images, autolinks, raw HTML, escapes, entities, line breaks). It replaced
//! pulldown-cmark, which with its table of all 2,125 HTML entity names was a fifth of the app's
//! wasm; the tests check it gives the same nodes as pulldown-cmark for every built-in rule's docs
//! and for a set of tricky documents. Known differences, both to keep the tables out: of the
//! named entity references only the common ones below are decoded (`&amp;`, `&lt;`, `&rarr;`…),
//! others stay as written; reference link labels match ignoring the case of ASCII letters only.

use yew::prelude::*;

/// A rendered Markdown node: text, or an element with its children.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Text(String),
    El(El, Vec<Node>),
}

/// The elements rule docs become. Headings of level 1 and 2 are shown as `h4`, deeper ones as
/// `h5` (the detail view's own headings are `h2`/`h3`). Images show their alt text; thematic
/// breaks are dropped; links other than http(s) show their text only.
#[derive(Clone, Debug, PartialEq)]
pub enum El {
    P,
    H4,
    H5,
    Quote,
    /// A code block, with the class of its `<code>` (`language-<info>`, or empty).
    Pre(String),
    Ol(u64),
    Ul,
    Li,
    Em,
    Strong,
    A(String),
    Code,
    Br,
}

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

/// Renders Markdown into nodes.
pub fn render(md: &str) -> Html {
    parse(md).iter().map(to_html).collect()
}

fn to_html(n: &Node) -> Html {
    let (el, kids) = match n {
        Node::Text(t) => return html! { {t.clone()} },
        Node::El(el, kids) => (el, kids.iter().map(to_html).collect::<Html>()),
    };
    match el {
        El::P => html! { <p>{kids}</p> },
        El::H4 => html! { <h4>{kids}</h4> },
        El::H5 => html! { <h5>{kids}</h5> },
        El::Quote => html! { <blockquote>{kids}</blockquote> },
        El::Pre(lang) => html! { <pre class="code"><code class={lang.clone()}>{kids}</code></pre> },
        El::Ol(start) => html! { <ol start={start.to_string()}>{kids}</ol> },
        El::Ul => html! { <ul>{kids}</ul> },
        El::Li => html! { <li>{kids}</li> },
        El::Em => html! { <em>{kids}</em> },
        El::Strong => html! { <strong>{kids}</strong> },
        El::A(href) => html! { <a href={href.clone()} target="_blank" rel="noopener noreferrer">{kids}</a> },
        El::Code => html! { <code>{kids}</code> },
        El::Br => html! { <br/> },
    }
}

/// Appends `n`, merging adjacent text.
fn push(out: &mut Vec<Node>, n: Node) {
    if let (Node::Text(t), Some(Node::Text(last))) = (&n, out.last_mut()) {
        last.push_str(t);
    } else if !matches!(&n, Node::Text(t) if t.is_empty()) {
        out.push(n);
    }
}

/// Longest docs the reader parses. Emphasis delimiters are matched by a search that is
/// quadratic in the worst case (160 KB of `*_` took 39 s, on the page's UI thread); the longest
/// built-in rule's docs are under 11 KB. Longer docs are cut, and say so.
pub const MAX_DOCS_BYTES: usize = 16 * 1024;

/// Parses Markdown into nodes (adjacent text merged).
pub fn parse(md: &str) -> Vec<Node> {
    let cut;
    let md = if md.len() > MAX_DOCS_BYTES {
        let mut end = MAX_DOCS_BYTES;
        while !md.is_char_boundary(end) {
            end -= 1;
        }
        cut = format!("{}\n\n(The rest of these docs, over {} KB, is not shown.)\n", &md[..end], MAX_DOCS_BYTES / 1024);
        cut.as_str()
    } else {
        md
    };
    let mut p = BlockParser::new();
    for line in split_lines(md) {
        p.line(&line);
    }
    while p.tip != 0 {
        p.finalize(p.tip);
    }
    p.finalize(0);
    let mut out = Vec::new();
    p.emit(0, false, &mut out);
    out
}

fn split_lines(md: &str) -> Vec<String> {
    let md = md.replace('\0', "\u{FFFD}");
    let mut lines = Vec::new();
    let mut rest = md.as_str();
    while !rest.is_empty() {
        let end = rest.find(['\n', '\r']).unwrap_or(rest.len());
        lines.push(rest[..end].to_string());
        rest = &rest[end..];
        rest = rest.strip_prefix("\r\n").or_else(|| rest.strip_prefix('\n')).or_else(|| rest.strip_prefix('\r')).unwrap_or(rest);
    }
    lines
}

// ---------------------------------------------------------------------------------------------
// Blocks

#[derive(Clone, Copy, PartialEq)]
struct ListData {
    ordered: bool,
    /// The bullet character, or the ordered list's delimiter (`.` or `)`).
    delim: u8,
    start: u64,
    marker_offset: usize,
    padding: usize,
}

enum Kind {
    Document,
    Quote,
    List(ListData, bool),
    Item(ListData),
    Para,
    Heading(u8),
    Rule,
    /// Fenced: (fence character, fence length, fence indent); the info string.
    Code(Option<(u8, usize, usize)>, String),
    Html(u8),
}

struct Block {
    kind: Kind,
    parent: usize,
    children: Vec<usize>,
    open: bool,
    last_line_blank: bool,
    start_line: usize,
    text: String,
}

struct BlockParser {
    blocks: Vec<Block>,
    tip: usize,
    old_tip: usize,
    last_matched: usize,
    all_closed: bool,
    /// Link reference definitions: (normalised label, destination); the first one wins.
    refs: Vec<(String, String)>,
    line_no: usize,
    // The current line and the cursor over it (columns count tabs to the next multiple of 4).
    ln: Vec<u8>,
    offset: usize,
    column: usize,
    next_nonspace: usize,
    next_nonspace_column: usize,
    indent: usize,
    indented: bool,
    blank: bool,
    partial_tab: bool,
    /// The line opened a fenced code block: the rest of it was its info string.
    fence_line: bool,
}

/// How deep block quotes and lists may nest; deeper markers are read as text.
const MAX_NESTING: usize = 32;

fn is_space_or_tab(c: Option<u8>) -> bool {
    matches!(c, Some(b' ' | b'\t'))
}

impl BlockParser {
    fn new() -> Self {
        let doc = Block { kind: Kind::Document, parent: 0, children: Vec::new(), open: true, last_line_blank: false, start_line: 0, text: String::new() };
        BlockParser {
            blocks: vec![doc],
            tip: 0,
            old_tip: 0,
            last_matched: 0,
            all_closed: true,
            refs: Vec::new(),
            line_no: 0,
            ln: Vec::new(),
            offset: 0,
            column: 0,
            next_nonspace: 0,
            next_nonspace_column: 0,
            indent: 0,
            indented: false,
            blank: false,
            partial_tab: false,
            fence_line: false,
        }
    }

    fn peek(&self, i: usize) -> Option<u8> {
        self.ln.get(i).copied()
    }

    fn find_next_nonspace(&mut self) {
        let (mut i, mut cols) = (self.offset, self.column);
        while let Some(c) = self.peek(i) {
            match c {
                b' ' => cols += 1,
                b'\t' => cols += 4 - cols % 4,
                _ => break,
            }
            i += 1;
        }
        self.blank = self.peek(i).is_none();
        self.next_nonspace = i;
        self.next_nonspace_column = cols;
        self.indent = cols - self.column;
        self.indented = self.indent >= 4;
    }

    fn advance_next_nonspace(&mut self) {
        self.offset = self.next_nonspace;
        self.column = self.next_nonspace_column;
        self.partial_tab = false;
    }

    fn advance_offset(&mut self, mut count: usize, columns: bool) {
        while count > 0 {
            let Some(c) = self.peek(self.offset) else { break };
            if c == b'\t' {
                let to_tab = 4 - self.column % 4;
                if columns {
                    self.partial_tab = to_tab > count;
                    let adv = to_tab.min(count);
                    self.column += adv;
                    if !self.partial_tab {
                        self.offset += 1;
                    }
                    count -= adv;
                } else {
                    self.partial_tab = false;
                    self.column += to_tab;
                    self.offset += 1;
                    count -= 1;
                }
            } else {
                self.partial_tab = false;
                self.offset += 1;
                self.column += 1;
                count -= 1;
            }
        }
    }

    fn rest(&self, from: usize) -> &str {
        std::str::from_utf8(&self.ln[from.min(self.ln.len())..]).unwrap_or("")
    }

    fn add_line(&mut self) {
        if self.partial_tab {
            self.offset += 1;
            let to_tab = 4 - self.column % 4;
            self.blocks[self.tip].text.push_str(&" ".repeat(to_tab));
        }
        let rest = self.rest(self.offset).to_string();
        let t = &mut self.blocks[self.tip].text;
        t.push_str(&rest);
        t.push('\n');
    }

    fn accepts_lines(&self, b: usize) -> bool {
        matches!(self.blocks[b].kind, Kind::Para | Kind::Code(..) | Kind::Html(_))
    }

    fn add_child(&mut self, kind: Kind) -> usize {
        let is_item = matches!(kind, Kind::Item(_));
        loop {
            let ok = match self.blocks[self.tip].kind {
                Kind::Document | Kind::Quote | Kind::Item(_) => !is_item,
                Kind::List(..) => is_item,
                _ => false,
            };
            if ok {
                break;
            }
            self.finalize(self.tip);
        }
        let b = Block { kind, parent: self.tip, children: Vec::new(), open: true, last_line_blank: false, start_line: self.line_no, text: String::new() };
        self.blocks.push(b);
        let id = self.blocks.len() - 1;
        self.blocks[self.tip].children.push(id);
        self.tip = id;
        id
    }

    fn close_unmatched(&mut self) {
        if !self.all_closed {
            while self.old_tip != self.last_matched {
                let parent = self.blocks[self.old_tip].parent;
                self.finalize(self.old_tip);
                self.old_tip = parent;
            }
            self.all_closed = true;
        }
    }

    /// 0: matched, 1: not matched, 2: the line is used up (a closing fence).
    fn continues(&mut self, b: usize) -> u8 {
        match &self.blocks[b].kind {
            Kind::Document | Kind::List(..) => 0,
            Kind::Quote => {
                if !self.indented && self.peek(self.next_nonspace) == Some(b'>') {
                    self.advance_next_nonspace();
                    self.advance_offset(1, false);
                    if is_space_or_tab(self.peek(self.offset)) {
                        self.advance_offset(1, true);
                    }
                    0
                } else {
                    1
                }
            }
            Kind::Item(d) => {
                let need = d.marker_offset + d.padding;
                if self.blank {
                    if self.blocks[b].children.is_empty() {
                        return 1;
                    }
                    self.advance_next_nonspace();
                } else if self.indent >= need {
                    self.advance_offset(need, true);
                } else {
                    return 1;
                }
                0
            }
            Kind::Heading(_) | Kind::Rule => 1,
            Kind::Code(Some((ch, len, fence_indent)), _) => {
                let (ch, len, mut fi) = (*ch, *len, *fence_indent);
                let run = self.ln[self.next_nonspace.min(self.ln.len())..].iter().take_while(|&&c| c == ch).count();
                if self.indent <= 3 && run >= len && self.rest(self.next_nonspace + run).bytes().all(|c| c == b' ' || c == b'\t') {
                    self.finalize(b);
                    return 2;
                }
                while fi > 0 && is_space_or_tab(self.peek(self.offset)) {
                    self.advance_offset(1, true);
                    fi -= 1;
                }
                0
            }
            Kind::Code(None, _) => {
                if self.indent >= 4 {
                    self.advance_offset(4, true);
                } else if self.blank {
                    self.advance_next_nonspace();
                } else {
                    return 1;
                }
                0
            }
            Kind::Html(t) => u8::from(self.blank && (*t == 6 || *t == 7)),
            Kind::Para => u8::from(self.blank),
        }
    }

    fn line(&mut self, line: &str) {
        self.line_no += 1;
        self.ln = line.as_bytes().to_vec();
        self.offset = 0;
        self.column = 0;
        self.blank = false;
        self.partial_tab = false;
        self.fence_line = false;

        let mut container = 0;
        self.old_tip = self.tip;
        // 1. Which open blocks does the line continue?
        while let Some(&last) = self.blocks[container].children.last().filter(|&&l| self.blocks[l].open) {
            container = last;
            self.find_next_nonspace();
            match self.continues(container) {
                0 => {}
                1 => {
                    container = self.blocks[container].parent;
                    break;
                }
                _ => return,
            }
        }
        self.all_closed = container == self.old_tip;
        self.last_matched = container;

        // 2. New block starts.
        let mut matched_leaf = !matches!(self.blocks[container].kind, Kind::Para) && self.accepts_lines(container);
        while !matched_leaf {
            self.find_next_nonspace();
            let c = self.peek(self.next_nonspace);
            // Past MAX_NESTING open containers, markers are text: rendering recurses once per
            // level, and the wasm stack is small (a custom rule's docs are user input).
            if self.depth(container) >= MAX_NESTING {
                self.advance_next_nonspace();
                break;
            }
            if !self.indented && !matches!(c, Some(b'#' | b'`' | b'~' | b'*' | b'+' | b'_' | b'=' | b'<' | b'>' | b'-' | b'0'..=b'9')) {
                self.advance_next_nonspace();
                break;
            }
            match self.block_start(container) {
                0 => {
                    self.advance_next_nonspace();
                    break;
                }
                1 => container = self.tip,
                _ => {
                    container = self.tip;
                    matched_leaf = true;
                }
            }
        }

        // 3. The rest of the line.
        if !self.all_closed && !self.blank && matches!(self.blocks[self.tip].kind, Kind::Para) {
            self.add_line(); // a lazy paragraph continuation
            return;
        }
        self.close_unmatched();
        if self.blank {
            if let Some(&last) = self.blocks[container].children.last() {
                self.blocks[last].last_line_blank = true;
            }
        }
        let b = &self.blocks[container];
        let last_line_blank = self.blank
            && !(matches!(b.kind, Kind::Quote | Kind::Code(Some(_), _)) || (matches!(b.kind, Kind::Item(_)) && b.children.is_empty() && b.start_line == self.line_no));
        let mut cont = container;
        loop {
            self.blocks[cont].last_line_blank = last_line_blank;
            if cont == 0 {
                break;
            }
            cont = self.blocks[cont].parent;
        }
        if self.accepts_lines(container) {
            if self.fence_line {
                return;
            }
            self.add_line();
            if let Kind::Html(t) = self.blocks[container].kind {
                let rest = self.rest(self.offset).to_ascii_lowercase();
                let end = match t {
                    1 => ["</script>", "</pre>", "</style>", "</textarea>"].iter().any(|e| rest.contains(e)),
                    2 => rest.contains("-->"),
                    3 => rest.contains("?>"),
                    4 => rest.contains('>'),
                    5 => rest.contains("]]>"),
                    _ => false,
                };
                if end {
                    self.finalize(container);
                }
            }
        } else if self.offset < self.ln.len() && !self.blank {
            self.add_child(Kind::Para);
            self.advance_next_nonspace();
            self.add_line();
        }
    }

    /// How many blocks enclose `b` (the document is at depth 0).
    fn depth(&self, mut b: usize) -> usize {
        let mut d = 0;
        while b != 0 {
            b = self.blocks[b].parent;
            d += 1;
        }
        d
    }

    /// 0: no block starts here, 1: a container started, 2: a leaf started.
    fn block_start(&mut self, container: usize) -> u8 {
        let nn = self.next_nonspace;
        let rest = self.rest(nn).to_string();
        let c = self.peek(nn);
        let in_para = matches!(self.blocks[container].kind, Kind::Para);
        if !self.indented {
            // Block quote.
            if c == Some(b'>') {
                self.advance_next_nonspace();
                self.advance_offset(1, false);
                if is_space_or_tab(self.peek(self.offset)) {
                    self.advance_offset(1, true);
                }
                self.close_unmatched();
                self.add_child(Kind::Quote);
                return 1;
            }
            // ATX heading.
            let hashes = rest.bytes().take_while(|&b| b == b'#').count();
            if (1..=6).contains(&hashes) && matches!(rest.as_bytes().get(hashes), None | Some(b' ' | b'\t')) {
                self.advance_next_nonspace();
                self.close_unmatched();
                let id = self.add_child(Kind::Heading(hashes as u8));
                self.blocks[id].text = atx_content(&rest[hashes..]);
                self.offset = self.ln.len();
                return 2;
            }
            // Fenced code.
            if let Some(ch @ (b'`' | b'~')) = c {
                let len = rest.bytes().take_while(|&b| b == ch).count();
                let info = &rest[len..];
                if len >= 3 && !(ch == b'`' && info.contains('`')) {
                    self.close_unmatched();
                    let info = unescape(info.trim());
                    self.add_child(Kind::Code(Some((ch, len, self.indent)), info));
                    self.fence_line = true;
                    return 2;
                }
            }
            // HTML block.
            if c == Some(b'<') {
                if let Some(t) = html_block_start(&rest) {
                    let lazy_para = !self.all_closed && !self.blank && matches!(self.blocks[self.tip].kind, Kind::Para);
                    if t < 7 || (!in_para && !lazy_para) {
                        self.close_unmatched();
                        self.add_child(Kind::Html(t));
                        return 2;
                    }
                }
            }
            // Setext heading underline.
            if in_para && matches!(c, Some(b'=' | b'-')) {
                let ch = c.unwrap_or(b'=');
                let t = rest.trim_end_matches([' ', '\t']);
                if t.bytes().all(|b| b == ch) {
                    self.close_unmatched();
                    let text = std::mem::take(&mut self.blocks[container].text);
                    let text = self.take_refs(&text);
                    if !text.trim().is_empty() {
                        self.blocks[container].kind = Kind::Heading(if ch == b'=' { 1 } else { 2 });
                        self.blocks[container].text = text;
                        self.offset = self.ln.len();
                        return 2;
                    }
                    self.blocks[container].text = text;
                }
            }
            // Thematic break.
            if let Some(ch @ (b'*' | b'_' | b'-')) = c {
                if rest.bytes().filter(|&b| b == ch).count() >= 3 && rest.bytes().all(|b| b == ch || b == b' ' || b == b'\t') {
                    self.close_unmatched();
                    self.add_child(Kind::Rule);
                    self.offset = self.ln.len();
                    return 2;
                }
            }
        }
        // List item.
        if !self.indented || matches!(self.blocks[container].kind, Kind::List(..)) {
            if let Some(data) = self.list_marker(container) {
                self.close_unmatched();
                let same = matches!(self.blocks[self.tip].kind, Kind::List(d, _) if d.ordered == data.ordered && d.delim == data.delim);
                if !same {
                    self.add_child(Kind::List(data, true));
                }
                self.add_child(Kind::Item(data));
                return 1;
            }
        }
        // Indented code.
        if self.indented && !matches!(self.blocks[self.tip].kind, Kind::Para) && !self.blank {
            self.advance_offset(4, true);
            self.close_unmatched();
            self.add_child(Kind::Code(None, String::new()));
            return 2;
        }
        0
    }

    fn list_marker(&mut self, container: usize) -> Option<ListData> {
        if self.indent >= 4 {
            return None;
        }
        let nn = self.next_nonspace;
        let rest = &self.ln[nn..];
        let in_para = matches!(self.blocks[container].kind, Kind::Para);
        let (mut data, len) = match rest.first() {
            Some(&b @ (b'*' | b'+' | b'-')) => (ListData { ordered: false, delim: b, start: 1, marker_offset: 0, padding: 0 }, 1),
            _ => {
                let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
                let delim = *rest.get(digits)?;
                if !(1..=9).contains(&digits) || !(delim == b'.' || delim == b')') {
                    return None;
                }
                let start: u64 = std::str::from_utf8(&rest[..digits]).ok()?.parse().ok()?;
                if in_para && start != 1 {
                    return None;
                }
                (ListData { ordered: true, delim, start, marker_offset: 0, padding: 0 }, digits + 1)
            }
        };
        if !matches!(self.peek(nn + len), None | Some(b' ' | b'\t')) {
            return None;
        }
        if in_para && self.ln[nn + len..].iter().all(|&b| b == b' ' || b == b'\t') {
            return None;
        }
        self.advance_next_nonspace();
        self.advance_offset(len, true);
        let (start_col, start_off) = (self.column, self.offset);
        loop {
            self.advance_offset(1, true);
            if !(self.column - start_col < 5 && is_space_or_tab(self.peek(self.offset))) {
                break;
            }
        }
        let blank_item = self.peek(self.offset).is_none();
        let spaces = self.column - start_col;
        if !(1..5).contains(&spaces) || blank_item {
            data.padding = len + 1;
            self.column = start_col;
            self.offset = start_off;
            self.partial_tab = false;
            if is_space_or_tab(self.peek(self.offset)) {
                self.advance_offset(1, true);
            }
        } else {
            data.padding = len + spaces;
        }
        data.marker_offset = self.indent;
        Some(data)
    }

    /// Reads the link reference definitions at the start of a paragraph's text into `refs`, and
    /// returns the rest.
    fn take_refs(&mut self, text: &str) -> String {
        let mut s = text;
        while s.starts_with('[') {
            match parse_reference(s) {
                Some((label, dest, used)) => {
                    if !self.refs.iter().any(|(l, _)| *l == label) {
                        self.refs.push((label, dest));
                    }
                    s = &s[used..];
                }
                None => break,
            }
        }
        s.to_string()
    }

    fn finalize(&mut self, b: usize) {
        let parent = self.blocks[b].parent;
        self.blocks[b].open = false;
        match self.blocks[b].kind {
            Kind::Para => {
                let text = std::mem::take(&mut self.blocks[b].text);
                let rest = self.take_refs(&text);
                if rest.trim().is_empty() && rest.len() != text.len() {
                    self.blocks[parent].children.retain(|&c| c != b);
                }
                self.blocks[b].text = rest;
            }
            Kind::Code(None, _) => {
                // Trailing blank lines are not part of an indented code block.
                let t = &mut self.blocks[b].text;
                let mut lines: Vec<&str> = t.split_terminator('\n').collect();
                while lines.last().is_some_and(|l| l.bytes().all(|c| c == b' ')) {
                    lines.pop();
                }
                *t = lines.iter().map(|l| format!("{l}\n")).collect();
            }
            Kind::List(d, _) => {
                let items = self.blocks[b].children.clone();
                let mut tight = true;
                'items: for (i, &item) in items.iter().enumerate() {
                    let has_next = i + 1 < items.len();
                    if self.ends_with_blank(item) && has_next {
                        tight = false;
                        break;
                    }
                    let subs = &self.blocks[item].children;
                    for (j, &sub) in subs.iter().enumerate() {
                        if self.ends_with_blank(sub) && (has_next || j + 1 < subs.len()) {
                            tight = false;
                            break 'items;
                        }
                    }
                }
                self.blocks[b].kind = Kind::List(d, tight);
            }
            _ => {}
        }
        self.tip = parent;
    }

    fn ends_with_blank(&self, mut b: usize) -> bool {
        loop {
            if self.blocks[b].last_line_blank {
                return true;
            }
            match self.blocks[b].kind {
                Kind::List(..) | Kind::Item(_) => match self.blocks[b].children.last() {
                    Some(&c) => b = c,
                    None => return false,
                },
                _ => return false,
            }
        }
    }

    fn emit(&self, b: usize, tight: bool, out: &mut Vec<Node>) {
        let block = &self.blocks[b];
        let kids = |tight: bool| {
            let mut v = Vec::new();
            for &c in &block.children {
                self.emit(c, tight, &mut v);
            }
            v
        };
        let node = match &block.kind {
            Kind::Document => {
                for n in kids(false) {
                    push(out, n);
                }
                return;
            }
            Kind::Quote => Node::El(El::Quote, kids(false)),
            Kind::List(d, t) => Node::El(if d.ordered { El::Ol(d.start) } else { El::Ul }, kids(*t)),
            Kind::Item(_) => Node::El(El::Li, kids(tight)),
            Kind::Para => {
                let inl = inlines(block.text.trim(), &self.refs);
                if tight {
                    for n in inl {
                        push(out, n);
                    }
                    return;
                }
                Node::El(El::P, inl)
            }
            Kind::Heading(l) => Node::El(if *l <= 2 { El::H4 } else { El::H5 }, inlines(block.text.trim(), &self.refs)),
            Kind::Rule => return,
            Kind::Code(fence, info) => {
                let lang = match fence {
                    Some(_) if !info.is_empty() => format!("language-{info}"),
                    _ => String::new(),
                };
                Node::El(El::Pre(lang), if block.text.is_empty() { Vec::new() } else { vec![Node::Text(block.text.clone())] })
            }
            Kind::Html(_) => Node::Text(block.text.clone()),
        };
        push(out, node);
    }
}

fn atx_content(s: &str) -> String {
    let s = s.trim_matches([' ', '\t']);
    // An optional closing sequence of `#`s, preceded by a space (or the whole content).
    let t = s.trim_end_matches('#');
    if t.is_empty() {
        return String::new();
    }
    if t.len() < s.len() && t.ends_with([' ', '\t']) {
        return t.trim_end_matches([' ', '\t']).to_string();
    }
    s.to_string()
}

const BLOCK_TAGS: &[&str] = &[
    "address", "article", "aside", "base", "basefont", "blockquote", "body", "caption", "center", "col", "colgroup", "dd", "details",
    "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "frame", "frameset", "h1", "h2", "h3",
    "h4", "h5", "h6", "head", "header", "hr", "html", "iframe", "legend", "li", "link", "main", "menu", "menuitem", "nav",
    "noframes", "ol", "optgroup", "option", "p", "param", "search", "section", "summary", "table", "tbody", "td", "tfoot", "th",
    "thead", "title", "tr", "track", "ul",
];

/// The kind (1 to 7) of HTML block that `s` (a line from its first `<`) starts, if any.
fn html_block_start(s: &str) -> Option<u8> {
    let lower = s.to_ascii_lowercase();
    let b = lower.as_bytes();
    for tag in ["<script", "<pre", "<style", "<textarea"] {
        if lower.starts_with(tag) && matches!(b.get(tag.len()), None | Some(b' ' | b'\t' | b'>')) {
            return Some(1);
        }
    }
    if lower.starts_with("<!--") {
        return Some(2);
    }
    if lower.starts_with("<?") {
        return Some(3);
    }
    if b.len() > 2 && b[1] == b'!' && b[2].is_ascii_alphabetic() {
        return Some(4);
    }
    if s.starts_with("<![CDATA[") {
        return Some(5);
    }
    let name_start = if b.get(1) == Some(&b'/') { 2 } else { 1 };
    let name_len = b[name_start..].iter().take_while(|c| c.is_ascii_alphanumeric()).count();
    let name = &lower[name_start..name_start + name_len];
    if BLOCK_TAGS.contains(&name) {
        let after = &b[name_start + name_len..];
        if matches!(after.first(), None | Some(b' ' | b'\t' | b'>')) || after.starts_with(b"/>") {
            return Some(6);
        }
    }
    // A complete open or closing tag (of another name) alone on its line.
    let alone = html_tag(s).is_some_and(|n| s[n..].bytes().all(|c| c == b' ' || c == b'\t'));
    (alone && name_len > 0 && !["script", "style", "pre", "textarea"].contains(&name)).then_some(7)
}

// ---------------------------------------------------------------------------------------------
// Inlines

fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation() || (!c.is_ascii() && !c.is_alphanumeric() && !c.is_whitespace())
}

/// Normalises a link label for matching: whitespace collapsed, ASCII letters lower-cased (full
/// Unicode case folding would bring in 12 KB of conversion tables for labels like `[ÉTÉ]`).
fn norm_label(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_ascii_lowercase()
}

/// The length of the link label (`[...]`, brackets included) at the start of `s`.
fn link_label(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if b.first() != Some(&b'[') {
        return None;
    }
    let mut i = 1;
    while i < b.len() && i <= 1000 {
        match b[i] {
            b'\\' if b.get(i + 1).is_some_and(|c| c.is_ascii_punctuation()) => i += 2,
            b'[' => return None,
            b']' => return (!s[1..i].trim().is_empty()).then_some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// Spaces, tabs and at most one line ending.
fn skip_spnl(s: &str, mut i: usize) -> usize {
    let b = s.as_bytes();
    let mut nl = false;
    while let Some(&c) = b.get(i) {
        match c {
            b' ' | b'\t' => i += 1,
            b'\n' if !nl => {
                nl = true;
                i += 1
            }
            _ => break,
        }
    }
    i
}

/// A link destination at `s[i..]`: (the unescaped destination, the index after it).
fn link_dest(s: &str, i: usize) -> Option<(String, usize)> {
    let b = s.as_bytes();
    if b.get(i) == Some(&b'<') {
        let mut j = i + 1;
        while let Some(&c) = b.get(j) {
            match c {
                b'\\' if b.get(j + 1).is_some_and(|c| c.is_ascii_punctuation()) => j += 2,
                b'>' => return Some((unescape(&s[i + 1..j]), j + 1)),
                b'<' | b'\n' => return None,
                _ => j += 1,
            }
        }
        return None;
    }
    let mut j = i;
    let mut depth = 0usize;
    while let Some(&c) = b.get(j) {
        match c {
            b'\\' if b.get(j + 1).is_some_and(|c| c.is_ascii_punctuation()) => j += 2,
            b'(' => {
                depth += 1;
                if depth > 32 {
                    return None;
                }
                j += 1
            }
            b')' if depth == 0 => break,
            b')' => {
                depth -= 1;
                j += 1
            }
            c if c <= b' ' || c == 0x7f => break,
            _ => j += 1,
        }
    }
    if depth != 0 {
        return None;
    }
    Some((unescape(&s[i..j]), j))
}

/// A link title at `s[i..]`: the index after it.
fn link_title(s: &str, i: usize) -> Option<usize> {
    let b = s.as_bytes();
    let close = match b.get(i) {
        Some(b'"') => b'"',
        Some(b'\'') => b'\'',
        Some(b'(') => b')',
        _ => return None,
    };
    let mut j = i + 1;
    while let Some(&c) = b.get(j) {
        if c == b'\\' && b.get(j + 1).is_some_and(|c| c.is_ascii_punctuation()) {
            j += 2;
        } else if c == close {
            return Some(j + 1);
        } else if close == b')' && c == b'(' {
            return None;
        } else {
            j += 1;
        }
    }
    None
}

/// A link reference definition at the start of `s`: (normalised label, destination, bytes used).
fn parse_reference(s: &str) -> Option<(String, String, usize)> {
    let l = link_label(s)?;
    let label = norm_label(&s[1..l - 1]);
    if s.as_bytes().get(l) != Some(&b':') || label.is_empty() {
        return None;
    }
    let i = skip_spnl(s, l + 1);
    if i >= s.len() {
        return None;
    }
    let (dest, after_dest) = link_dest(s, i)?;
    if after_dest == i {
        return None;
    }
    let at_line_end = |j: usize| {
        let rest = &s[j..];
        let line = rest.split('\n').next().unwrap_or("");
        line.bytes().all(|c| c == b' ' || c == b'\t').then(|| j + line.len() + usize::from(rest.len() > line.len()))
    };
    let before_title = skip_spnl(s, after_dest);
    if before_title > after_dest {
        if let Some(end) = link_title(s, before_title).and_then(at_line_end) {
            return Some((label, dest, end));
        }
    }
    at_line_end(after_dest).map(|end| (label, dest, end))
}

/// The length of the raw HTML (open or closing tag, comment, processing instruction, declaration
/// or CDATA section) at the start of `s`.
fn html_tag(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if b.first() != Some(&b'<') {
        return None;
    }
    let find = |from: usize, end: &str| s.get(from..)?.find(end).map(|i| from + i + end.len());
    if let Some(c) = s.strip_prefix("<!--") {
        if c.starts_with('>') {
            return Some(5);
        }
        if c.starts_with("->") {
            return Some(6);
        }
        return find(4, "-->");
    }
    if s.starts_with("<?") {
        return find(2, "?>");
    }
    if s.starts_with("<![CDATA[") {
        return find(9, "]]>");
    }
    if b.get(1) == Some(&b'!') && b.get(2).is_some_and(|c| c.is_ascii_alphabetic()) {
        return find(2, ">");
    }
    let closing = b.get(1) == Some(&b'/');
    let mut i = if closing { 2 } else { 1 };
    if !b.get(i).is_some_and(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    while b.get(i).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'-') {
        i += 1;
    }
    let ws = |i: usize| {
        let mut j = i;
        while b.get(j).is_some_and(|c| matches!(c, b' ' | b'\t' | b'\n')) {
            j += 1;
        }
        j
    };
    if closing {
        let j = ws(i);
        return (b.get(j) == Some(&b'>')).then_some(j + 1);
    }
    loop {
        let j = ws(i);
        match b.get(j) {
            Some(b'>') => return Some(j + 1),
            Some(b'/') => return (b.get(j + 1) == Some(&b'>')).then_some(j + 2),
            Some(c) if j > i && (c.is_ascii_alphabetic() || *c == b'_' || *c == b':') => {
                let mut k = j + 1;
                while b.get(k).is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b':' | b'-')) {
                    k += 1;
                }
                let k2 = ws(k);
                if b.get(k2) == Some(&b'=') {
                    let v = ws(k2 + 1);
                    match b.get(v) {
                        Some(&q @ (b'"' | b'\'')) => {
                            let end = s[v + 1..].find(q as char)?;
                            i = v + 1 + end + 1;
                        }
                        Some(_) => {
                            let mut e = v;
                            while b.get(e).is_some_and(|c| !matches!(c, b' ' | b'\t' | b'\n' | b'"' | b'\'' | b'=' | b'<' | b'>' | b'`')) {
                                e += 1;
                            }
                            if e == v {
                                return None;
                            }
                            i = e;
                        }
                        None => return None,
                    }
                } else {
                    i = k;
                }
            }
            _ => return None,
        }
    }
}

const ENTITIES: &[(&str, &str)] = &[
    ("amp", "&"), ("lt", "<"), ("gt", ">"), ("quot", "\""), ("apos", "'"), ("nbsp", "\u{a0}"), ("copy", "©"), ("reg", "®"),
    ("trade", "™"), ("hellip", "…"), ("mdash", "—"), ("ndash", "–"), ("lsquo", "‘"), ("rsquo", "’"), ("ldquo", "“"),
    ("rdquo", "”"), ("laquo", "«"), ("raquo", "»"), ("middot", "·"), ("bull", "•"), ("rarr", "→"), ("larr", "←"), ("uarr", "↑"),
    ("darr", "↓"), ("harr", "↔"), ("rArr", "⇒"), ("lArr", "⇐"), ("hArr", "⇔"), ("times", "×"), ("divide", "÷"), ("plusmn", "±"),
    ("ne", "≠"), ("le", "≤"), ("ge", "≥"), ("deg", "°"), ("sect", "§"), ("para", "¶"), ("euro", "€"), ("pound", "£"),
    ("yen", "¥"), ("cent", "¢"), ("check", "✓"), ("cross", "✗"), ("star", "☆"), ("infin", "∞"), ("shy", "\u{ad}"), ("ensp", "\u{2002}"),
    ("emsp", "\u{2003}"), ("thinsp", "\u{2009}"), ("zwj", "\u{200d}"), ("zwnj", "\u{200c}"), ("tab", "\t"), ("NewLine", "\n"),
    ("lbrace", "{"), ("rbrace", "}"), ("lsqb", "["), ("rsqb", "]"), ("lpar", "("), ("rpar", ")"), ("ast", "*"), ("lowbar", "_"),
    ("grave", "`"), ("num", "#"), ("excl", "!"), ("quest", "?"), ("commat", "@"), ("dollar", "$"), ("percnt", "%"), ("vert", "|"),
    ("bsol", "\\"), ("sol", "/"), ("colon", ":"), ("semi", ";"), ("comma", ","), ("period", "."), ("equals", "="), ("plus", "+"),
    ("Hat", "^"), ("tilde", "˜"), ("macr", "¯"), ("acute", "´"), ("uml", "¨"), ("iexcl", "¡"), ("iquest", "¿"),
];

/// An entity or numeric character reference at the start of `s` (after its `&`): (text, length
/// including `&` and `;`).
fn entity(s: &str) -> Option<(String, usize)> {
    let b = s.as_bytes();
    let semi = s.find(';')?;
    let body = &s[..semi];
    if let Some(num) = body.strip_prefix('#') {
        let (digits, radix, max) = match num.strip_prefix(['x', 'X']) {
            Some(h) => (h, 16, 6),
            None => (num, 10, 7),
        };
        if digits.is_empty() || digits.len() > max || !digits.bytes().all(|c| (c as char).is_digit(radix)) {
            return None;
        }
        let n = u32::from_str_radix(digits, radix).ok()?;
        let c = if n == 0 { '\u{FFFD}' } else { char::from_u32(n).unwrap_or('\u{FFFD}') };
        return Some((c.to_string(), semi + 2));
    }
    if !b.first()?.is_ascii_alphabetic() || !body.bytes().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    ENTITIES.iter().find(|(n, _)| *n == body).map(|(_, v)| (v.to_string(), semi + 2))
}

/// Backslash escapes and entities resolved (for link destinations and info strings).
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut i = 0;
    let b = s.as_bytes();
    while i < b.len() {
        match b[i] {
            b'\\' if b.get(i + 1).is_some_and(|c| c.is_ascii_punctuation()) => {
                out.push(b[i + 1] as char);
                i += 2;
                continue;
            }
            b'&' => {
                if let Some((t, n)) = entity(&s[i + 1..]) {
                    out.push_str(&t);
                    i += n;
                    continue;
                }
            }
            _ => {}
        }
        let ch = s[i..].chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

struct Delim {
    ch: u8,
    count: usize,
    orig: usize,
    open: bool,
    close: bool,
}

enum Inl {
    N(Node),
    /// A `[` or `![` that may open a link or image.
    Open(&'static str),
    /// An emphasis delimiter run, still able to open or close (its text is `ch` × `count`).
    D(Delim),
}

struct Bracket {
    /// Index in the item list of the `[` or `![` text.
    idx: usize,
    /// Byte offset just after the bracket in the subject.
    pos: usize,
    image: bool,
    active: bool,
}

fn to_nodes(items: impl IntoIterator<Item = Inl>) -> Vec<Node> {
    let mut out = Vec::new();
    for it in items {
        match it {
            Inl::N(n) => push(&mut out, n),
            Inl::Open(t) => push(&mut out, Node::Text(t.into())),
            Inl::D(d) => push(&mut out, Node::Text((d.ch as char).to_string().repeat(d.count))),
        }
    }
    out
}

fn push_text(items: &mut Vec<Inl>, t: &str) {
    if let Some(Inl::N(Node::Text(last))) = items.last_mut() {
        last.push_str(t);
    } else {
        items.push(Inl::N(Node::Text(t.to_string())));
    }
}

/// How deeply `nodes` nest elements (inline nodes are built at most MAX_NESTING + 2 deep, so
/// this recursion is bounded).
fn nesting(nodes: &[Node]) -> usize {
    nodes.iter().map(|n| if let Node::El(_, kids) = n { 1 + nesting(kids) } else { 0 }).max().unwrap_or(0)
}

/// Appends the text of `nodes`, without their elements.
fn text_of(nodes: &[Node], out: &mut String) {
    for n in nodes {
        match n {
            Node::Text(t) => out.push_str(t),
            Node::El(_, kids) => text_of(kids, out),
        }
    }
}

/// Matches emphasis delimiters among `items[bottom..]`; all of them stop being delimiters.
fn process_emphasis(items: &mut Vec<Inl>, bottom: usize) {
    let mut i = bottom;
    while i < items.len() {
        let Inl::D(c) = &items[i] else {
            i += 1;
            continue;
        };
        if !c.close {
            i += 1;
            continue;
        }
        let (ch, c_orig, c_open, c_count) = (c.ch, c.orig, c.open, c.count);
        let mut found = None;
        let mut j = i;
        while j > bottom {
            j -= 1;
            if let Inl::D(o) = &items[j] {
                let odd = (o.close || c_open) && (o.orig + c_orig) % 3 == 0 && !(o.orig % 3 == 0 && c_orig % 3 == 0);
                if o.ch == ch && o.open && !odd {
                    found = Some(j);
                    break;
                }
            }
        }
        let Some(j) = found else {
            if !c_open {
                // Not a delimiter any more: plain text.
                items[i] = Inl::N(Node::Text((ch as char).to_string().repeat(c_count)));
            }
            i += 1;
            continue;
        };
        let count = |it: &Inl| if let Inl::D(d) = it { d.count } else { 0 };
        let n = if count(&items[j]) >= 2 && count(&items[i]) >= 2 { 2 } else { 1 };
        for k in [j, i] {
            if let Inl::D(d) = &mut items[k] {
                d.count -= n;
            }
        }
        let mut inner = to_nodes(items.drain(j + 1..i));
        // Emphasis nested past MAX_NESTING levels keeps its innermost content as plain text, so
        // that the nodes stay shallow (rendering and dropping them recurses once per level).
        if nesting(&inner) >= MAX_NESTING {
            let mut text = String::new();
            text_of(&inner, &mut text);
            inner = vec![Node::Text(text)];
        }
        items.insert(j + 1, Inl::N(Node::El(if n == 2 { El::Strong } else { El::Em }, inner)));
        let mut ci = j + 2;
        if count(&items[j]) == 0 {
            items.remove(j);
            ci -= 1;
        }
        if count(&items[ci]) == 0 {
            items.remove(ci);
        }
        i = ci;
    }
    // Whatever is left is text.
    for it in items[bottom..].iter_mut() {
        if let Inl::D(d) = it {
            *it = Inl::N(Node::Text((d.ch as char).to_string().repeat(d.count)));
        }
    }
}

/// Parses a paragraph's or heading's text into inline nodes.
fn inlines(s: &str, refs: &[(String, String)]) -> Vec<Node> {
    let b = s.as_bytes();
    let mut items: Vec<Inl> = Vec::new();
    let mut brackets: Vec<Bracket> = Vec::new();
    let mut i = 0;
    let char_before = |i: usize| s[..i].chars().next_back();
    let char_at = |i: usize| s[i..].chars().next();
    while i < b.len() {
        match b[i] {
            b'\n' => {
                let mut hard = false;
                if let Some(Inl::N(Node::Text(t))) = items.last_mut() {
                    if t.ends_with(' ') {
                        hard = t.ends_with("  ");
                        let trimmed = t.trim_end_matches(' ').len();
                        t.truncate(trimmed);
                    }
                }
                items.push(Inl::N(if hard { Node::El(El::Br, Vec::new()) } else { Node::Text(" ".into()) }));
                i += 1;
                while b.get(i) == Some(&b' ') {
                    i += 1;
                }
            }
            b'\\' => {
                match b.get(i + 1) {
                    Some(b'\n') => {
                        items.push(Inl::N(Node::El(El::Br, Vec::new())));
                        i += 2;
                        while b.get(i) == Some(&b' ') {
                            i += 1;
                        }
                    }
                    Some(&c) if c.is_ascii_punctuation() => {
                        push_text(&mut items, &(c as char).to_string());
                        i += 2;
                    }
                    _ => {
                        push_text(&mut items, "\\");
                        i += 1;
                    }
                }
            }
            b'`' => {
                let n = b[i..].iter().take_while(|&&c| c == b'`').count();
                let mut j = i + n;
                let mut end = None;
                while j < b.len() {
                    if b[j] == b'`' {
                        let m = b[j..].iter().take_while(|&&c| c == b'`').count();
                        if m == n {
                            end = Some(j);
                            break;
                        }
                        j += m;
                    } else {
                        j += 1;
                    }
                }
                match end {
                    Some(e) => {
                        let mut code = s[i + n..e].replace('\n', " ");
                        if code.len() >= 2 && code.starts_with(' ') && code.ends_with(' ') && code.bytes().any(|c| c != b' ') {
                            code = code[1..code.len() - 1].to_string();
                        }
                        items.push(Inl::N(Node::El(El::Code, vec![Node::Text(code)])));
                        i = e + n;
                    }
                    None => {
                        push_text(&mut items, &s[i..i + n]);
                        i += n;
                    }
                }
            }
            ch @ (b'*' | b'_') => {
                let n = b[i..].iter().take_while(|&&c| c == ch).count();
                let before = char_before(i).unwrap_or('\n');
                let after = char_at(i + n).unwrap_or('\n');
                let (bw, aw) = (before.is_whitespace(), after.is_whitespace());
                let (bp, ap) = (is_punct(before), is_punct(after));
                let left = !aw && (!ap || bw || bp);
                let right = !bw && (!bp || aw || ap);
                let (open, close) = if ch == b'*' { (left, right) } else { (left && (!right || bp), right && (!left || ap)) };
                items.push(Inl::D(Delim { ch, count: n, orig: n, open, close }));
                i += n;
            }
            b'[' => {
                brackets.push(Bracket { idx: items.len(), pos: i + 1, image: false, active: true });
                items.push(Inl::Open("["));
                i += 1;
            }
            b'!' if b.get(i + 1) == Some(&b'[') => {
                brackets.push(Bracket { idx: items.len(), pos: i + 2, image: true, active: true });
                items.push(Inl::Open("!["));
                i += 2;
            }
            b']' => {
                i += 1;
                let Some(op) = brackets.last() else {
                    push_text(&mut items, "]");
                    continue;
                };
                if !op.active {
                    brackets.pop();
                    push_text(&mut items, "]");
                    continue;
                }
                let (image, idx, text_start) = (op.image, op.idx, op.pos);
                let mut dest = None;
                // An inline link: (destination "title").
                if b.get(i) == Some(&b'(') {
                    let j = skip_spnl(s, i + 1);
                    if let Some((d, after)) = link_dest(s, j) {
                        let mut k = skip_spnl(s, after);
                        if k > after {
                            if let Some(t) = link_title(s, k) {
                                k = skip_spnl(s, t);
                            }
                        }
                        if b.get(k) == Some(&b')') && (after > j || b.get(j) == Some(&b')')) {
                            dest = Some(d);
                            i = k + 1;
                        }
                    }
                }
                // A reference link: [text][label], [label][] or [label].
                if dest.is_none() {
                    let label_len = link_label(&s[i..]);
                    // [text][label], else [label][] or [label]: the text is the label.
                    let label = match label_len {
                        Some(l) => Some(&s[i + 1..i + l - 1]),
                        None => Some(&s[text_start..i - 1]),
                    };
                    if let Some(d) = label.filter(|l| l.len() <= 999).and_then(|l| {
                        let l = norm_label(l);
                        refs.iter().find(|(k, _)| *k == l).map(|(_, d)| d)
                    }) {
                        dest = Some(d.clone());
                        if let Some(l) = label_len {
                            i += l;
                        } else if s[i..].starts_with("[]") {
                            i += 2;
                        }
                    }
                }
                let Some(dest) = dest else {
                    brackets.pop();
                    push_text(&mut items, "]");
                    continue;
                };
                brackets.pop();
                process_emphasis(&mut items, idx + 1);
                let kids = to_nodes(items.drain(idx + 1..));
                items.truncate(idx);
                match safe_href(&dest).filter(|_| !image) {
                    Some(href) => items.push(Inl::N(Node::El(El::A(href), kids))),
                    None => kids.into_iter().for_each(|k| items.push(Inl::N(k))),
                }
                if !image {
                    for br in brackets.iter_mut().filter(|b| !b.image) {
                        br.active = false;
                    }
                }
            }
            b'<' => {
                let rest = &s[i + 1..];
                let close = rest.find(['>', '<', ' ', '\n', '\t']).filter(|&e| rest.as_bytes()[e] == b'>');
                if let Some(e) = close.filter(|&e| is_uri(&rest[..e]) || is_email(&rest[..e])) {
                    let target = &rest[..e];
                    if is_uri(target) {
                        let node = Node::Text(target.to_string());
                        match safe_href(target) {
                            Some(href) => items.push(Inl::N(Node::El(El::A(href), vec![node]))),
                            None => items.push(Inl::N(node)),
                        }
                    } else {
                        push_text(&mut items, target);
                    }
                    i += e + 2;
                } else if let Some(n) = html_tag(&s[i..]) {
                    push_text(&mut items, &s[i..i + n]);
                    i += n;
                } else {
                    push_text(&mut items, "<");
                    i += 1;
                }
            }
            b'&' => match entity(&s[i + 1..]) {
                Some((t, n)) => {
                    push_text(&mut items, &t);
                    i += n;
                }
                None => {
                    push_text(&mut items, "&");
                    i += 1;
                }
            },
            _ => {
                let end = b[i..].iter().position(|c| b"\n\\`*_[]!<&".contains(c)).map_or(b.len(), |p| i + p.max(1));
                push_text(&mut items, &s[i..end]);
                i = end;
            }
        }
    }
    process_emphasis(&mut items, 0);
    to_nodes(items)
}

fn is_uri(s: &str) -> bool {
    let Some((scheme, _)) = s.split_once(':') else { return false };
    (2..=32).contains(&scheme.len())
        && scheme.as_bytes()[0].is_ascii_alphabetic()
        && scheme.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'.' | b'-'))
        && s.bytes().all(|c| c > b' ' && c != b'<' && c != b'>')
}

fn is_email(s: &str) -> bool {
    let Some((user, domain)) = s.split_once('@') else { return false };
    !user.is_empty()
        && user.bytes().all(|c| c.is_ascii_alphanumeric() || b".!#$%&'*+/=?^_`{|}~-".contains(&c))
        && domain.split('.').all(|l| {
            !l.is_empty() && l.len() <= 63 && l.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-') && !l.starts_with('-') && !l.ends_with('-')
        })
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
        let t = |s: &str| Node::Text(s.into());
        assert_eq!(parse("[x](javascript:alert(1)) and <javascript:alert(2)>"), vec![Node::El(El::P, vec![t("x and javascript:alert(2)")])]);
        assert_eq!(parse("<b onclick=\"x()\">hi</b>"), vec![Node::El(El::P, vec![t("<b onclick=\"x()\">hi</b>")])]);
    }
}

/// The same nodes built from pulldown-cmark's events, the way the app rendered them before.
#[cfg(test)]
mod reference {
    use super::*;
    use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Parser, Tag};

    fn wrap(tag: &Tag, children: Vec<Node>) -> Vec<Node> {
        let el = match tag {
            Tag::Paragraph => El::P,
            Tag::Heading { level: HeadingLevel::H1 | HeadingLevel::H2, .. } => El::H4,
            Tag::Heading { .. } => El::H5,
            Tag::BlockQuote(_) => El::Quote,
            Tag::CodeBlock(CodeBlockKind::Fenced(l)) if !l.is_empty() => El::Pre(format!("language-{l}")),
            Tag::CodeBlock(_) => El::Pre(String::new()),
            Tag::List(Some(start)) => El::Ol(*start),
            Tag::List(None) => El::Ul,
            Tag::Item => El::Li,
            Tag::Emphasis => El::Em,
            Tag::Strong => El::Strong,
            Tag::Link { dest_url, .. } => match safe_href(dest_url) {
                Some(href) => El::A(href),
                None => return children,
            },
            _ => return children,
        };
        vec![Node::El(el, children)]
    }

    pub fn parse(md: &str) -> Vec<Node> {
        let mut stack: Vec<(Option<Tag>, Vec<Node>)> = vec![(None, Vec::new())];
        for ev in Parser::new(md) {
            let node = match ev {
                Event::Start(tag) => {
                    stack.push((Some(tag), Vec::new()));
                    continue;
                }
                Event::End(_) => {
                    let Some((Some(tag), children)) = stack.pop() else { continue };
                    let top = &mut stack.last_mut().expect("document").1;
                    for n in wrap(&tag, children) {
                        push(top, n);
                    }
                    continue;
                }
                Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => Node::Text(t.to_string()),
                Event::Code(t) => Node::El(El::Code, vec![Node::Text(t.to_string())]),
                Event::SoftBreak => Node::Text(" ".into()),
                Event::HardBreak => Node::El(El::Br, Vec::new()),
                _ => continue,
            };
            push(&mut stack.last_mut().expect("document").1, node);
        }
        assert_eq!(stack.len(), 1, "balanced events");
        stack.pop().map(|(_, c)| c).unwrap_or_default()
    }
}

#[cfg(test)]
mod same_as_pulldown_cmark {
    use super::*;

    /// Documents that exercise each construct and its corner cases.
    const CASES: &[&str] = &[
        "",
        "plain text",
        "two\nlines\n\nand a second paragraph  \nwith a hard break\\\nand a backslash one",
        "# H1\n## H2 ##\n### H3\n#### H4 #\n##### H5\n###### H6\n####### not a heading\n#no space\n#\n# #",
        "Setext 1\n========\n\nSetext 2\n---\n\nnot\n= a heading",
        "***\n---\n___\n* * *\n - - -\npara\n***\nafter",
        "```python\ndef f():\n\treturn 1\n```\n\n~~~\ntilde\n~~~~\n\n````md title\n```\ninner\n```\n````\n\n```\nunclosed\n",
        "  ```\n  indented fence\n   more\n ```\n",
        "    indented code\n    \tline with tab\n\n\n    after blank\n\n\npara",
        "\tcode with a tab\n  \t mixed\n",
        "> quote\ncontinued lazily\n> > nested\n>\n> - list in quote\n\n> new quote",
        "- a\n- b\n- c\n\n1. one\n2. two\n10. ten\n\n3) three\n4) four\n\n* star\n+ plus",
        "- tight\n- list\n\n- now\n\n- loose",
        "- item\n\n  second paragraph\n- next\n  - nested\n    - deeper\n\n      deep para\n- last",
        "1. a\n\n   ```python\n   code in item\n   ```\n2. b\n   > quote in item\n",
        "- \n  empty first line\n-\n\n- x\n-   four spaces\n-      six spaces (code)\n",
        "para\n- list interrupts\n\npara\n2. does not interrupt\n\npara\n1. does",
        "-one\n+two\n*three*\n1.no\n",
        "`code` and `` double `tick` `` and ` padded ` and `  ` and `\nacross\nlines` and `unclosed",
        "*em* _em_ **strong** __strong__ ***both*** *nested **strong** em* **nested *em* strong**",
        "snake_case_name and 2*3*4 and a * b * c and *not em * and _ not_ and foo*bar*baz and foo_bar_baz",
        "*a **b** c* **a *b* c** ***a** b* ***a* b** *a **b***",
        "**foo*bar** *foo**bar* ___a___ ____b____ *(paren)* _(paren)_ \"*quoted*\" **foo \"*bar*\" foo**",
        "[link](https://example.com) [titled](https://example.com \"Title\") [angle](<https://example.com/a b>) [paren](https://en.wikipedia.org/wiki/Foo_(bar))",
        "[empty]() [js](javascript:alert(1)) [rel](/relative) [mail](mailto:a@b.c) ![image](https://x/y.png \"t\") ![alt *em*](z)",
        "[not a link] [also not](  ) [nested [brackets]](https://a.b) [link [inner](https://inner)](https://outer)",
        "[*em link*](https://a.b) *[em around](https://a.b)* [`code`](https://a.b) [a\nb](https://a.b)",
        "[ref] and [text][ref] and [ref][] and [Ref  Label][REF label] and [missing][nope]\n\n[ref]: https://ref.example\n[ref label]: <https://two.example> \"title\"\n[three]:\n  https://three.example\n  'title'\n\n[three]",
        "[only]: https://defs.example\n\n[only]",
        "<https://auto.link/path?q=1> <mailto:x@y.z> <x@y.z> <not a link> <javascript:alert(1)> <a href=\"x\">raw</a> <!-- c --> <br/> <?php x ?>",
        "\\*not em\\* \\_ \\` \\# \\[x\\](y) \\\\ \\a \\\n",
        "&amp; &lt;tag&gt; &quot; &copy; &#65; &#x41; &#0; &#1234567; &nosuch; & alone &#; &rarr;",
        "<div>\nhtml block *not em*\n</div>\n\nafter\n\n<!-- comment\nspans -->\ntext\n\n<script>\nx < 1\n</script>\n<custom-tag>\n\npara <span>inline</span>\n<del>\n*em*\n</del>",
        "trailing spaces   \nline  \n",
        "line one\r\nline two\rline three",
        "* a\n\n    code in list?\n* b\n\n        indented code in item\n",
        "1. a\n1. b\n\n   1. c\n   1. d\n\n5. five\n",
        "> ```\n> code in quote\n> ```\n> > deeper\nlazy",
        "- a\n  b\nlazy\n- c\n\n  > q\n",
        "Use `yaml.safe_load(data)`; `pickle.loads` on *untrusted* data is **dangerous** (see [CWE-502](https://cwe.mitre.org/data/definitions/502.html)).",
        "foo\n***\nbar\n- - -\n",
        "## Heading with `code` and *em*\ntext right after",
        "1. a\n\n\n2. b\n\n- c\n\n\n- d",
        "- a\n - b\n  - c\n   - d\n    - e",
    ];

    #[test]
    fn tricky_documents_render_as_with_pulldown_cmark() {
        let mut failed = Vec::new();
        for md in CASES {
            let (ours, theirs) = (parse(md), reference::parse(md));
            if ours != theirs {
                failed.push(format!("{md:?}\n  ours:   {ours:?}\n  theirs: {theirs:?}"));
            }
        }
        assert!(failed.is_empty(), "{} of {} differ:\n{}", failed.len(), CASES.len(), failed.join("\n"));
    }

    #[test]
    fn every_built_in_rule_s_docs_render_as_with_pulldown_cmark() {
        let engine = pyward_engine::Engine::builtin().expect("built-in rules");
        let mut n = 0;
        for rule in engine.rules() {
            let docs = &rule.meta.docs;
            if docs.is_empty() {
                continue;
            }
            n += 1;
            // As the detail view shows them: the explanation, then the references.
            for md in [docs.clone(), strip_sections(docs, &["Example", "References"]), strip_sections(docs, &["What it does", "Why is this bad?", "Example"])] {
                assert_eq!(parse(&md), reference::parse(&md), "rule {}", rule.meta.id);
            }
        }
        assert!(n >= 50, "only {n} rules with docs");
    }
}

/// Custom rules typed in the playground bring their own docs, so the reader gets user input: it
/// must never panic (in wasm a panic kills the page) nor recurse without bound.
#[cfg(test)]
mod robustness {
    use super::*;

    /// Rendering as the app does, nodes included (Yew's `Html` is built recursively too).
    fn render_all(md: &str) -> usize {
        fn count(n: &Node) -> usize {
            match n {
                Node::Text(_) => 1,
                Node::El(_, kids) => 1 + kids.iter().map(count).sum::<usize>(),
            }
        }
        let nodes = parse(md);
        let _html = render(md);
        nodes.iter().map(count).sum()
    }

    #[test]
    fn random_documents_never_panic() {
        const PARTS: &[&str] = &[
            "\n", "\n\n", " ", "  ", "    ", "\t", "\r", "\r\n", ">", "> ", "-", "- ", "* ", "+ ", "1. ", "2) ", "#", "# ", "###### ",
            "`", "```", "~~~", "*", "**", "_", "__", "[", "]", "(", ")", "<", ">", "!", "\\", "&", "&amp;", "&#", "&#x", ";",
            "\"", "'", "===", "---", "***", "<div>", "</div>", "<!--", "-->", "<?", "?>", "<![CDATA[", "]]>", "https://a.b",
            "mailto:", "@", "[x]: ", "word", "é", "😀", "\u{0}", "|", ":", "=",
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let len = (next() % 60) as usize;
            let md: String = (0..len).map(|_| PARTS[(next() % PARTS.len() as u64) as usize]).collect();
            if std::panic::catch_unwind(|| render_all(&md)).is_err() {
                panic!("the Markdown reader panicked on {md:?}");
            }
        }
    }

    /// Deep nesting on a 1 MiB stack (the wasm stack's size): each construct 1,000 to 5,000 levels deep.
    #[test]
    fn deep_nesting_stays_within_a_small_stack() {
        let docs: Vec<String> = vec![
            ">".repeat(5_000) + " deep quote",
            // Lists nest by indentation, so their text grows with the square of the depth.
            (0..1_000).map(|i| format!("{}- item\n", "  ".repeat(i))).collect(),
            (0..1_000).map(|i| format!("{}1. item\n", "   ".repeat(i))).collect(),
            "- ".repeat(5_000) + "x",
            "[".repeat(5_000) + "x" + &"](https://a.b)".repeat(5_000),
            "*".repeat(5_000) + "x" + &"*".repeat(5_000),
            "_a ".repeat(5_000) + &"b_ ".repeat(5_000),
            "`".repeat(5_000) + "x",
            "<".repeat(5_000) + "x" + &">".repeat(5_000),
            "![".repeat(5_000) + "x" + &"](y)".repeat(5_000),
            "\\".repeat(10_000),
            "&".repeat(10_000) + ";",
        ];
        let handle = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || docs.iter().map(|d| render_all(d)).sum::<usize>())
            .expect("a thread");
        let nodes = handle.join().expect("no stack overflow or panic on deeply nested Markdown");
        assert!(nodes > 0);
    }

    /// Docs longer than the cap are cut (and say so) instead of taking seconds on the UI thread.
    #[test]
    fn long_docs_are_cut() {
        let long = "*_".repeat(80_000);
        let nodes = parse(&long);
        let text = format!("{nodes:?}");
        assert!(text.contains("is not shown"), "{}", &text[text.len().saturating_sub(200)..]);
        let ok = "word ".repeat(100);
        assert!(!format!("{:?}", parse(&ok)).contains("is not shown"));
    }
}
