// Everything derived from src/element/surface.json, the one table of the element's public
// surface: the package's TypeScript declarations, its custom-elements.json, and the markdown
// tables of README.md, npm/README.md and docs/public-surface.md (between
// `<!-- surface:NAME -->` and `<!-- /surface:NAME -->` markers).
//
//   node scripts/surface.mjs --write   rewrite the tables in the docs
//   node scripts/surface.mjs --check   exit 1 if a doc's table differs from the table (make test)
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const DOCS = ["README.md", "npm/README.md", "docs/public-surface.md"];

/** The table, with `{name}` in its descriptions filled: the constants' values, and an
 * attribute's own `{default}`, `{min}` and `{max}` (build.rs fills the Rust side alike). */
export function loadSurface() {
  const surface = JSON.parse(fs.readFileSync(path.join(ROOT, "src/element/surface.json"), "utf8"));
  const fill = (text, own = {}) =>
    text.replace(/\{(\w+)\}/g, (whole, name) => String(own[name] ?? surface.constants[name]?.value ?? whole));
  const walk = (value, own) => {
    if (Array.isArray(value)) return value.map((v) => walk(v, own));
    if (value && typeof value === "object") {
      const mine = "min" in value || "default" in value ? value : own;
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === "description" && typeof v === "string" ? fill(v, mine) : walk(v, mine)]));
    }
    return value;
  };
  return walk(surface, {});
}

const code = (s) => "`" + s + "`";

/** The attributes of \`<oms-project-list>\`: the card's it shares, then its own. */
export function listAttributes(surface) {
  return [...surface.list.shared.map((name) => surface.attributes.find((a) => a.name === name)), ...surface.list.attributes];
}
const row = (cells) => "| " + cells.join(" | ") + " |";

/** The TypeScript type of an attribute's value, as a property or option. */
function valueType(attribute) {
  if (attribute.type === "enum") return attribute.values.map((v) => JSON.stringify(v)).join(" | ");
  return attribute.type === "number" || attribute.type === "count" ? "number | string" : "string";
}

/** The markdown tables, by marker name. */
export function tables(surface) {
  return {
    attributes: [
      row(["attribute", "`mount()` option", "meaning"]),
      row(["---", "---", "---"]),
      ...surface.attributes.map((a) => row([code(a.name), code(a.property), a.description])),
    ].join("\n"),
    events: [
      row(["event", "`detail`"]),
      row(["---", "---"]),
      ...surface.events.map((e) => row([code(e.name), e.description])),
    ].join("\n"),
    hooks: [
      row(["selector", "what it is"]),
      row(["---", "---"]),
      ...surface.hooks.map((h) => row([h.selectors.map(code).join(", "), h.description])),
    ].join("\n"),
    parts: [
      row(["part", "what"]),
      row(["---", "---"]),
      ...surface.parts.map((p) => row([p.names.map(code).join(", "), p.description])),
    ].join("\n"),
    members: [
      row(["property or method", "what"]),
      row(["---", "---"]),
      row([surface.attributes.map((a) => code(a.property)).join(", "), "each attribute, in camelCase: reading gives the attribute (or `null`), setting sets it (`null` removes it)"]),
      ...surface.members.map((m) => row([code(m.kind === "method" ? `${m.name}()` : m.name), (m.readonly ? "read-only: " : "") + m.description])),
    ].join("\n"),
    states: [
      row(["custom state", "when"]),
      row(["---", "---"]),
      ...surface.states.map((st) => row([code(`:state(${st.name})`), st.description])),
    ].join("\n"),
    slots: [
      row(["slot", "what"]),
      row(["---", "---"]),
      ...surface.slots.map((sl) => row([code(sl.name), sl.description])),
    ].join("\n"),
    "list-attributes": [
      row(["attribute", "`mountList()` option", "meaning"]),
      row(["---", "---", "---"]),
      ...listAttributes(surface).map((a) => row([code(a.name), code(a.property), surface.list.shared.includes(a.name) ? "as for the card" : a.description])),
    ].join("\n"),
    "list-hooks": [
      row(["selector", "what it is"]),
      row(["---", "---"]),
      ...surface.list.hooks.map((h) => row([h.selectors.map(code).join(", "), h.description])),
    ].join("\n"),
    "list-events": [
      row(["event", "`detail`"]),
      row(["---", "---"]),
      ...surface.list.events.map((e) => row([code(e.name), e.description])),
    ].join("\n"),
    "list-members": [
      row(["property or method", "what"]),
      row(["---", "---"]),
      row([listAttributes(surface).map((a) => code(a.property)).join(", "), "each attribute, in camelCase, as for the card"]),
      ...surface.list.members.map((m) => row([code(m.kind === "method" ? `${m.name}()` : m.name), (m.readonly ? "read-only: " : "") + m.description])),
      row([surface.list.parts.flatMap((p) => p.names).map(code).join(", "), "its parts (`::part()`): " + surface.list.parts.map((p) => p.description).join("; ")]),
    ].join("\n"),
    "css-properties": [
      row(["property", "what"]),
      row(["---", "---"]),
      ...surface.cssProperties.map((p) => row([p.names.map(code).join(", "), p.description])),
    ].join("\n"),
  };
}

/** `text` with every marked table replaced by the table's current form. */
export function withTables(text, surface) {
  const all = tables(surface);
  return text.replace(/(<!-- surface:([a-z-]+) -->)[^]*?(<!-- \/surface:\2 -->)/g, (match, open, name, close) => {
    if (!(name in all)) throw new Error(`unknown surface table ${name}`);
    return `${open}\n${all[name]}\n${close}`;
  });
}

/** The exports of the package's one module that wasm-bindgen's glue provides (init and
 * initSync), declared here rather than taken from wasm-bindgen's .d.ts, which also lists the
 * wasm's internal exports and the stream classes of leptos's server_fn dependency. */
const INIT = `/** What \`init()\` and \`initSync()\` accept: where the wasm is, or its bytes, or the module. */
export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;
export type SyncInitInput = BufferSource | WebAssembly.Module;

/** The instantiated wasm. */
export interface InitOutput {
  readonly memory: WebAssembly.Memory;
}

/**
 * Loads and instantiates the wasm (by default \`oms_progress_card_bg.wasm\` beside this module)
 * and defines \`<oms-progress-card>\`. A second call is harmless.
 */
export default function init(module_or_path?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>): Promise<InitOutput>;

/** \`init()\` from bytes or a compiled module, synchronously. */
export function initSync(module: { module: SyncInitInput } | SyncInitInput): InitOutput;
`;

/** The package's whole .d.ts: init, the event details (npm/details.d.ts), and what the table
 * says of the element, mount() and configure(). */
export function declarations(surface, details) {
  return `// The types of the oms-progress-card package, written by scripts/surface.mjs.\n${INIT}\n${details}${typescript(surface)}`;
}

/** The declarations of the element, mount() and configure(), from the table. */
export function typescript(surface) {
  const doc = (text, indent = "  ") => `${indent}/** ${text.replace(/\*\//g, "* /")} */\n`;
  const options = surface.attributes.map((a) => doc(a.description) + `  ${a.property}?: ${valueType(a)} | null;`).join("\n");
  const attributes = surface.attributes.map((a) => doc(a.description) + `  ${JSON.stringify(a.name)}${a.required ? "" : "?"}: ${valueType(a)};`).join("\n");
  const events = surface.events.map((e) => doc(e.description, "  ") + `  ${JSON.stringify(e.name)}: CustomEvent<${e.detail}>;`).join("\n");
  return `
/** Options of \`mount()\` and \`CardHandle.update()\`: the element's attributes by property name; \`null\` resets one. */
export interface MountOptions {
${options}
}

/** The attributes of \`<${surface.tag}>\` (for JSX and template typings). */
export interface OmsProgressCardAttributes {
${attributes}
}

/** The events of \`<${surface.tag}>\`; they bubble and cross shadow roots. */
export interface OmsProgressCardEventMap extends HTMLElementEventMap {
${events}
}

/** The element's state, as \`data-state\`, \`state\` and the custom state \`:state(…)\`. */
export type OmsCardState = ${surface.states.map((st) => JSON.stringify(st.name)).join(" | ")};

${doc(surface.description, "")}export interface ${surface.className} extends HTMLElement {
${surface.attributes.map((a) => doc(`${a.description} (the \`${a.name}\` attribute)`) + `  get ${a.property}(): string | null;\n  set ${a.property}(value: ${valueType(a)} | null | undefined);`).join("\n")}
${surface.members.map((m) => doc(m.description) + (m.kind === "method" ? `  ${m.name}(): void;` : `  ${m.readonly ? "readonly " : ""}${m.name}: ${m.type};`)).join("\n")}
  addEventListener<K extends keyof OmsProgressCardEventMap>(type: K, listener: (this: ${surface.className}, ev: OmsProgressCardEventMap[K]) => any, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof OmsProgressCardEventMap>(type: K, listener: (this: ${surface.className}, ev: OmsProgressCardEventMap[K]) => any, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

/** A card mounted by \`mount()\`. */
export interface CardHandle {
  /** The \`<${surface.tag}>\` element, to listen to its events. */
  readonly element: ${surface.className};
  /** Changes some options; an option set to \`null\` goes back to its default. */
  update(options: MountOptions): void;
  /** Removes the card: its timers, listeners and requests stop. */
  unmount(): void;
}

/** Mounts a card inside \`target\` (an \`<${surface.tag}>\` appended to it); call \`init()\` first. */
export function mount(target: Element, options?: MountOptions): CardHandle;

/** Options of \`mountList()\` and \`ListHandle.update()\`: the list's attributes by property name; \`null\` resets one. */
export interface ListMountOptions {
${listAttributes(surface).map((a) => doc(a.description) + `  ${a.property}?: ${valueType(a)} | null;`).join("\n")}
}

/** The attributes of \`<${surface.list.tag}>\`. */
export interface OmsProjectListAttributes {
${listAttributes(surface).map((a) => doc(a.description) + `  ${JSON.stringify(a.name)}${a.required ? "" : "?"}: ${valueType(a)};`).join("\n")}
}

/** The events of \`<${surface.list.tag}>\`; they bubble and cross shadow roots. */
export interface OmsProjectListEventMap extends HTMLElementEventMap {
${surface.list.events.map((e) => doc(e.description, "  ") + `  ${JSON.stringify(e.name)}: CustomEvent<${e.detail}>;`).join("\n")}
}

${doc(surface.list.description, "")}export interface ${surface.list.className} extends HTMLElement {
${listAttributes(surface).map((a) => doc(`${a.description} (the \`${a.name}\` attribute)`) + `  get ${a.property}(): string | null;\n  set ${a.property}(value: ${valueType(a)} | null | undefined);`).join("\n")}
${surface.list.members.map((m) => doc(m.description) + (m.kind === "method" ? `  ${m.name}(): void;` : `  ${m.readonly ? "readonly " : ""}${m.name}: ${m.type};`)).join("\n")}
  addEventListener<K extends keyof OmsProjectListEventMap>(type: K, listener: (this: ${surface.list.className}, ev: OmsProjectListEventMap[K]) => any, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof OmsProjectListEventMap>(type: K, listener: (this: ${surface.list.className}, ev: OmsProjectListEventMap[K]) => any, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

/** A list mounted by \`mountList()\`. */
export interface ListHandle {
  /** The \`<${surface.list.tag}>\` element, to listen to its events. */
  readonly element: ${surface.list.className};
  /** Changes some options; an option set to \`null\` goes back to its default. */
  update(options: ListMountOptions): void;
  /** Removes the list: its timers, listeners and requests stop. */
  unmount(): void;
}

/** Mounts the fleet's list inside \`target\` (an \`<${surface.list.tag}>\` appended to it); call \`init()\` first. */
export function mountList(target: Element, options?: ListMountOptions): ListHandle;

/** Headers every card's requests carry (e.g. \`Authorization\`), or a function called before each request. */
export type HostHeaders = Record<string, string> | Headers | (() => Record<string, string> | Headers | Promise<Record<string, string> | Headers>);

/** Page-wide request settings of \`configure()\`. */
export interface ConfigureOptions {
  /** Sent with every request; a function is called before each one, so a token can be refreshed. */
  headers?: HostHeaders | null;
  /** The \`fetch()\` credentials mode for cards without the \`credentials\` attribute. */
  credentials?: "same-origin" | "include" | "omit" | null;
}

/** Sets the host's credentials for every card on the page; cards waiting after an error retry at once. Tokens never reach the DOM, events or logs. */
export function configure(options: ConfigureOptions): void;

declare global {
  interface HTMLElementTagNameMap {
    ${JSON.stringify(surface.tag)}: ${surface.className};
    ${JSON.stringify(surface.list.tag)}: ${surface.list.className};
  }
  interface HTMLElementEventMap {
${allEvents(surface).map((e) => `    ${JSON.stringify(e.name)}: CustomEvent<${e.detail}>;`).join("\n")}
  }
}
`;
}

/** The card's events and the list's own. */
const allEvents = (surface) => [...surface.events, ...surface.list.events.filter((e) => !surface.events.some((c) => c.name === e.name))];

/** The names of the events' detail types. */
const details = (surface) => [...new Set(allEvents(surface).map((e) => e.detail))].join(", ");

/** \`react.d.ts\`: \`<${"oms-progress-card"}>\` in React 19's JSX, with its attributes, properties
 * and \`on<event>\` handlers (React 19 adds a listener for a custom element's \`onoms-progress\`). */
export function reactTypes(surface) {
  const handlers = (events) => events.map((e) => `    ${JSON.stringify("on" + e.name)}?: (event: CustomEvent<${e.detail}>) => void;`).join("\n");
  const events = handlers(surface.events);
  return `// Type-only: import type {} from "oms-progress-card/react" (or list it in tsconfig "types").
import type { DetailedHTMLProps, HTMLAttributes } from "react";
import type { MountOptions, OmsProgressCardAttributes, ${surface.className}, ListMountOptions, OmsProjectListAttributes, ${surface.list.className}, ${details(surface)} } from "./oms_progress_card.js";

/** The props of \`<${surface.tag}>\` in React 19: attributes (\`project-id\`) or properties (\`projectId\`), and events. */
export type OmsProgressCardProps = DetailedHTMLProps<HTMLAttributes<${surface.className}>, ${surface.className}> &
  Partial<OmsProgressCardAttributes> & MountOptions & {
${events}
  };

/** The props of \`<${surface.list.tag}>\` in React 19. */
export type OmsProjectListProps = DetailedHTMLProps<HTMLAttributes<${surface.list.className}>, ${surface.list.className}> &
  Partial<OmsProjectListAttributes> & ListMountOptions & {
${handlers(surface.list.events)}
  };

declare module "react" {
  namespace JSX {
    interface IntrinsicElements {
      ${JSON.stringify(surface.tag)}: OmsProgressCardProps;
      ${JSON.stringify(surface.list.tag)}: OmsProjectListProps;
    }
  }
}
`;
}

/** \`vue.d.ts\`: \`<${"oms-progress-card"}>\` in Vue templates (Volar), attributes and events. */
export function vueTypes(surface) {
  const handlers = (events) => events.map((e) => `    ${JSON.stringify("on" + e.name.split("-").map((w) => w[0].toUpperCase() + w.slice(1)).join(""))}?: (event: CustomEvent<${e.detail}>) => void;`).join("\n");
  const events = handlers(surface.events);
  return `// Type-only: import type {} from "oms-progress-card/vue" (or list it in tsconfig "types").
import type { DefineComponent } from "vue";
import type { OmsProgressCardAttributes, OmsProjectListAttributes, ${details(surface)} } from "./oms_progress_card.js";

/** The props of \`<${surface.tag}>\` in Vue templates; \`@oms-progress\` and the other events are \`on…\` props. */
export type OmsProgressCardVueProps = Partial<OmsProgressCardAttributes> & {
${events}
};

/** The props of \`<${surface.list.tag}>\` in Vue templates. */
export type OmsProjectListVueProps = Partial<OmsProjectListAttributes> & {
${handlers(surface.list.events)}
};

declare module "vue" {
  interface GlobalComponents {
    ${JSON.stringify(surface.tag)}: DefineComponent<OmsProgressCardVueProps>;
    ${JSON.stringify(surface.list.tag)}: DefineComponent<OmsProjectListVueProps>;
  }
}
`;
}

/** The Custom Elements Manifest (schema 2.1) of the package. */
export function manifest(surface, modulePath) {
  const strip = (s) => s.replace(/`/g, "");
  // One element's declaration: its class, tag, attributes (also fields), other members, events.
  const declare = ({ className, tag, description, attributes, members, events }) => ({
    kind: "class",
    name: className,
    tagName: tag,
    customElement: true,
    description,
    superclass: { name: "HTMLElement" },
    attributes: attributes.map((a) => ({
      name: a.name,
      fieldName: a.property,
      type: { text: valueType(a) },
      ...(a.default !== undefined ? { default: JSON.stringify(a.default) } : {}),
      description: strip(a.description),
    })),
    members: [
      ...attributes.map((a) => ({ kind: "field", name: a.property, attribute: a.name, reflects: true, type: { text: `${valueType(a)} | null` }, description: strip(a.description) })),
      ...members.map((m) => (m.kind === "method"
        ? { kind: "method", name: m.name, description: strip(m.description) }
        : { kind: "field", name: m.name, readonly: true, type: { text: m.type }, description: strip(m.description) })),
    ],
    cssStates: surface.states.map((st) => ({ name: st.name, description: strip(st.description) })),
    events: events.map((e) => ({ name: e.name, type: { text: `CustomEvent<${e.detail}>` }, description: strip(e.description) })),
    cssProperties: surface.cssProperties.flatMap((p) => p.names.map((name) => ({ name, description: strip(p.description) }))),
  });
  const parts = (list) => list.flatMap((p) => p.names.map((name) => ({ name, description: strip(p.description) })));
  const declaration = {
    ...declare({ ...surface, tag: surface.tag }),
    slots: surface.slots.map((sl) => ({ name: sl.name, description: strip(sl.description) })),
    cssParts: parts(surface.parts),
  };
  const listDeclaration = { ...declare({ ...surface.list, attributes: listAttributes(surface) }), cssParts: parts([...surface.parts, ...surface.list.parts]) };
  return {
    schemaVersion: "2.1.0",
    readme: "README.md",
    modules: [
      {
        kind: "javascript-module",
        path: modulePath,
        declarations: [declaration, listDeclaration],
        exports: [
          { kind: "custom-element-definition", name: surface.tag, declaration: { name: surface.className, module: modulePath } },
          { kind: "custom-element-definition", name: surface.list.tag, declaration: { name: surface.list.className, module: modulePath } },
        ],
      },
    ],
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const surface = loadSurface();
  const mode = process.argv[2];
  let stale = [];
  for (const doc of DOCS) {
    const file = path.join(ROOT, doc);
    const text = fs.readFileSync(file, "utf8");
    const updated = withTables(text, surface);
    if (updated === text) continue;
    if (mode === "--write") fs.writeFileSync(file, updated);
    else stale.push(doc);
  }
  if (mode !== "--write" && stale.length) {
    console.error(`the surface tables of ${stale.join(", ")} differ from src/element/surface.json: run node scripts/surface.mjs --write`);
    process.exit(1);
  }
}
