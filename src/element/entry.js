// The npm package's one module (scripts/package.mjs bundles it with wasm-bindgen's glue):
// init() as the default export, initSync(), mount(), mountList() and configure().
export { default, initSync } from "oms-progress-card:glue";
export { mount, mountList } from "./mount.js";
// From the very module the glue's requests read, so the bundle holds one copy of the settings.
export { configure } from "../feed/fetch.js";
