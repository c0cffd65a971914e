// Dates, relative times, durations and numbers, as the browser's Intl writes them in the card's
// language, all in one style (the narrow one: "4m 23s", "8s ago", "4分钟23秒", "8秒前"). Each
// formatter is made on its first use and kept per language: making one costs milliseconds (the
// first card's first paint waited ~20 ms when all were made at once). A value never breaks
// across lines: its spaces are non-breaking.
const made = new Map();
const NAMES = ["days", "hours", "minutes", "seconds"];
const UNITS = ["day", "hour", "minute", "second"];

/** The formatter `key` for `locale`, made by `make(locale)` the first time. */
function formatter(locale, key, make) {
  let f = made.get(locale);
  if (!f) made.set(locale, (f = {}));
  return (f[key] ??= make(locale));
}

const MAKE = {
  dateTime: (l) => new Intl.DateTimeFormat(l, { dateStyle: "medium", timeStyle: "medium" }),
  time: (l) => new Intl.DateTimeFormat(l, { timeStyle: "medium" }),
  relative: (l) => new Intl.RelativeTimeFormat(l, { numeric: "always", style: "narrow" }),
  percent: (l) => new Intl.NumberFormat(l, { style: "percent", maximumFractionDigits: 1 }),
  count: (l) => new Intl.NumberFormat(l, { maximumFractionDigits: 0 }),
  // Intl.DurationFormat where the browser has it (Chrome 129, Safari 16.4, Firefox 136);
  // else the same narrow units joined as the language joins units.
  duration: (l) => new Intl.DurationFormat(l, { style: "narrow" }),
  list: (l) => new Intl.ListFormat(l, { type: "unit", style: "narrow" }),
  // "4m", "23s", "4分钟" … for the list above.
  ...Object.fromEntries(UNITS.map((unit) => [unit, (l) => new Intl.NumberFormat(l, { style: "unit", unit, unitDisplay: "narrow" })])),
};
const use = (locale, key) => formatter(locale, key, MAKE[key]);

/** Makes the first formatters of `locale` while the page waits (for the wasm to download, or a
 * card's first answer), in idle time: the page's first formatter pays for ICU's start (~25 ms),
 * whatever its kind, and its first date formatter for the time zone (~10 ms); the first paint
 * of data need not wait for either. One a task: on a slow phone each is a long task. Every
 * card's rings use the percent formatter, its freshness line the time. */
export function warm(locale = "en") {
  if (made.has(locale)) return;
  const idle = globalThis.requestIdleCallback ?? ((f) => setTimeout(f, 1));
  idle(() => (use(locale, "percent"), idle(() => use(locale, "time"))));
}

/** `text` with every space non-breaking, so a value stays on one line. */
const keep = (text) => text.replace(/ /g, "\u00a0");

/** A unix time (ms) in the viewer's time zone: the time alone when it is today, else date and
 * time. */
export function dateTime(locale, ms) {
  const today = new Date(ms).toDateString() === new Date().toDateString();
  return keep(use(locale, today ? "time" : "dateTime").format(ms));
}

/** "12s ago", "5m ago", "12秒前" … */
export function ago(locale, value, unit) {
  return keep(use(locale, "relative").format(-value, unit));
}

/** A span of seconds in its two largest units: "2m 5s", "3h 10m", "1,228d 4h", "2分钟5秒". A
 * running step asks every second, but its words change once a minute past an hour and once an
 * hour past a day: what was written is remembered by the seconds it shows (formatting a duration
 * costs far more than the lookup; bounded). */
const SPAN_SECONDS = [86400, 3600, 60, 1];
const spans = new Map();
export function duration(locale, seconds) {
  const parts = [Math.floor(seconds / 86400), Math.floor(seconds / 3600) % 24, Math.floor(seconds / 60) % 60, seconds % 60];
  let first = parts.findIndex((v) => v > 0);
  if (first < 0) first = 3; // zero: "0s"
  const key = `${locale} ${seconds - (seconds % SPAN_SECONDS[Math.min(first + 1, 3)])}`;
  let text = spans.get(key);
  if (text === undefined) {
    const shown = [];
    for (let i = first; i < Math.min(first + 2, 4); i++) if (i === first || parts[i] > 0) shown.push(i);
    if (Intl.DurationFormat) {
      const span = {};
      for (const i of shown) span[NAMES[i]] = parts[i];
      text = keep(use(locale, "duration").format(span));
    } else {
      text = keep(use(locale, "list").format(shown.map((i) => use(locale, UNITS[i]).format(parts[i]))));
    }
    if (spans.size >= 1024) spans.clear();
    spans.set(key, text);
  }
  return text;
}

/** A percentage as sent (not clamped): "87.5%", "140%". */
export function percent(locale, value) {
  return keep(use(locale, "percent").format(value / 100));
}

/** A count with the language's grouping: "1,234,567". */
export function count(locale, value) {
  return keep(use(locale, "count").format(value));
}
