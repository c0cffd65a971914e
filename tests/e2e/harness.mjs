// Shared pieces of the end-to-end tests: a static file server for the repository, the fixture
// server, and Debian's Chromium through playwright-core. Every server binds 127.0.0.1 and is
// stopped by the test that started it (by process id for child processes).
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { before, after } from "node:test";
import { buildDemoSite } from "../../scripts/demo-site.mjs";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript",
  ".css": "text/css", ".json": "application/json", ".wasm": "application/wasm",
  ".png": "image/png", ".svg": "image/svg+xml",
};

// Every static server still open, so a failed test cannot leave one behind.
const openServers = new Set();

/** Serves `root` on 127.0.0.1; `headers` are added to every answer; `pages` maps paths to HTML. */
export async function staticServer({ root = ROOT, headers = {}, pages = {} } = {}) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    if (pages[url.pathname] !== undefined) {
      res.writeHead(200, { "Content-Type": TYPES[".html"], ...headers });
      return res.end(pages[url.pathname]);
    }
    const file = path.join(root, decodeURIComponent(url.pathname === "/" ? "/index.html" : url.pathname));
    if (!file.startsWith(root) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404, { "Content-Type": "text/plain" });
      return res.end("not found");
    }
    res.writeHead(200, { "Content-Type": TYPES[path.extname(file)] ?? "application/octet-stream", ...headers });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const handle = {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((r) => {
      openServers.delete(handle);
      server.close(r);
      server.closeAllConnections(); // pages may still hold keep-alive connections
    }),
  };
  openServers.add(handle);
  return handle;
}

/** Starts the simulated OMS (sim/server.mjs): in fixture mode by default (open CORS, scripts,
 * any id answers); `env` may carry OMS_USERNAME / OMS_PASSWORD to require them. `stop()` kills it
 * by its process id; it also stops by itself when this process goes away. */
export async function simServer({ fixture = true, args = [], env = {} } = {}) {
  const child = spawn(process.execPath, [path.join(ROOT, "sim/server.mjs"), "--max-seconds=1800", ...(fixture ? ["--fixture"] : []), ...args], {
    stdio: ["pipe", "pipe", "inherit"],
    env: { ...process.env, ...env },
  });
  const { port } = await new Promise((resolve, reject) => {
    child.stdout.once("data", (line) => resolve(JSON.parse(line)));
    child.once("exit", (code) => reject(new Error("the simulated OMS exited with " + code)));
  });
  const url = `http://127.0.0.1:${port}`;
  const query = (action) => (action ? `?action=${action}` : "");
  return {
    url,
    /** Replaces the answers for (action, id) with `steps` (see sim/server.mjs). */
    async script(id, steps, action) {
      await fetch(`${url}/__script/${id}${query(action)}`, { method: "POST", body: JSON.stringify(steps) });
    },
    async count(id, action) {
      return (await this.seen(id, action)).count;
    },
    /** `{ count, bodies, times, answered }` of the requests seen for (action, id). */
    async seen(id, action) {
      return (await fetch(`${url}/__count/${id}${query(action)}`)).json();
    },
    stop() {
      process.kill(child.pid);
    },
  };
}

/** What `make demo` runs: the simulated OMS as the reference proxy's real upstream, with
 * credentials made up here, and the proxy serving `staticDir` (by default the demo site that
 * `make demo` serves, scripts/demo-site.mjs). The simulated OMS runs at `timeScale`, its tasks
 * `aheadSeconds` further on, with `simArgs` (`fixture`: in fixture mode, so a test can script
 * its answers). `stop()` stops both. */
export async function demoStack({ staticDir, timeScale = 1, aheadSeconds = 0, binary, proxyArgs = [], simArgs = [], fixture = false } = {}) {
  staticDir ??= buildDemoSite();
  const env = { OMS_USERNAME: "demo", OMS_PASSWORD: "pw-" + Math.random().toString(36).slice(2) };
  const sim = await simServer({ fixture, env, args: [`--time-scale=${timeScale}`, `--ahead-seconds=${aheadSeconds}`, ...simArgs] });
  const proxy = await proxyServer(["--upstream", sim.url, "--static", staticDir, ...proxyArgs], { binary, env });
  return { url: proxy.url, log: proxy.log, sim, stop: () => (proxy.stop(), sim.stop()) };
}

/** Debian's Chromium, headless, with the flags this closed network needs. */
export function launchChromium(options = {}) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    ],
    ...options,
  });
}

/** Polls `check` (a function returning a promise of a boolean) until it holds: for states that
 * live outside the page, such as the simulated OMS's request counts. */
export async function waitFor(check, timeout = 10000) {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting for " + check);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until no card on the page is still loading (each is ready, stale or in error). */
export function cardsSettled(page, timeout = 20000) {
  return page.waitForFunction(
    () => [...document.querySelectorAll("oms-progress-card")].every((el) =>
      ["ready", "stale", "error"].includes(el.shadowRoot?.querySelector("[data-oms-card]")?.dataset.state)),
    null,
    { timeout },
  );
}

/** The states of every card on the page, read from the contract's hooks. */
export function cardStates(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll("oms-progress-card")].map((el) => {
      const card = el.shadowRoot?.querySelector("[data-oms-card]");
      return { id: el.getAttribute("project-id"), state: card?.dataset.state, status: card?.dataset.status };
    }),
  );
}

/** Runs axe-core's WCAG 2.1 A and AA rules on the page (shadow roots included). */
export async function axeViolations(page) {
  await page.addScriptTag({ path: path.join(ROOT, "node_modules/axe-core/axe.min.js") });
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }),
  );
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ") + " :: " + n.failureSummary),
  }));
}

/** Starts the reference proxy (the debug build unless `binary` says otherwise) with `args` and
 * `env`, on `listen` (a port it picks unless given); `stop()` kills it by process id and resolves
 * once it has exited. */
export async function proxyServer(args, { binary = path.join(ROOT, "target/debug/oms-progress-proxy"), env = {}, listen = "127.0.0.1:0" } = {}) {
  const child = spawn(binary, ["--listen", listen, ...args], { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...env } });
  let output = "";
  const address = await new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const m = output.match(/listening address=(\S+)|open http:\/\/(\S+)\//);
      if (m) resolve(m[1] ?? m[2]);
    });
    child.once("exit", (code) => reject(new Error("the proxy exited with " + code + ":\n" + output)));
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  return { url: `http://${address}`, log: () => output, stop: () => (process.kill(child.pid), exited) };
}

/** For a test file: what its tests share, started before them and stopped after them: the
 * browser, and as asked the simulated OMS in fixture mode (`bed.fixture`), a static server of the
 * repository also answering `bed.pages` (path → HTML), and `make demo`'s stack (`bed.demo`: the
 * proxy in front of the simulated OMS, serving `demo.staticDir`). */
export function testbed({ fixture = true, server = true, demo = null } = {}) {
  const bed = { pages: {} };
  before(async () => {
    if (fixture) bed.fixture = await simServer();
    if (server) bed.server = await staticServer({ pages: bed.pages });
    if (demo) bed.demo = await demoStack(demo);
    bed.browser = await launchChromium();
  });
  after(async () => {
    await bed.browser?.close();
    await Promise.all([...openServers].map((s) => s.close()));
    bed.demo?.stop();
    bed.fixture?.stop();
  });
  return bed;
}

/** The actions the card asks, by their Rust variant, from the one list (api/actions.json):
 * `ACTION.Steps` is "DescribeProjectSteps". */
export const ACTION = Object.fromEntries(
  JSON.parse(fs.readFileSync(path.join(ROOT, "api/actions.json"), "utf8")).actions.map((a) => [a.variant, a.name]),
);

/** The element's event names, from the table of the public surface. */
export const EVENTS = JSON.parse(fs.readFileSync(path.join(ROOT, "src/element/surface.json"), "utf8")).events.map((e) => e.name);

/** Opens a page of the test bed with `cards` (attribute maps; `proxy-url` defaults to the
 * fixture server) and the package loaded. `window.events` records every card event:
 * `{ name, id, detail }`; `window.configure` is the package's. `setup` is module code run before
 * `init()`; `prepare(page)` runs before the page loads (to listen to its requests). */
export async function cardPage(bed, name, cards, { setup = "", prepare } = {}) {
  const attrs = (a) => Object.entries(a).map(([k, v]) => `${k}="${String(v).replaceAll('"', "&quot;")}"`).join(" ");
  bed.pages[`/${name}.html`] = `<!doctype html><html lang="en"><body>
    ${cards.map((a) => `<oms-progress-card ${attrs({ "proxy-url": bed.fixture?.url + "/oms/", locale: "en", ...a })}></oms-progress-card>`).join("\n")}
    <script type="module">
      import init, { configure } from "/pkg/oms_progress_card.js";
      window.configure = configure;
      window.events = [];
      for (const name of ${JSON.stringify(EVENTS)}) {
        document.addEventListener(name, (e) => window.events.push({ name, id: e.target.getAttribute("project-id"), detail: e.detail }));
      }
      ${setup}
      await init();
    </script></body></html>`;
  const page = await bed.browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  prepare?.(page);
  await page.goto(`${bed.server.url}/${name}.html`);
  return { page, errors };
}

/** Runs `select(root)` in the page with the shadow root of the card showing `id`. */
export const inCard = (page, id, select) => page.evaluate(([id, f]) => {
  const root = document.querySelector(`oms-progress-card[project-id="${id}"]`)?.shadowRoot;
  return root ? new Function("root", `return (${f})(root)`)(root) : undefined;
}, [id, select.toString()]);

/** Waits until `select(root)` (as in `inCard`) returns something truthy, and returns it. */
export async function untilCard(page, id, select, timeout = 15000) {
  const handle = await page.waitForFunction(([id, f]) => {
    const root = document.querySelector(`oms-progress-card[project-id="${id}"]`)?.shadowRoot;
    return root ? new Function("root", `return (${f})(root)`)(root) : undefined;
  }, [id, select.toString()], { timeout });
  return handle.jsonValue();
}

/** Waits until the card showing `id` has `data-state` `wanted`. */
export function untilState(page, id, wanted, timeout = 10000) {
  return page.waitForFunction(([id, wanted]) =>
    document.querySelector(`oms-progress-card[project-id="${id}"]`)?.shadowRoot?.querySelector("[data-oms-card]")?.dataset.state === wanted,
  [id, wanted], { timeout });
}
