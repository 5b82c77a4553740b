//! Directory operations of the application: the offline directory's public functions,
//! with "now" from the injected clock and favourites under the unlocked session.
//!
//! The directory is public data: search, show, info and import work while locked.

use super::Core;
use crate::directory::{self, favourites, Query, Resource, Trust, Update, UpdateOutcome};
use crate::error::Result;

impl Core {
    fn now_s(&self) -> i64 {
        self.now_ms().div_euclid(1000)
    }

    /// Searches the offline directory.
    pub fn directory_search(&self, query: &Query) -> Result<Vec<Resource>> {
        let now = self.now_s();
        directory::search(&self.store, query, now)
    }

    /// One resource with all its details.
    pub fn directory_show(&self, id: &str, user_language: &str) -> Result<Resource> {
        let now = self.now_s();
        directory::show(&self.store, id, user_language, now)
    }

    /// The installed directory's version, age and origin.
    pub fn directory_info(&self) -> Result<Option<directory::DirectoryStatus>> {
        let now = self.now_s();
        directory::status(&self.store, &Trust::pinned(), now)
    }

    /// Imports a signed file (e.g. a bundle shared offline), verified exactly like a
    /// download; returns the installed version.
    pub fn directory_import(&self, update: Update<'_>) -> Result<u64> {
        let now = self.now_s();
        Ok(match directory::apply_update(&self.store, now, update)? {
            UpdateOutcome::Installed { version }
            | UpdateOutcome::AlreadyCurrent { version }
            | UpdateOutcome::KeysetRotated { version } => version,
        })
    }

    /// Saves a resource with a private note (needs the vault unlocked).
    pub fn directory_favourite_add(
        &self,
        resource_id: &str,
        note: &str,
    ) -> Result<favourites::Favourite> {
        let now_ms = self.now_ms();
        self.with_session(|s| favourites::add(&self.store, s, resource_id, note, now_ms))
    }

    /// Every favourite, newest first (needs the vault unlocked).
    pub fn directory_favourites(&self) -> Result<Vec<favourites::Favourite>> {
        self.with_session(|s| favourites::list(&self.store, s))
    }

    /// Replaces a favourite's note.
    pub fn directory_favourite_set_note(&self, id: &str, note: &str) -> Result<()> {
        self.with_session(|s| favourites::set_note(&self.store, s, id, note))
    }

    /// Deletes a favourite.
    pub fn directory_favourite_remove(&self, id: &str) -> Result<()> {
        self.with_session(|s| favourites::remove(&self.store, s, id))
    }
}
