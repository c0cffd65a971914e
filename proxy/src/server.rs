//! Accepting connections so that one client cannot starve the others: hyper's HTTP/1.1 server
//! with its header read timeout (which also closes connections idle between requests), a cap on
//! the connections of one client address, and a cap on all of them below the descriptor limit.
//! axum::serve has neither a timeout nor a cap; this is its loop with both.

use crate::client::client_key;
use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroUsize;
use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tower::ServiceExt;

/// How the proxy holds its connections.
#[derive(Clone, Copy, Debug)]
pub struct Connections {
    /// How long a client may take to send a request's head, counted from when it connected or
    /// from its previous answer: silent, dribbling and idle keep-alive connections are closed.
    pub header_timeout: Duration,
    /// The most connections held at once.
    pub max_total: usize,
    /// The most connections one client address (an IPv6 /64) may hold; `None`: no cap (behind
    /// trusted proxies, whose own addresses are the peers).
    pub max_per_client: Option<NonZeroUsize>,
}

impl Default for Connections {
    fn default() -> Self {
        Connections { header_timeout: Duration::from_secs(10), max_total: 4096, max_per_client: NonZeroUsize::new(256) }
    }
}

/// Raises this process's descriptor limit (the soft `RLIMIT_NOFILE`) to its hard limit, as
/// nginx's `worker_rlimit_nofile` does (systemd's default soft limit is 1 024), and returns the
/// limit now in force, when the system says.
pub fn raise_descriptor_limit() -> Option<u64> {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit and setrlimit read and write only the struct they are given.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return None;
        }
        if limit.rlim_cur < limit.rlim_max {
            let raised = libc::rlimit { rlim_cur: limit.rlim_max, rlim_max: limit.rlim_max };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit = raised;
            }
        }
    }
    #[allow(clippy::unnecessary_cast)] // rlim_t is not u64 everywhere
    (limit.rlim_cur != libc::RLIM_INFINITY).then_some(limit.rlim_cur as u64)
}

/// The connections that may be held with `descriptors` available: three quarters of them, the
/// rest kept for OMS, the auth endpoint, static files and the listener itself.
pub fn connections_for(descriptors: u64) -> usize {
    usize::try_from(descriptors / 4 * 3).unwrap_or(usize::MAX).max(1)
}

/// Binds `workers` listeners to `address` with `SO_REUSEPORT` (the first one picks the port when
/// it is 0), for [`serve_on_threads`]: the kernel spreads connections across them.
pub fn bind(address: SocketAddr, workers: usize) -> std::io::Result<Vec<std::net::TcpListener>> {
    let mut listeners = Vec::new();
    let mut address = address;
    for _ in 0..workers.max(1) {
        let socket = if address.is_ipv4() { TcpSocket::new_v4()? } else { TcpSocket::new_v6()? };
        socket.set_reuseaddr(true)?;
        socket.set_reuseport(true)?;
        socket.bind(address)?;
        let listener = socket.listen(1024)?;
        address = listener.local_addr()?;
        listeners.push(listener.into_std()?);
    }
    Ok(listeners)
}

/// Serves `router` with one thread per listener, each running its own single-threaded runtime
/// (one event loop per core, as nginx's workers: no task hops between threads on the hot path),
/// until `shutdown` resolves; then each drains its requests in flight. The caps are shared.
pub async fn serve_on_threads(
    listeners: Vec<std::net::TcpListener>,
    router: Router,
    limits: Connections,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let shared = Arc::new(Shared::new(router, limits));
    let (stop, stop_seen) = watch::channel(());
    let mut threads = Vec::new();
    for (i, listener) in listeners.into_iter().enumerate() {
        let (shared, stop_seen) = (shared.clone(), stop_seen.clone());
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let thread = std::thread::Builder::new().name(format!("proxy-worker-{i}")).spawn(move || {
            runtime.block_on(async move {
                match TcpListener::from_std(listener) {
                    Ok(listener) => accept(listener, shared, stop_seen).await,
                    Err(error) => tracing::error!("worker {i}: {error}"),
                }
            })
        })?;
        threads.push(thread);
    }
    shutdown.await;
    drop(stop);
    tokio::task::spawn_blocking(move || threads.into_iter().for_each(|t| drop(t.join()))).await.map_err(std::io::Error::other)
}

/// Serves `router` on `listener` in the current runtime until `shutdown` resolves, then drains
/// requests in flight.
pub async fn serve(listener: TcpListener, router: Router, limits: Connections, shutdown: impl Future<Output = ()>) -> std::io::Result<()> {
    let (stop, stop_seen) = watch::channel(());
    let mut accepting = pin!(accept(listener, Arc::new(Shared::new(router, limits)), stop_seen));
    tokio::select! {
        () = &mut accepting => return Ok(()),
        () = shutdown => {}
    }
    drop(stop);
    accepting.await;
    Ok(())
}

/// What every accept loop shares: the HTTP settings, the caps and the router.
struct Shared {
    http: hyper::server::conn::http1::Builder,
    slots: Slots,
    router: Router,
}

impl Shared {
    fn new(router: Router, limits: Connections) -> Self {
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout);
        Shared { http, slots: Slots::new(limits), router }
    }
}

/// Accepts connections on `listener` until `stop` changes or closes, then waits for the
/// connections it accepted to finish their requests.
async fn accept(listener: TcpListener, shared: Arc<Shared>, mut stop: watch::Receiver<()>) {
    // Every connection holds a clone of `held`; `all_done` closes once they are all gone.
    let (all_done, held) = watch::channel(());
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    on_accept_error(error).await;
                    continue;
                }
            },
            _ = stop.changed() => break,
        };
        // Over a cap the connection is closed at once: a refused client learns it now, and
        // its descriptor is free again.
        let Some(slot) = shared.slots.take(peer.ip()) else {
            tracing::debug!(%peer, "connection refused: over the connection cap");
            continue;
        };
        let _ = stream.set_nodelay(true);
        let router = shared.router.clone();
        let service = tower::service_fn(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            router.clone().oneshot(request.map(Body::new))
        });
        let connection = shared.http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let (mut stop, held) = (stop.clone(), held.clone());
        tokio::spawn(async move {
            let mut connection = pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = stop.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
            drop((slot, held));
        });
    }
    drop((listener, held));
    all_done.closed().await;
}

/// Accept errors: a connection that died before it was accepted is nothing; anything else (no
/// descriptor left) is said and waited out, as hyper did.
async fn on_accept_error(error: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if !matches!(error.kind(), ConnectionRefused | ConnectionAborted | ConnectionReset) {
        tracing::error!("accept error: {error}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Connections held per client address.
type Held = Arc<Mutex<HashMap<IpAddr, usize>>>;

/// The connections held: in total, and per client address (with its cap).
struct Slots {
    total: Arc<Semaphore>,
    per_client: Option<(usize, Held)>,
}

/// One connection's place; given back when dropped.
struct Slot {
    _total: OwnedSemaphorePermit,
    client: Option<(IpAddr, Held)>,
}

impl Slots {
    fn new(limits: Connections) -> Slots {
        let per_client = limits.max_per_client.map(|n| (n.get(), Arc::default()));
        Slots { total: Arc::new(Semaphore::new(limits.max_total.max(1))), per_client }
    }

    fn take(&self, peer: IpAddr) -> Option<Slot> {
        let total = self.total.clone().try_acquire_owned().ok()?;
        let client = match &self.per_client {
            None => None,
            Some((cap, held)) => {
                let key = client_key(peer);
                let mut held_now = held.lock().unwrap_or_else(|e| e.into_inner());
                let count = held_now.entry(key).or_insert(0);
                if *count >= *cap {
                    return None;
                }
                *count += 1;
                Some((key, held.clone()))
            }
        };
        Some(Slot { _total: total, client })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Some((key, held)) = &self.client {
            let mut held = held.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(count) = held.get_mut(key) {
                *count -= 1;
                if *count == 0 {
                    held.remove(key);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_per_client_and_in_total() {
        let slots = Slots::new(Connections { max_total: 5, max_per_client: NonZeroUsize::new(2), ..Connections::default() });
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let a_mapped: IpAddr = "::ffff:192.0.2.1".parse().unwrap();
        let first = [slots.take(a), slots.take(a_mapped)];
        assert!(first.iter().all(Option::is_some));
        assert!(slots.take(a).is_none(), "a third connection of one client");
        let others: Vec<_> = (2..=4).map(|i| slots.take(format!("192.0.2.{i}").parse().unwrap())).collect();
        assert!(others.iter().all(Option::is_some));
        assert!(slots.take("192.0.2.9".parse().unwrap()).is_none(), "over the total");
        drop(first);
        assert!(slots.take(a).is_some(), "given back when closed");
    }

    #[test]
    fn connections_leave_room_for_other_descriptors() {
        assert_eq!(connections_for(1024), 768);
        assert_eq!(connections_for(1), 1);
    }
}
