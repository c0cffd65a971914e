//! The task's story, computed from what OMS said and what this page saw over its polls: the step
//! timeline, rows and throughput, an honest ETA, lag measured on OMS's own clock, whether the
//! task can switch over, and where the lag is heading. Pure Rust, tested natively; the view only
//! writes it out.

use crate::model::constants::{CAUGHT_UP_SECONDS, RECENT_RATE_SECONDS, WORST_TABLES};
use crate::model::series::{OmsSeries, merged, recent_rate};
use crate::oms::{Progress, ProjectInfo, ProjectStatus, Step, StepStatus, TableDifference, TaskStep, Verification};
use std::borrow::Cow;
use std::collections::VecDeque;

/// Lag samples kept per task (at a 5 s interval: the last 5 minutes).
pub const LAG_SAMPLES: usize = 60;
/// Rows samples kept per task for the ETA (at a 5 s interval: the last 5 minutes).
pub const ROWS_SAMPLES: usize = 60;
/// The rate behind the ETA is the average over at most this long (ms) of samples.
pub const RATE_WINDOW_MS: f64 = 300_000.0;
/// A step whose rows have not moved for this long (ms) is stalled: no ETA.
pub const STALLED_MS: f64 = 30_000.0;
/// OMS samples checkpoints about every 10 s: a sample this old (s) means OMS has stopped
/// sampling.
pub const SAMPLING_STOPPED_SECONDS: u64 = 60;

/// What the page has seen of a task, shared by its feed (which records) and its cards (which
/// read): one per task, never copied.
pub type SharedHistory = std::sync::Arc<std::sync::Mutex<History>>;

/// What one page saw of a task over its polls: bounded, shared by every card of the task.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    /// The rows step, and its rows: (local ms, processed or percent), newest last.
    rows: Option<(String, VecDeque<(f64, f64)>)>,
    /// Lag: (ms, seconds), newest last; all of one source. The time is the viewer's for the
    /// viewer's lag, OMS's (when it sampled) for OMS's lag.
    lag: VecDeque<(f64, f64)>,
    lag_source: Option<LagSource>,
    /// OMS's latest checkpoint sample (unix s) and when this page first saw it (local ms).
    sample: Option<(i64, f64)>,
    /// How far the viewer's clock is ahead of OMS's (s), at most: the least of "first seen −
    /// sampled" over the samples seen (each was at least 0 s old when first seen).
    skew: Option<f64>,
    /// The latest estimate of the rows step's time left.
    estimate: Option<Estimate>,
    /// OMS's own series of the lag (DELAY of the incremental step) and of the rows step's write
    /// rate (RPS), as far as the card asked them.
    oms_lag: Option<OmsSeries>,
    oms_rate: Option<OmsSeries>,
    /// Samples kept of each kind, when not [`LAG_SAMPLES`] and [`ROWS_SAMPLES`].
    keep: Option<usize>,
}

/// An estimate of a step's time left, as made.
#[derive(Clone, Debug, PartialEq)]
struct Estimate {
    /// The step's raw name.
    step: String,
    /// When it was made (local ms).
    at: f64,
    /// Seconds left then.
    seconds: f64,
    /// How uncertain the rate behind it is (relative).
    noise: f64,
    /// Whose rate it is.
    basis: EtaBasis,
}

/// Which of OMS's series a card asks (`DescribeProjectStepMetric`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeriesKind {
    /// `DELAY` of the incremental step: the lag chart.
    Lag,
    /// `RPS` of the running full migration: the first ETA.
    Rate,
}

impl History {
    /// A history that keeps `samples` of each kind (a fleet's row needs a few intervals, not
    /// the minutes a card's chart shows).
    pub fn keeping(samples: usize) -> Self {
        History { keep: Some(samples.max(2)), ..History::default() }
    }

    /// Records what a refresh said at `now_ms` (local). `steps` is the latest steps answer, if
    /// any; `fresh_steps` whether it is new with this refresh.
    pub fn record(&mut self, now_ms: f64, progress: &Progress, steps: Option<&[TaskStep]>, fresh_steps: bool) {
        if let Some(sampled) = steps.and_then(incremental_step).and_then(|s| s.info.sampled)
            && self.sample.map(|(s, _)| s) != Some(sampled)
        {
            self.sample = Some((sampled, now_ms));
            let skew = now_ms / 1000.0 - sampled as f64;
            self.skew = Some(self.skew.map_or(skew, |s| s.min(skew)));
        }
        if let Some(lag) = lag_of(progress, steps) {
            if self.lag_source != Some(lag.source) {
                self.lag.clear(); // a trend of one measure only
                self.lag_source = Some(lag.source);
            }
            // OMS's lag once per sample, at its own time; the viewer's lag once per progress.
            let at = lag.sampled_at.map_or(now_ms, |s| s as f64 * 1000.0);
            let new = match lag.source {
                LagSource::Oms => self.lag.back().is_none_or(|(t, _)| at > *t),
                LagSource::Browser => !fresh_steps,
            };
            if new {
                push(&mut self.lag, (at, lag.seconds_at(now_ms) as f64), self.keep.unwrap_or(LAG_SAMPLES));
            }
        }
        // Rows move in the steps answer (the step's percent where it sends no rows).
        let moved = steps.and_then(rows_step).filter(|_| fresh_steps).and_then(|step| Some((step_key(step), step.info.processed.or(step.progress)?)));
        if let Some((key, x)) = moved {
            match &mut self.rows {
                Some((step, samples)) if *step == key => push(samples, (now_ms, x), self.keep.unwrap_or(ROWS_SAMPLES)),
                // Another step: its own rate.
                _ => self.rows = Some((key, VecDeque::from([(now_ms, x)]))),
            }
            if let Some(step) = steps.and_then(rows_step) {
                self.estimate(now_ms, step);
            }
        }
    }

    /// Takes OMS's series `kind` of `step` answered at `now_ms`; `steps` is the latest steps
    /// answer, whose rows step's estimate a new rate may make.
    pub fn record_series(&mut self, now_ms: f64, kind: SeriesKind, step: &str, points: &[(f64, f64)], steps: Option<&[TaskStep]>) {
        let held = match kind {
            SeriesKind::Lag => &mut self.oms_lag,
            SeriesKind::Rate => &mut self.oms_rate,
        };
        OmsSeries::take(held, step, points, now_ms / 1000.0);
        if let Some(step) = steps.and_then(rows_step).filter(|_| kind == SeriesKind::Rate) {
            self.estimate(now_ms, step);
        }
    }

    /// The samples of `step`'s rows, oldest first (none for another step).
    fn rows_of(&self, step: &TaskStep) -> Option<&VecDeque<(f64, f64)>> {
        self.rows.as_ref().filter(|(key, _)| *key == step_key(step)).map(|(_, samples)| samples)
    }

    /// A new estimate of `step`'s time left, from one of two rates: the one over this page's
    /// polls once it is sure enough to stand alone (enough intervals to know its own spread,
    /// and steady enough for one figure: it is the fresher), and from then on; else OMS's write
    /// rate of the last minutes (when the step counts rows), else the page's early one. It moves from the
    /// previous estimate (less the time since) by at most what the rate's own uncertainty
    /// allows, so the figure shown is calm when the rate only wobbles, and follows when it
    /// really changes.
    fn estimate(&mut self, now_ms: f64, step: &TaskStep) {
        let key = step_key(step);
        let left = done_and_total(step).filter(|(done, total)| total > done && *total > 0.0).map(|(done, total)| total - done);
        let page = self.rows_of(step).and_then(rate);
        // OMS's RPS is rows a second: no measure of a step that gives only its percent.
        let oms = self.oms_rate.as_ref().filter(|s| s.step == key && step.info.processed.is_some()).and_then(|s| recent_rate(&s.points, now_ms / 1000.0, RECENT_RATE_SECONDS as f64));
        let page_basis = if step.info.processed.is_some() { EtaBasis::PageRate } else { EtaBasis::Percent };
        // OMS's rate is for first sight: once the page's stood alone, a wobble does not bring
        // the older rate back.
        let page_stood = self.estimate.as_ref().is_some_and(|e| e.step == key && e.basis != EtaBasis::OmsRate);
        let chosen = match (page, oms) {
            // (A page rate of too few intervals is floored above that: EARLY_UNCERTAINTY.)
            (Some(page), _) if page.1 <= ETA_RANGE_ABOVE || page_stood => Some((page, page_basis)),
            (_, Some(oms)) => Some((oms, EtaBasis::OmsRate)),
            (page, None) => page.map(|page| (page, page_basis)),
        };
        let (Some(left), Some(((rate, noise), basis))) = (left, chosen) else {
            self.estimate = None;
            return;
        };
        let raw = left / rate;
        let seconds = match &self.estimate {
            Some(before) if before.step == key => {
                let expected = (before.seconds - (now_ms - before.at) / 1000.0).max(0.0);
                let band = raw * (2.0 * noise).max(MIN_ETA_MOVE);
                raw.clamp(expected - band, expected + band)
            }
            _ => raw,
        };
        self.estimate = Some(Estimate { step: key, at: now_ms, seconds, noise, basis });
    }

    /// The lag to chart: OMS's series followed by this page's samples, else the page's alone
    /// (not copied).
    fn lag_series(&self) -> (Cow<'_, VecDeque<(f64, f64)>>, Option<usize>) {
        match self.oms_lag.as_ref().filter(|s| !s.points.is_empty()) {
            Some(oms) => {
                let series = merged(&oms.points, &self.lag, oms.points.len() + LAG_SAMPLES);
                (Cow::Owned(series), Some(oms.points.len()))
            }
            None => (Cow::Borrowed(&self.lag), None),
        }
    }
}

/// An estimate may always move by this much (relative), however steady the rate.
const MIN_ETA_MOVE: f64 = 0.05;
/// Fewer intervals between samples than this say too little of how the rate varies ...
const MIN_INTERVALS: usize = 4;
/// ... so the rate is taken as this uncertain (relative).
const EARLY_UNCERTAINTY: f64 = 0.25;
/// Above this uncertainty of the rate (relative), the ETA is a range.
const ETA_RANGE_ABOVE: f64 = 0.2;

/// The rate of `samples` (units a second) and how uncertain it is (relative): the average over
/// the last [`RATE_WINDOW_MS`], or over its recent part when that really differs (by more than
/// three of its standard errors, and 10 %): a rate that only wobbles is averaged out, one that
/// changes is followed. The uncertainty is the standard error of that average.
fn rate(samples: &VecDeque<(f64, f64)>) -> Option<(f64, f64)> {
    let newest = samples.back()?.0;
    let window: Vec<(f64, f64)> = samples.iter().copied().filter(|(t, _)| newest - t <= RATE_WINDOW_MS).collect();
    let mut rates = Vec::with_capacity(window.len());
    for w in window.windows(2) {
        let dt = (w[1].0 - w[0].0) / 1000.0;
        if dt > 0.0 {
            rates.push(((w[1].1 - w[0].1) / dt).max(0.0));
        }
    }
    // Over samples `from..`: the average rate, and its relative standard error.
    let over = |from: usize| -> Option<(f64, f64)> {
        let (first, last) = (window[from], *window.last()?);
        let mean = (last.1 - first.1) / ((last.0 - first.0) / 1000.0);
        let part = &rates[from.min(rates.len())..];
        if !(mean > 0.0) || part.is_empty() {
            return None;
        }
        let spread = (part.iter().map(|r| (r - mean) * (r - mean)).sum::<f64>() / part.len() as f64).sqrt();
        // A handful of intervals cannot tell their own spread: uncertain, whatever they say.
        let floor = if part.len() < MIN_INTERVALS { EARLY_UNCERTAINTY } else { 0.0 };
        Some((mean, (spread / mean / (part.len() as f64).sqrt()).max(floor)))
    };
    let whole = over(0)?;
    let recent_from = window.len().saturating_sub((rates.len() / 4).max(3) + 1);
    if rates.len() >= 8 {
        if let Some(recent) = over(recent_from) {
            let differs = (recent.0 - whole.0).abs();
            if differs > 3.0 * recent.1 * recent.0 && differs > 0.1 * whole.0 {
                return Some(recent);
            }
        }
    }
    Some(whole)
}

/// The rows step's progress: its records and their estimated total, or without them its
/// percent of 100.
fn done_and_total(step: &TaskStep) -> Option<(f64, f64)> {
    match (step.info.processed, step.info.capacity) {
        (Some(done), Some(total)) => Some((done, total)),
        (None, _) => Some((step.progress?, 100.0)),
        (Some(_), None) => None, // no estimate of the total
    }
}

fn push<T>(queue: &mut VecDeque<T>, item: T, cap: usize) {
    if queue.len() == cap {
        queue.pop_front();
    }
    queue.push_back(item);
}

fn step_key(step: &TaskStep) -> String {
    step.name.as_ref().map(|c| c.raw.to_string()).unwrap_or_default()
}

/// One step of the timeline, as the card shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct StepRow {
    /// `name` as sent (the `data-step` hook).
    pub raw: String,
    /// The step's meaning, when known (for its label).
    pub step: Option<Step>,
    /// `status` as sent (`data-status`).
    pub status_raw: String,
    /// The status, when known (for its word).
    pub status: Option<StepStatus>,
    /// `progress`, percent as sent.
    pub progress: Option<f64>,
    /// Seconds from start to finish, to its failure, or to now while it runs.
    pub duration: Option<u64>,
    /// Whether the duration grows with the clock (the step runs, or is live or paused).
    pub ticking: bool,
    /// When it started (unix s).
    pub started: Option<i64>,
    /// A failed step's error.
    pub error: Option<StepErrorRow>,
}

/// A failed step's error, as the card shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepErrorRow {
    /// `errorCode`.
    pub code: Option<String>,
    /// `errorMsg`.
    pub message: Option<String>,
    /// Failing since (unix s).
    pub since: Option<i64>,
    /// What OMS proposes to do about it.
    pub proposal: Option<String>,
}

/// Rows, write rate and ETA of the full migration or verification.
#[derive(Clone, Debug, PartialEq)]
pub struct Rows {
    /// Which step (raw name).
    pub step: String,
    /// Its meaning, when known.
    pub known: Option<Step>,
    /// `processedRecords`.
    pub processed: Option<f64>,
    /// `capacity`, the estimated total.
    pub capacity: Option<f64>,
    /// `dstRps`.
    pub rps: Option<f64>,
    /// `dstRpsRef`.
    pub rps_ref: Option<f64>,
    /// Source reads, not target writes, are the bottleneck (`srcRt` > `dstRt`) while the step
    /// writes below OMS's reference rate.
    pub source_bound: bool,
    /// Time left, while there is an honest estimate.
    pub eta: Option<Eta>,
}

/// An estimate of the time left.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Eta {
    /// Seconds left, the best estimate (`data-seconds`).
    pub seconds: u64,
    /// The range the rate's noise allows, when it is wide.
    pub range: Option<(u64, u64)>,
    /// Whose rate it comes from (`data-basis`).
    pub basis: EtaBasis,
}

/// Whose rate an estimate divides the rows left by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EtaBasis {
    /// OMS's recent RPS series.
    OmsRate,
    /// The rows this page's polls saw move.
    PageRate,
    /// The step's percent this page's polls saw move (OMS gives no rows).
    Percent,
}

impl EtaBasis {
    /// The `data-basis` token.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OmsRate => "oms-rate",
            Self::PageRate => "page-rate",
            Self::Percent => "percent",
        }
    }
}

/// `seconds` rounded to what an estimate can know: to 5 s under a minute, to the minute under
/// ten, to five minutes under an hour, to the quarter hour under two, to the hour beyond.
pub fn calm(seconds: u64) -> u64 {
    let step = match seconds {
        0..60 => 5,
        60..600 => 60,
        600..3600 => 300,
        3600..7200 => 900,
        _ => 3600,
    };
    ((seconds + step / 2) / step * step).max(5)
}

/// Where the lag comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LagSource {
    /// `checkpointSampleTimestamp − incrTimestampCheckpoint`: OMS's clock on both sides.
    Oms,
    /// now − `incrSyncCheckpoint`: the viewer's clock against OMS's.
    Browser,
}

impl LagSource {
    /// The `data-source` token.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Oms => "oms",
            Self::Browser => "browser",
        }
    }
}

/// The incremental sync lag.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Lag {
    /// Seconds behind, never negative.
    pub seconds: u64,
    /// How it was measured.
    pub source: LagSource,
    /// For OMS's lag: when OMS took the sample (unix s, its clock).
    pub sampled_at: Option<i64>,
    /// For OMS's lag: when OMS took the sample on the viewer's clock (unix ms), as best this
    /// page can tell: never earlier than it was, so its age is never overstated.
    pub sampled_local_ms: Option<f64>,
    /// For the viewer's lag: the checkpoint (unix s), so the lag can grow with the clock.
    pub checkpoint: Option<i64>,
    /// OMS has stopped sampling: its sample is a minute old (on the viewer's clock).
    pub stalled: bool,
}

impl Lag {
    /// The lag at `now_ms`: OMS's as sampled; the viewer's now − checkpoint, never negative.
    pub fn seconds_at(&self, now_ms: f64) -> u64 {
        match self.checkpoint {
            Some(checkpoint) => ((now_ms / 1000.0).floor() as i64 - checkpoint).max(0) as u64,
            None => self.seconds,
        }
    }

    /// How long ago OMS took the sample, at `now_ms` (s).
    pub fn sampled_ago(&self, now_ms: f64) -> Option<u64> {
        self.sampled_local_ms.map(|at| ((now_ms - at) / 1000.0).max(0.0) as u64)
    }
}

/// A condition of switching over that is not met yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Blocker {
    /// Full migration has not finished.
    FullMigration,
    /// Full verification has not finished.
    FullVerification,
    /// Incremental sync is not running.
    IncrementalNotLive,
    /// The lag is above the caught-up threshold (seconds).
    Lag(u64),
    /// No lag is known yet.
    LagUnknown,
    /// OMS has stopped sampling the lag.
    SamplingStopped,
    /// Full verification found rows that differ (how many).
    Differences(u64),
    /// Full verification finished, but the proxy does not forward its result.
    VerificationUnknown,
    /// Full verification finished; a row of the list does not ask what it found, its card does.
    VerificationInCard,
    /// Not every answer that decides it has come yet (the steps, the alarms, the
    /// verification's result).
    Checking,
    /// An alarm is firing.
    AlarmFiring,
    /// The task, or one of its steps, failed.
    TaskFailed,
}

/// What OMS said of the task beyond its progress and steps.
#[derive(Clone, Copy, Debug, Default)]
pub struct Beyond<'a> {
    /// `DescribeProject`: its name, its firing alarm.
    pub project: Option<&'a ProjectInfo>,
    /// `ListProjectFullVerifyResult`.
    pub verification: Option<&'a Verification>,
    /// The proxy does not forward the verification result.
    pub verification_refused: bool,
    /// Answers that decide readiness are still on their way (the steps, the project).
    pub pending: bool,
    /// A row of the fleet's list: it knows what the list says, and asks nothing of its own (not
    /// the verification's result).
    pub listed: bool,
}

/// Full verification as the card shows it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VerificationView {
    /// The FULL_VERIFIER step's status as sent (`data-status`).
    pub status_raw: String,
    /// Its status, when known.
    pub status: Option<StepStatus>,
    /// Rows that differ in all (`data-differences`), once known.
    pub differences: Option<u64>,
    /// The tables with the most rows that differ, worst first.
    pub worst: Vec<TableDifference>,
    /// How many more tables differ.
    pub more: usize,
    /// The proxy does not forward the result.
    pub unavailable: bool,
    /// Shown in a row of the fleet's list, which does not ask the result.
    pub listed: bool,
}


/// Where the lag is heading over this page's polls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trend {
    /// Growing.
    Rising,
    /// About the same.
    Steady,
    /// Shrinking.
    Falling,
}

impl Trend {
    /// The `data-trend` token.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Rising => "rising",
            Self::Steady => "steady",
            Self::Falling => "falling",
        }
    }
}

/// The lag over OMS's series and this page's polls.
#[derive(Clone, Debug, PartialEq)]
pub struct LagTrend {
    /// OMS's points shown, when drawn from OMS's series (`data-source="oms"`, whose window
    /// is [`HISTORY_SECONDS`](crate::model::constants::HISTORY_SECONDS)); `None` when drawn from this page's samples alone.
    pub oms_points: Option<usize>,
    /// Points drawn.
    pub points: usize,
    /// The direction.
    pub trend: Trend,
    /// The first and the last lag (s), and the time between them (s).
    pub first: f64,
    /// See `first`.
    pub last: f64,
    /// See `first`.
    pub span: f64,
    /// The highest lag (s) of the samples.
    pub max: f64,
    /// The sparkline: an SVG path in a 100 × 24 box (higher lag, higher line).
    pub path: String,
}

/// The task's whole story at one moment.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Story {
    /// Every step, in order (empty without steps).
    pub steps: Vec<StepRow>,
    /// Rows of the running (else the last) full migration or verification.
    pub rows: Option<Rows>,
    /// The lag, by the best source at hand.
    pub lag: Option<Lag>,
    /// Readiness to switch over (only for tasks with incremental sync, not a data sync): what
    /// still blocks it.
    pub cutover: Option<Vec<Blocker>>,
    /// The lag over this page's polls, from three samples on.
    pub trend: Option<LagTrend>,
    /// Full verification, for a task with its step.
    pub verification: Option<VerificationView>,
    /// A data sync task, by its `type` or its connector steps: it never switches over.
    pub data_sync: bool,
}

impl Story {
    /// The story of `progress` and `steps` at `now_ms`, with what the page saw in `history` and
    /// what OMS said `beyond` them.
    pub fn new(progress: &Progress, steps: Option<&[TaskStep]>, history: &History, now_ms: f64, beyond: Beyond) -> Self {
        let lag = lag_of(progress, steps).map(|mut lag| {
            lag.seconds = lag.seconds_at(now_ms);
            if let Some(sampled) = lag.sampled_at {
                // On the viewer's clock: the sample's OMS time moved by the skew seen, or, before
                // any, when this page first saw it.
                let first_seen = history.sample.filter(|(s, _)| *s == sampled).map(|(_, at)| at);
                let shifted = history.skew.map(|skew| (sampled as f64 + skew) * 1000.0);
                lag.sampled_local_ms = shifted.or(first_seen).map(|at| at.min(now_ms));
                lag.stalled = lag.sampled_ago(now_ms).is_some_and(|ago| ago >= SAMPLING_STOPPED_SECONDS);
            }
            lag
        });
        let verification = steps.and_then(|steps| verification(steps, beyond));
        // A proxy may forward steps but not DescribeProject: the steps' names tell a data sync too.
        let data_sync = beyond.project.is_some_and(|p| p.data_sync)
            || steps.unwrap_or_default().iter().any(|s| s.name.as_ref().is_some_and(|n| Step::is_connector(&n.raw)));
        Story {
            steps: steps.unwrap_or_default().iter().map(|s| step_row(s, now_ms)).collect(),
            rows: steps.and_then(rows_step).map(|step| rows_of(step, history, now_ms)),
            cutover: if data_sync { None } else { cutover(progress, steps, lag, verification.as_ref(), beyond) },
            trend: {
                let (series, oms_points) = history.lag_series();
                trend(&series).map(|t| LagTrend { oms_points, ..t })
            },
            verification,
            lag,
            data_sync,
        }
    }
}

fn step_row(step: &TaskStep, now_ms: f64) -> StepRow {
    let status = step.known_status();
    let ticking = matches!(status, Some(StepStatus::Running | StepStatus::Monitoring | StepStatus::Suspend));
    // A failed step's time stops at its failure (OMS retries it by itself; the count does not
    // go on while it does).
    let stopped = if status == Some(StepStatus::Failed) { step.error.failed } else { None };
    let end = step.finished.or(stopped).or_else(|| ticking.then_some((now_ms / 1000.0) as i64));
    StepRow {
        raw: step_key(step),
        step: step.known_step(),
        status_raw: step.status.as_ref().map(|c| c.raw.to_string()).unwrap_or_default(),
        status,
        progress: step.progress,
        duration: step.started.zip(end).map(|(start, end)| (end - start).max(0) as u64),
        ticking: ticking && step.finished.is_none(),
        started: step.started,
        error: (status == Some(StepStatus::Failed) || step.error.message.is_some()).then(|| StepErrorRow {
            code: step.error.code.clone(),
            message: step.error.message.clone(),
            since: step.error.failed,
            proposal: step.error.proposal.clone(),
        }),
    }
}

/// Full verification, for a task with its step: its status and what it found.
fn verification(steps: &[TaskStep], beyond: Beyond) -> Option<VerificationView> {
    let step = steps.iter().rfind(|s| s.known_step() == Some(Step::FullVerification))?;
    let status = step.known_status();
    let mut tables = beyond.verification.map(|v| v.tables.clone()).unwrap_or_default();
    tables.sort_by(|a, b| b.total().cmp(&a.total()));
    let worst = WORST_TABLES as usize;
    let more = tables.len().saturating_sub(worst);
    tables.truncate(worst);
    Some(VerificationView {
        status_raw: step.status.as_ref().map(|c| c.raw.to_string()).unwrap_or_default(),
        status,
        differences: beyond.verification.and_then(|v| v.differences),
        worst: tables,
        more,
        unavailable: beyond.verification_refused,
        listed: beyond.listed,
    })
}

fn is_rows_step(step: &TaskStep) -> bool {
    matches!(step.known_step(), Some(Step::FullMigration | Step::FullSync | Step::FullVerification))
}

/// The running full migration or verification, else the last one that started, else the last.
fn rows_step(steps: &[TaskStep]) -> Option<&TaskStep> {
    let candidates = || steps.iter().filter(|s| is_rows_step(s));
    candidates()
        .rfind(|s| s.known_status() == Some(StepStatus::Running))
        .or_else(|| candidates().rfind(|s| s.known_status().is_some_and(|st| st != StepStatus::Init)))
        .or_else(|| candidates().next_back())
}

/// Whether the task failed: `Some` with its failed step (the first of them), or `Some(None)` for
/// a status of FAILED that no step explains; `None` when nothing failed.
pub(crate) fn failure_of(status: Option<ProjectStatus>, steps: &[TaskStep]) -> Option<Option<&TaskStep>> {
    match steps.iter().find(|s| s.known_status() == Some(StepStatus::Failed)) {
        Some(step) => Some(Some(step)),
        None => (status == Some(ProjectStatus::Failed)).then_some(None),
    }
}

fn incremental_step(steps: &[TaskStep]) -> Option<&TaskStep> {
    steps.iter().find(|s| s.known_step() == Some(Step::IncrSync))
}

fn rows_of(step: &TaskStep, history: &History, now_ms: f64) -> Rows {
    let info = *step.info;
    let running = step.known_status() == Some(StepStatus::Running);
    Rows {
        step: step_key(step),
        known: step.known_step(),
        processed: info.processed,
        capacity: info.capacity,
        // A rate is for a step that runs: a finished or failed one writes nothing.
        rps: info.dst_rps.filter(|_| running),
        rps_ref: info.dst_rps_ref.filter(|_| running),
        source_bound: running
            && matches!((info.src_rt, info.dst_rt), (Some(src), Some(dst)) if src > dst && dst > 0.0)
            && matches!((info.dst_rps, info.dst_rps_ref), (Some(rate), Some(reference)) if rate < reference),
        eta: running.then(|| eta(step, history, now_ms)).flatten(),
    }
}

/// Time left for `step`: the estimate of it (see `History::estimate`), less the time since it
/// was made. `None` before OMS's rate or two samples of the page, while stalled (the page saw
/// nothing move lately), when the total is unknown or already exceeded.
pub fn eta(step: &TaskStep, history: &History, now_ms: f64) -> Option<Eta> {
    let (done, total) = done_and_total(step)?;
    let key = step_key(step);
    let samples = history.rows_of(step)?;
    let estimate = history.estimate.as_ref().filter(|e| e.step == key)?;
    if total <= 0.0 || done >= total || (samples.len() < 2 && estimate.basis != EtaBasis::OmsRate) {
        return None;
    }
    if samples.len() >= 2 {
        let last_move = samples.iter().zip(samples.iter().skip(1)).rev().find(|(a, b)| b.1 > a.1).map_or(samples[0].0, |(_, b)| b.0);
        if now_ms - last_move > STALLED_MS {
            return None;
        }
    }
    let (left, noise) = ((estimate.seconds - (now_ms - estimate.at) / 1000.0).max(0.0), estimate.noise);
    let range = (noise > ETA_RANGE_ABOVE).then(|| ((left / (1.0 + noise)).round() as u64, (left / (1.0 - noise.min(0.8))).round() as u64));
    Some(Eta { seconds: left.round() as u64, range, basis: estimate.basis })
}

/// The lag from OMS's own clock when the steps have both timestamps, else from the viewer's
/// (its `seconds` then come from [`Lag::seconds_at`]).
fn lag_of(progress: &Progress, steps: Option<&[TaskStep]>) -> Option<Lag> {
    let oms = steps.and_then(incremental_step).and_then(|s| Some((s.info.checkpoint?, s.info.sampled?)));
    let lag = Lag { seconds: 0, source: LagSource::Oms, sampled_at: None, sampled_local_ms: None, checkpoint: None, stalled: false };
    match oms {
        Some((checkpoint, sampled)) => Some(Lag { seconds: (sampled - checkpoint).max(0) as u64, sampled_at: Some(sampled), ..lag }),
        None => match progress.incremental.visible_checkpoint() {
            crate::oms::Checkpoint::Unix(checkpoint) => Some(Lag { source: LagSource::Browser, checkpoint: Some(*checkpoint), ..lag }),
            _ => None,
        },
    }
}

/// What still stands between the task and switching over; `None` for a task without incremental
/// sync. Ready when the list is empty: nothing failed; full migration finished; full verification
/// finished and found no difference, or off; incremental sync live (MONITORING or RUNNING, the
/// task neither paused nor over) with a lag of at most [`CAUGHT_UP_SECONDS`]; no alarm firing.
fn cutover(progress: &Progress, steps: Option<&[TaskStep]>, lag: Option<Lag>, verification: Option<&VerificationView>, beyond: Beyond) -> Option<Vec<Blocker>> {
    let steps = steps.unwrap_or_default();
    let incremental = incremental_step(steps);
    if progress.incremental.enabled != Some(true) && incremental.is_none() {
        return None;
    }
    let finished = |s: &TaskStep| s.known_status() == Some(StepStatus::Finished);
    let of = |step| steps.iter().filter(move |s| s.known_step() == Some(step));
    let mut blockers = Vec::new();
    if beyond.pending {
        blockers.push(Blocker::Checking);
    }
    // A failure anywhere (the task, or any step: a reverse sync that stopped) is one to mend first.
    let status = progress.known_status();
    if failure_of(status, steps).is_some() {
        blockers.push(Blocker::TaskFailed);
    }
    let full_done = match steps.iter().rfind(|s| s.known_step().is_some_and(Step::is_full_copy)) {
        Some(step) => finished(step),
        None => progress.full.is_disabled() || progress.full.percent.is_some_and(|p| p >= 100.0),
    };
    if !full_done {
        blockers.push(Blocker::FullMigration);
    }
    if !of(Step::FullVerification).all(finished) {
        blockers.push(Blocker::FullVerification);
    } else if steps.is_empty() && beyond.project.is_some_and(|p| p.full_verify == Some(true)) {
        // OMS says the task verifies, and without its steps the card cannot tell what it found.
        blockers.push(Blocker::VerificationUnknown);
    } else if let Some(found) = verification {
        // Finished: equal only when OMS says so.
        match found.differences {
            _ if found.unavailable => blockers.push(Blocker::VerificationUnknown),
            Some(0) => {}
            Some(rows) => blockers.push(Blocker::Differences(rows)),
            None if beyond.listed => blockers.push(Blocker::VerificationInCard),
            None if !blockers.contains(&Blocker::Checking) => blockers.push(Blocker::Checking),
            None => {}
        }
    }
    // A task that is paused, failed or over does not sync, whatever its step last reported.
    let stopped = status.is_some_and(|s| s.is_terminal() || matches!(s, ProjectStatus::Suspend | ProjectStatus::Failed | ProjectStatus::Releasing));
    let live = !stopped
        && match incremental {
            Some(step) => matches!(step.known_status(), Some(StepStatus::Monitoring | StepStatus::Running)),
            None => progress.current_step.as_ref().and_then(|c| c.known) == Some(Step::IncrSync),
        };
    if !live {
        blockers.push(Blocker::IncrementalNotLive);
    }
    match lag {
        Some(lag) if lag.stalled => blockers.push(Blocker::SamplingStopped),
        Some(lag) if lag.seconds > CAUGHT_UP_SECONDS => blockers.push(Blocker::Lag(lag.seconds)),
        Some(_) => {}
        None => blockers.push(Blocker::LagUnknown),
    }
    if beyond.project.is_some_and(|p| p.alarm.is_some()) {
        blockers.push(Blocker::AlarmFiring);
    }
    Some(blockers)
}

/// The direction of the lag samples (least squares over all of them), from three samples on:
/// rising or falling when the fit moves by at least 5 s overall and 6 s a minute over five
/// minutes (so an hour of OMS's series rises from 30 s an hour).
fn trend(samples: &VecDeque<(f64, f64)>) -> Option<LagTrend> {
    if samples.len() < 3 {
        return None;
    }
    let (t0, _) = samples[0];
    let n = samples.len() as f64;
    let xs = samples.iter().map(|(t, _)| (t - t0) / 1000.0);
    let mean_x = xs.clone().sum::<f64>() / n;
    let mean_y = samples.iter().map(|(_, y)| y).sum::<f64>() / n;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for ((_, y), x) in samples.iter().zip(xs) {
        sxy += (x - mean_x) * (y - mean_y);
        sxx += (x - mean_x) * (x - mean_x);
    }
    let slope = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    let (first, last) = (samples[0].1, samples[samples.len() - 1].1);
    let span = (samples[samples.len() - 1].0 - t0) / 1000.0;
    let change = slope * span;
    let needed = (0.1 * span.min(300.0)).max(5.0);
    let trend = if change >= needed {
        Trend::Rising
    } else if change <= -needed {
        Trend::Falling
    } else {
        Trend::Steady
    };
    let max = samples.iter().map(|(_, y)| *y).fold(0.0, f64::max);
    Some(LagTrend { oms_points: None, points: samples.len(), trend, first, last, span, max, path: sparkline(samples) })
}

/// The samples as an SVG path in a 100 × 24 box, leaving a pixel at the top and bottom; the
/// scale starts at 0 and reaches at least the caught-up threshold, so a small wobble stays flat.
fn sparkline(samples: &VecDeque<(f64, f64)>) -> String {
    let (t0, t1) = (samples[0].0, samples[samples.len() - 1].0);
    let top = samples.iter().map(|(_, y)| *y).fold(CAUGHT_UP_SECONDS as f64, f64::max);
    let mut path = String::with_capacity(samples.len() * 10);
    for (i, (t, y)) in samples.iter().enumerate() {
        let x = if t1 > t0 { (t - t0) / (t1 - t0) * 100.0 } else { 100.0 * i as f64 / (samples.len() - 1) as f64 };
        let y = 23.0 - y / top * 22.0;
        path.push(if i == 0 { 'M' } else { 'L' });
        path.push_str(&crate::oms::decimal(x.round() as i64));
        path.push(' ');
        path.push_str(&crate::oms::decimal(y.round() as i64));
    }
    path
}

#[cfg(test)]
mod tests;
