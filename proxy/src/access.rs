//! Who may see which task. Every forwarded request is checked here before the cache and before
//! coalescing, so a viewer never receives an answer fetched for a viewer allowed more. Three
//! rules, each optional and all of them applied when configured: a static allow-list of task id
//! patterns, a JWT (its `oms_projects` claim lists the viewer's patterns), and forward auth to the
//! portal. A refusal names the rule for the log; it never carries a token, cookie or password.

use crate::refusal::Refusal;
use axum::http::{HeaderMap, HeaderValue, header};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, JwkSet, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::Value;
use sha2::{Digest, Sha256};
use crate::client::Budget;
use crate::coalesce::shared;
use moka::future::Cache;
use std::str::FromStr;
use wildmatch::WildMatchPattern;
use std::time::Duration;

/// Seconds of clock difference tolerated on `exp` and `nbf`.
pub const JWT_LEEWAY_SECONDS: u64 = 30;
/// The JWT claim listing the task id patterns a viewer may read.
pub const PROJECTS_CLAIM: &str = "oms_projects";
/// The header telling forward auth which task is asked for.
pub const PROJECT_ID_HEADER: &str = "x-oms-project-id";
/// Forward-auth decisions remembered at most (a flood of distinct credentials must not grow memory).
const MAX_DECISIONS: u64 = 10_000;

/// A task id pattern: `*` matches any run of characters, everything else itself (`?` too:
/// ids never hold one).
#[derive(Clone, Debug, PartialEq)]
pub struct Pattern(WildMatchPattern<'*', '\u{0}'>);

impl Pattern {
    /// A pattern as written.
    pub fn new(pattern: &str) -> Self {
        Pattern(WildMatchPattern::new(pattern.trim()))
    }

    /// Whether `id` matches, whole.
    pub fn matches(&self, id: &str) -> bool {
        self.0.matches(id)
    }
}

fn any_matches(patterns: &[Pattern], id: &str) -> bool {
    patterns.iter().any(|p| p.matches(id))
}

/// Why a request was refused: the answer, and which rule said no (for the log).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Denied {
    /// What the viewer is told.
    pub refusal: Refusal,
    /// The rule and reason, e.g. `jwt: expired`; never a credential.
    pub rule: &'static str,
}

impl Denied {
    fn unauthenticated(rule: &'static str) -> Self {
        Denied { refusal: Refusal::Unauthenticated, rule }
    }
    fn forbidden(rule: &'static str) -> Self {
        Denied { refusal: Refusal::ForbiddenProject, rule }
    }
}

impl From<Refusal> for Denied {
    /// The client's budget ran out before the portal was asked.
    fn from(refusal: Refusal) -> Self {
        Denied { refusal, rule: "rate limit" }
    }
}

/// What a viewer presented: the only request headers any rule reads.
#[derive(Clone, Default)]
pub struct ViewerCredentials {
    authorization: Option<HeaderValue>,
    cookie: Option<HeaderValue>,
}

impl std::fmt::Debug for ViewerCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never printed, not even in debug output.
        f.write_str("ViewerCredentials(<redacted>)")
    }
}

impl ViewerCredentials {
    /// The viewer's `Authorization` and `Cookie` headers (several `Cookie` headers joined).
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let cookies: Vec<&[u8]> = headers.get_all(header::COOKIE).iter().map(HeaderValue::as_bytes).collect();
        let cookie = (!cookies.is_empty()).then(|| HeaderValue::from_bytes(&cookies.join(&b"; "[..])).ok()).flatten();
        ViewerCredentials { authorization: headers.get(header::AUTHORIZATION).cloned(), cookie }
    }

    fn bearer(&self) -> Option<&str> {
        let value = self.authorization.as_ref()?.to_str().ok()?;
        let (scheme, token) = value.trim().split_once(' ')?;
        scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
    }

    /// The cookie `name`, read byte by byte: another cookie's non-ASCII value (`name=José`)
    /// must not hide it. A value that is not ASCII is no token.
    fn cookie(&self, name: &str) -> Option<&str> {
        let cookies = self.cookie.as_ref()?.as_bytes();
        let value = cookies.split(|&b| b == b';').find_map(|pair| {
            let eq = pair.iter().position(|&b| b == b'=')?;
            (pair[..eq].trim_ascii() == name.as_bytes()).then(|| pair[eq + 1..].trim_ascii())
        })?;
        std::str::from_utf8(value).ok().filter(|v| v.is_ascii()).map(|v| v.trim_matches('"'))
    }

    /// A digest of everything a decision may depend on: the credentials and the id.
    fn digest(&self, id: &str) -> [u8; 32] {
        let mut hash = Sha256::new();
        for part in [self.authorization.as_ref().map(HeaderValue::as_bytes), self.cookie.as_ref().map(HeaderValue::as_bytes)] {
            let part = part.unwrap_or_default();
            hash.update((part.len() as u64).to_be_bytes());
            hash.update(part);
        }
        hash.update(id.as_bytes());
        hash.finalize().into()
    }
}

/// A verification key and the one algorithm it verifies.
struct Key {
    kid: Option<String>,
    key: DecodingKey,
    validation: Validation,
}

/// JWT verification: keys, where the token comes from, and the claims required.
pub struct JwtRules {
    keys: Vec<Key>,
    cookie: Option<String>,
}

/// What a JWT rule is built from.
pub enum JwtKeys {
    /// An HS256 shared secret.
    Hs256Secret(Vec<u8>),
    /// A PEM public key: RSA (RS256), EC P-256 (ES256) or Ed25519 (EdDSA).
    PublicKeyPem(Vec<u8>),
    /// A JWKS document (`{"keys": [...]}`); tokens name their key with `kid`.
    Jwks(Vec<u8>),
}

impl JwtRules {
    /// Rules for tokens verified by `keys`, read from `Authorization: Bearer` or the cookie
    /// `cookie`, with `issuer` and `audience` required when given.
    pub fn new(keys: JwtKeys, cookie: Option<String>, issuer: Option<&str>, audience: Option<&str>) -> Result<Self, String> {
        let validation = |alg: Algorithm| {
            let mut v = Validation::new(alg);
            v.leeway = JWT_LEEWAY_SECONDS;
            v.validate_nbf = true;
            let mut required = vec!["exp"];
            if let Some(issuer) = issuer {
                v.set_issuer(&[issuer]);
                required.push("iss");
            }
            match audience {
                Some(audience) => {
                    v.set_audience(&[audience]);
                    required.push("aud");
                }
                None => v.validate_aud = false,
            }
            v.set_required_spec_claims(&required);
            v
        };
        let keys = match keys {
            JwtKeys::Hs256Secret(secret) => {
                let secret = trim_line_end(&secret);
                if secret.len() < 32 {
                    return Err("the HS256 secret must be at least 32 bytes".into());
                }
                vec![Key { kid: None, key: DecodingKey::from_secret(secret), validation: validation(Algorithm::HS256) }]
            }
            JwtKeys::PublicKeyPem(pem) => {
                if pem.windows(11).any(|w| w == b"PRIVATE KEY") {
                    return Err("this is a private key: give the proxy the public key only (openssl pkey -pubout)".into());
                }
                let (key, alg) = DecodingKey::from_rsa_pem(&pem)
                    .map(|k| (k, Algorithm::RS256))
                    .or_else(|_| DecodingKey::from_ec_pem(&pem).map(|k| (k, Algorithm::ES256)))
                    .or_else(|_| DecodingKey::from_ed_pem(&pem).map(|k| (k, Algorithm::EdDSA)))
                    .map_err(|_| "the public key must be a PEM RSA, EC P-256 or Ed25519 public key".to_owned())?;
                vec![Key { kid: None, key, validation: validation(alg) }]
            }
            JwtKeys::Jwks(json) => {
                let set: JwkSet = serde_json::from_slice(&json).map_err(|e| format!("not a JWKS document: {e}"))?;
                let mut keys = Vec::new();
                for jwk in &set.keys {
                    let encryption = matches!(jwk.common.key_algorithm, Some(KeyAlgorithm::RSA1_5 | KeyAlgorithm::RSA_OAEP | KeyAlgorithm::RSA_OAEP_256));
                    if encryption || matches!(jwk.common.public_key_use, Some(ref u) if *u != PublicKeyUse::Signature) {
                        continue; // an encryption key never verifies a signature
                    }
                    let alg = match (jwk.common.key_algorithm, &jwk.algorithm) {
                        (Some(named), _) => Algorithm::from_str(&named.to_string()).ok(),
                        (None, AlgorithmParameters::RSA(_)) => Some(Algorithm::RS256),
                        (None, AlgorithmParameters::EllipticCurve(p)) if p.curve == EllipticCurve::P256 => Some(Algorithm::ES256),
                        (None, AlgorithmParameters::EllipticCurve(p)) if p.curve == EllipticCurve::P384 => Some(Algorithm::ES384),
                        (None, AlgorithmParameters::OctetKeyPair(_)) => Some(Algorithm::EdDSA),
                        (None, AlgorithmParameters::OctetKey(_)) => Some(Algorithm::HS256),
                        _ => None,
                    };
                    let kid = jwk.common.key_id.clone();
                    let alg = alg.ok_or_else(|| format!("JWKS key {kid:?}: no signature algorithm for it"))?;
                    let key = DecodingKey::from_jwk(jwk).map_err(|e| format!("JWKS key {kid:?}: {e}"))?;
                    if key.family() != alg.family() {
                        return Err(format!("JWKS key {kid:?}: its alg does not fit its key type"));
                    }
                    keys.push(Key { kid, key, validation: validation(alg) });
                }
                if keys.is_empty() {
                    return Err("the JWKS document holds no signing key".into());
                }
                keys
            }
        };
        Ok(JwtRules { keys, cookie })
    }

    /// The viewer's task patterns from a valid token, or why there is none.
    fn verify(&self, viewer: &ViewerCredentials) -> Result<Vec<Pattern>, Denied> {
        let token = viewer
            .bearer()
            .or_else(|| self.cookie.as_deref().and_then(|name| viewer.cookie(name)))
            .filter(|t| !t.is_empty())
            .ok_or(Denied::unauthenticated("jwt: no token"))?;
        let header = jsonwebtoken::decode_header(token).map_err(|_| Denied::unauthenticated("jwt: malformed or unsupported alg"))?;
        let key = match &header.kid {
            Some(kid) if self.keys.iter().any(|k| k.kid.is_some()) => {
                self.keys.iter().find(|k| k.kid.as_ref() == Some(kid)).ok_or(Denied::unauthenticated("jwt: unknown kid"))?
            }
            _ if self.keys.len() == 1 => &self.keys[0],
            Some(_) => return Err(Denied::unauthenticated("jwt: unknown kid")),
            None => return Err(Denied::unauthenticated("jwt: no kid")),
        };
        // The algorithm is the key's, never the token's choice: no `none`, no HS256 with a public key.
        if !key.validation.algorithms.contains(&header.alg) {
            return Err(Denied::unauthenticated("jwt: algorithm not allowed"));
        }
        let claims = jsonwebtoken::decode::<Value>(token, &key.key, &key.validation).map_err(|e| {
            Denied::unauthenticated(match e.kind() {
                ErrorKind::ExpiredSignature => "jwt: expired",
                ErrorKind::ImmatureSignature => "jwt: not yet valid",
                ErrorKind::InvalidIssuer => "jwt: wrong issuer",
                ErrorKind::InvalidAudience => "jwt: wrong audience",
                ErrorKind::MissingRequiredClaim(_) => "jwt: missing exp, iss or aud",
                ErrorKind::InvalidSignature => "jwt: bad signature",
                ErrorKind::InvalidAlgorithm => "jwt: algorithm not allowed",
                _ => "jwt: invalid",
            })
        })?;
        Ok(match claims.claims.get(PROJECTS_CLAIM) {
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(Pattern::new).collect(),
            Some(Value::String(one)) => vec![Pattern::new(one)],
            _ => Vec::new(),
        })
    }
}

fn trim_line_end(bytes: &[u8]) -> &[u8] {
    let end = bytes.iter().rposition(|b| !matches!(b, b'\n' | b'\r')).map_or(0, |i| i + 1);
    &bytes[..end]
}

/// A forward-auth decision: allowed, or refused (401/403) with the rule that said so.
type Decision = Result<(), Denied>;

/// Forward auth: the portal decides, per viewer and task.
pub struct ForwardAuth {
    client: reqwest::Client,
    url: reqwest::Url,
    timeout: Duration,
    /// Decisions by digest of (credentials, id): bounded, each kept for the TTL; a flood of
    /// distinct credentials evicts the least used, never everything at once.
    decisions: Cache<[u8; 32], Decision>,
}

impl ForwardAuth {
    /// Asks `url` (http or https), waiting at most `timeout`; decisions are reused for `ttl`.
    pub fn new(url: &str, timeout: Duration, ttl: Duration) -> Result<Self, String> {
        // A redirect (to a login page) is neither a yes nor a no: refused as unavailable.
        let (url, client) = (crate::upstream::http_url("auth-url", url)?, crate::upstream::http_client(timeout)?);
        let decisions = Cache::builder().max_capacity(MAX_DECISIONS).time_to_live(ttl).build();
        Ok(ForwardAuth { client, url, timeout, decisions })
    }

    /// The portal's decision for `viewer` and `id`: remembered, or asked once for everyone
    /// asking at once, a question charged to `budget` like a call to OMS.
    async fn decide(&self, viewer: &ViewerCredentials, id: &str, budget: Budget<'_>) -> Result<(), Denied> {
        let ask = || async {
            let mut request = self.client.get(self.url.clone()).header(PROJECT_ID_HEADER, id);
            if let Some(cookie) = &viewer.cookie {
                request = request.header(header::COOKIE, cookie.clone());
            }
            if let Some(authorization) = &viewer.authorization {
                request = request.header(header::AUTHORIZATION, authorization.clone());
            }
            match tokio::time::timeout(self.timeout, request.send()).await {
                Ok(Ok(answer)) if answer.status().is_success() => Ok(Ok(())),
                Ok(Ok(answer)) if answer.status() == 401 => Ok(Err(Denied::unauthenticated("auth-url: 401"))),
                Ok(Ok(answer)) if answer.status() == 403 => Ok(Err(Denied::forbidden("auth-url: 403"))),
                // Fail closed, and do not remember: the next request asks again.
                Ok(Ok(_)) => Err(Denied { refusal: Refusal::AuthUnavailable, rule: "auth-url: unexpected status" }),
                Ok(Err(_)) => Err(Denied { refusal: Refusal::AuthUnavailable, rule: "auth-url: unreachable" }),
                Err(_) => Err(Denied { refusal: Refusal::AuthUnavailable, rule: "auth-url: timeout" }),
            }
        };
        shared(&self.decisions, &viewer.digest(id), budget, ask).await?.value
    }
}

/// Every rule the proxy applies; with none configured, every viewer may see every task.
#[derive(Default)]
pub struct Access {
    /// `--allow-project`: only these ids, for everyone.
    pub allow: Vec<Pattern>,
    /// JWT verification.
    pub jwt: Option<JwtRules>,
    /// Forward auth to the portal.
    pub forward: Option<ForwardAuth>,
}

impl Access {
    /// Whether any rule is configured.
    pub fn is_open(&self) -> bool {
        self.allow.is_empty() && self.jwt.is_none() && self.forward.is_none()
    }

    /// Whether `viewer` may read task `id`: who they are first (401), then what they may see
    /// (403). A question to the portal is charged to the client's `budget`.
    pub async fn check(&self, viewer: &ViewerCredentials, id: &str, budget: Budget<'_>) -> Result<(), Denied> {
        let granted = self.jwt.as_ref().map(|jwt| jwt.verify(viewer)).transpose()?;
        if !self.allow.is_empty() && !any_matches(&self.allow, id) {
            return Err(Denied::forbidden("allow-project"));
        }
        if let Some(patterns) = granted
            && !any_matches(&patterns, id)
        {
            return Err(Denied::forbidden("jwt: oms_projects"));
        }
        match &self.forward {
            Some(forward) => forward.decide(viewer, id, budget).await,
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_whole_ids_with_stars_for_any_run() {
        let cases = [
            ("np_*", "np_4g7h2k_orders", true),
            ("np_*", "xnp_1", false),
            ("np_4g7h2k_orders", "np_4g7h2k_orders", true),
            ("np_4g7h2k_orders", "np_4g7h2k_orders2", false),
            ("*_orders", "np_4g7h2k_orders", true),
            ("np_*_orders", "np_a_b_orders", true),
            ("np_*_orders", "np_orders", false),
            ("*", "anything", true),
            ("a*b*c", "aXbYbZc", true),
            ("a*b*c", "aXbYbZ", false),
            ("", "x", false),
        ];
        for (pattern, id, expected) in cases {
            assert_eq!(Pattern::new(pattern).matches(id), expected, "{pattern} ~ {id}");
        }
    }

    #[test]
    fn a_long_hostile_pattern_is_matched_quickly() {
        let pattern = Pattern::new(&"*a".repeat(2000));
        let id = "a".repeat(63) + "b";
        let started = std::time::Instant::now();
        assert!(!pattern.matches(&id));
        assert!(started.elapsed() < Duration::from_secs(1));
    }

    #[test]
    fn bearer_and_cookie_tokens_are_found_and_never_printed() {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer abc.def.ghi"));
        headers.append(header::COOKIE, HeaderValue::from_static("a=1; session=\"tok\""));
        headers.append(header::COOKIE, HeaderValue::from_static("portal_jwt=xyz"));
        let viewer = ViewerCredentials::from_headers(&headers);
        assert_eq!(viewer.bearer(), Some("abc.def.ghi"));
        assert_eq!(viewer.cookie("session"), Some("tok"));
        assert_eq!(viewer.cookie("portal_jwt"), Some("xyz"));
        assert_eq!(viewer.cookie("missing"), None);
        assert!(!format!("{viewer:?}").contains("abc"));
        assert_ne!(viewer.digest("np_1"), viewer.digest("np_2"));
    }

    #[test]
    fn keys_that_cannot_verify_are_refused_at_start() {
        assert!(JwtRules::new(JwtKeys::Hs256Secret(b"short\n".to_vec()), None, None, None).is_err());
        assert!(JwtRules::new(JwtKeys::PublicKeyPem(b"not a key".to_vec()), None, None, None).is_err());
        let private = b"-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n";
        let refused = JwtRules::new(JwtKeys::PublicKeyPem(private.to_vec()), None, None, None).err();
        assert!(refused.is_some_and(|e| e.contains("private key")));
        assert!(JwtRules::new(JwtKeys::Jwks(br#"{"keys":[]}"#.to_vec()), None, None, None).is_err());
        assert!(JwtRules::new(JwtKeys::Jwks(b"[]".to_vec()), None, None, None).is_err());
    }
}
