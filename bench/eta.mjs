// How honest and how calm the card's ETA is: one card on the simulated 30-million-row migration
// (its rate changes every 10 simulated seconds), OMS simulated at 20× so the last 1 600 s of it
// take 80 s, no proxy cache, a poll a second. Every second: the ETA shown (`data-seconds`); at
// the end, when the step really finished. Reported: the error against the time really left, and
// how far the estimate moves from one reading to the next beyond the time that passed.
//
//   node bench/eta.mjs [--site DIR] [--binary PATH]   (make bench runs it as part of run.mjs)
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ROOT, launchChromium, demoStack } from "../tests/e2e/harness.mjs";

const pct = (x) => Math.round(x * 1000) / 10;
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))];

/** Measures the ETA with the browser `browser`, the demo site `site` and the proxy `binary`. */
export async function measureEta({ browser, site, binary }) {
  const fast = await demoStack({ staticDir: site, timeScale: 20, binary, proxyArgs: ["--rate-limit", "0", "--cache-ttl", "0"] });
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const started = Date.now();
  await page.goto(`${fast.url}/bench/page.html?kind=widget&n=1&id=np_6t3f7h_ledger_bulk&interval=1`);
  const samples = [];
  let finished = null;
  while (finished === null && Date.now() - started < 240000) {
    const seen = await page.evaluate(() => {
      const root = document.querySelector("oms-progress-card")?.shadowRoot;
      const eta = root?.querySelector('[data-field="eta"]');
      return { eta: eta?.dataset.seconds, text: eta?.textContent, status: root?.querySelector('[data-step="FULL_TRANSFER"]')?.dataset.status };
    });
    const t = (Date.now() - started) / 1000;
    if (seen.status === "FINISHED") finished = t;
    else if (seen.eta !== undefined) samples.push({ t, eta: Number(seen.eta), text: seen.text });
    await page.waitForTimeout(1000);
  }
  await ctx.close();
  fast.stop();
  // Error relative to the time that was really left, at each sample.
  const errors = samples.filter((s) => finished - s.t > 2).map((s) => Math.abs((s.t + s.eta - finished) / (finished - s.t)));
  // How far each reading moved from the one before, beyond the time that passed, relative to it.
  const moves = samples.slice(1).map((s, i) => [samples[i], s]).filter(([a, b]) => b.t - a.t < 2.5 && a.eta > 0)
    .map(([a, b]) => Math.abs(b.eta - (a.eta - (b.t - a.t))) / a.eta);
  const textChanges = samples.slice(1).filter((s, i) => s.text !== samples[i].text).length;
  return {
    samples: errors.length,
    finishedAfterS: finished === null ? null : Math.round(finished),
    medianAbsErrorPercent: errors.length ? pct(quantile(errors, 0.5)) : null,
    p90AbsErrorPercent: errors.length ? pct(quantile(errors, 0.9)) : null,
    medianMovePercent: moves.length ? pct(quantile(moves, 0.5)) : null,
    p90MovePercent: moves.length ? pct(quantile(moves, 0.9)) : null,
    shownTextChanges: textChanges,
    firstShownAfterS: samples.length ? Math.round(samples[0].t) : null,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback;
  const browser = await launchChromium();
  const eta = await measureEta({
    browser,
    site: arg("site", path.join(ROOT, "target/bench/site")),
    binary: arg("binary", path.join(ROOT, "target/release/oms-progress-proxy")),
  });
  await browser.close();
  console.log(JSON.stringify(eta, null, 2));
}
