// The card carries the host's credentials to a proxy that checks them: `configure({ headers })`
// with a token refreshed per request, the `credentials` attribute for cookies to a cross-origin
// proxy, and the `auth` error when the proxy refuses — in the card's own words, data kept,
// backed off, retried at once when the headers change. Tokens never reach the DOM or events.
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { testbed, cardPage, proxyServer, simServer, untilState, untilCard, inCard } from "./harness.mjs";

const SECRET = "the portal's HS256 secret, 32 bytes or more";
const ALLOWED = "np_4w8s2k_mysql_orders";

/** An HS256 JWT, as a portal's identity provider would issue it. */
function jwt(claims) {
  const b64 = (v) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const body = `${b64({ alg: "HS256", typ: "JWT" })}.${b64({ exp: Math.floor(Date.now() / 1000) + 600, ...claims })}`;
  return `${body}.${crypto.createHmac("sha256", SECRET).update(body).digest("base64url")}`;
}
const ALLOW_ALL = jwt({ sub: "ana", oms_projects: ["np_*"] });
const ALLOW_OTHER = jwt({ sub: "ben", oms_projects: ["np_9q4t*"] });
const WRONG = jwt({ sub: "eve", oms_projects: ["*"] }).replace(/.$/, (c) => (c === "A" ? "B" : "A"));

const bed = testbed({ fixture: false });
let stack;

/** The simulated OMS behind the reference proxy, which verifies JWTs (header or cookie) and lets
 * the test pages' origin call it with credentials. */
async function authStack() {
  if (stack) return stack;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "oms-auth-"));
  fs.writeFileSync(path.join(dir, "secret"), SECRET + "\n");
  const env = { OMS_USERNAME: "demo", OMS_PASSWORD: "pw-" + crypto.randomUUID() };
  const sim = await simServer({ fixture: false, env });
  const proxy = await proxyServer([
    "--upstream", sim.url, "--jwt-hs256-secret-file", path.join(dir, "secret"), "--jwt-cookie", "portal_jwt",
    "--allow-origin", bed.server.url, "--cache-ttl", "0",
  ], { env });
  stack = { proxy, sim, dir };
  return stack;
}
test.after(() => {
  stack?.proxy.stop();
  stack?.sim.stop();
  if (stack) fs.rmSync(stack.dir, { recursive: true, force: true });
});

/** A page of cards at the proxy, with `setup` (module code) run before `init()`; `requests`
 * records the headers of every API request, and when it was sent. */
async function page(name, cards, setup = "") {
  const { proxy } = await authStack();
  const requests = [];
  const defaults = { "proxy-url": proxy.url + "/", interval: "1", steps: "off" };
  const opened = await cardPage(bed, name, cards.map((a) => ({ ...defaults, ...a })), {
    setup,
    prepare: (p) => p.on("request", (r) => r.url().includes("/api/v2") && r.method() === "POST" && requests.push({ ...r.headers(), at: Date.now() })),
  });
  return { ...opened, requests };
}

const alert = (root) => {
  const a = root.querySelector('[role="alert"]');
  return a && !a.hidden ? { kind: a.dataset.kind, text: a.textContent } : null;
};

test("a token from configure()'s function is sent, refused, and a header change retries at once", async () => {
  const { page: p, errors, requests } = await page("bearer", [{ "project-id": ALLOWED }],
    `window.token = ${JSON.stringify(WRONG)}; configure({ headers: async () => ({ Authorization: "Bearer " + window.token }) });`);
  await untilState(p, ALLOWED, "error");
  const shown = await untilCard(p, ALLOWED, alert);
  assert.equal(shown.kind, "auth");
  assert.match(shown.text, /Sign in again/);
  assert.match(shown.text, /PROXY_UNAUTHENTICATED/);
  const error = await p.evaluate(() => window.events.find((e) => e.name === "oms-error")?.detail);
  assert.deepEqual([error.kind, error.status, error.code], ["auth", 401, "PROXY_UNAUTHENTICATED"]);
  assert.ok(requests.every((h) => h.authorization === `Bearer ${WRONG}`), "every request carried the host's token");

  // Backed off: with interval 1 s, a refused viewer is asked again after pauses of at least
  // 1 s, then 2 s (the backoff's lower bounds; the jitter only lengthens them).
  await p.waitForFunction((n) => window.performance.getEntriesByType("resource").filter((e) => e.name.includes("/api/v2")).length >= n, 3, { timeout: 10000 });
  const gaps = requests.slice(1, 3).map((r, i) => r.at - requests[i].at);
  assert.ok(gaps[0] >= 950 && gaps[1] >= 1950, `pauses between refused requests: ${gaps} ms`);

  // The host signs in again: the card retries at once, not after its backoff.
  const started = Date.now();
  await p.evaluate((token) => {
    window.token = token;
    window.configure({ headers: async () => ({ Authorization: "Bearer " + window.token }) });
  }, ALLOW_ALL);
  await untilState(p, ALLOWED, "ready", 5000);
  assert.ok(Date.now() - started < 2500, `ready ${Date.now() - started} ms after the header change`);
  assert.equal(await inCard(p, ALLOWED, alert), null);

  // No token in the cards (attributes, shadow DOM) or their events (the page's own script, which
  // holds it, aside).
  const visible = await p.evaluate(() => JSON.stringify(window.events)
    + [...document.querySelectorAll("oms-progress-card")].map((c) => c.outerHTML + c.shadowRoot.innerHTML).join(""));
  for (const token of [WRONG, ALLOW_ALL]) assert.ok(!visible.includes(token.split(".")[2]), "a token reached the DOM or an event");
  assert.deepEqual(errors, []);
  await p.close();
});

test("a viewer refused a task keeps the data it had, marked stale, in both languages", async () => {
  const { page: p, errors } = await page("forbidden", [{ "project-id": ALLOWED }, { "project-id": ALLOWED, locale: "zh-CN", layout: "compact" }],
    `configure({ headers: { Authorization: "Bearer ${ALLOW_ALL}" } });`);
  await untilState(p, ALLOWED, "ready");
  const before = await inCard(p, ALLOWED, (root) => root.querySelector('[data-field="status"]').dataset.value);
  assert.ok(before);
  await p.evaluate((token) => window.configure({ headers: { Authorization: "Bearer " + token } }), ALLOW_OTHER);
  await untilState(p, ALLOWED, "stale", 5000);
  const cards = await p.evaluate(() => [...document.querySelectorAll("oms-progress-card")].map((c) => {
    const root = c.shadowRoot;
    const a = root.querySelector('[role="alert"]');
    return { status: root.querySelector('[data-field="status"]')?.dataset.value, kind: a.dataset.kind, text: a.textContent };
  }));
  assert.equal(cards[0].status, before, "the data shown is kept");
  assert.deepEqual(cards.map((c) => c.kind), ["auth", "auth"]);
  assert.match(cards[0].text, /You are not allowed to see this task\./);
  assert.match(cards[1].text, /您无权查看此任务。/);
  assert.match(cards[0].text, /PROXY_FORBIDDEN_PROJECT/);
  assert.deepEqual(errors, []);
  await p.close();
});

test("cookies reach a cross-origin proxy only with credentials=include (or configure's default)", async () => {
  // Cookies ignore ports: the page's cookie on 127.0.0.1 goes to the proxy on 127.0.0.1 too,
  // when the request may carry it.
  const { page: p, errors } = await page("cookie", [
    { "project-id": ALLOWED, credentials: "include" },
    { "project-id": "np_5k2m9q_oracle_billing" },
  ], `document.cookie = "portal_jwt=${ALLOW_ALL}; path=/; SameSite=Lax";`);
  await untilState(p, ALLOWED, "ready");
  await untilState(p, "np_5k2m9q_oracle_billing", "error");
  assert.equal((await inCard(p, "np_5k2m9q_oracle_billing", alert)).kind, "auth", "same-origin mode sends no cookie across origins");
  // The page-wide default: every card without the attribute now sends the cookie too.
  await p.evaluate(() => window.configure({ credentials: "include" }));
  await untilState(p, "np_5k2m9q_oracle_billing", "ready", 5000);
  assert.deepEqual(errors, []);
  await p.close();
});

test("configure() refuses what it cannot use, with a clear message", async () => {
  const { page: p } = await page("configure-errors", []);
  await p.waitForFunction(() => window.configure);
  const messages = await p.evaluate(() => [() => window.configure(), () => window.configure({ header: {} }),
    () => window.configure({ headers: "Bearer x" }), () => window.configure({ credentials: "always" })]
    .map((f) => { try { f(); return "no error"; } catch (e) { return `${e.name}: ${e.message}`; } }));
  assert.match(messages[0], /TypeError: configure\(\): options must be an object/);
  assert.match(messages[1], /unknown option "header"/);
  assert.match(messages[2], /headers must be an object or a function/);
  assert.match(messages[3], /credentials must be one of same-origin, include, omit/);
  await p.close();
});

test("a headers function that throws is an auth error, not a crash", async () => {
  const { page: p, errors } = await page("headers-throw", [{ "project-id": ALLOWED }],
    `configure({ headers: () => { throw new Error("the identity provider is down"); } });`);
  await untilState(p, ALLOWED, "error");
  const shown = await inCard(p, ALLOWED, alert);
  assert.equal(shown.kind, "auth");
  assert.match(shown.text, /Sign in again/);
  assert.deepEqual(errors, []);
  await p.close();
});
