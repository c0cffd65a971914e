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
// too; wasm-bindgen writes one per binding, each on lines of its own.
const optimized = binaryen.readBinary(fs.readFileSync(wasmFile));
const imported = new Set();
for (let i = 0; i < optimized.getNumFunctions(); i++) {
  const info = binaryen.getFunctionInfo(optimized.getFunctionByIndex(i));
  if (info.module) imported.add(info.base);
}
optimized.dispose();
let glue = read("oms_progress_card.js");
glue = glue.replace(/^        (\w+): function\([^)]*\) \{\n[^]*?^        \},\n/gm, (entry, name) => (imported.has(name) ? entry : ""));
glue = glue.replace(/^export class IntoUnderlying\w+ \{[^]*?^\}\n/gm, "");
glue = glue.replace(/^if \(Symbol\.dispose\) IntoUnderlying\w+\.prototype\[Symbol\.dispose\][^\n]*\n/gm, "");
glue = glue.replace(/^const IntoUnderlying\w+Finalization = [^;]*;\n/gm, "");
if (STREAMS.test(glue.replace(/__wbg_(byobRequest|view|respond|enqueue|close)\w*/g, ""))) {
  throw new Error("wasm-streams classes are still in the JS glue: wasm-bindgen's output changed");
}
fs.writeFileSync(path.join(pkg, "oms_progress_card.js"), glue);
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
