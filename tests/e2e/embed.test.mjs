// The three ways hosts embed the card: the npm tarball in a Vite app, a plain page importing
// pkg/, and the JS API (mount/update/unmount, events). Also a strict-CSP page.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { ROOT, staticServer, testbed, waitFor } from "./harness.mjs";

const bed = testbed({ server: false });

const cardState = (selector) => `(() => {
  const el = document.querySelector(${JSON.stringify(selector)});
  return el?.shadowRoot?.querySelector("[data-oms-card]")?.dataset.state;
})()`;

test("the packed npm package installs offline into a fresh Vite app, type-checks, builds, and shows data", async () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "oms-vite-"));
  try {
    const tarball = execFileSync("npm", ["pack", path.join(ROOT, "pkg"), "--pack-destination", work, "--silent"], { encoding: "utf8" }).trim().split("\n").pop();
    const app = path.join(work, "app");
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "vite-host", private: true, type: "module" }));
    execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--loglevel=error", path.join(work, tarball)], { cwd: app, stdio: "inherit" });
    fs.writeFileSync(path.join(app, "index.html"), `<!doctype html><html lang="en"><body>
      <oms-progress-card id="element" project-id="np_vite_element" proxy-url="${bed.fixture.url}/oms"></oms-progress-card>
      <div id="slot"></div>
      <script type="module" src="/main.js"></script></body></html>`);
    fs.writeFileSync(path.join(app, "main.js"), `
      import init, { mount } from "oms-progress-card";
      await init();
      window.statuses = [];
      const card = mount(document.getElementById("slot"), { projectId: "np_vite_mount", proxyUrl: ${JSON.stringify(bed.fixture.url)} });
      card.element.addEventListener("oms-progress", (e) => window.statuses.push(e.detail.status));
    `);
    // The package's types, as a strict TypeScript user meets them.
    fs.writeFileSync(path.join(app, "check.ts"), `
      import init, { mount, type MountOptions, type OmsErrorDetail, type OmsProgressCardAttributes } from "oms-progress-card";
      await init();
      const el = document.createElement("oms-progress-card");
      el.addEventListener("oms-error", (e) => { const d: OmsErrorDetail = e.detail; console.log(d.kind, d.code, d.message); });
      el.addEventListener("oms-status-change", (e) => console.log(e.detail.from, e.detail.to));
      el.addEventListener("oms-progress", (e) => console.log(e.detail.status, e.detail.fullTransferProgress));
      const options: MountOptions = { projectId: "np_1", proxyUrl: "/oms", interval: 5, theme: "dark", layout: "compact" };
      const card = mount(document.body, options);
      card.element.addEventListener("oms-error", (e) => console.log(e.detail.kind));
      card.update({ locale: "zh-CN" });
      card.unmount();
      const attributes: OmsProgressCardAttributes = { "project-id": "np_1", "proxy-url": "/oms", theme: "auto" };
      console.log(attributes);
      // @ts-expect-error: not a theme
      card.update({ theme: "neon" });
    `);
    execFileSync(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "--noEmit", "--strict", "--target", "es2022",
      "--module", "esnext", "--moduleResolution", "bundler", "--lib", "es2022,dom", "--skipLibCheck", "false", "check.ts"], { cwd: app, stdio: "inherit" });
    execFileSync(process.execPath, [path.join(ROOT, "node_modules/vite/bin/vite.js"), "build", "--logLevel", "warn"], { cwd: app, stdio: "inherit" });
    const dist = path.join(app, "dist");
    assert.ok(fs.readdirSync(path.join(dist, "assets")).some((f) => f.endsWith(".wasm")), "the wasm is an emitted asset");

    const server = await staticServer({ root: dist });
    const page = await bed.browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(server.url + "/");
    await page.waitForFunction(`${cardState("#element")} === "ready" && ${cardState("#slot > oms-progress-card")} === "ready"`, null, { timeout: 15000 });
    assert.deepEqual(await page.evaluate(() => window.statuses), ["RUNNING"]);
    assert.deepEqual(errors, []);
    await page.close();
    await server.close();
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
});

test("the JS API from a plain page: mount, update, events, unmount", async (t) => {
  await bed.fixture.script("np_api", [
    { json: { success: true, data: { projectId: "np_api", status: "RUNNING" } } },
    { json: { success: true, data: { projectId: "np_api", status: "FINISHED" } } },
  ]);
  const server = await staticServer({
    pages: {
      "/api.html": `<!doctype html><html lang="en"><body><div id="slot"></div><script type="module">
        import init, { mount } from "/pkg/oms_progress_card.js";
        const exports = await init();
        // As typed (InitOutput): the wasm's memory under its name, whatever the build renames.
        window.memoryExported = exports.memory instanceof WebAssembly.Memory && (await init()) === exports;
        window.events = [];
        window.mount = mount;
        for (const name of ["oms-progress", "oms-status-change", "oms-error"]) {
          document.addEventListener(name, (e) => window.events.push([name, e.detail]));
        }
        window.card = mount(document.getElementById("slot"), { projectId: "np_api", proxyUrl: ${JSON.stringify(bed.fixture.url)}, interval: 1 });
        try { window.card.update({ projectID: "typo" }); } catch (e) { window.typo = e.message; }
        try { mount(document.body, "np_api"); } catch (e) { window.notObject = e.message; }
      </script></body></html>`,
    },
  });
  const page = await bed.browser.newPage();
  t.after(() => Promise.all([page.close(), server.close()]));
  await page.goto(server.url + "/api.html");
  await page.waitForFunction(() => window.events?.some(([name]) => name === "oms-status-change"), null, { timeout: 15000 });
  const events = await page.evaluate(() => window.events);
  assert.deepEqual(events.find(([n]) => n === "oms-status-change")[1], { from: "RUNNING", to: "FINISHED" });
  assert.equal(await page.evaluate(() => window.memoryExported), true, "init() resolves to the exports, memory among them");
  assert.match(await page.evaluate(() => window.typo), /unknown option "projectID"/);
  assert.match(await page.evaluate(() => window.notObject), /options must be an object/);

  await page.evaluate(() => window.card.update({ locale: "zh-CN", theme: "dark", layout: "compact" }));
  await page.waitForFunction(() => document.querySelector("#slot > oms-progress-card").shadowRoot.querySelector('[data-field="status"]').textContent === "已完成");
  const layout = await page.evaluate(() => document.querySelector("#slot > oms-progress-card").shadowRoot.querySelector("[data-oms-card]").dataset.layout);
  assert.equal(layout, "compact");

  // A control card keeps polling: its requests show that time has passed.
  await page.evaluate((url) => { window.control = window.mount(document.body, { projectId: "np_api_control", proxyUrl: url, interval: 1 }); }, bed.fixture.url);
  const before = await bed.fixture.count("np_api");
  await page.evaluate(() => window.card.unmount());
  assert.equal(await page.evaluate(() => document.querySelector("#slot oms-progress-card")), null);
  const control = await bed.fixture.count("np_api_control");
  await waitFor(async () => (await bed.fixture.count("np_api_control")) >= control + 2, 15000);
  assert.equal(await bed.fixture.count("np_api"), before, "an unmounted card sends nothing more");
});

test("a page with a strict CSP shows a fully styled, working card and reports no violation", async () => {
  const csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self' " + bed.fixture.url;
  const server = await staticServer({
    headers: { "Content-Security-Policy": csp },
    pages: {
      "/csp.html": `<!doctype html><html lang="en"><head><title>csp</title><script type="module" src="/tests/e2e/csp-page.js"></script></head>
        <body><oms-progress-card project-id="np_csp" proxy-url="${bed.fixture.url}" theme="light"></oms-progress-card></body></html>`,
    },
  });
  const page = await bed.browser.newPage();
  const violations = [];
  page.on("console", (m) => { if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text()); });
  await page.goto(server.url + "/csp.html");
  await page.waitForFunction(() => document.querySelector("oms-progress-card")?.shadowRoot?.querySelector("[data-oms-card]")?.dataset.state === "ready", null, { timeout: 15000 });
  const styled = await page.evaluate(() => {
    const root = document.querySelector("oms-progress-card").shadowRoot;
    const card = getComputedStyle(root.querySelector("[data-oms-card]"));
    const ring = getComputedStyle(root.querySelector('[data-field="full-progress"]'));
    return { border: card.borderTopStyle, radius: card.borderTopLeftRadius, ringWidth: ring.width, display: card.display };
  });
  assert.deepEqual(styled, { border: "solid", radius: "8px", ringWidth: "64px", display: "grid" });
  const reported = await page.evaluate(() => window.cspViolations);
  assert.deepEqual(reported, []);
  assert.deepEqual(violations, []);
  await page.close();
  await server.close();
});
