//! A badge: an icon and a word on a tinted background, so colour is never the only signal.

use crate::oms::{ProjectStatus, Tone};
use leptos::prelude::*;

/// The icon of a badge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Glyph {
    Play,
    Check,
    Pause,
    Cross,
    Warning,
    Circle,
    Dash,
    Question,
    Bell,
}

impl Glyph {
    /// The icon for a status; a question mark for a status this version does not know.
    pub fn for_status(status: Option<ProjectStatus>) -> Self {
        use ProjectStatus::*;
        match status {
            Some(Running | RunningModifying | RunningMerging) => Glyph::Play,
            Some(RunningAlarming) => Glyph::Warning,
            Some(Suspend) => Glyph::Pause,
            Some(Failed) => Glyph::Cross,
            Some(Finished) => Glyph::Check,
            Some(Init | Unconfigured) => Glyph::Circle,
            Some(Releasing | Released | Deleted) => Glyph::Dash,
            None => Glyph::Question,
        }
    }

    fn path(self) -> &'static str {
        match self {
            Glyph::Play => "M5 3.5v9l7-4.5z",
            Glyph::Check => "M3 8.5l3.2 3L13 4.5",
            Glyph::Pause => "M5.5 3.5v9M10.5 3.5v9",
            Glyph::Cross => "M4 4l8 8M12 4l-8 8",
            Glyph::Warning => "M8 2 14.5 13.5h-13zM8 6.5v3.5M8 11.5v.5",
            Glyph::Circle => "M8 3a5 5 0 1 0 0 10A5 5 0 1 0 8 3z",
            Glyph::Dash => "M4 8h8",
            Glyph::Question => "M6 6a2 2 0 1 1 3 1.7c-.6.4-1 .8-1 1.5V10M8 12v.5",
            Glyph::Bell => "M4 11V7.5a4 4 0 0 1 8 0V11l1 1H3zM6.5 13.5a1.5 1.5 0 0 0 3 0",
        }
    }
}

/// A badge whose `[data-field]` element holds exactly the human label and the raw value in
/// `data-value`.
#[component]
pub fn Badge(
    /// The `data-field` hook of the label.
    field: &'static str,
    /// The `part` names of the badge, for `::part()` styling.
    part: &'static str,
    /// The raw value from the server.
    #[prop(into)]
    raw: Signal<Option<String>>,
    /// The human label.
    #[prop(into)]
    label: Signal<String>,
    /// The colour family.
    #[prop(into)]
    tone: Signal<Tone>,
    /// The icon.
    #[prop(into)]
    glyph: Signal<Glyph>,
) -> impl IntoView {
    view! {
        <span class="oms-badge" part=part data-tone=move || tone.get().as_str()>
            <svg class="oms-glyph" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
                <path d=move || glyph.get().path() />
            </svg>
            <span data-field=field data-value=move || raw.get().unwrap_or_default()>{move || label.get()}</span>
        </span>
    }
}
