//! `oms-progress-proxy`: see `oms_progress_proxy` and `--help`.

use clap::Parser;
use oms_progress_proxy::config::{Args, load_access, load_credentials};
use oms_progress_proxy::server::{bind, connections_for, raise_descriptor_limit, serve_on_threads};
use oms_progress_proxy::upstream::Oms;
use oms_progress_proxy::{Connections, Settings, app};
use std::num::{NonZeroU32, NonZeroUsize};
use std::process::ExitCode;
use std::time::Duration;

// Many small allocations per request (headers, extensions, futures): mimalloc serves them
// faster than glibc's allocator under two busy threads.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

// The main thread reads the flags, waits for the signal to stop, and runs the proxy's periodic
// housekeeping; the requests are served by one worker thread per core (`serve_on_threads`).
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = Args::parse();
    let logs = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()));
    if args.log_format == "json" { logs.json().init() } else { logs.init() }
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("oms-progress-proxy: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let credentials = load_credentials(args.credentials_file.as_ref())?;
    let upstream = Oms::new(&args.upstream, credentials, args.upstream_timeout)?;
    let origin = upstream.origin().to_owned();
    let allow_origins = args
        .allow_origin
        .iter()
        .map(|o| o.trim().trim_end_matches('/').parse().map_err(|_| format!("--allow-origin {o:?} is not a valid origin")))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(dir) = &args.static_dir
        && !dir.is_dir()
    {
        return Err(format!("--static {} is not a directory", dir.display()));
    }
    let access = load_access(&args)?;
    if access.is_open() {
        tracing::warn!("no access rule (--allow-project, --jwt-*, --jwks-file, --auth-url): anyone who reaches the proxy may read every task");
    }
    let settings = Settings {
        upstream,
        access,
        cache_ttl: args.cache_ttl,
        rate_limit: NonZeroU32::new(args.rate_limit),
        max_body: args.max_body,
        body_timeout: Duration::from_secs(10),
        allow_origins,
        static_dir: args.static_dir.clone(),
        trusted_hops: args.trust_forwarded_for.unwrap_or(0),
    };
    let connections = connection_limits(&args);
    let router = app(settings)?;
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    let listeners = bind(args.listen, workers).map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let address = listeners[0].local_addr().map_err(|e| e.to_string())?;
    tracing::info!(%address, upstream = %origin, workers, "listening");
    if args.static_dir.is_some() {
        println!("oms-progress-proxy: open http://{address}/");
    }
    serve_on_threads(listeners, router, connections, shutdown_signal()).await.map_err(|e| e.to_string())?;
    tracing::info!("stopped");
    Ok(())
}

/// The connection caps the flags ask for, within what the descriptor limit allows.
fn connection_limits(args: &Args) -> Connections {
    let asked = args.max_connections as usize;
    let descriptors = raise_descriptor_limit();
    let max_total = match descriptors.map(connections_for) {
        Some(room) if room < asked => {
            tracing::info!(max_connections = room, descriptors, "--max-connections lowered to 3/4 of the descriptor limit");
            room
        }
        _ => asked,
    };
    let max_per_client = match args.trust_forwarded_for {
        Some(_) => None, // the peers are the trusted proxies in front
        None => NonZeroUsize::new(args.max_connections_per_client as usize),
    };
    Connections { header_timeout: args.header_timeout, max_total, max_per_client }
}

/// Ctrl-C or SIGTERM: stop accepting, let requests in flight finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
    tracing::info!("shutting down");
}
