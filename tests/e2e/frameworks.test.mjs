// The card at home in the frameworks portals are built with: each app of examples/ (React 19,
// Vue 3, Angular) is installed from the packed package (npm's registry for its own
// dependencies), type-checked strictly, built with its own toolchain and driven in Chromium; and
// the package imports in Node (server-side rendering) without touching the browser's globals.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { ROOT, staticServer, testbed, waitFor } from "./harness.mjs";

const bed = testbed({ server: false });
let work, tarball;

before(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "oms-frameworks-"));
  const name = execFileSync("npm", ["pack", path.join(ROOT, "pkg"), "--pack-destination", work, "--silent"], { encoding: "utf8" }).trim().split("\n").pop();
  tarball = path.join(work, name);
});
after(() => fs.rmSync(work, { recursive: true, force: true }));

/** A copy of examples/<name> with its dependencies and the packed card installed. */
function install(name) {
  const app = path.join(work, name);
  fs.cpSync(path.join(ROOT, "examples", name), app, { recursive: true, filter: (f) => !/node_modules|dist/.test(path.relative(ROOT, f)) });
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", tarball], { cwd: app, stdio: "inherit" });
  return app;
}

const run = (app, ...args) => execFileSync("npm", ["run", "--silent", ...args], { cwd: app, stdio: "inherit" });

/** Serves the built app and opens it with the fixture as its proxy. */
async function open(root) {
  const server = await staticServer({ root });
  const page = await bed.browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${server.url}/?proxy=${encodeURIComponent(bed.fixture.url + "/oms")}`);
  return { page, errors, close: () => Promise.all([page.close(), server.close()]) };
}

const states = (page) => page.evaluate(() => [...document.querySelectorAll("oms-progress-card")].map((c) => c.state));
const allReady = (page, n) => page.waitForFunction((n) => {
  const cards = [...document.querySelectorAll("oms-progress-card")];
  return cards.length === n && cards.every((c) => c.state === "ready");
}, n, { timeout: 20000 });

test("React 19: cards from state, props changed, onoms-progress heard, unmounted cards stop", { timeout: 240000 }, async () => {
  const app = install("react");
  // Strict types: the element's attributes, properties and event props in React's JSX.
  fs.writeFileSync(path.join(app, "src/check.tsx"), `
    export const ok = <oms-progress-card project-id="np_1" proxyUrl="/oms" layout="compact" onoms-error={(e) => console.log(e.detail.kind)} />;
    // @ts-expect-error: not a layout
    export const badLayout = <oms-progress-card project-id="np_1" layout="sideways" />;
    // @ts-expect-error: the detail of oms-error has no percent
    export const badDetail = <oms-progress-card project-id="np_1" onoms-error={(e) => e.detail.percent} />;
    export const list = <oms-project-list proxyUrl="/oms" status="RUNNING" max={200} onoms-list={(e) => e.detail.map((t) => t.id)} />;
    // @ts-expect-error: the list's tasks are an array
    export const badList = <oms-project-list proxyUrl="/oms" onoms-list={(e) => e.detail.percent} />;
  `);
  run(app, "build");
  const { page, errors, close } = await open(path.join(app, "dist"));
  await allReady(page, 2);
  await page.waitForFunction(() => document.getElementById("heard").textContent.includes("RUNNING"));
  const titles = await page.evaluate(() => [...document.querySelectorAll("oms-progress-card")].map((c) =>
    c.shadowRoot.querySelector('slot[name="title"]').assignedElements()[0]?.textContent));
  assert.deepEqual(titles, ["Task np_react_orders", "Task np_react_billing"]);

  await page.click("#chinese");
  await page.waitForFunction(() => [...document.querySelectorAll("oms-progress-card")].every((c) =>
    c.shadowRoot.querySelector("[data-oms-card]").lang === "zh-CN"));

  await page.click("#drop-first");
  assert.equal(await page.evaluate(() => document.querySelectorAll("oms-progress-card").length), 1);
  const gone = await bed.fixture.count("np_react_orders");
  const kept = await bed.fixture.count("np_react_billing");
  await waitFor(async () => (await bed.fixture.count("np_react_billing")) >= kept + 2, 15000);
  assert.equal(await bed.fixture.count("np_react_orders"), gone, "the unmounted card sends nothing more");
  // The fleet: np_fleet_… listed; the app's status select narrows what OMS is asked.
  const rows = () => page.evaluate(() => document.querySelector("oms-project-list").shadowRoot.querySelectorAll("[data-project]").length);
  await page.waitForFunction(() => document.querySelector("oms-project-list")?.state === "ready" && document.getElementById("failed").textContent !== "");
  assert.equal(await rows(), 24);
  await page.selectOption("#status", "FAILED");
  await page.waitForFunction(() => {
    const root = document.querySelector("oms-project-list").shadowRoot;
    const rows = [...root.querySelectorAll("[data-project]")];
    return rows.length > 0 && rows.length < 24 && rows.every((r) => r.dataset.attention === "failed");
  });
  assert.equal(await rows(), Number(await page.textContent("#failed")), "the failed ones, as oms-list counted them before");
  const bodies = (await bed.fixture.seen("", "ListProjects")).bodies.map((b) => JSON.parse(b));
  assert.ok(bodies.some((b) => JSON.stringify(b.status) === '["FAILED"]' && b.searchKey === "np_fleet_"), "the filter reached OMS");
  assert.deepEqual(errors, []);
  await close();
});

test("Vue 3: isCustomElement, a v-for of cards, @oms-status-change heard, a bound layout", { timeout: 240000 }, async () => {
  await bed.fixture.script("np_vue_orders", [
    { json: { success: true, data: { projectId: "np_vue_orders", status: "RUNNING" } } },
    { json: { success: true, data: { projectId: "np_vue_orders", status: "FINISHED" } } },
  ]);
  const app = install("vue");
  fs.writeFileSync(path.join(app, "src/Check.vue"), `<script setup lang="ts"></script>
    <template>
      <!-- @vue-expect-error: not a layout -->
      <oms-progress-card project-id="np_1" proxy-url="/oms" layout="sideways" />
      <oms-progress-card project-id="np_1" proxy-url="/oms" layout="compact" />
      <oms-project-list proxy-url="/oms" status="RUNNING" />
    </template>`);
  run(app, "build");
  const { page, errors, close } = await open(path.join(app, "dist"));
  await allReady(page, 3);
  await page.waitForFunction(() => document.getElementById("changes").textContent.includes("RUNNING→FINISHED"), null, { timeout: 15000 });
  await page.click("#compact");
  await page.waitForFunction(() => [...document.querySelectorAll("oms-progress-card")].every((c) =>
    c.shadowRoot.querySelector("[data-oms-card]").dataset.layout === "compact"));
  // The fleet, searched from a bound input: OMS is asked anew, the list follows.
  await page.waitForFunction(() => document.getElementById("listed").textContent === "24");
  await page.fill("#search", "np_fleet_1");
  await page.press("#search", "Enter");
  await page.waitForFunction(() => document.getElementById("listed").textContent === "10", null, { timeout: 15000 });
  assert.deepEqual(errors, []);
  await close();
});

test("Angular: a standalone component with CUSTOM_ELEMENTS_SCHEMA binds cards and hears their events", { timeout: 300000 }, async () => {
  const app = install("angular");
  run(app, "build");
  const { page, errors, close } = await open(path.join(app, "dist/browser"));
  await allReady(page, 2);
  const ids = await page.evaluate(() => [...document.querySelectorAll("oms-progress-card")].map((c) => c.getAttribute("project-id")));
  assert.deepEqual(ids, ["np_angular_orders", "np_angular_billing"], "[projectId] bound as the property, reflected");
  await page.waitForFunction(() => document.getElementById("statuses").textContent.includes("RUNNING"));
  await page.click("#refresh-all");
  assert.deepEqual(await states(page), ["ready", "ready"]);
  assert.deepEqual(errors, []);
  await close();
});

test("server-side rendering: the package imports in Node without touching the browser's globals", async () => {
  const app = path.join(work, "ssr");
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "ssr-host", private: true, type: "module" }));
  execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--loglevel=error", tarball], { cwd: app, stdio: "inherit" });
  fs.writeFileSync(path.join(app, "ssr.mjs"), `
    const touched = [];
    for (const name of ["window", "document", "customElements", "HTMLElement", "location", "self"]) {
      Object.defineProperty(globalThis, name, { configurable: true, get() { touched.push(name); return undefined; } });
    }
    const mod = await import("oms-progress-card");
    mod.configure({ headers: { Authorization: "Bearer t" } });
    console.log(JSON.stringify({ exports: Object.keys(mod).sort(), touched }));
  `);
  const out = JSON.parse(execFileSync(process.execPath, ["ssr.mjs"], { cwd: app, encoding: "utf8" }));
  assert.deepEqual(out, { exports: ["configure", "default", "initSync", "mount", "mountList"], touched: [] });
});
