//! Printing results as text or JSON, and errors as one line.

use waypoint_core::Status;

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
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// `waypoint status`.
pub fn status(status: &Status, as_json: bool) -> anyhow::Result<()> {
    if as_json {
        return json(status);
    }
    println!("core version:      {}", status.core_version);
    println!("vault:             {:?}", status.vault);
    match status.directory_version {
        Some(v) => println!("directory version: {v}"),
        None => println!("directory version: none"),
    }
    for s in &status.schema {
        println!("schema {:<12} {}", s.component, s.version);
    }
    Ok(())
}
