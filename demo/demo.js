// The demo page: finds an OMS proxy (make demo runs the real one), or installs the service
// worker that simulates one, then loads the widget.
import init from "../pkg/oms_progress_card.js";

const backend = document.getElementById("backend");

async function proxyIsHere() {
  try {
    const response = await fetch("healthz", { cache: "no-store" });
    return response.ok && (await response.json()).service === "oms-progress-proxy";
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
  log(`${e.target.getAttribute("project-id")}: ${e.detail.kind} error ${e.detail.code ?? ""} ${e.detail.message}`);
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

document.getElementById("controls").addEventListener("change", (e) => {
  for (const card of document.querySelectorAll("oms-progress-card")) {
    card.setAttribute(e.target.name, e.target.value);
  }
});

try {
  if (await proxyIsHere()) {
    backend.textContent = "here they talk to the reference proxy, which runs a simulated OMS.";
  } else {
    await useSimulator();
    backend.textContent = "here a service worker in this page answers for a simulated OMS.";
  }
  document.body.dataset.backend = "ready";
  await init();
} catch (error) {
  backend.textContent = "the demo could not start: " + error.message;
  document.body.dataset.backend = "failed";
}
