// The fleet's list, <oms-project-list>, as a portal meets it: real Chromium, the reference proxy in
// front of the simulated OMS (its fleet np_all_… sized for the test), asserted through the
// list's hooks (data-state, data-total, the summary, one [data-project] row per task).
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { testbed, demoStack, waitFor, ACTION } from "./harness.mjs";

const bed = testbed({ fixture: false });
const { Projects: LIST, Progress: PROGRESS, Steps: STEPS } = ACTION;
const surface = JSON.parse(fs.readFileSync(new URL("../../src/element/surface.json", import.meta.url), "utf8"));
const PAGE_SIZE = surface.constants.listPageSize.value;
const ORDER = ["failed", "alarm", "lagging", "stale", "ok", "done"];

/** The proxy in front of the simulated OMS, its fleet `size` tasks, letting the test bed in. */
function stack({ size = 320, proxyArgs = [], simArgs = [], fixture = false } = {}) {
  const staticDir = fs.mkdtempSync(path.join(os.tmpdir(), "oms-list-"));
  return demoStack({ staticDir, fixture, simArgs: [`--fleet-size=${size}`, ...simArgs], proxyArgs: ["--allow-origin", bed.server.url, ...proxyArgs] });
}

/** Opens a page with one list (`attributes` its attributes) and the package loaded. Records the
 * list's events (`window.events`) and, in the test, every request the page sends:
 * `{ action, body }`. */
async function listPage(name, attributes) {
  const attrs = Object.entries({ locale: "en", ...attributes }).map(([k, v]) => `${k}="${String(v).replaceAll('"', "&quot;")}"`).join(" ");
  bed.pages[`/${name}.html`] = `<!doctype html><html lang="en"><body style="margin:0">
    <oms-project-list ${attrs}></oms-project-list>
    <script type="module">
      import init from "/pkg/oms_progress_card.js";
      window.events = [];
      for (const name of ["oms-list", "oms-error"]) document.addEventListener(name, (e) => window.events.push({ name, detail: e.detail }));
      await init();
      // Every data-state the list takes, with the rows it shows at that moment.
      window.states = [];
      const root = document.querySelector("oms-project-list").shadowRoot;
      new MutationObserver(() => {
        const list = root.querySelector("[data-oms-list]");
        if (list?.dataset.state !== window.states.at(-1)?.state) window.states.push({ state: list?.dataset.state, rows: root.querySelectorAll("[data-project]").length });
      }).observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-state"] });
    </script></body></html>`;
  const page = await bed.browser.newPage({ viewport: { width: 1000, height: 900 } });
  const errors = [];
  const requests = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("request", (r) => {
    const action = new URL(r.url()).searchParams.get("Action");
    if (action) requests.push({ action, body: JSON.parse(r.postData() ?? "null") });
  });
  await page.goto(`${bed.server.url}/${name}.html`);
  return { page, errors, requests };
}

/** What the list shows: its hooks, the summary's counts, each row's id and attention. */
const shown = (page, selector = "oms-project-list") => page.evaluate((selector) => {
  const root = document.querySelector(selector)?.shadowRoot;
  const list = root?.querySelector("[data-oms-list]");
  if (!list) return null;
  const summary = root.querySelector('[data-field="summary"]');
  return {
    state: list.dataset.state, total: list.dataset.total, shown: list.dataset.shown,
    counts: Object.fromEntries(["failed", "alarm", "lagging", "running", "done"].map((k) => [k, summary.dataset[k] === undefined ? null : Number(summary.dataset[k])])),
    rows: [...root.querySelectorAll("[data-oms-list] [data-project]")].map((r) => ({ id: r.dataset.project, attention: r.dataset.attention })),
    alert: root.querySelector(".oms-list-head ~ .oms-freshness [role=alert]")?.textContent ?? null,
  };
}, selector);

/** Waits until the list (`selector`: the page's first) shows what `holds(shown)` accepts, and
 * returns it. */
async function until(page, holds, timeout = 20000, selector = undefined) {
  let last;
  await waitFor(async () => holds((last = await shown(page, selector))) === true, timeout).catch((e) => {
    throw new Error(`${e.message}\nlast seen: ${JSON.stringify(last && { ...last, rows: last.rows.length })}`);
  });
  return last;
}

/** The tasks OMS holds for a list body, read from the proxy as the page would (every page). */
async function omsTasks(url, filters = {}) {
  const tasks = [];
  for (let pageNumber = 1; ; pageNumber++) {
    const answer = await (await fetch(`${url}/api/v2?Action=${LIST}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ pageNumber, pageSize: PAGE_SIZE, ...filters }) })).json();
    tasks.push(...answer.data);
    // Its count read, or a page with nothing (an OMS may hold a page to fewer than were asked).
    if (!answer.data.length || tasks.length >= answer.totalCount) return { tasks, total: answer.totalCount };
  }
}

const ready = (n) => (s) => s?.state === "ready" && s.rows.length === n;

test("320 tasks over 3 pages: every one listed, counted and in attention order, for 3 requests an interval", async () => {
  const oms = await stack();
  try {
    const { page, errors, requests } = await listPage("list-320", { "proxy-url": oms.url, search: "np_all_" });
    const s = await until(page, ready(320));
    // Ready means whole: a host that waits for it counts every task (the rows come page by page
    // while the list is loading).
    const states = await page.evaluate(() => window.states);
    assert.deepEqual(states.filter((t) => t.state !== "loading"), [{ state: "ready", rows: 320 }], JSON.stringify(states));
    assert.equal(s.total, "320");
    assert.equal(s.shown, "320");
    assert.equal(new Set(s.rows.map((r) => r.id)).size, 320, "each task once");
    assert.ok(s.rows.every((r) => r.id.startsWith("np_all_")));
    // Three pages of OMS's largest, the filter in each; no per-task request while listed.
    const lists = requests.filter((r) => r.action === LIST);
    assert.deepEqual(lists.slice(0, 3).map((r) => r.body.pageNumber).sort(), [1, 2, 3]);
    assert.ok(lists.every((r) => r.body.pageSize === PAGE_SIZE && r.body.searchKey === "np_all_"));
    assert.deepEqual(requests.filter((r) => r.action !== LIST), [], "no task is asked on its own");
    // In attention order, each word one of the contract's.
    const ranks = s.rows.map((r) => ORDER.indexOf(r.attention));
    assert.ok(ranks.every((rank) => rank >= 0), "every row has its word");
    assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), "failed first, done last");
    // The summary counts what the rows say, and what OMS says of the tasks.
    const word = (w) => s.rows.filter((r) => r.attention === w).length;
    assert.deepEqual(s.counts, { ...s.counts, failed: word("failed"), alarm: word("alarm"), lagging: word("lagging"), done: word("done") });
    const { tasks } = await omsTasks(oms.url, { searchKey: "np_all_" });
    const attention = new Map(s.rows.map((r) => [r.id, r.attention]));
    const running = tasks.filter((t) => t.status.startsWith("RUNNING")).length;
    assert.equal(s.counts.running, running, "running: the tasks OMS says run");
    for (const t of tasks.filter((t) => t.status === "FAILED")) assert.equal(attention.get(t.id), "failed", t.id);
    for (const t of tasks.filter((t) => t.status === "FINISHED")) assert.equal(attention.get(t.id), "done", t.id);
    assert.ok(s.counts.failed > 0 && s.counts.done > 0 && s.counts.lagging > 0 && s.counts.alarm > 0, "a fleet in every state");
    // oms-list carried the tasks as OMS listed them.
    const listed = await page.evaluate(() => window.events.find((e) => e.name === "oms-list")?.detail.map((t) => t.id));
    assert.deepEqual(listed, tasks.map((t) => t.id));
    // A row on screen shows its compact card's hooks.
    const first = await page.evaluate(() => {
      const row = document.querySelector("oms-project-list").shadowRoot.querySelector("[data-project]");
      return { status: row.querySelector('[data-field="status"]')?.dataset.value, layout: row.querySelector("[data-oms-card]")?.dataset.layout };
    });
    assert.deepEqual(first, { status: tasks.find((t) => t.id === s.rows[0].id).status, layout: "compact" });
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    oms.stop();
  }
});

test("an OMS that holds a page to fewer tasks than asked is paged at its own size: every task listed", async () => {
  // 320 tasks, 100 a page whatever the list asks: four pages, not three of which the last 20 go
  // unlisted.
  const oms = await stack({ simArgs: ["--page-size-cap=100"] });
  try {
    const { page, errors, requests } = await listPage("list-capped", { "proxy-url": oms.url, search: "np_all_" });
    const s = await until(page, ready(320));
    assert.equal(s.total, "320");
    assert.equal(new Set(s.rows.map((r) => r.id)).size, 320, "each task once");
    const { tasks } = await omsTasks(oms.url, { searchKey: "np_all_" });
    assert.deepEqual(s.rows.map((r) => r.id).toSorted(), tasks.map((t) => t.id).toSorted());
    // The first page asks OMS's most; the others ask the size OMS holds a page to.
    const poll = requests.filter((r) => r.action === LIST).slice(0, 4).map((r) => [r.body.pageNumber, r.body.pageSize]);
    assert.deepEqual(poll.toSorted((a, b) => a[0] - b[0]), [[1, PAGE_SIZE], [2, 100], [3, 100], [4, 100]]);
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    oms.stop();
  }
});

test("an OMS that gives no count but says what its page holds is paged to the end: every task listed", async () => {
  // 320 tasks, 100 a page, no totalCount: the first page's pageSize (100, under the 150 asked)
  // says more may follow, so the list asks on at that size instead of stopping at 100 tasks.
  const oms = await stack({ simArgs: ["--page-size-cap=100", "--no-total-count"] });
  try {
    const { page, errors, requests } = await listPage("list-uncounted", { "proxy-url": oms.url, search: "np_all_" });
    const s = await until(page, ready(320));
    assert.equal(new Set(s.rows.map((r) => r.id)).size, 320, "each task once");
    const { tasks } = await omsTasks(oms.url, { searchKey: "np_all_" });
    assert.deepEqual(s.rows.map((r) => r.id).toSorted(), tasks.map((t) => t.id).toSorted());
    // Without a count the list asks the pages its max needs, at the size OMS holds a page to.
    const poll = requests.filter((r) => r.action === LIST).slice(0, 10).map((r) => [r.body.pageNumber, r.body.pageSize]);
    assert.deepEqual(poll.toSorted((a, b) => a[0] - b[0]), [[1, PAGE_SIZE], ...Array.from({ length: 9 }, (_, i) => [i + 2, 100])]);
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    oms.stop();
  }
});

test("status, type and search reach OMS as its own filters, and a change asks anew", async () => {
  const oms = await stack();
  try {
    const filters = { status: "running, failed", type: "migration", search: "np_all_1" };
    const { page, requests } = await listPage("list-filters", { "proxy-url": oms.url, ...filters });
    const expected = await omsTasks(oms.url, { status: ["RUNNING", "FAILED"], type: "MIGRATION", searchKey: "np_all_1" });
    assert.ok(expected.total > 0 && expected.total < 120, `OMS's filtered list: ${expected.total}`);
    const s = await until(page, ready(expected.total));
    assert.equal(Number(s.total), expected.total);
    assert.deepEqual(s.rows.map((r) => r.id).sort(), expected.tasks.map((t) => t.id).sort());
    const body = requests.find((r) => r.action === LIST).body;
    assert.deepEqual(body, { pageNumber: 1, pageSize: PAGE_SIZE, searchKey: "np_all_1", type: "MIGRATION", status: ["RUNNING", "FAILED"] });
    // The type is a filter that bites: OMS holds sync tasks among them, and asked for those, the
    // list shows them and none of the migrations.
    const sync = await omsTasks(oms.url, { status: ["RUNNING", "FAILED"], type: "SYNC", searchKey: "np_all_1" });
    assert.ok(sync.total > 0, `OMS's sync tasks: ${sync.total}`);
    await page.evaluate(() => (document.querySelector("oms-project-list").type = "sync"));
    const synced = await until(page, (now) => now?.state === "ready" && Number(now.total) === sync.total && now.rows.length === sync.total);
    assert.deepEqual(synced.rows.map((r) => r.id).sort(), sync.tasks.map((t) => t.id).sort());
    // Data syncs stream for good: once their rows' cards are drawn (their lag shows), none has a
    // switch-over verdict.
    const drawn = await (await page.waitForFunction((n) => {
      const root = document.querySelector("oms-project-list").shadowRoot;
      const lags = root.querySelectorAll('[data-field="incr-latency"]').length;
      return lags >= n && { lags, cutovers: root.querySelectorAll('[data-field="cutover"]').length };
    }, 1)).jsonValue();
    assert.equal(drawn.cutovers, 0, JSON.stringify(drawn));
    assert.ok(requests.some((r) => r.action === LIST && r.body.type === "SYNC"));
    await page.evaluate(() => (document.querySelector("oms-project-list").type = "migration"));
    await until(page, ready(expected.total));
    // A new search is a new question, asked at once.
    await page.evaluate(() => (document.querySelector("oms-project-list").search = "np_all_2"));
    const narrower = await omsTasks(oms.url, { status: ["RUNNING", "FAILED"], type: "MIGRATION", searchKey: "np_all_2" });
    await until(page, (now) => now?.state === "ready" && now.rows.length === narrower.total && now.rows.every((r) => r.id.startsWith("np_all_2")));
    assert.ok(requests.some((r) => r.action === LIST && r.body.searchKey === "np_all_2"));
    // A status OMS does not know: said, and nothing asked.
    const before = requests.length;
    await page.evaluate(() => (document.querySelector("oms-project-list").status = "RUNNING,SLEEPING"));
    const refused = await until(page, (now) => now?.state === "error");
    assert.match(refused.alert, /SLEEPING/);
    assert.equal(requests.length, before, "no request with a filter OMS would refuse");
    await page.close();
  } finally {
    oms.stop();
  }
});

test("a task's card opens in place and asks for its own data; closed, its requests stop", async () => {
  const oms = await stack({ size: 40 });
  try {
    const { page, requests } = await listPage("list-expand", { "proxy-url": oms.url, search: "np_all_", interval: 1 });
    const s = await until(page, ready(40));
    const id = s.rows[0].id;
    const asked = (action) => requests.filter((r) => r.action === action && (r.body.id ?? r.body.projectId) === id).length;
    assert.equal(asked(PROGRESS), 0, "nothing asked of the task while listed");
    const button = page.locator(`oms-project-list [data-project="${id}"] [data-action="expand"]`);
    assert.equal(await button.getAttribute("aria-expanded"), "false");
    await button.click();
    await waitFor(async () => asked(PROGRESS) > 0 && asked(STEPS) > 0);
    await page.waitForFunction((id) => {
      const card = document.querySelector("oms-project-list").shadowRoot.querySelector(`[data-project="${id}"] [data-oms-card]`);
      return card?.dataset.layout === "full" && card.dataset.state === "ready";
    }, id);
    assert.equal(await button.getAttribute("aria-expanded"), "true");
    // The open card follows the list's language, still open.
    await page.evaluate(() => (document.querySelector("oms-project-list").locale = "zh-CN"));
    await page.waitForFunction((id) => {
      const card = document.querySelector("oms-project-list").shadowRoot.querySelector(`[data-project="${id}"] [data-oms-card]`);
      return card?.dataset.layout === "full" && card.lang === "zh-CN" && card.dataset.state === "ready";
    }, id);
    assert.equal(await button.getAttribute("aria-expanded"), "true");
    await page.waitForFunction((id) => document.querySelector("oms-project-list").shadowRoot.querySelector(`[data-project="${id}"] [data-action="expand"]`).getAttribute("aria-label").startsWith("展开"), id);
    await button.click();
    await page.waitForFunction((id) => document.querySelector("oms-project-list").shadowRoot.querySelector(`[data-project="${id}"] [data-oms-card]`)?.dataset.layout === "compact", id);
    // Three more polls of the list (an interval of 1 s) and not one request of the closed card.
    const closedAt = asked(PROGRESS);
    const lists = await page.evaluate(() => window.events.filter((e) => e.name === "oms-list").length);
    await page.waitForFunction((n) => window.events.filter((e) => e.name === "oms-list").length >= n + 3, lists, { timeout: 15000 });
    assert.equal(asked(PROGRESS), closedAt, "the closed card asks nothing");
    await page.close();
  } finally {
    oms.stop();
  }
});

test("a verified, caught-up task's row sends the reader to its card for the verification's result; its open card says ready", async () => {
  // np_all_02 (of 40) is the Oracle billing task: verified, caught up. The list's answer tells that full
  // verification finished, not what it found, and a listed task asks nothing of its own.
  const oms = await stack({ size: 40 });
  try {
    const id = "np_all_02";
    const { page, errors } = await listPage("list-verified", { "proxy-url": oms.url, search: id, interval: 1 });
    await until(page, ready(1));
    const row = (id) => page.evaluate((id) => {
      const r = document.querySelector("oms-project-list").shadowRoot.querySelector(`[data-project="${id}"]`);
      const cutover = r.querySelector('[data-field="cutover"]');
      return cutover && { ready: cutover.dataset.ready, text: cutover.textContent, layout: r.querySelector("[data-oms-card]").dataset.layout };
    }, id);
    await waitFor(async () => (await row(id))?.text);
    const listed = await row(id);
    assert.equal(listed.ready, "false");
    assert.match(listed.text, /open the task for full verification's result/);
    assert.doesNotMatch(listed.text, /waiting/, "the list never asks, so it does not wait");
    await page.locator(`oms-project-list [data-project="${id}"] [data-action="expand"]`).click();
    await waitFor(async () => (await row(id))?.layout === "full" && (await row(id)).ready === "true", 15000);
    assert.match((await row(id)).text, /Ready to switch over/);
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    oms.stop();
  }
});

test("a failed page keeps the tasks of the others, with the alert; the list comes back when it answers", async () => {
  const oms = await stack({ fixture: true });
  try {
    // OMS fails page 2 from the start: pages 1 and 3 are listed, the alert says why.
    const failing = [{ match: { pageNumber: 2 }, status: 500, json: { success: false, code: "INTERNAL_ERROR", message: "page 2 broke" } }];
    await oms.sim.script("", failing, LIST);
    const { page } = await listPage("list-page-2", { "proxy-url": oms.url, search: "np_all_", interval: 1 });
    let s = await until(page, (now) => now?.state === "stale" && now.rows.length === 320 - PAGE_SIZE);
    assert.match(s.alert, /INTERNAL_ERROR|page 2 broke|HTTP/);
    assert.equal(s.total, "320");
    const error = await page.evaluate(() => window.events.find((e) => e.name === "oms-error")?.detail);
    assert.equal(error.kind, "http");
    // OMS answers again: every task, fresh.
    await oms.sim.script("", [], LIST);
    s = await until(page, ready(320));
    assert.equal(s.alert, null);
    // Page 2 fails again later: its tasks stay (from the last answer, stale), page 1's stay fresh.
    await oms.sim.script("", failing, LIST);
    s = await until(page, (now) => now?.state === "stale" && now.alert !== null);
    assert.equal(s.rows.length, 320, "no task lost");
    const stale = s.rows.filter((r) => r.attention === "stale").length;
    assert.ok(stale > 0 && stale <= PAGE_SIZE, `page 2's tasks marked stale (${stale})`);
    await page.close();
  } finally {
    oms.stop();
  }
});

test("with access rules the viewer lists only the tasks it may open, and the counts agree", async () => {
  const oms = await stack({ proxyArgs: ["--allow-project", "np_a*"] });
  try {
    const { page } = await listPage("list-allowed", { "proxy-url": oms.url });
    // OMS holds the 320 of np_all_… among its other tasks (np_4w8s2k_…, np_bench_…): the viewer
    // sees those 320, counted as if there were no others.
    const s = await until(page, ready(320));
    // Ready means whole: a host that waits for it counts every task (the rows come page by page
    // while the list is loading).
    const states = await page.evaluate(() => window.states);
    assert.deepEqual(states.filter((t) => t.state !== "loading"), [{ state: "ready", rows: 320 }], JSON.stringify(states));
    assert.equal(s.total, "320");
    assert.ok(s.rows.every((r) => r.id.startsWith("np_all_")), "only np_a* tasks");
    const word = (w) => s.rows.filter((r) => r.attention === w).length;
    assert.deepEqual([s.counts.failed, s.counts.alarm, s.counts.lagging, s.counts.done], [word("failed"), word("alarm"), word("lagging"), word("done")]);
    assert.ok(s.counts.running <= 320);
    await page.close();
  } finally {
    oms.stop();
  }
});

test("examples/fleet: a portal's fleet page in plain HTML, its controls sending OMS's filters", async () => {
  const oms = await stack({ size: 40 });
  try {
    const page = await bed.browser.newPage();
    const errors = [];
    const requests = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("request", (r) => r.url().includes(`Action=${LIST}`) && requests.push(JSON.parse(r.postData())));
    await page.goto(`${bed.server.url}/examples/fleet/index.html?proxy=${encodeURIComponent(oms.url)}`);
    await until(page, (now) => now?.state === "ready" && now.rows.length === Number(now.total) && now.rows.length > 40);
    await page.selectOption("#status", "FAILED");
    const failed = await until(page, (now) => now?.state === "ready" && now.rows.length > 0 && now.rows.every((r) => r.attention === "failed"));
    assert.ok(requests.some((b) => JSON.stringify(b.status) === '["FAILED"]'));
    await page.waitForFunction((n) => document.title.startsWith(`(${n}) `), failed.rows.length);
    await page.fill("#search", "np_all_0");
    await until(page, (now) => now?.state === "ready" && now.rows.length > 0 && now.rows.every((r) => r.id.startsWith("np_all_0")));
    assert.ok(requests.some((b) => b.searchKey === "np_all_0" && JSON.stringify(b.status) === '["FAILED"]'));
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    oms.stop();
  }
});

/** A ListProjects answer of `tasks` (id, status), each a finished full migration. */
const answerOf = (tasks) => ({
  json: {
    success: true, requestId: "r", totalCount: tasks.length, pageNumber: 1, pageSize: PAGE_SIZE,
    data: tasks.map(([id, status]) => ({
      id, name: id, type: "MIGRATION", status, enableFullTransfer: true, enableIncrTransfer: false,
      steps: [{ order: 1, name: "FULL_TRANSFER", status: status === "FAILED" ? "FAILED" : "FINISHED", progress: status === "FAILED" ? 40 : 100 }],
      alarmStats: { alarming: false },
    })),
  },
});

/** The rows' ids, in the order shown. */
const order = (page) => page.evaluate(() => [...document.querySelector("oms-project-list").shadowRoot.querySelectorAll("[data-project]")].map((r) => r.dataset.project));

test("a poll that changes nothing writes nothing; the order holds under the pointer and follows once it leaves", async () => {
  const oms = await stack({ fixture: true, size: 1 });
  try {
    const tasks = [["np_a", "FINISHED"], ["np_b", "FINISHED"], ["np_c", "FINISHED"]];
    await oms.sim.script("", [answerOf(tasks)], LIST);
    const { page, errors } = await listPage("list-still", { "proxy-url": oms.url, interval: 1 });
    await until(page, ready(3));
    assert.deepEqual(await order(page), ["np_a", "np_b", "np_c"]);
    // Every row on screen drawn (the IntersectionObserver's callback comes when it comes) and its
    // card showing the task, before the writes are counted.
    await page.waitForFunction(() => [...document.querySelector("oms-project-list").shadowRoot.querySelectorAll("[data-project]")]
      .every((row) => row.hasAttribute("data-drawn") && row.querySelector("[data-oms-card]")?.dataset.state === "ready"));
    // Three polls of the same answer: not one write to the rows (the clock's "… ago" aside).
    await page.evaluate(() => {
      window.writes = [];
      new MutationObserver((records) => window.writes.push(...records.filter((r) => !(r.target.nodeType === 3 ? r.target.parentElement : r.target).closest(".oms-updated, time"))
        .map((r) => `${r.type} ${r.attributeName ?? ""} ${(r.target.nodeType === 3 ? r.target.parentElement : r.target).className}`)))
        .observe(document.querySelector("oms-project-list").shadowRoot.querySelector(".oms-tasks"), { subtree: true, childList: true, attributes: true, characterData: true });
      window.polls = window.events.filter((e) => e.name === "oms-list").length;
    });
    await page.waitForFunction(() => window.events.filter((e) => e.name === "oms-list").length >= window.polls + 3, null, { timeout: 15000 });
    assert.deepEqual(await page.evaluate(() => window.writes), []);
    // The pointer rests on the rows; np_c fails: its word changes, its place does not.
    await page.hover('oms-project-list [data-project="np_a"]');
    await oms.sim.script("", [answerOf([tasks[0], tasks[1], ["np_c", "FAILED"]])], LIST);
    await until(page, (now) => now?.rows.find((r) => r.id === "np_c")?.attention === "failed");
    assert.deepEqual(await order(page), ["np_a", "np_b", "np_c"], "nothing moves under the pointer");
    await page.mouse.move(5, 5);
    await page.waitForFunction(() => document.querySelector("oms-project-list").shadowRoot.querySelector("[data-project]").dataset.project === "np_c");
    assert.deepEqual(await order(page), ["np_c", "np_a", "np_b"], "failed first once the pointer left");
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    oms.stop();
  }
});

test("the order holds while the keyboard's focus is in the rows: a focused row that fails keeps its place and its focus", async () => {
  const oms = await stack({ fixture: true, size: 1 });
  try {
    const tasks = [["np_a", "FINISHED"], ["np_b", "FINISHED"], ["np_c", "FINISHED"]];
    await oms.sim.script("", [answerOf(tasks)], LIST);
    const { page, errors } = await listPage("list-focus", { "proxy-url": oms.url, interval: 1 });
    await until(page, ready(3));
    await page.mouse.move(5, 5);
    // Tabbed to np_c's expand button; np_c fails.
    await page.focus('oms-project-list [data-project="np_c"] .oms-expand');
    const focused = () => page.evaluate(() => document.querySelector("oms-project-list").shadowRoot.activeElement?.closest("[data-project]")?.dataset.project ?? null);
    assert.equal(await focused(), "np_c");
    await oms.sim.script("", [answerOf([tasks[0], tasks[1], ["np_c", "FAILED"]])], LIST);
    await until(page, (now) => now?.rows.find((r) => r.id === "np_c")?.attention === "failed");
    // Two more polls: still in place, still focused (a row moved while focused loses its focus).
    await page.evaluate(() => (window.polls = window.events.filter((e) => e.name === "oms-list").length));
    await page.waitForFunction(() => window.events.filter((e) => e.name === "oms-list").length >= window.polls + 2, null, { timeout: 15000 });
    assert.deepEqual(await order(page), ["np_a", "np_b", "np_c"], "nothing moves under the focus");
    assert.equal(await focused(), "np_c");
    // Focus leaves the rows: the next poll puts the failed task first.
    await page.evaluate(() => document.querySelector("oms-project-list").shadowRoot.activeElement.blur());
    await page.waitForFunction(() => document.querySelector("oms-project-list").shadowRoot.querySelector("[data-project]").dataset.project === "np_c");
    assert.deepEqual(await order(page), ["np_c", "np_a", "np_b"], "failed first once the focus left");
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    oms.stop();
  }
});

test("a task that changes its place moves alone (and one row across each block boundary it passes): the others stay where they are", async () => {
  const oms = await stack({ fixture: true, size: 1 });
  try {
    const ids = Array.from({ length: 100 }, (_, i) => `np_${String(i).padStart(3, "0")}`);
    const answer = (failed) => answerOf(ids.map((id) => [id, id === failed ? "FAILED" : "FINISHED"]));
    await oms.sim.script("", [answer(null)], LIST);
    const { page, errors } = await listPage("list-moves", { "proxy-url": oms.url, interval: 1 });
    await until(page, ready(100));
    assert.deepEqual(await order(page), ids);
    // Every row the list puts in place from now on (a move is a removal and an insertion). The
    // rows stand in blocks of 60: a row that passes a block's end pushes its last row into the
    // next block.
    await page.evaluate(() => {
      window.placed = [];
      new MutationObserver((records) => window.placed.push(...records.flatMap((r) => [...r.addedNodes].filter((n) => n.dataset?.project).map((n) => n.dataset.project))))
        .observe(document.querySelector("oms-project-list").shadowRoot.querySelector(".oms-tasks"), { childList: true, subtree: true });
    });
    // The last task fails: it goes first. Then it is done again: it goes back, last. Before, the
    // second move put back each of the 99 rows it passed.
    await oms.sim.script("", [answer("np_099")], LIST);
    await until(page, (now) => now?.rows[0]?.id === "np_099" && now.rows[0].attention === "failed");
    await oms.sim.script("", [answer(null)], LIST);
    await until(page, (now) => now?.rows[99]?.id === "np_099" && now.rows[99].attention === "done");
    assert.deepEqual(await order(page), ids);
    assert.deepEqual(await page.evaluate(() => window.placed), ["np_099", "np_059", "np_059", "np_099"]);
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    oms.stop();
  }
});
test("a row's card is drawn as the row comes near the screen and let go far from it, down a list of 320", async () => {
  const oms = await stack();
  try {
    const { page, errors } = await listPage("list-scroll", { "proxy-url": oms.url, search: "np_all_", interval: 60 });
    const s = await until(page, ready(320));
    const drawn = () => page.evaluate(() => [...document.querySelector("oms-project-list").shadowRoot.querySelectorAll("[data-project]")]
      .map((row, at) => [at, row.hasAttribute("data-drawn") && row.querySelector("[data-oms-card]")?.dataset.state === "ready"]).filter(([, d]) => d).map(([at]) => at));
    // The first rows on screen drawn; nothing near the end.
    await page.waitForFunction(() => document.querySelector("oms-project-list").shadowRoot.querySelector("[data-project]").hasAttribute("data-drawn"));
    let now = await drawn();
    assert.ok(now.includes(0) && now.includes(1) && Math.max(...now) < 60, JSON.stringify(now));
    // To the last row: drawn, showing its task; the first rows let go.
    const last = s.rows.at(-1).id;
    await page.evaluate((id) => document.querySelector("oms-project-list").shadowRoot.querySelector(`[data-project="${id}"]`).scrollIntoView(), last);
    await page.waitForFunction((id) => {
      const row = document.querySelector("oms-project-list").shadowRoot.querySelector(`[data-project="${id}"]`);
      return row.querySelector(`[data-oms-card][data-state="ready"]`) && !document.querySelector("oms-project-list").shadowRoot.querySelector("[data-project]").hasAttribute("data-drawn");
    }, last);
    now = await drawn();
    assert.ok(now.includes(319) && Math.min(...now) > 260, JSON.stringify(now));
    // And back to the top.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForFunction(() => document.querySelector("oms-project-list").shadowRoot.querySelector("[data-project]").hasAttribute("data-drawn"));
    now = await drawn();
    assert.ok(now.includes(0) && Math.max(...now) < 60, JSON.stringify(now));
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    oms.stop();
  }
});

test("a list whose first poll fails is in error, not stale: it has nothing to show", async () => {
  // A port nothing listens on: the proxy cannot be reached.
  const closed = await new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
  const { page, errors } = await listPage("list-unreached", { "proxy-url": `http://127.0.0.1:${closed}/`, interval: 60 });
  await page.waitForFunction(() => window.events.some((e) => e.name === "oms-error"));
  const now = await until(page, (s) => s?.state !== "loading");
  assert.equal(now.state, "error", "stale would claim data it never had");
  assert.equal(now.rows.length, 0);
  assert.equal(now.total, undefined);
  assert.match(await page.evaluate(() => document.querySelector("oms-project-list").shadowRoot.querySelector("[role=alert]").textContent), /reach the OMS proxy/);
  assert.equal((await page.evaluate(() => window.events.find((e) => e.name === "oms-error").detail.kind)), "network");
  assert.deepEqual(errors, []);
  await page.close();
});

test("a proxy-url that is no http(s) URL is named as the problem, and nothing is fetched", async () => {
  for (const url of ["javascript:window.__pwned=1", "ftp://oms.example/", "data:application/json,{}"]) {
    const name = `list-scheme-${url.split(":")[0]}`;
    const { page, requests } = await listPage(name, { "proxy-url": url });
    await page.evaluate((url) => {
      const card = document.createElement("oms-progress-card");
      Object.entries({ "project-id": "np_a", "proxy-url": url, locale: "en" }).forEach(([k, v]) => card.setAttribute(k, v));
      document.body.append(card);
    }, url);
    const alerts = () => page.evaluate(() => [document.querySelector("oms-project-list"), document.querySelector("oms-progress-card")].map((el) => {
      const root = el.shadowRoot;
      return [root?.querySelector("[data-oms-list], [data-oms-card]")?.dataset.state, root?.querySelector("[role=alert]")?.textContent ?? ""];
    }));
    await waitFor(async () => (await alerts()).every(([state]) => state === "error"));
    for (const [, alert] of await alerts()) assert.match(alert, /proxy-url.*http/, url);
    assert.deepEqual(requests, [], url);
    assert.equal(await page.evaluate(() => window.__pwned ?? null), null);
    await page.close();
  }
});

test("a removed list asks nothing more and leaves no node, listener or card behind", async () => {
  const oms = await stack({ size: 40 });
  try {
    // A list of one task keeps polling: the clock of this test, and the page's baseline. Its task
    // (a verification that has finished) shows the same card all along, so the page's nodes
    // before and after are comparable.
    const baseline = "np_all_25";
    const { page } = await listPage("list-removed", { "proxy-url": oms.url, search: baseline, max: 1, interval: 1, id: "other" });
    const cdp = await page.context().newCDPSession(page);
    const counters = async () => {
      await cdp.send("HeapProfiler.collectGarbage");
      return cdp.send("Memory.getDOMCounters");
    };
    await page.waitForFunction(() => document.getElementById("other").shadowRoot.querySelector("[data-drawn] [data-oms-card]")?.dataset.state === "ready");
    const before = await counters();
    // Another list below it, its cards drawn, its first row open: a full card polling its task.
    await page.evaluate((url) => {
      const list = document.createElement("oms-project-list");
      Object.entries({ "proxy-url": url, search: "np_all_1", interval: "1", locale: "en" }).forEach(([k, v]) => list.setAttribute(k, v));
      document.body.append(list);
    }, oms.url);
    const other = "oms-project-list:not(#other)";
    const s = await until(page, (now) => now?.state === "ready" && now.rows.length === 10, 20000, other);
    // Clicked by the page (Playwright's own click adds listeners to the window, which would count).
    await page.evaluate(([list, id]) => document.querySelector(list).shadowRoot.querySelector(`[data-project="${id}"] [data-action="expand"]`).click(), [other, s.rows[0].id]);
    await page.waitForFunction(([list, id]) => document.querySelector(list).shadowRoot.querySelector(`[data-project="${id}"] [data-oms-card][data-layout="full"]`)?.dataset.state === "ready", [other, s.rows[0].id]);
    const during = await counters();
    // Only requests started after the removal count: one the list or its card sent just before
    // it may still be reported after (the browser's start time, on the page's clock).
    const sent = [];
    page.on("request", (request) => sent.push(request));
    const removedAt = await page.evaluate((list) => {
      const at = Date.now();
      document.querySelector(list).remove();
      return at;
    }, other);
    const sinceRemoval = () =>
      sent.filter((r) => r.timing().startTime >= removedAt && new URL(r.url()).searchParams.has("Action"))
        .map((r) => ({ action: new URL(r.url()).searchParams.get("Action"), body: JSON.parse(r.postData() ?? "null") }));
    const asked = (search) => sinceRemoval().filter((r) => r.action === LIST && r.body.searchKey === search).length;
    await waitFor(async () => asked(baseline) >= 3, 15000);
    const requests = sinceRemoval();
    assert.equal(asked("np_all_1"), 0, "the removed list asks nothing");
    assert.ok(requests.filter((r) => r.body?.searchKey === baseline).every((r) => r.body.pageSize === 1 && r.body.pageNumber === 1), "a list of max 1 asks one task");
    assert.deepEqual(requests.filter((r) => r.action !== LIST), [], "nor does its open card");
    const after = await counters();
    assert.ok(during.nodes > before.nodes + 100 && during.jsEventListeners > before.jsEventListeners, JSON.stringify({ before, during }));
    assert.ok(after.nodes <= before.nodes, `DOM nodes ${before.nodes} → ${during.nodes} → ${after.nodes}`);
    assert.ok(after.jsEventListeners <= before.jsEventListeners, `listeners ${before.jsEventListeners} → ${during.jsEventListeners} → ${after.jsEventListeners}`);
    await page.close();
  } finally {
    oms.stop();
  }
});
