//! Markdown to safe HTML: pulldown-cmark renders, ammonia keeps only harmless markup.

use pulldown_cmark::{Options, Parser, html};

/// Renders Markdown (tables, strikethrough allowed) to sanitized HTML.
pub fn to_html(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let mut raw = String::new();
    html::push_html(&mut raw, Parser::new_ext(markdown, options));
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer"))
        .clean(&raw)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_renders_and_scripts_are_removed() {
        let html = to_html("**bold** <script>alert(1)</script>\n\n| a | b |\n|---|---|\n| 1 | 2 |");
        assert!(html.contains("<strong>bold</strong>"));
        assert!(html.contains("<table>"));
        assert!(!html.contains("<script"));
    }
}
