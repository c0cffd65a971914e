// Loads the example app's wasm (built into pkg/ by `make test` or by hand with wasm-bindgen).
import init from "./pkg/oms-dashboard-example.js";
await init();
