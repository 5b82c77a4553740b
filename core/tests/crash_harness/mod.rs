//! The half the crash tests share (`journal_crash`, `records_crash`): opening the store on a
//! fake clock, reading the child's spec, and starting the child writer, killing it with
//! SIGKILL after a random moment and collecting the writes it confirmed.
//!
//! Protocol: the parent starts this test binary again running only the child test, with
//! the child's variable set to `<data_dir>|<first_index>`; the child prints a line
//! `@@ ...` once each write has returned.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use rand::Rng;
use waypoint_core::platform::FakeClock;
use waypoint_core::vault::VaultConfig;
use waypoint_core::Core;

/// Opens the store in `dir` with a fake clock standing at `now_ms`.
pub fn open(dir: &Path, now_ms: i64) -> Arc<Core> {
    Core::open_with_config(
        dir.to_string_lossy().into_owned(),
        Arc::new(FakeClock::new(now_ms)),
        None,
        VaultConfig::for_tests(4),
    )
    .expect("the store opens after a kill")
}

/// In the child: the data folder and first index the parent passed in `env`; `None` when
/// the test runs on its own (then it has nothing to do).
pub fn child_spec(env: &str) -> Option<(PathBuf, u64)> {
    let spec = std::env::var(env).ok()?;
    let (dir, first) = spec.split_once('|').expect("dir|index");
    Some((PathBuf::from(dir), first.parse().expect("index")))
}

/// A child writer that has been killed; its output is still being read.
pub struct Killed {
    reader: JoinHandle<Vec<String>>,
}

impl Killed {
    /// The writes the child confirmed: the text after `@@ ` of every whole line it
    /// printed (a line cut by the kill is not a confirmed write), the harness's own
    /// output left out.
    pub fn confirmed(self) -> Vec<String> {
        self.reader
            .join()
            .expect("reader")
            .into_iter()
            // The harness may print "test <name> ... " before the first line.
            .filter_map(|line| line.find("@@ ").map(|at| line[at + 3..].to_owned()))
            .collect()
    }
}

/// Starts the child test `child_test` of this binary with `env` set to
/// `<dir>|<round * 1_000_000>`, lets it write for 20 to 400 ms, and kills it with SIGKILL.
pub fn run_and_kill(child_test: &str, env: &str, dir: &Path, round: u64) -> Killed {
    let exe = std::env::current_exe().expect("test exe");
    let mut child = Command::new(&exe)
        .args(["--exact", child_test, "--nocapture", "--test-threads=1"])
        .env(env, format!("{}|{}", dir.display(), round * 1_000_000))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn writer");
    let stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut lines = Vec::new();
        let mut r = BufReader::new(stdout);
        loop {
            let mut line = String::new();
            match r.read_line(&mut line) {
                Ok(0) | Err(_) => break,
                // A line cut by the kill is not a confirmed write.
                Ok(_) if line.ends_with('\n') => lines.push(line),
                Ok(_) => break,
            }
        }
        lines
    });
    std::thread::sleep(Duration::from_millis(rand::thread_rng().gen_range(20..400)));
    child.kill().expect("SIGKILL");
    child.wait().expect("reap");
    Killed { reader }
}
