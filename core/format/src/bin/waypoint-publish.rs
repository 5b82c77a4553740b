//! `waypoint-publish`: the publisher's offline tool. Generates keys, builds and signs
//! keysets, bundles, deltas and manifests, adds co-signatures, and verifies files.
//!
//! ```text
//! waypoint-publish keygen --out KEY.json [--public-out PUB.json]
//! waypoint-publish keyset --member KEY_OR_PUB.json... [--freshness-member PUB.json...] --threshold N --version V --expires UNIX --sign KEY.json... --out KEYSET
//! waypoint-publish bundle --records RECORDS.json --version V --expires UNIX [--created UNIX] --sign KEY.json... --out BUNDLE
//! waypoint-publish delta --keyset KEYSET --from OLD_BUNDLE --to NEW_BUNDLE --sign KEY.json... --out DELTA
//! waypoint-publish manifest --keyset KEYSET --bundle BUNDLE [--delta FROM=FILE]... --expires UNIX --sign KEY.json... --out MANIFEST
//! waypoint-publish cosign --type keyset|bundle|delta|manifest --in FILE --sign KEY.json --out FILE
//! waypoint-publish verify --keyset KEYSET --bundle BUNDLE
//! waypoint-publish sign --candidate CANDIDATE.json --key KEY.json --pinned-keyset KEYSET
//!     (--server http://HOST:PORT | [--published-keyset FILE]... [--published-bundle FILE] [--base FILE]...)
//!     [--published-guides-manifest FILE --published-guides FILE]
//!     [--keyset] [--yes] --out SIGNATURES.json
//! ```
//! `sign` is how a publisher signs what the sync server proposes: it verifies the published
//! state itself against the publisher's pinned keyset, checks every candidate item, prints
//! a review of every change and asks before signing (`--yes` for scripts). See
//! `waypoint_format::review`. A guides candidate is reviewed by
//! `waypoint_format::guides_review`: every guide is printed in full, in every language,
//! from the bytes that will be signed.
//! Errors print one line `waypoint-publish: <reason>` and exit 1. Key files are created
//! with mode 0600 and never overwritten.

use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;

use waypoint_format::candidate::CandidateFile;
use waypoint_format::envelope::{Envelope, PayloadType};
use waypoint_format::publish::{
    add_signature, build_bundle, build_delta, build_keyset, build_manifest, sign_keyset,
    PublisherKey,
};
use waypoint_format::review::{review, Mode, Published};
use waypoint_format::{
    verify_bundle, verify_root_keyset, Policy, PublicKeyEntry, Record, VerifiedKeyset,
};

type Args = HashMap<String, Vec<String>>;

fn parse_args(raw: &[String], switches: &[&str]) -> Result<Args, String> {
    let mut out: Args = HashMap::new();
    let mut it = raw.iter();
    while let Some(flag) = it.next() {
        let name = flag
            .strip_prefix("--")
            .ok_or_else(|| format!("unexpected argument {flag}"))?;
        if switches.contains(&name) {
            out.entry(name.to_owned()).or_default().push(String::new());
            continue;
        }
        let value = it.next().ok_or_else(|| format!("--{name} needs a value"))?;
        out.entry(name.to_owned()).or_default().push(value.clone());
    }
    Ok(out)
}

fn one(args: &Args, name: &str) -> Result<String, String> {
    match args.get(name).map(Vec::as_slice) {
        Some([v]) => Ok(v.clone()),
        Some(_) => Err(format!("--{name} given more than once")),
        None => Err(format!("--{name} is required")),
    }
}

fn many(args: &Args, name: &str) -> Vec<String> {
    args.get(name).cloned().unwrap_or_default()
}

fn num<T: std::str::FromStr>(args: &Args, name: &str) -> Result<T, String> {
    one(args, name)?
        .parse()
        .map_err(|_| format!("--{name} must be a number"))
}

fn read(path: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))
}

fn write(path: &str, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {path}: {e}"))
}

fn keys(args: &Args) -> Result<Vec<PublisherKey>, String> {
    let files = many(args, "sign");
    if files.is_empty() {
        return Err("--sign KEY.json is required".into());
    }
    files
        .iter()
        .map(|f| PublisherKey::read_key_file(Path::new(f)).map_err(|e| format!("{f}: {e}")))
        .collect()
}

/// A public key entry from a public key file, or derived from a secret key file.
fn public_entry_from_file(path: &str) -> Result<PublicKeyEntry, String> {
    let bytes = read(path)?;
    match serde_json::from_slice::<PublicKeyEntry>(&bytes) {
        Ok(e) => Ok(e),
        Err(_) => Ok(PublisherKey::from_key_file(&bytes)
            .map_err(|e| format!("{path}: {e}"))?
            .public_entry()),
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn load_keyset(path: &str) -> Result<VerifiedKeyset, String> {
    verify_root_keyset(&read(path)?, now()).map_err(|e| format!("{path}: {e}"))
}

fn run(argv: &[String]) -> Result<(), String> {
    let (cmd, rest) = argv
        .split_first()
        .ok_or("usage: waypoint-publish <command> ... (see --help)")?;
    if cmd == "--help" || cmd == "help" {
        println!("{}", include_str!("usage.txt"));
        return Ok(());
    }
    let switches: &[&str] = if cmd == "sign" {
        &["keyset", "yes"]
    } else {
        &[]
    };
    let args = parse_args(rest, switches)?;
    match cmd.as_str() {
        "sign" => sign(&args)?,
        "keygen" => {
            let key = PublisherKey::generate();
            let out = one(&args, "out")?;
            key.write_key_file(Path::new(&out))
                .map_err(|e| e.to_string())?;
            if let Ok(p) = one(&args, "public-out") {
                let entry =
                    serde_json::to_vec_pretty(&key.public_entry()).map_err(|e| e.to_string())?;
                write(&p, &entry)?;
            }
            println!("{}", key.key_id());
        }
        "keyset" => {
            let mut entries = Vec::new();
            for m in many(&args, "member") {
                entries.push(public_entry_from_file(&m)?);
            }
            let mut ks = build_keyset(
                num(&args, "version")?,
                num(&args, "expires")?,
                num(&args, "threshold")?,
                entries,
            );
            for m in many(&args, "freshness-member") {
                ks.freshness_keys.push(public_entry_from_file(&m)?);
            }
            ks.decoded_keys().map_err(|e| e.to_string())?;
            ks.decoded_freshness_keys().map_err(|e| e.to_string())?;
            let signers = keys(&args)?;
            let refs: Vec<&PublisherKey> = signers.iter().collect();
            write(&one(&args, "out")?, &sign_keyset(&ks, &refs))?;
        }
        "bundle" => {
            let records: Vec<Record> = serde_json::from_slice(&read(&one(&args, "records")?)?)
                .map_err(|e| format!("records: {e}"))?;
            let created = if args.contains_key("created") {
                num(&args, "created")?
            } else {
                now()
            };
            let signers = keys(&args)?;
            let refs: Vec<&PublisherKey> = signers.iter().collect();
            let bytes = build_bundle(
                num(&args, "version")?,
                created,
                num(&args, "expires")?,
                &records,
                &refs,
            )
            .map_err(|e| e.to_string())?;
            write(&one(&args, "out")?, &bytes)?;
        }
        "delta" => {
            let ks = load_keyset(&one(&args, "keyset")?)?;
            let stored = Policy {
                now: now(),
                current_version: None,
                allow_expired: true,
            };
            let from = verify_bundle(&read(&one(&args, "from")?)?, &ks, &stored)
                .map_err(|e| format!("--from: {e}"))?;
            let to = verify_bundle(&read(&one(&args, "to")?)?, &ks, &stored)
                .map_err(|e| format!("--to: {e}"))?;
            let signers = keys(&args)?;
            let refs: Vec<&PublisherKey> = signers.iter().collect();
            write(
                &one(&args, "out")?,
                &build_delta(&from, &to, &refs).map_err(|e| e.to_string())?,
            )?;
        }
        "manifest" => {
            let ks = load_keyset(&one(&args, "keyset")?)?;
            let bundle = read(&one(&args, "bundle")?)?;
            let v = verify_bundle(&bundle, &ks, &Policy::update(now(), None))
                .map_err(|e| format!("--bundle: {e}"))?;
            let mut deltas = Vec::new();
            for d in many(&args, "delta") {
                let (from, file) = d.split_once('=').ok_or("--delta takes FROM=FILE")?;
                let from: u64 = from.parse().map_err(|_| "--delta FROM must be a number")?;
                deltas.push((from, read(file)?));
            }
            let refs_d: Vec<(u64, &[u8])> =
                deltas.iter().map(|(f, b)| (*f, b.as_slice())).collect();
            let signers = keys(&args)?;
            let refs: Vec<&PublisherKey> = signers.iter().collect();
            let m = build_manifest(
                v.version(),
                now(),
                num(&args, "expires")?,
                &bundle,
                &refs_d,
                &refs,
            );
            write(&one(&args, "out")?, &m)?;
        }
        "cosign" => {
            let ty = match one(&args, "type")?.as_str() {
                "keyset" => PayloadType::Keyset,
                "bundle" => PayloadType::Bundle,
                "delta" => PayloadType::Delta,
                "manifest" => PayloadType::Manifest,
                _ => return Err("--type must be keyset, bundle, delta or manifest".into()),
            };
            let mut env = Envelope::parse(&read(&one(&args, "in")?)?, ty, usize::MAX)
                .map_err(|e| e.to_string())?;
            for k in keys(&args)? {
                add_signature(&mut env, &k);
            }
            write(&one(&args, "out")?, &env.to_bytes())?;
        }
        "verify" => {
            let ks = load_keyset(&one(&args, "keyset")?)?;
            let v = verify_bundle(
                &read(&one(&args, "bundle")?)?,
                &ks,
                &Policy::update(now(), None),
            )
            .map_err(|e| e.to_string())?;
            println!(
                "ok: version {} with {} records, content hash {}, expires {}",
                v.version(),
                v.records().len(),
                hex::encode(v.content_hash()),
                v.expires()
            );
        }
        other => return Err(format!("unknown command {other}; try --help")),
    }
    Ok(())
}

/// Largest file the tool fetches or reads for a review.
const MAX_FETCH: usize = waypoint_format::limits::MAX_BUNDLE_BYTES + 4096;

/// `GET url` over plain HTTP/1.1 (`http://host:port/path` only): enough for a server on
/// loopback or a trusted network. Content is verified by signatures, not by the transport;
/// for an `https://` server, download the files and pass them with `--published-*`.
/// Returns `None` on 404.
fn http_get(base: &str, path: &str) -> Result<Option<Vec<u8>>, String> {
    use std::io::{Read, Write};
    let rest = base
        .strip_prefix("http://")
        .ok_or("--server must be http://HOST:PORT; for https download the files and use --published-keyset/--published-bundle/--base")?;
    let host = rest.trim_end_matches('/');
    if host.contains('/') || host.is_empty() {
        return Err("--server must be http://HOST:PORT without a path".into());
    }
    let mut stream =
        std::net::TcpStream::connect(host).map_err(|e| format!("cannot reach {host}: {e}"))?;
    let timeout = Some(std::time::Duration::from_secs(30));
    let _ = stream.set_read_timeout(timeout);
    let _ = stream.set_write_timeout(timeout);
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nAccept-Encoding: identity\r\n\r\n"
    )
    .map_err(|e| format!("cannot send to {host}: {e}"))?;
    let mut raw = Vec::new();
    stream
        .take(MAX_FETCH as u64 + 1)
        .read_to_end(&mut raw)
        .map_err(|e| format!("cannot read {path}: {e}"))?;
    if raw.len() > MAX_FETCH {
        return Err(format!("{path} is larger than the size limit"));
    }
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("{path}: malformed HTTP response"))?;
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let status = head.split_whitespace().nth(1).unwrap_or("");
    match status {
        "200" => {}
        "404" => return Ok(None),
        other => return Err(format!("{path}: HTTP status {other}")),
    }
    if head.contains("transfer-encoding: chunked") {
        return dechunk(&raw[split + 4..])
            .ok_or_else(|| format!("{path}: bad chunked body"))
            .map(Some);
    }
    Ok(Some(raw[split + 4..].to_vec()))
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = data.windows(2).position(|w| w == b"\r\n")?;
        let size_str = std::str::from_utf8(&data[..eol]).ok()?;
        let size = usize::from_str_radix(size_str.split(';').next()?.trim(), 16).ok()?;
        data = &data[eol + 2..];
        if size == 0 {
            return Some(out);
        }
        if data.len() < size + 2 {
            return None;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

/// Builds the verified published state, fetched from `--server` or read from files.
fn published_state(args: &Args, candidate: &CandidateFile, now: i64) -> Result<Published, String> {
    let pinned = read(&one(args, "pinned-keyset")?)?;
    let delta_bases: Vec<u64> = candidate
        .items
        .iter()
        .filter_map(|i| waypoint_format::candidate::delta_base(&i.name))
        .collect();
    if let Some(server) = args.get("server").and_then(|v| v.first()) {
        // Walk keysets from the pinned one until the server has no next version.
        let root = verify_root_keyset(&pinned, now).map_err(|e| format!("pinned keyset: {e}"))?;
        let mut rotations = Vec::new();
        for v in root.version + 1..root.version + 1000 {
            match http_get(server, &format!("/v1/keysets/{v}"))? {
                Some(bytes) => rotations.push(bytes),
                None => break,
            }
        }
        let mut published =
            Published::from_keysets(&pinned, &rotations, now).map_err(|e| e.to_string())?;
        if let Some(m) = http_get(server, "/v1/manifest")? {
            let manifest = published
                .check_manifest(&m, now)
                .map_err(|e| e.to_string())?;
            let bundle = http_get(server, &format!("/v1/bundles/{}", manifest.version()))?
                .ok_or("the manifest names a bundle the server does not have")?;
            if waypoint_format::sha256_hex(&bundle) != manifest.bundle().sha256 {
                return Err("the published bundle does not match the published manifest".into());
            }
            published
                .set_bundle(&bundle, now)
                .map_err(|e| e.to_string())?;
            for from in delta_bases {
                if from != manifest.version() {
                    if let Some(b) = http_get(server, &format!("/v1/bundles/{from}"))? {
                        published.add_base(&b, now).map_err(|e| e.to_string())?;
                    }
                }
            }
        }
        Ok(published)
    } else {
        let rotations = many(args, "published-keyset")
            .iter()
            .map(|f| read(f))
            .collect::<Result<Vec<_>, _>>()?;
        let mut published =
            Published::from_keysets(&pinned, &rotations, now).map_err(|e| e.to_string())?;
        if let Some(f) = args.get("published-bundle").and_then(|v| v.first()) {
            published
                .set_bundle(&read(f)?, now)
                .map_err(|e| e.to_string())?;
        }
        for f in many(args, "base") {
            published
                .add_base(&read(&f)?, now)
                .map_err(|e| e.to_string())?;
        }
        Ok(published)
    }
}

/// The published guides, verified under the keyset chain the tool walked itself, fetched
/// from `--server` or read from `--published-guides-manifest` / `--published-guides`.
fn published_guides_state(
    args: &Args,
    published: &Published,
    now: i64,
) -> Result<Option<waypoint_format::guides::VerifiedGuides>, String> {
    use waypoint_format::guides::verify_guides_manifest;
    let (manifest, file) = if let Some(server) = args.get("server").and_then(|v| v.first()) {
        match http_get(server, "/v1/guides/manifest")? {
            None => (None, None),
            Some(m) => {
                let baseline = Policy {
                    now,
                    current_version: None,
                    allow_expired: true,
                };
                let v = verify_guides_manifest(&m, published.keyset(), &baseline)
                    .map_err(|e| format!("published guides manifest: {e}"))?;
                let file = http_get(server, &format!("/v1/guides/{}", v.version()))?;
                (Some(m), file)
            }
        }
    } else {
        let opt = |name: &str| -> Result<Option<Vec<u8>>, String> {
            args.get(name)
                .and_then(|v| v.first())
                .map(|f| read(f))
                .transpose()
        };
        (opt("published-guides-manifest")?, opt("published-guides")?)
    };
    waypoint_format::guides_review::published_guides(
        published,
        manifest.as_deref(),
        file.as_deref(),
        now,
    )
    .map_err(|e| e.to_string())
}

fn sign(args: &Args) -> Result<(), String> {
    use std::io::BufRead;
    let candidate: CandidateFile = serde_json::from_slice(&read(&one(args, "candidate")?)?)
        .map_err(|e| format!("candidate: {e}"))?;
    let key_file = one(args, "key")?;
    let key = PublisherKey::read_key_file(Path::new(&key_file))
        .map_err(|e| format!("{key_file}: {e}"))?;
    let out = one(args, "out")?;
    let now = now();
    let published = published_state(args, &candidate, now)?;
    let mode = Mode {
        keyset: args.contains_key("keyset"),
    };
    let checked = if candidate.kind == "guides" {
        // Guides: every guide in every language is shown in full (waypoint_format::guides_review).
        let current = published_guides_state(args, &published, now)?;
        waypoint_format::guides_review::review_guides(
            &candidate,
            &published,
            current.as_ref(),
            &key.key_id(),
            now,
        )
    } else {
        review(&candidate, &published, &key.key_id(), mode, now)
    }
    .map_err(|e| e.to_string())?;
    print!("{}", checked.text);
    if !args.contains_key("yes") {
        eprint!(
            "Sign {} with key {}? Type yes to sign: ",
            checked.items().join(", "),
            &key.key_id()[..16]
        );
        let mut answer = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut answer)
            .map_err(|e| format!("cannot read the answer: {e}"))?;
        if !matches!(answer.trim(), "yes" | "y") {
            return Err("not confirmed; nothing was signed".into());
        }
    }
    let sigs = checked.sign(&key);
    let json = serde_json::to_vec_pretty(&sigs).map_err(|e| e.to_string())?;
    write(&out, &json)?;
    eprintln!("signed {} item(s); upload {out}", sigs.signatures.len());
    Ok(())
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    match run(&argv) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("waypoint-publish: {}", e.replace('\n', " "));
            ExitCode::FAILURE
        }
    }
}
