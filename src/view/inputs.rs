//! Where a card's inputs come from ([`CardInputs`]): one signal of all the settings (the custom
//! element's attributes), or one signal per prop (`ProgressCard`, for Rust apps).

use crate::model::{Cadence, CardInputs, Layout, Locale, RequestCredentials, Settings, StepsMode, Theme};
use leptos::prelude::*;

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
    fn credentials(&self) -> Option<RequestCredentials> {
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
    pub(super) credentials: Signal<Option<RequestCredentials>>,
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
    fn credentials(&self) -> Option<RequestCredentials> {
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
