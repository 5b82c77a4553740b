//! The import rule of `core/src`, checked: dependencies point down only.
//!
//! Layers, lowest first (a module may use only modules of a *lower* layer, and its own):
//!
//! | layer | modules | knows |
//! |---|---|---|
//! | 0 ground | `error`, `i18n` (the message files; siblings: neither uses the other) | nothing |
//! | 1 ground | `crypto` | `error` |
//! | 2 ground | `store` | `error` |
//! | 3 ground | `platform` (Clock, KeyStore, NotificationScheduler, sealed rows) | ground |
//! | 4 unlocked state | `session` (vault keys, capability caches by type) | ground |
//! | 5 capability | `vault` | ground, `session` |
//! | 6 capability | `journal` | the above |
//! | 7 capabilities | `appointments`, `disguise`, `directory`, `documents`, `safety_plan` (siblings: none uses another) | the above (`documents` writes its files with `journal`'s attachment encryption) |
//! | 8 capabilities | `sync`, `sharing` (siblings) | the above (`sync` installs through `directory`, `sharing` packages `journal` entries and `appointments`) |
//! | 9 application | `app` (`Core`: wires the capabilities, registers their components) | everything below |
//! | 10 screens | `screens` (screen models: state, intents, navigation, formatting) | everything below |
//! | 11 exported | `ffi` (UniFFI objects, one per capability, errors converted once) | everything below |
//!
//! `lib.rs` (the crate root and its re-exports) and test code (`#[cfg(test)] mod tests`
//! blocks, `tests.rs`, `*_tests.rs`, `test_support.rs`, `age_vectors.rs`) are outside the
//! rule: tests exercise a capability through the application layer above it.
//!
//! The check reads every `crate::<module>` path in the code (not in comments) of each
//! file, so inline paths count as much as `use` lines. A path into a higher layer, or
//! into a sibling of the same layer, fails; so does any cycle in the module graph.

#![cfg(test)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layer of each top-level module of `core/src`.
const LAYERS: &[(&str, u32)] = &[
    ("error", 0),
    ("i18n", 0),
    ("crypto", 1),
    ("store", 2),
    ("platform", 3),
    ("session", 4),
    ("vault", 5),
    ("journal", 6),
    ("appointments", 7),
    ("disguise", 7),
    ("directory", 7),
    ("documents", 7),
    ("safety_plan", 7),
    ("guides", 7),
    ("sync", 8),
    ("sharing", 8),
    ("app", 9),
    ("screens", 10),
    ("ffi", 11),
    // Pure decisions for the phone shells; uses the screens, never the exported layer.
    ("shell", 11),
];

/// Files that hold only tests.
fn is_test_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name == "tests.rs"
        || name.ends_with("_tests.rs")
        || name == "test_support.rs"
        || name == "age_vectors.rs"
        || name == "layers.rs"
}

fn layer_of(module: &str) -> Option<u32> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

/// The top-level module a file under `src` belongs to (`app/disguise.rs` -> `app`).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let module = first.strip_suffix(".rs").unwrap_or(first);
    (module != "lib").then(|| module.to_owned())
}

/// The code of `text` without comments and without trailing `#[cfg(test)] mod ... {}`.
fn code_of(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("#[cfg(test)]") {
            if let Some(next) = lines.peek() {
                let next = next.trim_start();
                if next.starts_with("mod ") && next.trim_end().ends_with('{') {
                    // Test modules close their file: the rest is test code.
                    break;
                }
            }
        }
        let code = match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        };
        out.push_str(code);
        out.push('\n');
    }
    out
}

/// Every top-level module named by a `crate::<module>` path in `code`.
fn crate_paths(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let after = &rest[i + "crate::".len()..];
        let boundary_ok = rest[..i]
            .chars()
            .last()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        let name: String = after
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if boundary_ok && !name.is_empty() {
            found.insert(name);
        }
        rest = after;
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read src")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Problems in the graph of `files` (module, code): unknown modules, edges that do not
/// point strictly down, and cycles.
fn problems(files: &[(String, String)]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, code) in files {
        let Some(from) = layer_of(module) else {
            problems.push(format!("module `{module}` has no layer in LAYERS"));
            continue;
        };
        for target in crate_paths(code) {
            if target == *module {
                continue;
            }
            let Some(to) = layer_of(&target) else {
                // Crate-root re-exports (`crate::Result`, `crate::Error`) belong to `error`.
                if target == "Result" || target == "Error" {
                    graph
                        .entry(module.clone())
                        .or_default()
                        .insert("error".into());
                    continue;
                }
                problems.push(format!(
                    "`{module}` uses `crate::{target}`, which has no layer"
                ));
                continue;
            };
            if to >= from {
                problems.push(format!(
                    "`{module}` (layer {from}) uses `crate::{target}` (layer {to}): not downward"
                ));
            }
            graph.entry(module.clone()).or_default().insert(target);
        }
    }
    // Cycles (none can exist when every edge points down; checked on its own anyway).
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
        problems: &mut Vec<String>,
    ) {
        if done.contains(node) {
            return;
        }
        if let Some(i) = stack.iter().position(|n| n == node) {
            problems.push(format!("cycle: {} -> {node}", stack[i..].join(" -> ")));
            return;
        }
        stack.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            visit(next, graph, stack, done, problems);
        }
        stack.pop();
        done.insert(node.to_owned());
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        visit(node, &graph, &mut Vec::new(), &mut done, &mut problems);
    }
    problems
}

#[test]
fn core_src_imports_point_down_only_and_form_no_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    rust_files(&src, &mut paths);
    let files: Vec<(String, String)> = paths
        .iter()
        .filter(|p| !is_test_file(p))
        .filter_map(|p| {
            let module = module_of(&src, p)?;
            let text = std::fs::read_to_string(p).expect("read source");
            Some((module, code_of(&text)))
        })
        .collect();
    assert!(files.len() > 30, "found only {} files", files.len());
    assert_eq!(problems(&files), Vec::<String>::new());
}

#[test]
fn the_check_catches_an_upward_use_a_sibling_use_and_a_cycle() {
    let file = |m: &str, code: &str| (m.to_owned(), code_of(code));
    // What crypto and reminders did before the application layer existed.
    let upward = [file(
        "crypto",
        "fn f() -> Result<(), crate::ffi::WaypointApiError> {}",
    )];
    assert_eq!(problems(&upward).len(), 1, "{:?}", problems(&upward));
    let sibling = [file("directory", "use crate::disguise::Settings;")];
    assert_eq!(problems(&sibling).len(), 1);
    let cycle = [
        file("store", "use crate::vault::VAULT;"),
        file("vault", "use crate::store::Store;"),
    ];
    assert!(problems(&cycle).iter().any(|p| p.starts_with("cycle")));
    // Comments and test modules are not code.
    let quiet = [file(
        "crypto",
        "// see crate::ffi\nfn f() {}\n#[cfg(test)]\nmod tests {\n    use crate::app::Core;\n}\n",
    )];
    assert_eq!(problems(&quiet), Vec::<String>::new());
}

/// Words in code that reach the network or the sync capability.
const NETWORK_WORDS: &[&str] = &[
    "crate::sync",
    "super::sync",
    "waypoint_core::sync",
    "directory_sync",
    "ureq",
    "reqwest",
    "hyper",
    "std::net",
    "TcpStream",
    "UdpSocket",
];

/// The network words in `code`.
fn network_words(code: &str) -> Vec<&'static str> {
    NETWORK_WORDS
        .iter()
        .filter(|w| code.contains(*w))
        .copied()
        .collect()
}

/// What sharing depends on (the capability modules its files name, and everything those
/// name in turn) that can reach a server, and any network word in its own files.
/// `sharing_files`: (path, code) of the sharing module and its application, exported and
/// CLI wrappers; `graph`: each capability module's `crate::` paths.
fn sharing_reaches(
    sharing_files: &[(String, String)],
    graph: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<String> {
    let mut found = Vec::new();
    let mut todo: Vec<String> = Vec::new();
    for (path, code) in sharing_files {
        for w in network_words(code) {
            found.push(format!("{path} uses {w}"));
        }
        todo.extend(crate_paths(code));
    }
    let mut seen = BTreeSet::new();
    while let Some(m) = todo.pop() {
        // The wrappers above (app, ffi, ...) are checked file by file above, not whole.
        if layer_of(&m).is_none_or(|l| l > 8) || !seen.insert(m.clone()) {
            continue;
        }
        if m == "sync" {
            found.push("sharing depends on crate::sync".to_owned());
        }
        todo.extend(graph.get(&m).into_iter().flatten().cloned());
    }
    found
}

#[test]
fn sharing_depends_on_nothing_that_reaches_a_server() {
    // "Nothing goes through any Waypoint server" (issue 17): the sharing module, its
    // application, exported and CLI wrappers name no network code and no part of sync,
    // and nothing they depend on does either.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = root.join("src");
    let mut paths = Vec::new();
    rust_files(&src, &mut paths);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for p in paths.iter().filter(|p| !is_test_file(p)) {
        if let Some(module) = module_of(&src, p) {
            let code = code_of(&std::fs::read_to_string(p).expect("read source"));
            graph.entry(module).or_default().extend(crate_paths(&code));
        }
    }
    let mut sharing = Vec::new();
    rust_files(&src.join("sharing"), &mut sharing);
    sharing.retain(|p| !is_test_file(p));
    sharing.extend([
        src.join("app/sharing.rs"),
        src.join("ffi/sharing.rs"),
        root.join("cli/src/share.rs"),
    ]);
    let files: Vec<(String, String)> = sharing
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).expect("read source");
            (p.display().to_string(), code_of(&text))
        })
        .collect();
    assert!(files.len() >= 4, "{files:?}");
    assert_eq!(sharing_reaches(&files, &graph), Vec::<String>::new());

    // The check itself: a network call in a sharing file, and sync reached through a
    // capability sharing uses, are each caught.
    let direct = [(
        "sharing/mod.rs".to_owned(),
        code_of("fn f() { let _ = std::net::TcpStream::connect(\"h:1\"); }"),
    )];
    assert_eq!(
        sharing_reaches(&direct, &graph).len(),
        2,
        "std::net and TcpStream"
    );
    let mut through = graph.clone();
    through
        .entry("journal".to_owned())
        .or_default()
        .insert("sync".to_owned());
    let uses_journal = [(
        "sharing/mod.rs".to_owned(),
        code_of("use crate::journal::JournalCtx;"),
    )];
    assert_eq!(
        sharing_reaches(&uses_journal, &through),
        vec!["sharing depends on crate::sync".to_owned()]
    );
    assert_eq!(sharing_reaches(&uses_journal, &graph), Vec::<String>::new());
}
