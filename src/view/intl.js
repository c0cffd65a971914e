// Dates, relative times, durations and numbers, as the browser's Intl writes them in the card's
// language, all in one style (the narrow one: "4m 23s", "8s ago", "4分钟23秒", "8秒前"); one set
// of formatters per language, made on first use. A value never breaks across lines: its spaces
// are non-breaking.
const made = new Map();
const NAMES = ["days", "hours", "minutes", "seconds"];

function formatters(locale) {
  let f = made.get(locale);
  if (!f) {
    const unit = (unit) => new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "narrow" });
    f = {
      dateTime: new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "medium" }),
      time: new Intl.DateTimeFormat(locale, { timeStyle: "medium" }),
      day: new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit" }),
      relative: new Intl.RelativeTimeFormat(locale, { numeric: "always", style: "narrow" }),
      percent: new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }),
      count: new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }),
      // Intl.DurationFormat where the browser has it (Chrome 129, Safari 16.4, Firefox 136);
      // else the same narrow units joined as the language joins units.
      duration: Intl.DurationFormat ? new Intl.DurationFormat(locale, { style: "narrow" }) : null,
      units: ["day", "hour", "minute", "second"].map(unit),
      list: new Intl.ListFormat(locale, { type: "unit", style: "narrow" }),
    };
    made.set(locale, f);
  }
  return f;
}

/** `text` with every space non-breaking, so a value stays on one line. */
const keep = (text) => text.replace(/ /g, "\u00a0");

/** A unix time (ms) in the viewer's time zone: the time alone when it is today, else date and
 * time. */
export function dateTime(locale, ms) {
  const f = formatters(locale);
  const today = f.day.format(Date.now()) === f.day.format(ms);
  return keep((today ? f.time : f.dateTime).format(ms));
}

/** "12s ago", "5m ago", "12秒前" … */
export function ago(locale, value, unit) {
  return keep(formatters(locale).relative.format(-value, unit));
}

/** A span of seconds in its two largest units: "2m 5s", "3h 10m", "1,228d 4h", "2分钟5秒". */
export function duration(locale, seconds) {
  const parts = [Math.floor(seconds / 86400), Math.floor(seconds / 3600) % 24, Math.floor(seconds / 60) % 60, seconds % 60];
  let first = parts.findIndex((v) => v > 0);
  if (first < 0) first = 3; // zero: "0s"
  const f = formatters(locale);
  const shown = [];
  for (let i = first; i < Math.min(first + 2, 4); i++) if (i === first || parts[i] > 0) shown.push(i);
  if (f.duration) {
    const span = {};
    for (const i of shown) span[NAMES[i]] = parts[i];
    return keep(f.duration.format(span));
  }
  return keep(f.list.format(shown.map((i) => f.units[i].format(parts[i]))));
}

/** A percentage as sent (not clamped): "87.5%", "140%". */
export function percent(locale, value) {
  return keep(formatters(locale).percent.format(value / 100));
}

/** A count with the language's grouping: "1,234,567". */
export function count(locale, value) {
  return keep(formatters(locale).count.format(value));
}
