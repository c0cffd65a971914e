// How honest and how calm the card's ETA is, on the simulated 30-million-row migration (its rate
// changes every 10 simulated seconds), no proxy cache, against when the step really finished.
// Two cards side by side on one simulated OMS: one as shipped (its first ETA from OMS's own
// write rate, DescribeProjectStepMetric), one whose proxy refuses that action (the page's own
// samples only, as before issue 21). Two runs:
// - "fast": OMS at 20× so the last 1 600 s of the step take 80 s, a poll a second (the
//   estimate's whole course; at 20× a 5-minute point of OMS's series spans 100 simulated
//   minutes, so OMS's rate says little here);
// - "live": OMS at 1× with the task 1 420 s further on, so the step has run 38 minutes and has
//   3 minutes left, a poll every 5 s as by default: what a person who opens the page sees first.
// Every second: the ETA shown (`data-seconds`, `data-basis`). Reported per card: the error of
// the first ETA shown and the median and 90th percentile error against the time really left,
// how far the estimate moves from one reading to the next beyond the time that passed.
//
//   node bench/eta.mjs [--site DIR] [--binary PATH]   (make bench runs it as part of run.mjs)
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ROOT, launchChromium, demoStack, ACTION } from "../tests/e2e/harness.mjs";

const pct = (x) => Math.round(x * 1000) / 10;
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))];
const TASK = "np_6t3f7h_ledger_bulk";

/** The two runs: OMS's time scale, how far on its tasks start, the card's interval (s). */
export const RUNS = {
  fast: { timeScale: 20, aheadSeconds: 0, interval: 1 },
  live: { timeScale: 1, aheadSeconds: 1420, interval: 5 },
};

/** Follows the ETA of one card on `page` until the step finishes: [{t, eta, basis, text}], and
 * when it finished (s since `started`). */
async function follow(page, started) {
  const samples = [];
  let finished = null;
  while (finished === null && Date.now() - started < 300000) {
    const seen = await page.evaluate(() => {
      const root = document.querySelector("oms-progress-card")?.shadowRoot;
      const eta = root?.querySelector('[data-field="eta"]');
      return { eta: eta?.dataset.seconds, basis: eta?.dataset.basis, text: eta?.textContent, status: root?.querySelector('[data-step="FULL_TRANSFER"]')?.dataset.status };
    });
    const t = (Date.now() - started) / 1000;
    if (seen.status === "FINISHED") finished = t;
    else if (seen.eta !== undefined) samples.push({ t, eta: Number(seen.eta), basis: seen.basis, text: seen.text });
    await page.waitForTimeout(1000);
  }
  return { samples, finished };
}

/** What the samples say of the estimate against the true finish. */
function judge({ samples, finished }) {
  // Error relative to the time that was really left, at each sample.
  const errors = samples.filter((s) => finished - s.t > 2).map((s) => Math.abs((s.t + s.eta - finished) / (finished - s.t)));
  // How far each reading moved from the one before, beyond the time that passed, relative to it.
  const moves = samples.slice(1).map((s, i) => [samples[i], s]).filter(([a, b]) => b.t - a.t < 2.5 && a.eta > 0)
    .map(([a, b]) => Math.abs(b.eta - (a.eta - (b.t - a.t))) / a.eta);
  const bases = samples.map((s) => s.basis).filter((b, i, all) => b !== all[i - 1]);
  return {
    samples: errors.length,
    finishedAfterS: finished === null ? null : Math.round(finished),
    firstShownAfterS: samples.length ? Math.round(samples[0].t) : null,
    firstBasis: samples[0]?.basis ?? null,
    firstErrorPercent: errors.length ? pct(errors[0]) : null,
    medianAbsErrorPercent: errors.length ? pct(quantile(errors, 0.5)) : null,
    p90AbsErrorPercent: errors.length ? pct(quantile(errors, 0.9)) : null,
    medianMovePercent: moves.length ? pct(quantile(moves, 0.5)) : null,
    p90MovePercent: moves.length ? pct(quantile(moves, 0.9)) : null,
    shownTextChanges: samples.slice(1).filter((s, i) => s.text !== samples[i].text).length,
    bases,
  };
}

/** Measures one run (see RUNS) with the browser `browser`, the demo site `site` and the proxy
 * `binary`: `{ oms, page }`, the card as shipped and the card without OMS's series. */
export async function measureEta({ browser, site, binary, timeScale, aheadSeconds, interval }) {
  const stack = await demoStack({ staticDir: site, timeScale, aheadSeconds, binary, proxyArgs: ["--rate-limit", "0", "--cache-ttl", "0"] });
  try {
    const open = async (refuseSeries) => {
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      // As a proxy that does not forward the action answers.
      if (refuseSeries) {
        await page.route((url) => url.searchParams.get("Action") === ACTION.StepMetric, (route) => route.fulfill({
          status: 403, contentType: "application/json", body: JSON.stringify({ success: false, code: "PROXY_FORBIDDEN_ACTION", message: "not forwarded" }),
        }));
      }
      await page.goto(`${stack.url}/bench/page.html?kind=widget&n=1&id=${TASK}&interval=${interval}`);
      return { ctx, page };
    };
    const started = Date.now();
    const cards = { oms: await open(false), page: await open(true) };
    const followed = await Promise.all(Object.values(cards).map(({ page }) => follow(page, started)));
    await Promise.all(Object.values(cards).map(({ ctx }) => ctx.close()));
    return Object.fromEntries(Object.keys(cards).map((name, i) => [name, judge(followed[i])]));
  } finally {
    stack.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback;
  const browser = await launchChromium();
  const results = {};
  for (const [name, run] of Object.entries(RUNS)) {
    results[name] = await measureEta({
      browser,
      site: arg("site", path.join(ROOT, "target/bench/site")),
      binary: arg("binary", path.join(ROOT, "target/release/oms-progress-proxy")),
      ...run,
    });
  }
  await browser.close();
  console.log(JSON.stringify(results, null, 2));
}
