// The <oms-progress-card> class. Custom elements must be JavaScript classes, so this file holds
// the class and its JS surface (properties, refresh(), custom states); every decision is made in
// Rust, through the hooks.

// What each element last heard: its `data`, `stepsData` and `state`, and its ElementInternals.
const known = new WeakMap();

const camel = (name) => name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());

// Mounting is spread over tasks: a page that upgrades many cards at once (a dashboard, the
// moment the package is defined) mounts them in slices of a few milliseconds, so input and
// paint are never held up for long. Cards connected within a slice mount at once.
const SLICE_MS = 8;
const waiting = new Map(); // element → its mount function, in connection order
let sliceEnd = 0;
function mountSoon(element, mount) {
  if (!sliceEnd) {
    sliceEnd = performance.now() + SLICE_MS;
    setTimeout(() => waiting.size || (sliceEnd = 0));
  }
  if (!waiting.size && performance.now() < sliceEnd) return mount();
  if (!waiting.size) setTimeout(mountWaiting);
  waiting.set(element, mount);
}
function mountWaiting() {
  sliceEnd = performance.now() + SLICE_MS;
  for (const [element, mount] of waiting) {
    if (performance.now() >= sliceEnd) return setTimeout(mountWaiting);
    waiting.delete(element);
    mount();
  }
  sliceEnd = 0;
}

/** Defines the element observing `attributes`; a change of one of `taskAttributes` forgets the
 * last `data` and `stepsData` (another task); `hooks` are Rust's connect, disconnect, attribute
 * and refresh; `sheet` the card's stylesheet. */
export function defineElement(name, attributes, taskAttributes, hooks, sheet) {
  if (customElements.get(name)) return;
  class OmsProgressCardElement extends HTMLElement {
    static observedAttributes = attributes;
    #card = 0; // the Rust card id; 0 while not mounted

    constructor() {
      super();
      known.set(this, { data: null, stepsData: null, state: "loading", internals: this.attachInternals?.() });
      setState(this, "loading");
      // The styles from the start, so a card waiting to be mounted already holds its room.
      const root = this.shadowRoot ?? this.attachShadow({ mode: "open" });
      if (sheet) root.adoptedStyleSheets = [sheet];
    }

    /** The last progress `data` object, or null. */
    get data() {
      return known.get(this).data;
    }
    /** The last `DescribeProjectSteps` `data` array, or null. */
    get stepsData() {
      return known.get(this).stepsData;
    }
    /** `loading`, `ready`, `stale` or `error`, as `data-state`. */
    get state() {
      return known.get(this).state;
    }
    /** Fetches now (also after an error, without waiting for the backoff). */
    refresh() {
      if (this.#card) hooks.refresh(this.#card);
    }

    connectedCallback() {
      adoptEarlyProperties(this, attributes);
      if (!this.#card) mountSoon(this, () => this.#card || !this.isConnected || (this.#card = hooks.connect(this)));
    }

    disconnectedCallback() {
      // A move (removed and re-inserted in one task) keeps the card and its data.
      queueMicrotask(() => {
        if (!this.isConnected) waiting.delete(this);
        if (!this.isConnected && this.#card) {
          hooks.disconnect(this.#card);
          this.#card = 0;
        }
      });
    }

    attributeChangedCallback(attribute, before, after) {
      if (before === after) return;
      if (taskAttributes.includes(attribute)) Object.assign(known.get(this), { data: null, stepsData: null });
      if (this.#card) hooks.attribute(this.#card, attribute, after);
    }
  }
  reflectAttributes(OmsProgressCardElement, attributes);
  customElements.define(name, OmsProgressCardElement);
}

// A property set before the element was defined (a framework rendering early) is an own
// property hiding the accessor: pass it on as the attribute.
function adoptEarlyProperties(element, attributes) {
  for (const attribute of attributes) {
    const property = camel(attribute);
    if (Object.hasOwn(element, property)) {
      const value = element[property];
      delete element[property];
      element[property] = value;
    }
  }
}

// Every attribute is a property of the same meaning, in camelCase; setting one sets (or, with
// null, removes) the attribute.
function reflectAttributes(elementClass, attributes) {
  for (const attribute of attributes) {
    Object.defineProperty(elementClass.prototype, camel(attribute), {
      get() {
        return this.getAttribute(attribute);
      },
      set(value) {
        if (value == null) this.removeAttribute(attribute);
        else this.setAttribute(attribute, String(value));
      },
      enumerable: true,
      configurable: true,
    });
  }
}

/** Defines the fleet's list element observing `attributes`; `hooks` are Rust's connect,
 * disconnect, attribute and refresh; `sheet` the shared stylesheet. */
export function defineList(name, attributes, hooks, sheet) {
  if (customElements.get(name)) return;
  class OmsProjectListElement extends HTMLElement {
    static observedAttributes = attributes;
    #list = 0;

    constructor() {
      super();
      known.set(this, { state: "loading", internals: this.attachInternals?.() });
      setState(this, "loading");
      const root = this.shadowRoot ?? this.attachShadow({ mode: "open" });
      if (sheet) root.adoptedStyleSheets = [sheet];
    }

    /** `loading`, `ready`, `stale` or `error`, as the list's `data-state`. */
    get state() {
      return known.get(this).state;
    }
    /** Asks every page now. */
    refresh() {
      if (this.#list) hooks.refresh(this);
    }

    connectedCallback() {
      adoptEarlyProperties(this, attributes);
      if (!this.#list) this.#list = hooks.connect(this);
    }

    disconnectedCallback() {
      queueMicrotask(() => {
        if (!this.isConnected && this.#list) {
          hooks.disconnect(this.#list);
          this.#list = 0;
        }
      });
    }

    attributeChangedCallback(attribute, before, after) {
      if (before !== after && this.#list) hooks.attribute(this.#list, attribute, after);
    }
  }
  reflectAttributes(OmsProjectListElement, attributes);
  customElements.define(name, OmsProjectListElement);
}

/** The list's new `data-state`, as its element's `state` and custom state. */
export function setHostState(host, state) {
  if (known.has(host)) setState(host, state);
}

// The element's state as a custom state (`:state(stale)`) too, where the browser has them.
function setState(host, state) {
  const entry = known.get(host);
  const states = entry.internals?.states;
  try {
    states?.delete(entry.state);
    states?.add(state);
  } catch {
    // A browser with the older `--state` syntax only: `data-state` and `state` still tell.
  }
  entry.state = state;
}

/** Called by the card's view when `data-state` changes: the host element, if any, follows. */
export function announceState(card, state) {
  const host = card.getRootNode()?.host;
  if (host && known.has(host)) setState(host, state);
}

// Dispatches a card's event on its element: bubbling and composed, so it leaves the shadow root.
function emit(host, name, detail) {
  host.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}

/** `oms-progress`, `oms-steps`: the answer's `data` as the browser parsed it, also kept as the
 * element's `property` (`data`, `stepsData`). */
export function emitData(host, name, property, data) {
  const entry = known.get(host);
  if (entry) entry[property] = data;
  emit(host, name, data);
}

/** An event whose `detail` the element does not keep (`oms-list`). */
export function emitDetail(host, name, detail) {
  emit(host, name, detail);
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
