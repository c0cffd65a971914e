//! What a card says aloud (its polite live region): the verdicts a person acts on, and the news
//! between two of them. Only a change is news, and only one a person would act on: a new
//! status, turning ready to switch over or no longer ready, a failure, an alarm or lag that
//! starts. A poll that changes nothing says nothing; a stale card is already announced by its
//! alert.

use super::card::{Attention, CardModel, Readiness};
use super::labels::{Locale, Text};
use super::latency::LatencyLevel;

/// The verdicts of a card with data, at one moment.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdicts {
    /// The raw status and its label.
    status: (String, String),
    attention: Attention,
    ready: Option<bool>,
}

impl Verdicts {
    /// The verdicts `model` shows; `None` before it shows data.
    pub fn of(model: &CardModel) -> Option<Self> {
        model.has_data().then(|| Verdicts {
            status: (model.status.raw.clone(), model.status.label.clone()),
            attention: model.attention,
            ready: match &model.readiness {
                Some(Readiness::Ready) => Some(true),
                Some(Readiness::NotReady(_)) => Some(false),
                _ => None,
            },
        })
    }

    /// What changed from `before` to these verdicts, in words; `None` when nothing worth saying.
    pub fn news_since(&self, before: &Verdicts, locale: Locale) -> Option<String> {
        let mut news: Vec<&str> = Vec::new();
        let status_changed = self.status.0 != before.status.0;
        if status_changed {
            news.push(&self.status.1);
        }
        match (before.ready, self.ready) {
            (Some(false) | None, Some(true)) => news.push(locale.text(Text::Ready)),
            (Some(true), Some(false)) => news.push(locale.text(Text::NoLongerReady)),
            _ => {}
        }
        if self.attention != before.attention {
            match self.attention {
                Attention::Failed if !status_changed => news.push(locale.step_status(crate::oms::StepStatus::Failed)),
                Attention::Alarm => news.push(locale.text(Text::AlarmFiring)),
                Attention::Lagging => news.push(locale.latency(LatencyLevel::Lagging)),
                _ => {}
            }
        }
        (!news.is_empty()).then(|| news.join(locale.text(Text::ListSeparator)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdicts(status: &str, attention: Attention, ready: Option<bool>) -> Verdicts {
        Verdicts { status: (status.to_owned(), status.to_lowercase()), attention, ready }
    }

    #[test]
    fn only_changes_a_person_acts_on_are_news() {
        let running = verdicts("RUNNING", Attention::Ok, Some(false));
        assert_eq!(running.news_since(&running, Locale::En), None);
        let failed = verdicts("FAILED", Attention::Failed, Some(false));
        assert_eq!(failed.news_since(&running, Locale::En).as_deref(), Some("failed"));
        let ready = verdicts("RUNNING", Attention::Ok, Some(true));
        assert_eq!(ready.news_since(&running, Locale::En).as_deref(), Some("Ready to switch over"));
        assert_eq!(running.news_since(&ready, Locale::En).as_deref(), Some("no longer ready to switch over"));
        let alarm = verdicts("RUNNING", Attention::Alarm, Some(false));
        assert_eq!(alarm.news_since(&running, Locale::ZhCn).as_deref(), Some("告警触发中"));
        // Stale is the alert's to say; unknown readiness is not news.
        let stale = verdicts("RUNNING", Attention::Stale, None);
        assert_eq!(stale.news_since(&running, Locale::En), None);
        assert_eq!(ready.news_since(&stale, Locale::En).as_deref(), Some("Ready to switch over"));
        let done = verdicts("FINISHED", Attention::Done, None);
        assert_eq!(done.news_since(&ready, Locale::En).as_deref(), Some("finished"));
    }
}
