//! The story's rules: timeline, ETA with noisy and stalled samples, lag that clock skew cannot
//! fake, cutover readiness, the trend.

use super::*;
use crate::oms::{Checkpoint, Code, IncrementalStage, Stage, StepInfo};

fn step(name: &str, status: &str) -> TaskStep {
    TaskStep { name: Some(Code::new(name)), status: Some(Code::new(status)), ..TaskStep::default() }
}

fn full(processed: f64, capacity: Option<f64>) -> TaskStep {
    TaskStep { info: StepInfo { processed: Some(processed), capacity, dst_rps: Some(10_000.0), ..StepInfo::default() }.into(), ..step("FULL_TRANSFER", "RUNNING") }
}

fn incr(checkpoint: i64, sampled: i64) -> TaskStep {
    TaskStep { info: StepInfo { checkpoint: Some(checkpoint), sampled: Some(sampled), ..StepInfo::default() }.into(), ..step("INCR_TRANSFER", "MONITORING") }
}

fn progress_with_incr(checkpoint: i64) -> Progress {
    Progress {
        incremental: IncrementalStage { enabled: Some(true), checkpoint: Checkpoint::Unix(checkpoint) },
        full: Stage { enabled: Some(true), percent: Some(100.0) },
        current_step: Some(Code::new("INCR_TRANSFER")),
        status: Some(Code::new("RUNNING")),
        ..Progress::default()
    }
}

/// A history of the rows step fed at `times` (s) with `processed`.
fn rows_history(samples: &[(f64, f64)], capacity: f64) -> History {
    let mut history = History::default();
    for (t, processed) in samples {
        history.record(t * 1000.0, &Progress::default(), Some(&[full(*processed, Some(capacity))]), true);
    }
    history
}

#[test]
fn the_timeline_keeps_order_status_durations_and_errors() {
    let mut failed = TaskStep { started: Some(1_000), progress: Some(63.0), ..step("FULL_TRANSFER", "FAILED") };
    failed.error = crate::oms::StepError { code: Some("E1".into()), message: Some("duplicate key".into()), failed: Some(1_500), proposal: None }.into();
    let steps = [
        TaskStep { started: Some(100), finished: Some(400), ..step("STRUCT_TRANSFER", "FINISHED") },
        failed,
        TaskStep { started: Some(2_000), progress: Some(100.0), ..step("INCR_TRANSFER", "MONITORING") },
        step("WARP_DRIVE", "ENGAGED"),
    ];
    let story = Story::new(&Progress::default(), Some(&steps), &History::default(), 3_000_000.0, Beyond::default());
    let rows = &story.steps;
    assert_eq!(rows.len(), 4);
    assert_eq!((rows[0].duration, rows[0].status), (Some(300), Some(StepStatus::Finished)));
    assert_eq!((rows[1].duration, rows[1].ticking), (Some(500), false), "a failed step's time stops at its failure");
    assert_eq!(rows[1].error, Some(StepErrorRow { code: Some("E1".into()), message: Some("duplicate key".into()), since: Some(1_500), proposal: None }));
    assert_eq!((rows[2].status, rows[2].progress, rows[2].duration), (Some(StepStatus::Monitoring), Some(100.0), Some(1_000)));
    assert_eq!((rows[3].raw.as_str(), rows[3].status_raw.as_str(), rows[3].step, rows[3].status), ("WARP_DRIVE", "ENGAGED", None, None));
    assert_eq!(rows[3].duration, None, "not started");
}

#[test]
fn rows_of_the_running_step_else_the_last_started() {
    let verifier_waiting = TaskStep { info: StepInfo { processed: Some(0.0), capacity: Some(10.0), ..StepInfo::default() }.into(), ..step("FULL_VERIFIER", "INIT") };
    let done = TaskStep { info: StepInfo { processed: Some(10.0), capacity: Some(10.0), ..StepInfo::default() }.into(), ..step("FULL_TRANSFER", "FINISHED") };
    let story = Story::new(&Progress::default(), Some(&[done.clone(), verifier_waiting.clone()]), &History::default(), 0.0, Beyond::default());
    assert_eq!(story.rows.as_ref().map(|r| r.step.as_str()), Some("FULL_TRANSFER"));
    let running = TaskStep { status: Some(Code::new("RUNNING")), ..verifier_waiting };
    let story = Story::new(&Progress::default(), Some(&[done, running]), &History::default(), 0.0, Beyond::default());
    assert_eq!(story.rows.as_ref().map(|r| r.step.as_str()), Some("FULL_VERIFIER"));
    assert_eq!(Story::new(&Progress::default(), Some(&[step("INCR_TRANSFER", "RUNNING")]), &History::default(), 0.0, Beyond::default()).rows, None);
}

#[test]
fn a_data_syncs_full_copy_is_its_rows_step_and_is_called_a_full_sync() {
    let copying = TaskStep { info: StepInfo { processed: Some(400.0), capacity: Some(900.0), ..StepInfo::default() }.into(), ..step("CONNECTOR_FULL_SYNC", "RUNNING") };
    let story = Story::new(&Progress::default(), Some(&[copying, step("CONNECTOR_INCR_SYNC", "INIT")]), &History::default(), 0.0, Beyond::default());
    assert_eq!(story.rows.as_ref().map(|r| (r.step.as_str(), r.processed)), Some(("CONNECTOR_FULL_SYNC", Some(400.0))));
    assert_eq!(story.steps[0].step, Some(Step::FullSync));
    assert_eq!((crate::model::Locale::En.step(Step::FullSync), crate::model::Locale::ZhCn.step(Step::FullSync)), ("Full sync", "全量同步"), "OMS's own word, not a migration's");
}

#[test]
fn source_reads_as_the_bottleneck() {
    let mut step = full(10.0, Some(100.0));
    step.info.src_rt = Some(2.4);
    step.info.dst_rt = Some(0.6);
    step.info.dst_rps = Some(900.0);
    step.info.dst_rps_ref = Some(4_000.0);
    let bound = |step: &TaskStep| Story::new(&Progress::default(), Some(&[step.clone()]), &History::default(), 0.0, Beyond::default()).rows.unwrap().source_bound;
    assert!(bound(&step), "slow reads, writes below the reference");
    step.info.dst_rps = Some(5_000.0);
    assert!(!bound(&step), "never beside a rate above the reference");
    step.info.dst_rps = Some(900.0);
    step.info.src_rt = Some(0.5);
    assert!(!bound(&step));
    step.info.src_rt = Some(2.4);
    step.status = Some(Code::new("FINISHED"));
    assert!(!bound(&step), "nor for a step that does not run");
}

#[test]
fn eta_from_a_steady_rate() {
    let history = rows_history(&[(0.0, 0.0), (5.0, 50_000.0), (10.0, 100_000.0)], 1_000_000.0);
    assert_eq!(eta(&full(100_000.0, Some(1_000_000.0)), &history, 10_000.0).map(|e| e.seconds), Some(90));
}

#[test]
fn eta_from_noisy_samples_stays_near_the_truth() {
    // 10 000 rows/s on average, polls every 5 s with ±30 % noise in what each poll saw.
    let noise = [1.3, 0.7, 1.1, 0.8, 1.2, 0.9, 1.0, 1.25, 0.75];
    let mut samples = vec![(0.0, 0.0)];
    for (i, n) in noise.iter().enumerate() {
        let (t, x) = samples[i];
        samples.push((t + 5.0, x + 50_000.0 * n));
    }
    let (t, done) = *samples.last().unwrap();
    let history = rows_history(&samples, 2_000_000.0);
    let truth = (2_000_000.0 - done) / 10_000.0;
    let estimate = eta(&full(done, Some(2_000_000.0)), &history, t * 1000.0).unwrap().seconds as f64;
    assert!((estimate - truth).abs() / truth < 0.25, "estimate {estimate} s, truth {truth} s");
}

#[test]
fn no_eta_when_stalled_unknown_exceeded_or_too_soon() {
    let moving = rows_history(&[(0.0, 0.0), (5.0, 50_000.0)], 1_000_000.0);
    assert!(eta(&full(50_000.0, Some(1_000_000.0)), &moving, 5_000.0).is_some());
    assert_eq!(eta(&full(50_000.0, Some(1_000_000.0)), &moving, 40_000.0), None, "nothing moved for 35 s");
    let stalled = rows_history(&[(0.0, 0.0), (5.0, 50_000.0), (10.0, 50_000.0), (40.0, 50_000.0)], 1_000_000.0);
    assert_eq!(eta(&full(50_000.0, Some(1_000_000.0)), &stalled, 40_000.0), None);
    assert_eq!(eta(&full(50_000.0, None), &moving, 5_000.0), None, "no estimate of the total");
    let over = rows_history(&[(0.0, 900.0), (5.0, 1_200.0)], 1_000.0);
    assert_eq!(eta(&full(1_200.0, Some(1_000.0)), &over, 5_000.0), None, "the estimate is exceeded");
    let one = rows_history(&[(0.0, 10.0)], 1_000.0);
    assert_eq!(eta(&full(10.0, Some(1_000.0)), &one, 0.0), None, "one sample is no rate");
    // Not running: no ETA shown.
    let mut paused = full(50_000.0, Some(1_000_000.0));
    paused.status = Some(Code::new("SUSPEND"));
    assert_eq!(Story::new(&Progress::default(), Some(&[paused]), &moving, 5_000.0, Beyond::default()).rows.unwrap().eta, None);
}

#[test]
fn eta_falls_back_to_the_step_percent() {
    let step_at = |p: f64| TaskStep { progress: Some(p), ..step("FULL_VERIFIER", "RUNNING") };
    let mut history = History::default();
    history.record(0.0, &Progress::default(), Some(&[step_at(40.0)]), true);
    history.record(10_000.0, &Progress::default(), Some(&[step_at(50.0)]), true);
    assert_eq!(eta(&step_at(50.0), &history, 10_000.0).map(|e| e.seconds), Some(50));
}

#[test]
fn a_new_step_starts_its_own_rate() {
    let mut history = rows_history(&[(0.0, 0.0), (5.0, 500.0)], 1_000.0);
    let verify = |x| TaskStep { info: StepInfo { processed: Some(x), capacity: Some(1_000.0), ..StepInfo::default() }.into(), ..step("FULL_VERIFIER", "RUNNING") };
    history.record(10_000.0, &Progress::default(), Some(&[verify(0.0)]), true);
    assert_eq!(eta(&verify(0.0), &history, 10_000.0), None, "one sample of the new step");
}

#[test]
fn oms_lag_is_immune_to_the_viewers_clock() {
    let steps = [incr(1_000_000, 1_000_008)];
    for skew_s in [-3_600.0, 0.0, 86_400.0] {
        let now_ms = (1_000_010.0 + skew_s) * 1000.0;
        let lag = Story::new(&progress_with_incr(1_000_000), Some(&steps), &History::default(), now_ms, Beyond::default()).lag.unwrap();
        assert_eq!((lag.seconds, lag.source), (8, LagSource::Oms), "skew {skew_s}");
    }
    // Without steps, now − checkpoint, never negative, growing with the clock.
    let lag = Story::new(&progress_with_incr(1_000_000), None, &History::default(), 1_000_030_000.0, Beyond::default()).lag.unwrap();
    assert_eq!((lag.seconds, lag.source, lag.sampled_ago(1_000_030_000.0)), (30, LagSource::Browser, None));
    assert_eq!(lag.seconds_at(1_000_040_000.0), 40);
    let lag = Story::new(&progress_with_incr(1_000_000), None, &History::default(), 999_000_000.0, Beyond::default()).lag.unwrap();
    assert_eq!(lag.seconds, 0, "a checkpoint in the future is no lag");
    assert_eq!(LagSource::Oms.as_str(), "oms");
}

/// A history that saw OMS samples `sampled` (unix s, OMS's clock) at `seen` (viewer's unix s).
fn sample_history(samples: &[(i64, f64)]) -> History {
    let mut history = History::default();
    for (sampled, seen) in samples {
        history.record(seen * 1000.0, &progress_with_incr(1_000_000), Some(&[incr(sampled - 8, *sampled)]), true);
    }
    history
}

#[test]
fn the_samples_age_and_when_oms_stopped_sampling_whatever_the_skew() {
    for skew in [-86_400.0, 0.0, 3_600.0] {
        // Samples 10 s apart, each seen 2 to 4 s after it was taken: the skew is learnt to
        // within 2 s, and the age is never overstated.
        let history = sample_history(&[(1_000_000, 1_000_004.0 + skew), (1_000_010, 1_000_012.0 + skew), (1_000_020, 1_000_023.0 + skew)]);
        let at = |now_s: f64| Story::new(&progress_with_incr(1_000_000), Some(&[incr(1_000_012, 1_000_020)]), &history, (now_s + skew) * 1000.0, Beyond::default()).lag.unwrap();
        let lag = at(1_000_025.0);
        assert_eq!((lag.seconds, lag.sampled_ago((1_000_025.0 + skew) * 1000.0), lag.stalled), (8, Some(3), false), "skew {skew}");
        let lag = at(1_000_090.0);
        assert_eq!(lag.sampled_ago((1_000_090.0 + skew) * 1000.0), Some(68), "skew {skew}");
        assert!(lag.stalled, "a sample over a minute old, skew {skew}");
    }
    // The first sample a page sees may be old already: its age counts from when it was seen,
    // so it is called stopped only after a minute without a new one.
    let history = sample_history(&[(1_000_000, 5_000_000.0)]);
    let at = |now_s: f64| Story::new(&progress_with_incr(1_000_000), Some(&[incr(999_992, 1_000_000)]), &history, now_s * 1000.0, Beyond::default()).lag.unwrap();
    assert!(!at(5_000_030.0).stalled);
    assert!(at(5_000_061.0).stalled);
    let stopped = Story::new(&progress_with_incr(1_000_000), Some(&[incr(999_992, 1_000_000)]), &history, 5_000_061_000.0, Beyond::default());
    assert!(stopped.cutover.unwrap().contains(&Blocker::SamplingStopped));
}

#[test]
fn ready_to_switch_over_and_what_is_missing() {
    let finished_full = TaskStep { info: StepInfo { processed: Some(1000.0), capacity: Some(1000.0), ..StepInfo::default() }.into(), ..step("FULL_TRANSFER", "FINISHED") };
    let now_ms = 1_000_010_000.0;
    // The documented example: full migration finished, incremental MONITORING at 100 %, lag 1 s.
    let ready = [finished_full.clone(), incr(1_000_000, 1_000_001)];
    assert_eq!(Story::new(&progress_with_incr(1_000_000), Some(&ready), &History::default(), now_ms, Beyond::default()).cutover, Some(vec![]));
    // Verification still running, lag too high.
    let blocked = [finished_full.clone(), step("FULL_VERIFIER", "RUNNING"), incr(1_000_000, 1_000_040)];
    assert_eq!(
        Story::new(&progress_with_incr(1_000_000), Some(&blocked), &History::default(), now_ms, Beyond::default()).cutover,
        Some(vec![Blocker::FullVerification, Blocker::Lag(40)])
    );
    // Full migration failed, incremental not started, no lag yet.
    let early = [step("FULL_TRANSFER", "FAILED"), step("INCR_TRANSFER", "INIT")];
    let mut progress = progress_with_incr(0);
    progress.incremental.checkpoint = Checkpoint::None;
    assert_eq!(
        Story::new(&progress, Some(&early), &History::default(), now_ms, Beyond::default()).cutover,
        Some(vec![Blocker::TaskFailed, Blocker::FullMigration, Blocker::IncrementalNotLive, Blocker::LagUnknown])
    );
    // Every step ready, but the task failed, or a step of it (its reverse sync), or it is paused:
    // its steps say what they last reported, and the task does not run.
    let tell = |status: &str, steps: &[TaskStep]| {
        let mut progress = progress_with_incr(1_000_000);
        progress.status = Some(Code::new(status.to_owned()));
        Story::new(&progress, Some(steps), &History::default(), now_ms, Beyond::default()).cutover
    };
    assert_eq!(tell("FAILED", &ready), Some(vec![Blocker::TaskFailed, Blocker::IncrementalNotLive]));
    let reverse_failed = [ready[0].clone(), ready[1].clone(), step("REVERSE_INCR_TRANSFER", "FAILED")];
    assert_eq!(tell("RUNNING", &reverse_failed), Some(vec![Blocker::TaskFailed]));
    for stopped in ["SUSPEND", "RELEASING", "RELEASED", "FINISHED"] {
        assert_eq!(tell(stopped, &ready), Some(vec![Blocker::IncrementalNotLive]), "{stopped}");
    }
    assert_eq!(tell("RUNNING", &ready), Some(vec![]));
    assert_eq!(tell("RUNNING_SOMETHING_NEW", &ready), Some(vec![]), "a status it does not know stops nothing");
    // Without steps: the progress answer alone decides.
    assert_eq!(Story::new(&progress_with_incr(1_000_000), None, &History::default(), now_ms, Beyond::default()).cutover, Some(vec![]));
    // No incremental sync: no cutover line at all.
    assert_eq!(Story::new(&Progress::default(), Some(&[finished_full]), &History::default(), now_ms, Beyond::default()).cutover, None);
}

fn lag_history(lags: &[f64]) -> History {
    let mut history = History::default();
    for (i, lag) in lags.iter().enumerate() {
        let now_s = 1_000_000.0 + 5.0 * i as f64;
        history.record(now_s * 1000.0, &progress_with_incr((now_s - lag) as i64), None, false);
    }
    history
}

#[test]
fn the_trend_of_the_lag() {
    let trend = |lags: &[f64]| Story::new(&Progress::default(), None, &lag_history(lags), 0.0, Beyond::default()).trend;
    assert_eq!(trend(&[5.0, 6.0]), None, "two samples say nothing");
    let rising = trend(&[10.0, 12.0, 20.0, 35.0, 60.0, 90.0]).unwrap();
    assert_eq!((rising.trend, rising.points, rising.first, rising.last, rising.span), (Trend::Rising, 6, 10.0, 90.0, 25.0));
    assert_eq!(trend(&[300.0, 250.0, 180.0, 120.0, 60.0]).unwrap().trend, Trend::Falling);
    assert_eq!(trend(&[8.0, 14.0, 6.0, 12.0, 9.0, 11.0, 7.0]).unwrap().trend, Trend::Steady, "noise is steady");
    assert!(rising.path.starts_with("M0 ") && rising.path.ends_with("L100 1"), "{}", rising.path);
    let lots: Vec<f64> = (0..200).map(f64::from).collect();
    assert_eq!(trend(&lots).unwrap().points, LAG_SAMPLES, "bounded");
}

#[test]
fn the_oms_lag_trend_counts_each_sample_once_on_omss_clock() {
    let mut history = History::default();
    // A poll before any steps: the viewer's lag, a day (OMS's clock is behind); then OMS's own.
    history.record(1_086_400_000.0, &progress_with_incr(1_000_000), None, false);
    for i in 0..4_i64 {
        let sampled = 1_000_010 + 10 * i;
        let steps = [incr(sampled - 10 - 30 * i, sampled)];
        let seen_ms = (1_086_410 + 10 * i) as f64 * 1000.0;
        // Each sample is heard with its steps answer, then again with the next progress.
        history.record(seen_ms, &progress_with_incr(1_000_000), Some(&steps), true);
        history.record(seen_ms + 5000.0, &progress_with_incr(1_000_000), Some(&steps), false);
    }
    let trend = Story::new(&progress_with_incr(1_000_000), None, &history, 1_086_450_000.0, Beyond::default()).trend.unwrap();
    assert_eq!((trend.points, trend.trend, trend.first, trend.last, trend.span), (4, Trend::Rising, 10.0, 100.0, 30.0));
}

#[test]
fn verification_says_equal_only_when_oms_found_no_difference() {
    use crate::oms::{Alarm, ProjectInfo, TableDifference, Verification};
    let finished_full = TaskStep { info: StepInfo { processed: Some(1000.0), capacity: Some(1000.0), ..StepInfo::default() }.into(), ..step("FULL_TRANSFER", "FINISHED") };
    let steps = [finished_full, step("FULL_VERIFIER", "FINISHED"), incr(1_000_000, 1_000_001)];
    let now_ms = 1_000_010_000.0;
    let tell = |beyond: Beyond| Story::new(&progress_with_incr(1_000_000), Some(&steps), &History::default(), now_ms, beyond);
    // Finished, but nothing heard of what it found yet: not ready.
    assert_eq!(tell(Beyond::default()).cutover, Some(vec![Blocker::Checking]));
    // Nor before the steps and the alarms have come, whatever progress alone says.
    assert_eq!(tell(Beyond { pending: true, ..Beyond::default() }).cutover, Some(vec![Blocker::Checking]));
    let table = |name: &str, mismatched, source_only, dest_only| TableDifference { schema: "s".into(), table: name.into(), mismatched, source_only, dest_only };
    let found = Verification { differences: Some(12_000), tables: vec![table("a", 1, 0, 0), table("b", 9_000, 0, 0), table("c", 0, 2_000, 0), table("d", 0, 0, 500), table("e", 499, 0, 0)] };
    let story = tell(Beyond { verification: Some(&found), ..Beyond::default() });
    assert_eq!(story.cutover, Some(vec![Blocker::Differences(12_000)]), "a verification that found differences never says ready");
    let view = story.verification.unwrap();
    assert_eq!(view.worst.iter().map(|t| t.table.as_str()).collect::<Vec<_>>(), ["b", "c", "d"], "the worst first");
    assert_eq!((view.more, view.differences, view.status), (2, Some(12_000), Some(StepStatus::Finished)));
    let equal = Verification { differences: Some(0), tables: Vec::new() };
    assert_eq!(tell(Beyond { verification: Some(&equal), ..Beyond::default() }).cutover, Some(vec![]));
    // A proxy that does not forward the result: not ready, and said why.
    let refused = tell(Beyond { verification_refused: true, ..Beyond::default() });
    assert_eq!(refused.cutover, Some(vec![Blocker::VerificationUnknown]));
    assert!(refused.verification.unwrap().unavailable);
    // Without steps, a task OMS says verifies cannot be confirmed equal.
    let verifies = ProjectInfo { full_verify: Some(true), ..ProjectInfo::default() };
    let alone = Story::new(&progress_with_incr(1_000_000), None, &History::default(), now_ms, Beyond { project: Some(&verifies), ..Beyond::default() });
    assert_eq!(alone.cutover, Some(vec![Blocker::VerificationUnknown]));
    // A data sync task streams for good: caught up and verified, it has no switch-over to judge.
    let data_sync = ProjectInfo { data_sync: true, ..ProjectInfo::default() };
    assert_eq!(tell(Beyond { project: Some(&data_sync), verification: Some(&equal), ..Beyond::default() }).cutover, None);
    // Nor when only its steps say so (a proxy that does not forward DescribeProject).
    let connector = [step("CONNECTOR_FULL_SYNC", "FINISHED"), TaskStep { info: incr(1_000_000, 1_000_001).info, ..step("CONNECTOR_INCR_SYNC", "MONITORING") }];
    let by_steps = Story::new(&progress_with_incr(1_000_000), Some(&connector), &History::default(), now_ms, Beyond::default());
    assert_eq!((by_steps.cutover, by_steps.data_sync), (None, true));
    // A firing alarm blocks too.
    let alarm = ProjectInfo { alarm: Some(Alarm { content: Some("delay".into()), count: Some(2) }), ..ProjectInfo::default() };
    assert_eq!(tell(Beyond { project: Some(&alarm), verification: Some(&equal), ..Beyond::default() }).cutover, Some(vec![Blocker::AlarmFiring]));
    // Tasks without the step have no verification section; one waiting shows it not started.
    assert_eq!(Story::new(&Progress::default(), Some(&[step("FULL_TRANSFER", "RUNNING")]), &History::default(), 0.0, Beyond::default()).verification, None);
    let waiting = Story::new(&Progress::default(), Some(&[step("FULL_VERIFIER", "INIT")]), &History::default(), 0.0, Beyond::default()).verification.unwrap();
    assert_eq!((waiting.status, waiting.differences), (Some(StepStatus::Init), None));
}

#[test]
fn a_failed_or_finished_step_shows_no_rate() {
    let mut failed = full(600.0, Some(1_000.0));
    failed.status = Some(Code::new("FAILED"));
    failed.info.dst_rps = Some(0.0);
    failed.info.dst_rps_ref = Some(40_000.0);
    let rows = Story::new(&Progress::default(), Some(&[failed]), &History::default(), 0.0, Beyond::default()).rows.unwrap();
    assert_eq!((rows.rps, rows.rps_ref, rows.eta), (None, None, None));
}

#[test]
fn estimates_are_rounded_to_what_they_can_know() {
    assert_eq!([3, 42, 59, 61, 95, 599, 1_196, 1_568, 3_599, 4_000, 7_300, 26_000].map(calm), [5, 40, 60, 60, 120, 600, 1_200, 1_500, 3_600, 3_600, 7_200, 25_200]);
}

/// Polls every 5 s of a step whose rate wobbles ±40 % around 10 000 rows/s (changing every
/// 10 s, as the simulator's does) across 20 minutes of a 12-million-row step: the estimate
/// shown at each poll.
fn noisy_estimates() -> Vec<(f64, f64, u64)> {
    let total = 12_000_000.0;
    let mut history = History::default();
    let (mut done, mut shown) = (0.0, Vec::new());
    let wobble = |i: usize| 0.6 + 0.8 * (((i * 7919) % 101) as f64 / 100.0);
    for poll in 0..240 {
        let t = poll as f64 * 5.0;
        if poll > 0 {
            done = f64::min(total, done + 5.0 * 10_000.0 * wobble((poll - 1) / 2));
        }
        let step = full(done, Some(total));
        history.record(t * 1000.0, &Progress::default(), Some(&[step.clone()]), true);
        if let Some(eta) = eta(&step, &history, t * 1000.0) {
            shown.push((t, done, eta.seconds));
        }
    }
    shown
}

#[test]
fn the_eta_is_calm_when_the_rate_only_wobbles() {
    let shown = noisy_estimates();
    assert!(shown.len() > 200);
    // From one poll to the next, the estimate moves by the 5 s that passed, and by what the
    // rate's noise makes uncertain, not by the swing of one interval's rate.
    let mut moves: Vec<f64> = shown.windows(2).map(|w| ((w[1].2 as f64) - (w[0].2 as f64 - 5.0)).abs() / w[0].2 as f64).collect();
    moves.sort_by(f64::total_cmp);
    let median = moves[moves.len() / 2];
    assert!(median < 0.06, "median move {median}");
}

#[test]
fn the_eta_follows_a_rate_that_really_changes() {
    // 10 000 rows/s for 5 minutes, then 2 500 rows/s (a table of wide rows): within a minute and
    // a half of the change, the estimate is the new rate's.
    let total = 12_000_000.0;
    let mut history = History::default();
    let mut done = 0.0;
    let mut last = None;
    for poll in 0..=78 {
        let t = poll as f64 * 5.0;
        if poll > 0 {
            done += 5.0 * if t <= 300.0 { 10_000.0 } else { 2_500.0 };
        }
        let step = full(done, Some(total));
        history.record(t * 1000.0, &Progress::default(), Some(&[step.clone()]), true);
        last = eta(&step, &history, t * 1000.0).map(|e| (e.seconds as f64, (total - done) / 2_500.0));
    }
    let (shown, truth) = last.unwrap();
    assert!((shown - truth).abs() / truth < 0.1, "shown {shown} s, truth {truth} s");
}

/// OMS's RPS of the full migration: `rate` rows a second every 5 minutes of the last hour
/// before `now_s`, with a dip of a tenth of it 10 minutes ago.
fn oms_rates(now_s: f64, rate: f64) -> Vec<(f64, f64)> {
    (0..12).map(|k| (now_s - f64::from(11 - k) * 300.0, if k == 9 { rate / 10.0 } else { rate })).collect()
}

#[test]
fn the_first_eta_comes_from_omss_rate_then_the_pages_own() {
    let now_s = 1_800_000_000.0;
    let migration = full(100_000.0, Some(1_000_000.0));
    // One steps answer: no rate of the page's own yet.
    let mut history = rows_history(&[(now_s, 100_000.0)], 1_000_000.0);
    assert_eq!(eta(&migration, &history, now_s * 1000.0), None, "one sample is no rate");
    history.record_series(now_s * 1000.0, SeriesKind::Rate, "FULL_TRANSFER", &oms_rates(now_s, 1_000.0), Some(std::slice::from_ref(&migration)));
    let first = eta(&migration, &history, now_s * 1000.0).unwrap();
    assert_eq!((first.seconds, first.basis, first.range), (900, EtaBasis::OmsRate, None), "900 000 rows left at OMS's 1 000 a second; the dip ignored");
    assert_eq!(eta(&migration, &history, now_s * 1000.0 + 10_000.0).unwrap().seconds, 890, "counting down");

    // The page's polls at an even rate.
    let mut t = now_s;
    let mut done = 100_000.0;
    let mut bases = Vec::new();
    for _ in 0..12 {
        t += 5.0;
        done += 5_500.0;
        history.record(t * 1000.0, &Progress::default(), Some(&[full(done, Some(1_000_000.0))]), true);
        bases.push(eta(&full(done, Some(1_000_000.0)), &history, t * 1000.0).unwrap().basis);
    }
    // A few intervals cannot tell their own spread; from four on, the page's fresher rate.
    assert_eq!(bases.iter().position(|b| *b == EtaBasis::PageRate), Some(3), "{bases:?}");
    assert!(bases[3..].iter().all(|b| *b == EtaBasis::PageRate), "{bases:?}");
    // From then on the page's, though it wobbles past one figure and OMS answers again.
    for wobble in [1.0, 60_000.0, 0.0, 50_000.0] {
        t += 5.0;
        done += wobble;
        let now_step = full(done, Some(1_000_000.0));
        history.record_series(t * 1000.0, SeriesKind::Rate, "FULL_TRANSFER", &oms_rates(t, 1_000.0), Some(std::slice::from_ref(&now_step)));
        history.record(t * 1000.0, &Progress::default(), Some(std::slice::from_ref(&now_step)), true);
        assert_eq!(eta(&now_step, &history, t * 1000.0).map(|e| e.basis), Some(EtaBasis::PageRate));
    }

    // A step that gives only its percent: OMS's rows a second say nothing of it.
    let percent = TaskStep { progress: Some(40.0), ..step("FULL_TRANSFER", "RUNNING") };
    let mut history = History::default();
    history.record(now_s * 1000.0, &Progress::default(), Some(&[percent.clone()]), true);
    history.record_series(now_s * 1000.0, SeriesKind::Rate, "FULL_TRANSFER", &oms_rates(now_s, 1_000.0), Some(std::slice::from_ref(&percent)));
    assert_eq!(eta(&percent, &history, now_s * 1000.0), None);
    let later = TaskStep { progress: Some(41.0), ..percent };
    history.record(now_s * 1000.0 + 5_000.0, &Progress::default(), Some(&[later.clone()]), true);
    assert_eq!(eta(&later, &history, now_s * 1000.0 + 5_000.0).map(|e| e.basis), Some(EtaBasis::Percent));
}

#[test]
fn omss_rate_says_nothing_of_a_step_it_is_not_for_or_a_stop() {
    let now_s = 1_800_000_000.0;
    let step = full(100_000.0, Some(1_000_000.0));
    let mut history = rows_history(&[(now_s, 100_000.0)], 1_000_000.0);
    history.record_series(now_s * 1000.0, SeriesKind::Rate, "FULL_VERIFIER", &oms_rates(now_s, 1_000.0), Some(std::slice::from_ref(&step)));
    assert_eq!(eta(&step, &history, now_s * 1000.0), None, "another step's rate");
    history.record_series(now_s * 1000.0, SeriesKind::Rate, "FULL_TRANSFER", &oms_rates(now_s, 0.0), Some(std::slice::from_ref(&step)));
    assert_eq!(eta(&step, &history, now_s * 1000.0), None, "not writing lately");
    history.record_series(now_s * 1000.0, SeriesKind::Rate, "FULL_TRANSFER", &oms_rates(now_s - 3_600.0, 1_000.0), Some(std::slice::from_ref(&step)));
    assert_eq!(eta(&step, &history, now_s * 1000.0), None, "nothing within the last 15 minutes");
}

#[test]
fn the_lag_chart_starts_with_omss_hour() {
    let now_s = 1_800_000_000.0;
    // OMS: 12 points over the hour, a hump half an hour ago, 10 s of lag lately.
    let hour: Vec<(f64, f64)> = (0..12).map(|k| (now_s - f64::from(11 - k) * 300.0, if k == 5 { 240.0 } else { 10.0 })).collect();
    let mut history = History::default();
    history.record_series(now_s * 1000.0, SeriesKind::Lag, "INCR_TRANSFER", &hour, None);
    let story = |history: &History, at_s: f64| Story::new(&progress_with_incr(0), Some(&[incr((at_s - 12.0) as i64, at_s as i64)]), history, at_s * 1000.0, Beyond::default());
    let first = story(&history, now_s).trend.unwrap();
    assert_eq!((first.oms_points, first.points, first.trend, first.max), (Some(12), 12, Trend::Steady, 240.0), "one hump is no trend");
    assert_eq!(first.span, 3300.0);
    // The page's own samples after OMS's newest point join it; one inside OMS's span is OMS's.
    for (i, at) in [now_s - 100.0, now_s + 10.0, now_s + 20.0].iter().enumerate() {
        history.record(at * 1000.0, &progress_with_incr(0), Some(&[incr((at - 12.0 - i as f64) as i64, *at as i64)]), true);
    }
    let joined = story(&history, now_s + 20.0).trend.unwrap();
    assert_eq!((joined.oms_points, joined.points, joined.last), (Some(12), 14, 14.0));
    // A lag that grew 40 s over the hour rises, though slower than 6 s a minute.
    let rising: Vec<(f64, f64)> = (0..12).map(|k| (now_s - f64::from(11 - k) * 300.0, 10.0 + f64::from(k) * 40.0 / 11.0)).collect();
    let mut history = History::default();
    history.record_series(now_s * 1000.0, SeriesKind::Lag, "INCR_TRANSFER", &rising, None);
    assert_eq!(story(&history, now_s).trend.unwrap().trend, Trend::Rising);
    // Without OMS's series (or with an empty one): the page's samples.
    let mut history = lag_history(&[5.0, 6.0, 7.0]);
    history.record_series(0.0, SeriesKind::Lag, "INCR_TRANSFER", &[], None);
    let page = Story::new(&Progress::default(), None, &history, 0.0, Beyond::default()).trend.unwrap();
    assert_eq!((page.oms_points, page.points), (None, 3));
}

#[test]
fn a_history_keeping_fewer_samples_still_estimates_and_trends() {
    let mut history = History::keeping(12);
    for i in 0..40 {
        let t = f64::from(i) * 5.0;
        history.record(t * 1000.0, &Progress::default(), Some(&[full(t * 10_000.0, Some(10_000_000.0))]), true);
        history.record(t * 1000.0, &progress_with_incr((t as i64) - i64::from(i)), None, false);
    }
    let eta = eta(&full(39.0 * 5.0 * 10_000.0, Some(10_000_000.0)), &history, 39.0 * 5.0 * 1000.0).map(|e| e.seconds);
    assert!(eta.is_some_and(|s| (800..=830).contains(&s)), "{eta:?}: 8 050 000 rows at 10 000 a second");
    let lag = Story::new(&Progress::default(), None, &history, 0.0, Beyond::default()).trend.unwrap();
    assert_eq!(lag.points, 12, "bounded at what it keeps");
}
