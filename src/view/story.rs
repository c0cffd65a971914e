//! The task's story (rows.html, lag.html, timeline.html, story.css): the rows, rate and ETA
//! line, the switch-over line, the lag chart and the step timeline. Server strings are text;
//! times are the viewer's.

use super::dom::{Attr, Items, Presence, Text, find};
use super::intl;
use crate::model::labels::{Locale, Sentence, Text as Words, fill};
use crate::model::latency::CAUGHT_UP_SECONDS;
use crate::model::constants::HISTORY_SECONDS;
use crate::model::story::{Blocker, Eta, LagTrend, Rows, StepRow, Story, calm};
use crate::model::{Glyph, Readiness, clip};
use crate::oms::{Step, decimal};
use web_sys::Element;

/// The story's live parts.
pub struct StoryDom {
    rows_line: Presence,
    rows: Text,
    processed: Attr,
    capacity: Attr,
    throughput: Presence,
    throughput_text: Text,
    rps: Attr,
    bottleneck: Presence,
    bottleneck_text: Text,
    eta: Presence,
    eta_text: Text,
    eta_seconds: Attr,
    eta_basis: Attr,
    cutover: Presence,
    ready: Attr,
    cutover_glyph: Attr,
    cutover_text: Text,
    trend_row: Presence,
    trend_key: Text,
    trend: Attr,
    points: Attr,
    source: Attr,
    window: Attr,
    trend_label: Attr,
    spark: Attr,
    trend_word: Text,
    trend_scale: Text,
    timeline: Presence,
    timeline_title: Text,
    steps: Items<StepDom>,
}

/// One step of the timeline.
struct StepDom {
    name: Attr,
    status: Attr,
    progress: Attr,
    title: Attr,
    label: Text,
    word: Text,
    time: Text,
    error: Presence,
    error_text: Text,
    /// While the step runs: when it started (unix s), so its duration can tick.
    running_since: Option<(i64, Locale)>,
    duration: Option<u64>,
}

impl StoryDom {
    /// The story's parts in the card `root`.
    pub fn find(root: &Element) -> Self {
        let rows = Text::find(root, "[data-field=\"rows\"]");
        let throughput = Presence::find(root, "[data-field=\"throughput\"]");
        let eta = Presence::find(root, "[data-field=\"eta\"]");
        let cutover = Presence::find(root, "[data-field=\"cutover\"]");
        let trend = find(root, "[data-field=\"lag-trend\"]");
        StoryDom {
            rows_line: Presence::find(root, ".oms-rows"),
            processed: Attr::of(rows.element(), "data-processed"),
            capacity: Attr::of(rows.element(), "data-capacity"),
            rows,
            rps: Attr::of(throughput.element(), "data-rps"),
            throughput_text: Text::find(root, "[data-field=\"throughput\"]"),
            throughput,
            bottleneck: Presence::find(root, ".oms-bottleneck"),
            bottleneck_text: Text::find(root, ".oms-bottleneck"),
            eta_seconds: Attr::of(eta.element(), "data-seconds"),
            eta_basis: Attr::of(eta.element(), "data-basis"),
            eta_text: Text::find(root, "[data-field=\"eta\"]"),
            eta,
            ready: Attr::of(cutover.element(), "data-ready"),
            cutover_glyph: Attr::of(&find(cutover.element(), "path"), "d"),
            cutover_text: Text::find(cutover.element(), ".oms-cutover-text").titled(),
            cutover,
            trend_row: Presence::find(root, ".oms-trend-row"),
            trend_key: Text::find(root, ".oms-trend-row > .oms-key"),
            points: Attr::of(&trend, "data-points"),
            source: Attr::of(&trend, "data-source"),
            window: Attr::of(&trend, "data-window"),
            trend_label: Attr::of(&trend, "aria-label"),
            spark: Attr::of(&find(&trend, "path"), "d"),
            trend_word: Text::find(&trend, ".oms-trend-word"),
            trend_scale: Text::find(&trend, ".oms-trend-scale"),
            trend: Attr::of(&trend, "data-trend"),
            timeline: Presence::find(root, ".oms-timeline"),
            timeline_title: Text::find(root, ".oms-timeline > .oms-section-title"),
            steps: Items::find(root, "[data-field=\"steps\"]"),
        }
    }

    /// Shows `story` in `locale`, with the readiness and the ETA the card can vouch for.
    pub fn patch(&mut self, story: &Story, readiness: Option<&Readiness>, eta: Option<Eta>, locale: Locale) {
        self.patch_rows(story.rows.as_ref(), eta, locale);
        self.cutover.show(readiness.is_some());
        if let Some(readiness) = readiness {
            self.ready.set(Some(readiness.as_str()));
            self.cutover_glyph.set(Some(match readiness {
                Readiness::Ready => Glyph::Check.path(),
                Readiness::NotReady(_) => Glyph::Warning.path(),
                Readiness::Unknown => Glyph::Question.path(),
            }));
            let text = match readiness {
                Readiness::Ready => locale.text(Words::Ready).to_owned(),
                Readiness::Unknown => locale.text(Words::ReadinessUnknown).to_owned(),
                Readiness::NotReady(blockers) => {
                    let threshold = intl::duration(locale, CAUGHT_UP_SECONDS);
                    let mut said = String::new();
                    for (i, blocker) in blockers.iter().enumerate() {
                        if i > 0 {
                            said.push_str(locale.text(Words::ListSeparator));
                        }
                        said.push_str(&match blocker {
                            Blocker::Lag(lag) => fill(locale.blocker(*blocker), &[("threshold", &threshold), ("lag", &intl::duration(locale, *lag))]),
                            Blocker::Differences(rows) => fill(locale.blocker(*blocker), &[("rows", &intl::count(locale, *rows as f64))]),
                            _ => locale.blocker(*blocker).to_owned(),
                        });
                    }
                    fill(locale.sentence(Sentence::NotReady), &[("blockers", &said)])
                }
            };
            self.cutover_text.set(&text);
        }
        self.patch_trend(story.trend.as_ref(), locale);
        self.timeline.show(!story.steps.is_empty());
        self.timeline_title.set(locale.text(Words::Steps));
        self.patch_steps(&story.steps, locale);
    }

    fn patch_rows(&mut self, rows: Option<&Rows>, eta: Option<Eta>, locale: Locale) {
        self.rows_line.show(rows.is_some());
        let Some(rows) = rows else { return };
        let processed = rows.processed.map(|p| intl::count(locale, p)).unwrap_or_else(|| "—".into());
        // A verifier's rows are compared, not written: said so, or they read as rows migrated.
        let verified = rows.known == Some(Step::FullVerification);
        self.rows.set(&match rows.capacity {
            Some(capacity) => fill(
                locale.sentence(if verified { Sentence::RowsVerifiedOf } else { Sentence::RowsOf }),
                &[("processed", &processed), ("capacity", &intl::count(locale, capacity))],
            ),
            None => fill(locale.sentence(if verified { Sentence::RowsVerified } else { Sentence::Rows }), &[("processed", &processed)]),
        });
        self.processed.set(rows.processed.map(|p| decimal(p as i64)).as_deref());
        self.capacity.set(rows.capacity.map(|c| decimal(c as i64)).as_deref());
        self.throughput.show(rows.rps.is_some());
        if let Some(rps) = rows.rps {
            let rate = intl::count(locale, rps);
            self.throughput_text.set(&match rows.rps_ref {
                Some(reference) => fill(locale.sentence(Sentence::RateWithReference), &[("rate", &rate), ("reference", &intl::count(locale, reference))]),
                None => fill(locale.sentence(Sentence::Rate), &[("rate", &rate)]),
            });
            self.rps.set(Some(&decimal(rps as i64)));
        }
        self.bottleneck.show(rows.source_bound);
        self.bottleneck_text.set(locale.text(Words::SourceBound));
        self.eta.show(eta.is_some());
        if let Some(eta) = eta {
            // Rounded to what an estimate can know; a range when the rate is too uneven for one
            // figure.
            let said = |seconds| intl::duration(locale, calm(seconds));
            self.eta_text.set(&match eta.range {
                Some((low, high)) if calm(low) != calm(high) => fill(locale.sentence(Sentence::EtaRange), &[("low", &said(low)), ("high", &said(high))]),
                _ => fill(locale.sentence(Sentence::Eta), &[("duration", &said(eta.seconds))]),
            });
            self.eta_seconds.set(Some(&decimal(eta.seconds as i64)));
            self.eta_basis.set(Some(eta.basis.as_str()));
        }
    }

    fn patch_trend(&mut self, trend: Option<&LagTrend>, locale: Locale) {
        self.trend_row.show(trend.is_some());
        let Some(trend) = trend else { return };
        let word = locale.trend(trend.trend);
        let seconds = |s: f64| intl::duration(locale, s.max(0.0).round() as u64);
        // The window in whole minutes once it is one (OMS's, drawn from its series); the chart's
        // peak beside its word, so the line has a scale; the text alternative says the same as
        // the word and the peak.
        let window = trend.oms_points.map(|_| HISTORY_SECONDS as f64);
        let span = seconds(match window.unwrap_or(trend.span) {
            span if span >= 60.0 => (span / 60.0).round() * 60.0,
            span => span,
        });
        let peak = seconds(trend.max);
        self.trend_key.set(&fill(locale.sentence(Sentence::TrendWindow), &[("span", &span)]));
        self.trend.set(Some(trend.trend.as_str()));
        self.points.set(Some(&decimal(trend.oms_points.unwrap_or(trend.points) as i64)));
        self.source.set(Some(if window.is_some() { "oms" } else { "page" }));
        self.window.set(window.map(|w| decimal(w as i64)).as_deref());
        self.spark.set(Some(&trend.path));
        self.trend_word.set(word);
        self.trend_scale.set(&fill(locale.sentence(Sentence::TrendScale), &[("max", &peak)]));
        let values = [("trend", word), ("span", span.as_str()), ("last", &seconds(trend.last)), ("max", peak.as_str())];
        self.trend_label.set(Some(&fill(locale.sentence(Sentence::TrendLabel), &values)));
    }

    fn patch_steps(&mut self, steps: &[StepRow], locale: Locale) {
        for (dom, step) in self.steps.fit(steps.len(), StepDom::of).zip(steps) {
            dom.patch(step, locale);
        }
    }

    /// Brings the running steps' durations up to `now_ms`.
    pub fn tick(&mut self, now_ms: f64) {
        for step in self.steps.iter_mut() {
            step.tick(now_ms);
        }
    }
}

impl StepDom {
    fn of(item: &Element) -> Self {
        let error = Presence::find(item, "[data-field=\"step-error\"]");
        StepDom {
            name: Attr::of(item, "data-step"),
            status: Attr::of(item, "data-status"),
            progress: Attr::of(item, "data-progress"),
            title: Attr::of(&find(item, ".oms-tl-time"), "title"),
            label: Text::find(item, ".oms-tl-label"),
            word: Text::find(item, ".oms-tl-status"),
            time: Text::find(item, ".oms-tl-time"),
            error_text: Text::of(error.element().clone()),
            error,
            running_since: None,
            duration: None,
        }
    }

    fn patch(&mut self, step: &StepRow, locale: Locale) {
        self.name.set(Some(&step.raw));
        self.status.set(Some(&step.status_raw));
        self.progress.set(step.progress.map(|p| intl::plain_number(p.clamp(0.0, 100.0))).as_deref());
        self.label.set(&step.step.map_or_else(|| clip(&step.raw), |s| locale.step(s).to_owned()));
        self.word.set(&step.status.map_or_else(|| clip(&step.status_raw), |s| locale.step_status(s).to_owned()));
        // When it started, on its time (the step's name stays its own accessible name).
        self.title.set(step.started.map(|s| fill(locale.sentence(Sentence::Started), &[("time", &intl::local_date_time(locale, s as f64 * 1000.0))])).as_deref());
        self.running_since = step.started.filter(|_| step.ticking).map(|started| (started, locale));
        self.duration = None;
        self.write_time(step.duration, locale);
        self.error.show(step.error.is_some());
        if let Some(error) = &step.error {
            let mut said = String::new();
            for part in [&error.code, &error.message].into_iter().flatten() {
                said.push_str(&clip(part));
                said.push(' ');
            }
            self.error_text.set(match error.since {
                Some(since) => fill(locale.sentence(Sentence::FailingSince), &[("error", &said), ("time", &intl::local_date_time(locale, since as f64 * 1000.0))]),
                None => said,
            }
            .trim());
        }
    }

    fn write_time(&mut self, duration: Option<u64>, locale: Locale) {
        if self.duration != duration || duration.is_none() {
            self.time.set(&duration.map(|d| intl::duration(locale, d)).unwrap_or_default());
            self.duration = duration;
        }
    }

    fn tick(&mut self, now_ms: f64) {
        if let Some((started, locale)) = self.running_since {
            let duration = ((now_ms / 1000.0) as i64 - started).max(0) as u64;
            self.write_time(Some(duration), locale);
        }
    }
}
