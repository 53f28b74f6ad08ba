//! Module text: the author's Markdown made into HTML, then sanitised (ammonia), so that no
//! script, event handler or `javascript:` link survives whatever an author pastes.

use std::collections::HashSet;

/// Where uploaded course files are served; the only image source a module may use (the
/// page's CSP allows no other).
pub const FILES_PATH: &str = "/learn/files/";

pub fn to_html(markdown: &str) -> String {
    use pulldown_cmark::{Options, Parser, html};
    let parser = Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    );
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, parser);
    ammonia::Builder::default()
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .link_rel(Some("noopener noreferrer"))
        .attribute_filter(|element, attribute, value| {
            if element == "img" && attribute == "src" && !value.starts_with(FILES_PATH) {
                return None;
            }
            Some(value.into())
        })
        .clean(&raw)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_text_and_drops_every_script() {
        let cases: &[(&str, &[&str], &[&str])] = &[
            (
                "# Judul\n\n**tebal** _miring_",
                &["<h1>Judul</h1>", "<strong>tebal</strong>"],
                &[],
            ),
            (
                "<script>alert(1)</script>halo",
                &["halo"],
                &["<script", "alert(1)"],
            ),
            ("[klik](javascript:alert(1))", &["klik"], &["javascript:"]),
            (
                "<img src=x onerror=\"alert(1)\">",
                &[],
                &["onerror", "alert"],
            ),
            (
                "\"><img src=/learn/files/3 onerror=alert(1)>",
                &["src=\"/learn/files/3\""],
                &["onerror"],
            ),
            (
                "![peta](https://evil.example/x.png)",
                &[],
                &["evil.example"],
            ),
            (
                "[Video](https://www.youtube.com/watch?v=abc)",
                &["href=\"https://www.youtube.com/watch?v=abc\"", "noopener"],
                &[],
            ),
            (
                "<iframe src=\"https://x\"></iframe><a href=\"data:text/html,x\">d</a>",
                &[">d</a>"],
                &["iframe", "data:"],
            ),
            (
                "| a | b |\n|---|---|\n| 1 | 2 |",
                &["<table>", "<td>1</td>"],
                &[],
            ),
        ];
        for (md, has, hasnt) in cases {
            let html = to_html(md);
            for h in *has {
                assert!(html.contains(h), "{md:?} → {html:?} should contain {h:?}");
            }
            for h in *hasnt {
                assert!(
                    !html.contains(h),
                    "{md:?} → {html:?} must not contain {h:?}"
                );
            }
        }
    }
}
