// One request to the proxy, made the way the browser does it best: fetch() with a timeout
// (AbortSignal.timeout) and an abort handle. The answer goes back to Rust as its HTTP status and
// text, or as the name of what went wrong; Rust decodes it.
export function request(url, body, credentials, timeoutMs, maxBytes, done) {
  const controller = new AbortController();
  const signal = AbortSignal.any([controller.signal, AbortSignal.timeout(timeoutMs)]);
  (async () => {
    const response = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body, credentials, signal });
    // A declared length over the limit is not read at all.
    if (Number(response.headers.get("content-length")) > maxBytes) {
      controller.abort();
      return done(response.status, undefined, "large");
    }
    done(response.status, await response.text(), "");
  })().catch((e) => done(0, undefined, e?.name === "TimeoutError" ? "timeout" : e?.name === "AbortError" ? "abort" : "network"));
  return controller;
}
