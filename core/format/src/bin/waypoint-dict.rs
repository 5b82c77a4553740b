//! Makes the format 2 dictionary (`core/format/dict/directory-v2.zdict`) from its recipe
//! (`waypoint_format::v2::dictionary`), or checks that the shipped file is what the recipe
//! makes:
//!
//! ```text
//! cargo run -p waypoint-format --features synth --bin waypoint-dict -- write core/format/dict/directory-v2.zdict
//! cargo run -p waypoint-format --features synth --bin waypoint-dict -- check core/format/dict/directory-v2.zdict
//! ```

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mode, path) = match args.as_slice() {
        [m, p] if m == "write" || m == "check" => (m.as_str(), p.as_str()),
        _ => {
            let _ = writeln!(std::io::stderr(), "usage: waypoint-dict write|check PATH");
            return ExitCode::from(2);
        }
    };
    let dict = match waypoint_format::v2::dictionary::train() {
        Ok(d) => d,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "training failed: {e}");
            return ExitCode::FAILURE;
        }
    };
    let sha = waypoint_format::sha256_hex(&dict);
    let mut out = std::io::stdout();
    if mode == "write" {
        if let Err(e) = std::fs::write(path, &dict) {
            let _ = writeln!(std::io::stderr(), "cannot write {path}: {e}");
            return ExitCode::FAILURE;
        }
        let _ = writeln!(out, "wrote {} bytes, sha256 {sha}", dict.len());
        return ExitCode::SUCCESS;
    }
    match std::fs::read(path) {
        Ok(shipped) if shipped == dict => {
            let _ = writeln!(out, "{path} is what the recipe makes (sha256 {sha})");
            ExitCode::SUCCESS
        }
        Ok(_) => {
            let _ = writeln!(
                out,
                "{path} differs from what the recipe makes (sha256 {sha})"
            );
            ExitCode::FAILURE
        }
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "cannot read {path}: {e}");
            ExitCode::FAILURE
        }
    }
}
