// The simulated OMS: the one place where its rules live. It turns the tasks of scenarios.json into
// the answers a real OMS gives to every action of api/actions.json (progress, steps, the project
// with its alarms and connection info, the full verification's result), and refuses what a real
// OMS refuses. The demo page's service worker (demo-sw.js) and the Node server
// (server.mjs: `make demo`'s upstream, the tests' fixture, the benchmarks) both run this module.
//
// Time: each task has its own simulated clock, `elapsed` seconds into its timeline (scaled by
// `timeScale`, started `offsetSeconds` in). A timeline is a list of segments; each names the
// step the task is on and how the progress fields move while it lasts.


const PROGRESS_FIELDS = [
  "projectId", "status", "alarmLevel", "enableIncrSync", "currentStep", "incrSyncCheckpoint",
  "enableStructTransfer", "enableFullTransfer", "structTransferProgress", "fullTransferProgress",
  "enableReverseIncrTransfer", "reverseIncrTransferCheckpoint",
];

// The stage percent of a progress answer that a step's own progress mirrors.
const STAGE_PERCENT = { STRUCT_TRANSFER: "structTransferProgress", FULL_TRANSFER: "fullTransferProgress", CONNECTOR_FULL_SYNC: "fullTransferProgress" };

const NO_ERROR = { errorDetails: null, errorCode: null, errorMsg: null, errorParam: null, failedTime: null };

// What a gateway in front of OMS answers while the way to it is down (a task's `outage`).
const GATEWAY_DOWN = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>";

// The actions that need the schema lists in their body (as ODC's client sends them); the
// reference proxy completes them from DescribeProject's mapping.
const NEEDS_SCHEMAS = new Set(["ListProjectFullVerifyResult"]);

/** FNV-1a over the id's characters (ids are ASCII). */
export function hashId(id) {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i) & 0xff;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** mulberry32: a uniform number in [0, 1) from a 32-bit state. */
export function unit(state) {
  let t = (state + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const noise = (seed, salt, n) => unit((seed ^ salt ^ Math.imul(n + 1, 0x9e3779b9)) >>> 0);

/** OMS's time format: UTC without an offset, `2023-05-31T04:08:42`. */
export function omsTime(ms) {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19);
}

/** Every task, the fleets expanded: member i copies template i mod n, its clock i × offsetSeconds
 * further on. */
export function expandProjects(scenarios) {
  const projects = [...scenarios.projects];
  const byId = new Map(projects.map((p) => [p.id, p]));
  for (const fleet of scenarios.fleets ?? []) {
    const width = String(fleet.count - 1).length;
    for (let i = 0; i < fleet.count; i++) {
      const template = byId.get(fleet.templates[i % fleet.templates.length]);
      const id = fleet.prefix + String(i).padStart(width, "0");
      projects.push({ ...template, id, offsetSeconds: (template.offsetSeconds ?? 0) + i * fleet.offsetSeconds });
    }
  }
  return projects;
}

/** Where a task's clock stands in its timeline: the segment in force, how far into it, and when
 * (in simulated seconds) each segment of the current cycle started. */
function locate(project, elapsed) {
  const timeline = project.timeline ?? [{ seconds: null }];
  const lengths = timeline.map((s) => s.seconds ?? Infinity);
  const total = lengths.reduce((a, b) => a + b, 0);
  const cycle = project.repeat && Number.isFinite(total) && total > 0 ? Math.floor(elapsed / total) * total : 0;
  const starts = [];
  let at = cycle;
  for (const length of lengths) {
    starts.push(at);
    at += length;
  }
  let index = timeline.findIndex((_, i) => elapsed < starts[i] + lengths[i]);
  if (index < 0) index = timeline.length - 1;
  const into = elapsed - starts[index];
  const length = lengths[index];
  const fraction = Number.isFinite(length) && length > 0 ? Math.min(1, into / length) : 0;
  return { timeline, index, segment: timeline[index], into, fraction, starts, lengths };
}

/** Rows move at a rate that changes every 10 simulated seconds: how far through a run of
 * `length` seconds the rows are after `into` seconds (0..1), and the current rate as a fraction
 * of the run per second. */
function rowsThrough(seed, salt, length, into) {
  if (!Number.isFinite(length) || length <= 0) return { fraction: 0, rate: 0 };
  const buckets = Math.max(1, Math.ceil(length / 10));
  const current = Math.min(buckets - 1, Math.max(0, Math.floor(into / 10)));
  let done = 0;
  let total = 0;
  let rate = 0;
  for (let i = 0; i < buckets; i++) {
    const weight = 0.6 + 0.8 * noise(seed, salt, i);
    const span = Math.min(10, length - i * 10);
    total += weight * span;
    done += weight * Math.max(0, Math.min(span, into - i * 10));
    if (i === current) rate = weight;
  }
  return { fraction: done / total, rate: rate / total };
}

/**
 * The simulator of a parsed scenarios file.
 * - `seed`: the noise of lags and rates; `timeScale`: simulated seconds per second;
 * - `startMs`: when the clocks started;
 * - `unknownIds`: `"error"` (OMS's GHANA-PROJECT000001) or `"example"` (the documented example,
 *   for tests that make up ids);
 * - `authorize(header)`: whether an `Authorization` header may read (absent: everyone may);
 * - `limits`: api/actions.json's limits (paging, a metric's window, points and aggregators); `schemasRequired`: whether
 *   ListProjectFullVerifyResult needs `sourceSchemas` and `destSchemas` as OMS does (true
 *   behind the reference proxy, which adds them; false where cards ask the simulator straight).
 */
export function createSimulator(scenarios, { actions, limits, seed = 1, timeScale = 1, startMs = Date.now(), unknownIds = "error", authorize, schemasRequired = true, pageSizeCap = Infinity, listTotals = true } = {}) {
  // What OMS answers, by action: the `data` of each action of api/actions.json (the one list of
  // the actions the card asks, which the caller hands over as `actions`).
  const DATA = {
    DescribeProjectProgress: ({ progress }) => progress,
    DescribeProjectSteps: ({ project, place, clock, progress }) => stepsData(project, place, clock, progress),
    DescribeProject: ({ project, place, clock, progress }) => projectData(project, place, clock, progress),
    ListProjectFullVerifyResult: ({ project, place, clock, progress, given }) => verificationData(project, place, clock, progress, given),
    DescribeProjectStepMetric: ({ project, clock, given }) => metricData(project, clock, given),
    // One task of a list: the task as DescribeProject has it, with its steps (listAnswer pages them).
    ListProjects: ({ project, place, clock, progress }) => ({ ...projectData(project, place, clock, progress), steps: stepsData(project, place, clock, progress) }),
  };
  const table = new Map((actions ?? []).map((a) => [a.name, a]));
  if (!Number.isInteger(limits?.maxPageSize) || !Number.isInteger(limits?.maxPageNumber)) throw new Error("the simulated OMS needs api/actions.json's limits");
  for (const name of table.keys()) {
    if (!DATA[name]) throw new Error(`the simulated OMS has no answer for ${name} (api/actions.json lists it)`);
  }
  seed >>>= 0;
  const projects = expandProjects(scenarios);
  const byId = new Map(projects.map((p) => [p.id, p]));
  let requests = 0;

  const projectOf = (id) => byId.get(id) ?? (unknownIds === "example" ? { ...scenarios.example, id } : undefined);

  /** The task's clock at `nowMs`: simulated seconds, and the wall time of a simulated second. */
  function clockOf(project, nowMs) {
    const elapsed = Math.max(0, (nowMs - startMs) / 1000) * timeScale + (project.offsetSeconds ?? 0);
    return { nowMs, elapsed, wallMs: (s) => nowMs - ((elapsed - s) / timeScale) * 1000 };
  }

  /** Seconds of lag OMS measures at simulated second `at` of segment `i`: a base, noise that
   * changes every 10 s, a spike that decays, and a steady rise (or fall) across the segment. */
  function lagAt(spec, salt, at, place, i) {
    let seconds = (spec.lagSeconds ?? 0) + (spec.jitterSeconds ?? 0) * noise(seed, salt, Math.floor(at / 10));
    if (spec.spikeEverySeconds > 0) {
      const into = at % spec.spikeEverySeconds;
      const decay = spec.spikeDecaySeconds ?? 1;
      if (into < decay) seconds += (spec.spikeSeconds ?? 0) * (1 - into / decay);
    }
    if (spec.riseSeconds) {
      const length = place.lengths[i];
      const through = Number.isFinite(length) ? Math.min(1, Math.max(0, (at - place.starts[i]) / length)) : 0;
      seconds += spec.riseSeconds * through;
    }
    return Math.max(0, Math.floor(seconds));
  }

  /** The latest checkpoint sample: OMS samples every `sampleEverySeconds` (10) of its own clock,
   * unless sampling has stopped. Unix seconds of the sample and of the checkpoint it read. */
  function sample(spec, salt, place, clock) {
    const every = spec.sampleEverySeconds ?? 10;
    const phase = (salt % 1000) / 1000 * every;
    const now = clock.nowMs / 1000;
    let at = Math.floor((now - phase) / every) * every + phase;
    if (spec.sampling === "stopped") at = Math.min(at, clock.wallMs(place.starts[place.index]) / 1000);
    const simulated = clock.elapsed - (now - at) * timeScale;
    const taken = Math.floor(at);
    return { taken, checkpoint: taken - lagAt(spec, salt, simulated, place, place.index) };
  }

  /** A step's share of rows at this moment: records processed and the write rate. */
  function rowsOf(project, step, place, clock, percent, running) {
    const salt = hashId(project.id) ^ hashId(step.name);
    const i = place.index;
    const ramp = place.segment.ramp?.[STAGE_PERCENT[step.name]];
    const span = ramp ? (ramp[1] - ramp[0]) / 100 : 1;
    const through = running ? rowsThrough(seed, salt, place.lengths[i], place.into) : null;
    const done = running ? (ramp ? ramp[0] / 100 + span * through.fraction : through.fraction) : (percent ?? 0) / 100;
    const dstRps = running && Number.isFinite(place.lengths[i]) ? Math.round(step.capacity * span * through.rate * timeScale) : 0;
    const srcRps = Math.round(dstRps * (1 + 0.04 * noise(seed, salt, Math.floor(place.into / 10))));
    const sourceBound = step.bottleneck === "source";
    return {
      processedRecords: Math.round(step.capacity * Math.min(1, done)),
      capacity: step.capacity,
      srcRps, srcRt: running ? (sourceBound ? 2.4 : 0.5) : 0, srcIops: srcRps * 310,
      dstRps, dstRt: running ? (sourceBound ? 0.6 : 1.1) : 0, dstIops: dstRps * 290,
      srcRpsRef: step.dstRpsRef ?? null, srcRtRef: 1, dstRpsRef: step.dstRpsRef ?? null, dstRtRef: 1, srcIopsRef: 4194304,
    };
  }

  function progressData(project, place, clock) {
    const data = Object.fromEntries(PROGRESS_FIELDS.map((f) => [f, null]));
    Object.assign(data, project.base ?? {}, { projectId: project.id });
    // Earlier segments' steps, settings and ramp ends stay in force.
    for (const past of place.timeline.slice(0, place.index)) {
      if (past.step) data.currentStep = past.step;
      Object.assign(data, past.set ?? {});
      for (const [field, [, to]] of Object.entries(past.ramp ?? {})) data[field] = to;
    }
    const segment = place.segment;
    if (segment.step) data.currentStep = segment.step;
    Object.assign(data, segment.set ?? {});
    const step = (project.steps ?? []).find((s) => s.name === segment.step);
    for (const [field, [from, to]] of Object.entries(segment.ramp ?? {})) {
      // The stage percent of a step with rows follows the rows, which move unevenly.
      const through = step?.capacity && STAGE_PERCENT[step.name] === field
        ? rowsThrough(seed, hashId(project.id) ^ hashId(step.name), place.lengths[place.index], place.into).fraction
        : place.fraction;
      data[field] = Math.floor(from + (to - from) * through);
    }
    const salt = hashId(project.id);
    if (segment.incr) data.incrSyncCheckpoint = sample(segment.incr, salt, place, clock).checkpoint;
    if (segment.reverse) data.reverseIncrTransferCheckpoint = sample(segment.reverse, salt ^ 0x5bd1e995, place, clock).checkpoint;
    if (segment.sybase) {
      data.incrSyncCheckpoint = segment.sybase.fileId + "," + Math.floor(clock.elapsed * segment.sybase.offsetPerSecond);
    }
    return data;
  }

  function stepsData(project, place, clock, progress) {
    const steps = project.steps ?? [];
    const { timeline, index, segment, starts } = place;
    const current = steps.findIndex((s) => s.name === segment.step);
    const at = (i) => omsTime(clock.wallMs(starts[i]));
    return steps.map((step, k) => {
      // The segments of this cycle, up to now, in which the step was the current one.
      const runs = timeline.map((s, i) => (s.step === step.name && i <= index ? i : -1)).filter((i) => i >= 0);
      const percentField = STAGE_PERCENT[step.name];
      const entry = {
        order: step.order ?? k + 1, name: step.name, description: scenarios.descriptions?.[step.name] ?? step.name,
        status: "INIT", extraInfo: { ...NO_ERROR }, startTime: null, finishTime: null, progress: 0, stepInfo: null,
      };
      if (k < current || (current < 0 && runs.length > 0)) {
        entry.status = "FINISHED";
        entry.progress = 100;
        if (runs.length > 0) {
          entry.startTime = at(runs[0]);
          entry.finishTime = at(Math.min(index, runs[runs.length - 1] + 1));
        }
      } else if (k === current) {
        entry.status = segment.stepStatus ?? "RUNNING";
        entry.startTime = at(runs[0]);
        if (entry.status === "FINISHED") entry.finishTime = at(runs.find((i) => (timeline[i].stepStatus ?? "RUNNING") === "FINISHED"));
        if (entry.status === "FAILED") entry.extraInfo = { ...NO_ERROR, ...segment.error, failedTime: at(index) };
        const percent = percentField ? Number(progress[percentField]) : null;
        const through = step.capacity ? rowsThrough(seed, hashId(project.id) ^ hashId(step.name), place.lengths[index], place.into).fraction : place.fraction;
        entry.progress = ["MONITORING", "FINISHED"].includes(entry.status) ? 100
          : percent != null && Number.isFinite(percent) ? percent
          : entry.status === "RUNNING" ? Math.floor(through * 100) : (segment.stepProgress ?? 0);
      }
      if (step.capacity) {
        const running = entry.status === "RUNNING" && k === current;
        entry.stepInfo = rowsOf(project, step, place, clock, entry.progress, running);
        if (entry.status === "INIT") entry.stepInfo.processedRecords = 0;
      } else if (/INCR_TRANSFER$|^CONNECTOR_INCR_SYNC$/.test(step.name)) {
        const live = k === current && segment.incr && ["RUNNING", "MONITORING"].includes(entry.status);
        const taken = live ? sample(segment.incr, hashId(project.id), place, clock) : null;
        entry.stepInfo = { incrTimestampCheckpoint: taken?.checkpoint ?? null, checkpointSampleTimestamp: taken?.taken ?? null, enableIncrStatistics: null };
      }
      return entry;
    });
  }

  /** A task's kind, as ListProjects filters it: MIGRATION, SYNC or VERIFY. */
  const typeOf = (project) => project.type ?? "MIGRATION";

  /** The schemas a task moves: `{ name, mappedName }` each. */
  const schemasOf = (project) => project.schemas ?? [{ name: "app", mappedName: "app" }];

  /** DescribeProject: the task as OMS describes it, with everything a real answer carries that
   * the card must never see (connection info, mapping, configuration). */
  function projectData(project, place, clock, progress) {
    const alarm = place.segment.alarm;
    const endpoint = (side, engine) => ({
      id: `e_${side}_${hashId(project.id).toString(16)}`, endpointName: `${side}-endpoint`, endpointId: `ep_${side}`, endpointSide: side.toUpperCase(),
      dbEngine: engine, connectionInfo: null, username: `oms_${side}_user`, version: "5.7.27-log", timezone: "UTC", charset: "utf8mb4",
      nlsLengthSemantics: null, operatingSystem: "Linux", region: "cn-shanghai", ocpName: "", owner: "admin", resourceOwner: "admin",
      connExtraAttributes: side === "sink" ? { cluster: "obcluster", tenant: "oms_tenant", isLogicSource: false, useLogProxy: false, drcUser: "root", configUrl: "http://config.internal:8080/services?Action=ObRootServiceInfo", logProxyIp: null, logProxyPort: null, noUserAuth: false } : null,
      host: side === "source" ? "10.20.30.40" : "10.20.30.41", port: side === "source" ? 3306 : 2883,
    });
    return {
      workerGradeId: "wg_sim", id: project.id, type: typeOf(project), name: project.name ?? project.title?.split(":")[0] ?? project.id, labels: null,
      owner: "admin", importance: "LOW", status: progress.status, gmtCreate: omsTime(clock.wallMs(0)), gmtModified: omsTime(clock.nowMs), gmtStart: omsTime(clock.wallMs(0)),
      gmtFinish: null, destConnId: null, isMerging: false, isModifying: false, isSubProject: false, sourceEndpointType: project.endpoints?.source ?? "MYSQL", sinkEndpointType: project.endpoints?.sink ?? "OB_MYSQL",
      transferMapping: { mode: "SPECIFIC", databases: schemasOf(project).map((s) => ({ name: s.name, mappedName: s.mappedName ?? s.name, tables: [], views: [] })) },
      commonTransferConfig: { tableCategory: "ALL", dataWorkerNum: 8 }, enableStructTransfer: progress.enableStructTransfer, structTransferConfig: { byteTypeConvert: false },
      enableFullTransfer: progress.enableFullTransfer, enableFullVerify: (project.steps ?? []).some((s) => s.name === "FULL_VERIFIER"),
      fullTransferConfig: { readWorkerNum: 8, writeWorkerNum: 8 }, enableIncrTransfer: progress.enableIncrSync, enableIncrVerify: false,
      enableReverseIncrTransfer: progress.enableReverseIncrTransfer, incrTransferConfig: { startTimestamp: null, recordTypeWhiteList: ["INSERT", "UPDATE", "DELETE"] },
      sourceConnectInfo: endpoint("source", "MYSQL_PUBLIC"), sinkConnectInfo: endpoint("sink", "OB_MYSQL_PUBLIC"),
      steps: null, extraInfo: null,
      alarmStats: { target: null, alarming: !!alarm, recentlyTriggerCount: alarm?.count ?? null, ruleToRecentlyTriggerCount: null, alarmContent: alarm?.content ?? null, openMonitor: true },
    };
  }

  /** ListProjectFullVerifyResult: what full verification found so far (its counts grow with the
   * FULL_VERIFIER step), for the schemas asked, one page of tables. */
  function verificationData(project, place, clock, progress, given) {
    const verifier = stepsData(project, place, clock, progress).find((s) => s.name === "FULL_VERIFIER");
    const through = !verifier || verifier.status === "INIT" ? 0 : verifier.status === "FINISHED" ? 1 : Math.min(1, (verifier.progress ?? 0) / 100);
    const asked = Array.isArray(given?.sourceSchemas) ? new Set(given.sourceSchemas) : null;
    const mapped = new Map(schemasOf(project).map((s) => [s.name, s.mappedName ?? s.name]));
    const tables = (project.verification?.tables ?? schemasOf(project).map((s) => ({ schema: s.name, table: "t_main", consistent: 1000 })))
      .filter((t) => !asked || asked.has(t.schema));
    const found = (n) => Math.round((n ?? 0) * through);
    const rows = tables.map((t) => {
      const [mismatched, sourceOnly, destOnly] = [found(t.mismatched), found(t.sourceOnly), found(t.destOnly)];
      const differ = mismatched + sourceOnly + destOnly > 0;
      return {
        sourceTableName: t.table, sourceSchemaName: t.schema, destSchemaName: mapped.get(t.schema) ?? t.schema,
        sourceOnlyCount: sourceOnly, destOnlyCount: destOnly, mismatchedCount: mismatched, consistentCount: found(t.consistent),
        progress: String(Math.round(through * 100) / 100), message: differ ? "Inconsistent" : "Consistent", status: through >= 1 ? "FINISHED" : "RUNNING",
        resultType: differ ? "INCONSISTENT" : "CONSISTENT", resultDesc: differ ? "不一致" : "一致", errorDetails: null,
      };
    });
    const differentNumber = rows.reduce((sum, r) => sum + r.mismatchedCount + r.sourceOnlyCount + r.destOnlyCount, 0);
    const size = given?.pageSize ?? 10;
    const page = given?.pageNumber ?? 1;
    return { differentNumber, fullVerifyTableStatistics: rows.slice((page - 1) * size, page * size), totalCount: rows.length };
  }

  /** Where a task's clock stood at simulated second `elapsed`, also before the simulator started
   * for a task that repeats (its earlier cycles); `null` before the start of one that does not. */
  function placeAt(project, elapsed) {
    return elapsed < 0 && !project.repeat ? null : locate(project, elapsed);
  }

  /** Records a step with rows had written at simulated second `elapsed`: none before it ran,
   * all after, the rows model while it runs (as `rowsOf` says in the steps answer). */
  function rowsAt(project, step, elapsed) {
    const place = placeAt(project, elapsed);
    const i = place?.timeline.findIndex((s) => s.step === step.name) ?? -1;
    if (i < 0 || place.index < i) return 0;
    if (place.index > i) return step.capacity;
    const ramp = place.segment.ramp?.[STAGE_PERCENT[step.name]];
    const through = rowsThrough(seed, hashId(project.id) ^ hashId(step.name), place.lengths[i], place.into).fraction;
    return step.capacity * Math.min(1, ramp ? ramp[0] / 100 + ((ramp[1] - ramp[0]) / 100) * through : through);
  }

  /** DescribeProjectStepMetric: the step's metric over the window asked, as OMS keeps it: at
   * most `maxPointNum` points evenly spread and ending at the window's end, each for the time
   * since the point before; none for a step the task does not have. From the same models as
   * the live answers, read on the task's clock, so a series and the polls after it agree:
   * - RPS of a step with rows: the rows it wrote in that time, a second (none before it ran);
   * - DELAY of an incremental step: its lag then, where it was syncing (no point elsewhere);
   * - anything else: a wobble around 100.
   * The demo's syncing tasks start more than an hour into their sync, so their charts are full
   * at once.
   * Timestamps in seconds, or milliseconds for a task with `metricMillis` (as some servers send
   * them). */
  function metricData(project, clock, given) {
    const { stepName: name, metricType: metric, aggregator = "NONE", beginTimestamp: begin, endTimestamp: end, maxPointNum: most = 60 } = given;
    const step = (project.steps ?? []).find((s) => s.name === name);
    if (!step) return { metrics: [] };
    const count = Math.max(1, Math.min(most, Math.floor((end - begin) / 60)));
    const width = (end - begin) / count;
    const now = clock.nowMs / 1000;
    const elapsedAt = (t) => clock.elapsed - (now - t) * timeScale;
    const salt = hashId(project.id) ^ hashId(name) ^ hashId(metric ?? "");
    const value = (t) => {
      const at = elapsedAt(t);
      if (metric === "RPS" && step.capacity) return Math.max(0, Math.round((rowsAt(project, step, at) - rowsAt(project, step, elapsedAt(t - width))) / width));
      if (metric === "DELAY") {
        const place = placeAt(project, at);
        if (place?.segment.step !== name || !place.segment.incr) return null;
        return lagAt(place.segment.incr, hashId(project.id), at, place, place.index);
      }
      return Math.round(100 + 20 * noise(seed, salt, Math.floor(t / 60)));
    };
    const points = [];
    for (let k = 0; k < count; k++) {
      const t = Math.round(end - (count - 1 - k) * width);
      const v = value(t);
      if (v !== null) points.push({ timestamp: project.metricMillis ? t * 1000 : t, value: v });
    }
    return { metrics: [{ metricType: metric, aggregator, dataPoints: points }] };
  }

  function envelope(requestId) {
    return { success: true, errorDetail: null, code: null, message: null, advice: null, requestId, pageNumber: 1, pageSize: 10, totalCount: 1, cost: "3 ms", data: null };
  }

  function refusal(status, code, message, requestId) {
    return { status, body: { ...envelope(requestId), success: false, code, message, errorDetail: { code, level: "ERROR", message, reason: null, proposal: null } } };
  }

  /** The answer OMS gives to `action` for task `id` at `nowMs`, asked with body `given`:
   * `{ status, body }`, the body an object to send as JSON, or text with its `type` (a gateway's
   * page while the way to OMS is down: the last `forSeconds` of every `everySeconds` of a task's
   * `outage`). */
  function answer(action, id, nowMs = Date.now(), requestId = nextRequestId(), given = {}) {
    const project = projectOf(id);
    if (!project || project.error) {
      return { status: 200, body: { ...envelope(requestId), ...(project ? project.error : scenarios.unknownProject), requestId } };
    }
    const clock = clockOf(project, nowMs);
    const outage = project.outage;
    if (outage && clock.elapsed % outage.everySeconds >= outage.everySeconds - outage.forSeconds) {
      return { status: 502, body: GATEWAY_DOWN, type: "text/html" };
    }
    const place = locate(project, clock.elapsed);
    const progress = progressData(project, place, clock);
    const body = envelope(requestId);
    body.data = DATA[action]({ project, place, clock, progress, given });
    if (Array.isArray(body.data)) body.totalCount = body.data.length;
    if (body.data?.totalCount !== undefined) {
      body.totalCount = body.data.totalCount;
      delete body.data.totalCount;
      body.pageNumber = given.pageNumber ?? 1;
      body.pageSize = given.pageSize ?? 10;
    }
    return { status: 200, body };
  }

  /** A list of tasks (ListProjects): every simulated task that passes the filters of `given`
   * (statuses, type, a search in name or id, labels; none of the simulated tasks has a label),
   * in OMS's order (the table's, or by `sortField` and `order`), one page of it (its paging
   * checked by `handle`). Refused as OMS refuses a filter it does not know. */
  function listAnswer(action, fields, given, nowMs, requestId) {
    const kinds = Object.fromEntries(fields.map(([field, kind]) => [kind, given[field]]));
    const { pageNumber = 1, searchKey, projectType, projectStatuses, labelIds, sortField, sortOrder } = kinds;
    // An OMS may hold a page to fewer tasks than asked (`pageSizeCap`), and says so in its answer.
    const pageSize = Math.min(kinds.pageSize ?? 10, pageSizeCap);
    const listOf = (v, known) => v === undefined || (Array.isArray(v) && v.every((x) => typeof x === "string" && (!known || known.includes(x))));
    if (!listOf(projectStatuses, limits.projectStatuses) || !listOf(labelIds) || (labelIds?.length ?? 0) > limits.maxLabelIds) return refusal(400, "PARAM_ERROR", "Unknown status or too many labels.", requestId);
    if ((projectType !== undefined && !limits.projectTypes.includes(projectType)) || (sortField !== undefined && !limits.sortFields.includes(sortField)) || (sortOrder !== undefined && !limits.sortOrders.includes(sortOrder))) return refusal(400, "PARAM_ERROR", "Unknown type or sort.", requestId);
    const search = typeof searchKey === "string" ? searchKey.toLowerCase() : null;
    const listed = [];
    for (const project of projects) {
      if (project.error) continue;
      const clock = clockOf(project, nowMs);
      const place = locate(project, clock.elapsed);
      const progress = progressData(project, place, clock);
      const task = { project, place, clock, progress, name: project.name ?? project.title?.split(":")[0] ?? project.id };
      if (projectStatuses?.length && !projectStatuses.includes(progress.status)) continue;
      if (projectType !== undefined && typeOf(project) !== projectType) continue;
      if (search && !task.name.toLowerCase().includes(search) && !project.id.toLowerCase().includes(search)) continue;
      if (labelIds?.length) continue;
      listed.push(task);
    }
    if (sortField) {
      const key = (t) => (sortField === "name" ? t.name : t.clock.wallMs(0));
      listed.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) * (sortOrder === "desc" ? -1 : 1));
    }
    const body = envelope(requestId);
    body.data = listed.slice((pageNumber - 1) * pageSize, pageNumber * pageSize).map((t) => DATA[action](t));
    Object.assign(body, { totalCount: listed.length, pageNumber, pageSize });
    // An OMS whose list answers carry no count (`listTotals: false`): a page's size tells its last.
    if (!listTotals) delete body.totalCount;
    return { status: 200, body };
  }

  function nextRequestId() {
    requests += 1;
    return "sim-" + ((seed * 1000003 + requests) >>> 0).toString(16);
  }

  /** Answers one HTTP request to `/api/v2` as OMS would: `{ status, body, type? }` (see
   * `answer`). `search` is the query string, `body` the request body as text. */
  function handle({ method = "POST", search = "", body = "", authorization = null }, nowMs = Date.now()) {
    const requestId = nextRequestId();
    if (authorize && !authorize(authorization)) {
      return refusal(401, "UNAUTHORIZED", "Full authentication is required to access this resource.", requestId);
    }
    if (method !== "POST") return refusal(405, "METHOD_NOT_ALLOWED", `Request method '${method}' is not supported.`, requestId);
    const action = new URLSearchParams(search).get("Action");
    if (!table.has(action)) return refusal(400, "UNSUPPORTED_ACTION", `The action ${action ?? "(none)"} is not supported.`, requestId);
    let given;
    try {
      given = JSON.parse(body);
    } catch {
      given = undefined;
    }
    // Each field of the action's body, as the table says (a task id: a non-empty string; a page
    // number from 1; a page size from 1 to OMS's limit).
    const fields = Object.entries(table.get(action).body);
    const [idField] = fields.find(([, kind]) => kind === "projectId") ?? [];
    const id = given?.[idField];
    const listing = idField === undefined; // a list of tasks names none
    if (listing && (given === null || typeof given !== "object")) return refusal(400, "PARAM_ERROR", "The request body must be a JSON object.", requestId);
    if (!listing && (typeof id !== "string" || id === "")) return refusal(400, "PARAM_ERROR", `The request body must be JSON with a string ${idField}.`, requestId);
    const most = { pageNumber: limits.maxPageNumber, pageSize: limits.maxPageSize };
    for (const [field, kind] of fields) {
      const value = given[field];
      if (kind in most && value !== undefined && !(Number.isInteger(value) && value >= 1 && value <= most[kind])) {
        return refusal(400, "PARAM_ERROR", `${field} must be an integer from 1 to ${most[kind]}.`, requestId);
      }
    }
    if (listing) return listAnswer(action, fields, given, nowMs, requestId);
    if (action === "DescribeProjectStepMetric") {
      // OMS's own rules: a window of at least an hour that ends no later than now, 5 to 72 460
      // points, an aggregator it knows.
      const { beginTimestamp: begin, endTimestamp: end, maxPointNum: most, aggregator } = given;
      if (!Number.isInteger(begin) || !Number.isInteger(end) || end - begin < limits.minWindowSeconds) return refusal(400, "PARAM_ERROR", "The time range must be at least 1 hour.", requestId);
      if (end > nowMs / 1000 + 5) return refusal(400, "PARAM_ERROR", "The end time cannot be later than the current time.", requestId);
      if (most !== undefined && !(Number.isInteger(most) && most >= 5 && most <= 72460)) return refusal(400, "PARAM_ERROR", "maxPointNum must be from 5 to 72460.", requestId);
      if (aggregator !== undefined && !limits.aggregators.includes(aggregator)) return refusal(400, "PARAM_ERROR", "Unknown aggregator.", requestId);
    }
    if (schemasRequired && NEEDS_SCHEMAS.has(action)) {
      const listed = (v) => Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === "string");
      if (!listed(given.sourceSchemas)) return refusal(400, "PARAM_ERROR", "source schemas can not be null", requestId);
      if (!listed(given.destSchemas)) return refusal(400, "PARAM_ERROR", "dest schemas can not be null", requestId);
    }
    return answer(action, id, nowMs, requestId, given);
  }

  return {
    /** The simulated tasks: id and title. */
    projects: projects.filter((p) => !p.error).map((p) => ({ id: p.id, title: p.title })),
    answer,
    handle,
  };
}
