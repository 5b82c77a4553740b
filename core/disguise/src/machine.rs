//! The lock state machine: which screen shows, and when keys must be dropped.
//!
//! ```text
//!              UnlockVerified                      idle / background / Lock
//!  Disguised ------------------> Unlocked ---------------------------------> Disguised
//!  (decoy)   <------------------          (or Locked, if the lock screen is the
//!      ^          QuickExit (from any state)          passphrase prompt)
//!      |                                                   |
//!      +------------------- QuickExit ---------------------+
//! ```
//!
//! Only [`Event::UnlockVerified`] leads to `Unlocked`, and only the vault produces it (after
//! the passphrase or calculator code opened it). A rejected code changes nothing visible.
//! [`Event::QuickExit`] from any state shows the decoy and drops the keys; it never asks for
//! confirmation. Idle time is measured with the platform clock; a clock that moved backwards
//! locks (idleness cannot be proven, so the safe side is taken).
//!
//! Every transition is the pure function [`transition`]; [`Machine`] only stores its result.

/// Which screen the app shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    /// The decoy (calculator by default); the vault is locked.
    Disguised,
    /// A plain lock screen asking for the passphrase; the vault is locked. Used when the
    /// person chose not to be disguised (e.g. in a shelter) for idle or background locks.
    Locked,
    /// The real app; the vault is unlocked.
    Unlocked,
}

/// Where an idle, background or manual lock leads. A quick exit always leads to the decoy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LockScreen {
    /// Back to the decoy.
    Decoy,
    /// A passphrase prompt.
    Passphrase,
}

/// Settings the machine needs (a copy of the person's disguise settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MachineConfig {
    /// Lock after this long without activity while unlocked; `None` = never by idleness.
    pub idle_lock_ms: Option<i64>,
    /// Lock as soon as the app goes to the background.
    pub lock_on_background: bool,
    /// Where idle/background/manual locks lead.
    pub lock_screen: LockScreen,
    /// Opt-in: a quick exit also crypto-shreds the vault.
    pub quick_exit_wipes: bool,
}

impl Default for MachineConfig {
    fn default() -> Self {
        MachineConfig {
            idle_lock_ms: Some(60_000),
            lock_on_background: true,
            lock_screen: LockScreen::Decoy,
            quick_exit_wipes: false,
        }
    }
}

/// What happened, as the platforms and the vault report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Event {
    /// The vault accepted a passphrase or code at `now_ms`.
    UnlockVerified {
        /// Platform clock, ms since the epoch.
        now_ms: i64,
    },
    /// The vault rejected a passphrase or code (or refused to try during back-off).
    UnlockRejected,
    /// The person pressed quick exit (button or platform gesture).
    QuickExit,
    /// The app went to the background.
    Background {
        /// Platform clock.
        now_ms: i64,
    },
    /// The app came back to the foreground.
    Foreground {
        /// Platform clock.
        now_ms: i64,
    },
    /// The person touched the app (keeps an unlocked app open).
    Activity {
        /// Platform clock.
        now_ms: i64,
    },
    /// A periodic timer fired (the platform checks idleness with it).
    Tick {
        /// Platform clock.
        now_ms: i64,
    },
    /// The person pressed "lock".
    Lock,
}

/// What the platform (and the core) must do after a transition, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    /// Drop every key and in-memory index (the vault locks).
    DropKeys,
    /// Crypto-shred the vault (opt-in quick-exit wipe).
    Wipe,
    /// Show the decoy.
    ShowDecoy,
    /// Show the passphrase lock screen.
    ShowLockScreen,
    /// Show the real app.
    ShowApp,
    /// Remove the app from recent apps / task switcher (quick exit).
    LeaveRecents,
}

/// The machine's whole state: the screen plus the last activity time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Snapshot {
    /// Screen.
    pub state: State,
    /// Last activity while unlocked (ms since the epoch).
    pub last_activity_ms: i64,
}

/// The pure transition function: the next snapshot and the effects, for one event.
pub fn transition(now: Snapshot, event: Event, config: &MachineConfig) -> (Snapshot, Vec<Effect>) {
    let lock_to = |last| {
        let (state, show) = match config.lock_screen {
            LockScreen::Decoy => (State::Disguised, Effect::ShowDecoy),
            LockScreen::Passphrase => (State::Locked, Effect::ShowLockScreen),
        };
        (
            Snapshot {
                state,
                last_activity_ms: last,
            },
            vec![Effect::DropKeys, show],
        )
    };
    let stay = |s: Snapshot| (s, Vec::new());
    let last = now.last_activity_ms;
    match (now.state, event) {
        (_, Event::QuickExit) => {
            let mut effects = vec![Effect::DropKeys];
            if config.quick_exit_wipes {
                effects.push(Effect::Wipe);
            }
            effects.extend([Effect::ShowDecoy, Effect::LeaveRecents]);
            (
                Snapshot {
                    state: State::Disguised,
                    last_activity_ms: last,
                },
                effects,
            )
        }
        (State::Disguised | State::Locked, Event::UnlockVerified { now_ms }) => (
            Snapshot {
                state: State::Unlocked,
                last_activity_ms: now_ms,
            },
            vec![Effect::ShowApp],
        ),
        (State::Unlocked, Event::UnlockVerified { now_ms } | Event::Activity { now_ms }) => {
            stay(Snapshot {
                state: State::Unlocked,
                last_activity_ms: now_ms.max(last),
            })
        }
        (State::Unlocked, Event::Tick { now_ms } | Event::Foreground { now_ms }) => {
            match config.idle_lock_ms {
                Some(limit) if now_ms < last || now_ms - last >= limit => lock_to(last),
                _ => stay(now),
            }
        }
        (State::Unlocked, Event::Background { now_ms }) => {
            if config.lock_on_background {
                lock_to(last)
            } else {
                stay(Snapshot {
                    state: State::Unlocked,
                    last_activity_ms: now_ms.max(last),
                })
            }
        }
        (State::Unlocked, Event::Lock) => lock_to(last),
        // A rejected code shows nothing; locked states ignore everything else.
        (_, Event::UnlockRejected)
        | (
            State::Disguised | State::Locked,
            Event::Activity { .. }
            | Event::Tick { .. }
            | Event::Background { .. }
            | Event::Foreground { .. }
            | Event::Lock,
        ) => stay(now),
    }
}

/// The machine: a snapshot and its configuration.
#[derive(Debug, Clone)]
pub struct Machine {
    snapshot: Snapshot,
    config: MachineConfig,
}

impl Machine {
    /// A machine showing the decoy.
    pub fn new(config: MachineConfig) -> Self {
        Machine {
            snapshot: Snapshot {
                state: State::Disguised,
                last_activity_ms: 0,
            },
            config,
        }
    }

    /// The current screen.
    pub fn state(&self) -> State {
        self.snapshot.state
    }

    /// The configuration in use.
    pub fn config(&self) -> &MachineConfig {
        &self.config
    }

    /// Replaces the configuration (after the person changed settings).
    pub fn set_config(&mut self, config: MachineConfig) {
        self.config = config;
    }

    /// Applies one event.
    pub fn handle(&mut self, event: Event) -> Vec<Effect> {
        let (next, effects) = transition(self.snapshot, event, &self.config);
        self.snapshot = next;
        effects
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calculator::{Calculator, Key};

    const STATES: [State; 3] = [State::Disguised, State::Locked, State::Unlocked];

    fn events(now: i64) -> Vec<Event> {
        vec![
            Event::UnlockVerified { now_ms: now },
            Event::UnlockRejected,
            Event::QuickExit,
            Event::Background { now_ms: now },
            Event::Foreground { now_ms: now },
            Event::Activity { now_ms: now },
            Event::Tick { now_ms: now },
            Event::Lock,
        ]
    }

    fn configs() -> Vec<MachineConfig> {
        let mut out = Vec::new();
        for idle in [None, Some(60_000)] {
            for bg in [false, true] {
                for screen in [LockScreen::Decoy, LockScreen::Passphrase] {
                    for wipe in [false, true] {
                        out.push(MachineConfig {
                            idle_lock_ms: idle,
                            lock_on_background: bg,
                            lock_screen: screen,
                            quick_exit_wipes: wipe,
                        });
                    }
                }
            }
        }
        out
    }

    /// The expected outcome, written independently of `transition` as a table of rules.
    fn expected(state: State, event: Event, c: &MachineConfig, last: i64) -> (State, Vec<Effect>) {
        let locked = match c.lock_screen {
            LockScreen::Decoy => (State::Disguised, vec![Effect::DropKeys, Effect::ShowDecoy]),
            LockScreen::Passphrase => (
                State::Locked,
                vec![Effect::DropKeys, Effect::ShowLockScreen],
            ),
        };
        match event {
            Event::QuickExit => {
                let mut e = vec![Effect::DropKeys];
                if c.quick_exit_wipes {
                    e.push(Effect::Wipe);
                }
                e.push(Effect::ShowDecoy);
                e.push(Effect::LeaveRecents);
                (State::Disguised, e)
            }
            Event::UnlockVerified { .. } if state != State::Unlocked => {
                (State::Unlocked, vec![Effect::ShowApp])
            }
            _ if state != State::Unlocked => (state, vec![]),
            Event::Lock => locked,
            Event::Background { .. } if c.lock_on_background => locked,
            Event::Tick { now_ms } | Event::Foreground { now_ms } => match c.idle_lock_ms {
                Some(limit) if now_ms < last || now_ms - last >= limit => locked,
                _ => (state, vec![]),
            },
            _ => (state, vec![]),
        }
    }

    #[test]
    fn transition_table_is_exhaustive_and_as_specified() {
        let last = 1_000_000;
        let mut checked = 0;
        for config in configs() {
            for state in STATES {
                // Times: before `last` (clock went back), just idle enough, not idle enough.
                for now in [
                    last - 1,
                    last,
                    last + 59_999,
                    last + 60_000,
                    last + 3_600_000,
                ] {
                    for event in events(now) {
                        let (next, effects) = transition(
                            Snapshot {
                                state,
                                last_activity_ms: last,
                            },
                            event,
                            &config,
                        );
                        let (want_state, want_effects) = expected(state, event, &config, last);
                        assert_eq!(
                            (next.state, &effects),
                            (want_state, &want_effects),
                            "{state:?} + {event:?} with {config:?}"
                        );
                        if effects.contains(&Effect::ShowApp) {
                            assert!(matches!(event, Event::UnlockVerified { .. }));
                        }
                        checked += 1;
                    }
                }
            }
        }
        assert_eq!(checked, 16 * 3 * 5 * 8);
    }

    #[test]
    fn quick_exit_from_every_state_drops_keys_and_shows_decoy() {
        for config in configs() {
            for state in STATES {
                let (next, effects) = transition(
                    Snapshot {
                        state,
                        last_activity_ms: 0,
                    },
                    Event::QuickExit,
                    &config,
                );
                assert_eq!(next.state, State::Disguised);
                assert_eq!(effects[0], Effect::DropKeys, "keys go first");
                assert!(effects.contains(&Effect::ShowDecoy));
                assert!(
                    !effects.contains(&Effect::ShowLockScreen),
                    "never a dialog or prompt"
                );
            }
        }
    }

    const SECRET: &str = "40571986";

    /// The calculator, a stand-in vault that accepts only SECRET, and the machine together.
    fn drive(inputs: &[(u8, i64)]) -> (bool, State) {
        let mut calc = Calculator::new();
        let mut m = Machine::new(MachineConfig::default());
        let mut secret_entered = false;
        for &(b, t) in inputs {
            let event = match b % 8 {
                0..=4 => {
                    let p = calc.press(Key::from_byte(b / 8));
                    match p.unlock_candidate {
                        Some(code) if code == SECRET => {
                            secret_entered = true;
                            Event::UnlockVerified { now_ms: t }
                        }
                        Some(_) => Event::UnlockRejected,
                        None => continue,
                    }
                }
                5 => Event::Tick { now_ms: t },
                6 => Event::Background { now_ms: t },
                _ => Event::QuickExit,
            };
            m.handle(event);
            if m.state() == State::Unlocked && !secret_entered {
                return (false, m.state());
            }
        }
        (secret_entered, m.state())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn nothing_reaches_unlocked_without_the_secret(inputs in proptest::collection::vec((proptest::num::u8::ANY, 0i64..10_000_000), 0..300)) {
            let (secret_entered, state) = drive(&inputs);
            proptest::prop_assert!(secret_entered || state != State::Unlocked);
        }

        #[test]
        fn events_alone_never_unlock(evs in proptest::collection::vec((0u8..7, 0i64..10_000_000), 0..200)) {
            let mut m = Machine::new(MachineConfig::default());
            for (k, t) in evs {
                let e = match k {
                    0 => Event::UnlockRejected,
                    1 => Event::QuickExit,
                    2 => Event::Background { now_ms: t },
                    3 => Event::Foreground { now_ms: t },
                    4 => Event::Activity { now_ms: t },
                    5 => Event::Tick { now_ms: t },
                    _ => Event::Lock,
                };
                m.handle(e);
                proptest::prop_assert_ne!(m.state(), State::Unlocked);
            }
        }
    }

    #[test]
    fn typing_the_secret_then_equals_unlocks() {
        let keys: Vec<(u8, i64)> = "40571986="
            .chars()
            .map(|c| {
                let k = Key::from_char(c).expect("key");
                let b = (0u8..20).find(|&b| Key::from_byte(b) == k).expect("byte");
                (b * 8, 1000)
            })
            .collect();
        assert_eq!(drive(&keys), (true, State::Unlocked));
    }
}
