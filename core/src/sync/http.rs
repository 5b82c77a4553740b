//! The sync client's HTTP transport: one request shape for every phone.
//!
//! Every Waypoint client sends byte-for-byte the same request for the same URL: a fixed
//! `User-Agent`, `Accept: */*`, `Accept-Encoding: gzip`, the `Host`, and — only when it
//! already holds a manifest — `If-None-Match` with the quoted SHA-256 of that manifest's
//! signed payload, which the client computes itself and every client holding that manifest
//! shares. A response's `ETag` is never stored or sent back: a hostile server could hand
//! each phone its own. No cookies (no cookie store), no `Referer`, no locale, no
//! device or install identifier, no system proxy picked up from the environment.
//!
//! TLS is rustls (ring) with the Mozilla root store compiled in (`webpki-roots`, handed to
//! reqwest as a ready rustls config by `tls_config`). That is the same on every platform and
//! needs no JNI or Keychain bridging; the cost is that a user-installed CA is not trusted,
//! which for this app is a feature (a stalkerware CA on the phone cannot intercept sync). The platforms' trust store
//! via `rustls-platform-verifier` was considered and not chosen for that reason; see
//! docs/SERVER.md.
//!
//! Downloads are capped while they stream (after gzip decoding), so an endless or
//! decompression-bomb body is cut off at the cap, never buffered whole.

use std::time::Duration;

use crate::error::{Error, Result};

/// The one `User-Agent` every Waypoint client sends. It names no version, platform or
/// device, so it cannot tell two phones apart.
pub const USER_AGENT: &str = "Waypoint-sync/1";

/// Default time allowed to connect.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);
/// Default time allowed for one whole request, body included.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

/// How to reach the sync server.
#[derive(Debug, Clone)]
pub struct Transport {
    base: String,
    client: reqwest::Client,
}

/// Result of one GET.
#[derive(Debug)]
pub enum Fetched {
    /// 200 with the body (at most the cap) and the ETag, if any.
    Body {
        /// The decoded body.
        bytes: Vec<u8>,
        /// The response's `ETag`.
        etag: Option<String>,
    },
    /// 304: what the client holds is current.
    NotModified,
    /// 404.
    NotFound,
}

/// Checks a sync URL: `https://`, or `http://` only for loopback and `.onion` hosts (a
/// local test server, Tor onion services that are already end-to-end encrypted).
pub fn check_server_url(url: &str) -> Result<String> {
    let bad = |reason: &str| Error::invalid("server_url", reason);
    let trimmed = url.trim().trim_end_matches('/');
    let (scheme, rest) = trimmed
        .split_once("://")
        .ok_or_else(|| bad("must start with https://"))?;
    let host_port = rest.split('/').next().unwrap_or("");
    let host = if host_port.starts_with('[') {
        host_port
            .split(']')
            .next()
            .unwrap_or("")
            .trim_start_matches('[')
    } else {
        host_port.rsplit_once(':').map_or(host_port, |(h, _)| h)
    };
    if host.is_empty() {
        return Err(bad("has no host"));
    }
    if trimmed.contains(['?', '#', '@']) {
        return Err(bad("must not contain a query, fragment or user name"));
    }
    match scheme {
        "https" => {}
        "http" => {
            let local = host == "localhost"
                || host.ends_with(".onion")
                || host
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback());
            if !local {
                return Err(bad(
                    "must use https:// (http:// is allowed only for loopback and .onion)",
                ));
            }
        }
        _ => return Err(bad("must start with https://")),
    }
    Ok(trimmed.to_owned())
}

impl Transport {
    /// A transport for `server_url`, optionally through `proxy` (`socks5h://127.0.0.1:9050`
    /// for Tor: the `h` makes the proxy resolve names, so DNS does not leak).
    pub fn new(server_url: &str, proxy: Option<&str>, timeout: Duration) -> Result<Self> {
        let base = check_server_url(server_url)?;
        let mut builder = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .no_proxy()
            .referer(false)
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(CONNECT_TIMEOUT.min(timeout))
            .timeout(timeout)
            .http1_only()
            .pool_max_idle_per_host(0)
            .tls_backend_preconfigured(tls_config()?);
        if let Some(p) = proxy {
            let p = p.trim();
            if !(p.starts_with("socks5://")
                || p.starts_with("socks5h://")
                || p.starts_with("http://"))
            {
                return Err(Error::invalid(
                    "proxy",
                    "must be socks5h://, socks5:// or http://",
                ));
            }
            let proxy = reqwest::Proxy::all(p)
                .map_err(|_| Error::invalid("proxy", "is not a valid proxy URL"))?;
            builder = builder.proxy(proxy);
        }
        let client = builder
            .build()
            .map_err(|e| Error::Network(format!("cannot set up TLS: {e}")))?;
        Ok(Self { base, client })
    }

    /// The server URL in use.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// GETs `path` (e.g. `/v1/manifest`), reading at most `cap` bytes of decoded body.
    pub async fn get(
        &self,
        path: &str,
        if_none_match: Option<&str>,
        cap: usize,
    ) -> Result<Fetched> {
        let url = format!("{}{path}", self.base);
        let mut req = self.client.get(&url);
        if let Some(tag) = if_none_match {
            req = req.header(reqwest::header::IF_NONE_MATCH, tag);
        }
        let mut resp = req.send().await.map_err(|e| Error::Network(describe(&e)))?;
        match resp.status().as_u16() {
            200 => {}
            304 => return Ok(Fetched::NotModified),
            404 => return Ok(Fetched::NotFound),
            s => return Err(Error::Network(format!("server answered HTTP {s}"))),
        }
        let etag = resp
            .headers()
            .get(reqwest::header::ETAG)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        if resp.content_length().is_some_and(|n| n > cap as u64) {
            return Err(Error::Verification(format!(
                "download is larger than the {cap}-byte limit"
            )));
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = resp
            .chunk()
            .await
            .map_err(|e| Error::Network(describe(&e)))?
        {
            if bytes.len() + chunk.len() > cap {
                return Err(Error::Verification(format!(
                    "download is larger than the {cap}-byte limit"
                )));
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(Fetched::Body { bytes, etag })
    }
}

/// rustls with the ring provider and only the Mozilla roots compiled in (webpki-roots),
/// TLS 1.2 and 1.3, ALPN `http/1.1`: what reqwest 0.12's `rustls-tls` feature built, made
/// explicit since reqwest 0.13 defaults to the platform verifier.
fn tls_config() -> Result<rustls::ClientConfig> {
    let roots = rustls::RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let mut tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|_| Error::Network("cannot set up TLS".to_owned()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    tls.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(tls)
}

/// A one-line description of a transport error without the URL (which is not personal,
/// but keeps messages short and stable).
fn describe(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "cannot connect to the server"
    } else if e.is_body() || e.is_decode() {
        "the download was cut off or damaged"
    } else if e.is_request() {
        "the request failed"
    } else {
        "transfer failed"
    };
    kind.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpListener;

    /// Accepts one connection, records the raw request head, answers `response`.
    fn capture_one(response: &'static [u8]) -> (String, std::thread::JoinHandle<Vec<u8>>) {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let handle = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().expect("accept");
            s.set_read_timeout(Some(Duration::from_secs(5)))
                .expect("timeout");
            let mut buf = Vec::new();
            let mut chunk = [0u8; 1024];
            while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                let n = s.read(&mut chunk).expect("read");
                if n == 0 {
                    break;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            let _ = s.write_all(response);
            buf
        });
        (url, handle)
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
    }

    #[test]
    fn every_client_sends_the_same_request_bytes() {
        let mut heads = Vec::new();
        for _ in 0..2 {
            let (url, h) = capture_one(b"HTTP/1.1 304 Not Modified\r\nContent-Length: 0\r\n\r\n");
            let t = Transport::new(&url, None, Duration::from_secs(5)).expect("transport");
            let got = runtime()
                .block_on(t.get("/v1/manifest", Some("\"abc\""), 1024))
                .expect("get");
            assert!(matches!(got, Fetched::NotModified));
            let head = String::from_utf8(h.join().expect("join")).expect("utf8");
            // The port differs between listeners; everything else must not.
            let port = url.rsplit(':').next().expect("port").to_owned();
            heads.push(head.replace(&port, "PORT"));
        }
        assert_eq!(heads[0], heads[1]);
        let head = heads[0].to_ascii_lowercase();
        assert!(head.starts_with("get /v1/manifest http/1.1\r\n"), "{head}");
        assert!(head.contains(&format!(
            "user-agent: {}\r\n",
            USER_AGENT.to_ascii_lowercase()
        )));
        for forbidden in [
            "cookie",
            "accept-language",
            "referer",
            "authorization",
            "x-",
        ] {
            assert!(
                !head.contains(&format!("\r\n{forbidden}")),
                "{forbidden} in {head}"
            );
        }
        let header_names: Vec<&str> = head
            .split("\r\n")
            .skip(1)
            .filter_map(|l| l.split_once(':').map(|(n, _)| n))
            .collect();
        let mut sorted = header_names.clone();
        sorted.sort_unstable();
        assert_eq!(
            sorted,
            [
                "accept",
                "accept-encoding",
                "host",
                "if-none-match",
                "user-agent"
            ],
            "exactly these headers"
        );
    }

    #[test]
    fn tls_config_is_our_rustls_with_ring_and_http1_alpn() {
        let tls = tls_config().expect("tls");
        assert_eq!(tls.alpn_protocols, [b"http/1.1".to_vec()]);
        assert!(tls.enable_sni);
        assert!(!tls.crypto_provider().cipher_suites.is_empty());
    }

    #[test]
    fn oversize_and_endless_bodies_are_cut_at_the_cap() {
        let (url, h) = capture_one(b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n");
        let t = Transport::new(&url, None, Duration::from_secs(5)).expect("transport");
        let err = runtime()
            .block_on(t.get("/x", None, 100))
            .expect_err("too big");
        assert!(err.to_string().contains("limit"), "{err}");
        h.join().expect("join");

        // No Content-Length: the body streams; the cap applies while reading.
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let server = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().expect("accept");
            let mut buf = [0u8; 1024];
            let _ = s.read(&mut buf);
            let _ = s.write_all(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
            let block = [b'a'; 4096];
            for _ in 0..1000 {
                if s.write_all(&block).is_err() {
                    break;
                }
            }
        });
        let t = Transport::new(&url, None, Duration::from_secs(5)).expect("transport");
        let err = runtime()
            .block_on(t.get("/x", None, 10_000))
            .expect_err("endless");
        assert!(err.to_string().contains("limit"), "{err}");
        server.join().expect("join");
    }

    #[test]
    fn plain_http_is_refused_except_for_loopback_and_onion() {
        assert!(check_server_url("http://example.org").is_err());
        assert!(check_server_url("ftp://example.org").is_err());
        assert!(check_server_url("https://user@example.org").is_err());
        assert_eq!(
            check_server_url("https://dir.example.org/").expect("ok"),
            "https://dir.example.org"
        );
        assert!(check_server_url("http://127.0.0.1:8080").is_ok());
        assert!(check_server_url("http://[::1]:8080").is_ok());
        assert!(check_server_url("http://abc.onion").is_ok());
        assert!(Transport::new("https://x.org", Some("file:///etc"), REQUEST_TIMEOUT).is_err());
        assert!(Transport::new(
            "https://x.org",
            Some("socks5h://127.0.0.1:9050"),
            REQUEST_TIMEOUT
        )
        .is_ok());
    }

    #[test]
    fn unreachable_server_is_a_network_error() {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        drop(listener);
        let t = Transport::new(&url, None, Duration::from_secs(5)).expect("transport");
        let err = runtime()
            .block_on(t.get("/v1/manifest", None, 100))
            .expect_err("down");
        assert!(matches!(err, Error::Network(_)), "{err}");
    }
}
