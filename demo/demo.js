// The demo page: finds an OMS proxy (make demo runs the real one), or installs the service
// worker that simulates one, then loads the widget.
import init from "../pkg/oms_progress_card.js";

const backend = document.getElementById("backend");

// Who answers: the reference proxy when `make demo` serves this page (its demo site says so in
// demo/backend.json), else a service worker simulating OMS, for any static file server.
async function proxyIsHere() {
  try {
    const response = await fetch("demo/backend.json", { cache: "no-store" });
    return response.ok && (await response.json()).backend === "proxy";
  } catch {
    return false;
  }
}

async function useSimulator() {
  if (!("serviceWorker" in navigator)) {
    throw new Error("this browser cannot run the in-page OMS simulator (service workers need https or localhost)");
  }
  await navigator.serviceWorker.register("demo-sw.js", { type: "module" });
  await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) {
    await new Promise((resolve) => navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }));
  }
}

function log(text) {
  const item = document.createElement("li");
  const time = document.createElement("time");
  const now = new Date();
  time.dateTime = now.toISOString();
  time.textContent = now.toLocaleTimeString();
  item.append(time, " ", text);
  const list = document.getElementById("log");
  list.prepend(item);
  while (list.children.length > 30) list.lastElementChild.remove();
}

document.addEventListener("oms-status-change", (e) => {
  log(`${e.target.getAttribute("project-id")}: status ${e.detail.from ?? "—"} → ${e.detail.to ?? "—"}`);
});
document.addEventListener("oms-error", (e) => {
  log(`${e.target.getAttribute("project-id") ?? e.target.localName}: ${e.detail.kind} error ${e.detail.code ?? ""} ${e.detail.message}`);
});

// The dashboard: the simulated fleet np_fleet_00 … np_fleet_23 as compact cards.
const dashboard = document.getElementById("dashboard");
for (let i = 0; i < 24; i++) {
  const card = document.createElement("oms-progress-card");
  card.setAttribute("project-id", "np_fleet_" + String(i).padStart(2, "0"));
  card.setAttribute("proxy-url", ".");
  card.setAttribute("layout", "compact");
  dashboard.append(card);
}

// What the visitor chose in the page's controls (language, theme), for a list made later.
const chosen = {};

// The fleet: its list of a thousand tasks starts when its section comes near the screen, as a
// portal starts a list below the fold, so a slow phone draws the cards above it first.
const filters = document.getElementById("fleet-filters");
let fleet = null;
new IntersectionObserver((entries, observer) => {
  if (!entries.some((e) => e.isIntersecting)) return;
  observer.disconnect();
  fleet = document.createElement("oms-project-list");
  fleet.setAttribute("proxy-url", ".");
  for (const [name, value] of Object.entries(chosen)) fleet.setAttribute(name, value);
  for (const control of filters.elements) if (control.name) filter(control);
  document.querySelector(".fleet").append(fleet);
}, { rootMargin: "100% 0px" }).observe(document.querySelector(".fleet"));

// The fleet's filters: each sets the list's attribute of its name, which the list sends to OMS
// as its own filter (status, type, searchKey); an empty one lists all. The search waits for a
// pause in typing.
function filter({ name, value }) {
  value = value.trim();
  if (!fleet || (fleet.getAttribute(name) ?? "") === value) return;
  if (value) fleet.setAttribute(name, value);
  else fleet.removeAttribute(name);
}
let typing;
filters.addEventListener("change", (e) => filter(e.target));
filters.addEventListener("input", (e) => {
  if (e.target.type !== "search") return;
  clearTimeout(typing);
  typing = setTimeout(() => filter(e.target), 300);
});
filters.addEventListener("submit", (e) => e.preventDefault());

// The page's own words in both languages (the cards speak for themselves).
const WORDS = {
  en: {
    intro: "Live progress of OceanBase Migration Service tasks. Every card below polls its own task through a proxy URL;",
    language: "Language", theme: "Theme", system: "System", light: "Light", dark: "Dark",
    states: "Tasks in different states", dashboard: "A dashboard of many tasks",
    fleet: "The whole fleet on one page",
    fleetText: "A thousand tasks of the simulated OMS, from ListProjects: seven requests an interval, in the order a person acts on them. Open a row for its full card. The filters go to OMS as its own (status, type, searchKey).",
    status: "Status", type: "Type", search: "Search (name or id)", all: "All", running: "Running",
    failedTasks: "Failed", paused: "Paused", completed: "Completed", migration: "Migration", sync: "Data sync",
    verify: "Verification",
    events: "Events from the cards",
    eventsText: "The host page hears oms-status-change and oms-error and can raise its own notifications.",
    embed: "Embed it",
    looking: "looking for the OMS this page talks to: a proxy, or a simulator running in the page.",
    proxy: "here they talk to the reference proxy, which runs a simulated OMS.",
    simulator: "here a service worker in this page answers for a simulated OMS.",
    failed: "the demo could not start: ",
  },
  "zh-CN": {
    intro: "OceanBase 迁移服务任务的实时进度。下面每张卡片都通过代理 URL 轮询自己的任务；",
    language: "语言", theme: "主题", system: "跟随系统", light: "浅色", dark: "深色",
    states: "不同状态的任务", dashboard: "多任务看板",
    fleet: "一页看全部任务",
    fleetText: "模拟 OMS 的一千个任务，来自 ListProjects：每个刷新周期七个请求，按需要处理的先后排列。展开一行即可查看完整卡片。筛选条件作为 OMS 自己的筛选参数（status、type、searchKey）发送。",
    status: "状态", type: "类型", search: "搜索（名称或 ID）", all: "全部", running: "运行中",
    failedTasks: "失败", paused: "已暂停", completed: "已完成", migration: "数据迁移", sync: "数据同步",
    verify: "数据校验",
    events: "卡片发出的事件",
    eventsText: "宿主页面可以监听 oms-status-change 和 oms-error 事件，发出自己的通知。",
    embed: "嵌入方法",
    looking: "正在寻找本页面连接的 OMS：代理，或页面内运行的模拟器。",
    proxy: "此处连接的是参考代理，其后是模拟的 OMS。",
    simulator: "此处由本页面的 Service Worker 模拟 OMS 应答。",
    failed: "演示无法启动：",
  },
};
const page = { locale: "en", backend: "looking", error: "" };

function say() {
  const words = WORDS[page.locale] ?? WORDS.en;
  document.documentElement.lang = page.locale;
  for (const element of document.querySelectorAll("[data-i18n]")) element.textContent = words[element.dataset.i18n];
  backend.textContent = words[page.backend] + page.error;
}

// The controls set every card and the page itself: its language and its colour scheme.
document.getElementById("controls").addEventListener("change", (e) => {
  chosen[e.target.name] = e.target.value;
  for (const card of document.querySelectorAll("oms-progress-card, oms-project-list")) {
    card.setAttribute(e.target.name, e.target.value);
  }
  if (e.target.name === "theme") {
    document.documentElement.style.colorScheme = e.target.value === "auto" ? "" : e.target.value;
  } else {
    page.locale = e.target.value;
    say();
  }
});

try {
  if (await proxyIsHere()) {
    page.backend = "proxy";
  } else {
    await useSimulator();
    page.backend = "simulator";
  }
  say();
  document.body.dataset.backend = "ready";
  await init();
} catch (error) {
  page.backend = "failed";
  page.error = error.message;
  say();
  document.body.dataset.backend = "failed";
}
