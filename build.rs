//! Minifies the card's CSS (theme tokens and each component's sheet) into one string for the
//! wasm: comments and layout whitespace cost bytes on every page load.

use std::path::Path;

const SHEETS: [&str; 6] = [
    "style/tokens.css",
    "src/view/card.css",
    "src/view/badge.css",
    "src/view/ring.css",
    "src/view/checkpoint.css",
    "src/view/alert.css",
];

fn main() {
    let mut css = String::new();
    for sheet in SHEETS {
        println!("cargo:rerun-if-changed={sheet}");
        let text = std::fs::read_to_string(sheet).unwrap_or_else(|e| panic!("{sheet}: {e}"));
        css.push_str(&minify(&text));
    }
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("card.min.css");
    std::fs::write(out, css).expect("OUT_DIR is writable");
}

/// Drops comments and collapses whitespace, keeping quoted strings as they are. A space is kept
/// only where it separates two words (`.a .b`, `0 0 2px`), not next to punctuation.
fn minify(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    let mut pending_space = false;
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for d in chars.by_ref() {
                    if last == '*' && d == '/' {
                        break;
                    }
                    last = d;
                }
                pending_space = true;
            }
            '"' | '\'' => {
                flush_space(&mut out, &mut pending_space, c);
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == c {
                        break;
                    }
                }
            }
            c if c.is_whitespace() => pending_space = true,
            c => {
                flush_space(&mut out, &mut pending_space, c);
                out.push(c);
            }
        }
    }
    out
}

fn flush_space(out: &mut String, pending: &mut bool, next: char) {
    const TIGHT: &str = "{};:,>";
    if *pending && !out.is_empty() && !TIGHT.contains(next) && !out.ends_with(|c| TIGHT.contains(c) || c == '(') && next != ')' {
        out.push(' ');
    }
    *pending = false;
}
