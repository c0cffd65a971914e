// mount() and mountList(): the JS API for hosts that prefer a function to an element. Their
// options are the element's attributes by property name, the camelCase of each observed attribute.
const TAG = "oms-progress-card";
const LIST_TAG = "oms-project-list";
const camel = (name) => name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());

/** Sets the attributes `options` names, checking every option before changing anything. */
function apply(element, options) {
  if (options == null) return;
  if (typeof options !== "object") throw new TypeError("mount()/update(): options must be an object such as { projectId, proxyUrl }");
  const known = Object.fromEntries((customElements.get(element.localName)?.observedAttributes ?? []).map((a) => [camel(a), a]));
  const changes = Object.entries(options).map(([name, value]) => {
    if (!Object.hasOwn(known, name)) throw new TypeError(`unknown option "${name}"; the options are ${Object.keys(known).join(", ")}`);
    if (value != null && typeof value !== "string" && typeof value !== "number") throw new TypeError(`option "${name}" must be a string or a number`);
    return [known[name], value];
  });
  for (const [attribute, value] of changes) {
    if (value == null) element.removeAttribute(attribute);
    else element.setAttribute(attribute, String(value));
  }
}

/** A card mounted by `mount()`, or a list by `mountList()`. */
class CardHandle {
  #element;
  constructor(element) {
    this.#element = element;
  }
  /** The `<oms-progress-card>` (or `<oms-project-list>`) element, to listen to its events. */
  get element() {
    return this.#element;
  }
  /** Changes some options; an option set to `null` goes back to its default. */
  update(options) {
    apply(this.#element, options);
  }
  /** Removes the element: its timers, listeners and requests stop. */
  unmount() {
    this.#element.remove();
  }
}

/** Mounts a card inside `target` (an `<oms-progress-card>` appended to it); call `init()` first. */
export function mount(target, options) {
  if (!customElements.get(TAG)) throw new Error("mount(): call init() first; it defines <oms-progress-card>");
  const element = (target.ownerDocument ?? document).createElement(TAG);
  apply(element, options);
  target.append(element);
  return new CardHandle(element);
}

/** Mounts the fleet's list inside `target` (an `<oms-project-list>` appended to it); call `init()` first. */
export function mountList(target, options) {
  if (!customElements.get(LIST_TAG)) throw new Error("mountList(): call init() first; it defines <oms-project-list>");
  const element = (target.ownerDocument ?? document).createElement(LIST_TAG);
  apply(element, options);
  target.append(element);
  return new CardHandle(element);
}
