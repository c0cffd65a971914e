// The demo site: exactly the files the demo page loads, copied into one folder, so that a
// server of that folder (the proxy's --static in `make demo` and the tests) serves nothing else
// of the checkout. Text files get .br and .gz siblings, which the proxy serves as they are.
//
//   node scripts/demo-site.mjs [DIR]   (default target/demo-site; `make build` first, for pkg/)
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** What the demo page loads, relative to the repository root (folders whole). */
export const DEMO_FILES = ["index.html", "favicon.svg", "demo-sw.js", "demo", "sim/oms.js", "sim/scenarios.json", "api/actions.json", "pkg"];

const COMPRESSIBLE = new Set([".html", ".js", ".css", ".json", ".svg", ".wasm"]);

/** Writes the demo site as the reference proxy serves it (`demo/backend.json` says so), and the
 * `extra` files or folders named (the benchmark's page), into `dir` (emptied first) and returns
 * `dir`. */
export function buildDemoSite(dir = path.join(ROOT, "target/demo-site"), extra = []) {
  if (!fs.existsSync(path.join(ROOT, "pkg/oms_progress_card.js"))) {
    throw new Error("pkg/ is not built: run `make build` first");
  }
  fs.rmSync(dir, { recursive: true, force: true });
  for (const entry of [...DEMO_FILES, ...extra]) {
    fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true, dereference: true });
  }
  // Served by the reference proxy: the page talks to it and installs no simulator.
  fs.writeFileSync(path.join(dir, "demo/backend.json"), JSON.stringify({ backend: "proxy" }) + "\n");
  for (const file of fs.readdirSync(dir, { recursive: true })) {
    const full = path.join(dir, file);
    if (!COMPRESSIBLE.has(path.extname(file)) || !fs.statSync(full).isFile()) continue;
    const bytes = fs.readFileSync(full);
    fs.writeFileSync(full + ".br", zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
    fs.writeFileSync(full + ".gz", zlib.gzipSync(bytes, { level: 9 }));
  }
  return dir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(buildDemoSite(process.argv[2] ? path.resolve(process.argv[2]) : undefined));
}
