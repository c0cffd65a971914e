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

export function loadSurface() {
  return JSON.parse(fs.readFileSync(path.join(ROOT, "src/element/surface.json"), "utf8"));
}

const code = (s) => "`" + s + "`";
const row = (cells) => "| " + cells.join(" | ") + " |";

/** The TypeScript type of an attribute's value, as a property or option. */
function valueType(attribute) {
  if (attribute.type === "enum") return attribute.values.map((v) => JSON.stringify(v)).join(" | ");
  return attribute.type === "number" ? "number | string" : "string";
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

/** The declarations the package's .d.ts gains (wasm-bindgen writes those of init and mount). */
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

${doc(surface.description, "")}export interface ${surface.className} extends HTMLElement {
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
  }
  interface HTMLElementEventMap {
${surface.events.map((e) => `    ${JSON.stringify(e.name)}: CustomEvent<${e.detail}>;`).join("\n")}
  }
}
`;
}

/** The Custom Elements Manifest (schema 2.1) of the package. */
export function manifest(surface, modulePath) {
  const strip = (s) => s.replace(/`/g, "");
  const declaration = {
    kind: "class",
    name: surface.className,
    tagName: surface.tag,
    customElement: true,
    description: surface.description,
    superclass: { name: "HTMLElement" },
    attributes: surface.attributes.map((a) => ({
      name: a.name,
      fieldName: a.property,
      type: { text: valueType(a) },
      ...(a.default !== undefined ? { default: JSON.stringify(a.default) } : {}),
      description: strip(a.description),
    })),
    members: [],
    events: surface.events.map((e) => ({ name: e.name, type: { text: `CustomEvent<${e.detail}>` }, description: strip(e.description) })),
    cssParts: surface.parts.flatMap((p) => p.names.map((name) => ({ name, description: strip(p.description) }))),
    cssProperties: surface.cssProperties.flatMap((p) => p.names.map((name) => ({ name, description: strip(p.description) }))),
  };
  return {
    schemaVersion: "2.1.0",
    readme: "README.md",
    modules: [
      {
        kind: "javascript-module",
        path: modulePath,
        declarations: [declaration],
        exports: [{ kind: "custom-element-definition", name: surface.tag, declaration: { name: surface.className, module: modulePath } }],
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
