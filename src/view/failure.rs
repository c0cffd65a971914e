//! The failure banner (failure.html, failure.css): at the top of a failed task's card, in both
//! layouts, what failed, since when, the error's code and message, and what OMS proposes.
//! Server strings are text.

use super::dom::{Presence, Text};
use super::intl;
use crate::model::labels::{Locale, Sentence, Text as Words, fill};
use crate::model::{TaskFailure, clip};
use web_sys::Element;

/// The banner's live parts.
pub struct FailureDom {
    banner: Presence,
    what: Text,
    since: Presence,
    since_text: Text,
    error: Presence,
    code: Presence,
    code_text: Text,
    message: Text,
    proposal: Presence,
    proposal_key: Text,
    proposal_text: Text,
}

impl FailureDom {
    /// The banner of the card at `root`.
    pub fn find(root: &Element) -> Self {
        let banner = Presence::find(root, ".oms-failure");
        let b = banner.element().clone();
        let text = |selector| Text::find(&b, selector);
        let present = |selector| Presence::find(&b, selector);
        FailureDom {
            what: text(".oms-failure-what"),
            since: present(".oms-failure-since"),
            since_text: text(".oms-failure-since"),
            error: present(".oms-failure-error"),
            code: present(".oms-failure-code"),
            code_text: text(".oms-failure-code"),
            message: text(".oms-failure-message").titled(),
            proposal: present(".oms-failure-proposal"),
            proposal_key: text(".oms-failure-proposal > .oms-key"),
            proposal_text: text(".oms-failure-proposal-text").titled(),
            banner,
        }
    }

    /// Shows `failure`; no banner for `None`.
    pub fn patch(&mut self, failure: Option<&TaskFailure>, locale: Locale) {
        self.banner.show(failure.is_some());
        let Some(failure) = failure else { return };
        let what = match (failure.known, &failure.step) {
            (Some(step), _) => fill(locale.sentence(Sentence::StepFailed), &[("step", locale.step(step))]),
            (None, Some(raw)) => fill(locale.sentence(Sentence::StepFailed), &[("step", &clip(raw))]),
            (None, None) => locale.text(Words::TaskFailed).to_owned(),
        };
        self.what.set(&what);
        self.since.show(failure.since.is_some());
        if let Some(since) = failure.since {
            self.since_text.set(&fill(locale.sentence(Sentence::Since), &[("time", &intl::local_date_time(locale, since as f64 * 1000.0))]));
        }
        self.error.show(failure.code.is_some() || failure.message.is_some());
        self.code.show(failure.code.is_some());
        self.code_text.set(&clip(failure.code.as_deref().unwrap_or_default()));
        self.message.set(&clip(failure.message.as_deref().unwrap_or_default()));
        self.proposal.show(failure.proposal.is_some());
        self.proposal_key.set(locale.text(Words::Proposal));
        self.proposal_text.set(&clip(failure.proposal.as_deref().unwrap_or_default()));
    }
}
