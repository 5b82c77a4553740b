//! The survivor's safety plan, and a short optional check-in that suggests kinds of help.
//!
//! # The plan
//! Eight sections a survivor can fill, change, skip or clear, in any order and at any
//! time: warning signs, safe places, people to call, what to take, a code word, steps to
//! leave, children, pets ([`Section`]). Each holds short items in the survivor's own words
//! and free notes. Every section has a guided prompt ([`guide`]) written in a
//! trauma-informed voice: no blame, no pressure, "you can skip this". The words live in
//! `core/locales/<lang>/safety_plan.ftl`; this module only names their ids.
//!
//! Storage: one sealed record per vault in `safety_plan(tag, revision, sealed)`, the row
//! found by the vault's keyed tag (`row_tag("safety-plan", "")`), the whole plan sealed by
//! the vault sealer (kind `safety-plan`, AAD = "" + revision). A duress session has its own
//! (empty) plan and never reads or changes the real one.
//!
//! # The check-in
//! A few yes/no questions ([`CheckQuestion`]), each optional. [`check_in`] is a pure
//! function: the answers are never stored, logged or sent anywhere; they only choose which
//! kinds of help from the directory ([`waypoint_format::Category`]) to suggest. There is no
//! score and no "risk level": a survivor is never told how endangered they are by an app.
//!
//! Rollback: a sealed per-vault manifest (`safety_plan_manifest`, the journal's manifest
//! code, [`crate::journal::manifest`]) records the plan's revision and is rewritten in the
//! same transaction as every change and the delete. A plan row put back from an older copy
//! (also after a delete), or a deleted row, no longer matches it: [`load`] is then a
//! storage error and [`damaged_count`] says 1, until [`delete`] acknowledges it. A new
//! plan's first revision is above every revision the vault wrote before, so no earlier
//! plan's row can match. Rows written under a manifest are sealed with their own id
//! ("with-manifest"); a plan from before manifests is adopted at the first unlock.

#[cfg(test)]
mod rollback_tests;
#[cfg(test)]
mod tests;

use rusqlite::OptionalExtension;
use unicode_normalization::UnicodeNormalization;
use waypoint_format::record::Category;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::journal::manifest::{self, Manifest};
use crate::session::Session;
use crate::store::{Component, Store, Table};

/// Record kind (sealer and row tag) of a vault's safety plan.
pub const KIND: &str = "safety-plan";
const FORMAT: u32 = 1;
/// Most items in one section.
pub const MAX_ITEMS: usize = 50;
/// Longest item, in characters.
pub const MAX_ITEM_CHARS: usize = 500;
/// Longest notes of one section, in bytes.
pub const MAX_NOTES_BYTES: usize = 16 * 1024;

/// The safety plan's storage.
pub const SAFETY_PLAN: Component = Component {
    name: "safety_plan",
    tables: &[
        Table::per_vault("safety_plan", KIND),
        Table::per_vault("safety_plan_manifest", MANIFEST.kind),
    ],
    personal_dirs: &[],
    steps: &[
        "CREATE TABLE safety_plan (
             tag BLOB PRIMARY KEY,
             revision INTEGER NOT NULL,
             sealed BLOB NOT NULL
          ) STRICT;",
        // One sealed manifest per vault (see `journal::manifest`), found by its keyed tag.
        "CREATE TABLE safety_plan_manifest (
             tag BLOB PRIMARY KEY,
             counter INTEGER NOT NULL,
             sealed BLOB NOT NULL
          ) STRICT;",
    ],
};

/// A section of the plan.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// Signs that things may be getting more dangerous.
    WarningSigns,
    /// Places to go.
    SafePlaces,
    /// People (and hotlines) to call or message.
    PeopleToCall,
    /// What to take when leaving.
    WhatToTake,
    /// A word or phrase that tells someone trusted to help.
    CodeWord,
    /// Steps to leave.
    StepsToLeave,
    /// Keeping children safe.
    Children,
    /// Looking after pets.
    Pets,
}

impl std::fmt::Debug for Section {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Which section someone filled is not secret in itself, but keep Debug uniform.
        f.write_str(self.as_str())
    }
}

impl Section {
    /// Every section, in the order the plan shows them.
    pub const ALL: [Section; 8] = [
        Self::WarningSigns,
        Self::SafePlaces,
        Self::PeopleToCall,
        Self::WhatToTake,
        Self::CodeWord,
        Self::StepsToLeave,
        Self::Children,
        Self::Pets,
    ];

    /// The stable snake_case name (CLI and JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::WarningSigns => "warning_signs",
            Self::SafePlaces => "safe_places",
            Self::PeopleToCall => "people_to_call",
            Self::WhatToTake => "what_to_take",
            Self::CodeWord => "code_word",
            Self::StepsToLeave => "steps_to_leave",
            Self::Children => "children",
            Self::Pets => "pets",
        }
    }

    /// Parses a snake_case (or kebab-case) name.
    pub fn parse(s: &str) -> Result<Self> {
        let s = s.trim().to_ascii_lowercase().replace('-', "_");
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| Error::invalid("section", "unknown section"))
    }

    /// Message id of the section's title.
    pub fn title_id(self) -> &'static str {
        match self {
            Self::WarningSigns => crate::i18n::mid!("plan-section-warning-signs"),
            Self::SafePlaces => crate::i18n::mid!("plan-section-safe-places"),
            Self::PeopleToCall => crate::i18n::mid!("plan-section-people-to-call"),
            Self::WhatToTake => crate::i18n::mid!("plan-section-what-to-take"),
            Self::CodeWord => crate::i18n::mid!("plan-section-code-word"),
            Self::StepsToLeave => crate::i18n::mid!("plan-section-steps-to-leave"),
            Self::Children => crate::i18n::mid!("plan-section-children"),
            Self::Pets => crate::i18n::mid!("plan-section-pets"),
        }
    }

    /// Message id of the section's guided prompt.
    pub fn prompt_id(self) -> &'static str {
        match self {
            Self::WarningSigns => crate::i18n::mid!("plan-prompt-warning-signs"),
            Self::SafePlaces => crate::i18n::mid!("plan-prompt-safe-places"),
            Self::PeopleToCall => crate::i18n::mid!("plan-prompt-people-to-call"),
            Self::WhatToTake => crate::i18n::mid!("plan-prompt-what-to-take"),
            Self::CodeWord => crate::i18n::mid!("plan-prompt-code-word"),
            Self::StepsToLeave => crate::i18n::mid!("plan-prompt-steps-to-leave"),
            Self::Children => crate::i18n::mid!("plan-prompt-children"),
            Self::Pets => crate::i18n::mid!("plan-prompt-pets"),
        }
    }

    /// Message id of an example item (a hint, never saved unless typed).
    pub fn example_id(self) -> &'static str {
        match self {
            Self::WarningSigns => crate::i18n::mid!("plan-example-warning-signs"),
            Self::SafePlaces => crate::i18n::mid!("plan-example-safe-places"),
            Self::PeopleToCall => crate::i18n::mid!("plan-example-people-to-call"),
            Self::WhatToTake => crate::i18n::mid!("plan-example-what-to-take"),
            Self::CodeWord => crate::i18n::mid!("plan-example-code-word"),
            Self::StepsToLeave => crate::i18n::mid!("plan-example-steps-to-leave"),
            Self::Children => crate::i18n::mid!("plan-example-children"),
            Self::Pets => crate::i18n::mid!("plan-example-pets"),
        }
    }
}

/// Message ids of the plan's general words.
pub mod ids {
    /// The plan's title.
    pub const TITLE: &str = crate::i18n::mid!("plan-title");
    /// The words before the first section.
    pub const INTRO: &str = crate::i18n::mid!("plan-intro");
    /// The skip button of every section.
    pub const SKIP: &str = crate::i18n::mid!("plan-skip");
    /// What a skipped section says.
    pub const SKIPPED: &str = crate::i18n::mid!("plan-skipped");
    /// What an empty section says.
    pub const EMPTY: &str = crate::i18n::mid!("plan-empty-section");
    /// The check-in's title.
    pub const CHECK_TITLE: &str = crate::i18n::mid!("check-title");
    /// The words before the check-in's questions (answers are not kept).
    pub const CHECK_INTRO: &str = crate::i18n::mid!("check-intro");
    /// Above the suggested kinds of help.
    pub const CHECK_RESULT_INTRO: &str = crate::i18n::mid!("check-result-intro");
    /// When no answer suggests anything.
    pub const CHECK_RESULT_NONE: &str = crate::i18n::mid!("check-result-none");
    /// Answer: yes.
    pub const YES: &str = crate::i18n::mid!("check-answer-yes");
    /// Answer: no.
    pub const NO: &str = crate::i18n::mid!("check-answer-no");
    /// Answer: rather not say.
    pub const SKIP_ANSWER: &str = crate::i18n::mid!("check-answer-skip");
}

/// What the survivor wrote in one section.
#[derive(Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(default)]
pub struct SectionContent {
    /// Short items in their own words (places, names and numbers, things to take, steps).
    pub items: Vec<String>,
    /// Free notes.
    pub notes: Option<String>,
}

impl std::fmt::Debug for SectionContent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SectionContent(<redacted>)")
    }
}

/// One section as stored.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PlanSection {
    /// Which section.
    pub section: Section,
    /// What was written (empty when skipped or not yet filled).
    pub content: SectionContent,
    /// The survivor chose to skip it for now.
    pub skipped: bool,
    /// When it was last changed (Unix ms), if ever.
    pub updated_at_ms: Option<i64>,
}

impl std::fmt::Debug for PlanSection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlanSection")
            .field("section", &self.section)
            .finish_non_exhaustive()
    }
}

/// The whole plan: every section, in [`Section::ALL`] order.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SafetyPlan {
    /// Every section, always all eight.
    pub sections: Vec<PlanSection>,
    /// Changes so far (0: never written).
    pub revision: u64,
}

impl std::fmt::Debug for SafetyPlan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SafetyPlan")
            .field("revision", &self.revision)
            .finish_non_exhaustive()
    }
}

impl SafetyPlan {
    /// A plan with nothing written.
    pub fn empty() -> Self {
        Self {
            sections: Section::ALL
                .into_iter()
                .map(|section| PlanSection {
                    section,
                    content: SectionContent::default(),
                    skipped: false,
                    updated_at_ms: None,
                })
                .collect(),
            revision: 0,
        }
    }

    /// One section.
    pub fn section(&self, section: Section) -> Option<&PlanSection> {
        self.sections.iter().find(|s| s.section == section)
    }

    fn section_mut(&mut self, section: Section) -> &mut PlanSection {
        if !self.sections.iter().any(|s| s.section == section) {
            self.sections.push(PlanSection {
                section,
                content: SectionContent::default(),
                skipped: false,
                updated_at_ms: None,
            });
            self.sections.sort_by_key(|s| s.section);
        }
        self.sections
            .iter_mut()
            .find(|s| s.section == section)
            .expect("the section was just added")
    }
}

/// Validates and normalises a section's content. Errors name the field, never the content.
pub fn validate(c: &SectionContent) -> Result<SectionContent> {
    if c.items.len() > MAX_ITEMS {
        return Err(Error::invalid("items", "at most 50 in one section"));
    }
    let mut items = Vec::new();
    for item in &c.items {
        let s: String = item.trim().nfc().collect();
        if s.is_empty() {
            continue;
        }
        if s.chars().count() > MAX_ITEM_CHARS {
            return Err(Error::invalid("items", "one is longer than 500 characters"));
        }
        items.push(s);
    }
    let notes = match c.notes.as_deref() {
        None => None,
        Some(n) if n.trim().is_empty() => None,
        Some(n) if n.len() > MAX_NOTES_BYTES => {
            return Err(Error::invalid("notes", "too long (16 KiB at most)"))
        }
        Some(n) => Some(n.nfc().collect()),
    };
    Ok(SectionContent { items, notes })
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Stored {
    format: u32,
    plan: SafetyPlan,
}

fn rev_col(v: u64) -> Result<i64> {
    i64::try_from(v).map_err(|_| Error::Corrupt("safety plan revision"))
}

/// The safety plan's rollback-protection manifest (one per vault; the journal's code).
pub(crate) const MANIFEST: manifest::Spec = manifest::Spec {
    table: "safety_plan_manifest",
    kind: "safety-plan-manifest",
    magic: b"wp-pman1",
    what: "safety plan manifest",
};
/// The plan's id in its manifest.
const PLAN_ID: &str = manifest::SINGLE_RECORD_ID;
/// The sealed id (AAD) of a plan row written once its vault keeps a manifest. Only a row
/// sealed before manifests (id "") can be adopted by a vault that has no manifest yet.
const SEALED_WITH_MANIFEST: &str = "with-manifest";
const SEALED_BEFORE_MANIFESTS: &str = "";

/// Why the plan is set aside.
const NOT_CURRENT: Error = Error::Corrupt(
    "the safety plan is not the version last saved (put back or removed); delete it to start again",
);

/// This vault's plan manifest as loaded after unlock or last written (in the session).
#[derive(Debug)]
struct Checked {
    manifest: Manifest,
    /// The manifest was missing or unreadable although the vault has a plan (or had a
    /// manifest): reported as damaged until the next write records a new one.
    integrity_lost: bool,
}

fn read_row(store: &Store, tag: &[u8]) -> Result<Option<(i64, Vec<u8>)>> {
    store.with_conn(|c| {
        Ok(c.query_row(
            "SELECT revision, sealed FROM safety_plan WHERE tag = ?1",
            [tag],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
    })
}

fn checked<'s>(store: &Store, session: &'s mut Session) -> Result<&'s mut Checked> {
    if session.cache_mut::<Checked>().is_none() {
        let checked = load_manifest(store, session)?;
        session.put_cache(checked);
    }
    session
        .cache_mut::<Checked>()
        .ok_or(Error::Corrupt("safety plan manifest"))
}

fn load_manifest(store: &Store, session: &Session) -> Result<Checked> {
    let loaded = store.with_conn(|c| manifest::load(c, &MANIFEST, session))?;
    let tag = session.row_tag(KIND, "")?;
    let row = read_row(store, &tag)?;
    match loaded {
        manifest::Loaded::Found(m) => Ok(Checked {
            manifest: m,
            integrity_lost: false,
        }),
        manifest::Loaded::Missing { stored_counter } => {
            let mut present = std::collections::BTreeMap::new();
            let mut adoptable = None;
            if let Some((revision, sealed)) = &row {
                let rev = u64::try_from(*revision).unwrap_or(u64::MAX);
                present.insert(PLAN_ID.to_owned(), rev);
                if session
                    .sealer
                    .open(KIND, SEALED_WITH_MANIFEST, rev, sealed)
                    .is_err()
                {
                    adoptable = session
                        .sealer
                        .open(KIND, SEALED_BEFORE_MANIFESTS, rev, sealed)
                        .ok()
                        .map(|plain| (rev, plain));
                }
            }
            let verdict = manifest::verdict(stored_counter, row.is_some(), adoptable.is_some());
            let found = manifest::from_rows(stored_counter, present, Default::default());
            let Some((rev, plain)) = adoptable.filter(|_| verdict == manifest::Verdict::Adopt)
            else {
                return Ok(Checked {
                    manifest: found,
                    integrity_lost: verdict == manifest::Verdict::Lost,
                });
            };
            // First unlock after the upgrade to manifests: record the plan and reseal it
            // as written under a manifest, in one transaction (it cannot be adopted again).
            let pending = found.next(&MANIFEST, session, |_| {})?;
            let resealed = session
                .sealer
                .seal(KIND, SEALED_WITH_MANIFEST, rev, &plain)?;
            store.transaction(|tx| {
                tx.execute(
                    "UPDATE safety_plan SET sealed = ?2 WHERE tag = ?1 AND revision = ?3",
                    rusqlite::params![tag, resealed, rev_col(rev)?],
                )?;
                pending.store(tx)
            })?;
            Ok(Checked {
                manifest: pending.manifest,
                integrity_lost: false,
            })
        }
    }
}

/// The vault's plan and the revision of its row (`None`: no plan written), checked against
/// the manifest: a row at another revision than it records (an older copy put back), a row
/// it does not name (put back after the plan was deleted) and a recorded plan without a row
/// (the row deleted) are each [`NOT_CURRENT`].
fn load_checked(store: &Store, session: &mut Session) -> Result<(SafetyPlan, Option<u64>)> {
    let tag = session.row_tag(KIND, "")?;
    let row = read_row(store, &tag)?;
    let present: std::collections::BTreeMap<String, u64> = row
        .iter()
        .map(|(revision, _)| {
            (
                PLAN_ID.to_owned(),
                u64::try_from(*revision).unwrap_or(u64::MAX),
            )
        })
        .collect();
    if !manifest::compare(&checked(store, session)?.manifest, &present).is_empty() {
        return Err(NOT_CURRENT);
    }
    let Some((revision, sealed)) = row else {
        return Ok((SafetyPlan::empty(), None));
    };
    let revision = u64::try_from(revision).map_err(|_| Error::Corrupt("safety plan revision"))?;
    let plain = session
        .sealer
        .open(KIND, SEALED_WITH_MANIFEST, revision, &sealed)
        .or_else(|_| {
            // The same revision as adopted, sealed before manifests (same content).
            session
                .sealer
                .open(KIND, SEALED_BEFORE_MANIFESTS, revision, &sealed)
        })?;
    let stored: Stored =
        serde_json::from_slice(&plain).map_err(|_| Error::Corrupt("safety plan"))?;
    if stored.format != FORMAT || stored.plan.revision != revision {
        return Err(Error::Corrupt("safety plan"));
    }
    let mut plan = stored.plan;
    // Always all eight sections, in order (a plan written by a build with fewer sections
    // gains the new ones empty).
    for s in Section::ALL {
        plan.section_mut(s);
    }
    Ok((plan, Some(revision)))
}

/// The vault's plan (an empty one when nothing was written yet). A plan that is not the
/// version last saved (put back from an older copy, or its row removed) is a storage error
/// ([`damaged_count`] says 1); deleting it acknowledges it.
pub fn load(store: &Store, session: &mut Session) -> Result<SafetyPlan> {
    Ok(load_checked(store, session)?.0)
}

/// 1 when the plan is set aside (failed authentication or the manifest check) or the
/// manifest itself is missing or unreadable although a plan exists; otherwise 0.
pub fn damaged_count(store: &Store, session: &mut Session) -> Result<u32> {
    let lost = checked(store, session)?.integrity_lost;
    match load_checked(store, session) {
        Ok(_) => Ok(u32::from(lost)),
        Err(Error::Corrupt(_)) => Ok(1),
        Err(e) => Err(e),
    }
}

fn save(store: &Store, session: &mut Session, plan: &SafetyPlan, old: Option<u64>) -> Result<()> {
    let tag = session.row_tag(KIND, "")?;
    let bytes = Zeroizing::new(
        serde_json::to_vec(&Stored {
            format: FORMAT,
            plan: plan.clone(),
        })
        .map_err(|_| Error::Crypto("safety plan encoding"))?,
    );
    let sealed = session
        .sealer
        .seal(KIND, SEALED_WITH_MANIFEST, plan.revision, &bytes)?;
    let rev = rev_col(plan.revision)?;
    let pending = checked(store, session)?
        .manifest
        .clone()
        .next(&MANIFEST, session, |m| {
            m.entries.insert(PLAN_ID.to_owned(), plan.revision);
        })?;
    store.transaction(|tx| {
        let changed = match old {
            None => tx.execute(
                "INSERT INTO safety_plan (tag, revision, sealed) VALUES (?1, ?2, ?3)
                 ON CONFLICT(tag) DO NOTHING",
                rusqlite::params![tag, rev, sealed],
            )?,
            Some(old) => tx.execute(
                "UPDATE safety_plan SET revision = ?2, sealed = ?3 WHERE tag = ?1 AND revision = ?4",
                rusqlite::params![tag, rev, sealed, rev_col(old)?],
            )?,
        };
        if changed != 1 {
            // Someone else changed the plan meanwhile: nothing is overwritten.
            return Err(Error::Corrupt("safety plan changed meanwhile"));
        }
        pending.store(tx)
    })?;
    note(store, session, pending.manifest)
}

fn note(store: &Store, session: &mut Session, m: Manifest) -> Result<()> {
    let c = checked(store, session)?;
    c.manifest = m;
    c.integrity_lost = false;
    Ok(())
}

fn change(
    store: &Store,
    session: &mut Session,
    f: impl FnOnce(&mut SafetyPlan),
) -> Result<SafetyPlan> {
    let (mut plan, old) = load_checked(store, session)?;
    f(&mut plan);
    // A new plan (also after a delete) starts above every revision this vault ever wrote
    // (each plan write moves the manifest's counter on by one), so no older row of an
    // earlier plan can ever match what the manifest records.
    plan.revision = match old {
        Some(r) => r + 1,
        None => checked(store, session)?.manifest.counter + 1,
    };
    save(store, session, &plan, old)?;
    Ok(plan)
}

/// Replaces what a section holds (and un-skips it).
pub fn set_section(
    store: &Store,
    session: &mut Session,
    section: Section,
    content: &SectionContent,
    now_ms: i64,
) -> Result<SafetyPlan> {
    let content = validate(content)?;
    change(store, session, |plan| {
        let s = plan.section_mut(section);
        s.content = content;
        s.skipped = false;
        s.updated_at_ms = Some(now_ms);
    })
}

/// Marks a section skipped for now. What it held is kept (skipping never loses words);
/// clear it to remove them.
pub fn skip_section(
    store: &Store,
    session: &mut Session,
    section: Section,
    now_ms: i64,
) -> Result<SafetyPlan> {
    change(store, session, |plan| {
        let s = plan.section_mut(section);
        s.skipped = true;
        s.updated_at_ms = Some(now_ms);
    })
}

/// Empties a section (and un-skips it).
pub fn clear_section(
    store: &Store,
    session: &mut Session,
    section: Section,
    now_ms: i64,
) -> Result<SafetyPlan> {
    change(store, session, |plan| {
        let s = plan.section_mut(section);
        s.content = SectionContent::default();
        s.skipped = false;
        s.updated_at_ms = Some(now_ms);
    })
}

/// Deletes the vault's whole plan (the row goes; `secure_delete` and a checkpoint zero it).
/// Also deletes (acknowledges) a plan that was set aside.
pub fn delete(store: &Store, session: &mut Session) -> Result<()> {
    let tag = session.row_tag(KIND, "")?;
    let current = checked(store, session)?.manifest.clone();
    if read_row(store, &tag)?.is_none() && !current.entries.contains_key(PLAN_ID) {
        return Ok(()); // nothing written, nothing recorded
    }
    let pending = current.next(&MANIFEST, session, |m| {
        m.entries.remove(PLAN_ID);
    })?;
    store.transaction(|tx| {
        tx.execute("DELETE FROM safety_plan WHERE tag = ?1", [&tag])?;
        pending.store(tx)
    })?;
    note(store, session, pending.manifest)?;
    store.checkpoint()
}

/// One section's guided words (message ids).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionGuide {
    /// Which section.
    pub section: Section,
    /// Title id.
    pub title_id: &'static str,
    /// Guided prompt id.
    pub prompt_id: &'static str,
    /// Example id.
    pub example_id: &'static str,
}

/// The guided prompts of every section, in order.
pub fn guide() -> Vec<SectionGuide> {
    Section::ALL
        .into_iter()
        .map(|section| SectionGuide {
            section,
            title_id: section.title_id(),
            prompt_id: section.prompt_id(),
            example_id: section.example_id(),
        })
        .collect()
}

/// A question of the check-in.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum CheckQuestion {
    /// Feeling unsafe right now.
    UnsafeNow,
    /// Needing a safe place to stay.
    NeedPlace,
    /// Someone keeping their passport, ID or papers.
    DocumentsHeld,
    /// Hurt, or needing a doctor.
    Hurt,
    /// Made to work, or held by a debt.
    ForcedWork,
    /// Worried about children, or separated from family.
    Children,
    /// Wanting to talk about how they feel.
    Feelings,
    /// Worried about immigration status.
    Immigration,
}

impl std::fmt::Debug for CheckQuestion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CheckQuestion")
    }
}

impl CheckQuestion {
    /// Every question, in the order asked.
    pub const ALL: [CheckQuestion; 8] = [
        Self::UnsafeNow,
        Self::NeedPlace,
        Self::DocumentsHeld,
        Self::Hurt,
        Self::ForcedWork,
        Self::Children,
        Self::Feelings,
        Self::Immigration,
    ];

    /// The stable snake_case name (CLI).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UnsafeNow => "unsafe_now",
            Self::NeedPlace => "need_place",
            Self::DocumentsHeld => "documents_held",
            Self::Hurt => "hurt",
            Self::ForcedWork => "forced_work",
            Self::Children => "children",
            Self::Feelings => "feelings",
            Self::Immigration => "immigration",
        }
    }

    /// Parses a snake_case (or kebab-case) name.
    pub fn parse(s: &str) -> Result<Self> {
        let s = s.trim().to_ascii_lowercase().replace('-', "_");
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| Error::invalid("question", "unknown question"))
    }

    /// Message id of the question.
    pub fn text_id(self) -> &'static str {
        match self {
            Self::UnsafeNow => crate::i18n::mid!("check-q-unsafe-now"),
            Self::NeedPlace => crate::i18n::mid!("check-q-need-place"),
            Self::DocumentsHeld => crate::i18n::mid!("check-q-documents-held"),
            Self::Hurt => crate::i18n::mid!("check-q-hurt"),
            Self::ForcedWork => crate::i18n::mid!("check-q-forced-work"),
            Self::Children => crate::i18n::mid!("check-q-children"),
            Self::Feelings => crate::i18n::mid!("check-q-feelings"),
            Self::Immigration => crate::i18n::mid!("check-q-immigration"),
        }
    }

    /// The kinds of help a "yes" suggests, most urgent first.
    pub fn suggests(self) -> &'static [Category] {
        match self {
            Self::UnsafeNow => &[Category::Emergency, Category::Hotline],
            Self::NeedPlace => &[Category::EmergencyShelter, Category::Housing],
            Self::DocumentsHeld => &[Category::LegalAid, Category::Immigration],
            Self::Hurt => &[Category::Medical],
            Self::ForcedWork => &[Category::Hotline, Category::LegalAid, Category::Employment],
            Self::Children => &[Category::FamilyReunification, Category::EmergencyShelter],
            Self::Feelings => &[Category::MentalHealth, Category::SupportGroup],
            Self::Immigration => &[Category::Immigration, Category::LegalAid],
        }
    }
}

/// One answer of the check-in. Anything not answered "yes" suggests nothing.
#[derive(Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CheckAnswer {
    /// Which question.
    pub question: CheckQuestion,
    /// Yes (true) or no (false). A question not answered is simply left out.
    pub yes: bool,
}

impl std::fmt::Debug for CheckAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CheckAnswer(<redacted>)")
    }
}

/// The kinds of help the answers suggest, most urgent first, each once. Pure: nothing is
/// stored, logged or sent. Every "yes" adds its kinds in the order of [`CheckQuestion::ALL`]
/// (so "unsafe now" always puts emergency help first); "no" and unanswered add nothing.
pub fn check_in(answers: &[CheckAnswer]) -> Vec<Category> {
    let mut out: Vec<Category> = Vec::new();
    for q in CheckQuestion::ALL {
        if answers.iter().any(|a| a.question == q && a.yes) {
            for c in q.suggests() {
                if !out.contains(c) {
                    out.push(*c);
                }
            }
        }
    }
    out
}

/// Message id of a kind of help's name (the directory's own category names).
pub fn category_label_id(c: Category) -> &'static str {
    match c {
        Category::Emergency => crate::i18n::mid!("category-emergency"),
        Category::Hotline => crate::i18n::mid!("category-hotline"),
        Category::EmergencyShelter => crate::i18n::mid!("category-emergency-shelter"),
        Category::Housing => crate::i18n::mid!("category-housing"),
        Category::Medical => crate::i18n::mid!("category-medical"),
        Category::MentalHealth => crate::i18n::mid!("category-mental-health"),
        Category::LegalAid => crate::i18n::mid!("category-legal-aid"),
        Category::Immigration => crate::i18n::mid!("category-immigration"),
        Category::Employment => crate::i18n::mid!("category-employment"),
        Category::Education => crate::i18n::mid!("category-education"),
        Category::FoodClothing => crate::i18n::mid!("category-food-clothing"),
        Category::FamilyReunification => crate::i18n::mid!("category-family-reunification"),
        Category::SupportGroup => crate::i18n::mid!("category-support-group"),
        Category::SubstanceUse => crate::i18n::mid!("category-substance-use"),
    }
}
