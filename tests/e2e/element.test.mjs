// The element's JS surface, as a framework or a host script uses it: a reflecting property for
// every attribute, the read-only `data`, `stepsData` and `state`, `refresh()`, custom states,
// and the `title` and `actions` slots.
import { test } from "node:test";
import assert from "node:assert/strict";
import { EVENTS, testbed, cardPage, untilState, untilCard, inCard, ACTION } from "./harness.mjs";

const bed = testbed();
const ID = "np_element_surface";
const STEPS = ACTION.Steps;

const progress = (id, status = "RUNNING") => ({ json: { success: true, data: { projectId: id, status, structTransferProgress: 100, fullTransferProgress: 40 } } });

test("every attribute is a reflecting camelCase property", async () => {
  await bed.fixture.script(ID, [progress(ID)]);
  const { page, errors } = await cardPage(bed, "element-props", [{ "project-id": ID, interval: 60, steps: "off" }]);
  await untilState(page, ID, "ready");
  const seen = await page.evaluate(() => {
    const el = document.querySelector("oms-progress-card");
    const before = { projectId: el.projectId, proxyUrl: el.proxyUrl, interval: el.interval, theme: el.theme };
    el.interval = 30;
    el.layout = "compact";
    el.theme = null;
    return { before, interval: el.getAttribute("interval"), layout: el.getAttribute("layout"), theme: el.hasAttribute("theme"),
      keys: ["projectId", "proxyUrl", "interval", "timeout", "locale", "theme", "layout", "steps", "credentials"].filter((k) => k in el) };
  });
  assert.equal(seen.before.projectId, ID);
  assert.equal(seen.before.interval, "60");
  assert.equal(seen.before.theme, null);
  assert.deepEqual([seen.interval, seen.layout, seen.theme], ["30", "compact", false]);
  assert.equal(seen.keys.length, 9);
  await untilCard(page, ID, (root) => root.querySelector("[data-oms-card]").dataset.layout === "compact");
  assert.deepEqual(errors, []);
  await page.close();
});

test("data, stepsData and state follow the card; :state() matches; refresh() fetches now", async () => {
  const id = ID + "_data";
  // The first answer takes a second: until then the element has no data.
  await bed.fixture.script(id, [{ ...progress(id), delayMs: 1000 }, progress(id)]);
  await bed.fixture.script(id, [{ json: { success: true, data: [{ order: 1, name: "TRANSFER_PRECHECK", status: "FINISHED", progress: 100 }] } }], STEPS);
  const { page, errors } = await cardPage(bed, "element-data", [{ "project-id": id, interval: 60 }]);
  // Read once the element is defined: the first answer is still on its way.
  const early = await page.evaluate(async () => {
    await customElements.whenDefined("oms-progress-card");
    const el = document.querySelector("oms-progress-card");
    return { data: el.data, steps: el.stepsData };
  });
  assert.deepEqual(early, { data: null, steps: null });
  await untilState(page, id, "ready");
  await page.waitForFunction(() => document.querySelector("oms-progress-card").stepsData !== null);
  const ready = await page.evaluate(() => {
    const el = document.querySelector("oms-progress-card");
    const detail = window.events.find((e) => e.name === "oms-progress").detail;
    return { state: el.state, ready: el.matches(":state(ready)"), loading: el.matches(":state(loading)"),
      same: JSON.stringify(el.data) === JSON.stringify(detail), status: el.data.status, step: el.stepsData[0].name,
      readOnly: (() => { try { el.data = 1; } catch { /* strict-mode setter-less property */ } return el.data !== 1; })() };
  });
  assert.deepEqual(ready, { state: "ready", ready: true, loading: false, same: true, status: "RUNNING", step: "TRANSFER_PRECHECK", readOnly: true });

  // refresh(): a request now, not in 60 s (the interval): the new answer shows.
  await bed.fixture.script(id, [progress(id, "SUSPEND")]);
  await page.evaluate(() => document.querySelector("oms-progress-card").refresh());
  await page.waitForFunction(() => document.querySelector("oms-progress-card").data?.status === "SUSPEND", null, { timeout: 5000 });

  // A failure keeps the data: stale.
  await bed.fixture.script(id, [{ status: 503, body: "busy" }]);
  await page.evaluate(() => document.querySelector("oms-progress-card").refresh());
  await page.waitForFunction(() => document.querySelector("oms-progress-card").matches(":state(stale)"), null, { timeout: 5000 });
  assert.equal(await page.evaluate(() => document.querySelector("oms-progress-card").state), "stale");
  assert.equal(await page.evaluate(() => document.querySelector("oms-progress-card").data.status), "SUSPEND");

  // Another task: the old data goes at once.
  const cleared = await page.evaluate(() => {
    const el = document.querySelector("oms-progress-card");
    el.projectId = "np_element_other";
    return el.data;
  });
  assert.equal(cleared, null);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a property set before the element is defined is not lost", async () => {
  const id = ID + "_early";
  await bed.fixture.script(id, [progress(id)]);
  bed.pages["/element-early.html"] = `<!doctype html><html lang="en"><body><div id="host"></div>
    <script type="module">
      const el = document.createElement("oms-progress-card");
      el.projectId = ${JSON.stringify(id)};
      el.proxyUrl = ${JSON.stringify(bed.fixture.url + "/oms/")};
      el.steps = "off";
      document.getElementById("host").append(el);
      const { default: init } = await import("/pkg/oms_progress_card.js");
      await init();
    </script></body></html>`;
  const page = await bed.browser.newPage();
  await page.goto(`${bed.server.url}/element-early.html`);
  await untilState(page, id, "ready");
  assert.equal(await page.evaluate(() => document.querySelector("oms-progress-card").getAttribute("project-id")), id);
  await page.close();
});

test("the title and actions slots show the host's content; the id stays", async () => {
  const id = ID + "_slots";
  await bed.fixture.script(id, [progress(id)]);
  const { page, errors } = await cardPage(bed, "element-slots", [{ "project-id": id, steps: "off" }]);
  await page.evaluate(() => {
    const el = document.querySelector("oms-progress-card");
    el.insertAdjacentHTML("beforeend", '<span slot="title">Orders to OceanBase</span><a slot="actions" href="#open">Open in OMS</a>');
  });
  await untilState(page, id, "ready");
  const slots = await inCard(page, id, (root) => ({
    title: root.querySelector('slot[name="title"]').assignedElements().map((e) => e.textContent),
    actions: root.querySelector('slot[name="actions"]').assignedElements().map((e) => e.textContent),
    id: root.querySelector('[data-field="project-id"]').textContent,
  }));
  assert.deepEqual(slots, { title: ["Orders to OceanBase"], actions: ["Open in OMS"], id });
  const box = await page.evaluate(() => {
    const r = document.querySelector('[slot="title"]').getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  });
  assert.ok(box, "the title is laid out");
  assert.deepEqual(errors, []);
  await page.close();
});

test("custom-elements.json validates against the manifest schema and matches the element", async () => {
  const { default: Ajv } = await import("ajv");
  const fs = await import("node:fs");
  const path = await import("node:path");
  const { ROOT } = await import("./harness.mjs");
  const read = (f) => JSON.parse(fs.readFileSync(path.join(ROOT, f), "utf8"));
  const manifest = read("pkg/custom-elements.json");
  const validate = new Ajv({ allErrors: true, strict: false }).compile(read("node_modules/custom-elements-manifest/schema.json"));
  assert.ok(validate(manifest), JSON.stringify(validate.errors, null, 1));
  assert.equal(read("pkg/package.json").customElements, "custom-elements.json");
  const declaration = manifest.modules[0].declarations[0];

  // The element as the browser defines it, with a card that has data, a failed step, a firing
  // alarm and a verification that found differences, and one in error.
  const id = ID + "_manifest";
  await bed.fixture.script(id, [progress(id)]);
  await bed.fixture.script(id, [{ json: { success: true, data: [
    { order: 1, name: "FULL_TRANSFER", status: "FAILED", progress: 40, errorDetails: [{ code: "E1", message: "boom" }] },
    { order: 2, name: "FULL_VERIFIER", status: "RUNNING", progress: 10 },
    { order: 3, name: "INCR_TRANSFER", status: "INIT", progress: 0 },
  ] } }], STEPS);
  await bed.fixture.script(id, [{ json: { success: true, data: { name: "manifest", alarmStats: { alarming: true, alarmContent: "delay" } } } }], ACTION.Project);
  await bed.fixture.script(id, [{ json: { success: true, data: { differentNumber: 2, fullVerifyTableStatistics: [{ sourceSchemaName: "s", sourceTableName: "t", mismatchedCount: 2 }] } } }], ACTION.Verification);
  await bed.fixture.script(id + "_down", [{ status: 502, json: { success: false, code: "DOWN", message: "down", advice: "wait" } }]);
  // Incremental sync with a lag over three polls, then a failure: latency, trend and stale.
  const synced = () => ({ json: { success: true, data: { projectId: id + "_sync", status: "RUNNING", enableIncrSync: true, incrSyncCheckpoint: Math.floor(Date.now() / 1000) - 40 } } });
  await bed.fixture.script(id + "_sync", [synced(), synced(), synced(), { status: 503, body: "busy" }]);
  const { page, errors } = await cardPage(bed, "element-manifest", [
    { "project-id": id, interval: 60 }, { "project-id": id + "_down", interval: 60 }, { "project-id": id + "_sync", interval: 1, steps: "off" },
  ]);
  await untilState(page, id, "ready");
  await untilState(page, id + "_down", "error");
  await untilState(page, id + "_sync", "stale", 15000);
  await page.waitForFunction(() => document.querySelector("oms-progress-card").stepsData !== null);
  await untilCard(page, id, (r) => r.querySelector('[data-field="alarm-firing"]') && r.querySelector("[data-table]"));
  const element = await page.evaluate(() => {
    const Card = customElements.get("oms-progress-card");
    const cards = [...document.querySelectorAll("oms-progress-card")];
    const parts = new Set(cards.flatMap((c) => [...c.shadowRoot.querySelectorAll("[part]")].flatMap((e) => e.getAttribute("part").split(/\s+/))));
    const slots = [...cards[0].shadowRoot.querySelectorAll("slot")].map((s) => s.name);
    const describe = (name) => {
      const d = Object.getOwnPropertyDescriptor(Card.prototype, name);
      return d ? (typeof d.value === "function" ? "method" : d.set ? "accessor" : "getter") : "missing";
    };
    return { observed: Card.observedAttributes, parts: [...parts], slots, describe: Object.fromEntries(["projectId", "proxyUrl", "interval", "timeout", "locale", "theme", "layout", "steps", "credentials", "data", "stepsData", "state", "refresh"].map((n) => [n, describe(n)])) };
  });
  assert.deepEqual(declaration.attributes.map((a) => a.name), element.observed);
  for (const member of declaration.members) {
    const kind = element.describe[member.name];
    assert.equal(kind, member.kind === "method" ? "method" : member.readonly ? "getter" : "accessor", member.name);
  }
  assert.deepEqual(declaration.slots.map((s) => s.name), element.slots);
  const missing = declaration.cssParts.map((p) => p.name).filter((name) => !element.parts.includes(name));
  assert.deepEqual(missing, [], "every part in the manifest is in the cards");
  assert.deepEqual(declaration.events.map((e) => e.name), EVENTS);
  assert.deepEqual(declaration.cssStates.map((s) => s.name), ["loading", "ready", "stale", "error"]);
  // The list, as the same init() defined it.
  const listed = manifest.modules[0].declarations[1];
  const list = await page.evaluate((members) => {
    const List = customElements.get("oms-project-list");
    const describe = (name) => {
      const d = Object.getOwnPropertyDescriptor(List.prototype, name);
      return d ? (typeof d.value === "function" ? "method" : d.set ? "accessor" : "getter") : "missing";
    };
    return { observed: List.observedAttributes, describe: Object.fromEntries(members.map((n) => [n, describe(n)])) };
  }, listed.members.map((m) => m.name));
  assert.equal(listed.tagName, "oms-project-list");
  assert.deepEqual(listed.attributes.map((a) => a.name), list.observed);
  for (const member of listed.members) {
    assert.equal(list.describe[member.name], member.kind === "method" ? "method" : member.readonly ? "getter" : "accessor", member.name);
  }
  assert.deepEqual(errors, []);
  await page.close();
});
