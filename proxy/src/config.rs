//! Command-line flags and environment: everything `oms-progress-proxy` can be told.

use crate::access::{Access, ForwardAuth, JwtKeys, JwtRules, Pattern};
use crate::upstream::Credentials;
use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Reference proxy for <oms-progress-card>: forwards only the read-only calls the card needs to
/// OMS, adding the OMS credentials server-side.
#[derive(Parser, Debug)]
#[command(name = "oms-progress-proxy", version)]
pub struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR:PORT")]
    pub listen: SocketAddr,

    /// OMS origin to forward to, e.g. http://oms.internal:8089.
    #[arg(long, value_name = "URL")]
    pub upstream: String,

    /// A file holding the OMS credentials: `username:password` on one line (the password may
    /// contain ':'), or the username and the password on two lines. Overrides OMS_USERNAME /
    /// OMS_PASSWORD.
    #[arg(long, value_name = "FILE")]
    pub credentials_file: Option<PathBuf>,

    /// Seconds an OMS answer is reused for further requests of the same id (0: only
    /// concurrent requests share one call; at most 3600).
    #[arg(long, default_value = "2", value_name = "SECONDS", value_parser = seconds(true, 3600))]
    pub cache_ttl: Duration,

    /// Seconds to wait for OMS before answering 504 (at most 600).
    #[arg(long, default_value = "10", value_name = "SECONDS", value_parser = seconds(false, 600))]
    pub upstream_timeout: Duration,

    /// Seconds a client may take to send a request's head, from connecting or from its
    /// previous answer: silent, dribbling and idle keep-alive connections are closed after it.
    #[arg(long, default_value = "10", value_name = "SECONDS", value_parser = seconds(false, 600))]
    pub header_timeout: Duration,

    /// Connections held at most (lowered to 3/4 of the descriptor limit when that is less).
    #[arg(long, default_value_t = 4096, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,

    /// Connections one client address (an IPv6 /64) may hold (0: no cap). Not applied with
    /// --trust-forwarded-for, where the peers are your own proxies.
    #[arg(long, default_value_t = 256, value_name = "N")]
    pub max_connections_per_client: u32,

    /// Origins of admin pages that may call the proxy from elsewhere (repeat or comma-separate).
    /// Without it, only pages of the proxy's own origin can (same-origin).
    #[arg(long, value_name = "ORIGIN", value_delimiter = ',')]
    pub allow_origin: Vec<String>,

    /// Requests per second per client that would reach OMS or --auth-url (bursts of twice as
    /// many); answers and decisions the proxy already holds are never limited. 0 disables it.
    #[arg(long, default_value_t = 50, value_name = "N")]
    pub rate_limit: u32,

    /// Largest request body accepted, in bytes.
    #[arg(long, default_value_t = 16 * 1024, value_name = "BYTES")]
    pub max_body: usize,

    /// Behind HOPS trusted proxies (default 1) that append to X-Forwarded-For: count requests
    /// against the right-most address they did not write (never one the client wrote).
    #[arg(long, value_name = "HOPS", num_args = 0..=1, default_missing_value = "1")]
    pub trust_forwarded_for: Option<usize>,

    /// Only these task ids may be read (repeatable; `*` matches any run of characters).
    #[arg(long, value_name = "PATTERN")]
    pub allow_project: Vec<String>,

    /// Require a JWT signed with the HS256 secret in FILE (at least 32 bytes).
    #[arg(long, value_name = "FILE", group = "jwt_key")]
    pub jwt_hs256_secret_file: Option<PathBuf>,

    /// Require a JWT signed by the PEM public key in FILE (RSA: RS256, EC P-256: ES256,
    /// Ed25519: EdDSA).
    #[arg(long, value_name = "FILE", group = "jwt_key")]
    pub jwt_public_key_file: Option<PathBuf>,

    /// Require a JWT signed by a key of the JWKS document in FILE, chosen by the token's kid.
    #[arg(long, value_name = "FILE", group = "jwt_key")]
    pub jwks_file: Option<PathBuf>,

    /// Also take the JWT from the cookie NAME (after Authorization: Bearer).
    #[arg(long, value_name = "NAME", requires = "jwt_key")]
    pub jwt_cookie: Option<String>,

    /// Require this `iss` in the JWT.
    #[arg(long, value_name = "ISSUER", requires = "jwt_key")]
    pub jwt_issuer: Option<String>,

    /// Require this `aud` in the JWT.
    #[arg(long, value_name = "AUDIENCE", requires = "jwt_key")]
    pub jwt_audience: Option<String>,

    /// Forward auth: ask GET URL (with the viewer's Cookie and Authorization and
    /// X-OMS-Project-Id) whether the viewer may see the task; 2xx allows, 401/403 refuse,
    /// anything else refuses with 503.
    #[arg(long, value_name = "URL")]
    pub auth_url: Option<String>,

    /// Seconds to wait for --auth-url before refusing (at most 60).
    #[arg(long, default_value = "2", value_name = "SECONDS", value_parser = seconds(false, 60))]
    pub auth_timeout: Duration,

    /// Seconds a --auth-url decision is reused for the same credentials and id (0: ask every
    /// time; at most 3600).
    #[arg(long, default_value = "5", value_name = "SECONDS", value_parser = seconds(true, 3600))]
    pub auth_cache_ttl: Duration,

    /// Also serve this directory at / (the demo page and pkg/).
    #[arg(long = "static", value_name = "DIR")]
    pub static_dir: Option<PathBuf>,

    /// Log format.
    #[arg(long, default_value = "text", value_parser = ["text", "json"])]
    pub log_format: String,
}

/// A parser of seconds up to `max` (from 0 when `zero` is allowed, else above 0), so that no
/// value can overflow a duration.
fn seconds(zero: bool, max: u64) -> impl Fn(&str) -> Result<Duration, String> + Clone + Send + Sync + 'static {
    move |s: &str| {
        let low = if zero { "from 0" } else { "above 0" };
        match s.trim().parse::<f64>() {
            Ok(v) if v.is_finite() && v <= max as f64 && (v > 0.0 || (zero && v == 0.0)) => {
                Duration::try_from_secs_f64(v.abs()).map_err(|e| e.to_string())
            }
            _ => Err(format!("{s:?} is not a number of seconds {low} up to {max}")),
        }
    }
}

/// Parses a credentials file: `user:password` on one line, or user and password on two.
pub fn parse_credentials(text: &str) -> Result<Credentials, String> {
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).filter(|l| !l.is_empty()).collect();
    let (username, password) = match lines.as_slice() {
        [line] => line.split_once(':').ok_or("the credentials file must hold user:password or two lines")?,
        [username, password] => (*username, *password),
        _ => return Err("the credentials file must hold user:password or two lines".into()),
    };
    if username.is_empty() {
        return Err("the credentials file names no user".into());
    }
    Ok(Credentials { username: username.to_owned(), password: password.to_owned() })
}

/// The credentials from `--credentials-file`, else from OMS_USERNAME / OMS_PASSWORD.
pub fn load_credentials(file: Option<&PathBuf>) -> Result<Credentials, String> {
    if let Some(path) = file {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read --credentials-file {}: {e}", path.display()))?;
        return parse_credentials(&text).map_err(|e| format!("{}: {e}", path.display()));
    }
    match (std::env::var("OMS_USERNAME"), std::env::var("OMS_PASSWORD")) {
        (Ok(username), Ok(password)) if !username.is_empty() => Ok(Credentials { username, password }),
        _ => Err("set OMS_USERNAME and OMS_PASSWORD, or --credentials-file, with the OMS account the proxy uses".into()),
    }
}

/// The access rules the flags describe; files are read and keys parsed now, so a bad key stops
/// the proxy at start instead of refusing every viewer later.
pub fn load_access(args: &Args) -> Result<Access, String> {
    let read = |flag: &str, path: &PathBuf| std::fs::read(path).map_err(|e| format!("cannot read --{flag} {}: {e}", path.display()));
    let keys = match (&args.jwt_hs256_secret_file, &args.jwt_public_key_file, &args.jwks_file) {
        (Some(path), _, _) => Some(("jwt-hs256-secret-file", path, JwtKeys::Hs256Secret(read("jwt-hs256-secret-file", path)?))),
        (_, Some(path), _) => Some(("jwt-public-key-file", path, JwtKeys::PublicKeyPem(read("jwt-public-key-file", path)?))),
        (_, _, Some(path)) => Some(("jwks-file", path, JwtKeys::Jwks(read("jwks-file", path)?))),
        _ => None,
    };
    let jwt = keys
        .map(|(flag, path, keys)| {
            JwtRules::new(keys, args.jwt_cookie.clone(), args.jwt_issuer.as_deref(), args.jwt_audience.as_deref())
                .map_err(|e| format!("--{flag} {}: {e}", path.display()))
        })
        .transpose()?;
    let forward = args
        .auth_url
        .as_deref()
        .map(|url| ForwardAuth::new(url, args.auth_timeout, args.auth_cache_ttl))
        .transpose()?;
    let allow = args.allow_project.iter().flat_map(|p| p.split(',')).filter(|p| !p.trim().is_empty()).map(Pattern::new).collect();
    Ok(Access { allow, jwt, forward })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_files() {
        let c = parse_credentials("ops:pa:ss:word\n").unwrap();
        assert_eq!((c.username.as_str(), c.password.as_str()), ("ops", "pa:ss:word"));
        let c = parse_credentials("ops\r\nsecret: with colon\r\n").unwrap();
        assert_eq!((c.username.as_str(), c.password.as_str()), ("ops", "secret: with colon"));
        assert!(parse_credentials("").is_err());
        assert!(parse_credentials("nocolon").is_err());
        assert!(parse_credentials(":pw").is_err());
        assert!(parse_credentials("a\nb\nc").is_err());
    }

    #[test]
    fn durations_that_do_not_fit_are_refused() {
        let ttl = seconds(true, 3600);
        assert_eq!(ttl("0"), Ok(Duration::ZERO));
        assert_eq!(ttl("-0"), Ok(Duration::ZERO));
        assert_eq!(ttl("2.5"), Ok(Duration::from_millis(2500)));
        for bad in ["1e20", "3601", "-1", "NaN", "inf", "", "two"] {
            assert!(ttl(bad).is_err(), "{bad}");
        }
        assert!(seconds(false, 60)("0").is_err());
    }

    #[test]
    fn debug_output_hides_the_password() {
        let c = parse_credentials("ops:hunter2").unwrap();
        assert!(!format!("{c:?}").contains("hunter2"));
    }
}
