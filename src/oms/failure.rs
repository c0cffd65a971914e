//! Why a refresh failed, classified the way the card and the `oms-error` event report it.

/// The class of a failed refresh (the `kind` of the `oms-error` event).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FailureKind {
    /// The request never got an answer: proxy down, DNS, CORS, offline.
    Network,
    /// No complete answer within the request timeout.
    Timeout,
    /// The proxy or OMS answered with a non-2xx HTTP status.
    Http,
    /// A 2xx answer that is not a usable OMS envelope (an HTML login page, empty, cut, no data).
    Decode,
    /// OMS answered, but `success` is false or missing.
    Api,
}

impl FailureKind {
    /// The stable token: `network`, `timeout`, `http`, `decode` or `api`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Network => "network",
            Self::Timeout => "timeout",
            Self::Http => "http",
            Self::Decode => "decode",
            Self::Api => "api",
        }
    }
}

/// What exactly was wrong with an answer that could not be decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DecodeIssue {
    /// The body was empty.
    Empty,
    /// The body looks like HTML, typically a login page of a proxy whose session expired.
    Html,
    /// The body is not JSON, or JSON cut short.
    NotJson,
    /// JSON, but not an object (an array, a string, a number).
    NotAnObject,
    /// An envelope that reports success but carries no usable `data` object.
    NoData,
    /// The body is larger than any real progress answer.
    TooLarge,
}

impl DecodeIssue {
    /// Tells an empty body, an HTML page and other non-JSON text apart.
    pub fn of_unparsable(body: &str) -> Self {
        let head = body.trim_start();
        if head.is_empty() {
            Self::Empty
        } else if head.starts_with('<') {
            Self::Html
        } else {
            Self::NotJson
        }
    }
}

/// A failed refresh: its class and whatever the server said about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The class of failure.
    pub kind: FailureKind,
    /// The HTTP status, for [`FailureKind::Http`] (and whenever an answer arrived).
    pub http_status: Option<u16>,
    /// For [`FailureKind::Decode`]: what was wrong with the body.
    pub decode_issue: Option<DecodeIssue>,
    /// The OMS error code (`GHANA-PROJECT000001`, `PARAM_ERROR`, ...).
    pub code: Option<String>,
    /// The server's own message, if it sent one.
    pub message: Option<String>,
    /// The server's advice (`advice`, or `errorDetail.proposal`).
    pub advice: Option<String>,
    /// The OMS request id, for support tickets.
    pub request_id: Option<String>,
}

impl Failure {
    /// A failure of `kind` with nothing more known about it.
    pub fn new(kind: FailureKind) -> Self {
        Failure {
            kind,
            http_status: None,
            decode_issue: None,
            code: None,
            message: None,
            advice: None,
            request_id: None,
        }
    }

    /// The request did not reach the proxy or got no answer.
    pub fn network() -> Self {
        Self::new(FailureKind::Network)
    }

    /// The request timed out.
    pub fn timeout() -> Self {
        Self::new(FailureKind::Timeout)
    }

    /// A body that could not be decoded, answered with HTTP `status`.
    ///
    /// A non-2xx status is the more useful fact, so it wins over the decoding problem.
    pub fn undecodable(status: u16, issue: DecodeIssue) -> Self {
        let kind = if is_success(status) { FailureKind::Decode } else { FailureKind::Http };
        Failure { http_status: Some(status), decode_issue: Some(issue), ..Self::new(kind) }
    }
}

/// Whether an HTTP status is 2xx.
pub fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}
