//! `--simulate`: a built-in OMS whose projects come from `demo/scenarios.json`, the same file
//! the demo page's in-browser simulator (`demo/simulator.js`) reads. Both follow the same rules;
//! `tests/simulator_parity.rs` checks that they give the same answers.

use serde_json::{Map, Value, json};
use std::sync::atomic::{AtomicU32, Ordering};

/// The scenarios, compiled in: one source of truth for the demo page and the proxy.
pub const SCENARIOS: &str = include_str!("../../demo/scenarios.json");

const FIELDS: [&str; 12] = [
    "projectId", "status", "alarmLevel", "enableIncrSync", "currentStep", "incrSyncCheckpoint",
    "enableStructTransfer", "enableFullTransfer", "structTransferProgress", "fullTransferProgress",
    "enableReverseIncrTransfer", "reverseIncrTransferCheckpoint",
];

/// The current unix time in milliseconds.
pub fn now_ms() -> f64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// FNV-1a over the id's bytes (ids are ASCII).
pub fn hash_id(id: &str) -> u32 {
    id.bytes().fold(0x811c_9dc5_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193))
}

/// mulberry32: a uniform number in [0, 1) from a 32-bit state.
pub fn unit(state: u32) -> f64 {
    let mut t = state.wrapping_add(0x6d2b_79f5);
    t = (t ^ (t >> 15)).wrapping_mul(t | 1);
    t ^= t.wrapping_add((t ^ (t >> 7)).wrapping_mul(t | 61));
    f64::from(t ^ (t >> 14)) / 4_294_967_296.0
}

fn num(spec: &Value, key: &str) -> Option<f64> {
    spec.get(key).and_then(Value::as_f64)
}

/// Seconds a checkpoint trails the clock at simulated second `elapsed`: a base lag, noise that
/// changes every 10 s, and a spike that decays linearly.
pub fn lag(spec: &Value, seed: u32, salt: u32, elapsed: f64) -> i64 {
    let bucket = (elapsed / 10.0).floor() as i64 as u32;
    let noise = unit(seed ^ salt ^ bucket.wrapping_mul(0x9e37_79b9));
    let mut seconds = num(spec, "lagSeconds").unwrap_or(0.0) + num(spec, "jitterSeconds").unwrap_or(0.0) * noise;
    if let Some(every) = num(spec, "spikeEverySeconds").filter(|e| *e > 0.0) {
        let into = elapsed % every;
        let decay = num(spec, "spikeDecaySeconds").unwrap_or(1.0);
        if into < decay {
            seconds += num(spec, "spikeSeconds").unwrap_or(0.0) * (1.0 - into / decay);
        }
    }
    seconds.floor() as i64
}

/// The simulated OMS.
pub struct Simulator {
    projects: Vec<Value>,
    unknown_project: Value,
    seed: u32,
    time_scale: f64,
    start_ms: f64,
    requests: AtomicU32,
}

impl Simulator {
    /// The simulator of the compiled-in scenarios, its clock starting at `start_ms`.
    pub fn new(seed: u32, time_scale: f64, start_ms: f64) -> Self {
        Self::from_json(SCENARIOS, seed, time_scale, start_ms).expect("demo/scenarios.json is valid (checked by tests)")
    }

    /// The simulator of a scenarios document.
    pub fn from_json(scenarios: &str, seed: u32, time_scale: f64, start_ms: f64) -> Result<Self, String> {
        let doc: Value = serde_json::from_str(scenarios).map_err(|e| e.to_string())?;
        let mut projects = doc["projects"].as_array().ok_or("scenarios need a projects array")?.clone();
        // Fleets: member i copies template i mod n, its clock i * offsetSeconds ahead.
        for fleet in doc["fleets"].as_array().into_iter().flatten() {
            let templates = fleet["templates"].as_array().ok_or("a fleet needs templates")?;
            let (prefix, offset) = (fleet["prefix"].as_str().unwrap_or_default(), num(fleet, "offsetSeconds").unwrap_or(0.0));
            for i in 0..fleet["count"].as_u64().unwrap_or(0) {
                let name = &templates[i as usize % templates.len()];
                let mut member = projects.iter().find(|p| p["id"] == *name).ok_or("a fleet template names no project")?.clone();
                member["id"] = Value::from(format!("{prefix}{i:02}"));
                member["offsetSeconds"] = Value::from(i as f64 * offset);
                projects.push(member);
            }
        }
        Ok(Simulator { projects, unknown_project: doc["unknownProject"].clone(), seed, time_scale, start_ms, requests: AtomicU32::new(0) })
    }

    /// The ids of the simulated projects.
    pub fn project_ids(&self) -> impl Iterator<Item = &str> {
        self.projects.iter().filter_map(|p| p["id"].as_str())
    }

    /// The `DescribeProjectProgress` envelope OMS would send for `id` at `now_ms`.
    pub fn answer(&self, id: &str, now_ms: f64) -> Value {
        let requests = self.requests.fetch_add(1, Ordering::Relaxed).wrapping_add(1);
        let request_id = format!("sim-{:x}", (u64::from(self.seed) * 1_000_003 + u64::from(requests)) as u32);
        let mut envelope = json!({
            "success": true, "errorDetail": null, "code": null, "message": null, "advice": null,
            "requestId": request_id, "pageNumber": 1, "pageSize": 10, "totalCount": 1, "cost": "3 ms", "data": null,
        });
        let project = self.projects.iter().find(|p| p["id"] == id);
        let error = match project {
            None => Some(&self.unknown_project),
            Some(p) => p.get("error"),
        };
        if let Some(Value::Object(error)) = error {
            for (key, value) in error {
                envelope[key] = value.clone();
            }
            envelope["requestId"] = Value::from(request_id);
            return envelope;
        }
        if let Some(project) = project {
            let elapsed = ((now_ms - self.start_ms) / 1000.0).max(0.0) * self.time_scale + num(project, "offsetSeconds").unwrap_or(0.0);
            envelope["data"] = progress_data(project, elapsed, (now_ms / 1000.0).floor() as i64, self.seed);
        }
        envelope
    }
}

/// The segment in force at simulated second `elapsed`, how far into it (0..1), and the
/// segments before it.
fn segment_at(project: &Value, elapsed: f64) -> (&Value, f64, &[Value]) {
    let timeline = project["timeline"].as_array().map(Vec::as_slice).unwrap_or_default();
    let seconds = |s: &Value| num(s, "seconds").unwrap_or(f64::INFINITY);
    let total: f64 = timeline.iter().map(seconds).sum();
    let repeat = project["repeat"].as_bool().unwrap_or(false);
    let mut t = if repeat && total.is_finite() { elapsed % total } else { elapsed };
    for (i, segment) in timeline.iter().enumerate() {
        let length = seconds(segment);
        if !length.is_finite() || t < length {
            let fraction = if length.is_finite() && length > 0.0 { t / length } else { 0.0 };
            return (segment, fraction, &timeline[..i]);
        }
        t -= length;
    }
    match timeline.split_last() {
        Some((last, earlier)) => (last, 1.0, earlier),
        None => (&Value::Null, 0.0, &[]),
    }
}

fn assign(data: &mut Map<String, Value>, fields: &Value) {
    if let Value::Object(fields) = fields {
        data.extend(fields.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
}

fn ramps(segment: &Value) -> impl Iterator<Item = (&String, f64, f64)> {
    segment["ramp"].as_object().into_iter().flatten().filter_map(|(field, range)| {
        Some((field, range.get(0)?.as_f64()?, range.get(1)?.as_f64()?))
    })
}

fn progress_data(project: &Value, elapsed: f64, now_seconds: i64, seed: u32) -> Value {
    let mut data: Map<String, Value> = FIELDS.iter().map(|f| ((*f).to_owned(), Value::Null)).collect();
    assign(&mut data, &project["base"]);
    data.insert("projectId".into(), project["id"].clone());
    let (segment, fraction, earlier) = segment_at(project, elapsed);
    // Earlier segments' settings and ramp ends stay in force.
    for past in earlier {
        assign(&mut data, &past["set"]);
        for (field, _, to) in ramps(past) {
            data.insert(field.clone(), json!(to.floor() as i64));
        }
    }
    assign(&mut data, &segment["set"]);
    for (field, from, to) in ramps(segment) {
        data.insert(field.clone(), json!((from + (to - from) * fraction).floor() as i64));
    }
    let salt = hash_id(project["id"].as_str().unwrap_or_default());
    if segment["incr"].is_object() {
        data.insert("incrSyncCheckpoint".into(), json!(now_seconds - lag(&segment["incr"], seed, salt, elapsed)));
    }
    if segment["reverse"].is_object() {
        data.insert("reverseIncrTransferCheckpoint".into(), json!(now_seconds - lag(&segment["reverse"], seed, salt ^ 0x5bd1_e995, elapsed)));
    }
    if let Some(sybase) = segment.get("sybase") {
        let offset = (elapsed * num(sybase, "offsetPerSecond").unwrap_or(0.0)).floor() as i64;
        data.insert("incrSyncCheckpoint".into(), Value::from(format!("{},{offset}", sybase["fileId"])));
    }
    Value::Object(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scenarios_file_is_valid_and_complete() {
        let sim = Simulator::new(1, 1.0, 0.0);
        let ids: Vec<_> = sim.project_ids().collect();
        assert!(ids.len() >= 6);
        for id in &ids {
            assert!(crate::refusal::is_valid_id(id), "{id}");
        }
    }

    #[test]
    fn a_lifecycle_moves_through_its_steps() {
        let sim = Simulator::new(7, 1.0, 0.0);
        let at = |s: f64| sim.answer("np_4w8s2k_mysql_orders", s * 1000.0)["data"].clone();
        assert_eq!(at(1.0)["currentStep"], "TRANSFER_PRECHECK");
        assert_eq!(at(30.0)["currentStep"], "STRUCT_TRANSFER");
        assert_eq!(at(30.0)["structTransferProgress"], 50);
        assert_eq!(at(105.0)["fullTransferProgress"], 50);
        assert_eq!(at(105.0)["structTransferProgress"], 100, "an earlier ramp's end stays");
        let incr = at(400.0);
        assert_eq!(incr["currentStep"], "INCR_TRANSFER");
        let lag = 400 - incr["incrSyncCheckpoint"].as_i64().unwrap();
        assert!((6..=500).contains(&lag), "{lag}");
    }

    #[test]
    fn deterministic_under_a_seed_and_scaled_in_time() {
        let a = Simulator::new(42, 10.0, 0.0).answer("np_5k2m9q_oracle_billing", 50_000.0);
        let b = Simulator::new(42, 10.0, 0.0).answer("np_5k2m9q_oracle_billing", 50_000.0);
        assert_eq!(a["data"], b["data"]);
        let fast = Simulator::new(1, 10.0, 0.0).answer("np_3n7v1x_pg_inventory", 5_000.0);
        assert_eq!(fast["data"]["status"], "FAILED", "50 simulated seconds at 10x");
    }

    #[test]
    fn errors_and_unknown_projects_answer_like_oms() {
        let sim = Simulator::new(1, 1.0, 0.0);
        let gone = sim.answer("np_0x0x0x_released", 0.0);
        assert_eq!(gone["success"], false);
        assert_eq!(gone["code"], "GHANA-PROJECT000001");
        let unknown = sim.answer("np_nobody", 0.0);
        assert_eq!(unknown["code"], "GHANA-PROJECT000001");
        assert!(unknown["requestId"].as_str().unwrap().starts_with("sim-"));
    }

    #[test]
    fn fleets_expand_into_staggered_copies() {
        let sim = Simulator::new(1, 1.0, 0.0);
        assert_eq!(sim.project_ids().filter(|id| id.starts_with("np_fleet_")).count(), 24);
        let at = |id: &str| sim.answer(id, 0.0)["data"].clone();
        assert_eq!(at("np_fleet_00")["currentStep"], "TRANSFER_PRECHECK", "member 0 starts with its template");
        assert_eq!(at("np_fleet_06")["currentStep"], "FULL_TRANSFER", "member 6: the mysql lifecycle 138 s in");
        assert_eq!(at("np_fleet_03")["status"], "SUSPEND");
        assert_eq!(sim.answer("np_fleet_24", 0.0)["code"], "GHANA-PROJECT000001", "beyond the fleet");
    }

    #[test]
    fn sybase_checkpoints_are_file_and_offset() {
        let sim = Simulator::new(1, 1.0, 0.0);
        let data = &sim.answer("np_2s5y8w_sybase_ledger", 10_000.0)["data"];
        assert_eq!(data["incrSyncCheckpoint"], "100,370");
    }
}
