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
