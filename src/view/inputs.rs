//! What a card reads to know which task to show, how to fetch it and how to look: one trait,
//! so that the card is one component whether its inputs are Leptos props (`ProgressCard`, for
//! Rust apps) or the attributes of `<oms-progress-card>` (one signal of all of them).

use crate::i18n::Locale;
use crate::model::{Layout, RequestCredentials, StepsMode, Theme};
use crate::schedule::Cadence;
use leptos::prelude::*;

/// The inputs of a card, each read reactively (an effect that reads one reruns when it changes).
pub trait CardInputs: Clone + 'static {
    /// The OMS task id.
    fn project_id(&self) -> String;
    /// The URL that stands in for the OMS origin.
    fn proxy_url(&self) -> String;
    /// How often to refresh, and how long a request may take.
    fn cadence(&self) -> Cadence;
    /// Whether requests carry cookies.
    fn credentials(&self) -> RequestCredentials;
    /// The language.
    fn locale(&self) -> Locale;
    /// The colour scheme.
    fn theme(&self) -> Theme;
    /// Full or compact.
    fn layout(&self) -> Layout;
    /// Whether to ask for the task's steps too.
    fn steps(&self) -> StepsMode;
}

/// Every input as a plain value: what an element's attributes say.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Settings {
    /// `project-id`.
    pub project_id: String,
    /// `proxy-url`.
    pub proxy_url: String,
    /// `interval` and `timeout`.
    pub cadence: Cadence,
    /// `credentials`.
    pub credentials: RequestCredentials,
    /// `locale` (or the browser's).
    pub locale: Locale,
    /// `theme`.
    pub theme: Theme,
    /// `layout`.
    pub layout: Layout,
    /// `steps`.
    pub steps: StepsMode,
}

/// One signal of all the settings: any change reruns what read any of them (they change
/// rarely), and it costs one reactive node per card.
impl CardInputs for ArcRwSignal<Settings> {
    fn project_id(&self) -> String {
        self.with(|s| s.project_id.clone())
    }
    fn proxy_url(&self) -> String {
        self.with(|s| s.proxy_url.clone())
    }
    fn cadence(&self) -> Cadence {
        self.with(|s| s.cadence)
    }
    fn credentials(&self) -> RequestCredentials {
        self.with(|s| s.credentials)
    }
    fn locale(&self) -> Locale {
        self.with(|s| s.locale)
    }
    fn theme(&self) -> Theme {
        self.with(|s| s.theme)
    }
    fn layout(&self) -> Layout {
        self.with(|s| s.layout)
    }
    fn steps(&self) -> StepsMode {
        self.with(|s| s.steps)
    }
}

/// The props of [`super::ProgressCard`], each a signal of its own.
#[derive(Clone, Copy)]
pub struct PropInputs {
    pub(super) project_id: Signal<String>,
    pub(super) proxy_url: Signal<String>,
    pub(super) interval_ms: Signal<u32>,
    pub(super) timeout_ms: Signal<u32>,
    pub(super) credentials: Signal<RequestCredentials>,
    pub(super) locale: Signal<Locale>,
    pub(super) theme: Signal<Theme>,
    pub(super) layout: Signal<Layout>,
    pub(super) steps: Signal<StepsMode>,
}

impl CardInputs for PropInputs {
    fn project_id(&self) -> String {
        self.project_id.get()
    }
    fn proxy_url(&self) -> String {
        self.proxy_url.get()
    }
    fn cadence(&self) -> Cadence {
        Cadence { interval_ms: self.interval_ms.get(), timeout_ms: self.timeout_ms.get() }
    }
    fn credentials(&self) -> RequestCredentials {
        self.credentials.get()
    }
    fn locale(&self) -> Locale {
        self.locale.get()
    }
    fn theme(&self) -> Theme {
        self.theme.get()
    }
    fn layout(&self) -> Layout {
        self.layout.get()
    }
    fn steps(&self) -> StepsMode {
        self.steps.get()
    }
}
