// A bench page: ?kind=widget|vanilla|list&n=N&ids=cycle|same|distinct|all&interval=S (or &id=ID:
// every card that task; &list=ID,ID,…: card i task i of the list; &steps=off: widget cards without
// the task's story). kind=list: one <oms-project-list> of the fleet np_all_… (n: its `max`). Records, in
// window.bench, when the first card and when all cards first showed data (ms since navigation
// start). ids: `cycle` spreads the cards over the 31 simulated tasks below, `same` shows one task
// on every card, `distinct` gives every card a task of its own (np_bench_000 …).
const params = new URLSearchParams(location.search);
const kind = params.get("kind") ?? "widget";
const n = Number(params.get("n") ?? 1);
const interval = params.get("interval") ?? "5";
// Simulated tasks of sim/scenarios.json that answer with data.
const ids = [
  "np_4w8s2k_mysql_orders", "np_5k2m9q_oracle_billing", "np_3n7v1x_pg_inventory", "np_9q4t6b_archive",
  "np_7h2c8d_crm", "np_2s5y8w_sybase_ledger", "np_8p1r3z_next_version",
  ...Array.from({ length: 24 }, (_, i) => "np_fleet_" + String(i).padStart(2, "0")),
];
const list = params.get("list")?.split(",");
const idOf = (i) => params.get("id") ?? list?.[i % list.length] ?? ({
  same: ids[0],
  distinct: "np_bench_" + String(i).padStart(3, "0"),
  all: "np_all_" + String(i).padStart(3, "0"),
}[params.get("ids")] ?? ids[i % ids.length]);

const bench = (window.bench = { firstData: null, allData: null, visibleData: null, withData: 0, requests: 0, stepsRequests: 0, ready: false });
const seen = new WeakSet();
document.addEventListener("oms-progress", (e) => {
  if (seen.has(e.target)) return;
  seen.add(e.target);
  bench.withData += 1;
  const done = bench.withData === n;
  // The next frame: the data is on screen, not just decoded.
  requestAnimationFrame(() => {
    const t = performance.now();
    bench.firstData ??= t;
    if (done) bench.allData = t;
  });
});
new PerformanceObserver((list) => {
  const calls = list.getEntries().filter((e) => e.name.includes("/api/v2"));
  bench.requests += calls.length;
  bench.stepsRequests += calls.filter((e) => e.name.includes("DescribeProjectSteps")).length;
}).observe({ type: "resource", buffered: true });

// When every card (or list row) on screen first shows data: checked each frame until it does.
function watchVisible(shown) {
  const check = () => {
    if (shown()) bench.visibleData = performance.now();
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}
const onScreen = (el) => {
  const r = el.getBoundingClientRect();
  return r.bottom > 0 && r.top < innerHeight && r.height > 0;
};

const tag = kind === "vanilla" ? "oms-vanilla-card" : kind === "list" ? "oms-project-list" : "oms-progress-card";
const cards = document.getElementById("cards");
if (kind === "list") {
  const list = document.createElement(tag);
  Object.entries({ "proxy-url": "/", search: "np_all_", max: String(n), interval, locale: "en" }).forEach(([k, v]) => list.setAttribute(k, v));
  cards.append(list);
  // Requests: the list's pages; data: its first oms-list, then every row on screen drawn.
  list.addEventListener("oms-list", (e) => {
    bench.withData = e.detail.length;
    requestAnimationFrame(() => (bench.allData ??= performance.now(), bench.firstData ??= bench.allData));
  });
  watchVisible(() => {
    const rows = [...(list.shadowRoot?.querySelectorAll("[data-project]") ?? [])].filter(onScreen);
    return rows.length > 0 && rows.every((r) => ["ready", "stale"].includes(r.querySelector("[data-oms-card]")?.dataset.state));
  });
} else {
  watchVisible(() => {
    const shown = [...cards.children].filter(onScreen);
    return shown.length > 0 && shown.every((c) => ["ready", "stale"].includes(c.shadowRoot?.querySelector("[data-oms-card]")?.dataset.state));
  });
}
for (let i = 0; i < (kind === "list" ? 0 : n); i++) {
  const card = document.createElement(tag);
  card.setAttribute("project-id", idOf(i));
  card.setAttribute("proxy-url", "/");
  card.setAttribute("interval", interval);
  card.setAttribute("locale", "en");
  if (kind === "widget" && n > 20) card.setAttribute("layout", "compact");
  if (kind === "widget" && params.has("steps")) card.setAttribute("steps", params.get("steps"));
  cards.append(card);
}
if (kind === "vanilla") {
  await import("./vanilla/oms-vanilla-card.js");
} else {
  // The wasm is fetched while the JS module loads, as the README advises a page to do.
  const wasmFile = fetch(new URL("../pkg/oms_progress_card_bg.wasm", import.meta.url));
  const { default: init } = await import("../pkg/oms_progress_card.js");
  const wasm = await init({ module_or_path: wasmFile });
  bench.wasmBytes = () => wasm.memory.buffer.byteLength;
}
bench.ready = true;
