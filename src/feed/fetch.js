// The page-wide settings of configure(): one object per page, found by a registered symbol, so
// two copies of the package on one page still share it.
const CONFIG = Symbol.for("oms-progress-card.configure");
export function pageConfig() {
  return (globalThis[CONFIG] ??= { headers: undefined, credentials: undefined, changes: new EventTarget() });
}

const CREDENTIALS = ["same-origin", "include", "omit"];

/**
 * Page-wide request settings for every card: `headers` (an object, or a function returning (a
 * promise of) one, called before each request so a token can be refreshed) and `credentials`
 * (the default for cards without the attribute). Cards waiting after an error retry at once.
 * The npm package exports it (scripts/package.mjs).
 */
export function configure(options) {
  if (options == null || typeof options !== "object") throw new TypeError("configure(): options must be an object such as { headers, credentials }");
  for (const name of Object.keys(options)) {
    if (name !== "headers" && name !== "credentials") throw new TypeError(`configure(): unknown option "${name}"; the options are headers, credentials`);
  }
  const { headers, credentials } = options;
  if (headers != null && typeof headers !== "object" && typeof headers !== "function") {
    throw new TypeError("configure(): headers must be an object or a function returning one");
  }
  if (credentials != null && !CREDENTIALS.includes(credentials)) {
    throw new TypeError(`configure(): credentials must be one of ${CREDENTIALS.join(", ")}`);
  }
  const config = pageConfig();
  if ("headers" in options) config.headers = headers ?? undefined;
  if ("credentials" in options) config.credentials = credentials ?? undefined;
  config.changes.dispatchEvent(new Event("change"));
}

// The host's headers for one request: an object, or a function returning (a promise of) one,
// called now so a token refreshed since the last request is sent.
async function hostHeaders() {
  const { headers } = pageConfig();
  const value = typeof headers === "function" ? await headers() : headers;
  return value instanceof Headers ? Object.fromEntries(value) : (value ?? {});
}

// `promise`, or a rejection as soon as `signal` aborts: a host's headers function that never
// settles cannot hold a card. The listener goes when either happens (no listener outlives it).
function unlessAborted(promise, signal) {
  return new Promise((resolve, reject) => {
    const stop = () => reject(signal.reason);
    if (signal.aborted) return stop();
    signal.addEventListener("abort", stop, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", stop));
  });
}

// One request to the proxy, made the way the browser does it best: fetch() with a timeout
// (AbortSignal.timeout) and an abort handle. `body` is the JSON Rust wrote. The answer goes back
// to Rust as its HTTP status and parsed JSON, or as the name of what went wrong; Rust decodes it.
// `credentials` "" is the page's default.
export function request(url, body, credentials, timeoutMs, maxBytes, done) {
  const controller = new AbortController();
  const signal = AbortSignal.any([controller.signal, AbortSignal.timeout(timeoutMs)]);
  (async () => {
    let extra = {};
    try {
      if (pageConfig().headers !== undefined) extra = await unlessAborted(hostHeaders(), signal);
    } catch (e) {
      if (signal.aborted) throw e;
      return done(0, undefined, "headers"); // the host could not give its credentials
    }
    const headers = { ...extra, "Content-Type": "application/json" };
    credentials ||= pageConfig().credentials || "same-origin";
    const response = await fetch(url, { method: "POST", headers, body, credentials, signal });
    // A declared length over the limit is not read at all.
    if (Number(response.headers.get("content-length")) > maxBytes) {
      controller.abort();
      return done(response.status, undefined, "large");
    }
    const bytes = await response.arrayBuffer();
    if (bytes.byteLength > maxBytes) return done(response.status, undefined, "large");
    // Parsed here, so the body never enters the wasm's memory; a body that is no JSON goes to
    // Rust as its first characters, which tell what it was (empty, an HTML page, other text).
    const text = new TextDecoder().decode(bytes);
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      return done(response.status, undefined, "", text.trimStart().slice(0, 64));
    }
    done(response.status, json, "");
  })().catch((e) => done(0, undefined, e?.name === "TimeoutError" ? "timeout" : e?.name === "AbortError" ? "abort" : "network"));
  return controller;
}

/** `url` made absolute against the page's base URL, so `/oms` and `https://this.host/oms` name
 * one feed; undefined when it is no http(s) URL. */
export function absolute(url) {
  try {
    const resolved = new URL(url, document.baseURI);
    // Only http(s) reaches a proxy: a javascript:, data: or ftp: URL is no proxy-url.
    return /^https?:$/.test(resolved.protocol) ? resolved.href : undefined;
  } catch {
    return undefined;
  }
}

// Field lookup for the decoder (JsonValue::fields): the members of `value` whose keys, without
// `_` and `-` and in ASCII lower case, are among `names` (comma-separated), in that order; of
// duplicates the last wins. undefined for anything but an object. Hot: a list of a thousand tasks
// asks it for every task and step each poll, so each `names` becomes a map once, and each key
// its compared form once (OMS repeats a few dozen keys; bounded against ever-new ones).
const places = new Map();
const compared = new Map();
export function fields(value, names) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  let place = places.get(names);
  if (!place) {
    const list = names.split(",").map((n) => n.trim());
    place = { size: list.length, at: new Map() };
    list.forEach((name, at) => place.at.has(name) || place.at.set(name, at));
    places.set(names, place);
  }
  const found = new Array(place.size);
  for (const key of Object.keys(value)) {
    let name = compared.get(key);
    if (name === undefined) {
      if (compared.size >= 4096) compared.clear();
      compared.set(key, (name = key.replace(/[_-]/g, "").replace(/[A-Z]/g, (c) => c.toLowerCase())));
    }
    const at = place.at.get(name);
    if (at !== undefined) found[at] = value[key];
  }
  return found;
}
