//! What the widget and the reference proxy agree on about the OMS API: the path, the operations
//! the card reads, how large an answer may be and what a task id looks like. The proxy depends
//! on this crate for exactly these facts.

/// The path of every OMS OpenAPI call; the operation is the `Action` query parameter.
pub const API_PATH: &str = "/api/v2";

/// The largest answer body the widget reads and the proxy passes on: real answers are a few KB.
pub const MAX_ANSWER_BYTES: usize = 1 << 20;

/// The longest task id the proxy forwards.
pub const MAX_ID_LEN: usize = 64;

/// The proxy's code for a viewer without valid credentials (HTTP 401).
pub const UNAUTHENTICATED_CODE: &str = "PROXY_UNAUTHENTICATED";

/// The proxy's code for a valid viewer not allowed the task (HTTP 403).
pub const FORBIDDEN_PROJECT_CODE: &str = "PROXY_FORBIDDEN_PROJECT";

/// The read-only operations the card uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// `DescribeProjectProgress`: status, step, stage percentages, checkpoints.
    Progress,
    /// `DescribeProjectSteps`: every step with its records, rates, times and errors.
    Steps,
}

impl Action {
    /// Every operation the card uses.
    pub const ALL: [Action; 2] = [Action::Progress, Action::Steps];

    /// The `Action` query value.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Progress => "DescribeProjectProgress",
            Action::Steps => "DescribeProjectSteps",
        }
    }

    /// The operation named by an `Action` query value, matched exactly.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == name)
    }

    /// `{base}/api/v2?Action=...` for a proxy URL; trailing `/`s are tolerated. `None` for a
    /// blank proxy URL.
    pub fn endpoint(self, proxy_url: &str) -> Option<String> {
        let trimmed = proxy_url.trim();
        let base = trimmed.trim_end_matches('/');
        if base.is_empty() && !trimmed.starts_with('/') {
            return None;
        }
        Some([base, API_PATH, "?Action=", self.as_str()].concat())
    }
}

/// Whether a task id is a short plain token: 1 to [`MAX_ID_LEN`] of `[A-Za-z0-9_-]`. Real ids
/// (`np_4w8s2k...`) are; anything else could carry header or JSON injection towards OMS.
pub fn is_valid_id(id: &str) -> bool {
    (1..=MAX_ID_LEN).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_endpoint_and_action_names() {
        assert_eq!(Action::Steps.endpoint(".").as_deref(), Some("./api/v2?Action=DescribeProjectSteps"));
        assert_eq!(Action::from_name("DescribeProjectSteps"), Some(Action::Steps));
        assert_eq!(Action::from_name("describeprojectsteps"), None);
    }

    #[test]
    fn ids() {
        assert!(is_valid_id("np_4w8s2k"));
        assert!(is_valid_id("a-B_9"));
        assert!(is_valid_id(&"x".repeat(64)));
        for bad in ["", " np", "np\r\nX-Evil: 1", "np/../x", "np\"", "ñp", &"x".repeat(65), "np?Action=Delete"] {
            assert!(!is_valid_id(bad), "{bad:?}");
        }
    }
}
