// What a person sees and does: every control named for its task, a change of status said aloud
// once, rings whose text fits in both languages, Chinese written as Chinese, a network failure
// that says what to check, and the README's quick start followed word for word.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { testbed, cardPage, untilCard, untilState, demoStack, staticServer, waitFor, ROOT, ACTION } from "./harness.mjs";

const bed = testbed();

const ok = (data) => ({ json: { success: true, requestId: "r", data } });
const progress = (id, status, extra = {}) => ok({
  projectId: id, status, alarmLevel: "LOW", currentStep: "FULL_TRANSFER",
  enableStructTransfer: true, structTransferProgress: 100, enableFullTransfer: true, fullTransferProgress: 63,
  enableIncrSync: false, enableReverseIncrTransfer: false, ...extra,
});

test("a change of status is announced politely, once, and the first data is not", async () => {
  const id = "np_people_announce";
  await bed.fixture.script(id, [progress(id, "RUNNING"), progress(id, "RUNNING"), progress(id, "RUNNING"), progress(id, "FAILED")]);
  const { page, errors } = await cardPage(bed, "announce", [{ "project-id": id, interval: 1, steps: "off" }]);
  await untilState(page, id, "ready");
  // Count what the live region is told from here on.
  await page.evaluate((id) => {
    const region = document.querySelector(`oms-progress-card[project-id="${id}"]`).shadowRoot.querySelector('[data-field="announcement"]');
    window.announced = [];
    new MutationObserver(() => window.announced.push(region.textContent)).observe(region, { childList: true, characterData: true, subtree: true });
  }, id);
  const first = await untilCard(page, id, (r) => {
    const region = r.querySelector('[data-field="announcement"]');
    return { live: region.getAttribute("aria-live"), text: region.textContent };
  });
  assert.equal(first.live, "polite");
  assert.equal(first.text, "", "the first data is not news");
  const said = await untilCard(page, id, (r) => r.querySelector('[data-field="announcement"]').textContent);
  assert.equal(said, `${id}: Failed`);
  // Two more polls of the same status: nothing more is said.
  const seen = await bed.fixture.count(id);
  await waitFor(async () => (await bed.fixture.count(id)) >= seen + 2);
  await untilState(page, id, "ready");
  assert.deepEqual(await page.evaluate(() => window.announced), [`${id}: Failed`]);
  assert.deepEqual(errors, []);
  await page.close();
});

test("every control on a page of cards has a name of its own", async () => {
  const ids = ["np_people_a", "np_people_b", "np_people_c"];
  for (const id of ids) await bed.fixture.script(id, [progress(id, "RUNNING")]);
  const { page } = await cardPage(bed, "names", ids.map((id, i) => ({ "project-id": id, steps: "off", layout: i ? "compact" : "full" })));
  for (const id of ids) await untilState(page, id, "ready");
  const names = await page.evaluate(() => [...document.querySelectorAll("oms-progress-card")].map((el) =>
    [...el.shadowRoot.querySelectorAll("button")].map((b) => b.getAttribute("aria-label"))).flat());
  assert.deepEqual(names, ids.map((id) => `Refresh ${id}`));
  // Status and alarm level are labelled pairs.
  const pairs = await untilCard(page, ids[0], (r) => [...r.querySelectorAll(".oms-badges dt")].map((dt) => dt.textContent + " = " + dt.nextElementSibling.textContent.trim()));
  assert.deepEqual(pairs, ["Status = Running", "Alarm level = Low"]);
  await page.close();
});

test("the text inside a ring fits inside the ring, full and compact, in English and Chinese", async () => {
  const cards = [];
  for (const locale of ["en", "zh-CN"]) {
    for (const layout of ["full", "compact"]) {
      const id = `np_people_ring_${locale}_${layout}`.replace("-", "_");
      // 100 % (the widest figure) beside a stage that is off.
      await bed.fixture.script(id, [progress(id, "RUNNING", { structTransferProgress: 100, enableFullTransfer: false, fullTransferProgress: 0 })]);
      cards.push({ "project-id": id, locale, layout, steps: "off" });
    }
  }
  const { page } = await cardPage(bed, "rings", cards);
  for (const card of cards) await untilState(page, card["project-id"], "ready");
  const misfits = await page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll("oms-progress-card")) {
      for (const ring of el.shadowRoot.querySelectorAll(".oms-ring")) {
        const box = ring.getBoundingClientRect();
        const stroke = parseFloat(getComputedStyle(ring.querySelector(".oms-ring-track")).strokeWidth);
        // The ring's inner edge: radius 15.9155 of a 36-unit box, less half the stroke.
        const inner = ((15.9155 - stroke / 2) / 36) * box.width;
        const value = ring.querySelector(".oms-ring-value");
        const range = document.createRange();
        range.selectNodeContents(value);
        const text = range.getBoundingClientRect();
        const cx = box.left + box.width / 2, cy = box.top + box.height / 2;
        const corner = Math.hypot(Math.max(Math.abs(text.left - cx), Math.abs(text.right - cx)), Math.max(Math.abs(text.top - cy), Math.abs(text.bottom - cy)));
        if (!value.textContent || corner > inner + 0.5) {
          out.push(`${el.getAttribute("project-id")} ${ring.dataset.field} "${value.textContent}": ${text.width.toFixed(1)}×${text.height.toFixed(1)} px reaches ${corner.toFixed(1)} px, the ring's inside ${inner.toFixed(1)} px`);
        }
      }
    }
    return out;
  });
  assert.deepEqual(misfits, []);
  // A stage that is off says so in words beside its ring.
  const off = await untilCard(page, "np_people_ring_zh_CN_compact", (r) => r.querySelector('[data-field="full-progress"]').parentElement.querySelector(".oms-stage-label").textContent);
  assert.equal(off, "全量迁移未开启");
  await page.close();
});

test("Chinese on a card is written as Chinese: no ASCII ; , : ( ) beside Chinese characters", async () => {
  const id = "np_people_zh";
  const t = Math.floor(Date.now() / 1000);
  const at = (s) => new Date(s * 1000).toISOString().slice(0, 19);
  await bed.fixture.script(id, [progress(id, "RUNNING", { currentStep: "INCR_TRANSFER", enableIncrSync: true, incrSyncCheckpoint: "{{now-90}}", fullTransferProgress: 100 })]);
  await bed.fixture.script(id, [ok([
    { order: 1, name: "FULL_TRANSFER", status: "FINISHED", progress: 100, startTime: at(t - 3600), finishTime: at(t - 2400), stepInfo: { processedRecords: 5000, capacity: 5000, dstRps: 0 }, extraInfo: {} },
    { order: 2, name: "INCR_TRANSFER", status: "MONITORING", progress: 100, startTime: at(t - 2400), finishTime: null,
      stepInfo: { incrTimestampCheckpoint: "{{now-90}}", checkpointSampleTimestamp: "{{now}}" }, extraInfo: {} },
  ])], ACTION.Steps);
  const { page } = await cardPage(bed, "zh", [{ "project-id": id, locale: "zh-CN", interval: 1 }]);
  const text = await untilCard(page, id, (r) => /延迟超过/.test(r.querySelector('[data-field="cutover"]')?.textContent ?? "") && (() => {
    // The card's own words: every text and accessible name, server strings left out.
    const skip = "[data-field=project-id], [data-field=task-name], [data-field=step-error], .oms-raw, .oms-alert, .oms-failure-error";
    const parts = [];
    const walker = document.createTreeWalker(r, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) if (!walker.currentNode.parentElement.closest(skip)) parts.push(walker.currentNode.data);
    for (const el of r.querySelectorAll("[aria-label], [title], [aria-valuetext]")) {
      for (const name of ["aria-label", "title", "aria-valuetext"]) if (el.hasAttribute(name)) parts.push(el.getAttribute(name));
    }
    return parts;
  })(), 20000);
  const cjk = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;
  const offending = text.filter((s) => [...s].some((c, i, all) => ";,:()".includes(c) && (cjk.test(all[i - 1] ?? "") || cjk.test(all[i + 1] ?? ""))));
  assert.deepEqual(offending, []);
  assert.ok(text.some((s) => /延迟超过/.test(s)), "the lag blocker is there to be read: " + JSON.stringify(text));
  await page.close();
});

test("a proxy the page cannot reach: the alert says what to check", async () => {
  const id = "np_people_unreachable";
  // A port nothing listens on.
  const gone = await staticServer();
  const url = gone.url;
  await gone.close();
  const { page } = await cardPage(bed, "unreachable", [{ "project-id": id, "proxy-url": url, steps: "off" }]);
  await untilState(page, id, "error");
  const alert = await untilCard(page, id, (r) => r.querySelector('[role="alert"]')?.textContent);
  assert.match(alert, /Could not reach the OMS proxy/);
  assert.match(alert, /--allow-origin/);
  assert.match(alert, /path in front of \/api\/v2/);
  await page.close();
});

test("the README's quick start works as written", async () => {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const start = readme.slice(readme.indexOf("<!-- quickstart -->"), readme.indexOf("<!-- /quickstart -->"));
  const proxyArgs = start.match(/make demo PROXY_ARGS="([^"]+)"/)[1].split(" ");
  const html = start.match(/```html\n([\s\S]*?)```/)[1].replace(/^ {3}/gm, "");
  assert.match(start, /python3 -m http\.server 8000 --bind 127\.0\.0\.1 --directory hello/);
  // The same steps, on the ports this test was given: the page's server first (the proxy must
  // allow its origin), then the demo, then the page that names the demo's address.
  const pages = {};
  const pageServer = await staticServer({ root: path.join(ROOT, "docs"), pages });
  const stack = await demoStack({ proxyArgs: proxyArgs.map((a) => a.replace("http://127.0.0.1:8000", pageServer.url)) });
  try {
    pages["/"] = html.replaceAll("http://127.0.0.1:8080", stack.url);
    const page = await bed.browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(pageServer.url + "/");
    const id = html.match(/project-id="([^"]+)"/)[1];
    await untilState(page, id, "ready", 20000);
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    stack.stop();
    await pageServer.close();
  }
});

test("the README's styling example styles the card", async () => {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const css = readme.slice(readme.indexOf("<!-- /surface:parts -->")).match(/```css\n([\s\S]*?)```/)[1];
  const id = "np_people_styled";
  await bed.fixture.script(id, [progress(id, "RUNNING")]);
  const { page } = await cardPage(bed, "styled", [{ "project-id": id, steps: "off" }], { setup: `document.head.append(Object.assign(document.createElement("style"), { textContent: ${JSON.stringify(css)} }));` });
  await untilState(page, id, "ready");
  const styled = await untilCard(page, id, (r) => {
    const card = getComputedStyle(r.querySelector("[data-oms-card]"));
    return { border: card.borderTopWidth, radius: card.borderTopLeftRadius, refresh: getComputedStyle(r.querySelector(".oms-refresh")).display,
      accent: getComputedStyle(r.querySelector("[data-oms-card]")).getPropertyValue("--_accent").trim() };
  });
  assert.deepEqual(styled, { border: "2px", radius: "4px", refresh: "none", accent: "#5b5bd6" });
  await page.close();
});
