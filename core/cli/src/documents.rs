//! `waypoint documents ...`: the survivor's documents (passports, visas, work permits, I-94s,
//! court papers, medical records) from the command line.
//!
//! `--json` prints the core's `Document` serialised with serde: `id`, `revision`,
//! `created_at_ms`, `updated_at_ms`, `doc_type`, `label`, `number`, `issuing_country`,
//! `issued_on`, `expires_on`, `notes`, `expiry_reminder_days`, `reminder_time_zone` and
//! `file` (`name`, `mime`, `kind`, `size`, `sha256`, `added_at_ms`). Changing or removing a
//! document prints the notification ids of its old expiry reminders to cancel; `waypoint
//! reminders` plans the new ones.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};
use waypoint_core::documents::{Document, DocumentDraft, DocumentType};
use waypoint_core::Waypoint;

use crate::output::{self, out, outln};
use crate::vault::unlock;

/// `waypoint documents ...`
#[derive(Debug, Subcommand)]
pub enum DocumentsCmd {
    /// Add a document (details, and optionally its photo or scan with --file).
    Add {
        /// passport, visa, work_permit, i94, id_card, driving_licence, birth_certificate,
        /// court_paper, medical_record or other.
        #[arg(long = "type")]
        doc_type: String,
        #[command(flatten)]
        fields: Fields,
        /// Its photo or scan.
        #[arg(long)]
        file: Option<PathBuf>,
    },
    /// List documents.
    List,
    /// Show one document.
    Show {
        /// Document id.
        id: String,
    },
    /// Change a document: only the fields given are replaced.
    Edit {
        /// Document id.
        id: String,
        /// A new type.
        #[arg(long = "type")]
        doc_type: Option<String>,
        #[command(flatten)]
        fields: Fields,
        /// Turn its expiry reminders off.
        #[arg(long, conflicts_with = "remind_days_before")]
        no_reminders: bool,
    },
    /// Set (or replace) a document's photo or scan.
    SetFile {
        /// Document id.
        id: String,
        /// The file.
        file: PathBuf,
        /// Media type (guessed from the extension when omitted).
        #[arg(long)]
        mime: Option<String>,
    },
    /// Save a document's photo or scan to a file.
    SaveFile {
        /// Document id.
        id: String,
        /// Where to write it.
        #[arg(long)]
        out: PathBuf,
    },
    /// Remove a document's photo or scan (its details and reminders stay).
    RemoveFile {
        /// Document id.
        id: String,
    },
    /// Remove a document for good (its details, its file and its reminders).
    Remove {
        /// Document id.
        id: String,
    },
}

/// Fields shared by `add` and `edit`.
#[derive(Debug, Args)]
pub struct Fields {
    /// Your own name for it.
    #[arg(long)]
    label: Option<String>,
    /// Document number.
    #[arg(long)]
    number: Option<String>,
    /// Issuing country, two-letter code (MX, US, ...).
    #[arg(long)]
    country: Option<String>,
    /// Issue date, YYYY-MM-DD.
    #[arg(long)]
    issued: Option<String>,
    /// Expiry date, YYYY-MM-DD.
    #[arg(long)]
    expires: Option<String>,
    /// Notes.
    #[arg(long)]
    notes: Option<String>,
    /// Remind me this many days before it expires (repeatable, e.g. 90 30 7).
    #[arg(long = "remind-days-before", value_name = "DAYS")]
    remind_days_before: Vec<u32>,
    /// Time zone the reminders fire in, at 09:00 (IANA, e.g. America/New_York).
    #[arg(long)]
    time_zone: Option<String>,
}

impl Fields {
    fn apply(self, d: &mut DocumentDraft) {
        for (field, value) in [
            (&mut d.label, self.label),
            (&mut d.number, self.number),
            (&mut d.issuing_country, self.country),
            (&mut d.issued_on, self.issued),
            (&mut d.expires_on, self.expires),
            (&mut d.notes, self.notes),
        ] {
            if value.is_some() {
                *field = value;
            }
        }
        if !self.remind_days_before.is_empty() {
            d.expiry_reminder_days = self.remind_days_before;
        }
        if let Some(z) = self.time_zone {
            d.reminder_time_zone = z;
        }
    }
}

fn parse_type(s: &str) -> anyhow::Result<DocumentType> {
    waypoint_core::documents::DocumentType::parse(s).map_err(|_| {
        anyhow::anyhow!(
            "unknown document type; use passport, visa, work_permit, i94, id_card, \
             driving_licence, birth_certificate, court_paper, medical_record or other"
        )
    })
}

fn set_file(
    wp: &Waypoint,
    id: &str,
    file: &std::path::Path,
    mime: Option<String>,
) -> anyhow::Result<Document> {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".to_owned());
    let path = file
        .to_str()
        .context("the file path must be valid UTF-8")?
        .to_owned();
    let mime = mime.unwrap_or_else(|| crate::journal::guess_mime(file));
    Ok(wp
        .documents()
        .set_file_path(id.to_owned(), path, name, mime)?)
}

fn print_line(d: &Document) {
    let dr = &d.draft;
    out!("{}  {}", d.id, dr.doc_type.as_str());
    if let Some(l) = &dr.label {
        out!("  {l}");
    }
    if let Some(e) = &dr.expires_on {
        out!("  expires {e}");
    }
    if d.file.is_some() {
        out!("  [file]");
    }
    outln!();
}

fn print_full(d: &Document) {
    for (k, v) in waypoint_core::documents::document_rows(d) {
        outln!("{k}: {v}");
    }
    if !d.draft.expiry_reminder_days.is_empty() {
        let days: Vec<String> = d
            .draft
            .expiry_reminder_days
            .iter()
            .map(u32::to_string)
            .collect();
        outln!(
            "Reminders: {} days before, 09:00 {}",
            days.join(", "),
            d.draft.reminder_time_zone
        );
    }
    if let Some(n) = &d.draft.notes {
        outln!("\n{n}");
    }
}

fn print_cancel(ids: &[String]) {
    for id in ids {
        outln!("cancel {id}");
    }
}

/// Runs a documents command (unlocks first, locks at the end).
pub fn run(wp: &Waypoint, cmd: DocumentsCmd, as_json: bool) -> anyhow::Result<()> {
    unlock(wp)?;
    let result = run_unlocked(wp, cmd, as_json);
    wp.vault().lock();
    result
}

fn run_unlocked(wp: &Waypoint, cmd: DocumentsCmd, as_json: bool) -> anyhow::Result<()> {
    let docs = wp.documents();
    match cmd {
        DocumentsCmd::Add {
            doc_type,
            fields,
            file,
        } => {
            let mut d = DocumentDraft {
                doc_type: parse_type(&doc_type)?,
                ..DocumentDraft::default()
            };
            fields.apply(&mut d);
            let mut doc = docs.add(d)?;
            if let Some(f) = file {
                // The details are kept even if the file cannot be read: say so plainly.
                doc = set_file(wp, &doc.id, &f, None)
                    .with_context(|| format!("document {} was saved without its file", doc.id))?;
            }
            if as_json {
                output::json(&doc)
            } else {
                outln!("{}", doc.id);
                Ok(())
            }
        }
        DocumentsCmd::List => {
            let all = docs.list()?;
            let damaged = docs.damaged_count()?;
            if damaged > 0 {
                eprintln!("waypoint: {damaged} documents are damaged and could not be read");
            }
            if as_json {
                return output::json(&all);
            }
            all.iter().for_each(print_line);
            Ok(())
        }
        DocumentsCmd::Show { id } => {
            let d = docs.get(id)?;
            if as_json {
                return output::json(&d);
            }
            print_full(&d);
            Ok(())
        }
        DocumentsCmd::Edit {
            id,
            doc_type,
            fields,
            no_reminders,
        } => {
            let mut d = docs.get(id.clone())?.draft;
            if let Some(t) = doc_type {
                d.doc_type = parse_type(&t)?;
            }
            fields.apply(&mut d);
            if no_reminders {
                d.expiry_reminder_days.clear();
            }
            let change = docs.edit(id, d)?;
            if as_json {
                return output::json(&change);
            }
            outln!(
                "{} revision {}",
                change.document.id,
                change.document.revision
            );
            print_cancel(&change.cancel_notification_ids);
            Ok(())
        }
        DocumentsCmd::SetFile { id, file, mime } => {
            let d = set_file(wp, &id, &file, mime)?;
            if as_json {
                output::json(&d)
            } else {
                outln!("{} revision {}", d.id, d.revision);
                Ok(())
            }
        }
        DocumentsCmd::SaveFile { id, out } => {
            let out = out
                .to_str()
                .context("--out must be valid UTF-8")?
                .to_owned();
            let n = docs.save_file(id, out)?;
            if as_json {
                output::json(&serde_json::json!({ "bytes": n }))
            } else {
                outln!("{n} bytes written");
                Ok(())
            }
        }
        DocumentsCmd::RemoveFile { id } => {
            let d = docs.remove_file(id)?;
            if as_json {
                output::json(&d)
            } else {
                outln!("{} revision {}", d.id, d.revision);
                Ok(())
            }
        }
        DocumentsCmd::Remove { id } => {
            let change = docs.remove(id)?;
            if as_json {
                return output::json(&serde_json::json!({
                    "removed": change.document.id,
                    "cancel_notification_ids": change.cancel_notification_ids,
                }));
            }
            outln!("removed");
            print_cancel(&change.cancel_notification_ids);
            Ok(())
        }
    }
}
