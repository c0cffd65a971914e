// The demo page from a plain static file server: no backend, the service worker simulates OMS.
import { test } from "node:test";
import assert from "node:assert/strict";
import { testbed, cardStates, cardsSettled, axeViolations } from "./harness.mjs";

const bed = testbed({ fixture: false });

async function openDemo(options = {}) {
  const context = await bed.browser.newContext(options);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(bed.server.url + "/");
  await cardsSettled(page);
  return { page, context, errors };
}

/** Scrolls to the fleet section (whose list starts when it comes near the screen) and waits
 * until its list is ready. */
async function showFleet(page) {
  await page.locator(".fleet").scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelector("oms-project-list")?.shadowRoot?.querySelector("[data-oms-list]")?.dataset.state === "ready");
}

test("the demo fills its cards from the in-page simulator, with no backend", async () => {
  const { page, context, errors } = await openDemo();
  const states = await cardStates(page);
  const byId = Object.fromEntries(states.map((s) => [s.id, s]));
  assert.ok(states.filter((s) => !s.id.startsWith("np_fleet_")).length >= 4);
  const fleet = states.filter((s) => s.id.startsWith("np_fleet_"));
  assert.equal(fleet.length, 24);
  assert.ok(fleet.every((s) => s.state === "ready"), JSON.stringify(fleet));
  assert.equal(byId.np_9q4t6b_archive.status, "FINISHED");
  assert.equal(byId.np_7h2c8d_crm.status, "SUSPEND");
  assert.equal(byId.np_8p1r3z_next_version.status, "RUNNING_VERIFYING");
  assert.equal(byId.np_0x0x0x_released.state, "error");
  const alert = await page.evaluate(() =>
    document.querySelector('[project-id="np_0x0x0x_released"]').shadowRoot.querySelector('[role="alert"]').textContent);
  assert.match(alert, /GHANA-PROJECT000001/);
  const sybase = await page.evaluate(() =>
    document.querySelector('[project-id="np_2s5y8w_sybase_ledger"]').shadowRoot.querySelector('[data-field="incr-checkpoint"]').textContent);
  assert.match(sybase, /^100,\d+$/);
  // The fleet section: the thousand tasks of np_all_… from the in-page simulator's ListProjects,
  // asked only once the section comes near the screen.
  const asked = () => page.evaluate(() => performance.getEntriesByType("resource").filter((e) => e.name.includes("Action=ListProjects")).length);
  assert.equal(await page.locator("oms-project-list").count(), 0, "no list while its section is far off");
  assert.equal(await asked(), 0);
  await showFleet(page);
  const fleetList = await page.evaluate(() => {
    const root = document.querySelector("oms-project-list").shadowRoot;
    return { total: root.querySelector("[data-oms-list]").dataset.total, rows: root.querySelectorAll("[data-project]").length, failed: Number(root.querySelector('[data-field="summary"]').dataset.failed) };
  });
  assert.deepEqual({ ...fleetList, failed: fleetList.failed > 0 }, { total: "1000", rows: 1000, failed: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test("the demo's fleet filters go to OMS as its own, and the list holds what they chose", async () => {
  const { page, context, errors } = await openDemo();
  const fleet = () => page.evaluate(() => {
    const root = document.querySelector("oms-project-list").shadowRoot;
    const list = root.querySelector("[data-oms-list]");
    const rows = [...root.querySelectorAll("[data-project]")];
    return { state: list.dataset.state, total: list.dataset.total, ids: rows.map((r) => r.dataset.project), attention: [...new Set(rows.map((r) => r.dataset.attention))] };
  });
  await showFleet(page);
  assert.equal((await fleet()).total, "1000");
  // Failed tasks only: the simulated OMS's own filter, so its count is the list's total.
  await page.selectOption('#fleet-filters select[name="status"]', "FAILED");
  await page.waitForFunction(() => {
    const root = document.querySelector("oms-project-list").shadowRoot;
    const list = root.querySelector("[data-oms-list]");
    const rows = root.querySelectorAll("[data-project]");
    return list.dataset.state === "ready" && list.dataset.total !== "1000" && Number(list.dataset.total) === rows.length;
  });
  const failed = await fleet();
  assert.ok(failed.ids.length > 0 && failed.ids.every((id) => id.startsWith("np_all_")), JSON.stringify(failed.ids.slice(0, 5)));
  assert.deepEqual(failed.attention, ["failed"]);
  // Every status again, and a search typed into the box: the ten tasks np_all_010 … 019.
  await page.selectOption('#fleet-filters select[name="status"]', "");
  await page.fill('#fleet-filters input[name="search"]', "np_all_01");
  await page.waitForFunction(() => {
    const root = document.querySelector("oms-project-list").shadowRoot;
    return root.querySelector("[data-oms-list]").dataset.total === "10" && root.querySelectorAll("[data-project]").length === 10;
  });
  const searched = await fleet();
  assert.deepEqual(searched.ids.toSorted(), Array.from({ length: 10 }, (_, i) => `np_all_01${i}`));
  assert.equal(await page.evaluate(() => document.querySelector("oms-project-list").getAttribute("status")), null, "All lists every status");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the demo passes an automated WCAG 2.1 AA audit, light, dark and in forced colours", async () => {
  for (const options of [{ colorScheme: "light" }, { colorScheme: "dark" }, { forcedColors: "active" }, { forcedColors: "active", colorScheme: "dark" }]) {
    const { page, context } = await openDemo(options);
    await showFleet(page);
    const violations = await axeViolations(page);
    assert.deepEqual(violations, [], `${JSON.stringify(options)}: ` + JSON.stringify(violations, null, 2));
    await context.close();
  }
});

test("every control on the demo page has a name of its own", async () => {
  // Tall enough that every card is rendered (off-screen cards skip rendering, and with it the
  // accessibility tree).
  const { page, context } = await openDemo({ viewport: { width: 1280, height: 9000 } });
  // The accessibility tree as Chromium gives it to screen readers (shadow roots included).
  const cdp = await context.newCDPSession(page);
  const { nodes } = await cdp.send("Accessibility.getFullAXTree");
  const CONTROLS = new Set(["button", "combobox", "link", "checkbox", "textbox", "DisclosureTriangle", "listbox", "slider", "tab"]);
  const controls = nodes.filter((n) => !n.ignored && CONTROLS.has(n.role?.value)).map((n) => `${n.role.value}: ${n.name?.value ?? ""}`);
  assert.ok(controls.filter((c) => c.startsWith("button: Refresh ")).length >= 30, controls.join("\n"));
  const unnamed = controls.filter((c) => c.endsWith(": "));
  const repeated = controls.filter((c, i) => controls.indexOf(c) !== i);
  assert.deepEqual({ unnamed, repeated }, { unnamed: [], repeated: [] });
  await context.close();
});

test("the demo fits a 320 px screen, and asks nothing that is not there", async () => {
  const context = await bed.browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  const missing = [];
  page.on("response", (r) => r.status() >= 400 && missing.push(`${r.status()} ${r.url()}`));
  await page.goto(bed.server.url + "/");
  await cardsSettled(page);
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
  assert.ok(widths.page <= widths.screen, `the page is ${widths.page} px wide on a ${widths.screen} px screen`);
  // The released task's error is the simulated OMS's answer (404 is not how OMS says it).
  assert.deepEqual(missing.filter((m) => !m.includes("/api/v2")), []);
  await context.close();
});

test("language and theme switch live, the page's own words and colours with the cards", async () => {
  const { page, context } = await openDemo({ colorScheme: "light" });
  await page.selectOption('select[name="locale"]', "zh-CN");
  await page.waitForFunction(() =>
    document.querySelector('[project-id="np_9q4t6b_archive"]').shadowRoot.querySelector('[data-field="status"]').textContent === "已完成");
  const words = await page.evaluate(() => ({ lang: document.documentElement.lang, title: document.getElementById("states-title").textContent }));
  assert.deepEqual(words, { lang: "zh-CN", title: "不同状态的任务" });
  // The fleet's list, started after the choice, speaks it too.
  await showFleet(page);
  assert.equal(await page.evaluate(() => document.querySelector("oms-project-list").shadowRoot.querySelector(".oms-list-title").textContent), "OMS 任务");
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await background();
  await page.selectOption('select[name="theme"]', "dark");
  const theme = await page.evaluate(() =>
    document.querySelector("oms-progress-card").shadowRoot.querySelector("[data-oms-card]").dataset.theme);
  assert.equal(theme, "dark");
  assert.notEqual(await background(), light, "the page darkens with its cards");
  await context.close();
});
