// `make screenshots`: the README's pictures, taken from the static demo in headless Chromium and
// written to docs/ (a deliberate refresh: `make test` never writes into the work tree).
import fs from "node:fs";
import path from "node:path";
import { ROOT, staticServer, launchChromium, cardsSettled } from "../tests/e2e/harness.mjs";

const out = path.join(ROOT, "docs");
fs.mkdirSync(out, { recursive: true });
const server = await staticServer();
const browser = await launchChromium();
const card = (id) => `oms-progress-card[project-id="${id}"]`;

/** The verdict pictures: for each task, the card as it is, then compact, dark and zh-CN (set on
 * the element itself, then set back). The stale one waits for the simulated outage. */
async function verdicts(page, inCard, shot) {
  const tasks = [
    ["np_3n7v1x_pg_inventory", "failed", `root.querySelector('[data-field="task-failure"]')`],
    ["np_8v2k5t_orders_verify", "differences", `root.querySelector('[data-field="verification"] [data-table]')`],
    ["np_6m3q8r_flaky_gateway", "stale", `root.querySelector('[data-field="cutover"]')?.dataset.ready === "unknown"`],
  ];
  for (const [id, name, check] of tasks) {
    await inCard(id, check);
    await shot(card(id), `verdict-${name}.png`);
    for (const [attribute, value, suffix] of [["layout", "compact", "compact"], ["theme", "dark", "dark"], ["locale", "zh-CN", "zh-CN"]]) {
      await page.evaluate(([selector, attribute, value]) => document.querySelector(selector).setAttribute(attribute, value), [card(id), attribute, value]);
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      await shot(card(id), `verdict-${name}-${suffix}.png`);
      await page.evaluate(([selector, attribute]) => document.querySelector(selector).removeAttribute(attribute), [card(id), attribute]);
    }
  }
}
try {
  for (const colorScheme of ["light", "dark", "forced"]) {
    // "forced": a Windows contrast theme (forced-colors: active, dark).
    const scheme = colorScheme === "forced" ? { colorScheme: "dark", forcedColors: "active" } : { colorScheme };
    const context = await browser.newContext({ viewport: { width: 1200, height: 1600 }, reducedMotion: "reduce", ...scheme });
    const page = await context.newPage();
    await page.goto(server.url + "/");
    await cardsSettled(page);
    const shot = (selector, name) => page.locator(selector).screenshot({ path: path.join(out, name) }).then(() => console.log("    docs/" + name));
    if (colorScheme === "light") {
      // The story's moments: a migration with its ETA, a failed step, a lag that rises.
      const inCard = (id, check) => page.waitForFunction(([id, check]) => {
        const root = document.querySelector(`oms-progress-card[project-id="${id}"]`)?.shadowRoot;
        return root && new Function("root", `return ${check}`)(root);
      }, [id, check], { timeout: 120000 });
      await inCard("np_6t3f7h_ledger_bulk", `root.querySelector('[data-field="eta"]')`);
      await inCard("np_3n7v1x_pg_inventory", `root.querySelector('[data-step="FULL_TRANSFER"]')?.dataset.status === "FAILED"`);
      // The simulated lag rises in waves: its trend word may need a while to say so.
      await inCard("np_1r7d3w_lag_rising", `root.querySelector('[data-field="lag-trend"]')?.dataset.trend === "rising"`).catch(() => console.warn("    (np_1r7d3w_lag_rising: not rising within 2 minutes; taken as it is)"));
      await shot(card("np_6t3f7h_ledger_bulk"), "card-eta.png");
      await shot(card("np_3n7v1x_pg_inventory"), "card-failed-step.png");
      await shot(card("np_1r7d3w_lag_rising"), "card-lag-rising.png");
      await shot(card("np_5k2m9q_oracle_billing"), "card.png");
      await shot(card("np_0x0x0x_released"), "card-error.png");
      await shot("#cards", "demo.png");
      await shot("#dashboard", "dashboard.png");
      // The fleet: the thousand tasks of np_all_… in one list, its first rows drawn (once seen).
      await page.locator(".fleet").scrollIntoViewIfNeeded();
      await page.waitForFunction(() => {
        const root = document.querySelector("oms-project-list")?.shadowRoot;
        const rows = [...(root?.querySelectorAll("[data-project]") ?? [])].slice(0, 3);
        return root?.querySelector("[data-oms-list]")?.dataset.state === "ready" && rows.length === 3 && rows.every((r) => r.querySelector("[data-oms-card]")?.dataset.state === "ready");
      }, null, { timeout: 120000 });
      await shot(".fleet", "fleet.png");
      // The verdicts (issue 19): a failed task, a ready task whose way to OMS just dropped, a
      // verification that found differences; each full, compact, dark and in Chinese.
      await verdicts(page, inCard, shot);
      await page.selectOption('select[name="locale"]', "zh-CN");
      await page.waitForFunction(() => document.querySelector('[project-id="np_5k2m9q_oracle_billing"]').shadowRoot.querySelector('[data-field="status"]').textContent === "运行中");
      await shot(card("np_5k2m9q_oracle_billing"), "card-zh-CN.png");
    } else if (colorScheme === "dark") {
      await shot(card("np_5k2m9q_oracle_billing"), "card-dark.png");
    } else {
      await page.waitForFunction(() => document.querySelector('[project-id="np_3n7v1x_pg_inventory"]').shadowRoot.querySelector('[data-field="task-failure"]'), null, { timeout: 120000 });
      await shot(card("np_5k2m9q_oracle_billing"), "card-forced-colors.png");
      await shot(card("np_3n7v1x_pg_inventory"), "verdict-failed-forced-colors.png");
    }
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
