// The demo page's stand-in for OMS and its proxy when a plain static file server serves the page:
// a module service worker answering with the simulated OMS (sim/oms.js, the same rules `make demo`
// and the tests run). It lives at the site root so that its scope covers index.html.
import { createSimulator } from "./sim/oms.js";

const json = (file) => fetch(new URL(file, self.registration.scope)).then((r) => r.json());
const ready = Promise.all([json("sim/scenarios.json"), json("api/actions.json")])
  // The page asks this worker straight, with no proxy to add the schema lists OMS needs.
  .then(([scenarios, { actions, limits }]) => createSimulator(scenarios, { actions, limits, seed: 7, schemasRequired: false }));

// When the reference proxy serves the page (`make demo`), the proxy answers for real and this
// worker steps aside, even if a visit through a static server installed it earlier.
const proxyIsHere = fetch(new URL("demo/backend.json", self.registration.scope), { cache: "no-store" })
  .then((r) => (r.ok ? r.json() : {}))
  .then((site) => site.backend === "proxy")
  .catch(() => false);

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin || !url.pathname.endsWith("/api/v2")) return;
  event.respondWith(
    (async () => {
      if (await proxyIsHere) return fetch(event.request);
      const body = await event.request.text();
      // A little network latency, so the demo behaves like a real proxy.
      await new Promise((resolve) => setTimeout(resolve, 60 + Math.random() * 120));
      const answer = (await ready).handle({ method: event.request.method, search: url.search, body });
      return new Response(answer.type ? answer.body : JSON.stringify(answer.body), {
        status: answer.status,
        headers: { "Content-Type": answer.type ?? "application/json", "Cache-Control": "no-store" },
      });
    })(),
  );
});
