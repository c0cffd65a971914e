//! A live progress card for OceanBase Migration Service (OMS) tasks.
//!
//! The data's path through the crate:
//! [`oms`] (wire types and decoding, pure Rust) → `feed` (fetching and polling: timers,
//! backoff, visibility, request sharing) → `view` (the Leptos components) → `element` (the
//! `<oms-progress-card>` custom element and the JS entry points).
//!
//! The pure modules ([`oms`], [`i18n`], [`latency`], [`schedule`]) build and test natively;
//! the rest only for `wasm32`.

pub mod i18n;
pub mod latency;
pub mod oms;
pub mod schedule;
