// leptos's server_fn dependency exports wasm-streams' IntoUnderlying* classes, which nothing in
// the card uses. Removing their exports lets wasm-opt drop their code (and the async executor
// that only they keep alive). Used by package.mjs for the package and by `make size`, so the
// size breakdown describes what ships: `node scripts/strip-streams.mjs file.wasm`.
import fs from "node:fs";
import binaryen from "binaryen";
import { fileURLToPath } from "node:url";

/** The names of the exports that belong to wasm-streams' classes. */
export const STREAMS = /intounderlying/i;

/** Removes wasm-streams' exports from the wasm file, in place. */
export function stripStreams(wasmFile) {
  // Keeps the name section when there is one (`make size` reads it).
  binaryen.setDebugInfo(true);
  const module = binaryen.readBinary(fs.readFileSync(wasmFile));
  const exported = Array.from({ length: module.getNumExports() }, (_, i) => binaryen.getExportInfo(module.getExportByIndex(i)).name);
  for (const name of exported.filter((n) => STREAMS.test(n))) module.removeExport(name);
  fs.writeFileSync(wasmFile, module.emitBinary());
  module.dispose();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) stripStreams(process.argv[2]);
