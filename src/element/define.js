// The <oms-progress-card> class. Custom elements must be JavaScript classes, so this file holds
// the class and nothing else: every decision is made in Rust, through the three hooks.
export function defineElement(name, attributes, hooks) {
  if (customElements.get(name)) return;
  customElements.define(
    name,
    class extends HTMLElement {
      static observedAttributes = attributes;
      #card = 0; // the Rust card id; 0 while not mounted

      connectedCallback() {
        if (!this.#card) this.#card = hooks.connect(this);
      }

      disconnectedCallback() {
        // A move (removed and re-inserted in one task) keeps the card and its data.
        queueMicrotask(() => {
          if (!this.isConnected && this.#card) {
            hooks.disconnect(this.#card);
            this.#card = 0;
          }
        });
      }

      attributeChangedCallback(attribute, before, after) {
        if (this.#card && before !== after) hooks.attribute(this.#card, attribute, after);
      }
    },
  );
}

// Dispatches a card's event on its element: bubbling and composed, so it leaves the shadow root.
function emit(host, name, detail) {
  host.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}

/** `oms-progress`, `oms-steps`: the answer's `data` as the browser parsed it. */
export function emitData(host, name, data) {
  emit(host, name, data);
}

/** `oms-status-change`: the raw statuses before and after. */
export function emitStatusChange(host, name, from, to) {
  emit(host, name, { from: from ?? null, to: to ?? null });
}

/** `oms-error`: the kind, code and message (and the HTTP status of an HTTP error). */
export function emitError(host, name, kind, code, message, status) {
  emit(host, name, status ? { kind, code: code ?? null, message, status } : { kind, code: code ?? null, message });
}

/** `oms-cutover-ready`: the task id. */
export function emitCutoverReady(host, name) {
  emit(host, name, { projectId: (host.getAttribute("project-id") ?? "").trim() });
}
