//! Who a request comes from, as the rate limit and the connection caps count clients, and what
//! that client may still cost OMS and the portal's auth endpoint.

use crate::refusal::Refusal;
use axum::http::HeaderMap;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::num::NonZeroU32;

/// The address a client is counted under: an IPv4 address (IPv4-mapped IPv6 included) as it
/// is, an IPv6 address by its /64, the block one host or one subscriber usually holds whole.
pub fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
        v4 => v4,
    }
}

/// An `X-Forwarded-For` entry as proxies write it: an address, with or without a port
/// (`192.0.2.9`, `192.0.2.9:5678`, `2001:db8::1`, `[2001:db8::1]`, `[2001:db8::1]:443`).
pub fn parse_forwarded(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim().trim_matches('"');
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| entry.strip_prefix('[')?.strip_suffix(']')?.parse().ok())
}

/// The client a request counts against, by [`client_key`]: the peer, or with `trusted_hops`
/// proxies in front the right-most `X-Forwarded-For` entry they did not write themselves
/// (entries further left were written by the client and prove nothing). An entry that is no
/// address counts as the peer.
pub fn client_of(trusted_hops: usize, peer: Option<SocketAddr>, headers: &HeaderMap) -> IpAddr {
    let peer = peer.map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |p| p.ip());
    if trusted_hops == 0 {
        return client_key(peer);
    }
    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .collect();
    // The nearest trusted proxy appended the address it saw; each one further out did too.
    let forwarded = entries.len().checked_sub(trusted_hops).and_then(|i| parse_forwarded(entries[i]));
    client_key(forwarded.unwrap_or(peer))
}

/// The per-client rate limit on what costs someone else: calls to OMS and to `--auth-url`.
pub struct RateLimit(DefaultKeyedRateLimiter<IpAddr>);

impl RateLimit {
    /// `rate` calls a second per client, in bursts of twice as many.
    pub fn new(rate: NonZeroU32) -> Self {
        let burst = rate.saturating_mul(NonZeroU32::new(2).expect("2 is not zero"));
        RateLimit(RateLimiter::keyed(Quota::per_second(rate).allow_burst(burst)))
    }

    /// Forgets clients that have gone quiet, so a stream of new addresses cannot grow memory.
    pub fn forget_quiet_clients(&self) {
        self.0.retain_recent();
    }
}

/// What one request's client may still spend: each call that would reach OMS or the auth
/// endpoint costs one token of the client's rate limit; answers already held cost nothing.
#[derive(Clone, Copy)]
pub struct Budget<'a> {
    limit: Option<&'a RateLimit>,
    client: IpAddr,
}

impl<'a> Budget<'a> {
    /// The budget of `client` under `limit` (`None`: unlimited).
    pub fn new(limit: Option<&'a RateLimit>, client: IpAddr) -> Self {
        Budget { limit, client }
    }

    /// Takes one call from the budget, or refuses.
    pub fn spend(&self) -> Result<(), Refusal> {
        match self.limit {
            Some(limit) if limit.0.check_key(&self.client).is_err() => Err(Refusal::RateLimited),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn one_client_one_key() {
        assert_eq!(client_key(ip("::ffff:192.0.2.9")), ip("192.0.2.9"));
        assert_eq!(client_key(ip("192.0.2.9")), ip("192.0.2.9"));
        assert_eq!(client_key(ip("2001:db8:1:2::1")), client_key(ip("2001:db8:1:2:ffff::9")));
        assert_ne!(client_key(ip("2001:db8:1:2::1")), client_key(ip("2001:db8:1:3::1")));
    }

    #[test]
    fn forwarded_entries_with_and_without_ports() {
        for (entry, expected) in [
            ("192.0.2.9", "192.0.2.9"),
            (" 192.0.2.9:5678", "192.0.2.9"),
            ("2001:db8::1", "2001:db8::1"),
            ("[2001:db8::1]", "2001:db8::1"),
            ("[2001:db8::1]:443", "2001:db8::1"),
            ("\"[2001:db8::1]:443\"", "2001:db8::1"),
        ] {
            assert_eq!(parse_forwarded(entry), Some(ip(expected)), "{entry}");
        }
        for bad in ["", "unknown", "_hidden", "1.2.3", "[::1", "192.0.2.9:port"] {
            assert_eq!(parse_forwarded(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_client_is_the_right_most_address_no_trusted_hop_wrote() {
        let peer: Option<SocketAddr> = Some("10.0.0.9:4000".parse().unwrap());
        let mut headers = HeaderMap::new();
        // The client wrote 6.6.6.6 itself; the first proxy appended 203.0.113.7, the second 10.0.0.5.
        headers.insert("x-forwarded-for", HeaderValue::from_static("6.6.6.6, 203.0.113.7:5678"));
        headers.append("x-forwarded-for", HeaderValue::from_static("10.0.0.5"));
        assert_eq!(client_of(0, peer, &headers), ip("10.0.0.9"));
        assert_eq!(client_of(1, peer, &headers), ip("10.0.0.5"));
        assert_eq!(client_of(2, peer, &headers), ip("203.0.113.7"));
        assert_eq!(client_of(4, peer, &headers), ip("10.0.0.9"), "fewer entries than hops: the peer");
        headers.insert("x-forwarded-for", HeaderValue::from_static("not-an-ip"));
        assert_eq!(client_of(1, peer, &headers), ip("10.0.0.9"));
    }
}
