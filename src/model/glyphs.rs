//! The card's icons: which one a badge shows, and how each is drawn.

use crate::oms::ProjectStatus;

/// The icon of a badge.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Glyph {
    Play,
    Check,
    Pause,
    Cross,
    Warning,
    #[default]
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

    /// The icon's SVG path (a 16×16 view box, stroked).
    pub fn path(self) -> &'static str {
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
