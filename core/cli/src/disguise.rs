//! `waypoint calc KEYS` and `waypoint panic`.

use crate::output::outln;
use std::sync::Arc;

use waypoint_core::ffi::disguise::calculator_evaluate;
use waypoint_core::Waypoint;

/// Prints what the decoy calculator's display shows after `keys` (e.g. `12+3=` -> `15`).
/// Pure arithmetic: it never opens the data directory or tries a code.
pub fn calc(keys: &str, json: bool) -> anyhow::Result<()> {
    let display = calculator_evaluate(keys.to_owned())?;
    if json {
        outln!("{}", serde_json::json!({ "display": display }));
    } else {
        outln!("{display}");
    }
    Ok(())
}

/// Quick exit: drops every key (and wipes the vault if the person opted in). No prompt.
pub fn panic(wp: &Arc<Waypoint>, json: bool) -> anyhow::Result<()> {
    let outcome = wp.disguise()?.quick_exit()?;
    if json {
        let mut v = serde_json::to_value(&outcome)?;
        v["locked"] = serde_json::Value::Bool(true);
        outln!("{v}");
    } else {
        outln!("locked");
    }
    Ok(())
}
