//! The proxy's simulator and the demo page's (demo/simulator.js) read one scenarios file; this
//! checks that they also follow the same rules, answer for answer, by running the JavaScript
//! one in Node.

use oms_progress_proxy::simulate::Simulator;
use serde_json::{Value, json};
use std::process::Command;

const ELAPSED: [f64; 14] = [0.0, 1.0, 9.99, 14.9, 15.0, 30.0, 44.5, 100.0, 164.9, 185.0, 186.0, 400.0, 1234.5, 86_400.0];
const SEEDS: [u32; 3] = [1, 7, 4_000_000_000];
const TIME_SCALES: [f64; 2] = [1.0, 7.5];
const START_MS: f64 = 1_700_000_000_000.0;

#[test]
fn rust_and_javascript_simulators_agree() {
    let ids: Vec<String> = Simulator::new(1, 1.0, START_MS).project_ids().map(str::to_owned).chain(["np_unknown".to_owned()]).collect();
    let mut cases = Vec::new();
    for seed in SEEDS {
        for time_scale in TIME_SCALES {
            for elapsed in ELAPSED {
                cases.push(json!({ "seed": seed, "timeScale": time_scale, "nowMs": START_MS + elapsed * 1000.0 / time_scale }));
            }
        }
    }
    let script = r#"
        const fs = require("fs");
        // A classic script, as the service worker's importScripts() loads it.
        require("vm").runInThisContext(fs.readFileSync(process.argv[1] + "/demo/simulator.js", "utf8"));
        const sim = globalThis.OmsSimulator;
        const scenarios = JSON.parse(fs.readFileSync(process.argv[1] + "/demo/scenarios.json", "utf8"));
        const { ids, cases, startMs } = JSON.parse(fs.readFileSync(0, "utf8"));
        const out = cases.map((c) => {
          const s = sim.createSimulator(scenarios, { seed: c.seed, timeScale: c.timeScale, startMs });
          return ids.map((id) => s.answer(id, c.nowMs).body);
        });
        process.stdout.write(JSON.stringify(out));
    "#;
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let mut child = Command::new("node")
        .args(["-e", script, root])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("node runs (make setup installs it on Debian)");
    let input = json!({ "ids": ids, "cases": cases, "startMs": START_MS }).to_string();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), input.as_bytes()).unwrap();
    drop(child.stdin.take());
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let javascript: Vec<Vec<Value>> = serde_json::from_slice(&output.stdout).unwrap();

    let mut compared = 0;
    for (case, js_answers) in cases.iter().zip(&javascript) {
        let rust = Simulator::new(case["seed"].as_u64().unwrap() as u32, case["timeScale"].as_f64().unwrap(), START_MS);
        for (id, js) in ids.iter().zip(js_answers) {
            let mut rs = rust.answer(id, case["nowMs"].as_f64().unwrap());
            let mut js = js.clone();
            // Request ids count requests, which differ between the two runs.
            rs["requestId"] = Value::Null;
            js["requestId"] = Value::Null;
            assert_eq!(rs, js, "{id} at {case}");
            compared += 1;
        }
    }
    assert_eq!(compared, SEEDS.len() * TIME_SCALES.len() * ELAPSED.len() * ids.len());
}
