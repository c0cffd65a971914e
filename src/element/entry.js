// The npm package's one module (scripts/package.mjs bundles it with wasm-bindgen's glue):
// init() as the default export, initSync(), mount(), mountList() and configure().
import initGlue from "oms-progress-card:glue";
import { warm } from "../view/intl.js";
export { initSync } from "oms-progress-card:glue";

/** Loads the wasm and defines the elements (wasm-bindgen's init). While the wasm downloads, the
 * main thread is idle: the browser's Intl starts then, not in the first card's first paint. */
export default function init(...args) {
  warm();
  return initGlue(...args);
}
export { mount, mountList } from "./mount.js";
// From the very module the glue's requests read, so the bundle holds one copy of the settings.
export { configure } from "../feed/fetch.js";
