// `make lighthouse`: Lighthouse's performance audit of the demo page as `make demo` serves it
// (the release proxy in front of the simulated OMS), mobile and desktop, with Debian's Chromium.
// Lighthouse comes from npm's registry on first use (npx); it is not a dependency of the build.
// Prints the score, the Web Vitals and the layout shifts; figures, not assertions.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { ROOT, demoStack } from "../tests/e2e/harness.mjs";

const LIGHTHOUSE = "lighthouse@12.8.2";
const FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run";

const out = fs.mkdtempSync(path.join(os.tmpdir(), "oms-lighthouse-"));
// Each audit on a stack of its own, as a visitor who opens the page finds it.
for (const preset of ["mobile", "desktop"]) {
  const stack = await demoStack({ binary: path.join(ROOT, "target/release/oms-progress-proxy") });
  try {
    const report = path.join(out, `${preset}.json`);
    execFileSync("npx", ["--yes", LIGHTHOUSE, `${stack.url}/`, "--only-categories=performance", "--output=json", `--output-path=${report}`,
      "--quiet", `--chrome-flags=${FLAGS}`, ...(preset === "desktop" ? ["--preset=desktop"] : [])],
    { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, CHROME_PATH: process.env.CHROME_PATH ?? "/usr/bin/chromium" } });
    const { categories, audits } = JSON.parse(fs.readFileSync(report, "utf8"));
    const vital = (id) => audits[id]?.displayValue;
    console.log(`${preset.padEnd(8)} performance ${categories.performance.score}  FCP ${vital("first-contentful-paint")}  LCP ${vital("largest-contentful-paint")}  TBT ${vital("total-blocking-time")}  CLS ${vital("cumulative-layout-shift")}  SI ${vital("speed-index")}`);
    for (const shift of (audits["layout-shifts"]?.details?.items ?? []).slice(0, 3)) {
      console.log(`         shift ${shift.score.toFixed(3)} ${(shift.node?.snippet ?? "").slice(0, 80)}`);
    }
  } finally {
    stack.stop();
  }
}
fs.rmSync(out, { recursive: true, force: true });
