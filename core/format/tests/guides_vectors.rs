//! Conformance vectors for know-your-rights guides (`waypoint.guides`, docs/PROTOCOL.md §18):
//! every `tests/vectors/guides-*.json` file is built here, deterministically, from the fixed
//! test keys of `keys.json`, and every vector in `guides-vectors.json` is run through the
//! reference verifier. They are judged under `keyset-root.json` (keys k1 k2 k3, threshold 2).
//!
//! - `guides_vectors_on_disk_match_the_generator` fails if a checked-in file differs from
//!   the generator; regenerate with `WAYPOINT_WRITE_VECTORS=1 cargo test -p waypoint-format
//!   --test guides_vectors` and review the diff.
//! - `every_guides_vector_has_its_expected_outcome` reads only the files on disk.

mod vectors_common;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use vectors_common::{
    assert_on_disk_match, assert_outcomes, error_kind, key, list_file, read, reject, signed,
    Expect, VectorFile,
};
use waypoint_format::envelope::PayloadType;
use waypoint_format::guides::{
    build_guides_manifest_payload, verify_guides, verify_guides_manifest,
};
use waypoint_format::publish::{sign_envelope, PublisherKey};
use waypoint_format::{verify_root_keyset, FormatError, Policy};

const NOW: i64 = 1_800_000_000;
const CREATED: i64 = NOW - 3_600;
const EXPIRES: i64 = NOW + 180 * 86_400;

/// One vector. `kind` is `guides` (§18 verification of `input` under `trusted_keyset` at
/// `now`, guides floor `held_version`) or `guides-manifest` (then, once it verifies, the
/// size and SHA-256 of `guides_file` are compared with its entry: `FileHashMismatch`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Vector {
    name: String,
    description: String,
    kind: String,
    now: i64,
    input: String,
    trusted_keyset: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    held_version: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    guides_file: Option<String>,
    expect: Expect,
}

/// Guides outcomes carry no content hash.
fn accept(version: u64) -> Expect {
    vectors_common::accept(version, None)
}

const EN: &str = "# Your pay\\n\\nYou have a right to be paid for your work.\\n\\n## If you were not paid\\nA legal aid group can help you ask for it.\\n\\n-> legal_aid\\n\\n## Help lines\\nA hotline can tell you more.\\n\\n-> hotline\\n";
const ES: &str = "# Tu salario\\n\\nTienes derecho a que te paguen por tu trabajo.\\n\\n## Si no te pagaron\\nUn grupo de ayuda legal puede ayudarte a reclamarlo.\\n\\n-> legal_aid\\n\\n## Líneas de ayuda\\nUna línea de ayuda puede contarte más.\\n\\n-> hotline\\n";

/// One guide's JSON with `en` and `es` texts; `extra` is appended inside the guide object.
fn guide(id: &str, url: &str, en: &str, es: &str, extra: &str) -> String {
    format!(
        r#"{{"id":"{id}","last_reviewed":"2026-11-30","sources":[{{"name":"Example Workers' Rights Center","url":"{url}"}}],"texts":{{"en":"{en}","es":"{es}"}},"review":{{"en":"complete","es":"complete"}}{extra}}}"#
    )
}

/// Guides version 3 holding the one guide `pub-wages` with these texts, signed by `keys`.
fn wages_guides(en: &str, es: &str, extra: &str, keys: &[&PublisherKey]) -> Vec<u8> {
    let g = guide("pub-wages", "https://example.org", en, es, extra);
    signed(
        PayloadType::Guides,
        &payload(3, CREATED, EXPIRES, &[g]),
        keys,
    )
}

fn good_guide() -> String {
    guide("pub-wages", "https://example.org/wages", EN, ES, "")
}

fn payload(version: u64, created: i64, expires: i64, guides: &[String]) -> String {
    format!(
        r#"{{"format":1,"version":{version},"created":{created},"expires":{expires},"guides":[{}]}}"#,
        guides.join(",")
    )
}

fn push<'a>(
    vectors: &'a mut Vec<Vector>,
    name: &str,
    description: &str,
    kind: &str,
    input: &str,
    expect: Expect,
) -> &'a mut Vector {
    vectors.push(Vector {
        name: name.into(),
        description: description.into(),
        kind: kind.into(),
        now: NOW,
        input: input.into(),
        trusted_keyset: "keyset-root.json".into(),
        held_version: None,
        guides_file: None,
        expect,
    });
    vectors.last_mut().expect("just pushed")
}

fn generate() -> BTreeMap<String, Vec<u8>> {
    let (k1, k2) = (key("k1"), key("k2"));
    let both = [&k1, &k2];
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut vectors: Vec<Vector> = Vec::new();
    let good = payload(3, CREATED, EXPIRES, &[good_guide()]);
    let good_file = signed(PayloadType::Guides, &good, &both);
    files.insert("guides-v3.json".into(), good_file.clone());
    push(
        &mut vectors,
        "guides-good",
        "guides version 3, one guide in en and es, signed by k1 and k2",
        "guides",
        "guides-v3.json",
        accept(3),
    );
    push(
        &mut vectors,
        "guides-rollback-equal",
        "guides version 3 while version 3 is held: a lower or equal version is a rollback",
        "guides",
        "guides-v3.json",
        reject("Rollback"),
    )
    .held_version = Some(3);
    push(
        &mut vectors,
        "guides-rollback-lower",
        "guides version 3 while version 4 is held",
        "guides",
        "guides-v3.json",
        reject("Rollback"),
    )
    .held_version = Some(4);
    push(
        &mut vectors,
        "guides-newer-than-held",
        "guides version 3 while version 2 is held",
        "guides",
        "guides-v3.json",
        accept(3),
    )
    .held_version = Some(2);

    let mut hostile = |file: &str, name: &str, description: &str, bytes: Vec<u8>, error: &str| {
        files.insert(file.into(), bytes);
        push(
            &mut vectors,
            name,
            description,
            "guides",
            file,
            reject(error),
        );
    };
    hostile(
        "guides-one-signature.json",
        "guides-too-few-signatures",
        "signed by k1 only, threshold 2",
        signed(PayloadType::Guides, &good, &[&k1]),
        "TooFewSignatures",
    );
    // The same payload bytes signed as a bundle, then relabelled as guides.
    let mut as_bundle = sign_envelope(PayloadType::Bundle, good.as_bytes().to_vec(), &both);
    as_bundle.payload_type = PayloadType::Guides;
    hostile(
        "guides-bundle-signature.json",
        "guides-bundle-signature",
        "the guides payload carrying signatures made in the waypoint.bundle domain",
        as_bundle.to_bytes(),
        "InvalidSignature",
    );
    let mut as_manifest = sign_envelope(PayloadType::Manifest, good.as_bytes().to_vec(), &both);
    as_manifest.payload_type = PayloadType::Guides;
    hostile(
        "guides-manifest-signature.json",
        "guides-manifest-signature",
        "the guides payload carrying signatures made in the waypoint.manifest domain",
        as_manifest.to_bytes(),
        "InvalidSignature",
    );
    hostile(
        "guides-as-bundle.json",
        "guides-wrong-payload-type",
        "a guides payload in a waypoint.bundle envelope",
        signed(PayloadType::Bundle, &good, &both),
        "WrongPayloadType",
    );
    hostile(
        "guides-unknown-field.json",
        "guides-unknown-field",
        "a guide with a field the format does not define (html)",
        wages_guides(EN, ES, r#","html":"<b>x</b>""#, &both),
        "Malformed",
    );
    let long = format!("{EN}{}", "More words here. ".repeat(2000));
    hostile(
        "guides-oversize-text.json",
        "guides-oversize-text",
        "the English text is larger than 32 KiB",
        signed(
            PayloadType::Guides,
            &payload(
                3,
                CREATED,
                EXPIRES,
                &[guide("pub-wages", "https://example.org", &long, ES, "")],
            ),
            &both,
        ),
        "Malformed",
    );
    hostile(
        "guides-http-url.json",
        "guides-http-url",
        "a source whose url is http://",
        signed(
            PayloadType::Guides,
            &payload(
                3,
                CREATED,
                EXPIRES,
                &[guide("pub-wages", "http://example.org", EN, ES, "")],
            ),
            &both,
        ),
        "Malformed",
    );
    hostile(
        "guides-unknown-category.json",
        "guides-unknown-category",
        "a link line naming a category the directory does not have",
        wages_guides(
            &EN.replace("-> hotline", "-> casino"),
            &ES.replace("-> hotline", "-> casino"),
            "",
            &both,
        ),
        "Malformed",
    );
    hostile(
        "guides-languages-differ.json",
        "guides-languages-differ",
        "the Spanish text links its second section to another category than the English",
        wages_guides(EN, &ES.replace("-> hotline", "-> housing"), "", &both),
        "Malformed",
    );
    hostile(
        "guides-duplicate-language.json",
        "guides-duplicate-language",
        "a texts map naming en twice (first-wins and last-wins parsers would differ)",
        signed(
            PayloadType::Guides,
            &payload(
                3,
                CREATED,
                EXPIRES,
                &[good_guide().replace(r##""es":"# Tu"##, r##""en":"# Tu"##)],
            ),
            &both,
        ),
        "Malformed",
    );
    hostile(
        "guides-packaged-id.json",
        "guides-packaged-id",
        "a guide whose id is not namespaced pub- (it could shadow the packaged rights guide)",
        signed(
            PayloadType::Guides,
            &payload(
                3,
                CREATED,
                EXPIRES,
                &[guide("rights", "https://example.org", EN, ES, "")],
            ),
            &both,
        ),
        "Malformed",
    );
    hostile(
        "guides-created-in-future.json",
        "guides-created-in-future",
        "created two days after now",
        signed(
            PayloadType::Guides,
            &payload(3, NOW + 2 * 86_400, EXPIRES, &[good_guide()]),
            &both,
        ),
        "CreatedInFuture",
    );
    hostile(
        "guides-expired.json",
        "guides-expired",
        "expired one second before now",
        signed(
            PayloadType::Guides,
            &payload(3, CREATED - 86_400, NOW - 1, &[good_guide()]),
            &both,
        ),
        "Expired",
    );

    // The manifest.
    let manifest = String::from_utf8(build_guides_manifest_payload(
        3,
        CREATED,
        NOW + 7 * 86_400,
        &good_file,
    ))
    .expect("utf8");
    files.insert(
        "guides-manifest-v3.json".into(),
        signed(PayloadType::GuidesManifest, &manifest, &both),
    );
    push(
        &mut vectors,
        "guides-manifest-good",
        "guides manifest version 3 naming guides-v3.json",
        "guides-manifest",
        "guides-manifest-v3.json",
        accept(3),
    )
    .guides_file = Some("guides-v3.json".into());
    push(
        &mut vectors,
        "guides-manifest-same-as-held",
        "guides manifest version 3 while guides 3 are held: nothing new, accepted",
        "guides-manifest",
        "guides-manifest-v3.json",
        accept(3),
    )
    .held_version = Some(3);
    push(
        &mut vectors,
        "guides-manifest-rollback",
        "guides manifest version 3 while guides 4 are held",
        "guides-manifest",
        "guides-manifest-v3.json",
        reject("Rollback"),
    )
    .held_version = Some(4);
    push(
        &mut vectors,
        "guides-manifest-other-file",
        "guides manifest version 3 checked against a different guides file",
        "guides-manifest",
        "guides-manifest-v3.json",
        reject("FileHashMismatch"),
    )
    .guides_file = Some("guides-one-signature.json".into());
    let mut m_as_dir = sign_envelope(PayloadType::Manifest, manifest.as_bytes().to_vec(), &both);
    m_as_dir.payload_type = PayloadType::GuidesManifest;
    files.insert(
        "guides-manifest-directory-signature.json".into(),
        m_as_dir.to_bytes(),
    );
    push(
        &mut vectors,
        "guides-manifest-directory-signature",
        "the guides manifest carrying signatures made in the directory manifest's domain",
        "guides-manifest",
        "guides-manifest-directory-signature.json",
        reject("InvalidSignature"),
    );

    files.insert("guides-vectors.json".into(), list_file(1, vectors));
    files
}

fn run(v: &Vector) -> Result<Expect, String> {
    let input = read(&v.input);
    let ks = verify_root_keyset(&read(&v.trusted_keyset), v.now).expect("trusted keyset");
    let policy = Policy::update(v.now, v.held_version);
    let kind = |e: FormatError| error_kind(&e).to_owned();
    match v.kind.as_str() {
        "guides" => verify_guides(&input, &ks, &policy)
            .map(|g| accept(g.version()))
            .map_err(kind),
        "guides-manifest" => {
            let m = verify_guides_manifest(&input, &ks, &policy).map_err(kind)?;
            if let Some(file) = &v.guides_file {
                if !m.names(&read(file)) {
                    return Err("FileHashMismatch".into());
                }
            }
            Ok(accept(m.version()))
        }
        other => panic!("unknown vector kind {other}"),
    }
}

#[test]
fn guides_vectors_on_disk_match_the_generator() {
    assert_on_disk_match(
        "guides",
        &generate(),
        |n| n.starts_with("guides-") && n.ends_with(".json"),
        false,
    );
}

#[test]
fn every_guides_vector_has_its_expected_outcome() {
    let list: VectorFile<Vector> =
        serde_json::from_slice(&read("guides-vectors.json")).expect("guides-vectors.json");
    assert!(list.vectors.len() >= 20);
    assert_outcomes(&list.vectors, |v| (&v.name, &v.expect), run);
}
