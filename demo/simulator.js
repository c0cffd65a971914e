// The OMS simulator of the static demo: turns demo/scenarios.json into DescribeProjectProgress
// answers. The proxy's --simulate mode (proxy/src/simulate.rs) reads the same file and follows
// the same rules; a test compares the two answer for answer.
//
// A classic script (for importScripts in the service worker): it defines self.OmsSimulator.
(function (root) {
  "use strict";

  // FNV-1a over the id's bytes (ids are ASCII).
  function hashId(id) {
    let h = 0x811c9dc5;
    for (let i = 0; i < id.length; i++) {
      h ^= id.charCodeAt(i) & 0xff;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h;
  }

  // mulberry32: a uniform number in [0, 1) from a 32-bit state.
  function unit(state) {
    let t = (state + 0x6d2b79f5) >>> 0;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  // Seconds a checkpoint trails the clock at simulated second `elapsed`: a base lag, noise that
  // changes every 10 s, and a spike that decays linearly.
  function lag(spec, seed, salt, elapsed) {
    const bucket = Math.floor(elapsed / 10);
    const noise = unit((seed ^ salt ^ Math.imul(bucket, 0x9e3779b9)) >>> 0);
    let seconds = (spec.lagSeconds ?? 0) + (spec.jitterSeconds ?? 0) * noise;
    if (spec.spikeEverySeconds) {
      const into = elapsed % spec.spikeEverySeconds;
      const decay = spec.spikeDecaySeconds ?? 1;
      if (into < decay) seconds += (spec.spikeSeconds ?? 0) * (1 - into / decay);
    }
    return Math.floor(seconds);
  }

  const FIELDS = [
    "projectId", "status", "alarmLevel", "enableIncrSync", "currentStep", "incrSyncCheckpoint",
    "enableStructTransfer", "enableFullTransfer", "structTransferProgress", "fullTransferProgress",
    "enableReverseIncrTransfer", "reverseIncrTransferCheckpoint",
  ];

  // The segment in force at simulated second `elapsed`, and how far into it (0..1).
  function segmentAt(project, elapsed) {
    const timeline = project.timeline;
    const total = timeline.reduce((sum, s) => sum + (s.seconds ?? Infinity), 0);
    let t = project.repeat && Number.isFinite(total) ? elapsed % total : elapsed;
    for (const segment of timeline) {
      if (segment.seconds == null || t < segment.seconds) {
        return { segment, fraction: segment.seconds ? t / segment.seconds : 0, earlier: timeline.slice(0, timeline.indexOf(segment)) };
      }
      t -= segment.seconds;
    }
    const last = timeline[timeline.length - 1];
    return { segment: last, fraction: 1, earlier: timeline.slice(0, -1) };
  }

  // Every project, with the fleets expanded: member i copies template i mod n, its clock
  // i * offsetSeconds ahead.
  function expandProjects(scenarios) {
    const projects = [...scenarios.projects];
    const byId = new Map(projects.map((p) => [p.id, p]));
    for (const fleet of scenarios.fleets ?? []) {
      for (let i = 0; i < fleet.count; i++) {
        const template = byId.get(fleet.templates[i % fleet.templates.length]);
        const id = fleet.prefix + String(i).padStart(2, "0");
        projects.push({ ...template, id, offsetSeconds: i * fleet.offsetSeconds });
      }
    }
    return projects;
  }

  function progressData(project, elapsed, nowSeconds, seed) {
    const data = Object.fromEntries(FIELDS.map((f) => [f, null]));
    Object.assign(data, project.base ?? {}, { projectId: project.id });
    const { segment, fraction, earlier } = segmentAt(project, elapsed);
    // Earlier segments' settings and ramp ends stay in force.
    for (const past of earlier) {
      Object.assign(data, past.set ?? {});
      for (const [field, [, to]] of Object.entries(past.ramp ?? {})) data[field] = to;
    }
    Object.assign(data, segment.set ?? {});
    for (const [field, [from, to]] of Object.entries(segment.ramp ?? {})) {
      data[field] = Math.floor(from + (to - from) * fraction);
    }
    const salt = hashId(project.id);
    if (segment.incr) data.incrSyncCheckpoint = nowSeconds - lag(segment.incr, seed, salt, elapsed);
    if (segment.reverse) data.reverseIncrTransferCheckpoint = nowSeconds - lag(segment.reverse, seed, salt ^ 0x5bd1e995, elapsed);
    if (segment.sybase) {
      data.incrSyncCheckpoint = segment.sybase.fileId + "," + Math.floor(elapsed * segment.sybase.offsetPerSecond);
    }
    return data;
  }

  /**
   * The simulator for a parsed scenarios file.
   * `answer(id, nowMs)` returns the HTTP status and the JSON body OMS would send.
   */
  function createSimulator(scenarios, { seed = 1, timeScale = 1, startMs = Date.now() } = {}) {
    const all = expandProjects(scenarios);
    const byId = new Map(all.map((p) => [p.id, p]));
    let requests = 0;
    return {
      projects: all.map((p) => ({ id: p.id, title: p.title })),
      answer(id, nowMs) {
        requests += 1;
        const requestId = "sim-" + (((seed >>> 0) * 1000003 + requests) >>> 0).toString(16);
        const project = byId.get(id);
        const envelope = { success: true, errorDetail: null, code: null, message: null, advice: null, requestId, pageNumber: 1, pageSize: 10, totalCount: 1, cost: "3 ms", data: null };
        if (!project || project.error) {
          return { status: 200, body: { ...envelope, ...(project ? project.error : scenarios.unknownProject), requestId } };
        }
        const elapsed = Math.max(0, (nowMs - startMs) / 1000) * timeScale + (project.offsetSeconds ?? 0);
        envelope.data = progressData(project, elapsed, Math.floor(nowMs / 1000), seed >>> 0);
        return { status: 200, body: envelope };
      },
    };
  }

  root.OmsSimulator = { createSimulator, hashId, unit, lag };
})(typeof self !== "undefined" ? self : globalThis);
