// Serves the repository (the demo page and pkg/) on 127.0.0.1 until interrupted. The demo's
// service worker then simulates OMS in the page.
import { staticServer } from "../tests/e2e/harness.mjs";

const port = Number(process.argv.find((a) => a.startsWith("--port="))?.slice(7) ?? 8080);
const server = await staticServer({ port });
console.log(`demo: ${server.url}/`);
