// A thousand tasks on one page, three ways, side by side in one run, behind the release proxy in
// front of the simulated OMS (its fleet np_all_000 … 999, in every state): one
// <oms-project-list> (ListProjects, seven pages an interval), 1 000 <oms-progress-card> elements
// (compact, each its own task, the default story: progress and steps), and 1 000 vanilla elements
// (bench/vanilla/, progress alone). For each, at an interval of 5 s in a 1 000 × 900 viewport:
// - requests per interval (every /api/v2 request the page sent over a minute, per 5 s);
// - main-thread time per minute while polling (DevTools Protocol, TaskDuration);
// - memory per task: JS heap and wasm memory after a forced GC, minus the same page empty, / 1 000;
// - time from navigation until every card (or list row) on screen shows data, and until all do
//   (for the list: its first oms-list, every task known);
// - the page's long tasks (over 50 ms, as Chromium reports them): the longest, and the time they
//   block input beyond 50 ms (Lighthouse's total blocking time) from navigation until every task
//   has data, and a minute of polling.
//
//   node bench/fleet.mjs [--site DIR] [--binary PATH] [--only list|widget|vanilla] [--seconds N] [--tasks N]
//   (--seconds: how long the polling is measured, 60 by default; 600 shows the memory of a page
//   whose samples have filled up; --tasks: the fleet's size and the list's `max`, 1 000 by default)
//   (make bench runs it as part of run.mjs)
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ROOT, launchChromium, demoStack } from "../tests/e2e/harness.mjs";

const TASKS = 1000;
const INTERVAL = 5;
const SECONDS = 60;

/** The three pages' figures: { list, widget, vanilla }. */
export async function measureFleet({ browser, site, binary, only = null, seconds = SECONDS, tasks = TASKS }) {
  const stack = await demoStack({ staticDir: site, binary, proxyArgs: ["--rate-limit", "0"], simArgs: [`--fleet-size=${tasks}`] });
  const results = {};
  try {
    const open = async (query) => {
      const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
      await context.addInitScript(() => {
        window.longTasks = [];
        new PerformanceObserver((list) => window.longTasks.push(...list.getEntries().map((e) => [e.startTime, e.duration]))).observe({ type: "longtask", buffered: true });
      });
      const page = await context.newPage();
      await page.goto(`${stack.url}/bench/page.html?${query}`);
      return { page, context, cdp: await context.newCDPSession(page) };
    };
    const memory = async ({ page, cdp }) => {
      await cdp.send("HeapProfiler.collectGarbage");
      await cdp.send("HeapProfiler.collectGarbage");
      const heap = (await cdp.send("Runtime.getHeapUsage")).usedSize;
      const wasm = await page.evaluate(() => window.bench.wasmBytes?.() ?? 0);
      return { heap, wasm };
    };
    const empty = {};
    for (const kind of ["widget", "vanilla"]) {
      const blank = await open(`kind=${kind}&n=0`);
      await blank.page.waitForFunction(() => window.bench?.ready, null, { timeout: 30000 });
      empty[kind] = await memory(blank);
      await blank.context.close();
    }
    const pages = { list: `kind=list&n=${tasks}`, widget: `kind=widget&n=${tasks}&ids=all`, vanilla: `kind=vanilla&n=${tasks}&ids=all` };
    for (const [kind, query] of Object.entries(pages).filter(([kind]) => !only || kind === only)) {
      const opened = await open(`${query}&interval=${INTERVAL}`);
      const { page, context, cdp } = opened;
      await page.waitForFunction(() => window.bench?.allData != null && window.bench?.visibleData != null, null, { timeout: 180000 });
      const { allData, visibleData } = await page.evaluate(() => window.bench);
      const longTasks = async (from, to) => (await page.evaluate(() => window.longTasks)).filter(([start]) => start >= from && start < to);
      const blocking = (tasks) => Math.round(tasks.reduce((sum, [, d]) => sum + Math.max(0, d - 50), 0));
      const longest = (tasks) => Math.round(Math.max(0, ...tasks.map(([, d]) => d)));
      const loading = await longTasks(0, allData);
      await cdp.send("Performance.enable");
      await page.waitForTimeout(2 * INTERVAL * 1000);
      const metric = async () => Object.fromEntries((await cdp.send("Performance.getMetrics")).metrics.map((m) => [m.name, m.value]));
      const requests = () => page.evaluate(() => window.bench.requests);
      const [a, ra, ta] = [await metric(), await requests(), await page.evaluate(() => performance.now())];
      await page.waitForTimeout(seconds * 1000);
      const [b, rb, tb] = [await metric(), await requests(), await page.evaluate(() => performance.now())];
      const polling = await longTasks(ta, tb);
      const used = await memory(opened);
      const base = empty[kind === "vanilla" ? "vanilla" : "widget"];
      const perTask = (bytes) => Math.round((bytes / tasks / 1024) * 10) / 10;
      results[kind] = {
        tasks,
        requestsPerInterval: Math.round(((rb - ra) / (seconds / INTERVAL)) * 10) / 10,
        mainThreadMsPerMinute: Math.round((b.TaskDuration - a.TaskDuration) * 1000 * (60 / seconds)),
        memoryPerTaskKB: perTask(used.heap + used.wasm - base.heap - base.wasm),
        jsHeapPerTaskKB: perTask(used.heap - base.heap),
        wasmPerTaskKB: perTask(used.wasm - base.wasm),
        visibleDataMs: Math.round(visibleData),
        allDataMs: Math.round(allData),
        loadingBlockingMs: blocking(loading),
        loadingLongestTaskMs: longest(loading),
        pollingBlockingMsPerMinute: Math.round(blocking(polling) * (60 / seconds)),
        pollingLongestTaskMs: longest(polling),
      };
      await context.close();
    }
  } finally {
    stack.stop();
  }
  const ratio = (a, b) => Math.round((a / b) * 100) / 100;
  if (only) return results;
  results.ratios = {
    mainThreadListToVanilla: ratio(results.list.mainThreadMsPerMinute, results.vanilla.mainThreadMsPerMinute),
    mainThreadCardsToVanilla: ratio(results.widget.mainThreadMsPerMinute, results.vanilla.mainThreadMsPerMinute),
  };
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const at = process.argv.indexOf(name);
    return at > 0 ? process.argv[at + 1] : fallback;
  };
  const { buildDemoSite } = await import("../scripts/demo-site.mjs");
  const site = arg("--site", null) ?? buildDemoSite(path.join(ROOT, "target/bench/site"), ["bench/page.html", "bench/page.js", "bench/vanilla"]);
  const binary = arg("--binary", path.join(ROOT, "target/release/oms-progress-proxy"));
  if (!fs.existsSync(binary)) throw new Error(`${binary}: build it first (cargo build --release -p oms-progress-proxy)`);
  const browser = await launchChromium();
  try {
    const seconds = Number(arg("--seconds", SECONDS));
    const tasks = Number(arg("--tasks", TASKS));
    console.log(JSON.stringify(await measureFleet({ browser, site, binary, only: arg("--only", null), seconds, tasks }), null, 2));
  } finally {
    await browser.close();
  }
}
