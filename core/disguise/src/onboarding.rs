//! "How to leave quickly": what the platforms show on first run, before anything else.
//!
//! Plain words, short steps, no mention of what the app is for on screens a watcher might
//! glimpse. The platforms render these in order and let the person practise the exit.

/// One step of the first-run walkthrough.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OnboardingStep {
    /// Short heading.
    pub title: &'static str,
    /// One or two sentences.
    pub body: &'static str,
}

/// The steps, in order.
pub const HOW_TO_LEAVE_QUICKLY: &[OnboardingStep] = &[
    OnboardingStep {
        title: "This app looks like a calculator",
        body: "When it is closed or locked it shows a working calculator. Anyone who opens it sees only that.",
    },
    OnboardingStep {
        title: "Open it with your code",
        body: "Type your code on the calculator, then press =. Nothing tells anyone a code was tried.",
    },
    OnboardingStep {
        title: "Leave in one tap",
        body: "The exit button is always in the same corner. It locks everything at once and shows the calculator. There is no question and no message.",
    },
    OnboardingStep {
        title: "It locks by itself",
        body: "If you switch apps or put the phone down for a minute, it locks and shows the calculator again.",
    },
    OnboardingStep {
        title: "Calls and texts leave traces",
        body: "A call or text you start from here shows in the phone's own call list and messages. Delete them there if someone may look.",
    },
    OnboardingStep {
        title: "Practise now",
        body: "Try the exit button once, then open the app again with your code.",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_short_and_discreet() {
        assert!(HOW_TO_LEAVE_QUICKLY.len() >= 4);
        for s in HOW_TO_LEAVE_QUICKLY {
            assert!(s.body.len() <= 200, "{}", s.title);
            let text = format!("{} {}", s.title, s.body).to_lowercase();
            for word in ["traffick", "abuse", "journal", "evidence", "waypoint"] {
                assert!(!text.contains(word), "step {:?} mentions {word}", s.title);
            }
        }
    }
}
