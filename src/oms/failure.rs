//! Why a refresh failed, classified the way the card and the `oms-error` event report it.
//! Each variant carries exactly the facts that exist for it, so no failure can say two things.

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
    /// The proxy refused the viewer (HTTP 401 or 403), or the page had no credentials to send.
    Auth,
}

impl FailureKind {
    /// The stable token: `network`, `timeout`, `http`, `decode`, `api` or `auth`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Network => "network",
            Self::Timeout => "timeout",
            Self::Http => "http",
            Self::Decode => "decode",
            Self::Api => "api",
            Self::Auth => "auth",
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
    /// An envelope that reports success but carries no usable `data`.
    NoData,
    /// The body is larger than any real answer.
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

/// What the server said about a failure, each field from the envelope's top level first and
/// from `errorDetail` otherwise.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServerReport {
    /// The error code (`GHANA-PROJECT000001`, `PARAM_ERROR`, `PROXY_UPSTREAM_TIMEOUT`, ...).
    pub code: Option<String>,
    /// The server's own message.
    pub message: Option<String>,
    /// The server's advice (`advice`, or `errorDetail.proposal`).
    pub advice: Option<String>,
    /// The OMS request id, for support tickets.
    pub request_id: Option<String>,
}

/// A failed refresh.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The request did not reach the proxy or got no answer.
    Network,
    /// No complete answer in time.
    Timeout,
    /// A non-2xx HTTP status; the report is empty unless the body was an OMS-style envelope.
    Http {
        /// The HTTP status.
        status: u16,
        /// What the body said.
        report: ServerReport,
    },
    /// A 2xx answer that is not usable OMS data.
    Decode {
        /// What was wrong with it.
        issue: DecodeIssue,
        /// What the envelope said, when there was one (an answer without `data`).
        report: ServerReport,
    },
    /// OMS answered with `success` false (or missing, with no data).
    Api {
        /// What OMS said.
        report: ServerReport,
    },
    /// The page's `configure()` headers function failed: no credentials to send.
    NoCredentials,
}

impl Failure {
    /// A body that could not be decoded, answered with HTTP `status`. A non-2xx status is the
    /// more useful fact, so it wins over the decoding problem.
    pub fn undecodable(status: u16, issue: DecodeIssue) -> Self {
        if is_success(status) {
            Failure::Decode { issue, report: ServerReport::default() }
        } else {
            Failure::Http { status, report: ServerReport::default() }
        }
    }

    /// The class of this failure.
    pub fn kind(&self) -> FailureKind {
        match self {
            Failure::Network => FailureKind::Network,
            Failure::Timeout => FailureKind::Timeout,
            Failure::Http { status: 401 | 403, .. } | Failure::NoCredentials => FailureKind::Auth,
            Failure::Http { .. } => FailureKind::Http,
            Failure::Decode { .. } => FailureKind::Decode,
            Failure::Api { .. } => FailureKind::Api,
        }
    }

    /// What the server said, if anything.
    pub fn report(&self) -> Option<&ServerReport> {
        match self {
            Failure::Http { report, .. } | Failure::Decode { report, .. } | Failure::Api { report } => Some(report),
            Failure::Network | Failure::Timeout | Failure::NoCredentials => None,
        }
    }

    /// The HTTP status, for an HTTP failure.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Failure::Http { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The server's error code, if it sent one.
    pub fn code(&self) -> Option<&str> {
        self.report()?.code.as_deref()
    }
}

/// The kind, the code and the server's message, for logs and test output.
impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.kind().as_str())?;
        if let Some(status) = self.http_status() {
            write!(f, " {status}")?;
        }
        if let Failure::Decode { issue, .. } = self {
            f.write_str(match issue {
                DecodeIssue::Empty => " (empty body)",
                DecodeIssue::Html => " (HTML page)",
                DecodeIssue::NotJson => " (not JSON)",
                DecodeIssue::NotAnObject => " (not an object)",
                DecodeIssue::NoData => " (no data)",
                DecodeIssue::TooLarge => " (too large)",
            })?;
        }
        if let Some(report) = self.report() {
            for part in [&report.code, &report.message].into_iter().flatten() {
                write!(f, " {part}")?;
            }
        }
        Ok(())
    }
}

/// Whether an HTTP status is 2xx.
pub fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}
