//! Every word the card shows, in English and Simplified Chinese, side by side.
//!
//! This is the single source of truth for status, alarm and step labels and the card's own
//! text. Dates, relative times and numbers are not here: the browser's `Intl` formats them.

use crate::model::latency::LatencyLevel;
use crate::oms::{AlarmLevel, DecodeIssue, Failure, ProjectStatus, Step, StepStatus};
use crate::model::story::{Blocker, Trend};


/// An enum of plain variants with `ALL`, every variant in order: the tests go through every
/// text in every language.
macro_rules! listed {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[allow(missing_docs)]
        pub enum $name { $($(#[$vmeta])* $variant,)* }
        impl $name {
            /// Every variant.
            pub const ALL: &[Self] = &[$(Self::$variant,)*];
        }
    };
}

/// A language the card speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Locale {
    /// English.
    #[default]
    En,
    /// Simplified Chinese, as in the OMS console.
    ZhCn,
}

impl Locale {
    /// Reads a BCP 47 tag: any `zh*` tag is Chinese, any `en*` tag English, others unknown.
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "zh" => Some(Self::ZhCn),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// The first supported language of a preference list (the `locale` attribute, then the
    /// browser's languages), English otherwise.
    pub fn negotiate<'a>(preferences: impl IntoIterator<Item = &'a str>) -> Self {
        preferences.into_iter().find_map(Self::from_tag).unwrap_or_default()
    }

    /// The tag handed to `Intl` and put in `lang` attributes.
    pub fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::ZhCn => "zh-CN",
        }
    }

    fn pick(self, (en, zh): (&'static str, &'static str)) -> &'static str {
        match self {
            Self::En => en,
            Self::ZhCn => zh,
        }
    }

    /// The label of a project status, in the OMS console's wording.
    pub fn status(self, status: ProjectStatus) -> &'static str {
        use ProjectStatus::*;
        self.pick(match status {
            Init => ("Not started", "未启动"),
            Running => ("Running", "运行中"),
            RunningModifying => ("Modifying", "修改中"),
            RunningMerging => ("Integrating", "合并中"),
            RunningAlarming => ("Running with alarms", "运行中（告警）"),
            Suspend => ("Paused", "已暂停"),
            Failed => ("Failed", "失败"),
            Finished => ("Completed", "已完成"),
            Releasing => ("Releasing", "释放中"),
            Released => ("Released", "已释放"),
            Deleted => ("Deleted", "已删除"),
            Unconfigured => ("Not configured", "未配置"),
        })
    }

    /// The label of an alarm level.
    pub fn alarm(self, level: AlarmLevel) -> &'static str {
        use AlarmLevel::*;
        self.pick(match level {
            High => ("High", "高"),
            Medium => ("Medium", "中"),
            Low => ("Low", "低"),
            Ignore => ("No protection", "无保护"),
        })
    }

    /// The label of a step.
    pub fn step(self, step: Step) -> &'static str {
        use Step::*;
        self.pick(match step {
            PreCheck => ("Pre-check", "预检查"),
            Prepare => ("Preparing", "准备中"),
            SchemaMigration => ("Schema migration", "结构迁移"),
            SchemaSync => ("Schema sync", "结构同步"),
            IndexMigration => ("Index migration", "索引迁移"),
            FullMigration => ("Full migration", "全量迁移"),
            FullSync => ("Full sync", "全量同步"),
            FullVerification => ("Full verification", "全量校验"),
            IncrLogPull => ("Incremental log pull", "增量日志拉取"),
            IncrSync => ("Incremental sync", "增量同步"),
            IncrVerification => ("Incremental verification", "增量校验"),
            ForwardSwitchover => ("Forward switchover", "正向切换"),
            ReverseIncrSync => ("Reverse incremental sync", "反向增量同步"),
        })
    }

    /// The word for a step's status (MONITORING is live, not done).
    pub fn step_status(self, status: StepStatus) -> &'static str {
        use StepStatus::*;
        self.pick(match status {
            Init => ("Waiting", "未开始"),
            Running => ("Running", "进行中"),
            Failed => ("Failed", "失败"),
            Finished => ("Done", "已完成"),
            Suspend => ("Paused", "已暂停"),
            Monitoring => ("Live", "实时同步中"),
        })
    }

    /// The word for where the lag is heading.
    pub fn trend(self, trend: Trend) -> &'static str {
        self.pick(match trend {
            Trend::Rising => ("rising", "上升"),
            Trend::Steady => ("steady", "平稳"),
            Trend::Falling => ("falling", "下降"),
        })
    }

    /// What still blocks switching over (a lag's sentence has `{threshold}`, the seconds allowed,
    /// and `{lag}`; differences have `{rows}`: [`fill`] them).
    pub fn blocker(self, blocker: Blocker) -> &'static str {
        self.pick(match blocker {
            Blocker::FullMigration => ("full migration not finished", "全量迁移未完成"),
            Blocker::FullVerification => ("full verification not finished", "全量校验未完成"),
            Blocker::IncrementalNotLive => ("incremental sync not running", "增量同步未运行"),
            Blocker::Lag(_) => ("lag above {threshold}: {lag}", "延迟超过{threshold}：{lag}"),
            Blocker::LagUnknown => ("lag unknown", "延迟未知"),
            Blocker::SamplingStopped => ("OMS stopped sampling the lag", "OMS 已停止采样延迟"),
            Blocker::Differences(_) => ("full verification found {rows} rows that differ", "全量校验发现 {rows} 行不一致"),
            Blocker::VerificationUnknown => ("verification result not available", "校验结果不可用"),
            Blocker::VerificationInCard => ("open the task for full verification's result", "展开任务查看全量校验结果"),
            Blocker::Checking => ("still waiting for OMS's answers", "仍在等待 OMS 的应答"),
            Blocker::AlarmFiring => ("an alarm is firing", "有告警正在触发"),
            Blocker::TaskFailed => ("the task failed", "任务失败"),
        })
    }

    /// The label of a latency level.
    pub fn latency(self, level: LatencyLevel) -> &'static str {
        use LatencyLevel::*;
        self.pick(match level {
            CaughtUp => ("Caught up", "已追平"),
            Lagging => ("Lagging", "有延迟"),
            FarBehind => ("Far behind", "严重延迟"),
        })
    }

    /// What a failure means, when the server sent no message of its own.
    pub fn failure(self, failure: &Failure) -> &'static str {
        use DecodeIssue::*;
        self.pick(match failure {
            Failure::Network => ("Could not reach the OMS proxy.", "无法连接 OMS 代理。"),
            Failure::Timeout => ("The OMS proxy did not answer in time.", "OMS 代理响应超时。"),
            Failure::Http { status: 401, .. } | Failure::NoCredentials => (
                "Sign in again to see this task: the proxy did not accept your credentials.",
                "请重新登录后查看此任务：代理未接受您的登录凭据。",
            ),
            Failure::Http { status: 403, .. } => ("You are not allowed to see this task.", "您无权查看此任务。"),
            Failure::Http { .. } => ("The OMS proxy answered with an HTTP error.", "OMS 代理返回了 HTTP 错误。"),
            Failure::Api { .. } => ("OMS reported an error.", "OMS 返回了错误。"),
            Failure::Decode { issue: Html, .. } => (
                "The answer is an HTML page, not OMS data: the proxy may require a new login.",
                "返回的是 HTML 页面而不是 OMS 数据：代理可能需要重新登录。",
            ),
            Failure::Decode { issue: Empty, .. } => ("The answer was empty.", "返回内容为空。"),
            Failure::Decode { issue: NoData, .. } => ("The answer has no progress data.", "返回内容中没有进度数据。"),
            Failure::Decode { issue: TooLarge, .. } => ("The answer is too large to be OMS progress.", "返回内容过大，不是 OMS 进度数据。"),
            Failure::Decode { issue: NotAnObject, .. } => ("The answer is not an OMS response.", "返回内容不是 OMS 响应。"),
            Failure::Decode { issue: NotJson, .. } => ("The answer is not valid JSON.", "返回内容不是有效的 JSON。"),
        })
    }

    /// What to check after a failure the card can explain better than the server did: where
    /// the proxy is, whether it lets this page call it, the path in front of `/api/v2`.
    pub fn advice(self, failure: &Failure) -> Option<&'static str> {
        Some(self.pick(match failure {
            Failure::Network => (
                "Check that the proxy answers at proxy-url, that it lets this page's origin call it (CORS: the proxy's --allow-origin), and that proxy-url includes any path in front of /api/v2.",
                "请检查：代理能否在 proxy-url 处访问，是否允许本页面的来源调用（CORS：代理的 --allow-origin），以及 proxy-url 是否包含 /api/v2 之前的路径。",
            ),
            Failure::Http { status: 404 | 405, .. } => (
                "No OMS API at this URL: proxy-url must name where the proxy serves /api/v2, with any path in front of it.",
                "此处没有 OMS API：proxy-url 须指向代理提供 /api/v2 的位置，包括其前面的路径。",
            ),
            _ => return None,
        }))
    }

    /// One of the card's sentences: `{name}` marks where [`fill`] puts a value, so each
    /// language orders its words its own way.
    pub fn sentence(self, sentence: Sentence) -> &'static str {
        use Sentence::*;
        self.pick(match sentence {
            CardLabel => ("OMS task progress: {task}", "OMS 任务进度：{task}"),
            RefreshTask => ("Refresh {task}", "刷新 {task}"),
            NamedTask => ("{name} ({id})", "{name}（{id}）"),
            StageOff => ("{stage} off", "{stage}未开启"),
            Announce => ("{task}: {news}", "{task}：{news}"),
            TrendWindow => ("Last {span}", "近{span}"),
            TrendScale => ("peak {max}", "峰值 {max}"),
            Rows => ("{processed}\u{a0}rows", "{processed}\u{a0}行"),
            RowsOf => ("{processed} of {capacity}\u{a0}rows", "{processed} / {capacity}\u{a0}行"),
            RowsVerified => ("{processed}\u{a0}rows verified", "已校验 {processed}\u{a0}行"),
            RowsVerifiedOf => ("{processed} of {capacity}\u{a0}rows verified", "已校验 {processed} / {capacity}\u{a0}行"),
            Rate => ("{rate}\u{a0}rows/s", "{rate}\u{a0}行/秒"),
            RateWithReference => ("{rate}\u{a0}rows/s (reference {reference})", "{rate}\u{a0}行/秒（参考 {reference}）"),
            Eta => ("about {duration} left", "剩余约 {duration}"),
            EtaRange => ("about {low} to {high} left", "剩余约 {low} 至 {high}"),
            Differences => ("{rows} rows differ", "{rows} 行不一致"),
            TableDifferences => ("{table}: {mismatched} differ, {sourceOnly} only in source, {destOnly} only in destination", "{table}：{mismatched} 行不一致，{sourceOnly} 行仅在源端，{destOnly} 行仅在目标端"),
            AndMore => ("and {count} more tables", "以及另外 {count} 张表"),
            StepFailed => ("{step} failed", "{step}失败"),
            AlarmCount => ("fired {count} times lately", "近期触发 {count} 次"),
            Since => ("since {time}", "始于 {time}"),
            Started => ("started {time}", "开始于 {time}"),
            NotReady => ("Not ready to switch over: {blockers}", "尚不能切换：{blockers}"),
            TrendLabel => ("Lag {trend} over the last {span}: now {last}, peak {max}", "近{span}延迟{trend}：当前 {last}，峰值 {max}"),
            Sampled => ("sampled {ago}", "采样于 {ago}"),
            SamplingStopped => ("OMS stopped sampling {ago}", "OMS 已停止采样 {ago}"),
            FailingSince => ("{error} · failing since {time}", "{error} · 失败始于 {time}"),
            Summary => (
                "{failed} failed · {alarm} alarm · {lagging} lagging · {running} running · {done} done",
                "{failed} 个失败 · {alarm} 个告警 · {lagging} 个延迟 · {running} 个运行中 · {done} 个已完成",
            ),
            ListCount => ("{shown} of {total} tasks", "{total} 个任务中的 {shown} 个"),
            AllListed => ("{total} tasks", "{total} 个任务"),
            OpenTask => ("Open {task}", "展开 {task}"),
            UnknownFilter => ("OMS has no {attribute} \"{value}\": nothing was asked", "OMS 没有{attribute}“{value}”：未发出请求"),
        })
    }

    /// One of the card's own texts.
    pub fn text(self, text: Text) -> &'static str {
        use Text::*;
        self.pick(match text {
            Status => ("Status", "状态"),
            Alarm => ("Alarm level", "告警等级"),
            CurrentStep => ("Step", "当前步骤"),
            SchemaMigration => ("Schema migration", "结构迁移"),
            FullMigration => ("Full migration", "全量迁移"),
            FullSync => ("Full sync", "全量同步"),
            IncrementalSync => ("Incremental sync", "增量同步"),
            ReverseIncremental => ("Reverse sync", "反向增量"),
            Checkpoint => ("Checkpoint", "位点"),
            Latency => ("Lag", "延迟"),
            Off => ("Off", "未开启"),
            IncrementalOff => ("Incremental sync off", "增量同步未开启"),
            NoLongerReady => ("no longer ready to switch over", "已不能切换"),
            NotStarted => ("Not started", "未开始"),
            Unknown => ("Unknown", "未知"),
            Loading => ("Loading…", "加载中…"),
            Updated => ("Updated", "更新于"),
            Refresh => ("Refresh", "刷新"),
            Tasks => ("OMS tasks", "OMS 任务"),
            NoTasks => ("No tasks match.", "没有符合条件的任务。"),
            TaskStatus => ("status", "状态"),
            TaskType => ("type", "类型"),
            Stale => ("Stale", "数据未更新"),
            ErrorCode => ("Code", "错误码"),
            Advice => ("Advice", "建议"),
            RequestId => ("Request ID", "请求 ID"),
            HttpStatus => ("HTTP status", "HTTP 状态"),
            Retrying => ("Retrying automatically.", "将自动重试。"),
            MissingProjectId => (
                "No task to show: set the project-id attribute to an OMS task id.",
                "没有要显示的任务：请将 project-id 属性设置为 OMS 任务 ID。",
            ),
            MissingProxyUrl => (
                "No proxy to ask: set the proxy-url attribute to the URL of the OMS proxy.",
                "没有可请求的代理：请将 proxy-url 属性设置为 OMS 代理的 URL。",
            ),
            InvalidProxyUrl => ("The proxy-url attribute is not a valid http or https URL.", "proxy-url 属性不是有效的 http 或 https URL。"),
            Steps => ("Steps", "步骤"),
            SourceBound => ("source reads are the bottleneck", "瓶颈在源端读取"),
            Ready => ("Ready to switch over", "可以切换"),
            ListSeparator => ("; ", "；"),
            ReadinessUnknown => ("Readiness unknown: the latest refresh failed", "无法确认能否切换：最近一次刷新失败"),
            Verification => ("Full verification", "全量校验"),
            NoDifferences => ("no differences", "无不一致"),
            Verifying => ("in progress", "进行中"),
            Unconfirmed => ("unconfirmed", "未确认"),
            TaskFailed => ("The task failed", "任务失败"),
            Proposal => ("OMS proposes", "OMS 建议"),
            AlarmFiring => ("Alarm firing", "告警触发中"),
        })
    }
}

listed! {
    /// The card's sentences, each with the values it names (see [`Locale::sentence`]).
    pub enum Sentence {
        /// The card's accessible name: `{task}` (its name and id, else its id).
        CardLabel,
        /// The refresh button's name: `{task}`.
        RefreshTask,
        /// A task with a name, told apart from others of the same name: `{name}`, `{id}`.
        NamedTask,
        /// A stage that is not configured: `{stage}`.
        StageOff,
        /// A polite announcement of what changed: `{task}`, `{news}`.
        Announce,
        /// The lag chart's row: `{span}` it covers.
        TrendWindow,
        /// The lag chart's peak: `{max}`.
        TrendScale,
        /// Rows written: `{processed}`.
        Rows,
        /// Rows written of all: `{processed}`, `{capacity}`.
        RowsOf,
        /// Rows full verification compared: `{processed}`.
        RowsVerified,
        /// Rows full verification compared, of all: `{processed}`, `{capacity}`.
        RowsVerifiedOf,
        /// The write rate: `{rate}`.
        Rate,
        /// The write rate beside OMS's reference rate: `{rate}`, `{reference}`.
        RateWithReference,
        /// Time left: `{duration}`.
        Eta,
        /// Time left, when the rate is too uneven for one figure: `{low}`, `{high}`.
        EtaRange,
        /// Rows full verification found different: `{rows}`.
        Differences,
        /// A table's rows that differ: `{table}`, `{mismatched}`, `{sourceOnly}`, `{destOnly}`.
        TableDifferences,
        /// Tables not named: `{count}`.
        AndMore,
        /// A failed step: `{step}`.
        StepFailed,
        /// How often an alarm fired lately: `{count}`.
        AlarmCount,
        /// Since when something holds: `{time}`.
        Since,
        /// When a step started: `{time}`.
        Started,
        /// Not ready to switch over: `{blockers}`, each a [`Locale::blocker`], joined by
        /// [`Text::ListSeparator`].
        NotReady,
        /// The lag chart's text alternative: `{trend}`, `{span}`, `{last}`, `{max}`.
        TrendLabel,
        /// When OMS last sampled the lag: `{ago}`.
        Sampled,
        /// OMS has not sampled the lag for long: `{ago}`.
        SamplingStopped,
        /// A failed step's error and since when: `{error}`, `{time}`.
        FailingSince,
        /// The fleet's counts: `{failed}`, `{alarm}`, `{lagging}`, `{running}`, `{done}`.
        Summary,
        /// How many tasks the list shows of OMS's total: `{shown}`, `{total}`.
        ListCount,
        /// The list shows every task: `{total}`.
        AllListed,
        /// A row's button: `{task}`.
        OpenTask,
        /// A filter OMS does not know: `{attribute}` (status or type, in words), `{value}`.
        UnknownFilter,
    }
}

/// `template` with each `{name}` replaced by its value in `values`; a name without one stays.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        match values.iter().find(|(n, _)| *n == name) {
            Some((_, value)) => out.push_str(value),
            None => out.push_str(&rest[open..open + close + 2]),
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

listed! {
    /// The card's own texts (labels that are not codes from the server).
    pub enum Text {
        Status,
        Alarm,
        CurrentStep,
        SchemaMigration,
        FullMigration,
        FullSync,
        IncrementalSync,
        ReverseIncremental,
        Checkpoint,
        Latency,
        Off,
        NotStarted,
        Unknown,
        Loading,
        Updated,
        Refresh,
        Stale,
        ErrorCode,
        Advice,
        RequestId,
        HttpStatus,
        Retrying,
        MissingProjectId,
        MissingProxyUrl,
        InvalidProxyUrl,
        Steps,
        SourceBound,
        Ready,
        ListSeparator,
        ReadinessUnknown,
        Verification,
        NoDifferences,
        Verifying,
        Unconfirmed,
        TaskFailed,
        Proposal,
        AlarmFiring,
        IncrementalOff,
        NoLongerReady,
        Tasks,
        NoTasks,
        TaskStatus,
        TaskType,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oms::KnownCode;

    const LOCALES: [Locale; 2] = [Locale::En, Locale::ZhCn];
    const BLOCKERS: &[Blocker] = &[
        Blocker::FullMigration, Blocker::FullVerification, Blocker::IncrementalNotLive, Blocker::Lag(300), Blocker::LagUnknown,
        Blocker::SamplingStopped, Blocker::Differences(3), Blocker::VerificationUnknown, Blocker::Checking, Blocker::AlarmFiring,
        Blocker::TaskFailed, Blocker::VerificationInCard,
    ];

    fn failures() -> Vec<Failure> {
        use DecodeIssue::*;
        let report = crate::oms::ServerReport::default();
        let mut failures = vec![Failure::Network, Failure::Timeout, Failure::NoCredentials, Failure::Api { report: report.clone() }];
        failures.extend([401, 403, 500].map(|status| Failure::Http { status, report: report.clone() }));
        failures.extend([Empty, Html, NotJson, NotAnObject, NoData, TooLarge].map(|issue| Failure::Decode { issue, report: report.clone() }));
        failures
    }

    /// Every string the card has of its own in `locale`.
    fn every_string(l: Locale) -> Vec<&'static str> {
        let mut all: Vec<&'static str> = Text::ALL.iter().map(|&t| l.text(t)).collect();
        all.extend(Sentence::ALL.iter().map(|&s| l.sentence(s)));
        all.extend(BLOCKERS.iter().map(|&b| l.blocker(b)));
        all.extend(failures().iter().map(|f| l.failure(f)));
        all.extend(failures().iter().filter_map(|f| l.advice(f)));
        all.extend(ProjectStatus::TABLE.iter().map(|(_, s)| l.status(*s)));
        all.extend(AlarmLevel::TABLE.iter().map(|(_, a)| l.alarm(*a)));
        all.extend(Step::TABLE.iter().map(|(_, s)| l.step(*s)));
        all.extend(StepStatus::TABLE.iter().map(|(_, s)| l.step_status(*s)));
        all.extend([Trend::Rising, Trend::Steady, Trend::Falling].map(|t| l.trend(t)));
        all.extend([LatencyLevel::CaughtUp, LatencyLevel::Lagging, LatencyLevel::FarBehind].map(|v| l.latency(v)));
        all
    }

    fn is_cjk(c: char) -> bool {
        matches!(c, '\u{3000}'..='\u{303f}' | '\u{3400}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}')
    }

    /// What is not written as Chinese in `text`: an ASCII `; , : ( )` beside a Chinese character
    /// (placeholders and spaces between are looked through), or a space after a full-width
    /// colon, semicolon or comma.
    fn not_chinese(text: &str) -> Option<String> {
        let chars: Vec<char> = text.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            if ";,:()".contains(c) {
                let before = chars[..i].iter().rev().find(|c| !c.is_whitespace() && **c != '}');
                let after = chars[i + 1..].iter().find(|c| !c.is_whitespace() && **c != '{');
                if before.is_some_and(|&c| is_cjk(c)) || after.is_some_and(|&c| is_cjk(c)) {
                    return Some(format!("ASCII {c:?} beside Chinese in {text:?}"));
                }
            }
            if "：；，".contains(c) && chars.get(i + 1).is_some_and(|c| c.is_whitespace()) {
                return Some(format!("a space after {c:?} in {text:?}"));
            }
        }
        None
    }

    #[test]
    fn chinese_is_written_as_chinese() {
        let offending: Vec<String> = every_string(Locale::ZhCn).into_iter().filter_map(not_chinese).collect();
        assert!(offending.is_empty(), "{offending:#?}");
    }

    #[test]
    fn the_scan_finds_what_it_looks_for() {
        // The four the labels had before the scan.
        for old in ["延迟超过 {threshold} 秒： {lag}", "OMS 任务进度: {id}", "{rate} 行/秒 (参考 {reference})", "尚不能切换： {blockers}"] {
            assert!(not_chinese(old).is_some(), "{old}");
        }
        assert_eq!(not_chinese("任务进度：{task}"), None);
        assert_eq!(not_chinese("{rate}\u{a0}行/秒（参考 {reference}）"), None);
    }

    #[test]
    fn every_text_is_said_in_every_locale() {
        for l in LOCALES {
            for text in every_string(l) {
                assert!(!text.trim().is_empty());
            }
        }
    }

    #[test]
    fn every_known_code_has_a_label_in_every_locale() {
        for l in LOCALES {
            for (raw, s) in ProjectStatus::TABLE {
                assert!(!l.status(*s).is_empty(), "{raw}");
            }
            for (raw, a) in AlarmLevel::TABLE {
                assert!(!l.alarm(*a).is_empty(), "{raw}");
            }
            for (raw, s) in Step::TABLE {
                assert!(!l.step(*s).is_empty(), "{raw}");
            }
            for (raw, s) in StepStatus::TABLE {
                assert!(!l.step_status(*s).is_empty(), "{raw}");
            }
        }
    }

    #[test]
    fn labels_follow_the_console_wording() {
        assert_eq!(Locale::En.status(ProjectStatus::Finished), "Completed");
        assert_eq!(Locale::En.status(ProjectStatus::Suspend), "Paused");
        assert_eq!(Locale::En.status(ProjectStatus::RunningMerging), "Integrating");
        assert_eq!(Locale::ZhCn.status(ProjectStatus::Running), "运行中");
        assert_eq!(Locale::En.alarm(AlarmLevel::Ignore), "No protection");
        assert_eq!(Locale::En.step(Step::PreCheck), "Pre-check");
    }

    #[test]
    fn step_spellings_of_one_meaning_share_a_label() {
        let label = |raw| Locale::En.step(crate::oms::Code::<Step>::new(raw).known.unwrap());
        assert_eq!(label("FULL_MIGRATION"), label("FULL_TRANSFER"));
        assert_eq!(label("INCR_SYNC"), label("INCR_TRANSFER"));
        assert_eq!(label("PRE_CHECK"), label("TRANSFER_PRECHECK"));
    }

    #[test]
    fn locale_negotiation() {
        assert_eq!(Locale::from_tag("zh-CN"), Some(Locale::ZhCn));
        assert_eq!(Locale::from_tag("zh_Hans"), Some(Locale::ZhCn));
        assert_eq!(Locale::from_tag("EN-gb"), Some(Locale::En));
        assert_eq!(Locale::from_tag("fr"), None);
        assert_eq!(Locale::negotiate(["", "fr-FR", "zh-TW", "en"]), Locale::ZhCn);
        assert_eq!(Locale::negotiate(["de"]), Locale::En);
        assert_eq!(Locale::ZhCn.tag(), "zh-CN");
    }

    #[test]
    fn sentences_name_exactly_their_values_in_every_locale() {
        use Sentence::*;
        let names = |template: &str| -> Vec<String> {
            let mut names: Vec<String> = template.split('{').skip(1).filter_map(|p| p.split_once('}').map(|(n, _)| n.to_owned())).collect();
            names.sort();
            names
        };
        for &sentence in Sentence::ALL {
            assert_eq!(names(Locale::En.sentence(sentence)), names(Locale::ZhCn.sentence(sentence)), "{sentence:?}");
        }
        for &blocker in BLOCKERS {
            assert_eq!(names(Locale::En.blocker(blocker)), names(Locale::ZhCn.blocker(blocker)));
        }
        assert_eq!(fill(Locale::En.sentence(RowsOf), &[("processed", "5"), ("capacity", "9")]), "5 of 9\u{a0}rows");
        assert_eq!(fill("{a} and {missing}", &[("a", "x")]), "x and {missing}");
        assert_eq!(fill("{unclosed", &[]), "{unclosed");
    }

    #[test]
    fn every_failure_has_a_message_in_every_locale() {
        for l in LOCALES {
            for failure in &failures() {
                assert!(l.failure(failure).ends_with(['.', '。']), "{failure}");
            }
        }
    }
}
