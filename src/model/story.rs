//! The task's story, computed from what OMS said and what this page saw over its polls: the step
//! timeline, rows and throughput, an honest ETA, lag measured on OMS's own clock, whether the
//! task can switch over, and where the lag is heading. Pure Rust, tested natively; the view only
//! writes it out.

use crate::model::latency::CAUGHT_UP_SECONDS;
use crate::oms::{Progress, Step, StepStatus, TaskStep};
use std::collections::VecDeque;

/// Lag samples kept per task (at a 5 s interval: the last 5 minutes).
pub const LAG_SAMPLES: usize = 60;
/// Rows samples kept per task for the ETA.
pub const ROWS_SAMPLES: usize = 12;
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
    /// Rows of the rows step: (local ms, step name, processed or percent), newest last.
    rows: VecDeque<(f64, String, f64)>,
    /// Lag: (ms, seconds), newest last; all of one source. The time is the viewer's for the
    /// viewer's lag, OMS's (when it sampled) for OMS's lag.
    lag: VecDeque<(f64, f64)>,
    lag_source: Option<LagSource>,
    /// OMS's latest checkpoint sample (unix s) and when this page first saw it (local ms).
    sample: Option<(i64, f64)>,
    /// How far the viewer's clock is ahead of OMS's (s), at most: the least of "first seen −
    /// sampled" over the samples seen (each was at least 0 s old when first seen).
    skew: Option<f64>,
}

impl History {
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
                push(&mut self.lag, (at, lag.seconds_at(now_ms) as f64), LAG_SAMPLES);
            }
        }
        // Rows move in the steps answer (the step's percent where it sends no rows).
        let moved = steps.and_then(rows_step).filter(|_| fresh_steps).and_then(|step| Some((step_key(step), step.info.processed.or(step.progress)?)));
        if let Some((key, x)) = moved {
            if self.rows.back().is_some_and(|(_, k, _)| *k != key) {
                self.rows.clear(); // another step: its own rate
            }
            push(&mut self.rows, (now_ms, key, x), ROWS_SAMPLES);
        }
    }
}

fn push<T>(queue: &mut VecDeque<T>, item: T, cap: usize) {
    if queue.len() == cap {
        queue.pop_front();
    }
    queue.push_back(item);
}

fn step_key(step: &TaskStep) -> String {
    step.name.as_ref().map(|c| c.raw.clone()).unwrap_or_default()
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
    /// Seconds from start to finish, or to now while it runs.
    pub duration: Option<u64>,
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
    /// Source reads, not target writes, are the bottleneck (`srcRt` > `dstRt`).
    pub source_bound: bool,
    /// Seconds left, while there is an honest estimate.
    pub eta: Option<u64>,
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

/// The lag over this page's polls.
#[derive(Clone, Debug, PartialEq)]
pub struct LagTrend {
    /// Samples held.
    pub points: usize,
    /// The direction.
    pub trend: Trend,
    /// The first and the last lag (s), and the time between them (s).
    pub first: f64,
    /// See `first`.
    pub last: f64,
    /// See `first`.
    pub span: f64,
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
    /// Readiness to switch over (only for tasks with incremental sync): what still blocks it.
    pub cutover: Option<Vec<Blocker>>,
    /// The lag over this page's polls, from three samples on.
    pub trend: Option<LagTrend>,
}

impl Story {
    /// The story of `progress` and `steps` at `now_ms`, with what the page saw in `history`.
    pub fn new(progress: &Progress, steps: Option<&[TaskStep]>, history: &History, now_ms: f64) -> Self {
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
        Story {
            steps: steps.unwrap_or_default().iter().map(|s| step_row(s, now_ms)).collect(),
            rows: steps.and_then(rows_step).map(|step| rows_of(step, history, now_ms)),
            cutover: cutover(progress, steps, lag),
            trend: trend(&history.lag),
            lag,
        }
    }
}

fn step_row(step: &TaskStep, now_ms: f64) -> StepRow {
    let status = step.known_status();
    let running = matches!(status, Some(StepStatus::Running | StepStatus::Monitoring | StepStatus::Failed | StepStatus::Suspend));
    let end = step.finished.or_else(|| running.then_some((now_ms / 1000.0) as i64));
    StepRow {
        raw: step_key(step),
        step: step.known_step(),
        status_raw: step.status.as_ref().map(|c| c.raw.clone()).unwrap_or_default(),
        status,
        progress: step.progress,
        duration: step.started.zip(end).map(|(start, end)| (end - start).max(0) as u64),
        started: step.started,
        error: (status == Some(StepStatus::Failed) || step.error.message.is_some()).then(|| StepErrorRow {
            code: step.error.code.clone(),
            message: step.error.message.clone(),
            since: step.error.failed,
        }),
    }
}

fn is_rows_step(step: &TaskStep) -> bool {
    matches!(step.known_step(), Some(Step::FullMigration | Step::FullVerification))
}

/// The running full migration or verification, else the last one that started, else the last.
fn rows_step(steps: &[TaskStep]) -> Option<&TaskStep> {
    let candidates = || steps.iter().filter(|s| is_rows_step(s));
    candidates()
        .rfind(|s| s.known_status() == Some(StepStatus::Running))
        .or_else(|| candidates().rfind(|s| s.known_status().is_some_and(|st| st != StepStatus::Init)))
        .or_else(|| candidates().next_back())
}

fn incremental_step(steps: &[TaskStep]) -> Option<&TaskStep> {
    steps.iter().find(|s| s.known_step() == Some(Step::IncrSync))
}

fn rows_of(step: &TaskStep, history: &History, now_ms: f64) -> Rows {
    let info = step.info;
    Rows {
        step: step_key(step),
        known: step.known_step(),
        processed: info.processed,
        capacity: info.capacity,
        rps: info.dst_rps,
        rps_ref: info.dst_rps_ref,
        source_bound: matches!((info.src_rt, info.dst_rt), (Some(src), Some(dst)) if src > dst && dst > 0.0),
        eta: (step.known_status() == Some(StepStatus::Running)).then(|| eta(step, history, now_ms)).flatten(),
    }
}

/// Seconds left for `step`, from how fast its rows (or, without them, its percent) moved over
/// this page's polls: a smoothed rate, never an extrapolation from the start of the task.
/// `None` before two samples, while stalled, when the total is unknown or already exceeded.
pub fn eta(step: &TaskStep, history: &History, now_ms: f64) -> Option<u64> {
    let (done, total) = match (step.info.processed, step.info.capacity) {
        (Some(done), Some(total)) => (done, total),
        (None, _) => (step.progress?, 100.0), // no rows: the step's percent
        (Some(_), None) => return None,      // no estimate of the total
    };
    let key = step_key(step);
    let samples: Vec<(f64, f64)> = history.rows.iter().filter(|(_, k, _)| *k == key).map(|(t, _, x)| (*t, *x)).collect();
    if total <= 0.0 || done >= total || samples.len() < 2 {
        return None;
    }
    // Stalled: nothing moved lately.
    let last_move = samples.windows(2).rev().find(|w| w[1].1 > w[0].1).map(|w| w[1].0)?;
    if now_ms - last_move > STALLED_MS {
        return None;
    }
    // An exponentially weighted rate over the intervals between polls, newest weighing most.
    let mut rate: Option<f64> = None;
    for w in samples.windows(2) {
        let dt = (w[1].0 - w[0].0) / 1000.0;
        if dt <= 0.0 {
            continue;
        }
        let r = ((w[1].1 - w[0].1) / dt).max(0.0);
        rate = Some(rate.map_or(r, |old| 0.6 * old + 0.4 * r));
    }
    let rate = rate.filter(|r| *r > 0.0)?;
    Some(((total - done) / rate).round() as u64)
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
/// sync. Ready when the list is empty: full migration finished, full verification finished or
/// off, incremental sync live (MONITORING or RUNNING) with a lag of at most [`CAUGHT_UP_SECONDS`].
fn cutover(progress: &Progress, steps: Option<&[TaskStep]>, lag: Option<Lag>) -> Option<Vec<Blocker>> {
    let steps = steps.unwrap_or_default();
    let incremental = incremental_step(steps);
    if progress.incremental.enabled != Some(true) && incremental.is_none() {
        return None;
    }
    let finished = |s: &TaskStep| s.known_status() == Some(StepStatus::Finished);
    let of = |step| steps.iter().filter(move |s| s.known_step() == Some(step));
    let mut blockers = Vec::new();
    let full_done = match of(Step::FullMigration).next_back() {
        Some(step) => finished(step),
        None => progress.full.is_disabled() || progress.full.percent.is_some_and(|p| p >= 100.0),
    };
    if !full_done {
        blockers.push(Blocker::FullMigration);
    }
    if !of(Step::FullVerification).all(finished) {
        blockers.push(Blocker::FullVerification);
    }
    let live = match incremental {
        Some(step) => matches!(step.known_status(), Some(StepStatus::Monitoring | StepStatus::Running)),
        None => progress.current_step.as_ref().and_then(|c| c.known) == Some(Step::IncrSync) && !progress.is_terminal(),
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
    Some(blockers)
}

/// The direction of the lag samples (least squares), from three samples on: rising or falling
/// when it moves at least 6 s a minute and by at least 5 s overall.
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
    let trend = if slope >= 0.1 && change >= 5.0 {
        Trend::Rising
    } else if slope <= -0.1 && change <= -5.0 {
        Trend::Falling
    } else {
        Trend::Steady
    };
    Some(LagTrend { points: samples.len(), trend, first, last, span, path: sparkline(samples) })
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
