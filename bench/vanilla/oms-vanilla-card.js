// The benchmark's floor: a small hand-written custom element showing the same data as
// <oms-progress-card> (status, alarm, step, two rings, checkpoint, latency, updated), with the
// same hooks (data-oms-card, data-state, data-field) and the oms-progress event, so the bench
// measures both the same way. Deliberately plain: one request per card per interval, no
// sharing, no backoff, no visibility handling, English only.
const css = new CSSStyleSheet();
css.replaceSync(`
:host { display: block; }
.card { display: grid; gap: 8px; padding: 12px 14px; font: 13px/1.45 system-ui, sans-serif; color: #1f2328;
  background: #fff; border: 1px solid #d1d9e0; border-radius: 8px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-weight: 600; font-size: 12px; background: #e5efff; color: #0a4fb0; }
.rings { display: flex; gap: 24px; }
.ring { position: relative; width: 64px; height: 64px; }
.ring svg { width: 100%; height: 100%; }
.ring circle { fill: none; stroke-width: 3.2; }
.track { stroke: #e3e8ee; }
.arc { stroke: #0b62d6; stroke-linecap: round; transition: stroke-dashoffset .6s; }
.ring span { position: absolute; inset: 0; display: grid; place-items: center; font-weight: 600; }
.key { color: #59636e; }
.alert { color: #b3191f; }
`);

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "medium" });

function ring(field, label) {
  return `<div class="ring" data-field="${field}" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-label="${label}">
    <svg viewBox="0 0 36 36" aria-hidden="true"><circle class="track" cx="18" cy="18" r="15.9155"/>
    <circle class="arc" cx="18" cy="18" r="15.9155" transform="rotate(-90 18 18)" stroke-dasharray="100 100" stroke-dashoffset="100"/></svg>
    <span></span></div>`;
}

class OmsVanillaCard extends HTMLElement {
  #timer = 0;
  #abort = null;

  connectedCallback() {
    const root = this.shadowRoot ?? this.attachShadow({ mode: "open" });
    root.adoptedStyleSheets = [css];
    root.innerHTML = `<article class="card" data-oms-card data-state="loading">
      <div><b data-field="project-id"></b></div>
      <div><span class="badge" data-field="status"></span> <span class="key">Alarm</span> <span class="badge" data-field="alarm-level"></span></div>
      <div><span class="key">Step</span> <span data-field="current-step"></span></div>
      <div class="rings">${ring("struct-progress", "Schema migration")}${ring("full-progress", "Full migration")}</div>
      <div><span class="key">Checkpoint</span> <time data-field="incr-checkpoint"></time></div>
      <div><span class="key">Latency</span> <span data-field="incr-latency"></span></div>
      <div class="key">Updated <time data-field="updated"></time></div>
      <div class="alert" role="alert" hidden></div>
    </article>`;
    root.querySelector('[data-field="project-id"]').textContent = this.getAttribute("project-id");
    const interval = Math.max(1, Number(this.getAttribute("interval") ?? 5)) * 1000;
    this.#refresh();
    this.#timer = setInterval(() => this.#refresh(), interval);
  }

  disconnectedCallback() {
    clearInterval(this.#timer);
    this.#abort?.abort();
  }

  async #refresh() {
    this.#abort?.abort();
    this.#abort = new AbortController();
    const base = (this.getAttribute("proxy-url") ?? "").replace(/\/+$/, "");
    const $ = (field) => this.shadowRoot.querySelector(`[data-field="${field}"]`);
    const card = this.shadowRoot.querySelector("[data-oms-card]");
    const alert = this.shadowRoot.querySelector('[role="alert"]');
    try {
      const response = await fetch(`${base}/api/v2?Action=DescribeProjectProgress`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ id: this.getAttribute("project-id") }),
        signal: AbortSignal.any([this.#abort.signal, AbortSignal.timeout(10000)]),
      });
      const answer = await response.json();
      if (!response.ok || answer.success !== true || !answer.data) throw new Error(answer.message ?? `HTTP ${response.status}`);
      const d = answer.data;
      $("status").textContent = d.status ?? "Unknown";
      $("alarm-level").textContent = d.alarmLevel ?? "Unknown";
      $("current-step").textContent = d.currentStep ?? "Unknown";
      for (const [field, value] of [["struct-progress", d.structTransferProgress], ["full-progress", d.fullTransferProgress]]) {
        const v = Math.min(100, Math.max(0, Number(value) || 0));
        $(field).setAttribute("aria-valuenow", String(v));
        $(field).querySelector(".arc").setAttribute("stroke-dashoffset", String(100 - v));
        $(field).querySelector("span").textContent = value == null ? "—" : `${value}%`;
      }
      const checkpoint = Number(d.incrSyncCheckpoint);
      if (checkpoint > 0) {
        $("incr-checkpoint").dateTime = new Date(checkpoint * 1000).toISOString().slice(0, 19) + "Z";
        $("incr-checkpoint").textContent = dateFormat.format(checkpoint * 1000);
        $("incr-latency").textContent = `${Math.max(0, Math.floor(Date.now() / 1000 - checkpoint))} s`;
      } else {
        $("incr-checkpoint").textContent = d.incrSyncCheckpoint ?? "—";
      }
      $("updated").textContent = new Date().toLocaleTimeString("en");
      alert.hidden = true;
      card.dataset.state = "ready";
      this.dispatchEvent(new CustomEvent("oms-progress", { detail: d, bubbles: true, composed: true }));
    } catch (error) {
      if (error.name === "AbortError") return;
      alert.hidden = false;
      alert.textContent = error.message;
      card.dataset.state = card.dataset.state === "loading" ? "error" : "stale";
    }
  }
}

if (!customElements.get("oms-vanilla-card")) customElements.define("oms-vanilla-card", OmsVanillaCard);
