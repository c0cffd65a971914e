// The one table of the public surface (src/element/surface.json) against what uses it: the docs'
// generated tables, the CSS custom properties the stylesheets read, and the part names the views
// write. A drift in either direction fails.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { ROOT, DOCS, loadSurface, withTables } from "../scripts/surface.mjs";

const surface = loadSurface();
const files = (dir, ext) => fs.readdirSync(path.join(ROOT, dir)).filter((f) => f.endsWith(ext)).map((f) => fs.readFileSync(path.join(ROOT, dir, f), "utf8"));

test("the docs' surface tables are the table's", () => {
  for (const doc of DOCS) {
    const text = fs.readFileSync(path.join(ROOT, doc), "utf8");
    assert.ok(text.includes("<!-- surface:"), `${doc} has no generated table`);
    assert.equal(withTables(text, surface), text, `${doc} differs from src/element/surface.json: run node scripts/surface.mjs --write`);
  }
});

test("every CSS custom property the stylesheets read is in the table, and only those", () => {
  const css = [...files("style", ".css"), ...files("src/view", ".css")].join("\n");
  const used = new Set(css.match(/--oms-[a-z-]+/g));
  const listed = new Set(surface.cssProperties.flatMap((p) => p.names));
  assert.deepEqual([...used].sort(), [...listed].sort());
});

test("every part the views write is in the table, and only those", () => {
  const views = [...files("src/view", ".rs"), ...files("src/view", ".html")].join("\n");
  const used = new Set([...views.matchAll(/part=\\?"([^"\\]+)\\?"/g)].flatMap((m) => m[1].split(/\s+/)));
  const listed = new Set([...surface.parts, ...surface.list.parts].flatMap((p) => p.names));
  assert.deepEqual([...used].sort(), [...listed].sort());
});

test("attributes are kebab-case with camelCase properties; enums list their values", () => {
  for (const a of surface.attributes) {
    assert.equal(a.name.replace(/-([a-z])/g, (_, c) => c.toUpperCase()), a.property);
    if (a.type === "enum") assert.ok(a.values.length > 1 && a.values.includes(a.default), a.name);
  }
});
