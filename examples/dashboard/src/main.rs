//! A Leptos app of its own that shows a dashboard of OMS tasks with [`ProgressCard`]:
//! compact cards in a grid, a layout switch, and a banner when a task fails.
//!
//! Build: `cargo build --target wasm32-unknown-unknown -p oms-dashboard-example`, then
//! `wasm-bindgen --target web`; `index.html` beside this crate loads it. Serve it with the
//! reference proxy in front of OMS (`--static examples/dashboard`); the end-to-end test runs it
//! in front of the simulated OMS.

use leptos::prelude::*;
use oms_progress_card::{CardEvent, Layout, ProgressCard, adopt_stylesheet};

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

    view! {
        <header>
            <h1>"Migrations"</h1>
            <label><input type="checkbox" bind:checked=compact />" Compact cards"</label>
        </header>
        <Show when=move || !failed.read().is_empty()>
            <p class="failed" role="status">"Failed: " {move || failed.get().join(", ")}</p>
        </Show>
        <main class="grid">{cards}</main>
    }
}

fn main() {
    leptos::mount::mount_to_body(Dashboard);
}
