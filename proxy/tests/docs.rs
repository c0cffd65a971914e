//! The proxy's documentation against the code: every refusal in docs/public-surface.md with its
//! status, every command-line flag in the README.

use clap::CommandFactory;
use oms_progress_proxy::config::Args;
use oms_progress_proxy::refusal::Refusal;

fn doc(path: &str) -> String {
    std::fs::read_to_string(format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn the_public_surface_names_every_refusal_with_its_status() {
    let surface = doc("docs/public-surface.md");
    for refusal in Refusal::ALL {
        let row = format!("| {} | `{}` |", refusal.status().as_u16(), refusal.code());
        assert!(surface.contains(&row), "docs/public-surface.md lacks the row {row}");
    }
}

#[test]
fn the_readme_names_every_flag() {
    let readme = doc("README.md");
    for argument in Args::command().get_arguments() {
        if let Some(long) = argument.get_long() {
            assert!(readme.contains(&format!("`--{long}")), "README.md does not document --{long}");
        }
    }
}
