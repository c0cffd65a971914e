// The Leptos example app (examples/dashboard): ProgressCard used as a component in another
// Leptos app, behind the reference proxy and the simulated OMS.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { ROOT, testbed } from "./harness.mjs";

const bed = testbed({ fixture: false, server: false, demo: { staticDir: path.join(ROOT, "examples/dashboard"), timeScale: 20 } });

test("a Leptos app renders ProgressCard components that fill with data and raise its own notice", async () => {
  const page = await bed.browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(bed.demo.url + "/");
  await page.waitForFunction(() => {
    const cards = [...document.querySelectorAll("main.grid [data-oms-card]")];
    return cards.length === 6 && cards.every((c) => c.dataset.state === "ready");
  }, null, { timeout: 20000 });
  const card = await page.evaluate(() => {
    const el = document.querySelector("[data-oms-card]");
    return { layout: el.dataset.layout, display: getComputedStyle(el).display, sheets: document.adoptedStyleSheets.length };
  });
  assert.deepEqual(card, { layout: "compact", display: "grid", sheets: 1 });
  // np_3n7v1x_pg_inventory fails after 10 simulated seconds: half a second at 20x.
  await page.waitForSelector("p.failed", { timeout: 20000 });
  assert.match(await page.textContent("p.failed"), /np_3n7v1x_pg_inventory/);
  await page.click("input[type=checkbox]");
  await page.waitForFunction(() => document.querySelector("[data-oms-card]").dataset.layout === "full");
  // ProjectList: the fleet np_fleet_… listed in the app's own DOM, heard through its on_event.
  await page.waitForFunction(() => document.getElementById("listed").textContent === "24", null, { timeout: 20000 });
  const fleet = await page.evaluate(() => ({
    state: document.querySelector("[data-oms-list]").dataset.state,
    rows: document.querySelectorAll("[data-oms-list] [data-project]").length,
  }));
  assert.deepEqual(fleet, { state: "ready", rows: 24 });
  assert.deepEqual(errors, []);
  await page.close();
});
