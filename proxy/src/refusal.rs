//! Everything the proxy refuses or fails at itself, answered as an OMS-style JSON envelope
//! (`success: false`, `code`, `message`), so the widget shows it like an OMS error.

use axum::http::{HeaderValue, StatusCode, header};
use oms_progress_api::{API_PATH, Action};
use std::borrow::Cow;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// The names of the actions the proxy forwards (all of the card's), for messages: `A, B or C`.
fn forwarded_names() -> String {
    let names: Vec<&str> = Action::ALL.iter().map(|a| a.as_str()).collect();
    match names.split_last() {
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// Why the proxy answered instead of OMS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// A path the proxy does not serve.
    NotFound,
    /// A method other than POST on the API path.
    MethodNotAllowed,
    /// The query string is not exactly one `Action` the proxy forwards.
    UnsupportedAction,
    /// The body is not declared as JSON.
    UnsupportedMediaType,
    /// The body is larger than the limit.
    BodyTooLarge,
    /// The body did not arrive in time.
    BodyTimeout,
    /// The body is not a JSON object with a string `id`.
    BadBody,
    /// The id is not a short plain token.
    InvalidId,
    /// No, invalid or expired credentials.
    Unauthenticated,
    /// A valid viewer, not allowed this task.
    ForbiddenProject,
    /// Forward auth gave no decision (error, unexpected status, no answer in time): closed.
    AuthUnavailable,
    /// The client sends more requests than the per-client limit.
    RateLimited,
    /// OMS did not answer within the upstream timeout.
    UpstreamTimeout,
    /// OMS could not be reached.
    UpstreamUnreachable,
    /// OMS answered, but the answer broke off, was too large, was not JSON, or came in an
    /// encoding the proxy cannot decode.
    UpstreamBroken,
    /// OMS refused the proxy's own account (401 or 403): the proxy's configuration.
    UpstreamAuth,
}

impl Refusal {
    /// Every refusal.
    pub const ALL: [Refusal; 16] = [
        Self::NotFound, Self::MethodNotAllowed, Self::UnsupportedAction, Self::UnsupportedMediaType, Self::BodyTooLarge,
        Self::BodyTimeout, Self::BadBody, Self::InvalidId, Self::Unauthenticated, Self::ForbiddenProject,
        Self::AuthUnavailable, Self::RateLimited, Self::UpstreamTimeout,
        Self::UpstreamUnreachable, Self::UpstreamBroken, Self::UpstreamAuth,
    ];

    /// The HTTP status of the refusal.
    pub fn status(self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::UnsupportedAction | Self::BadBody | Self::InvalidId => StatusCode::BAD_REQUEST,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::BodyTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::BodyTimeout => StatusCode::REQUEST_TIMEOUT,
            Self::Unauthenticated => StatusCode::UNAUTHORIZED,
            Self::ForbiddenProject => StatusCode::FORBIDDEN,
            Self::AuthUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Self::UpstreamTimeout => StatusCode::GATEWAY_TIMEOUT,
            Self::UpstreamUnreachable | Self::UpstreamBroken | Self::UpstreamAuth => StatusCode::BAD_GATEWAY,
        }
    }

    /// The stable error code in the envelope.
    pub fn code(self) -> &'static str {
        match self {
            Self::NotFound => "PROXY_NOT_FOUND",
            Self::MethodNotAllowed => "PROXY_METHOD_NOT_ALLOWED",
            Self::UnsupportedAction => "PROXY_UNSUPPORTED_ACTION",
            Self::UnsupportedMediaType => "PROXY_UNSUPPORTED_MEDIA_TYPE",
            Self::BodyTooLarge => "PROXY_BODY_TOO_LARGE",
            Self::BodyTimeout => "PROXY_BODY_TIMEOUT",
            Self::BadBody => "PARAM_ERROR",
            Self::InvalidId => "PARAM_ERROR",
            Self::Unauthenticated => oms_progress_api::UNAUTHENTICATED_CODE,
            Self::ForbiddenProject => oms_progress_api::FORBIDDEN_PROJECT_CODE,
            Self::AuthUnavailable => "PROXY_AUTH_UNAVAILABLE",
            Self::RateLimited => "PROXY_RATE_LIMITED",
            Self::UpstreamTimeout => "PROXY_UPSTREAM_TIMEOUT",
            Self::UpstreamUnreachable => "PROXY_UPSTREAM_UNREACHABLE",
            Self::UpstreamBroken => "PROXY_UPSTREAM_BROKEN",
            Self::UpstreamAuth => "PROXY_UPSTREAM_AUTH",
        }
    }

    /// What went wrong, for a person.
    pub fn message(self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            Self::NotFound => return format!("The OMS progress proxy serves POST {API_PATH}?Action={} only.", forwarded_names()).into(),
            Self::MethodNotAllowed => "This method is not allowed here: POST on /api/v2, GET on everything else.",
            Self::UnsupportedAction => return format!("Only Action={} is forwarded to OMS.", forwarded_names()).into(),
            Self::UnsupportedMediaType => "The request body must be sent as application/json.",
            Self::BodyTooLarge => "The request body is too large.",
            Self::BodyTimeout => "The request body did not arrive in time.",
            Self::BadBody => "The request body must be a JSON object with exactly the action's fields (a string id; pages as whole numbers within OMS's limits; for a step's metric, a step and metric OMS keeps, AVG or NONE, a window of 1 to 24 hours ending no later than now, 5 to 1440 points; for a list, OMS's filters only, each with a value OMS knows).",
            Self::InvalidId => "The id must be 1 to 64 letters, digits, '_' or '-'.",
            Self::Unauthenticated => "Sign in again: the proxy did not accept your credentials.",
            Self::ForbiddenProject => "You may not see this migration task.",
            Self::AuthUnavailable => "The proxy could not check your access right now.",
            Self::RateLimited => "Too many requests from this client; slow down.",
            Self::UpstreamTimeout => "OMS did not answer in time.",
            Self::UpstreamUnreachable => "OMS could not be reached.",
            Self::UpstreamBroken => "OMS sent a broken, oversized or non-JSON answer.",
            Self::UpstreamAuth => "OMS refused the proxy's own account.",
        })
    }

    /// What to do about it, when there is something to say.
    pub fn advice(self) -> Option<&'static str> {
        match self {
            Self::UpstreamTimeout | Self::UpstreamUnreachable | Self::UpstreamBroken => {
                Some("Check that OMS is running and reachable from the proxy (GET /oms/health on OMS).")
            }
            Self::UpstreamAuth => Some("The proxy's operator: check the OMS account the proxy runs with (OMS_USERNAME / OMS_PASSWORD or --credentials-file) and its rights."),
            Self::RateLimited => Some("Raise --rate-limit if many cards on one page poll different tasks."),
            Self::AuthUnavailable => Some("Check that the --auth-url service is running and answers quickly."),
            _ => None,
        }
    }

    /// The envelope body.
    pub fn body(self) -> String {
        json!({
            "success": false,
            "errorDetail": { "code": self.code(), "level": "ERROR", "message": self.message(), "reason": null, "proposal": self.advice() },
            "code": self.code(),
            "message": self.message(),
            "advice": self.advice(),
            "requestId": null,
            "data": null,
        })
        .to_string()
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let mut response = (self.status(), self.body()).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if self == Self::RateLimited {
            headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        if self == Self::Unauthenticated {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"oms-progress-proxy\""));
        }
        if self == Self::MethodNotAllowed {
            // The API path's; other paths name their own with `method_not_allowed`.
            headers.insert(header::ALLOW, HeaderValue::from_static("POST"));
        }
        response.extensions_mut().insert(self);
        response
    }
}

impl Refusal {
    /// A 405 naming the methods `allow`ed on the path.
    pub fn method_not_allowed(allow: &'static str) -> Response {
        let mut response = Self::MethodNotAllowed.into_response();
        response.headers_mut().insert(header::ALLOW, HeaderValue::from_static(allow));
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_every_forwarded_action() {
        assert_eq!(forwarded_names(), "DescribeProjectProgress, DescribeProjectSteps, DescribeProject, ListProjectFullVerifyResult, DescribeProjectStepMetric or ListProjects");
        assert!(Refusal::UnsupportedAction.message().contains("ListProjects"));
    }

    #[test]
    fn envelopes_are_oms_shaped() {
        let body: serde_json::Value = serde_json::from_str(&Refusal::UpstreamTimeout.body()).unwrap();
        assert_eq!(body["success"], false);
        assert_eq!(body["code"], "PROXY_UPSTREAM_TIMEOUT");
        assert!(body["message"].as_str().unwrap().contains("OMS"));
        assert_eq!(Refusal::UpstreamTimeout.status(), StatusCode::GATEWAY_TIMEOUT);
        assert_eq!(Refusal::UpstreamUnreachable.status(), StatusCode::BAD_GATEWAY);
    }
}
