// The decoder's field lookup (src/feed/fetch.js `fields`), which every OMS answer goes through:
// OMS's spellings of one field (camelCase, snake_case, kebab-case, upper case) are one field, the
// last duplicate wins, anything but an object has no fields, and its memory of the keys it has
// seen stays bounded against answers made of ever-new keys.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fields as lookup } from "../src/feed/fetch.js";

// What the decoder reads: a field it does not find is undefined (a hole reads so too).
const fields = (value, names) => { const found = lookup(value, names); return found && Array.from(found); };

const NAMES = "processedrecords,capacity,dstrps";

test("OMS's spellings of a field are one field, in the order asked", () => {
  assert.deepEqual(fields({ dstRps: 3, capacity: 2, processedRecords: 1 }, NAMES), [1, 2, 3]);
  assert.deepEqual(fields({ processed_records: 1, CAPACITY: 2, "dst-rps": 3 }, NAMES), [1, 2, 3]);
  assert.deepEqual(fields({ Processed_Records: 1 }, " processedrecords , capacity"), [1, undefined], "names are trimmed");
});

test("of duplicate spellings the last wins; absent fields are undefined; other keys are ignored", () => {
  assert.deepEqual(fields({ capacity: 1, Capacity: 2, extra: 9 }, NAMES), [undefined, 2, undefined]);
  // Only ASCII letters fold: a key that differs beyond ASCII is another key.
  assert.deepEqual(fields({ "capacİty": 1 }, NAMES), [undefined, undefined, undefined]);
  const own = JSON.parse('{"__proto__": 5, "capacity": 7}');
  assert.deepEqual(fields(own, "proto,capacity"), [5, 7], "a hostile key is a key like any other");
});

test("anything but an object has no fields", () => {
  for (const value of [null, undefined, 0, "capacity", true, [1, 2], [{ capacity: 1 }]]) {
    assert.equal(fields(value, NAMES), undefined, JSON.stringify(value));
  }
});

test("answers of ever-new keys are read right, and what it remembers of keys stays bounded", () => {
  for (let i = 0; i < 20000; i++) {
    const value = { [`key_${i}`]: i, Capacity: i };
    assert.deepEqual(fields(value, `key${i},capacity`), [i, i]);
  }
  // Still right for the keys it saw first, after forgetting them.
  assert.deepEqual(fields({ processedRecords: 1 }, NAMES), [1, undefined, undefined]);
});
