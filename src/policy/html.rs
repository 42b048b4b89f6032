//! The HTML front end: a saved web page's main content, as policy blocks with source lines.
//!
//! The page is parsed with `html5ever` (the HTML5 parsing algorithm browsers use, so broken
//! markup reads as a browser shows it) into a `scraper` tree; a thin tree sink records the
//! source line where each element and text node starts, which html5ever reports but scraper
//! does not keep. Then:
//!
//! - **Main content only.** The first `<main>` (or `role="main"`) is the policy; without one,
//!   the `<article>` with the most text; without one, `<body>` less its `<header>` and
//!   `<footer>`. Everywhere, navigation (`<nav>`, `role="navigation"`), `<aside>`, scripts,
//!   styles, `<noscript>`, templates, forms, buttons, frames, SVG, hidden elements (`hidden`,
//!   `aria-hidden="true"`, `display:none`), dialogs and cookie or consent banners (recognised
//!   by class or id: `cookie-banner`, `cookie-consent`, `onetrust`, ...; a policy section
//!   called `consent` or `advertising` stays) are dropped.
//! - **Blocks.** `h1`-`h6` are headings; a paragraph whose visible text is all `<strong>` or
//!   `<b>` is a bold-only heading, as in Markdown; `li` are list items (nested lists are
//!   blocks of their own, with their depth); each `tr` is a table row with cells joined by
//!   ` | `; `blockquote` paragraphs are quotes; `pre` is code; any other element that holds
//!   text directly (`p`, `div`, `dd`, ...) gives a paragraph. `<br>` is a space.
//! - **Positions** are lines of the HTML file: a block runs from the line of its first text
//!   to the line of its last.
//!
//! Not handled: text drawn by scripts (the saved HTML is read, nothing runs), CSS that hides
//! or reorders content other than an inline `display:none`, `<iframe>` content, images'
//! `alt` text, and the document's encoding if it is not UTF-8 (re-save it as UTF-8).
use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use html5ever::interface::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::{Attribute, QualName};
use scraper::{Html, HtmlTreeSink, Node};

use crate::policy::{BlockKind, Policy, RawBlock, SourceFormat};

type Handle = <HtmlTreeSink as TreeSink>::Handle;

/// Parses an HTML page (already known to be UTF-8) into a policy.
pub fn parse(name: &str, text: &str, sha256: String) -> Policy {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw = fragment_blocks(text);
    Policy::assemble(
        name,
        sha256,
        SourceFormat::Html,
        raw,
        text.to_string(),
        Vec::new(),
    )
}

/// The blocks of an HTML page, or of a fragment (a raw HTML block inside a Markdown file),
/// positions counted from its first line.
pub(crate) fn fragment_blocks(text: &str) -> Vec<RawBlock> {
    let sink = LineSink {
        inner: HtmlTreeSink::new(Html::new_document()),
        line: Cell::new(1),
        lines: RefCell::new(HashMap::new()),
    };
    let (html, lines) = html5ever::parse_document(sink, Default::default()).one(text);
    Walker::new(&lines).run(&html)
}

/// A tree sink that delegates to scraper's and notes the line each node started on.
struct LineSink {
    inner: HtmlTreeSink,
    line: Cell<u64>,
    /// First and last line of each element (where its start tag was) and text node.
    lines: RefCell<HashMap<Handle, (u32, u32)>>,
}

impl LineSink {
    fn note(&self, node: Handle, newlines: u32) {
        let line = self.line.get().min(u32::MAX as u64) as u32;
        // html5ever reports the line where the token ended; a text token began earlier.
        let first = line.saturating_sub(newlines).max(1);
        let mut lines = self.lines.borrow_mut();
        let entry = lines.entry(node).or_insert((first, line));
        entry.0 = entry.0.min(first);
        entry.1 = entry.1.max(line);
    }

    fn last_child(&self, parent: Handle) -> Option<Handle> {
        let html = self.inner.0.borrow();
        html.tree.get(parent)?.last_child().map(|c| c.id())
    }

    fn previous_sibling(&self, node: Handle) -> Option<Handle> {
        let html = self.inner.0.borrow();
        html.tree.get(node)?.prev_sibling().map(|c| c.id())
    }
}

fn newlines(child: &NodeOrText<Handle>) -> Option<u32> {
    match child {
        NodeOrText::AppendText(t) => Some(t.matches('\n').count() as u32),
        NodeOrText::AppendNode(_) => None,
    }
}

impl TreeSink for LineSink {
    type Handle = Handle;
    type Output = (Html, HashMap<Handle, (u32, u32)>);
    type ElemName<'a> = <HtmlTreeSink as TreeSink>::ElemName<'a>;

    fn finish(self) -> Self::Output {
        (self.inner.finish(), self.lines.into_inner())
    }
    fn parse_error(&self, msg: std::borrow::Cow<'static, str>) {
        self.inner.parse_error(msg)
    }
    fn get_document(&self) -> Handle {
        self.inner.get_document()
    }
    fn elem_name<'a>(&'a self, target: &'a Handle) -> Self::ElemName<'a> {
        self.inner.elem_name(target)
    }
    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> Handle {
        let node = self.inner.create_element(name, attrs, flags);
        self.note(node, 0);
        node
    }
    fn create_comment(&self, text: StrTendril) -> Handle {
        self.inner.create_comment(text)
    }
    fn create_pi(&self, target: StrTendril, data: StrTendril) -> Handle {
        self.inner.create_pi(target, data)
    }
    fn append(&self, parent: &Handle, child: NodeOrText<Handle>) {
        let text = newlines(&child);
        self.inner.append(parent, child);
        if let (Some(n), Some(node)) = (text, self.last_child(*parent)) {
            self.note(node, n);
        }
    }
    fn append_based_on_parent_node(
        &self,
        element: &Handle,
        prev_element: &Handle,
        child: NodeOrText<Handle>,
    ) {
        let has_parent = {
            let html = self.inner.0.borrow();
            html.tree
                .get(*element)
                .is_some_and(|n| n.parent().is_some())
        };
        if has_parent {
            self.append_before_sibling(element, child)
        } else {
            self.append(prev_element, child)
        }
    }
    fn append_doctype_to_document(&self, name: StrTendril, public: StrTendril, system: StrTendril) {
        self.inner.append_doctype_to_document(name, public, system)
    }
    fn get_template_contents(&self, target: &Handle) -> Handle {
        self.inner.get_template_contents(target)
    }
    fn same_node(&self, x: &Handle, y: &Handle) -> bool {
        self.inner.same_node(x, y)
    }
    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.inner.set_quirks_mode(mode)
    }
    fn append_before_sibling(&self, sibling: &Handle, new_node: NodeOrText<Handle>) {
        let text = newlines(&new_node);
        self.inner.append_before_sibling(sibling, new_node);
        if let (Some(n), Some(node)) = (text, self.previous_sibling(*sibling)) {
            self.note(node, n);
        }
    }
    fn add_attrs_if_missing(&self, target: &Handle, attrs: Vec<Attribute>) {
        self.inner.add_attrs_if_missing(target, attrs)
    }
    fn remove_from_parent(&self, target: &Handle) {
        self.inner.remove_from_parent(target)
    }
    fn reparent_children(&self, node: &Handle, new_parent: &Handle) {
        self.inner.reparent_children(node, new_parent)
    }
    fn set_current_line(&self, line_number: u64) {
        self.line.set(line_number);
    }
}

/// Elements whose content is never policy text.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "aside", "form", "button", "select",
    "textarea", "iframe", "frame", "object", "embed", "svg", "math", "canvas", "video", "audio",
    "map", "dialog", "head", "img", "picture",
];

/// Class or id fragments of site chrome: cookie and consent banners, menus, share bars.
/// Compound on purpose: a policy's own sections are often called `consent`, `advertising`
/// or `newsletter`, and must stay.
const CHROME_MARKS: &[&str] = &[
    "cookie-consent",
    "cookieconsent",
    "cookie_consent",
    "consent-banner",
    "consent-manager",
    "consent-modal",
    "consent-popup",
    "consent-bar",
    "onetrust",
    "cookie-banner",
    "cookie_banner",
    "cookiebanner",
    "cookie-notice",
    "cookie-bar",
    "cookie-popup",
    "cookielaw",
    "cc-window",
    "cc-banner",
    "gdpr-banner",
    "skip-link",
    "skiplink",
    "breadcrumb",
    "newsletter-signup",
    "newsletter-form",
    "navbar",
    "nav-bar",
    "site-header",
    "site-footer",
    "sidebar",
    "social-share",
    "share-buttons",
    "ad-slot",
    "adsbygoogle",
    "modal",
    "popup",
];

/// Elements that end the text before them and start a block of their own.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "address",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "caption",
    "figure",
    "figcaption",
    "details",
    "summary",
    "fieldset",
    "legend",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "center",
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Context {
    Heading(u8),
    Item,
    Row,
    Quote,
    Code,
}

struct Walker<'a> {
    lines: &'a HashMap<Handle, (u32, u32)>,
    /// The root is `<body>`: its header and footer are chrome.
    body_root: bool,
    stack: Vec<Context>,
    buf: String,
    span: Option<(u32, u32)>,
    bold: u32,
    plain_chars: usize,
    bold_chars: usize,
    raw: Vec<RawBlock>,
}

impl<'a> Walker<'a> {
    fn new(lines: &'a HashMap<Handle, (u32, u32)>) -> Self {
        Walker {
            lines,
            body_root: false,
            stack: Vec::new(),
            buf: String::new(),
            span: None,
            bold: 0,
            plain_chars: 0,
            bold_chars: 0,
            raw: Vec::new(),
        }
    }

    fn run(mut self, html: &Html) -> Vec<RawBlock> {
        let root = main_content(html);
        self.body_root = root
            .value()
            .as_element()
            .is_some_and(|e| e.name() == "body" || e.name() == "html");
        let mut skipping: Option<Handle> = None;
        for edge in root.traverse() {
            match edge {
                ego_tree::iter::Edge::Open(node) => {
                    if skipping.is_some() {
                        continue;
                    }
                    match node.value() {
                        Node::Text(text) => self.text(text, node.id()),
                        Node::Element(el) => {
                            if node.id() != root.id() && self.is_chrome(el) {
                                skipping = Some(node.id());
                            } else {
                                self.open(el.name());
                            }
                        }
                        _ => {}
                    }
                }
                ego_tree::iter::Edge::Close(node) => {
                    if skipping == Some(node.id()) {
                        skipping = None;
                    } else if skipping.is_none() {
                        if let Node::Element(el) = node.value() {
                            self.close(el.name());
                        }
                    }
                }
            }
        }
        self.flush();
        self.raw
    }

    fn is_chrome(&self, el: &scraper::node::Element) -> bool {
        let name = el.name();
        if SKIPPED.contains(&name) || (self.body_root && (name == "header" || name == "footer")) {
            return true;
        }
        if el.attr("hidden").is_some() || el.attr("aria-hidden") == Some("true") {
            return true;
        }
        if let Some(style) = el.attr("style") {
            let style: String = style.chars().filter(|c| !c.is_whitespace()).collect();
            if style.to_ascii_lowercase().contains("display:none") {
                return true;
            }
        }
        let role = el.attr("role").unwrap_or("").to_ascii_lowercase();
        let chrome_roles = [
            "navigation",
            "search",
            "dialog",
            "alertdialog",
            "complementary",
        ];
        if chrome_roles.contains(&role.as_str())
            || (self.body_root && (role == "banner" || role == "contentinfo"))
        {
            return true;
        }
        let marks = format!(
            "{} {}",
            el.attr("class").unwrap_or(""),
            el.attr("id").unwrap_or("")
        )
        .to_ascii_lowercase();
        CHROME_MARKS.iter().any(|m| marks.contains(m))
    }

    fn open(&mut self, name: &str) {
        let in_row = self.stack.contains(&Context::Row);
        match name {
            "strong" | "b" => self.bold += 1,
            "br" => self.buf.push(' '),
            "td" | "th" if in_row && !self.buf.trim().is_empty() => self.buf.push_str(" | "),
            _ if in_row && BLOCKS.contains(&name) && name != "tr" => self.buf.push(' '),
            _ if BLOCKS.contains(&name) => {
                self.flush();
                let context = match name {
                    "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                        Some(Context::Heading(name.as_bytes()[1] - b'0'))
                    }
                    "li" => Some(Context::Item),
                    "tr" => Some(Context::Row),
                    "blockquote" => Some(Context::Quote),
                    "pre" => Some(Context::Code),
                    _ => None,
                };
                self.stack.extend(context);
            }
            _ => {}
        }
    }

    fn close(&mut self, name: &str) {
        let in_row = self.stack.contains(&Context::Row);
        match name {
            "strong" | "b" => self.bold = self.bold.saturating_sub(1),
            "tr" => {
                self.flush();
                self.pop(Context::Row);
            }
            _ if in_row && BLOCKS.contains(&name) => self.buf.push(' '),
            _ if BLOCKS.contains(&name) => {
                self.flush();
                match name {
                    "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                        self.pop(Context::Heading(name.as_bytes()[1] - b'0'))
                    }
                    "li" => self.pop(Context::Item),
                    "blockquote" => self.pop(Context::Quote),
                    "pre" => self.pop(Context::Code),
                    _ => {}
                }
            }
            _ => {}
        }
    }

    fn pop(&mut self, context: Context) {
        if let Some(at) = self.stack.iter().rposition(|c| *c == context) {
            self.stack.truncate(at);
        }
    }

    fn text(&mut self, text: &str, node: Handle) {
        if text.trim().is_empty() {
            if !self.buf.is_empty() {
                self.buf.push(' ');
            }
            return;
        }
        let visible = text.chars().filter(|c| !c.is_whitespace()).count();
        if self.bold > 0 {
            self.bold_chars += visible;
        } else {
            self.plain_chars += visible;
        }
        self.buf.push_str(text);
        if let Some(&(first, last)) = self.lines.get(&node) {
            self.span = Some(match self.span {
                Some((s, e)) => (s.min(first), e.max(last)),
                None => (first, last),
            });
        }
    }

    fn flush(&mut self) {
        let text = std::mem::take(&mut self.buf);
        let span = self.span.take();
        let (plain, bold) = (self.plain_chars, self.bold_chars);
        self.plain_chars = 0;
        self.bold_chars = 0;
        if text.trim().is_empty() {
            return;
        }
        let mut kind = BlockKind::Paragraph;
        for c in self.stack.iter().rev() {
            kind = match c {
                Context::Heading(l) => BlockKind::Heading(*l),
                Context::Row => BlockKind::TableRow,
                Context::Code => BlockKind::Code,
                Context::Item => BlockKind::ListItem,
                Context::Quote => {
                    kind = BlockKind::Quote;
                    continue;
                }
            };
            break;
        }
        let depth = self.stack.iter().filter(|c| **c == Context::Item).count();
        self.raw.push(RawBlock {
            kind,
            text,
            bold: plain == 0 && bold > 0,
            lines: span.unwrap_or((1, 1)),
            depth: depth.min(u8::MAX as usize) as u8,
        });
    }
}

/// The element that holds the policy: `<main>`, else the longest `<article>`, else `<body>`.
fn main_content(html: &Html) -> ego_tree::NodeRef<'_, Node> {
    let elements = || {
        html.tree
            .nodes()
            .filter(|n| n.value().is_element())
            .map(|n| (n, n.value().as_element().expect("filtered to elements")))
    };
    if let Some((node, _)) =
        elements().find(|(_, e)| e.name() == "main" || e.attr("role") == Some("main"))
    {
        return node;
    }
    let text_len = |node: ego_tree::NodeRef<'_, Node>| -> usize {
        node.descendants()
            .filter_map(|d| d.value().as_text().map(|t| t.trim().len()))
            .sum()
    };
    if let Some((node, _)) = elements()
        .filter(|(_, e)| e.name() == "article")
        .max_by_key(|(n, _)| text_len(*n))
    {
        return node;
    }
    elements()
        .find(|(_, e)| e.name() == "body")
        .map(|(n, _)| n)
        .unwrap_or_else(|| html.tree.root())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Policy {
        parse("t.html", text, String::new())
    }

    #[test]
    fn main_content_blocks_and_lines() {
        let page = "<!DOCTYPE html>\n<html><head><title>X</title><style>p{}</style></head>\n<body>\n\
            <nav><a href=/>Home</a></nav>\n<div class=\"cookie-banner\">We use cookies. <button>OK</button></div>\n\
            <main>\n<h1>Privacy</h1>\n<p><strong>Sharing</strong></p>\n<p>We do not sell\nyour data.</p>\n\
            <ul><li>email<ul><li>work email</li></ul></li></ul>\n\
            <table><tr><th>Data</th><th>Kept</th></tr><tr><td>email</td><td><p>1 year</p></td></tr></table>\n\
            <script>alert(1)</script></main>\n<footer>Copyright</footer></body></html>\n";
        let policy = p(page);
        let got: Vec<_> = policy
            .blocks
            .iter()
            .map(|b| (b.kind, b.text.as_str(), b.lines, b.depth))
            .collect();
        assert_eq!(
            got,
            [
                (BlockKind::Heading(1), "Privacy", (7, 7), 0),
                (BlockKind::Heading(7), "Sharing", (8, 8), 0),
                (
                    BlockKind::Paragraph,
                    "We do not sell your data.",
                    (9, 10),
                    0
                ),
                (BlockKind::ListItem, "email", (11, 11), 1),
                (BlockKind::ListItem, "work email", (11, 11), 2),
                (BlockKind::TableRow, "Data | Kept", (12, 12), 0),
                (BlockKind::TableRow, "email | 1 year", (12, 12), 0),
            ]
        );
        assert_eq!(policy.title.as_deref(), Some("Privacy"));
        assert_eq!(policy.blocks[2].section, ["Sharing"]);
        assert!(policy.line(9).contains("We do not sell"));
    }

    #[test]
    fn policy_sections_named_like_chrome_stay() {
        let policy = p(
            "<main><section id=\"consent\"><p>Consent text.</p></section>\
            <section class=\"advertising newsletter\"><p>Ad text.</p></section>\
            <div class=\"cookie-banner\">Accept cookies</div></main>",
        );
        let texts: Vec<_> = policy.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["Consent text.", "Ad text."]);
    }

    #[test]
    fn body_without_main_drops_header_and_footer() {
        let policy =
            p("<html><body><header>Menu</header><p>Text.</p><footer>(c)</footer></body></html>");
        let texts: Vec<_> = policy.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["Text."]);
    }
}
