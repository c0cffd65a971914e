//! The alert region: present while the latest refresh failed (or the card is misconfigured),
//! with the error code, message, advice and request id. Server strings are text, never HTML.

use crate::i18n::{Locale, Text};
use crate::model::{AlertContent, clip, failure_message};
use leptos::prelude::*;

/// `[role="alert"]`, rendered only while there is something to report. Rebuilt only when what
/// it reports changes (its content holds no reactive parts), so a repeated failure is not
/// announced again and again.
#[component]
pub fn FailureAlert(
    /// What to report, if anything.
    content: Memo<Option<AlertContent>>,
    /// The language.
    #[prop(into)]
    locale: Signal<Locale>,
) -> impl IntoView {
    move || {
        let l = locale.get();
        content.get().map(|content| match content {
            AlertContent::Problem(problem) => view! {
                <div role="alert" class="oms-alert" part="alert" data-kind="config">
                    <p class="oms-alert-message">{l.text(problem)}</p>
                </div>
            }
            .into_any(),
            AlertContent::Failure(f) => {
                let message = clip(&failure_message(&f, l));
                let http = f.http_status();
                let report = f.report().cloned().unwrap_or_default();
                view! {
                    <div role="alert" class="oms-alert" part="alert" data-kind=f.kind().as_str()>
                        <p class="oms-alert-message">
                            {report.code.as_deref().map(|code| view! { <code class="oms-alert-code">{clip(code)}</code> " " })}
                            {message}
                        </p>
                        {report.advice.as_deref().map(|advice| view! {
                            <p class="oms-alert-advice"><span class="oms-key">{l.text(Text::Advice)}</span>" "{clip(advice)}</p>
                        })}
                        <p class="oms-alert-meta">
                            {http.map(|status| view! { <span>{l.text(Text::HttpStatus)}" "{status.to_string()}</span> })}
                            {report.request_id.as_deref().map(|id| view! {
                                <span>{l.text(Text::RequestId)}" "<code class="oms-request-id">{clip(id)}</code></span>
                            })}
                            <span>{l.text(Text::Retrying)}</span>
                        </p>
                    </div>
                }
                .into_any()
            }
        })
    }
}
