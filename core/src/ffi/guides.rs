//! The exported know-your-rights guides: one-line delegations to [`Core`].

use std::sync::Arc;

use super::ApiResult;
use crate::app::{Core, GuideList, GuideText};

/// The packaged know-your-rights guides (public information compiled into the app: works
/// locked, before any vault exists, and stores nothing).
#[derive(Debug, uniffi::Object)]
pub struct Guides {
    inner: Arc<Core>,
}

impl Guides {
    pub(crate) fn new(inner: &Arc<Core>) -> Self {
        Self {
            inner: Arc::clone(inner),
        }
    }
}

#[uniffi::export]
impl Guides {
    /// Every guide (id, title, summary) in the phone's language (`es-MX`, `ar`, ...).
    pub fn list(&self, language_tag: String) -> ApiResult<GuideList> {
        Ok(self.inner.guides_list(&language_tag)?)
    }

    /// One guide in the phone's language: its sections, sources, the day it was last
    /// reviewed, whether the translation still needs a native speaker's review, and the
    /// kinds of help it links to with matching resources from the offline directory.
    pub fn show(&self, id: String, language_tag: String) -> ApiResult<GuideText> {
        Ok(self.inner.guide_show(&id, &language_tag)?)
    }
}
