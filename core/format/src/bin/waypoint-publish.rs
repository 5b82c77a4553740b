//! `waypoint-publish`: the publisher's offline tool. Generates keys, builds and signs
//! keysets, bundles, deltas and manifests, adds co-signatures, and verifies files.
//!
//! ```text
//! waypoint-publish keygen --out KEY.json [--public-out PUB.json]
//! waypoint-publish keyset --member KEY_OR_PUB.json... --threshold N --version V --expires UNIX --sign KEY.json... --out KEYSET
//! waypoint-publish bundle --records RECORDS.json --version V --expires UNIX [--created UNIX] --sign KEY.json... --out BUNDLE
//! waypoint-publish delta --keyset KEYSET --from OLD_BUNDLE --to NEW_BUNDLE --sign KEY.json... --out DELTA
//! waypoint-publish manifest --keyset KEYSET --bundle BUNDLE [--delta FROM=FILE]... --expires UNIX --sign KEY.json... --out MANIFEST
//! waypoint-publish cosign --type keyset|bundle|delta|manifest --in FILE --sign KEY.json --out FILE
//! waypoint-publish verify --keyset KEYSET --bundle BUNDLE
//! ```
//! Errors print one line `waypoint-publish: <reason>` and exit 1. Key files are created
//! with mode 0600 and never overwritten.

use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;

use waypoint_format::envelope::{Envelope, PayloadType};
use waypoint_format::publish::{
    add_signature, build_bundle, build_delta, build_keyset, build_manifest, sign_keyset,
    PublisherKey,
};
use waypoint_format::{verify_bundle, verify_root_keyset, Keyset, Policy, PublicKeyEntry, Record};

type Args = HashMap<String, Vec<String>>;

fn parse_args(raw: &[String]) -> Result<Args, String> {
    let mut out: Args = HashMap::new();
    let mut it = raw.iter();
    while let Some(flag) = it.next() {
        let name = flag
            .strip_prefix("--")
            .ok_or_else(|| format!("unexpected argument {flag}"))?;
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

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn load_keyset(path: &str) -> Result<Keyset, String> {
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
    let args = parse_args(rest)?;
    match cmd.as_str() {
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
                let bytes = read(&m)?;
                let entry = match serde_json::from_slice::<PublicKeyEntry>(&bytes) {
                    Ok(e) => e,
                    Err(_) => PublisherKey::from_key_file(&bytes)
                        .map_err(|e| format!("{m}: {e}"))?
                        .public_entry(),
                };
                entries.push(entry);
            }
            let ks = build_keyset(
                num(&args, "version")?,
                num(&args, "expires")?,
                num(&args, "threshold")?,
                entries,
            );
            ks.decoded_keys().map_err(|e| e.to_string())?;
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
                v.version,
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
                v.version,
                v.records.len(),
                hex::encode(v.content_hash),
                v.expires
            );
        }
        other => return Err(format!("unknown command {other}; try --help")),
    }
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
