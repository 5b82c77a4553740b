//! The in-memory journal: decrypted entries, their keys and a full-text index.
//!
//! Built after unlock from the sealed rows, kept only inside the [`crate::session::Session`]
//! and dropped on lock. Nothing here is ever written anywhere.

use std::collections::{BTreeMap, HashMap, HashSet};

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;
use zeroize::Zeroizing;

use super::{EntryFilter, JournalEntry};
use crate::crypto::KindSealer;

/// The per-entry key: an age X25519 identity (attachments are age files to it) and the
/// record sealer derived from it (the entry's revisions).
#[derive(Clone)]
pub struct EntryKey {
    pub(crate) identity: Zeroizing<String>,
    pub(crate) revisions: KindSealer,
    pub(crate) attachments: KindSealer,
    /// Accounts for the identity string in tests (its sealers carry their own probes).
    pub(crate) _probe: crate::crypto::KeyProbe,
}

impl std::fmt::Debug for EntryKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EntryKey(<redacted>)")
    }
}

/// Decrypted entries and the full-text index; lives only in the session.
#[derive(Default)]
pub struct JournalIndex {
    pub(crate) entries: HashMap<String, (JournalEntry, EntryKey)>,
    /// Search terms -> entry ids; built on the first search (listing does not need it).
    terms: Option<BTreeMap<String, HashSet<String>>>,
    /// Rows of this vault that failed authentication (tampered or damaged) or the
    /// manifest check (rolled back, put back, deleted).
    pub(crate) damaged: HashSet<String>,
    /// Attachments of this vault's entries that failed the manifest check (put back after
    /// deletion, or deleted): attachment id -> entry id. Not shown; counted as damaged.
    pub(crate) damaged_attachments: HashMap<String, String>,
    /// This vault's manifest as last loaded or written.
    pub(crate) manifest: super::manifest::Manifest,
    /// The manifest was missing or unreadable although the vault has entries.
    pub(crate) integrity_lost: bool,
    /// The manifest is missing and every entry was listed by the upgrade: write one now.
    pub(crate) adopt_pending: bool,
}

impl std::fmt::Debug for JournalIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "JournalIndex(<redacted>, {} entries)",
            self.entries.len()
        )
    }
}

/// Splits text into lower-case, accent-free search terms.
pub fn terms(text: &str) -> Vec<String> {
    // Most text is ASCII: lower-casing is all the folding it needs, and skipping the
    // Unicode decomposition makes building the index after unlock several times faster.
    let folded: String = if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        text.nfkd()
            .filter(|c| !is_combining_mark(*c))
            .flat_map(char::to_lowercase)
            .collect()
    };
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

fn entry_terms(e: &JournalEntry) -> HashSet<String> {
    let mut out = HashSet::new();
    let d = &e.case_details;
    let texts = [
        Some(e.title.as_str()),
        Some(e.body.as_str()),
        e.mood.as_deref(),
        e.place.as_deref(),
        d.wages_promised.as_deref(),
        d.wages_paid.as_deref(),
        d.debts_claimed.as_deref(),
        d.threats.as_deref(),
    ];
    for t in texts.into_iter().flatten() {
        out.extend(terms(t));
    }
    for t in e.tags.iter().chain(&e.people).chain(&d.documents_withheld) {
        out.extend(terms(t));
    }
    for a in &e.attachments {
        out.extend(terms(&a.name));
    }
    out
}

/// Newest first by when it happened, then by when it was written, then by id (stable).
fn newest_first(a: &JournalEntry, b: &JournalEntry) -> std::cmp::Ordering {
    effective_ms(b)
        .cmp(&effective_ms(a))
        .then(b.written_at_ms.cmp(&a.written_at_ms))
        .then(a.id.cmp(&b.id))
}

/// When an entry counts as having happened, for ordering and date filters.
pub fn effective_ms(e: &JournalEntry) -> i64 {
    e.happened_at_ms.unwrap_or(e.written_at_ms)
}

impl JournalIndex {
    /// Keeps the manifest a write just stored (a stored manifest is a trusted one again).
    pub(crate) fn note_manifest(&mut self, manifest: super::manifest::Manifest) {
        self.manifest = manifest;
        self.integrity_lost = false;
    }

    /// Adds or replaces an entry.
    pub fn upsert(&mut self, entry: JournalEntry, key: EntryKey) {
        self.remove(&entry.id);
        if let Some(terms) = self.terms.as_mut() {
            for t in entry_terms(&entry) {
                terms.entry(t).or_default().insert(entry.id.clone());
            }
        }
        self.entries.insert(entry.id.clone(), (entry, key));
    }

    fn build_terms(&mut self) -> &BTreeMap<String, HashSet<String>> {
        if self.terms.is_none() {
            let mut terms: BTreeMap<String, HashSet<String>> = BTreeMap::new();
            for (id, (entry, _)) in &self.entries {
                for t in entry_terms(entry) {
                    terms.entry(t).or_default().insert(id.clone());
                }
            }
            self.terms = Some(terms);
        }
        self.terms.as_ref().expect("just built")
    }

    /// Removes an entry.
    pub fn remove(&mut self, id: &str) {
        if let Some((old, _)) = self.entries.remove(id) {
            let Some(terms) = self.terms.as_mut() else {
                return;
            };
            for t in entry_terms(&old) {
                if let Some(set) = terms.get_mut(&t) {
                    set.remove(id);
                    if set.is_empty() {
                        terms.remove(&t);
                    }
                }
            }
        }
    }

    /// The entry and its key.
    pub fn get(&self, id: &str) -> Option<&(JournalEntry, EntryKey)> {
        self.entries.get(id)
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the journal is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Entries matching `filter`, newest first. Orders references and applies the limit
    /// before cloning, so a page clones only what it returns (moving whole entries through
    /// a sort of 10,000 cost more than opening them).
    pub fn list(&self, filter: &EntryFilter) -> Vec<JournalEntry> {
        let tag = filter.tag.as_deref().map(super::normalise_tag);
        let mut found: Vec<&JournalEntry> = self
            .entries
            .values()
            .map(|(e, _)| e)
            .filter(|e| {
                let at = effective_ms(e);
                tag.as_ref().is_none_or(|t| e.tags.iter().any(|x| x == t))
                    && filter.from_ms.is_none_or(|f| at >= f)
                    && filter.to_ms.is_none_or(|t| at <= t)
            })
            .collect();
        found.sort_unstable_by(|a, b| newest_first(a, b));
        if let Some(limit) = filter.limit {
            found.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        }
        found.into_iter().cloned().collect()
    }

    /// Entries containing every word of `query` (each word also matches longer words it
    /// begins, so "pass" finds "passport"), newest first.
    pub fn search(&mut self, query: &str) -> Vec<JournalEntry> {
        let words = terms(query);
        if words.is_empty() {
            return Vec::new();
        }
        self.build_terms();
        let index = self.terms.as_ref().expect("just built");
        let mut hits: Option<HashSet<&str>> = None;
        for w in &words {
            let mut ids: HashSet<&str> = HashSet::new();
            for (term, set) in index.range(w.clone()..) {
                if !term.starts_with(w.as_str()) {
                    break;
                }
                ids.extend(set.iter().map(String::as_str));
            }
            hits = Some(match hits {
                None => ids,
                Some(prev) => prev.intersection(&ids).copied().collect(),
            });
            if hits.as_ref().is_some_and(HashSet::is_empty) {
                break;
            }
        }
        // Order the matches by reference, then clone each entry once.
        let mut found: Vec<&JournalEntry> = hits
            .unwrap_or_default()
            .into_iter()
            .filter_map(|id| self.entries.get(id).map(|(e, _)| e))
            .collect();
        found.sort_by(|a, b| newest_first(a, b));
        found.into_iter().cloned().collect()
    }
}
