// The simulated OMS over HTTP (rules: oms.js). Binds 127.0.0.1 only, stops by itself (after
// --max-seconds, or when the process that started it closes its stdin), and prints
// {"port": ..., "pid": ...} as its first line.
//
//   node sim/server.mjs [--port=N] [--seed=N] [--time-scale=X] [--ahead-seconds=N] [--max-seconds=N] [--fleet-size=N] [--page-size-cap=N] [--no-total-count] [--fixture]
//
// --fleet-size: how many tasks the fleet np_all_… holds (default: scenarios.json's thousand).
// --page-size-cap: a ListProjects page holds at most N tasks, whatever was asked (as a
// deployment of OMS may hold it), and its answer's pageSize says N.
// --no-total-count: ListProjects answers carry no totalCount (its pageSize then tells the last page).
//
// --ahead-seconds: every task's clock starts that many simulated seconds further on (to meet a
// step near its end without waiting for it).
//
// As OMS: `POST /api/v2?Action=...` for each action of api/actions.json, with its body;
// `GET /oms/health`. With OMS_USERNAME and OMS_PASSWORD in the environment, every API request
// needs them as HTTP Basic credentials (how `make demo` runs it behind the reference proxy).
//
// --fixture, for tests that point cards straight at it: any path ending in /api/v2 answers, CORS
// is open, ids without a scenario get the documented example, and answers can be scripted:
//   POST /__script/<id>[?action=A]  body [step, ...]: replaces the answers for (action, id)
//   GET  /__count/<id>[?action=A]   {count, bodies, times, answered}: the requests seen
//   GET  /__stats                   {calls, unauthorized}: every API request, and those refused
// A step: {status, json | body | sizeBytes, delayMs, headers, gzip, hang, drop, trickleMs, endless}
//   json: sent as JSON ("{{now}}" / "{{now-N}}" strings become unix seconds); body: raw text;
//   gzip: the body gzip-compressed, with Content-Encoding: gzip (whatever the client accepts);
//   hang: never answer; drop: close the connection; sizeBytes: a JSON body that big;
//   trickleMs: one byte every trickleMs; endless: headers, then a body that never ends.
// The last step of a script repeats. `action` defaults to DescribeProjectProgress.
// A script whose steps have `match` ({field: value, …} of the request body) answers each request
// with the first step whose fields all match, and requests no step matches as the simulator
// would (a list's page 2 failing while its other pages answer).
import http from "node:http";
import fs from "node:fs";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";
import { createSimulator } from "./oms.js";

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")).map(([k, v]) => [k, v ?? "1"]),
);
const fixture = args.fixture === "1";
const maxSeconds = Number(args["max-seconds"] ?? 3600);
const scenarios = JSON.parse(fs.readFileSync(fileURLToPath(new URL("scenarios.json", import.meta.url)), "utf8"));
/** `value` as a whole number from 1, or a clear stop naming `flag`. */
function whole(value, flag) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a whole number from 1`);
  return n;
}
if (args["fleet-size"]) {
  scenarios.fleets.find((f) => f.prefix === "np_all_").count = whole(args["fleet-size"], "--fleet-size");
}
const { actions, limits } = JSON.parse(fs.readFileSync(fileURLToPath(new URL("../api/actions.json", import.meta.url)), "utf8"));
// The body field that holds the task id, by action (scripts and counts are kept per task).
const idFields = new Map(actions.map((a) => [a.name, Object.entries(a.body).find(([, kind]) => kind === "projectId")?.[0] ?? "id"]));

// The credentials are compared, never printed.
const { OMS_USERNAME: user, OMS_PASSWORD: password } = process.env;
const expected = user ? "Basic " + Buffer.from(`${user}:${password ?? ""}`).toString("base64") : null;
const authorize = expected ? (header) => header === expected : undefined;

const sim = createSimulator(scenarios, {
  actions,
  limits,
  // Cards that ask the fixture straight send no schema lists; behind the proxy, OMS needs them.
  schemasRequired: !fixture,
  seed: Number(args.seed ?? 1),
  timeScale: Number(args["time-scale"] ?? 1),
  startMs: Date.now() - (Number(args["ahead-seconds"] ?? 0) / Number(args["time-scale"] ?? 1)) * 1000,
  unknownIds: fixture ? "example" : "error",
  authorize,
  pageSizeCap: args["page-size-cap"] ? whole(args["page-size-cap"], "--page-size-cap") : Infinity,
  listTotals: !("no-total-count" in args),
});

const DEFAULT_ACTION = "DescribeProjectProgress";
const scripts = new Map(); // "action id" -> { steps, next }
const seen = new Map(); // "action id" -> { bodies, times, answered }
const stats = { calls: 0, unauthorized: 0 };
const keyOf = (action, id) => `${action ?? DEFAULT_ACTION} ${id}`;
const record = (key) => {
  if (!seen.has(key)) seen.set(key, { bodies: [], times: [], answered: [] });
  return seen.get(key);
};

// "{{now}}" and "{{now-N}}" strings become unix seconds, so scripts ask for fresh checkpoints.
function expand(value) {
  if (typeof value === "string") {
    const m = value.match(/^\{\{now(?:([+-])(\d+))?\}\}$/);
    if (!m) return value;
    const now = Math.floor(Date.now() / 1000);
    return m[1] === "-" ? now - Number(m[2]) : m[1] === "+" ? now + Number(m[2]) : now;
  }
  if (Array.isArray(value)) return value.map(expand);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expand(v)]));
  return value;
}

const cors = fixture
  ? { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "POST, GET, OPTIONS", "Access-Control-Allow-Headers": "content-type, authorization", "Access-Control-Max-Age": "600" }
  : {};

function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, { ...cors, "Content-Type": "application/json", ...headers });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}

const wait = (ms) => new Promise((r) => setTimeout(r, ms));

async function play(res, step, answered) {
  if (step.delayMs) await wait(step.delayMs);
  if (step.hang) return; // the socket stays open until the client gives up
  if (step.drop) return res.socket.destroy();
  const headers = { ...cors, "Content-Type": "application/json", ...(step.headers ?? {}) };
  if (step.endless) {
    res.writeHead(step.status ?? 200, headers);
    const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write('{"pad":"')), 50);
    res.on("close", () => clearInterval(timer));
    return;
  }
  let body = step.json !== undefined ? JSON.stringify(expand(step.json))
    : step.sizeBytes ? `{"success":true,"pad":"${"x".repeat(step.sizeBytes)}"}`
    : (step.body ?? "");
  if (step.gzip) {
    body = zlib.gzipSync(body);
    headers["Content-Encoding"] = "gzip";
  }
  res.writeHead(step.status ?? 200, headers);
  answered.push(Date.now());
  if (!step.trickleMs) return res.end(body);
  const bytes = Buffer.from(body);
  for (let i = 0; i < bytes.length && !res.destroyed; i++) {
    res.write(bytes.subarray(i, i + 1));
    await wait(step.trickleMs);
  }
  res.end();
}

/** The step of `script` that answers a request with `body`: the next one, or of a script with
 * `match` steps, the first whose fields the body has (none: the simulator answers). */
function pick(script, body) {
  if (!script.steps.some((step) => step.match)) return script.steps[Math.min(script.next++, script.steps.length - 1)];
  let given = {};
  try {
    given = JSON.parse(body) ?? {};
  } catch { /* matches no step */ }
  return script.steps.find((step) => Object.entries(step.match ?? {}).every(([field, value]) => JSON.stringify(given[field]) === JSON.stringify(value)));
}

async function api(req, res, url) {
  const body = await readBody(req);
  stats.calls += 1;
  const action = url.searchParams.get("Action");
  let id = "";
  try {
    id = String(JSON.parse(body)[idFields.get(action) ?? "id"] ?? "");
  } catch { /* counted under "" */ }
  const seenHere = record(keyOf(action, id));
  seenHere.bodies.push(body.length > 1000 ? body.slice(0, 1000) : body);
  seenHere.times.push(Date.now());
  const authorization = req.headers.authorization ?? null;
  if (authorize && !authorize(authorization)) stats.unauthorized += 1;
  const script = fixture && (!authorize || authorize(authorization)) ? scripts.get(keyOf(action, id)) : undefined;
  const step = script && pick(script, body);
  if (step) return play(res, step, seenHere.answered);
  const { status, body: answer, type } = sim.handle({ method: req.method, search: url.search, body, authorization });
  seenHere.answered.push(Date.now());
  send(res, status, answer, { "Cache-Control": "no-store", ...(type ? { "Content-Type": type } : {}) });
}

const server = http.createServer(async (req, res) => {
  // No keep-alive: Chromium silently retries a request whose reused connection died, which
  // would hide a dropped connection from the card.
  res.shouldKeepAlive = false;
  const url = new URL(req.url, "http://sim");
  if (req.method === "GET" && url.pathname === "/oms/health") return send(res, 200, { status: "UP" });
  if (fixture && req.method === "OPTIONS") return send(res, 204, "");
  if (fixture && req.method === "POST" && url.pathname.startsWith("/__script/")) {
    const id = decodeURIComponent(url.pathname.slice("/__script/".length));
    const key = keyOf(url.searchParams.get("action"), id);
    scripts.set(key, { steps: JSON.parse(await readBody(req)), next: 0 });
    seen.delete(key);
    return send(res, 200, {});
  }
  if (fixture && req.method === "GET" && url.pathname.startsWith("/__count/")) {
    const id = decodeURIComponent(url.pathname.slice("/__count/".length));
    const { bodies, times, answered } = record(keyOf(url.searchParams.get("action"), id));
    return send(res, 200, { count: bodies.length, bodies, times, answered });
  }
  if (fixture && req.method === "GET" && url.pathname === "/__stats") return send(res, 200, stats);
  if (url.pathname === "/api/v2" || (fixture && url.pathname.endsWith("/api/v2"))) return api(req, res, url);
  send(res, 404, { success: false, code: "NOT_FOUND", message: "No such path on this simulated OMS." });
});

server.listen(Number(args.port ?? 0), "127.0.0.1", () => {
  console.log(JSON.stringify({ port: server.address().port, pid: process.pid }));
});
// Stop by ourselves: after the lifetime, or when the parent that started us goes away.
setTimeout(() => process.exit(0), maxSeconds * 1000).unref();
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
process.on("SIGTERM", () => process.exit(0));
process.on("SIGINT", () => process.exit(0));
