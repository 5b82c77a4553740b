//! The exported safety plan: one-line delegations to [`Core`].

use std::sync::Arc;

use super::ApiResult;
use crate::app::{CheckForm, CheckResult, Core, PlanGuide};
use crate::safety_plan::{CheckAnswer, SafetyPlan as Plan, Section, SectionContent};

/// The survivor's safety plan, exported as `SafetyPlanner` (the plan itself is the
/// `SafetyPlan` record) (needs the vault unlocked) and the optional check-in (works
/// locked; its answers are never stored and never leave the phone).
#[derive(Debug, uniffi::Object)]
pub struct SafetyPlanner {
    inner: Arc<Core>,
}

impl SafetyPlanner {
    pub(crate) fn new(inner: &Arc<Core>) -> Self {
        Self {
            inner: Arc::clone(inner),
        }
    }
}

#[uniffi::export]
impl SafetyPlanner {
    /// The plan: all eight sections, in order (empty ones when never written).
    pub fn get(&self) -> ApiResult<Plan> {
        Ok(self.inner.safety_plan_get()?)
    }

    /// 1 when the plan is set aside (not the version last saved: an older copy put back,
    /// or its row removed; or damaged) or its manifest is missing; otherwise 0. `get` then
    /// fails with a storage error; `delete` acknowledges it.
    pub fn damaged_count(&self) -> ApiResult<u32> {
        Ok(self.inner.safety_plan_damaged_count()?)
    }

    /// Replaces what a section holds.
    pub fn set_section(&self, section: Section, content: SectionContent) -> ApiResult<Plan> {
        Ok(self.inner.safety_plan_set_section(section, content)?)
    }

    /// Marks a section skipped for now (what it holds is kept).
    pub fn skip_section(&self, section: Section) -> ApiResult<Plan> {
        Ok(self.inner.safety_plan_skip_section(section)?)
    }

    /// Empties a section.
    pub fn clear_section(&self, section: Section) -> ApiResult<Plan> {
        Ok(self.inner.safety_plan_clear_section(section)?)
    }

    /// Deletes the whole plan.
    pub fn delete(&self) -> ApiResult<()> {
        Ok(self.inner.safety_plan_delete()?)
    }

    /// The guided words in the phone's language (`es-MX`, `ar`, ...).
    pub fn guide(&self, language_tag: String) -> PlanGuide {
        self.inner.safety_plan_guide(&language_tag)
    }

    /// The check-in's questions in the phone's language.
    pub fn check_form(&self, language_tag: String) -> CheckForm {
        self.inner.safety_check_form(&language_tag)
    }

    /// Kinds of help from the directory the answers suggest. Nothing is stored.
    pub fn check_in(
        &self,
        answers: Vec<CheckAnswer>,
        language_tag: String,
    ) -> ApiResult<CheckResult> {
        Ok(self.inner.safety_check_in(&answers, &language_tag)?)
    }
}
