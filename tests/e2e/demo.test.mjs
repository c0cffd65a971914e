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
  assert.deepEqual(errors, []);
  await context.close();
});

test("the demo passes an automated WCAG 2.1 AA audit, light and dark", async () => {
  for (const colorScheme of ["light", "dark"]) {
    const { page, context } = await openDemo({ colorScheme });
    const violations = await axeViolations(page);
    assert.deepEqual(violations, [], `${colorScheme}: ` + JSON.stringify(violations, null, 2));
    await context.close();
  }
});

test("language and theme switch live", async () => {
  const { page, context } = await openDemo();
  await page.selectOption('select[name="locale"]', "zh-CN");
  await page.waitForFunction(() =>
    document.querySelector('[project-id="np_9q4t6b_archive"]').shadowRoot.querySelector('[data-field="status"]').textContent === "已完成");
  await page.selectOption('select[name="theme"]', "dark");
  const theme = await page.evaluate(() =>
    document.querySelector("oms-progress-card").shadowRoot.querySelector("[data-oms-card]").dataset.theme);
  assert.equal(theme, "dark");
  await context.close();
});
