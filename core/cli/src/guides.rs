//! `waypoint guides ...`: the know-your-rights guides packaged in the core, and those the
//! directory's publishers signed (held by `waypoint sync`, ids `pub-…`).
//!
//! The guides and the words around them (the "not legal advice" line, the review note,
//! headings) come from the core in the language given with `--language` (default English);
//! the CLI's own few words stay English. No passphrase is asked: the guides are public
//! information compiled into the app, and reading them stores nothing. `--json` prints the
//! core's `GuideList` or `GuideText`.

use clap::Subcommand;
use waypoint_core::Waypoint;

use crate::output::{self, outln};

/// `waypoint guides ...`
#[derive(Debug, Subcommand)]
pub enum GuidesCmd {
    /// List the guides (id, title, summary).
    List {
        /// Language (en, es, ar, vi, zh-Hans; a phone tag such as es-MX also works).
        #[arg(long, default_value = "en")]
        language: String,
    },
    /// Show one guide with its sources, review date and the help it links to.
    Show {
        /// The guide's id (from `waypoint guides list`).
        id: String,
        /// Language (en, es, ar, vi, zh-Hans; a phone tag such as es-MX also works).
        #[arg(long, default_value = "en")]
        language: String,
    },
}

/// Runs a guides command.
pub fn run(wp: &Waypoint, cmd: GuidesCmd, as_json: bool) -> anyhow::Result<()> {
    let guides = wp.guides();
    match cmd {
        GuidesCmd::List { language } => {
            let list = guides.list(language)?;
            if as_json {
                return output::json(&list);
            }
            outln!("{}\n{}", list.title, list.intro);
            for g in &list.guides {
                outln!(
                    "\n{}  {}\n  {}\n  [{}, {}]",
                    g.id,
                    g.title,
                    g.summary.replace('\n', " "),
                    g.origin,
                    g.last_reviewed
                );
            }
            Ok(())
        }
        GuidesCmd::Show { id, language } => {
            let g = guides.show(id, language).map_err(|e| match e {
                waypoint_core::WaypointApiError::InvalidInput { .. } => {
                    anyhow::anyhow!("no guide has this id; `waypoint guides list` shows them")
                }
                other => other.into(),
            })?;
            if as_json {
                return output::json(&g);
            }
            outln!("{}\n\n{}", g.title, g.summary);
            outln!("\n{}", g.origin_text);
            if let Some(note) = &g.expired_note {
                outln!("({note})");
            }
            if let Some(note) = &g.review_note {
                outln!("\n({note})");
            }
            for s in &g.sections {
                outln!("\n{}\n{}", s.heading, s.body);
            }
            outln!("\n{}", g.not_advice);
            outln!("\n{}", g.help_heading);
            for h in &g.help {
                outln!("  {} ({})", h.label, h.category);
                for (rid, name) in h.resource_ids.iter().zip(&h.resource_names) {
                    outln!("    {rid}  {name}");
                }
            }
            outln!("\n{}", g.sources_heading);
            for s in &g.sources {
                outln!("  {} <{}>", s.name, s.url);
            }
            outln!("\n{}", g.last_reviewed_text);
            Ok(())
        }
    }
}
