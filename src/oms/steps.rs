//! `data` of a `DescribeProjectSteps` answer: every step of the task, as domain types.
//! docs/oms-api.md lists the fields; real servers send them partial, null, or `{}`.

use super::codes::{Code, KnownCode, Step};
use super::loose::{JsonValue, Loose};

/// The status of one step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StepStatus {
    /// Not started.
    Init,
    /// Under way.
    Running,
    /// Failed (OMS may retry it by itself).
    Failed,
    /// Done.
    Finished,
    /// Paused.
    Suspend,
    /// An incremental step that is live: it never finishes, its progress may read 100.
    Monitoring,
}

impl KnownCode for StepStatus {
    const TABLE: &'static [(&'static str, Self)] = &[
        ("INIT", Self::Init),
        ("RUNNING", Self::Running),
        ("FAILED", Self::Failed),
        ("FINISHED", Self::Finished),
        ("SUSPEND", Self::Suspend),
        ("MONITORING", Self::Monitoring),
    ];
}

/// One step of the task.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TaskStep {
    /// `order`: where the step stands (numbers may skip).
    pub order: Option<f64>,
    /// `name`: raw, and recognised when it is a known step.
    pub name: Option<Code<Step>>,
    /// `status`: raw, and recognised when known.
    pub status: Option<Code<StepStatus>>,
    /// `progress`, percent as sent.
    pub progress: Option<f64>,
    /// `startTime`, unix seconds (OMS sends UTC without an offset).
    pub started: Option<i64>,
    /// `finishTime`, unix seconds.
    pub finished: Option<i64>,
    /// `extraInfo`: the error of a failed step.
    pub error: Sparse<StepError>,
    /// `stepInfo`: records, rates and checkpoints.
    pub info: Sparse<StepInfo>,
}

/// A part of a step that many steps lack (no error, no records): read as the part itself
/// (`step.info.processed`), held on the heap only when it says something. A fleet holds
/// thousands of steps; inline, these two parts were two thirds of each.
#[derive(Clone, Debug, Default)]
pub struct Sparse<T: 'static>(Option<Box<T>>);

/// Equal when they read alike: a part written empty is the part missing.
impl<T: Empty> PartialEq for Sparse<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

/// A part with nothing in it, shared by every step that lacks the part.
pub trait Empty: Clone + PartialEq + 'static {
    /// The part with every field missing.
    fn empty() -> &'static Self;
}

impl<T: Empty> From<T> for Sparse<T> {
    fn from(part: T) -> Self {
        Sparse((&part != T::empty()).then(|| Box::new(part)))
    }
}

impl<T: Empty> std::ops::Deref for Sparse<T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.0.as_deref().unwrap_or(T::empty())
    }
}

/// Writing to a missing part gives the step its own (tests build steps this way).
impl<T: Empty> std::ops::DerefMut for Sparse<T> {
    fn deref_mut(&mut self) -> &mut T {
        self.0.get_or_insert_with(|| Box::new(T::empty().clone()))
    }
}

impl Empty for StepError {
    fn empty() -> &'static Self {
        static EMPTY: StepError = StepError { code: None, message: None, failed: None, proposal: None };
        &EMPTY
    }
}

impl Empty for StepInfo {
    fn empty() -> &'static Self {
        static EMPTY: StepInfo = StepInfo {
            processed: None,
            capacity: None,
            src_rps: None,
            dst_rps: None,
            dst_rps_ref: None,
            src_rt: None,
            dst_rt: None,
            checkpoint: None,
            sampled: None,
        };
        &EMPTY
    }
}

/// `extraInfo` of a step.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StepError {
    /// `errorCode` (else the first of `errorDetails`).
    pub code: Option<String>,
    /// `errorMsg` (else the first of `errorDetails`).
    pub message: Option<String>,
    /// `failedTime`, unix seconds.
    pub failed: Option<i64>,
    /// What OMS proposes (`errorDetails[0].proposal`).
    pub proposal: Option<String>,
}

/// `stepInfo` of a step: what it has moved, how fast, and for incremental steps how far.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StepInfo {
    /// `processedRecords`.
    pub processed: Option<f64>,
    /// `capacity`: the estimated total of records.
    pub capacity: Option<f64>,
    /// `srcRps`: records read per second.
    pub src_rps: Option<f64>,
    /// `dstRps`: records written per second.
    pub dst_rps: Option<f64>,
    /// `dstRpsRef`: OMS's reference write rate.
    pub dst_rps_ref: Option<f64>,
    /// `srcRt`: ms per record read.
    pub src_rt: Option<f64>,
    /// `dstRt`: ms per record written.
    pub dst_rt: Option<f64>,
    /// `incrTimestampCheckpoint`: unix seconds on OMS's clock.
    pub checkpoint: Option<i64>,
    /// `checkpointSampleTimestamp`: when OMS sampled the checkpoint, unix seconds on its clock.
    pub sampled: Option<i64>,
}

/// The most steps read of a task. OMS names about twenty-five kinds of step and a task runs a
/// dozen; an answer with more is broken or hostile, and its first items are all that is read
/// (a megabyte of steps in reverse order once took seconds to sort, and its memory stayed).
pub const MAX_STEPS: usize = 64;

/// Reads the `data` of a `DescribeProjectSteps` answer: an array of steps, returned in `order`
/// (steps without an order last, in the order they came), at most [`MAX_STEPS`]. Items that are
/// not objects are skipped.
pub fn read_steps<V: JsonValue>(data: &V) -> Option<Vec<TaskStep>> {
    let mut steps: Vec<TaskStep> = Vec::new();
    for item in data.items()?.iter().take(MAX_STEPS) {
        let Some(step) = TaskStep::from_json(item) else { continue };
        // Insertion in order (a task has a handful of steps; a general sort weighs more in wasm).
        let key = |s: &TaskStep| s.order.unwrap_or(f64::MAX);
        let at = steps.iter().rposition(|s| key(s) <= key(&step)).map_or(0, |i| i + 1);
        steps.insert(at, step);
    }
    // Kept for as long as the task is shown (a fleet holds a thousand): no room to spare.
    steps.shrink_to_fit();
    Some(steps)
}

impl TaskStep {
    fn from_json<V: JsonValue>(item: &V) -> Option<Self> {
        let [order, name, status, progress, start, finish, extra, info] =
            <[V; 8]>::try_from(item.fields(super::fields::STEP)?).ok()?;
        Some(TaskStep {
            order: order.loose().number(),
            name: name.loose().non_blank_text().map(Code::new),
            status: status.loose().non_blank_text().map(Code::new),
            progress: progress.loose().number(),
            started: oms_time(&start.loose()),
            finished: oms_time(&finish.loose()),
            error: StepError::from_json(&extra).into(),
            info: StepInfo::from_json(&info).into(),
        })
    }

    /// The step's status, if known.
    pub fn known_status(&self) -> Option<StepStatus> {
        self.status.as_ref().and_then(|c| c.known)
    }

    /// The step's meaning, if its name is a known step.
    pub fn known_step(&self) -> Option<Step> {
        self.name.as_ref().and_then(|c| c.known)
    }
}

impl StepError {
    fn from_json<V: JsonValue>(value: &V) -> Self {
        let Some([code, message, failed, details]) = value.fields(super::fields::STEP_ERROR).and_then(|f| <[V; 4]>::try_from(f).ok()) else {
            return StepError::default();
        };
        // The first detail stands in for a missing code or message.
        let first = details.items().and_then(|items| items.into_iter().next()).and_then(|d| d.fields(super::fields::STEP_ERROR_DETAIL));
        let detail = |i: usize| first.as_ref().and_then(|f| f[i].loose().non_blank_text());
        StepError {
            code: code.loose().non_blank_text().or_else(|| detail(0)),
            message: message.loose().non_blank_text().or_else(|| detail(1)),
            failed: oms_time(&failed.loose()),
            proposal: detail(2),
        }
    }
}

impl StepInfo {
    fn from_json<V: JsonValue>(value: &V) -> Self {
        let Some(v) = value.fields(super::fields::STEP_INFO) else { return StepInfo::default() };
        let v: Vec<Loose> = v.iter().map(JsonValue::loose).collect();
        let number = |i: usize| v[i].number().filter(|n| *n >= 0.0);
        StepInfo {
            processed: number(0),
            capacity: number(1),
            src_rps: number(2),
            dst_rps: number(3),
            dst_rps_ref: number(4),
            src_rt: number(5),
            dst_rt: number(6),
            checkpoint: unix_seconds(&v[7]),
            sampled: unix_seconds(&v[8]),
        }
    }
}

/// A unix timestamp in seconds (or milliseconds), positive.
fn unix_seconds(value: &Loose) -> Option<i64> {
    match super::progress::Checkpoint::from_loose(value) {
        super::progress::Checkpoint::Unix(seconds) => Some(seconds),
        _ => None,
    }
}

/// An OMS time: `2023-05-31T04:08:42` (UTC without an offset), also with a space, fractions
/// of a second or a `Z`; or a unix timestamp.
fn oms_time(value: &Loose) -> Option<i64> {
    match value {
        Loose::Text(text) => crate::oms::time::parse_utc(text),
        other => unix_seconds(other),
    }
}
