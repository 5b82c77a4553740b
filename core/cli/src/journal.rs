//! `waypoint journal ...`: keep a journal from the command line.
//!
//! `--json` output is stable: entries are printed as the core's `JournalEntry` serialised
//! with serde (see README "Journal"): `id`, `revision`, `title`, `body`, `happened_at_ms`,
//! `written_at_ms`, `updated_at_ms`, `mood`, `tags`, `place`, `people`, `case_details`
//! (`hours_worked`, `wages_promised`, `wages_paid`, `debts_claimed`, `documents_withheld`,
//! `threats`) and `attachments` (`id`, `entry_id`, `name`, `mime`, `kind`, `size`,
//! `sha256`, `added_at_ms`). Times are Unix milliseconds, UTC.

use crate::output::{out, outln};
use std::io::Read;
use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::{Args, Subcommand};
use waypoint_core::journal::{CaseDetails, EntryDraft, EntryFilter, JournalEntry};
use waypoint_core::Waypoint;

use crate::output;
use crate::vault::{read_new_secret, unlock};

/// Environment variable for the export passphrase (otherwise `--passphrase-prompt` asks).
pub const EXPORT_PASSPHRASE_ENV: &str = "WAYPOINT_EXPORT_PASSPHRASE";

/// `waypoint journal ...`
#[derive(Debug, Subcommand)]
pub enum JournalCmd {
    /// Write a new entry (body from --body, or from stdin when omitted).
    Add {
        #[command(flatten)]
        fields: Fields,
        /// Files to attach (photos, recordings, documents).
        #[arg(long = "attach", value_name = "FILE")]
        attach: Vec<PathBuf>,
    },
    /// List entries, newest first.
    List {
        /// Only entries with this tag.
        #[arg(long)]
        tag: Option<String>,
        /// Only entries on or after this date (YYYY-MM-DD or RFC 3339).
        #[arg(long)]
        from: Option<String>,
        /// Only entries on or before this date (YYYY-MM-DD or RFC 3339).
        #[arg(long)]
        to: Option<String>,
        /// At most N entries.
        #[arg(long)]
        limit: Option<u32>,
    },
    /// Show one entry in full.
    Show {
        /// Entry id.
        id: String,
        /// Show every earlier revision too.
        #[arg(long)]
        history: bool,
    },
    /// Search every field (words; prefixes match, accents and case ignored).
    Search {
        /// Words to look for.
        query: String,
    },
    /// Change an entry: only the fields given are replaced; the old revision is kept.
    Edit {
        /// Entry id.
        id: String,
        #[command(flatten)]
        fields: Fields,
    },
    /// Delete an entry for good (its key, revisions and attachments).
    Delete {
        /// Entry id.
        id: String,
    },
    /// Attach a file to an entry.
    Attach {
        /// Entry id.
        id: String,
        /// The file.
        file: PathBuf,
        /// Media type (guessed from the extension when omitted).
        #[arg(long)]
        mime: Option<String>,
    },
    /// Save an attachment's content to a file.
    SaveAttachment {
        /// Attachment id.
        attachment_id: String,
        /// Where to write it.
        #[arg(long)]
        out: PathBuf,
    },
    /// Export everything as one age file for a lawyer or case worker.
    Export {
        /// Encrypt to this age recipient (age1...).
        #[arg(long, conflicts_with = "passphrase_prompt")]
        recipient: Option<String>,
        /// Encrypt to a passphrase (prompted, or WAYPOINT_EXPORT_PASSPHRASE).
        #[arg(long)]
        passphrase_prompt: bool,
        /// Output file.
        #[arg(long)]
        out: PathBuf,
        /// Include this document and its photo or scan (repeatable; see `waypoint documents`).
        #[arg(long = "document", value_name = "ID")]
        documents: Vec<String>,
    },
}

/// Entry fields shared by `add` and `edit`.
#[derive(Debug, Args)]
pub struct Fields {
    /// Title.
    #[arg(long)]
    title: Option<String>,
    /// Body text ("-" reads stdin).
    #[arg(long)]
    body: Option<String>,
    /// When it happened (YYYY-MM-DD, "YYYY-MM-DD HH:MM" UTC, or RFC 3339).
    #[arg(long)]
    happened_at: Option<String>,
    /// Mood.
    #[arg(long)]
    mood: Option<String>,
    /// Tag (repeatable).
    #[arg(long = "tag")]
    tags: Vec<String>,
    /// Place.
    #[arg(long)]
    place: Option<String>,
    /// Person involved (repeatable).
    #[arg(long = "person")]
    people: Vec<String>,
    /// Hours worked.
    #[arg(long)]
    hours_worked: Option<f64>,
    /// Wages promised.
    #[arg(long)]
    wages_promised: Option<String>,
    /// Wages paid.
    #[arg(long)]
    wages_paid: Option<String>,
    /// Debts claimed.
    #[arg(long)]
    debts_claimed: Option<String>,
    /// A document withheld (repeatable).
    #[arg(long = "document-withheld")]
    documents_withheld: Vec<String>,
    /// Threats made.
    #[arg(long)]
    threats: Option<String>,
}

/// Parses a date or date-time given on the command line (UTC).
pub fn parse_time(s: &str) -> anyhow::Result<i64> {
    use chrono::{NaiveDate, NaiveDateTime};
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(t.timestamp_millis());
    }
    for f in ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Ok(t.and_utc().timestamp_millis());
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(d
            .and_hms_opt(0, 0, 0)
            .context("midnight exists")?
            .and_utc()
            .timestamp_millis());
    }
    bail!("dates look like 2024-03-01, \"2024-03-01 14:30\" or RFC 3339")
}

fn read_stdin() -> anyhow::Result<String> {
    let mut s = String::new();
    std::io::stdin()
        .read_to_string(&mut s)
        .context("could not read the body from stdin")?;
    Ok(s)
}

impl Fields {
    fn apply(self, d: &mut EntryDraft, body_from_stdin_if_missing: bool) -> anyhow::Result<()> {
        if let Some(t) = self.title {
            d.title = t;
        }
        match self.body.as_deref() {
            Some("-") => d.body = read_stdin()?,
            Some(b) => d.body = b.to_owned(),
            None if body_from_stdin_if_missing => d.body = read_stdin()?,
            None => {}
        }
        if let Some(h) = self.happened_at {
            d.happened_at_ms = Some(parse_time(&h)?);
        }
        if self.mood.is_some() {
            d.mood = self.mood;
        }
        if !self.tags.is_empty() {
            d.tags = self.tags;
        }
        if self.place.is_some() {
            d.place = self.place;
        }
        if !self.people.is_empty() {
            d.people = self.people;
        }
        let c: &mut CaseDetails = &mut d.case_details;
        if self.hours_worked.is_some() {
            c.hours_worked = self.hours_worked;
        }
        if self.wages_promised.is_some() {
            c.wages_promised = self.wages_promised;
        }
        if self.wages_paid.is_some() {
            c.wages_paid = self.wages_paid;
        }
        if self.debts_claimed.is_some() {
            c.debts_claimed = self.debts_claimed;
        }
        if !self.documents_withheld.is_empty() {
            c.documents_withheld = self.documents_withheld;
        }
        if self.threats.is_some() {
            c.threats = self.threats;
        }
        Ok(())
    }
}

pub(crate) fn guess_mime(path: &std::path::Path) -> String {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "heic" => "image/heic",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "mp3" => "audio/mpeg",
        "m4a" => "audio/mp4",
        "ogg" | "opus" => "audio/ogg",
        "wav" => "audio/wav",
        "mp4" => "video/mp4",
        "pdf" => "application/pdf",
        "txt" => "text/plain",
        _ => "application/octet-stream",
    }
    .to_owned()
}

fn attach(
    wp: &Waypoint,
    id: &str,
    file: &std::path::Path,
    mime: Option<String>,
) -> anyhow::Result<waypoint_core::journal::AttachmentInfo> {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".to_owned());
    let path = file
        .to_str()
        .context("the file path must be valid UTF-8")?
        .to_owned();
    let mime = mime.unwrap_or_else(|| guess_mime(file));
    Ok(wp.journal().attach_file(id.to_owned(), path, name, mime)?)
}

fn when(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| d.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

fn print_line(e: &JournalEntry) {
    let at = e.happened_at_ms.unwrap_or(e.written_at_ms);
    let tags = if e.tags.is_empty() {
        String::new()
    } else {
        format!("  [{}]", e.tags.join(", "))
    };
    outln!("{}  {}  {}{}", e.id, when(at), e.title, tags);
}

fn print_full(e: &JournalEntry) {
    out!("{}", waypoint_core::journal::export::render_markdown(e));
}

/// Runs a journal command (unlocks first, locks at the end).
pub fn run(wp: &Waypoint, cmd: JournalCmd, as_json: bool) -> anyhow::Result<()> {
    unlock(wp)?;
    let result = run_unlocked(wp, cmd, as_json);
    wp.vault().lock();
    result
}

fn run_unlocked(wp: &Waypoint, cmd: JournalCmd, as_json: bool) -> anyhow::Result<()> {
    match cmd {
        JournalCmd::Add {
            fields,
            attach: files,
        } => {
            let mut d = EntryDraft::default();
            fields.apply(&mut d, true)?;
            let e = wp.journal().add(d)?;
            for f in &files {
                attach(wp, &e.id, f, None)?;
            }
            let e = wp.journal().get(e.id)?;
            if as_json {
                output::json(&e)
            } else {
                outln!("{}", e.id);
                Ok(())
            }
        }
        JournalCmd::List {
            tag,
            from,
            to,
            limit,
        } => {
            let filter = EntryFilter {
                tag,
                from_ms: from.as_deref().map(parse_time).transpose()?,
                to_ms: to.as_deref().map(parse_time).transpose()?,
                limit,
            };
            let entries = wp.journal().list(filter)?;
            let damaged = wp.journal().damaged_count()?;
            if damaged > 0 {
                eprintln!("waypoint: {damaged} entries are damaged and could not be read");
            }
            if as_json {
                return output::json(&entries);
            }
            entries.iter().for_each(print_line);
            Ok(())
        }
        JournalCmd::Show { id, history } => {
            let entries = if history {
                wp.journal().history(id)?
            } else {
                vec![wp.journal().get(id)?]
            };
            if as_json {
                return if history {
                    output::json(&entries)
                } else {
                    output::json(&entries[0])
                };
            }
            for (i, e) in entries.iter().enumerate() {
                if i > 0 {
                    outln!("\n---\n");
                }
                print_full(e);
            }
            Ok(())
        }
        JournalCmd::Search { query } => {
            let entries = wp.journal().search(query)?;
            if as_json {
                return output::json(&entries);
            }
            entries.iter().for_each(print_line);
            Ok(())
        }
        JournalCmd::Edit { id, fields } => {
            let current = wp.journal().get(id.clone())?;
            let mut d = current.to_draft();
            fields.apply(&mut d, false)?;
            let e = wp.journal().edit(id, d)?;
            if as_json {
                output::json(&e)
            } else {
                outln!("{} revision {}", e.id, e.revision);
                Ok(())
            }
        }
        JournalCmd::Delete { id } => {
            wp.journal().delete(id.clone())?;
            if as_json {
                output::json(&serde_json::json!({ "deleted": id }))
            } else {
                outln!("deleted");
                Ok(())
            }
        }
        JournalCmd::Attach { id, file, mime } => {
            let info = attach(wp, &id, &file, mime)?;
            if as_json {
                output::json(&info)
            } else {
                outln!("{}", info.id);
                Ok(())
            }
        }
        JournalCmd::SaveAttachment { attachment_id, out } => {
            let out = out
                .to_str()
                .context("--out must be valid UTF-8")?
                .to_owned();
            let n = wp.journal().save_attachment(attachment_id, out)?;
            if as_json {
                output::json(&serde_json::json!({ "bytes": n }))
            } else {
                outln!("{n} bytes written");
                Ok(())
            }
        }
        JournalCmd::Export {
            recipient,
            passphrase_prompt,
            out,
            documents,
        } => {
            let out = out
                .to_str()
                .context("--out must be valid UTF-8")?
                .to_owned();
            let summary = match (recipient, passphrase_prompt) {
                (Some(r), _) if documents.is_empty() => wp.journal().export_to_recipient(r, out)?,
                (Some(r), _) => wp
                    .documents()
                    .evidence_export_to_recipient(documents, r, out)?,
                (None, true) => {
                    let p = read_new_secret(EXPORT_PASSPHRASE_ENV, "Passphrase for the export: ")?;
                    if documents.is_empty() {
                        wp.journal().export_to_passphrase(p, out)?
                    } else {
                        wp.documents()
                            .evidence_export_to_passphrase(documents, p, out)?
                    }
                }
                (None, false) => bail!("give --recipient age1... or --passphrase-prompt"),
            };
            if as_json {
                output::json(&summary)
            } else {
                outln!(
                    "exported {} entries, {} attachments and {} document files ({} bytes); manifest chain head {}",
                    summary.entries,
                    summary.attachments,
                    summary.files,
                    summary.bytes,
                    summary.chain_head
                );
                outln!(
                    "give the chain head to the recipient separately (not with the file): \
                     only a head received that way shows the archive was not altered"
                );
                Ok(())
            }
        }
    }
}
