//! A Leptos app of its own that shows a dashboard of OMS tasks with [`ProgressCard`]:
//! compact cards in a grid, a layout switch, and a banner when a task fails; below it, the
//! simulated fleet np_fleet_… with [`ProjectList`].
//!
//! Build: `cargo build --target wasm32-unknown-unknown -p oms-dashboard-example`, then
//! `wasm-bindgen --target web`; `index.html` beside this crate loads it. Serve it with the
//! reference proxy in front of OMS (`--static examples/dashboard`); the end-to-end test runs it
//! in front of the simulated OMS.

use leptos::prelude::*;
use oms_progress_card::{CardEvent, Layout, ListEvent, ProgressCard, ProjectList, adopt_stylesheet};

/// Tasks of the simulated OMS (sim/scenarios.json).
const TASKS: [&str; 6] = [
    "np_4w8s2k_mysql_orders",
    "np_5k2m9q_oracle_billing",
    "np_3n7v1x_pg_inventory",
    "np_9q4t6b_archive",
    "np_7h2c8d_crm",
    "np_2s5y8w_sybase_ledger",
];

#[component]
fn Dashboard() -> impl IntoView {
    // The card's styles, adopted by the document (no <style> element: CSP-friendly).
    adopt_stylesheet();
    let compact = RwSignal::new(true);
    let failed = RwSignal::new(Vec::<String>::new());
    let layout = Signal::derive(move || if compact.get() { Layout::Compact } else { Layout::Full });

    let cards = TASKS
        .iter()
        .map(|id| {
            let id = (*id).to_owned();
            let task = id.clone();
            // Raise the host app's own notice when a task is FAILED (on any refresh, so a task
            // that has already failed when the page opens counts too).
            let on_event = UnsyncCallback::new(move |event: CardEvent| {
                let CardEvent::Progress { progress, .. } = event else { return };
                let is_failed = progress.status.as_ref().is_some_and(|s| s.raw == "FAILED");
                if is_failed && !failed.read_untracked().contains(&task) {
                    failed.update(|f| f.push(task.clone()));
                }
            });
            view! { <ProgressCard project_id=id proxy_url="/" interval_ms=5_000u32 layout=layout on_event=on_event /> }
        })
        .collect_view();

    // The fleet's size as the list last heard it.
    let listed = RwSignal::new(None::<u32>);
    let on_list = UnsyncCallback::new(move |event: ListEvent| {
        if let ListEvent::Listed { data } = event {
            listed.set(Some(js_sys::Array::from(&data).length()));
        }
    });

    view! {
        <header>
            <h1>"Migrations"</h1>
            <label><input type="checkbox" bind:checked=compact />" Compact cards"</label>
        </header>
        <Show when=move || !failed.read().is_empty()>
            <p class="failed" role="status">"Failed: " {move || failed.get().join(", ")}</p>
        </Show>
        <main class="grid">{cards}</main>
        <h2>"The fleet " <output id="listed">{move || listed.get().map(|n| n.to_string())}</output></h2>
        <ProjectList proxy_url="/" search="np_fleet_" on_event=on_list />
    }
}

fn main() {
    leptos::mount::mount_to_body(Dashboard);
}
