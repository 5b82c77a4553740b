//! `waypoint safety-plan ...`: the survivor's safety plan and the optional check-in.
//!
//! The plan's guided words come from the core's message files in the language given with
//! `--lang` (default English); the CLI's own few words stay English. `--json` prints the
//! core's `SafetyPlan` (`sections` [{`section`, `content` {`items`, `notes`}, `skipped`,
//! `updated_at_ms`}], `revision`), `PlanGuide` or `CheckResult`. The check-in needs no
//! passphrase and stores nothing: its answers only pick kinds of help from the directory.

use clap::Subcommand;
use waypoint_core::safety_plan::{CheckAnswer, CheckQuestion, SafetyPlan, Section, SectionContent};
use waypoint_core::Waypoint;

use crate::output::{self, outln};
use crate::vault::unlock;

/// `waypoint safety-plan ...`
#[derive(Debug, Subcommand)]
pub enum SafetyPlanCmd {
    /// Show the plan, section by section.
    Show {
        /// Language of the section titles (en, es, ar, vi, zh-Hans).
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// Show the guided prompt of every section (no passphrase needed).
    Guide {
        /// Language (en, es, ar, vi, zh-Hans).
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// Write a section: warning_signs, safe_places, people_to_call, what_to_take,
    /// code_word, steps_to_leave, children or pets. Replaces what it held.
    Set {
        /// The section.
        section: String,
        /// An item (repeatable).
        #[arg(long = "item")]
        items: Vec<String>,
        /// Notes.
        #[arg(long)]
        notes: Option<String>,
    },
    /// Skip a section for now (what it holds is kept).
    Skip {
        /// The section.
        section: String,
    },
    /// Empty a section.
    Clear {
        /// The section.
        section: String,
    },
    /// Delete the whole plan.
    Delete,
    /// The optional check-in: answer any of unsafe_now, need_place, documents_held, hurt,
    /// forced_work, children, feelings, immigration. Nothing is stored; no passphrase.
    Check {
        /// A question answered yes (repeatable).
        #[arg(long = "yes", value_name = "QUESTION")]
        yes: Vec<String>,
        /// A question answered no (repeatable).
        #[arg(long = "no", value_name = "QUESTION")]
        no: Vec<String>,
        /// Language (en, es, ar, vi, zh-Hans).
        #[arg(long, default_value = "en")]
        lang: String,
    },
}

fn section(s: &str) -> anyhow::Result<Section> {
    Section::parse(s).map_err(|_| {
        anyhow::anyhow!(
            "unknown section; use warning_signs, safe_places, people_to_call, what_to_take, \
             code_word, steps_to_leave, children or pets"
        )
    })
}

fn question(s: &str) -> anyhow::Result<CheckQuestion> {
    CheckQuestion::parse(s).map_err(|_| {
        anyhow::anyhow!(
            "unknown question; use unsafe_now, need_place, documents_held, hurt, forced_work, \
             children, feelings or immigration"
        )
    })
}

fn print_plan(wp: &Waypoint, plan: &SafetyPlan, lang: &str) {
    let guide = wp.safety_plan().guide(lang.to_owned());
    outln!("{}", guide.title);
    for s in &plan.sections {
        let title = guide
            .sections
            .iter()
            .find(|g| g.section == s.section)
            .map_or(s.section.as_str(), |g| g.title.as_str());
        outln!("\n{title} ({})", s.section.as_str());
        if s.skipped {
            outln!("  {}", guide.skipped);
        }
        if s.content.items.is_empty() && s.content.notes.is_none() && !s.skipped {
            outln!("  {}", guide.empty);
        }
        for item in &s.content.items {
            outln!("  - {item}");
        }
        if let Some(n) = &s.content.notes {
            outln!("  {n}");
        }
    }
}

/// Runs a safety-plan command.
pub fn run(wp: &Waypoint, cmd: SafetyPlanCmd, as_json: bool) -> anyhow::Result<()> {
    let plan = wp.safety_plan();
    match cmd {
        SafetyPlanCmd::Guide { lang } => {
            let g = plan.guide(lang);
            if as_json {
                return output::json(&g);
            }
            outln!("{}\n{}", g.title, g.intro);
            for s in &g.sections {
                outln!(
                    "\n{} ({})\n{}\n{}",
                    s.title,
                    s.section.as_str(),
                    s.prompt,
                    s.example
                );
            }
            Ok(())
        }
        SafetyPlanCmd::Check { yes, no, lang } => {
            let mut answers = Vec::new();
            for (names, is_yes) in [(yes, true), (no, false)] {
                for n in names {
                    answers.push(CheckAnswer {
                        question: question(&n)?,
                        yes: is_yes,
                    });
                }
            }
            let result = plan.check_in(answers, lang)?;
            if as_json {
                return output::json(&result);
            }
            outln!("{}", result.intro);
            for s in &result.suggestions {
                outln!("\n{} ({})", s.label, s.category);
                for (id, name) in s.resource_ids.iter().zip(&s.resource_names) {
                    outln!("  {id}  {name}");
                }
            }
            Ok(())
        }
        other => {
            unlock(wp)?;
            let result = run_unlocked(wp, other, as_json);
            wp.vault().lock();
            result
        }
    }
}

fn run_unlocked(wp: &Waypoint, cmd: SafetyPlanCmd, as_json: bool) -> anyhow::Result<()> {
    let plan = wp.safety_plan();
    let (changed, lang) = match cmd {
        SafetyPlanCmd::Show { lang } => {
            // A plan that is not the version last saved fails here with one line; a plan
            // whose manifest is missing is shown, and that is said once.
            let shown = plan.get()?;
            if plan.damaged_count()? > 0 {
                eprintln!("waypoint: the safety plan cannot be checked against its last saved version until it is changed again");
            }
            (shown, lang)
        }
        SafetyPlanCmd::Set {
            section: s,
            items,
            notes,
        } => (
            plan.set_section(section(&s)?, SectionContent { items, notes })?,
            "en".to_owned(),
        ),
        SafetyPlanCmd::Skip { section: s } => (plan.skip_section(section(&s)?)?, "en".to_owned()),
        SafetyPlanCmd::Clear { section: s } => (plan.clear_section(section(&s)?)?, "en".to_owned()),
        SafetyPlanCmd::Delete => {
            plan.delete()?;
            if as_json {
                return output::json(&serde_json::json!({ "deleted": true }));
            }
            outln!("deleted");
            return Ok(());
        }
        SafetyPlanCmd::Guide { .. } | SafetyPlanCmd::Check { .. } => {
            unreachable!("handled without the passphrase")
        }
    };
    if as_json {
        return output::json(&changed);
    }
    print_plan(wp, &changed, &lang);
    Ok(())
}
