// The card's durations (src/view/intl.js `duration`), as a running step's time asks for them every
// second: the two largest units, the same words from memory as when first written, new words
// exactly when the shown units change, each language its own. Node has no Intl.DurationFormat, so
// this runs the fallback (units joined as the language joins them); Chromium's path is the e2e's.
import { test } from "node:test";
import assert from "node:assert/strict";
import { duration } from "../src/view/intl.js";

const plain = (text) => text.replace(/\u00a0/g, " ");

test("a span reads in its two largest units", () => {
  const read = (seconds) => plain(duration("en", seconds));
  assert.deepEqual([0, 5, 60, 65, 3600, 3725, 2 * 86400 + 5 * 3600 + 59].map(read), ["0s", "5s", "1m", "1m 5s", "1h", "1h 2m", "2d 5h"]);
});

test("a running step's time: the same words within a shown minute, new ones when it turns", () => {
  const seen = [];
  for (let s = 3660; s <= 3780; s++) seen.push(plain(duration("en", s)));
  assert.deepEqual([...new Set(seen)], ["1h 1m", "1h 2m", "1h 3m"]);
  assert.equal(seen.indexOf("1h 2m"), 60, "turns at the minute, not before");
  assert.equal(seen.indexOf("1h 3m"), 120);
});

test("each language its own words, whichever was asked first", () => {
  assert.equal(plain(duration("en", 3725)), "1h 2m");
  assert.equal(duration("zh-CN", 3725), "1小时2分钟");
  assert.equal(plain(duration("en", 3725)), "1h 2m");
});

test("what it remembers stays bounded, and right after it forgets", () => {
  const hours = (h) => (h === 0 ? "0s" : h < 24 ? `${h}h` : `${Math.floor(h / 24)}d${h % 24 ? ` ${h % 24}h` : ""}`);
  for (let h = 0; h < 5000; h++) assert.equal(plain(duration("en", h * 3600)), hours(h));
  assert.equal(plain(duration("en", 65)), "1m 5s");
});
