//! `--static DIR`: the files of one folder and nothing else. No dotfile or dot-folder (`.git`,
//! `.env`), no link leading out of the folder, no redirect off this origin; compressed on the fly
//! only when small (a large file would hold a worker thread), precompressed `.br` / `.gz`
//! siblings served as they are; caching that fits each file.

use crate::refusal::Refusal;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use percent_encoding::percent_decode_str;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower_http::CompressionLevel;
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

/// The largest file compressed on the fly (the widget's wasm is ~200 KB).
pub const MAX_COMPRESSED_ON_THE_FLY: u64 = 1 << 20;

/// The files of `dir`, served at `/`.
pub fn static_files(dir: &Path) -> std::io::Result<Router> {
    let root = Arc::new(dir.canonicalize()?);
    let files = ServeDir::new(root.as_path())
        .append_index_html_on_directories(true)
        .precompressed_br()
        .precompressed_gzip()
        .not_found_service(any(|| async { Refusal::NotFound }));
    // A fast level: on the fly, speed matters more than the last percent.
    let compression = CompressionLayer::new().quality(CompressionLevel::Precise(4)).compress_when(DefaultPredicate::new().and(SmallEnough));
    Ok(Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(cache_policy))
        .layer(compression)
        .layer(middleware::from_fn_with_state(root, guard)))
}

/// Compress only responses whose length is known and small.
#[derive(Clone, Copy)]
struct SmallEnough;

impl Predicate for SmallEnough {
    fn should_compress<B: axum::body::HttpBody>(&self, response: &axum::http::Response<B>) -> bool {
        let length = response.body().size_hint().exact().or_else(|| {
            response.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok())
        });
        length.is_some_and(|n| n <= MAX_COMPRESSED_ON_THE_FLY)
    }
}

/// What reaches the files: only paths that name a file inside the folder, by GET or HEAD, with
/// the request's conditions made safe; and what leaves: no redirect off this origin.
async fn guard(State(root): State<Arc<PathBuf>>, mut request: Request, next: Next) -> Response {
    if resolve(&root, request.uri().path()).await.is_none() {
        return Refusal::NotFound.into_response();
    }
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return Refusal::method_not_allowed("GET, HEAD");
    }
    let headers = request.headers_mut();
    // ServeDir answers a Range without checking If-Range; ignoring the range is always allowed.
    if headers.contains_key(header::IF_RANGE) {
        headers.remove(header::RANGE);
    }
    // "identity;q=0" with nothing else acceptable: the file as it is, rather than a 406 that
    // carries it anyway.
    if let Some(accepted) = headers.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).map(without_refused_identity) {
        match accepted {
            Some(value) => headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static("identity"))),
            None => headers.remove(header::ACCEPT_ENCODING),
        };
    }
    let response = next.run(request).await;
    let location = response.headers().get(header::LOCATION).map(HeaderValue::as_bytes).unwrap_or_default();
    if !location.is_empty() && (!location.starts_with(b"/") || location.starts_with(b"//") || location.starts_with(b"/\\")) {
        return Refusal::NotFound.into_response();
    }
    response
}

/// The real path a request path names inside `root`, if it names one there: no dot segment
/// (dotfiles, dot-folders, `..`), no empty segment (`//`), no backslash or NUL, and no link
/// that leads out of `root` (for a folder, nor its index.html).
async fn resolve(root: &Path, path: &str) -> Option<PathBuf> {
    let decoded = percent_decode_str(path).decode_utf8().ok()?;
    let segments: Vec<&str> = decoded.strip_prefix('/')?.split('/').collect();
    let mut file = root.to_path_buf();
    for (i, segment) in segments.iter().enumerate() {
        if segment.is_empty() && i + 1 == segments.len() {
            break; // a folder's trailing slash
        }
        if segment.is_empty() || segment.starts_with('.') || segment.contains(['\\', '\0']) {
            return None;
        }
        file.push(segment);
    }
    let real = tokio::fs::canonicalize(&file).await.ok()?;
    if !real.starts_with(root) {
        return None;
    }
    if tokio::fs::metadata(&real).await.ok()?.is_dir()
        && let Ok(index) = tokio::fs::canonicalize(real.join("index.html")).await
        && !index.starts_with(root)
    {
        return None;
    }
    Some(real)
}

/// An `Accept-Encoding` value without the items refusing `identity` (or `*`); `None` when
/// nothing is left.
fn without_refused_identity(value: &str) -> Option<String> {
    let kept: Vec<&str> = value
        .split(',')
        .map(str::trim)
        .filter(|item| {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or_default().trim();
            let refused = parts.any(|p| p.trim().strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()) == Some(0.0));
            !(refused && (coding.eq_ignore_ascii_case("identity") || coding == "*"))
        })
        .filter(|item| !item.is_empty())
        .collect();
    (!kept.is_empty()).then(|| kept.join(", "))
}

/// Caching that fits each file: a content-hashed name never changes (a year, immutable);
/// anything else is revalidated on every use (`no-cache`, answered 304 while unchanged).
async fn cache_policy(request: Request, next: Next) -> Response {
    let hashed = is_content_hashed(request.uri().path());
    let mut response = next.run(request).await;
    if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
        let policy = if hashed { "public, max-age=31536000, immutable" } else { "no-cache" };
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    response
}

/// Whether a file name carries a content hash as bundlers write it (`index-IVLz2LXk.js`,
/// `main-SSJFLBXD.js`): a last `-` part of 8 or more letters and digits before the extension.
fn is_content_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let stem = name.split('.').next().unwrap_or_default();
    stem.rsplit_once('-').is_some_and(|(_, hash)| hash.len() >= 8 && hash.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hashed_names_are_told_apart() {
        for hashed in ["/assets/index-IVLz2LXk.js", "/main-SSJFLBXD.js", "/assets/oms_progress_card_bg-C7PMWMQV.wasm"] {
            assert!(is_content_hashed(hashed), "{hashed}");
        }
        for plain in ["/", "/index.html", "/pkg/oms_progress_card.js", "/pkg/oms_progress_card_bg.wasm", "/demo/demo.js", "/x-y.js"] {
            assert!(!is_content_hashed(plain), "{plain}");
        }
    }

    #[test]
    fn refusing_identity_is_dropped_and_the_rest_kept() {
        assert_eq!(without_refused_identity("identity;q=0"), None);
        assert_eq!(without_refused_identity("gzip, identity;q=0").as_deref(), Some("gzip"));
        assert_eq!(without_refused_identity("br;q=1.0, *;q=0").as_deref(), Some("br;q=1.0"));
        assert_eq!(without_refused_identity("gzip, br").as_deref(), Some("gzip, br"));
        assert_eq!(without_refused_identity("identity;q=0.5").as_deref(), Some("identity;q=0.5"));
    }
}
