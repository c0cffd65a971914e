//! Many viewers, few upstream calls: requests for one (action, body) that arrive while a call
//! is in flight share it, and its answer is reused for a short TTL. The cache is moka's: bounded
//! by the bytes it holds, with the same cost per insert at 100 or 100 000 ids.

use crate::client::Budget;
use crate::refusal::Refusal;
use crate::upstream::{Answer, Upstream};
use moka::future::Cache;
use oms_progress_api::Action;
use std::hash::Hash;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

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

/// The most bytes of answers held: real answers are a few KB, so tens of thousands of tasks;
/// past it the least useful answers go first (a flood of distinct ids cannot grow memory).
pub const MAX_CACHED_BYTES: u64 = 128 << 20;

/// What a list's answer weighs per byte once parsed (serde_json's `Value` of a ListProjects page
/// holds about 6.3 bytes a byte of its JSON): a cached page of a list is kept parsed for the
/// viewers the access rules filter it for ([`Answer::parsed`]), and the bound holds that too.
const PARSED_LIST_WEIGHT: usize = 7;

/// (action, the body OMS gets).
type Key = (Action, String);

/// The single-flight cache in front of OMS.
pub struct Coalescer {
    upstream: Arc<dyn Upstream>,
    answers: Cache<Key, Arc<Answer>>,
}

impl Coalescer {
    /// A cache that keeps answers for `ttl` (zero: only concurrent requests share).
    pub fn new(upstream: impl Upstream, ttl: Duration) -> Self {
        let answers = Cache::builder()
            .max_capacity(MAX_CACHED_BYTES)
            .weigher(weight)
            .expire_after(Lifetime { ttl })
            .build();
        Coalescer { upstream: Arc::new(upstream), answers }
    }

    /// The answer of `action` to `body`, and how it was obtained; a call to OMS is charged to
    /// `budget`, so any number of viewers of an answer held or in flight cost nothing.
    pub async fn get(&self, action: Action, body: &str, budget: Budget<'_>) -> Result<(Arc<Answer>, Source), Refusal> {
        let key = (action, body.to_owned());
        if let Some(answer) = self.answers.get(&key).await {
            return Ok((answer, Source::Cached));
        }
        let fetch = || {
            let (upstream, body) = (self.upstream.clone(), body.to_owned());
            async move {
                // In a task of its own: the call completes even when the client that made it goes.
                let answer = tokio::spawn(upstream.call(action, body)).await;
                Ok::<_, Refusal>(Arc::new(answer.unwrap_or_else(|_| Refusal::UpstreamBroken.into())))
            }
        };
        let got = shared(&self.answers, &key, budget, fetch).await?;
        Ok((got.value, if got.fresh { Source::Upstream } else { Source::Joined }))
    }
}

/// What an answer held weighs against [`MAX_CACHED_BYTES`]: its key and body, and a list's
/// parsed form besides.
fn weight((action, body): &Key, answer: &Arc<Answer>) -> u32 {
    let held = if *action == Action::Projects { answer.body.len() * (1 + PARSED_LIST_WEIGHT) } else { answer.body.len() };
    u32::try_from(body.len() + held + 64).unwrap_or(u32::MAX)
}

/// How long an answer is kept: `ttl`; a step's metric, whose window the proxy writes on the
/// minute, for that minute at least (a viewer asks it about once a minute, so viewers share
/// one call a minute however many they are).
struct Lifetime {
    ttl: Duration,
}

/// What a metric answer is kept for at least.
pub const METRIC_TTL: Duration = Duration::from_secs(60);

impl moka::Expiry<Key, Arc<Answer>> for Lifetime {
    fn expire_after_create(&self, key: &Key, _: &Arc<Answer>, _: std::time::Instant) -> Option<Duration> {
        Some(if key.0 == Action::StepMetric { self.ttl.max(METRIC_TTL) } else { self.ttl })
    }
}

/// A value from [`shared`].
pub struct Got<V> {
    /// The value.
    pub value: V,
    /// Whether this request's own call fetched it.
    pub fresh: bool,
}

/// `key`'s value from `cache`, or from one `fetch` for everyone asking at once, charged to the
/// `budget` of whoever makes the call. An error is not cached. A refusal of someone else's
/// budget is not ours: then this request asks again with its own (a few times at most).
pub async fn shared<K, V, E, F, Fut>(cache: &Cache<K, V>, key: &K, budget: Budget<'_>, fetch: F) -> Result<Got<V>, E>
where
    K: Hash + Eq + Clone + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
    E: From<Refusal> + Clone + Send + Sync + 'static,
    F: Fn() -> Fut,
    Fut: Future<Output = Result<V, E>>,
{
    let mut attempts = 0;
    loop {
        let ran = AtomicBool::new(false);
        let call = async {
            ran.store(true, Ordering::Relaxed);
            budget.spend()?;
            fetch().await
        };
        match cache.entry_by_ref(key).or_try_insert_with(call).await {
            Ok(entry) => return Ok(Got { fresh: entry.is_fresh(), value: entry.into_value() }),
            Err(error) if ran.load(Ordering::Relaxed) || attempts == 2 => return Err((*error).clone()),
            Err(_) => attempts += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::RateLimit;
    use futures_util::future::BoxFuture;
    use std::num::NonZeroU32;
    use std::sync::atomic::AtomicU64;

    /// An OMS that answers at once (after `delay`) and counts its calls.
    struct Counting(Arc<AtomicU64>, Duration);

    impl Upstream for Counting {
        fn call(&self, _: Action, body: String) -> BoxFuture<'static, Answer> {
            let (calls, delay) = (self.0.clone(), self.1);
            Box::pin(async move {
                calls.fetch_add(1, Ordering::SeqCst);
                if !delay.is_zero() {
                    tokio::time::sleep(delay).await; // a zero sleep still waits a timer tick
                }
                Answer::json(axum::http::StatusCode::OK, body.into())
            })
        }
    }

    fn ip(s: &str) -> std::net::IpAddr {
        s.parse().unwrap()
    }

    #[tokio::test]
    async fn concurrent_viewers_share_one_call_and_only_its_maker_pays() {
        let calls = Arc::new(AtomicU64::new(0));
        let coalescer = Arc::new(Coalescer::new(Counting(calls.clone(), Duration::from_millis(100)), Duration::from_secs(60)));
        // A limit of one call a second (a burst of two): the first viewer spends one.
        let limit = Arc::new(RateLimit::new(NonZeroU32::new(1).unwrap()));
        let viewers: Vec<_> = (0..50)
            .map(|_| {
                let (coalescer, limit) = (coalescer.clone(), limit.clone());
                tokio::spawn(async move { coalescer.get(Action::Progress, "np_1", Budget::new(Some(&limit), ip("192.0.2.1"))).await.map(|(_, s)| s) })
            })
            .collect();
        let mut sources = Vec::new();
        for viewer in viewers {
            sources.push(viewer.await.unwrap().unwrap());
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert_eq!(sources.iter().filter(|s| **s == Source::Upstream).count(), 1);
        // The held answer costs nothing; a new id costs the second token, a third is refused.
        let budget = Budget::new(Some(&limit), ip("192.0.2.1"));
        assert_eq!(coalescer.get(Action::Progress, "np_1", budget).await.unwrap().1, Source::Cached);
        assert!(coalescer.get(Action::Progress, "np_2", budget).await.is_ok());
        assert_eq!(coalescer.get(Action::Progress, "np_3", budget).await.err(), Some(Refusal::RateLimited));
        // Another client has its own budget.
        assert!(coalescer.get(Action::Progress, "np_3", Budget::new(Some(&limit), ip("192.0.2.2"))).await.is_ok());
    }

    #[tokio::test]
    async fn a_zero_ttl_shares_only_calls_in_flight() {
        let calls = Arc::new(AtomicU64::new(0));
        let coalescer = Arc::new(Coalescer::new(Counting(calls.clone(), Duration::from_millis(100)), Duration::ZERO));
        let ask = || {
            let coalescer = coalescer.clone();
            tokio::spawn(async move { coalescer.get(Action::Steps, "np_1", Budget::new(None, ip("192.0.2.1"))).await.unwrap().0 })
        };
        let (a, b) = (ask(), ask());
        assert_eq!(a.await.unwrap().body, b.await.unwrap().body);
        assert_eq!(calls.load(Ordering::SeqCst), 1, "concurrent requests share");
        ask().await.unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 2, "nothing kept afterwards");
    }

    #[test]
    fn a_list_page_weighs_what_it_holds_parsed_too() {
        let page = Arc::new(Answer::json(axum::http::StatusCode::OK, bytes::Bytes::from(vec![b' '; 300_000])));
        let list = weight(&(Action::Projects, "{}".into()), &page);
        let progress = weight(&(Action::Progress, "{}".into()), &page);
        assert_eq!(progress, 300_066);
        assert!(f64::from(list) > 7.0 * 300_000.0, "serde_json's Value holds ~6.3 bytes a byte of a list's JSON: {list}");
    }

    #[tokio::test]
    async fn more_ids_than_fit_evict_instead_of_refusing_to_cache() {
        let calls = Arc::new(AtomicU64::new(0));
        let coalescer = Coalescer::new(Counting(calls.clone(), Duration::ZERO), Duration::from_secs(60));
        for i in 0..20_000 {
            coalescer.get(Action::Progress, &format!("np_{i}"), Budget::new(None, ip("192.0.2.1"))).await.unwrap();
        }
        // The newest answer is held, whatever came before it.
        let before = calls.load(Ordering::SeqCst);
        coalescer.get(Action::Progress, "np_19999", Budget::new(None, ip("192.0.2.1"))).await.unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), before);
    }
}
