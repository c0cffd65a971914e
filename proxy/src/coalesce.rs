//! Many viewers, few upstream calls: requests for one (operation, id) that arrive while a call
//! is in flight share it, and its answer is reused for a short TTL.

use crate::upstream::{Answer, Oms};
use oms_progress_card::oms::Action;
use futures_util::future::{BoxFuture, FutureExt, Shared};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How a request was served, for the request log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// This request made the upstream call.
    Upstream,
    /// It joined a call already in flight.
    Joined,
    /// It was answered from the cache.
    Cached,
}

impl Source {
    /// The word in the request log.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Upstream => "upstream",
            Source::Joined => "joined",
            Source::Cached => "cached",
        }
    }
}

type Flight = Shared<BoxFuture<'static, Arc<Answer>>>;

enum Entry {
    InFlight(Flight),
    Ready(Arc<Answer>, Instant),
}

/// Past this many remembered ids, expired answers are swept before another is added.
const SWEEP_ABOVE: usize = 4096;
/// Never more than this many remembered ids (a flood of distinct ids must not grow memory).
const MAX_ENTRIES: usize = 65_536;

type Key = (Action, String);

/// The single-flight cache in front of OMS.
pub struct Coalescer {
    upstream: Arc<Oms>,
    ttl: Duration,
    entries: Arc<Mutex<HashMap<Key, Entry>>>,
}

impl Coalescer {
    /// A cache that keeps answers for `ttl` (zero: only concurrent requests share).
    pub fn new(upstream: Oms, ttl: Duration) -> Self {
        Coalescer { upstream: Arc::new(upstream), ttl, entries: Arc::default() }
    }

    /// Whether a request for `action` and `id` would cost OMS nothing now: a fresh answer is held
    /// or a call is in flight.
    pub fn holds(&self, action: Action, id: &str) -> bool {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        match entries.get(&(action, id.to_owned())) {
            Some(Entry::Ready(_, at)) => at.elapsed() < self.ttl,
            Some(Entry::InFlight(_)) => true,
            None => false,
        }
    }

    /// The answer of `action` for `id`, and how it was obtained.
    pub async fn get(&self, action: Action, id: &str) -> (Arc<Answer>, Source) {
        let key = (action, id.to_owned());
        let (flight, source) = {
            let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
            match entries.get(&key) {
                Some(Entry::Ready(answer, at)) if at.elapsed() < self.ttl => return (answer.clone(), Source::Cached),
                Some(Entry::InFlight(flight)) => (flight.clone(), Source::Joined),
                _ => {
                    let flight = self.start(key.clone());
                    if entries.len() >= SWEEP_ABOVE {
                        let ttl = self.ttl;
                        entries.retain(|_, e| !matches!(e, Entry::Ready(_, at) if at.elapsed() >= ttl));
                    }
                    if entries.len() < MAX_ENTRIES {
                        entries.insert(key, Entry::InFlight(flight.clone()));
                    }
                    (flight, Source::Upstream)
                }
            }
        };
        (flight.await, source)
    }

    /// Starts the upstream call in its own task, so it completes (and is cached) even when
    /// the client that caused it goes away.
    fn start(&self, key: Key) -> Flight {
        let (upstream, entries, ttl) = (self.upstream.clone(), self.entries.clone(), self.ttl);
        let task = tokio::spawn(async move {
            let answer = Arc::new(upstream.describe(key.0, &key.1).await);
            let mut entries = entries.lock().unwrap_or_else(|e| e.into_inner());
            if ttl.is_zero() {
                entries.remove(&key);
            } else if entries.contains_key(&key) {
                entries.insert(key, Entry::Ready(answer.clone(), Instant::now()));
            }
            answer
        });
        async move {
            task.await.unwrap_or_else(|_| Arc::new(crate::refusal::Refusal::UpstreamBroken.into()))
        }
        .boxed()
        .shared()
    }
}
