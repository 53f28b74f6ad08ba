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
            // A course file's address and nothing else: `/learn/files/{id}` (no `..`, no
            // query), so an author's image cannot make the reader's browser call any other page.
            if element == "img"
                && attribute == "src"
                && !value
                    .strip_prefix(FILES_PATH)
                    .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
            {
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

    /// Property test (issue 19): whatever an author pastes — generated text mixed with
    /// fragments of attacks — no script, handler, frame, style or foreign image survives.
    mod props {
        use super::*;
        use proptest::prelude::*;

        fn fragment() -> impl Strategy<Value = String> {
            prop_oneof![
                "\\PC{0,30}",
                "[#*_>`\\[\\]()!|\\-\n ]{0,10}",
                Just("<script>alert(1)</script>".to_string()),
                Just("<img src=x onerror=alert(1)>".to_string()),
                Just("[klik](javascript:alert(1))".to_string()),
                Just("![x](https://evil.example/x.png)".to_string()),
                Just("<iframe src=//evil.example></iframe>".to_string()),
                Just("<a href=\"jAvAsCrIpT:alert(1)\" onclick=\"x()\">a</a>".to_string()),
                Just("<style>body{display:none}</style>".to_string()),
                Just("<svg onload=alert(1)>".to_string()),
                Just("<div style=\"background:url(javascript:x)\">".to_string()),
                Just("<a onmouseover=x>a</a><details ontoggle=x open>".to_string()),
                Just("![x](/learn/files/../../api/v1/employees)".to_string()),
                Just("![x](/learn/files/12?x=1)".to_string()),
                Just("![x](/learn/files/12)".to_string()),
            ]
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(3000))]

            #[test]
            fn nothing_active_survives(parts in proptest::collection::vec(fragment(), 0..8)) {
                let html = to_html(&parts.concat()).to_ascii_lowercase();
                // Text's `<` comes out as `&lt;`: every `<` left opens a real tag.
                for banned in ["<script", "<iframe", "<style", "<svg"] {
                    prop_assert!(!html.contains(banned), "{banned} in {html}");
                }
                for (i, _) in html.match_indices('<') {
                    let tag = &html[i..html[i..].find('>').map_or(html.len(), |e| i + e)];
                    for banned in ["javascript:", " style="] {
                        prop_assert!(!tag.contains(banned), "{banned} in {tag}");
                    }
                    // No event handler of any name: ` on…=`.
                    let handler = tag.match_indices(" on").any(|(at, _)| {
                        let name: String = tag[at + 3..]
                            .chars()
                            .take_while(char::is_ascii_alphabetic)
                            .collect();
                        tag[at + 3 + name.len()..].starts_with('=')
                    });
                    prop_assert!(!handler, "an event handler in {tag}");
                    if tag.starts_with("<img")
                        && let Some(src) = tag.split("src=\"").nth(1)
                    {
                        let id = src
                            .strip_prefix(FILES_PATH)
                            .and_then(|r| r.split('"').next())
                            .unwrap_or("");
                        prop_assert!(
                            !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()),
                            "{tag}"
                        );
                    }
                }
            }
        }
    }
}
