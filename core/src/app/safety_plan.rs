//! Safety-plan operations of the application: the sealed plan of the open vault, its guided
//! words in the survivor's language, and the check-in, whose answers only choose which
//! kinds of help from the offline directory to suggest and are never kept.

use super::Core;
use crate::directory::Query;
use crate::error::Result;
use crate::i18n::{Messages, TextDirection};
use crate::safety_plan::{
    self, ids, CheckAnswer, CheckQuestion, SafetyPlan, Section, SectionContent,
};

/// One section's guided words, in the survivor's language.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SectionGuideText {
    /// Which section.
    pub section: Section,
    /// Its title.
    pub title: String,
    /// The guided prompt (no blame, no pressure; says it can be skipped).
    pub prompt: String,
    /// An example of what could go in it.
    pub example: String,
}

/// The plan's guided words, in the survivor's language.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PlanGuide {
    /// Text direction of the language.
    #[serde(skip)]
    pub direction: TextDirection,
    /// The plan's title.
    pub title: String,
    /// The words before the first section.
    pub intro: String,
    /// The skip button.
    pub skip: String,
    /// What a skipped section says.
    pub skipped: String,
    /// What an empty section says.
    pub empty: String,
    /// Every section, in order.
    pub sections: Vec<SectionGuideText>,
}

/// One check-in question, in the survivor's language.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CheckQuestionText {
    /// Which question.
    pub question: CheckQuestion,
    /// The question.
    pub text: String,
}

/// The check-in's form, in the survivor's language.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CheckForm {
    /// Text direction of the language.
    #[serde(skip)]
    pub direction: TextDirection,
    /// Title.
    pub title: String,
    /// The words before the questions (answers are not kept and never leave the phone).
    pub intro: String,
    /// Answer label: yes.
    pub yes: String,
    /// Answer label: no.
    pub no: String,
    /// Answer label: rather not say.
    pub rather_not_say: String,
    /// Every question, in order.
    pub questions: Vec<CheckQuestionText>,
}

/// A kind of help the check-in suggests, with resources of that kind from the directory.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SuggestedHelp {
    /// Directory category (wire name, e.g. `emergency_shelter`).
    pub category: String,
    /// Its name in the survivor's language.
    pub label: String,
    /// Ids of matching directory resources (open them with the directory's `show`).
    pub resource_ids: Vec<String>,
    /// Their names, in the same order.
    pub resource_names: Vec<String>,
}

/// What the check-in suggests. Nothing of it is stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CheckResult {
    /// The words above the suggestions (or, when there are none, a kind word).
    pub intro: String,
    /// Kinds of help, most urgent first.
    pub suggestions: Vec<SuggestedHelp>,
}

/// Most directory resources suggested per kind of help.
pub const RESOURCES_PER_KIND: u32 = 3;

impl Core {
    /// The open vault's safety plan (all eight sections; empty ones when never written).
    pub fn safety_plan_get(&self) -> Result<SafetyPlan> {
        self.with_session(|s| safety_plan::load(&self.store, s))
    }

    /// 1 when the plan is set aside: it failed authentication, or it is not the version
    /// last saved (an older copy put back, also after a delete, or its row removed), or
    /// the plan's manifest is missing or unreadable; otherwise 0. Deleting the plan
    /// acknowledges it.
    pub fn safety_plan_damaged_count(&self) -> Result<u32> {
        self.with_session(|s| safety_plan::damaged_count(&self.store, s))
    }

    /// Replaces what a section holds.
    pub fn safety_plan_set_section(
        &self,
        section: Section,
        content: SectionContent,
    ) -> Result<SafetyPlan> {
        let now = self.now_ms();
        self.with_session(|s| safety_plan::set_section(&self.store, s, section, &content, now))
    }

    /// Marks a section skipped for now (what it holds is kept).
    pub fn safety_plan_skip_section(&self, section: Section) -> Result<SafetyPlan> {
        let now = self.now_ms();
        self.with_session(|s| safety_plan::skip_section(&self.store, s, section, now))
    }

    /// Empties a section.
    pub fn safety_plan_clear_section(&self, section: Section) -> Result<SafetyPlan> {
        let now = self.now_ms();
        self.with_session(|s| safety_plan::clear_section(&self.store, s, section, now))
    }

    /// Deletes the whole plan.
    pub fn safety_plan_delete(&self) -> Result<()> {
        self.with_session(|s| safety_plan::delete(&self.store, s))
    }

    /// The guided words in the language of `language_tag` (works locked: nothing personal).
    pub fn safety_plan_guide(&self, language_tag: &str) -> PlanGuide {
        self.safety_plan_guide_in(&Messages::for_tag(language_tag))
    }

    /// The guided words in the language of `m` (the screens pass their own messages).
    pub fn safety_plan_guide_in(&self, m: &Messages) -> PlanGuide {
        PlanGuide {
            direction: m.direction(),
            title: m.tr(ids::TITLE),
            intro: m.tr(ids::INTRO),
            skip: m.tr(ids::SKIP),
            skipped: m.tr(ids::SKIPPED),
            empty: m.tr(ids::EMPTY),
            sections: safety_plan::guide()
                .into_iter()
                .map(|g| SectionGuideText {
                    section: g.section,
                    title: m.tr(g.title_id),
                    prompt: m.tr(g.prompt_id),
                    example: m.tr(g.example_id),
                })
                .collect(),
        }
    }

    /// The check-in's questions in the language of `language_tag`.
    pub fn safety_check_form(&self, language_tag: &str) -> CheckForm {
        let m = Messages::for_tag(language_tag);
        CheckForm {
            direction: m.direction(),
            title: m.tr(ids::CHECK_TITLE),
            intro: m.tr(ids::CHECK_INTRO),
            yes: m.tr(ids::YES),
            no: m.tr(ids::NO),
            rather_not_say: m.tr(ids::SKIP_ANSWER),
            questions: CheckQuestion::ALL
                .into_iter()
                .map(|q| CheckQuestionText {
                    question: q,
                    text: m.tr(q.text_id()),
                })
                .collect(),
        }
    }

    /// What the answers suggest: kinds of help from the directory, each with up to three
    /// resources of that kind in the survivor's language. The answers are not stored,
    /// logged or sent anywhere; the directory is searched on the phone. Works locked.
    pub fn safety_check_in(
        &self,
        answers: &[CheckAnswer],
        language_tag: &str,
    ) -> Result<CheckResult> {
        let m = Messages::for_tag(language_tag);
        let categories = safety_plan::check_in(answers);
        let mut suggestions = Vec::with_capacity(categories.len());
        for c in &categories {
            let found = self.directory_search(&Query {
                categories: vec![*c],
                user_language: m.lang().tag().to_owned(),
                limit: RESOURCES_PER_KIND,
                ..Query::default()
            })?;
            suggestions.push(SuggestedHelp {
                category: c.as_str().to_owned(),
                label: m.tr(safety_plan::category_label_id(*c)),
                resource_ids: found.iter().map(|r| r.id.clone()).collect(),
                resource_names: found.iter().map(|r| r.name.clone()).collect(),
            });
        }
        Ok(CheckResult {
            intro: m.tr(if suggestions.is_empty() {
                ids::CHECK_RESULT_NONE
            } else {
                ids::CHECK_RESULT_INTRO
            }),
            suggestions,
        })
    }
}
