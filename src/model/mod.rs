//! What the card shows, computed in plain Rust from what it knows, once per answer: its state,
//! the labels, tones and icons of the badges, the stages and checkpoints, the alert ([`card`]);
//! the task's story of steps, rows, ETA, lag and readiness ([`story`]); what it is told
//! ([`settings`]); its words in each language ([`labels`]); how far sync lags ([`latency`]);
//! its icons ([`glyphs`]); what it says aloud when a verdict changes ([`announce`]); OMS's own series beside the page's samples ([`series`]); the fleet's list in the order a person acts on it ([`fleet`]); the numbers its public surface documents ([`constants`]). The view only reads this model (and formats numbers and times with
//! the browser's `Intl`), so every decision about what to show is tested natively.

pub mod announce;
pub mod card;
pub mod constants;
pub mod fleet;
pub mod glyphs;
pub mod labels;
pub mod latency;
pub mod series;
pub mod settings;
pub mod story;

#[cfg(test)]
mod fuzz;

pub use announce::Verdicts;
pub use card::{AlertContent, Attention, BadgeModel, CardData, CardModel, FailedStage, MAX_SHOWN_CHARS, Phase, Readiness, TaskFailure, clip, failure_message};
pub use glyphs::Glyph;
pub use labels::{Locale, Sentence, Text, fill};
pub use settings::{Cadence, CardInputs, Layout, ListSettings, RequestCredentials, Settings, StepsMode, Theme};
