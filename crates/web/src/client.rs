//! The address a request comes from, for the per-address sign-in and sign-up limits.
//!
//! Behind a reverse proxy every request arrives from the proxy, so one attacker would lock
//! sign-in for the whole site. The operator names the proxies (`--trusted-proxy CIDR`); only
//! when the peer is one of them is `X-Forwarded-For` read, from the right (the hop the trusted
//! proxy added) leftwards, skipping further trusted proxies: the first address that is not a
//! trusted proxy is the client. Anything to its left was written by the client and is ignored.
//! Without trusted proxies, or from any other peer, the header is ignored and the peer is the
//! client, so nobody can choose their own address by sending the header.

use std::net::IpAddr;
use std::str::FromStr;

use axum::http::HeaderMap;
use ipnet::IpNet;

/// The reverse proxies whose `X-Forwarded-For` is believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    pub fn new(networks: Vec<IpNet>) -> Self {
        Self(networks)
    }

    fn trust(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client's address: the peer's, or, when the peer is a trusted proxy, the nearest
    /// untrusted address in `X-Forwarded-For` (a malformed header counts as absent).
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trust(peer) {
            return peer;
        }
        let mut hops = Vec::new();
        for value in headers.get_all("x-forwarded-for") {
            let Ok(text) = value.to_str() else {
                return peer;
            };
            for hop in text.split(',') {
                match parse_hop(hop.trim()) {
                    Some(ip) => hops.push(ip),
                    None => return peer,
                }
            }
        }
        let mut client = peer;
        for ip in hops.into_iter().rev() {
            client = ip;
            if !self.trust(ip) {
                break;
            }
        }
        client
    }
}

/// One `X-Forwarded-For` entry: an address, possibly with a port (`[::1]:443`, `1.2.3.4:80`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = IpAddr::from_str(hop) {
        return Some(ip);
    }
    std::net::SocketAddr::from_str(hop).ok().map(|s| s.ip())
}

/// Parses a `--trusted-proxy` value: a network in CIDR notation, or one address.
pub fn parse_network(value: &str) -> Result<IpNet, String> {
    IpNet::from_str(value)
        .or_else(|_| IpAddr::from_str(value).map(IpNet::from))
        .map_err(|_| format!("`{value}` is neither a network (10.0.0.0/8) nor an address"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", HeaderValue::from_str(v).expect("header"));
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("address")
    }

    fn proxies(nets: &[&str]) -> TrustedProxies {
        TrustedProxies::new(
            nets.iter()
                .map(|n| parse_network(n).expect("net"))
                .collect(),
        )
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        let none = TrustedProxies::default();
        assert_eq!(
            none.client(ip("10.0.0.5"), &headers(&["203.0.113.9"])),
            ip("10.0.0.5")
        );
    }

    #[test]
    fn from_an_untrusted_peer_the_header_is_ignored() {
        let trusted = proxies(&["10.0.0.0/8"]);
        assert_eq!(
            trusted.client(ip("198.51.100.7"), &headers(&["203.0.113.9"])),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn from_a_trusted_proxy_the_nearest_untrusted_hop_is_the_client() {
        let trusted = proxies(&["10.0.0.0/8", "192.0.2.1"]);
        // The client wrote a fake first entry; the edge proxy and an inner one added theirs.
        let h = headers(&["1.1.1.1, 203.0.113.9", "192.0.2.1"]);
        assert_eq!(trusted.client(ip("10.0.0.5"), &h), ip("203.0.113.9"));
        assert_eq!(
            trusted.client(ip("10.0.0.5"), &headers(&["[2001:db8::1]:443"])),
            ip("2001:db8::1")
        );
    }

    #[test]
    fn a_missing_or_malformed_header_leaves_the_peer() {
        let trusted = proxies(&["10.0.0.0/8"]);
        assert_eq!(
            trusted.client(ip("10.0.0.5"), &HeaderMap::new()),
            ip("10.0.0.5")
        );
        assert_eq!(
            trusted.client(ip("10.0.0.5"), &headers(&["203.0.113.9, not-an-address"])),
            ip("10.0.0.5")
        );
    }

    #[test]
    fn only_trusted_hops_give_the_leftmost() {
        let trusted = proxies(&["10.0.0.0/8"]);
        assert_eq!(
            trusted.client(ip("10.0.0.5"), &headers(&["10.1.1.1, 10.2.2.2"])),
            ip("10.1.1.1")
        );
    }

    #[test]
    fn networks_and_single_addresses_parse() {
        assert!(parse_network("10.0.0.0/8").is_ok());
        assert!(parse_network("2001:db8::/32").is_ok());
        assert_eq!(
            parse_network("192.0.2.1").expect("address"),
            parse_network("192.0.2.1/32").expect("network")
        );
        assert!(parse_network("example.com").is_err());
    }
}
