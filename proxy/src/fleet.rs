//! A list of tasks (`ListProjects`) for a viewer the access rules apply to: only the tasks the
//! viewer may open as a card, paged and counted as if OMS held no others, so that no page says
//! how many were left out. OMS's own pages for the same filters are asked as anyone's (shared
//! between viewers and kept for the cache's TTL), then filtered per viewer.

use crate::access::{Access, ViewerCredentials};
use crate::client::Budget;
use crate::coalesce::{Coalescer, Source};
use crate::refusal::Refusal;
use crate::upstream::Answer;
use axum::http::StatusCode;
use futures_util::future::join_all;
use crate::actions::{field_of, member};
use oms_progress_api::{Action, BodyKind, MAX_PAGE_SIZE, is_valid_id, page_holds};
use serde_json::{Map, Value, json};
use std::collections::HashSet;
use std::sync::Arc;

/// OMS's pages read for a filtered list, at most: the first 1 500 tasks of its order (fewer
/// where OMS holds a page to fewer than the 150 asked).
pub const FILTERED_PAGES_AT_MOST: u32 = 10;

/// The page `body` (a list's body the proxy wrote) asks for, of the tasks `viewer` may open.
/// OMS's error, or a refusal of the viewer (not signed in, the portal unavailable), is the
/// answer as it is.
pub async fn visible_page(
    coalescer: &Coalescer,
    access: &Access,
    viewer: &ViewerCredentials,
    body: &str,
    budget: Budget<'_>,
) -> Result<(Arc<Answer>, Source), Refusal> {
    let asked: Map<String, Value> = serde_json::from_str(body).map_err(|_| Refusal::BadBody)?;
    let (page_field, size_field) = (field_of(Action::Projects, BodyKind::PageNumber), field_of(Action::Projects, BodyKind::PageSize));
    let number = |field: &str| asked.get(field).and_then(Value::as_u64).unwrap_or(1) as usize;
    let (page, size) = (number(page_field), number(size_field));
    // The tasks the viewer may open, as (page read, index in it): only the page asked is copied.
    let mut pages: Vec<Arc<Answer>> = Vec::new();
    let mut visible: Vec<(usize, usize)> = Vec::new();
    // Every task read so far, once: an OMS that pages oddly (the same task on two pages, or the
    // same page again) neither lists a task twice nor reads on for good.
    let mut read: HashSet<String> = HashSet::new();
    let mut source = Source::Cached;
    for page_number in 1..=FILTERED_PAGES_AT_MOST {
        let mut upstream = asked.clone();
        upstream.insert(page_field.into(), page_number.into());
        upstream.insert(size_field.into(), MAX_PAGE_SIZE.into());
        let (answer, got) = coalescer.get(Action::Projects, &Value::Object(upstream).to_string(), budget).await?;
        if got != Source::Cached {
            source = got;
        }
        let parsed = answer.parsed();
        let (Some(tasks), true) = (member(parsed, "data").and_then(Value::as_array), answer.status.is_success() && member(parsed, "success") == Some(&Value::Bool(true))) else {
            return Ok((answer, got)); // OMS's error, as it is
        };
        let new: Vec<(usize, &str)> = tasks
            .iter()
            .enumerate()
            // A task without a usable id cannot be opened as a card.
            .filter_map(|(at, task)| Some((at, member(task, "id").and_then(Value::as_str).filter(|id| is_valid_id(id))?)))
            .filter(|(_, id)| read.insert((*id).to_owned()))
            .collect();
        let decisions = join_all(new.iter().map(|&(_, id)| access.check(viewer, id, budget))).await;
        for (&(at, _), decision) in new.iter().zip(decisions) {
            match decision {
                Ok(()) => visible.push((pages.len(), at)),
                Err(denied) if denied.refusal == Refusal::ForbiddenProject => {}
                // Who the viewer is, or whether the portal can say: the whole list's answer.
                Err(denied) => return Err(denied.refusal),
            }
        }
        // The last page: OMS's count read, or a page with nothing new. Without a count, a page
        // shorter than OMS says it holds (page_holds: the widget's rule too).
        let total = member(parsed, "totalcount").and_then(Value::as_u64);
        let holds = u64::from(page_holds(member(parsed, "pagesize").and_then(Value::as_u64), MAX_PAGE_SIZE));
        let last = new.is_empty() || total.map_or((tasks.len() as u64) < holds, |total| read.len() as u64 >= total);
        pages.push(answer);
        if last {
            break;
        }
    }
    let total = visible.len();
    let task = |&(page, at): &(usize, usize)| member(pages[page].parsed(), "data").and_then(Value::as_array).map(|tasks| tasks[at].clone());
    let shown: Vec<Value> = visible.iter().skip((page - 1).saturating_mul(size)).take(size).filter_map(task).collect();
    let envelope = json!({
        "success": true, "code": null, "message": null, "advice": null, "requestId": null, "cost": null, "errorDetail": null,
        "data": shown, "totalCount": total, "pageNumber": page, "pageSize": size,
    });
    Ok((Arc::new(Answer::json(StatusCode::OK, envelope.to_string().into())), source))
}
