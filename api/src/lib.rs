//! What `<oms-progress-card>` and its reference proxy agree on about the OMS OpenAPI: the path,
//! the actions the card asks ([`Action`], from `actions.json`) with their request bodies, the
//! fields of the answers the card reads ([`fields`]) and the shapes the proxy lets through
//! ([`Shape`]), the limits, and the proxy's own codes the card knows. Pure and dependency-free.

mod shape;
pub mod fields;

pub use shape::Shape;

include!(concat!(env!("OUT_DIR"), "/actions.rs"));

/// The kind of value a request body field holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    /// A task id, by [`is_valid_id`].
    ProjectId,
    /// A page of a list, from 1 to [`MAX_PAGE_NUMBER`] (the card asks the first).
    PageNumber,
    /// Rows a page holds, from 1 to [`MAX_PAGE_SIZE`] (the card asks the most).
    PageSize,
    /// A step with metrics, one of [`STEP_METRICS`].
    StepName,
    /// One of the metrics [`STEP_METRICS`] lists for the body's step.
    MetricType,
    /// How OMS aggregates points, one of [`AGGREGATORS`].
    Aggregator,
    /// The window's start, unix seconds.
    BeginTimestamp,
    /// The window's end, unix seconds, no later than now.
    EndTimestamp,
    /// Points at most, [`MIN_POINT_NUM`] to [`MAX_POINT_NUM`].
    MaxPointNum,
    /// A list's search, a task's name or id: text of at most [`MAX_SEARCH_KEY_CHARS`].
    SearchKey,
    /// A list's type of task, one of [`PROJECT_TYPES`].
    ProjectType,
    /// A list's statuses, some of [`PROJECT_STATUSES`].
    ProjectStatuses,
    /// A list's labels: at most [`MAX_LABEL_IDS`] ids.
    LabelIds,
    /// What a list is sorted by, one of [`SORT_FIELDS`].
    SortField,
    /// How a list is sorted, one of [`SORT_ORDERS`].
    SortOrder,
}

impl BodyKind {
    /// Whether a body may leave the field out: a list's filters.
    pub const fn is_optional(self) -> bool {
        matches!(self, Self::SearchKey | Self::ProjectType | Self::ProjectStatuses | Self::LabelIds | Self::SortField | Self::SortOrder)
    }
}

/// Whether OMS keeps `metric` for `step` ([`STEP_METRICS`]).
pub fn is_step_metric(step: &str, metric: &str) -> bool {
    STEP_METRICS.iter().any(|(s, metrics)| *s == step && metrics.contains(&metric))
}

impl Action {
    /// The action named by an `Action` query value, matched exactly.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == name)
    }

    /// `{base}/api/v2?Action=...` for a proxy URL (see [`proxy_base`]); `None` for a blank one.
    pub fn endpoint(self, proxy_url: &str) -> Option<String> {
        Some([proxy_base(proxy_url)?, API_PATH, "?Action=", self.as_str()].concat())
    }

    /// What the card reads of this action's answers, and so all the proxy passes on.
    pub const fn answer(self) -> &'static Shape {
        match self {
            Action::Progress => &fields::PROGRESS_ANSWER,
            Action::Steps => &fields::STEPS_ANSWER,
            Action::Project => &fields::PROJECT_ANSWER,
            Action::Verification => &fields::VERIFICATION_ANSWER,
            Action::StepMetric => &fields::STEP_METRIC_ANSWER,
            Action::Projects => &fields::PROJECTS_ANSWER,
        }
    }
}

/// A proxy URL without its trailing `/`s (`/oms/` and `/oms` are one proxy; `/` is the root,
/// the empty base); `None` when it is blank.
pub fn proxy_base(proxy_url: &str) -> Option<&str> {
    let trimmed = proxy_url.trim_ascii();
    let base = trimmed.trim_end_matches('/');
    (!base.is_empty() || trimmed.starts_with('/')).then_some(base)
}

/// The largest answer body the widget reads and the proxy passes on: real answers are a few KB.
pub const MAX_ANSWER_BYTES: usize = 1 << 20;

/// The longest task id the proxy forwards.
pub const MAX_ID_LEN: usize = 64;

/// The proxy's code for a viewer without valid credentials (HTTP 401).
pub const UNAUTHENTICATED_CODE: &str = "PROXY_UNAUTHENTICATED";

/// The proxy's code for a valid viewer not allowed the task (HTTP 403).
pub const FORBIDDEN_PROJECT_CODE: &str = "PROXY_FORBIDDEN_PROJECT";

/// Whether a task id is a short plain token: 1 to [`MAX_ID_LEN`] of `[A-Za-z0-9_-]`. Real ids
/// (`np_4w8s2k...`) are; anything else could carry header or JSON injection towards OMS.
pub fn is_valid_id(id: &str) -> bool {
    (1..=MAX_ID_LEN).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// How many tasks a page of a list holds, for telling its last page when OMS gives no
/// `totalCount`: the `pageSize` its answer says (a deployment may hold a page to fewer than were
/// asked, and counting on the size asked would stop at its first page), when it is a page size
/// at all, else the `asked`; never more than was asked. A page shorter than this is the last.
pub fn page_holds(answered: Option<u64>, asked: u32) -> u32 {
    answered.filter(|n| (1..=u64::from(MAX_PAGE_SIZE)).contains(n)).map_or(asked, |n| (n as u32).min(asked))
}

/// Whether the JSON member name `key` is the field `name` as [`fields`] spells it: servers
/// write `requestId`, `RequestId` or `request_id` for one field (case, `_` and `-` ignored).
pub fn is_field(key: &str, name: &str) -> bool {
    let mut key = key.bytes().filter(|b| *b != b'_' && *b != b'-').map(|b| b.to_ascii_lowercase());
    let mut name = name.bytes();
    loop {
        match (key.next(), name.next()) {
            (None, None) => return true,
            (Some(k), Some(n)) if k == n => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_by_name() {
        assert_eq!(Action::from_name("DescribeProjectSteps"), Some(Action::Steps));
        assert_eq!(Action::from_name("describeprojectsteps"), None);
        assert_eq!(Action::Progress.body(), &[("id", BodyKind::ProjectId)]);
        assert_eq!(API_PATH, "/api/v2");
        assert_eq!(Action::Steps.endpoint(".").as_deref(), Some("./api/v2?Action=DescribeProjectSteps"));
        assert_eq!(Action::Progress.endpoint("https://x/oms//").as_deref(), Some("https://x/oms/api/v2?Action=DescribeProjectProgress"));
        assert_eq!(Action::Progress.endpoint("/").as_deref(), Some("/api/v2?Action=DescribeProjectProgress"));
        assert_eq!(Action::Progress.endpoint("  "), None);
    }

    #[test]
    fn a_page_holds_what_its_answer_says_never_more_than_asked() {
        assert_eq!(page_holds(Some(100), 150), 100, "a deployment's own cap");
        assert_eq!(page_holds(None, 150), 150, "no word: as asked");
        assert_eq!(page_holds(Some(150), 40), 40, "never more than asked");
        for odd in [0, u64::from(MAX_PAGE_SIZE) + 1, u64::MAX] {
            assert_eq!(page_holds(Some(odd), 150), 150, "{odd} is no page size");
        }
    }

    #[test]
    fn ids() {
        assert!(is_valid_id("np_4w8s2k"));
        assert!(is_valid_id("a-B_9"));
        assert!(is_valid_id("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
        for bad in ["", " np", "np\r\nX-Evil: 1", "np/../x", "np\"", "ñp", "np?Action=Delete"] {
            assert!(!is_valid_id(bad), "{bad:?}");
        }
        assert!(!is_valid_id("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"), "65 characters");
    }

    #[test]
    fn field_names_match_whatever_the_spelling() {
        for key in ["requestId", "RequestId", "request_id", "REQUEST-ID"] {
            assert!(is_field(key, "requestid"), "{key}");
        }
        assert!(!is_field("requestIds", "requestid"));
        assert!(!is_field("request", "requestid"));
    }
}
