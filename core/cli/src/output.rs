//! Printing results as text or JSON, and errors as one line.

use std::io::Write;

use waypoint_core::Status;

/// Standard output's reader went away (`waypoint ... | head -1`, `| grep -q x`). Carried
/// by an unwind from [`write_out`] to `main`, which exits with status 141 (128 + SIGPIPE,
/// what the shell reports for a Unix filter stopped the same way) and prints nothing:
/// `resume_unwind` skips the panic hook, so no "panicked" line reaches stderr, and the
/// unwind still drops (and so zeroises) everything the command held.
pub struct BrokenPipe;

/// Writes to standard output: what [`outln!`] and [`out!`] expand to. `outln!` panics
/// with "failed printing to stdout: Broken pipe" when the reader has gone; this unwinds
/// with [`BrokenPipe`] instead. Any other write error still panics, with std's message.
pub fn write_out(args: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    match out.write_fmt(args) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            std::panic::resume_unwind(Box::new(BrokenPipe))
        }
        Err(e) => panic!("failed printing to stdout: {e}"),
    }
}

/// `print!` that ends quietly when standard output's reader has gone ([`write_out`]).
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::output::write_out(format_args!($($arg)*))
    };
}

/// `outln!` that ends quietly when standard output's reader has gone ([`write_out`]).
macro_rules! outln {
    () => {
        $crate::output::write_out(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::output::write_out(format_args!("{}\n", format_args!($($arg)*)))
    };
}

pub(crate) use {out, outln};

/// Flattens an error chain into one line.
pub fn one_line(e: &anyhow::Error) -> String {
    let mut s = e.to_string();
    for cause in e.chain().skip(1) {
        s.push_str(": ");
        s.push_str(&cause.to_string());
    }
    s.replace('\n', " ")
}

/// Prints `value` as pretty JSON.
pub fn json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    outln!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// `waypoint status`.
pub fn status(status: &Status, as_json: bool) -> anyhow::Result<()> {
    if as_json {
        return json(status);
    }
    outln!("core version:      {}", status.core_version);
    outln!("vault:             {:?}", status.vault);
    match status.directory_version {
        Some(v) => outln!("directory version: {v}"),
        None => outln!("directory version: none"),
    }
    for s in &status.schema {
        outln!("schema {:<12} {}", s.component, s.version);
    }
    Ok(())
}
