// Completes the npm package that wasm-bindgen wrote into pkg/: the one JavaScript module
// (src/element/entry.js bundled with wasm-bindgen's glue), package.json (exports map, files,
// metadata from `cargo metadata`), README, LICENSE, custom-elements.json, and the types, written
// whole by scripts/surface.mjs from src/element/surface.json and npm/details.d.ts.
import fs from "node:fs";
import { build } from "esbuild";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";
import binaryen from "binaryen";
import { declarations, loadSurface, manifest as customElements, reactTypes, vueTypes } from "./surface.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const pkg = path.resolve(process.argv[2] ?? path.join(root, "pkg"));
const read = (f) => fs.readFileSync(path.join(pkg, f), "utf8");

// The crate's own metadata, as cargo reads it (workspace inheritance resolved).
const metadata = JSON.parse(execFileSync("cargo", ["metadata", "--no-deps", "--format-version", "1"], { cwd: root, encoding: "utf8" }));
const crate = metadata.packages.find((p) => p.name === "oms-progress-card");
const surface = loadSurface();

// The wasm: linked without wasm-streams' IntoUnderlying* classes (scripts/link-wasm.sh), which
// leptos's server_fn dependency would export; wasm-bindgen still writes their JS classes (from
// its own metadata), which go below. Then wasm-opt optimizes for size.
const STREAMS = /intounderlying/i;
const wasmFile = path.join(pkg, "oms_progress_card_bg.wasm");
const linked = binaryen.readBinary(fs.readFileSync(wasmFile));
const exported = Array.from({ length: linked.getNumExports() }, (_, i) => binaryen.getExportInfo(linked.getExportByIndex(i)).name);
linked.dispose();
if (exported.some((name) => STREAMS.test(name))) {
  throw new Error("wasm-streams' classes are exported: build with scripts/build.sh (its linker leaves them out)");
}
// --low-memory-unused: addresses below 1024 are never used (wasm-ld puts the 1 MiB stack first,
// growing down from 1 MiB, and the data above it), which lets loads and stores fold their
// offsets. --flatten --rereloop: control flow rebuilt by binaryen's relooper before -Oz, which
// leaves it smaller (76.6 -> 75.3 KB gzip with the flag above).
execFileSync(path.join(root, "node_modules/.bin/wasm-opt"), [
  "--low-memory-unused", "--flatten", "--rereloop", "-Oz", "--strip-producers", "--strip-target-features", "--enable-bulk-memory", "--enable-nontrapping-float-to-int",
  "--enable-sign-ext", "--enable-mutable-globals", "--enable-reference-types", "--enable-multivalue", wasmFile, "-o", wasmFile,
], { stdio: "inherit" });
// The glue's import functions that the optimized wasm no longer calls (removed by wasm-opt) go
// too; wasm-bindgen writes one per binding, each on lines of its own (those that may throw wrapped
// in handleError).
const optimized = binaryen.readBinary(fs.readFileSync(wasmFile));
const imported = new Set();
for (let i = 0; i < optimized.getNumFunctions(); i++) {
  const info = binaryen.getFunctionInfo(optimized.getFunctionByIndex(i));
  if (info.module) imported.add(info.base);
}
optimized.dispose();
let glue = read("oms_progress_card.js");
glue = glue.replace(/^        (\w+): function\([^)]*\) \{(?: return handleError\(function \([^)]*\) \{)?\n[^]*?^        \}(?:, arguments\); \})?,\n/gm, (entry, name) => (imported.has(name) ? entry : ""));
glue = glue.replace(/^export class IntoUnderlying\w+ \{[^]*?^\}\n/gm, "");
glue = glue.replace(/^if \(Symbol\.dispose\) IntoUnderlying\w+\.prototype\[Symbol\.dispose\][^\n]*\n/gm, "");
glue = glue.replace(/^const IntoUnderlying\w+Finalization = [^;]*;\n/gm, "");
if (STREAMS.test(glue.replace(/__wbg_(byobRequest|view|respond|enqueue|close)\w*/g, ""))) {
  throw new Error("wasm-streams classes are still in the JS glue: wasm-bindgen's output changed");
}
glue = shortNames(glue);
fs.writeFileSync(path.join(pkg, "oms_progress_card.js"), glue);

// Short import and export names: wasm-bindgen names each import `__wbg_<name>_<16 hex digits>`
// and each closure shim `wasm_bindgen__convert__closures_____invoke__h<16 hex digits>`, written
// once in the wasm and once or more in the glue, where no minifier touches them (object keys,
// property names): 4.4 KB of gzip. wasm-opt's pass shortens them in the wasm and says how; the
// glue follows. The memory keeps its name: init() returns the exports, typed `{ memory }`.
function shortNames(glue) {
  const features = ["--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext", "--enable-mutable-globals", "--enable-reference-types", "--enable-multivalue"];
  const renamed = JSON.parse(execFileSync(path.join(root, "node_modules/.bin/wasm-opt"), ["--minify-imports-and-exports-and-modules", ...features, wasmFile, "-o", wasmFile], { encoding: "utf8" }));
  const wasm = binaryen.readBinary(fs.readFileSync(wasmFile));
  const memory = renamed.exports.find(([name]) => name === "memory")[1];
  const { value } = binaryen.getExportInfo(wasm.getExport(memory));
  wasm.removeExport(memory);
  wasm.addMemoryExport(value, "memory");
  fs.writeFileSync(wasmFile, wasm.emitBinary());
  wasm.dispose();
  const modules = new Set(WebAssembly.Module.imports(new WebAssembly.Module(fs.readFileSync(wasmFile))).map((i) => i.module));
  if (modules.size !== 1) throw new Error(`wasm-opt left ${modules.size} import modules, not one`);
  const [shortModule] = modules;

  const once = (text, pattern, replacement, what) => {
    let found = 0;
    const out = text.replace(pattern, (...match) => (found++, typeof replacement === "function" ? replacement(...match) : replacement));
    if (found !== 1) throw new Error(`${what}: found ${found} times in wasm-bindgen's glue, not once`);
    return out;
  };
  // wasm-bindgen's names are words, so they go into patterns as they are; short names may hold a
  // `$`, so replacements are functions (no `$&` expansion).
  const plain = (name) => {
    if (!/^\w+$/.test(name)) throw new Error(`unexpected wasm-bindgen name ${name}`);
    return name;
  };
  // The glue's own imports are keys of `import0`; a snippet's are fields of its namespace.
  const fromSnippets = [];
  for (const [module, name, short] of renamed.imports) {
    if (module === "./oms_progress_card_bg.js") {
      glue = once(glue, new RegExp(`^        ${plain(name)}(?=: function\\()`, "m"), short, `import ${name}`);
    } else {
      fromSnippets.push([module, name, short]);
    }
  }
  glue = once(glue, /^    return \{\n        __proto__: null,\n(?:        "[^"]+": import\d+,\n)+    \};\n/m, (block) => {
    const namespace = (module) => block.match(new RegExp(`"${module.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}": (import\\d+)`))[1];
    const snippets = fromSnippets.map(([module, name, short]) => `${short}: ${namespace(module)}.${name}`).join(", ");
    return `    return { __proto__: null, ${JSON.stringify(shortModule)}: Object.assign(import0, { ${snippets} }) };\n`;
  }, "the imports object");
  for (const [name, short] of renamed.exports) {
    if (name === "memory") continue;
    glue = glue.replaceAll(new RegExp(`\\bwasm\\.${plain(name)}\\b`, "g"), () => `wasm.${short}`);
    // Read another way (`exports.x`, `["x"]`) it would break: refuse. (A glue function may share
    // the export's name, as __omsDefineOnInit does.)
    if (new RegExp(`[.'"]${plain(name)}\\b`).test(glue)) throw new Error(`the glue still reads the export ${name}`);
  }
  // The raw exports' types, for tools that read them.
  const types = path.join(pkg, "oms_progress_card_bg.wasm.d.ts");
  let declared = fs.readFileSync(types, "utf8");
  for (const [name, short] of renamed.exports) {
    if (name !== "memory") declared = declared.replace(new RegExp(`^export const ${plain(name)}:`, "m"), () => `export const ${short}:`);
  }
  fs.writeFileSync(types, declared);
  return glue;
}
const repository = crate.repository;
const manifest = {
  name: crate.name,
  version: crate.version,
  description: crate.description,
  license: crate.license,
  repository: { type: "git", url: repository },
  homepage: repository,
  keywords: ["oceanbase", "oms", "leptos", "web-component", "wasm", "oceanbase-migration-service", "custom-element", "progress"],
  type: "module",
  main: "./oms_progress_card.js",
  module: "./oms_progress_card.js",
  types: "./oms_progress_card.d.ts",
  exports: {
    ".": { types: "./oms_progress_card.d.ts", default: "./oms_progress_card.js" },
    "./oms_progress_card_bg.wasm": "./oms_progress_card_bg.wasm",
    "./package.json": "./package.json",
    "./custom-elements.json": "./custom-elements.json",
    // Type-only entries: the element in React 19's JSX and in Vue's templates.
    "./react": { types: "./react.d.ts" },
    "./vue": { types: "./vue.d.ts" },
  },
  files: ["oms_progress_card.js", "oms_progress_card.d.ts", "oms_progress_card_bg.wasm", "oms_progress_card_bg.wasm.d.ts", "react.d.ts", "vue.d.ts", "custom-elements.json", "README.md", "LICENSE"],
  customElements: "custom-elements.json",
  sideEffects: false,
};
fs.writeFileSync(path.join(pkg, "package.json"), JSON.stringify(manifest, null, 2) + "\n");

// The types, written whole from the table: what wasm-bindgen declares beyond init/initSync is
// the wasm's internals and server_fn's stream classes, none of them the package's.
const declared = [...read("oms_progress_card.d.ts").matchAll(/^export (?:default )?(?:function|class|type|interface) (\w+)/gm)].map((m) => m[1]);
const unexpected = declared.filter((name) => !["InitInput", "InitOutput", "SyncInitInput", "initSync", "__wbg_init", "ReadableStreamType"].includes(name) && !STREAMS.test(name));
if (unexpected.length) throw new Error(`wasm-bindgen now exports ${unexpected.join(", ")}: declare them in scripts/surface.mjs`);
fs.writeFileSync(path.join(pkg, "oms_progress_card.d.ts"), declarations(surface, fs.readFileSync(path.join(root, "npm/details.d.ts"), "utf8")));
fs.writeFileSync(path.join(pkg, "react.d.ts"), reactTypes(surface));
fs.writeFileSync(path.join(pkg, "vue.d.ts"), vueTypes(surface));
fs.writeFileSync(path.join(pkg, "custom-elements.json"), JSON.stringify(customElements(surface, "oms_progress_card.js"), null, 2) + "\n");

// One minified JavaScript file: src/element/entry.js (init and initSync from the glue, mount(),
// configure()), bundled with the glue, so a page fetches one module before the wasm instead of
// a chain (wasm-bindgen's output imports each snippet as a module of its own). The glue's
// snippets are the sources they were copied from, so the bundle holds one copy of each, and
// configure() changes the very settings the glue's requests read.
const bundled = path.join(pkg, "oms_progress_card.js");
const glueFile = path.join(pkg, "glue.js");
fs.renameSync(bundled, glueFile);
const sources = {
  name: "glue-and-snippets",
  setup(build) {
    build.onResolve({ filter: /^oms-progress-card:glue$/ }, () => ({ path: glueFile }));
    build.onResolve({ filter: /\/snippets\/[^/]+\/src\// }, (args) => ({ path: path.join(root, "src", args.path.split("/src/").pop()) }));
  },
};
await build({
  entryPoints: [path.join(root, "src/element/entry.js")], outfile: bundled, bundle: true, format: "esm",
  target: "es2022", minify: true, legalComments: "none", logLevel: "warning", plugins: [sources],
});
fs.rmSync(glueFile);
fs.rmSync(path.join(pkg, "snippets"), { recursive: true, force: true });

fs.copyFileSync(path.join(root, "npm/README.md"), path.join(pkg, "README.md"));
fs.copyFileSync(path.join(root, "LICENSE"), path.join(pkg, "LICENSE"));
fs.rmSync(path.join(pkg, ".gitignore"), { force: true });
console.log(`    packaged ${manifest.name}@${manifest.version} in ${path.relative(root, pkg) || "."}/`);
