//! The enumerated codes OMS sends: project status, alarm level and current step.
//!
//! Each table below is the one place that lists the known raw values. A value outside the
//! table is never dropped: [`Code`] keeps the raw string, and the card shows it as it came.

use std::borrow::Cow;

/// A code string from the server: always kept raw, recognised when it is a known value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Code<K> {
    /// The value exactly as the server sent it (a known code spelled as the table spells it is
    /// the table's own text, not a copy: a fleet holds thousands of codes).
    pub raw: Cow<'static, str>,
    /// The recognised value, or `None` for a value this version does not know.
    pub known: Option<K>,
}

/// A closed set of codes with a table of their raw spellings.
pub trait KnownCode: Copy + Sized + 'static {
    /// Every raw spelling and what it means.
    const TABLE: &'static [(&'static str, Self)];

    /// The table's entry of a raw value (ignoring case and surrounding spaces).
    fn entry(raw: &str) -> Option<&'static (&'static str, Self)> {
        let raw = raw.trim();
        Self::TABLE.iter().find(|(name, _)| name.eq_ignore_ascii_case(raw))
    }
}

impl<K: KnownCode> Code<K> {
    /// Wraps a raw value, recognising it if it is in `K`'s table.
    pub fn new(raw: impl Into<String>) -> Self {
        let raw = raw.into();
        match K::entry(&raw) {
            Some((name, known)) => Code { raw: if *name == raw { Cow::Borrowed(*name) } else { Cow::Owned(raw) }, known: Some(*known) },
            None => Code { raw: Cow::Owned(raw), known: None },
        }
    }
}

/// `data.status`: the general state of the task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProjectStatus {
    Init,
    Running,
    RunningModifying,
    RunningMerging,
    RunningAlarming,
    Suspend,
    Failed,
    Finished,
    Releasing,
    Released,
    Deleted,
    Unconfigured,
}

impl KnownCode for ProjectStatus {
    const TABLE: &'static [(&'static str, Self)] = &[
        ("INIT", Self::Init),
        ("RUNNING", Self::Running),
        ("RUNNING_MODIFYING", Self::RunningModifying),
        ("RUNNING_MERGING", Self::RunningMerging),
        ("RUNNING_ALARMING", Self::RunningAlarming),
        ("SUSPEND", Self::Suspend),
        ("FAILED", Self::Failed),
        ("FINISHED", Self::Finished),
        ("RELEASING", Self::Releasing),
        ("RELEASED", Self::Released),
        ("DELETED", Self::Deleted),
        ("UNCONFIGURED", Self::Unconfigured),
    ];
}

impl ProjectStatus {
    /// A state the task never leaves by itself: polling slows down to once a minute.
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Finished | Self::Released | Self::Deleted)
    }

    /// The visual tone of the status badge.
    pub fn tone(self) -> Tone {
        match self {
            Self::Running | Self::RunningModifying | Self::RunningMerging => Tone::Active,
            Self::RunningAlarming | Self::Suspend => Tone::Warning,
            Self::Failed => Tone::Danger,
            Self::Finished => Tone::Success,
            Self::Init | Self::Unconfigured => Tone::Neutral,
            Self::Releasing | Self::Released | Self::Deleted => Tone::Muted,
        }
    }
}

/// `data.alarmLevel`: the alert-based protection level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AlarmLevel {
    High,
    Medium,
    Low,
    Ignore,
}

impl KnownCode for AlarmLevel {
    const TABLE: &'static [(&'static str, Self)] =
        &[("HIGH", Self::High), ("MEDIUM", Self::Medium), ("LOW", Self::Low), ("IGNORE", Self::Ignore)];
}

impl AlarmLevel {
    /// The visual tone of the alarm badge.
    pub fn tone(self) -> Tone {
        match self {
            Self::High => Tone::Danger,
            Self::Medium => Tone::Warning,
            Self::Low => Tone::Active,
            Self::Ignore => Tone::Neutral,
        }
    }
}

/// What the task is doing: the meaning shared by the 26 `currentStep` spellings of OMS
/// versions (V4 mostly uses the `TRANSFER_*` / `*_TRANSFER` / `*_VERIFIER` names).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    PreCheck,
    Prepare,
    SchemaMigration,
    SchemaSync,
    IndexMigration,
    FullMigration,
    /// A data sync task's full copy (`CONNECTOR_FULL_SYNC`): a full migration by another name.
    FullSync,
    FullVerification,
    IncrLogPull,
    IncrSync,
    IncrVerification,
    ForwardSwitchover,
    ReverseIncrSync,
}

impl KnownCode for Step {
    const TABLE: &'static [(&'static str, Self)] = &[
        ("PRE_CHECK", Self::PreCheck),
        ("TRANSFER_PRECHECK", Self::PreCheck),
        ("PREPARE", Self::Prepare),
        ("SYNC_PREPARE", Self::Prepare),
        ("TRANSFER_PREPARE", Self::Prepare),
        ("STRUCT_TRANSFER", Self::SchemaMigration),
        ("STRUCT_MIGRATION", Self::SchemaMigration),
        ("STRUCT_SYNC", Self::SchemaSync),
        ("INDEX_MIGRATION", Self::IndexMigration),
        ("INDEX_TRANSFER", Self::IndexMigration),
        ("FULL_MIGRATION", Self::FullMigration),
        ("FULL_TRANSFER", Self::FullMigration),
        ("CONNECTOR_FULL_SYNC", Self::FullSync),
        ("FULL_VALIDATION", Self::FullVerification),
        ("FULL_VERIFIER", Self::FullVerification),
        ("INCR_LOG_PULL", Self::IncrLogPull),
        ("TRANSFER_INCR_LOG_PULL", Self::IncrLogPull),
        ("SYNC_INCR_LOG_PULL", Self::IncrLogPull),
        ("INCR_SYNC", Self::IncrSync),
        ("INCR_TRANSFER", Self::IncrSync),
        ("CONNECTOR_INCR_SYNC", Self::IncrSync),
        ("INCR_VERIFIER", Self::IncrVerification),
        ("APP_SWITCH", Self::ForwardSwitchover),
        ("TRANSFER_APP_SWITCH", Self::ForwardSwitchover),
        ("REVERSE_INCR_SYNC", Self::ReverseIncrSync),
        ("REVERSE_INCR_TRANSFER", Self::ReverseIncrSync),
    ];
}

impl Step {
    /// Whether the step copies every row (a migration's or a data sync's full copy).
    pub fn is_full_copy(self) -> bool {
        matches!(self, Self::FullMigration | Self::FullSync)
    }

    /// Whether `raw` names one of OMS's connector steps (`CONNECTOR_FULL_SYNC`, …), which only
    /// data sync tasks have.
    pub fn is_connector(raw: &str) -> bool {
        raw.trim().get(..10).is_some_and(|head| head.eq_ignore_ascii_case("CONNECTOR_"))
    }
}

/// The colour family of a badge. Colour is never the only signal: every badge also has a word
/// and an icon.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Tone {
    Active,
    Success,
    Warning,
    Danger,
    #[default]
    Neutral,
    Muted,
}

impl Tone {
    /// The token used in `data-tone` attributes and CSS.
    pub fn as_str(self) -> &'static str {
        match self {
            Tone::Active => "active",
            Tone::Success => "success",
            Tone::Warning => "warning",
            Tone::Danger => "danger",
            Tone::Neutral => "neutral",
            Tone::Muted => "muted",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_26_documented_steps_are_known() {
        assert_eq!(Step::TABLE.len(), 26);
        for (raw, step) in Step::TABLE {
            assert_eq!(Code::<Step>::new(*raw).known, Some(*step));
        }
    }

    #[test]
    fn status_table_is_complete_and_case_tolerant() {
        for raw in [
            "INIT", "RUNNING", "SUSPEND", "FAILED", "FINISHED", "RELEASING", "RELEASED", "DELETED",
            "RUNNING_MODIFYING", "RUNNING_MERGING", "RUNNING_ALARMING", "UNCONFIGURED",
        ] {
            assert!(Code::<ProjectStatus>::new(raw).known.is_some(), "{raw}");
        }
        let c = Code::<ProjectStatus>::new(" running ");
        assert_eq!(c.known, Some(ProjectStatus::Running));
        assert_eq!(c.raw, " running ", "the raw value is kept exactly");
    }

    #[test]
    fn unknown_values_are_kept_raw() {
        let c = Code::<ProjectStatus>::new("MIGRATING_TO_MARS");
        assert_eq!((&*c.raw, c.known), ("MIGRATING_TO_MARS", None));
        assert_eq!(Code::<Step>::new("QUANTUM_SYNC").known, None);
        assert_eq!(Code::<AlarmLevel>::new("CRITICAL").known, None);
    }

    #[test]
    fn connector_steps_are_told_by_name() {
        assert!(Step::is_connector("CONNECTOR_INCR_SYNC") && Step::is_connector(" connector_full_sync"));
        assert!(!Step::is_connector("INCR_TRANSFER") && !Step::is_connector("CONNECTOR") && !Step::is_connector("全量同步全量同步全量同步"));
    }

    #[test]
    fn terminal_states() {
        let terminal: Vec<_> =
            ProjectStatus::TABLE.iter().filter(|(_, s)| s.is_terminal()).map(|(n, _)| *n).collect();
        assert_eq!(terminal, ["FINISHED", "RELEASED", "DELETED"]);
    }
}
