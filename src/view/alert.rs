//! The alert region (alert.html, alert.css; on the freshness line): present while the latest
//! refresh failed (or the card is misconfigured), with the error code and message on one line,
//! and the advice, HTTP status and request id in its details (open when there is nothing else to
//! show). Server strings are text. It changes only when what it reports changes, so a repeated
//! failure is not announced again.

use super::dom::{Attr, Presence, Text};
use crate::model::labels::{Locale, Text as Words};
use crate::model::{AlertContent, clip, failure_message};
use web_sys::Element;

/// The alert's live parts.
pub struct AlertDom {
    alert: Presence,
    kind: Attr,
    open: Attr,
    coded: Presence,
    code: Text,
    message: Text,
    advice: Presence,
    advice_key: Text,
    advice_text: Text,
    meta: Presence,
    http: Presence,
    http_key: Text,
    http_status: Text,
    rid: Presence,
    rid_key: Text,
    rid_text: Text,
    retry: Text,
}

impl AlertDom {
    /// The alert of the card.
    pub fn find(root: &Element) -> Self {
        let alert = Presence::find(root, "[role=\"alert\"]");
        let a = alert.element().clone();
        AlertDom {
            kind: Attr::of(&a, "data-kind"),
            open: Attr::of(&super::dom::find(&a, "details"), "open"),
            coded: Presence::find(&a, ".oms-alert-coded"),
            code: Text::find(&a, ".oms-alert-code"),
            message: Text::find(&a, ".oms-alert-text"),
            advice: Presence::find(&a, ".oms-alert-advice"),
            advice_key: Text::find(&a, ".oms-alert-advice .oms-key"),
            advice_text: Text::find(&a, ".oms-advice-text"),
            meta: Presence::find(&a, ".oms-alert-meta"),
            http: Presence::find(&a, ".oms-alert-http"),
            http_key: Text::find(&a, ".oms-http-key"),
            http_status: Text::find(&a, ".oms-http-status"),
            rid: Presence::find(&a, ".oms-alert-rid"),
            rid_key: Text::find(&a, ".oms-rid-key"),
            rid_text: Text::find(&a, ".oms-request-id"),
            retry: Text::find(&a, ".oms-alert-retry"),
            alert,
        }
    }

    /// Shows `content`, its details open when `open` (the card has nothing else to show); no
    /// alert for `None`.
    pub fn patch(&mut self, content: Option<&AlertContent>, open: bool, locale: Locale) {
        self.alert.show(content.is_some());
        self.open.set(open.then_some(""));
        match content {
            None => {}
            Some(AlertContent::Problem(_) | AlertContent::Invalid(_)) => {
                let message = match content {
                    Some(AlertContent::Invalid(said)) => said.as_str(),
                    Some(AlertContent::Problem(problem)) => locale.text(*problem),
                    _ => "",
                };
                self.kind.set(Some("config"));
                self.coded.show(false);
                self.message.set(&clip(message));
                self.advice.show(false);
                self.meta.show(false);
            }
            Some(AlertContent::Failure(failure)) => {
                let report = failure.report().cloned().unwrap_or_default();
                self.kind.set(Some(failure.kind().as_str()));
                self.coded.show(report.code.is_some());
                self.code.set(&clip(report.code.as_deref().unwrap_or_default()));
                self.message.set(&clip(&failure_message(failure, locale)));
                // The server's advice, else what the card can tell about its own failure.
                let advice = report.advice.as_deref().or_else(|| locale.advice(failure));
                self.advice.show(advice.is_some());
                self.advice_key.set(locale.text(Words::Advice));
                self.advice_text.set(&clip(advice.unwrap_or_default()));
                self.meta.show(true);
                self.http.show(failure.http_status().is_some());
                self.http_key.set(locale.text(Words::HttpStatus));
                self.http_status.set(&failure.http_status().map(|s| crate::oms::decimal(s.into())).unwrap_or_default());
                self.rid.show(report.request_id.is_some());
                self.rid_key.set(locale.text(Words::RequestId));
                self.rid_text.set(&clip(report.request_id.as_deref().unwrap_or_default()));
                self.retry.set(locale.text(Words::Retrying));
            }
        }
    }
}
