//! The CLI's output piped into a reader that stops early (`waypoint sync --list --json |
//! grep -q x`): it ends quietly with status 141 (128 + SIGPIPE, as a Unix filter does),
//! never with a "panicked ... Broken pipe" message.

#![cfg(target_os = "linux")]

use std::io::Read;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::process::{Command, Stdio};

use waypoint_e2e::bin;

/// Runs `waypoint ARGS` with its stdout in a one-page pipe, reads one byte, closes the
/// pipe and returns (exit status, stderr).
fn read_one_byte_then_close(args: &[&str]) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut fds = [0; 2];
    // Close-on-exec: a child holding a copy of the read end would never see it close.
    // SAFETY: `fds` has room for the two descriptors `pipe2` returns; each is owned once.
    let (mut reader, writer) = unsafe {
        assert_eq!(libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC), 0, "pipe");
        (
            std::fs::File::from(OwnedFd::from_raw_fd(fds[0])),
            OwnedFd::from_raw_fd(fds[1]),
        )
    };
    // One page: the output (~30 KB) cannot all fit, so the CLI is still writing when the
    // pipe closes, whatever the scheduling.
    // SAFETY: F_SETPIPE_SZ on a pipe descriptor this function owns.
    let size = unsafe { libc::fcntl(reader.as_raw_fd(), libc::F_SETPIPE_SZ, 4096) };
    assert!(size >= 4096, "F_SETPIPE_SZ");
    let mut child = Command::new(bin("waypoint"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(args)
        .env_remove("WAYPOINT_PASSPHRASE")
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn waypoint");
    let mut one = [0u8; 1];
    reader.read_exact(&mut one).expect("first byte");
    drop(reader);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("stderr");
    let status = child.wait().expect("wait");
    (status.code(), stderr)
}

#[test]
fn sync_list_into_a_closed_pipe_ends_quietly() {
    let (code, stderr) = read_one_byte_then_close(&["sync", "--list", "--json"]);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(stderr, "", "nothing on stderr");
    assert_eq!(code, Some(141));
}

#[test]
fn text_search_into_a_closed_pipe_ends_quietly() {
    let (code, stderr) = read_one_byte_then_close(&["directory", "search", "--limit", "500"]);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(stderr, "", "nothing on stderr");
    assert_eq!(code, Some(141));
}
