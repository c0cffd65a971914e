//! `data` of a `DescribeProjectProgress` answer, as domain types.

use super::codes::{AlarmLevel, Code, KnownCode, ProjectStatus, Step};
use super::loose::{JsonValue, Loose};

/// The latest unix second a `<time datetime>` can hold (9999-12-31T23:59:59Z).
const MAX_UNIX_SECONDS: i64 = 253_402_300_799;
/// Values from here up are read as milliseconds: no OMS task started after the year 33658.
const MIN_UNIX_MILLIS: i64 = 1_000_000_000_000;

/// The progress of one OMS task. Every field may be missing in a real answer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Progress {
    /// `projectId` as sent.
    pub project_id: Option<String>,
    /// `status`: raw, and recognised when known.
    pub status: Option<Code<ProjectStatus>>,
    /// `alarmLevel`: raw, and recognised when known.
    pub alarm_level: Option<Code<AlarmLevel>>,
    /// `currentStep`: raw, and recognised when known.
    pub current_step: Option<Code<Step>>,
    /// Schema migration: `enableStructTransfer` and `structTransferProgress`.
    pub schema: Stage,
    /// Full migration: `enableFullTransfer` and `fullTransferProgress`.
    pub full: Stage,
    /// Incremental sync: `enableIncrSync` and `incrSyncCheckpoint`.
    pub incremental: IncrementalStage,
    /// Reverse incremental sync: `enableReverseIncrTransfer` and `reverseIncrTransferCheckpoint`.
    pub reverse: IncrementalStage,
}

/// A migration stage measured in percent.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Stage {
    /// Whether the stage is enabled; `None` when the server did not say.
    pub enabled: Option<bool>,
    /// The percentage as sent, which may be below 0 or above 100 on buggy servers.
    pub percent: Option<f64>,
}

impl Stage {
    /// Whether the server said the stage is off.
    pub fn is_disabled(&self) -> bool {
        self.enabled == Some(false)
    }

    /// The percentage clamped to 0..=100, for drawing and `aria-valuenow`.
    pub fn clamped(&self) -> Option<f64> {
        self.percent.map(|p| p.clamp(0.0, 100.0))
    }
}

/// An incremental stage, measured by its checkpoint.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IncrementalStage {
    /// Whether the stage is enabled; `None` when the server did not say.
    pub enabled: Option<bool>,
    /// How far the stage has got.
    pub checkpoint: Checkpoint,
}

impl IncrementalStage {
    /// The checkpoint to show: none when the stage is off or has not started.
    pub fn visible_checkpoint(&self) -> &Checkpoint {
        if self.enabled == Some(false) { &Checkpoint::None } else { &self.checkpoint }
    }
}

/// How far incremental sync has got.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Checkpoint {
    /// Null, missing, 0 or blank: not started.
    #[default]
    None,
    /// A unix time in seconds (sources Db2 LUW, OceanBase, MySQL, Oracle).
    Unix(i64),
    /// Anything else, shown as sent: a Sybase `"fileId,fileOffset"` such as `"100,30"`.
    Raw(String),
}

impl Checkpoint {
    /// Reads a checkpoint from any JSON shape.
    pub fn from_loose(value: &Loose) -> Self {
        match value {
            Loose::Int(i) => Self::from_integer(*i),
            Loose::Float(f) => Self::from_integer(f.floor() as i64),
            Loose::Text(s) => {
                let t = s.trim();
                if t.is_empty() {
                    Self::None
                } else if t.len() <= 18 && t.bytes().all(|b| b.is_ascii_digit()) {
                    Self::from_integer(t.bytes().fold(0, |n, b| n * 10 + i64::from(b - b'0')))
                } else {
                    Self::Raw(s.clone())
                }
            }
            Loose::Absent | Loose::Bool(_) | Loose::Nested => Self::None,
        }
    }

    fn from_integer(i: i64) -> Self {
        match i {
            0 => Self::None,
            1..=MAX_UNIX_SECONDS => Self::Unix(i),
            MIN_UNIX_MILLIS.. if i / 1000 <= MAX_UNIX_SECONDS => Self::Unix(i / 1000),
            _ => Self::Raw(super::loose::decimal(i)),
        }
    }
}

impl Progress {
    /// The status, if known; unknown values are never terminal.
    pub fn known_status(&self) -> Option<ProjectStatus> {
        self.status.as_ref().and_then(|c| c.known)
    }

    /// Whether polling can slow down: the task has reached a state it never leaves.
    pub fn is_terminal(&self) -> bool {
        self.known_status().is_some_and(ProjectStatus::is_terminal)
    }

    /// Whether the task runs (also while modified, merged or alarming): rows and lag move.
    pub fn is_running(&self) -> bool {
        use ProjectStatus::*;
        // A `RUNNING_…` status this card does not know yet (OMS adds them: RUNNING_VERIFYING) runs too.
        let unknown_running = self.status.as_ref().is_some_and(|s| s.known.is_none() && s.raw.starts_with("RUNNING"));
        unknown_running || matches!(self.known_status(), Some(Running | RunningModifying | RunningMerging | RunningAlarming))
    }
}

impl Progress {
    /// Reads a `data` object; members it does not know are ignored. `None` for anything else.
    pub fn from_json<V: JsonValue>(data: &V) -> Option<Self> {
        let v: Vec<Loose> = data.fields(super::fields::PROGRESS)?.iter().map(JsonValue::loose).collect();
        fn code<K: KnownCode>(v: &Loose) -> Option<Code<K>> {
            v.non_blank_text().map(Code::new)
        }
        Some(Progress {
            project_id: v[0].non_blank_text(),
            status: code(&v[1]),
            alarm_level: code(&v[2]),
            current_step: code(&v[3]),
            schema: Stage { enabled: v[4].flag(), percent: v[5].number() },
            full: Stage { enabled: v[6].flag(), percent: v[7].number() },
            incremental: IncrementalStage { enabled: v[8].flag(), checkpoint: Checkpoint::from_loose(&v[9]) },
            reverse: IncrementalStage { enabled: v[10].flag(), checkpoint: Checkpoint::from_loose(&v[11]) },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oms::JsonValue;

    fn checkpoint(json: &str) -> Checkpoint {
        Checkpoint::from_loose(&serde_json::from_str::<serde_json::Value>(json).unwrap().loose())
    }

    #[test]
    fn checkpoints_in_every_shape() {
        assert_eq!(checkpoint("1689248064"), Checkpoint::Unix(1689248064));
        assert_eq!(checkpoint("\"1689248064\""), Checkpoint::Unix(1689248064));
        assert_eq!(checkpoint("\" 1689248064 \""), Checkpoint::Unix(1689248064));
        assert_eq!(checkpoint("1689248064.75"), Checkpoint::Unix(1689248064));
        assert_eq!(checkpoint("1689248064123"), Checkpoint::Unix(1689248064), "milliseconds");
        assert_eq!(checkpoint("\"100,30\""), Checkpoint::Raw("100,30".into()));
        assert_eq!(checkpoint("null"), Checkpoint::None);
        assert_eq!(checkpoint("0"), Checkpoint::None);
        assert_eq!(checkpoint("\"0\""), Checkpoint::None);
        assert_eq!(checkpoint("\"\""), Checkpoint::None);
        assert_eq!(checkpoint("true"), Checkpoint::None);
        assert_eq!(checkpoint("{\"a\":1}"), Checkpoint::None);
        assert_eq!(checkpoint("-5"), Checkpoint::Raw("-5".into()));
        assert_eq!(checkpoint("999999999999"), Checkpoint::Raw("999999999999".into()));
        assert_eq!(checkpoint("\"99999999999999999999\""), Checkpoint::Raw("99999999999999999999".into()));
    }

    #[test]
    fn stages_clamp_for_drawing_but_keep_what_came() {
        let s = Stage { enabled: Some(true), percent: Some(140.0) };
        assert_eq!((s.percent, s.clamped()), (Some(140.0), Some(100.0)));
        let s = Stage { enabled: None, percent: Some(-3.0) };
        assert_eq!(s.clamped(), Some(0.0));
        assert!(!s.is_disabled());
        assert!(Stage { enabled: Some(false), percent: None }.is_disabled());
    }

    #[test]
    fn disabled_incremental_stage_hides_its_checkpoint() {
        let stage = IncrementalStage { enabled: Some(false), checkpoint: Checkpoint::Unix(5) };
        assert_eq!(stage.visible_checkpoint(), &Checkpoint::None);
        let stage = IncrementalStage { enabled: None, checkpoint: Checkpoint::Unix(5) };
        assert_eq!(stage.visible_checkpoint(), &Checkpoint::Unix(5));
    }
}
