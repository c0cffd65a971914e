// One request to the proxy, made the way the browser does it best: fetch() with a timeout
// (AbortSignal.timeout) and an abort handle. The answer goes back to Rust as its HTTP status and
// text, or as the name of what went wrong; Rust decodes it.
export function request(url, id, credentials, timeoutMs, maxBytes, done) {
  const body = JSON.stringify({ id });
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

/** `url` made absolute against the page's base URL, so `/oms` and `https://this.host/oms` name
 * one feed; undefined when it is no URL. */
export function absolute(url) {
  try {
    return new URL(url, document.baseURI).href;
  } catch {
    return undefined;
  }
}

// Field lookup for the decoder (JsonValue::fields): the members of `value` whose keys, without
// `_` and `-` and in ASCII lower case, are among `names` (comma-separated), in that order; of
// duplicates the last wins. undefined for anything but an object.
const lists = new Map();
export function fields(value, names) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  let list = lists.get(names);
  if (!list) lists.set(names, (list = names.split(",").map((n) => n.trim())));
  const found = new Array(list.length);
  for (const [key, member] of Object.entries(value)) {
    const at = list.indexOf(key.replace(/[_-]/g, "").replace(/[A-Z]/g, (c) => c.toLowerCase()));
    if (at >= 0) found[at] = member;
  }
  return found;
}
