#!/usr/bin/env python3
"""Attributes every item of an optimized wasm (twiggy CSV) to the code that caused it: our own
modules first (a reactive_graph generic instantiated with a view closure is the view's cost),
then crates. Used by `make size`."""
import csv, re, sys, collections

rows = [r for r in csv.DictReader(open(sys.argv[1])) if "function names" not in r["Name"] and "custom section" not in r["Name"]]
owners = [
    ("view::card", r"oms_progress_card::view::card"), ("view::checkpoint", r"oms_progress_card::view::checkpoint"),
    ("view::ring", r"oms_progress_card::view::ring"), ("view::badge", r"oms_progress_card::view::badge"),
    ("view::alert", r"oms_progress_card::view::alert"), ("view::intl", r"oms_progress_card::view::intl"),
    ("view (other)", r"oms_progress_card::view"), ("element", r"oms_progress_card::element"),
    ("feed", r"oms_progress_card::feed"), ("oms decoding", r"oms_progress_card::oms"),
    ("our other", r"oms_progress_card"), ("float formatting", r"flt2dec|f64 as core.*fmt|f32 as core.*fmt|dec2flt"),
    ("serde-wasm-bindgen", r"serde_wasm_bindgen"), ("serde", r"serde"), ("gloo", r"gloo"),
    ("tachys", r"tachys"), ("reactive_graph", r"reactive_graph"), ("leptos", r"leptos|any_spawner|throw_error|either_of|guardian|or_poisoned|send_wrapper"),
    ("wasm-bindgen-futures", r"wasm_bindgen_futures|js_sys::futures|futures_"), ("js-sys", r"js_sys"), ("web-sys", r"web_sys"),
    ("wasm-bindgen", r"wasm_bindgen|__wbindgen|externref"), ("hash maps", r"hashbrown|indexmap|slotmap|BuildHasher|RandomState"),
    ("allocator", r"dlmalloc|__rdl|__rust_alloc|__rust_dealloc|__rust_realloc"), ("fmt & panics", r"core::fmt|panic|fmt::|Formatter|Debug|Display|unwrap_failed|expect_failed"),
    ("data", r"^data"), ("imports/exports", r"^import|^export"), ("alloc", r"alloc::"), ("std", r"\bstd\b"), ("core", r"\bcore\b"),
]
totals = collections.Counter()
for r in rows:
    name, size = r["Name"], int(r["ShallowSize"])
    owner = next((label for label, pattern in owners if re.search(pattern, name)), "other")
    totals[owner] += size
total = sum(totals.values())
for owner, size in totals.most_common():
    print(f"{size:9d} B {100 * size / total:5.1f}%  {owner}")
print(f"{total:9d} B total")
