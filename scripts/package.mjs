// Completes the npm package that wasm-pack wrote into pkg/: package.json (exports map, files,
// metadata), README, LICENSE, and public types without the stream helper classes that leptos's
// server_fn dependency exports (they are not part of this package's API).
import fs from "node:fs";
import { transformSync } from "esbuild";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const pkg = path.join(process.argv[2] ?? path.join(root, "pkg"));
const read = (f) => fs.readFileSync(path.join(pkg, f), "utf8");

const generated = JSON.parse(read("package.json"));
const manifest = {
  name: "oms-progress-card",
  version: generated.version,
  description: generated.description,
  license: generated.license,
  repository: generated.repository,
  homepage: generated.repository?.url,
  keywords: [...(generated.keywords ?? []), "oceanbase-migration-service", "custom-element", "progress"],
  type: "module",
  main: "./oms_progress_card.js",
  module: "./oms_progress_card.js",
  types: "./oms_progress_card.d.ts",
  exports: {
    ".": { types: "./oms_progress_card.d.ts", default: "./oms_progress_card.js" },
    "./oms_progress_card_bg.wasm": "./oms_progress_card_bg.wasm",
    "./package.json": "./package.json",
  },
  files: ["oms_progress_card.js", "oms_progress_card.d.ts", "oms_progress_card_bg.wasm", "oms_progress_card_bg.wasm.d.ts", "snippets/", "README.md", "LICENSE"],
  sideEffects: ["./snippets/*"],
};
fs.writeFileSync(path.join(pkg, "package.json"), JSON.stringify(manifest, null, 2) + "\n");

// Drop the declarations of wasm-streams' exported classes from the public types.
let types = read("oms_progress_card.d.ts");
types = types.replace(/\/\*\*[^]*?\*\/\s*export type ReadableStreamType = [^;]+;\s*/m, "");
types = types.replace(/export class IntoUnderlying\w+ \{[^]*?\n\}\n\s*/g, "");
fs.writeFileSync(path.join(pkg, "oms_progress_card.d.ts"), types);
if (/IntoUnderlying|ReadableStreamType/.test(types.split("export type InitInput")[0])) {
  throw new Error("stray stream classes are still in the public types");
}

// Minify the JavaScript glue and snippets (exports keep their names; wasm-bindgen's output is
// written for reading, and a page downloads it on every visit).
const scripts = ["oms_progress_card.js", ...fs.readdirSync(path.join(pkg, "snippets"), { recursive: true })
  .filter((f) => f.endsWith(".js")).map((f) => path.join("snippets", f))];
for (const file of scripts) {
  const { code } = transformSync(read(file), { minify: true, format: "esm", target: "es2022", legalComments: "none" });
  fs.writeFileSync(path.join(pkg, file), code);
}

fs.copyFileSync(path.join(root, "npm/README.md"), path.join(pkg, "README.md"));
fs.copyFileSync(path.join(root, "LICENSE"), path.join(pkg, "LICENSE"));
fs.rmSync(path.join(pkg, ".gitignore"), { force: true });
console.log(`    packaged ${manifest.name}@${manifest.version} in ${path.relative(root, pkg) || "."}/`);
