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
try {
  for (const colorScheme of ["light", "dark"]) {
    const context = await browser.newContext({ viewport: { width: 1200, height: 1600 }, reducedMotion: "reduce", colorScheme });
    const page = await context.newPage();
    await page.goto(server.url + "/");
    await cardsSettled(page);
    const shot = (selector, name) => page.locator(selector).screenshot({ path: path.join(out, name) }).then(() => console.log("    docs/" + name));
    if (colorScheme === "light") {
      await shot(card("np_5k2m9q_oracle_billing"), "card.png");
      await shot(card("np_0x0x0x_released"), "card-error.png");
      await shot("#cards", "demo.png");
      await shot("#dashboard", "dashboard.png");
      await page.selectOption('select[name="locale"]', "zh-CN");
      await page.waitForFunction(() => document.querySelector('[project-id="np_5k2m9q_oracle_billing"]').shadowRoot.querySelector('[data-field="status"]').textContent === "运行中");
      await shot(card("np_5k2m9q_oracle_billing"), "card-zh-CN.png");
    } else {
      await shot(card("np_5k2m9q_oracle_billing"), "card-dark.png");
    }
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
