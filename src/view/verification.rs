//! The full verification section (verification.html, verification.css): the FULL_VERIFIER
//! step's status and what it found, "no differences" or how many rows differ, and the tables
//! with the most (then "and K more"). Server strings are text.

use super::dom::{Attr, Items, Presence, Text};
use super::intl;
use crate::model::labels::{Locale, Sentence, Text as Words, fill};
use crate::model::story::{Blocker, VerificationView};
use crate::model::clip;
use crate::oms::{StepStatus, TableDifference, decimal};
use web_sys::Element;

/// The section's live parts.
pub struct VerificationDom {
    section: Presence,
    status: Attr,
    differences: Attr,
    key: Text,
    word: Text,
    result: Text,
    tables: Items<TableDom>,
    more: Presence,
    more_text: Text,
}

/// One table that differs.
struct TableDom {
    name: Attr,
    mismatched: Attr,
    source_only: Attr,
    dest_only: Attr,
    text: Text,
}

impl VerificationDom {
    /// The section of the card at `root`.
    pub fn find(root: &Element) -> Self {
        let section = Presence::find(root, "[data-field=\"verification\"]");
        let s = section.element().clone();
        VerificationDom {
            status: Attr::of(&s, "data-status"),
            differences: Attr::of(&s, "data-differences"),
            key: Text::find(&s, ".oms-key"),
            word: Text::find(&s, ".oms-verify-status"),
            result: Text::find(&s, ".oms-verify-result"),
            tables: Items::find(&s, ".oms-verify-tables"),
            more: Presence::find(&s, ".oms-verify-more"),
            more_text: Text::find(&s, ".oms-verify-more"),
            section,
        }
    }

    /// Shows `view`; no section for `None` (a task without full verification).
    pub fn patch(&mut self, view: Option<&VerificationView>, locale: Locale) {
        self.section.show(view.is_some());
        let Some(view) = view else { return };
        self.status.set(Some(&view.status_raw));
        self.differences.set(view.differences.map(|d| decimal(d.min(i64::MAX as u64) as i64)).as_deref());
        self.key.set(locale.text(Words::Verification));
        self.word.set(&view.status.map_or_else(|| clip(&view.status_raw), |s| locale.step_status(s).to_owned()));
        let finished = view.status == Some(StepStatus::Finished);
        let result = match view.differences {
            _ if view.unavailable => locale.blocker(Blocker::VerificationUnknown).to_owned(),
            Some(0) => locale.text(Words::NoDifferences).to_owned(),
            Some(rows) => fill(locale.sentence(Sentence::Differences), &[("rows", &intl::count(locale, rows as f64))]),
            None if finished && view.listed => locale.blocker(Blocker::VerificationInCard).to_owned(),
            None if finished => locale.blocker(Blocker::VerificationUnknown).to_owned(),
            None => String::new(),
        };
        self.result.set(&result);
        self.patch_tables(&view.worst, locale);
        self.more.show(view.more > 0);
        self.more_text.set(&fill(locale.sentence(Sentence::AndMore), &[("count", &intl::count(locale, view.more as f64))]));
    }

    fn patch_tables(&mut self, tables: &[TableDifference], locale: Locale) {
        let parts = |item: &Element| TableDom {
            name: Attr::of(item, "data-table"),
            mismatched: Attr::of(item, "data-mismatched"),
            source_only: Attr::of(item, "data-source-only"),
            dest_only: Attr::of(item, "data-dest-only"),
            text: Text::of(item.clone()),
        };
        let count = |n: u64| intl::count(locale, n as f64);
        let attr = |n: u64| decimal(n.min(i64::MAX as u64) as i64);
        for (dom, table) in self.tables.fit(tables.len(), parts).zip(tables) {
            let name = clip(&[table.schema.as_str(), ".", table.table.as_str()].concat());
            dom.name.set(Some(&name));
            dom.mismatched.set(Some(&attr(table.mismatched)));
            dom.source_only.set(Some(&attr(table.source_only)));
            dom.dest_only.set(Some(&attr(table.dest_only)));
            let values = [("table", name.clone()), ("mismatched", count(table.mismatched)), ("sourceOnly", count(table.source_only)), ("destOnly", count(table.dest_only))];
            let values: Vec<(&str, &str)> = values.iter().map(|(n, v)| (*n, v.as_str())).collect();
            dom.text.set(&fill(locale.sentence(Sentence::TableDifferences), &values));
        }
    }
}
