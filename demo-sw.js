// The demo page's stand-in for the OMS proxy when it is served by a plain static file server:
// it answers DescribeProjectProgress from the simulated projects of demo/scenarios.json.
// It lives at the site root so that its scope covers index.html.
/* global OmsSimulator */
importScripts("demo/simulator.js");

const ready = fetch(new URL("demo/scenarios.json", self.registration.scope))
  .then((r) => r.json())
  .then((scenarios) => OmsSimulator.createSimulator(scenarios, { seed: 7 }));

// When the page is served by the reference proxy (make demo), the proxy answers for real and
// this worker steps aside, even if a static-server visit installed it earlier.
const proxyIsHere = fetch(new URL("healthz", self.registration.scope), { cache: "no-store" })
  .then((r) => (r.ok ? r.json() : {}))
  .then((health) => health.service === "oms-progress-proxy")
  .catch(() => false);

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

function json(status, body) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
  });
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin || !url.pathname.endsWith("/api/v2")) return;
  event.respondWith(
    (async () => {
      if (await proxyIsHere) return fetch(event.request);
      if (event.request.method !== "POST" || url.searchParams.get("Action") !== "DescribeProjectProgress") {
        return json(400, { success: false, code: "UNSUPPORTED_ACTION", message: "The demo only answers DescribeProjectProgress." });
      }
      let id = "";
      try {
        id = String((await event.request.json()).id ?? "");
      } catch {
        return json(400, { success: false, code: "PARAM_ERROR", message: "The body must be JSON with an id." });
      }
      // A little network latency, so the demo behaves like a real proxy.
      await new Promise((resolve) => setTimeout(resolve, 60 + Math.random() * 120));
      const { status, body } = (await ready).answer(id, Date.now());
      return json(status, body);
    })(),
  );
});
