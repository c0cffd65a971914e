// Dates, relative times, durations and percentages, as the browser's Intl writes them in the
// card's language; one set of formatters per language, made on first use.
const made = new Map();

function formatters(locale) {
  let f = made.get(locale);
  if (!f) {
    const unit = (unit) => new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "narrow" });
    f = {
      dateTime: new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "medium" }),
      relative: new Intl.RelativeTimeFormat(locale, { numeric: "always", style: "short" }),
      percent: new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }),
      count: new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }),
      // Intl.DurationFormat where the browser has it (Chrome 129, Safari 16.4, Firefox 136);
      // else the largest unit alone.
      duration: Intl.DurationFormat ? new Intl.DurationFormat(locale, { style: "narrow" }) : null,
      units: ["day", "hour", "minute", "second"].map(unit),
    };
    made.set(locale, f);
  }
  return f;
}

/** A unix time (ms) as a date and time in the viewer's time zone. */
export function dateTime(locale, ms) {
  return formatters(locale).dateTime.format(ms);
}

/** "12 sec. ago", "5 min. ago" … */
export function ago(locale, value, unit) {
  return formatters(locale).relative.format(-value, unit);
}

/** A span of seconds in its two largest units: "2m 5s", "3h 10m", "1,228d 4h". */
export function duration(locale, seconds) {
  const parts = [Math.floor(seconds / 86400), Math.floor(seconds / 3600) % 24, Math.floor(seconds / 60) % 60, seconds % 60];
  let first = parts.findIndex((v) => v > 0);
  if (first < 0) first = 3; // zero: "0s"
  const f = formatters(locale);
  if (f.duration) {
    const names = ["days", "hours", "minutes", "seconds"];
    const span = {};
    for (let i = first; i < Math.min(first + 2, 4); i++) span[names[i]] = parts[i];
    return f.duration.format(span);
  }
  return f.units[first].format(parts[first]);
}

/** A percentage as sent (not clamped): "87.5%", "140%". */
export function percent(locale, value) {
  return formatters(locale).percent.format(value / 100);
}

/** A count with the language's grouping: "1,234,567". */
export function count(locale, value) {
  return formatters(locale).count.format(value);
}
