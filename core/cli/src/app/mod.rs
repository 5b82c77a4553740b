//! `waypoint app`: the whole app in a terminal, over the same screen models the phones use.
//!
//! The shell draws [`AppState`] and turns keys into [`Intent`]s (see [`keys`]); it decides
//! nothing else. The model runs on a worker thread, since an intent may run the vault's
//! key derivation (unlock, first-run code, export): the screen keeps drawing meanwhile, and
//! keys typed during it are mapped once the model has answered, against the state they
//! were typed on. The quick-exit key (F12) jumps that queue: intents not yet sent are
//! dropped, no state from before it is drawn again, and the terminal (scrollback too) is
//! cleared before the decoy is drawn. A `launch` URI (call, text, web) is shown as text and
//! acknowledged with `LaunchHandled`; nothing is ever opened or dialled.
//!
//! The terminal is restored on every way out: a normal end, an error, a panic (whose
//! message is never printed: it might quote what was on screen).

use std::collections::VecDeque;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, Event, KeyEvent, KeyEventKind};
use ratatui::crossterm::{cursor, execute, terminal};
use ratatui::layout::Rect;
use ratatui::Terminal;
use waypoint_core::app::AppEvent;
use waypoint_core::ffi::AppModel;
use waypoint_core::screens::{AppState, Intent};
use waypoint_core::Waypoint;

mod keys;
mod render;
mod words;

pub use keys::QUICK_EXIT;

/// `waypoint app` options.
#[derive(Debug, clap::Args)]
pub struct AppArgs {
    /// The app's language (BCP 47: en, es, ar, vi, zh-Hans): every word, and directory answers.
    #[arg(long, default_value = "en")]
    pub language: String,
    /// The time zone dates are shown in (IANA, e.g. America/New_York).
    #[arg(long, env = "WAYPOINT_TIME_ZONE", default_value = "UTC")]
    pub time_zone: String,
}

/// How often a private screen tells the model time passes (auto-lock).
const TICK: Duration = Duration::from_secs(5);

/// Runs the app until Ctrl-C.
pub fn run(wp: &Waypoint, args: AppArgs) -> anyhow::Result<()> {
    let words = words::Words::new(&args.language);
    let model = AppModel::new(wp, args.time_zone, args.language)?;
    let first = model.state();
    let (intents, worker_rx) = mpsc::channel::<(u64, Intent)>();
    let (worker_tx, states) = mpsc::channel::<(u64, AppState)>();
    let worker_model = Arc::clone(&model);
    std::thread::Builder::new()
        .name("screen-model".into())
        .spawn(move || worker(&worker_model, &worker_rx, &worker_tx))
        .context("could not start the app")?;

    let _guard = TerminalGuard::enter()?;
    let mut term = Terminal::new(CrosstermBackend::new(std::io::stdout()))
        .context("could not draw on this terminal")?;
    wipe(&mut term)?;
    let mut shell = Shell {
        state: first,
        local: keys::Local::default(),
        sent: 0,
        answered: 0,
        draw_from: 0,
        queued: VecDeque::new(),
        intents,
        last_activity: Instant::now(),
        last_tick: Instant::now(),
    };
    shell.local.follow(&shell.state);
    loop {
        term.draw(|f| render::draw(f, &shell.state, &shell.local, &words))?;
        // New states first, then keys.
        loop {
            match states.recv_timeout(Duration::from_millis(0)) {
                Ok((seq, state)) => {
                    if shell.receive(seq, state) {
                        // Leaving the private screens: nothing of them stays in the
                        // terminal, scrollback included.
                        wipe(&mut term)?;
                    }
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => {
                    anyhow::bail!("the app stopped unexpectedly")
                }
            }
        }
        if shell.idle() {
            while let Some(key) = shell.queued.pop_front() {
                if shell.key(key)? {
                    return Ok(());
                }
                if !shell.idle() {
                    break;
                }
            }
        }
        if shell.idle() && shell.state.view.is_private() && shell.last_tick.elapsed() >= TICK {
            shell.last_tick = Instant::now();
            shell.send(Intent::Lifecycle {
                event: AppEvent::Tick,
            });
        }
        if event::poll(Duration::from_millis(50))? {
            match event::read()? {
                Event::Key(key) if key.kind != KeyEventKind::Release => {
                    test_panic();
                    if key.code == QUICK_EXIT {
                        shell.quick_exit();
                    } else if shell.idle() {
                        if shell.key(key)? {
                            return Ok(());
                        }
                    } else if keys::is_quit(key) {
                        return Ok(());
                    } else {
                        shell.queued.push_back(key);
                    }
                }
                _ => {}
            }
        }
    }
}

/// Debug builds only: `WAYPOINT_TEST_APP_PANIC` makes the first key panic, with a message
/// carrying that variable's text, so the end-to-end test can check that a panic gives the
/// terminal back and that its message (which could quote personal data) is never printed.
fn test_panic() {
    #[cfg(debug_assertions)]
    if let Ok(text) = std::env::var("WAYPOINT_TEST_APP_PANIC") {
        panic!("{text}");
    }
}

/// Clears the whole terminal, scrollback included, and makes the next frame draw every
/// cell. (Not `Terminal::clear`, which asks the terminal where its cursor is and waits for
/// an answer.)
fn wipe(term: &mut Terminal<CrosstermBackend<std::io::Stdout>>) -> anyhow::Result<()> {
    let size = term.size()?;
    term.resize(Rect::new(0, 0, size.width, size.height))?;
    execute!(
        std::io::stdout(),
        terminal::Clear(terminal::ClearType::Purge)
    )?;
    Ok(())
}

/// The shell's side: the state on screen, the widgets, and what is on its way to the model.
struct Shell {
    state: AppState,
    local: keys::Local,
    /// Intents sent / answered (each gets the next number).
    sent: u64,
    answered: u64,
    /// States answering intents numbered below this are not drawn (sent before a quick exit).
    draw_from: u64,
    /// Keys typed while the model was busy, in order.
    queued: VecDeque<KeyEvent>,
    intents: Sender<(u64, Intent)>,
    last_activity: Instant,
    last_tick: Instant,
}

impl Shell {
    fn idle(&self) -> bool {
        self.answered == self.sent
    }

    fn send(&mut self, intent: Intent) {
        self.sent += 1;
        // A closed channel shows up as a disconnected answer in the loop.
        let _ = self.intents.send((self.sent, intent));
    }

    /// A state from the model; true when the screen went from private to not private.
    fn receive(&mut self, seq: u64, state: AppState) -> bool {
        self.answered = self.answered.max(seq);
        if seq < self.draw_from {
            return false;
        }
        let left_private = self.state.view.is_private() && !state.view.is_private();
        self.state = state;
        self.local.follow(&self.state);
        left_private
    }

    fn quick_exit(&mut self) {
        self.queued.clear();
        self.local.forget();
        self.send(Intent::QuickExit);
        self.draw_from = self.sent;
    }

    /// Handles one key on the state now on screen; true to close the program.
    fn key(&mut self, key: KeyEvent) -> anyhow::Result<bool> {
        // Any key on a private screen is use (typing a passphrase too): the idle lock
        // counts from the last one.
        if self.state.view.is_private() && self.last_activity.elapsed() >= TICK {
            self.last_activity = Instant::now();
            self.send(Intent::Lifecycle {
                event: AppEvent::Activity,
            });
        }
        match keys::map(&self.state, &mut self.local, key) {
            keys::Action::Quit => return Ok(true),
            keys::Action::QuickExit => self.quick_exit(),
            keys::Action::Redraw => {}
            keys::Action::Dispatch(intent) => self.send(intent),
        }
        Ok(false)
    }
}

/// Runs intents in order. When a quick exit is waiting, the intents queued before it are
/// skipped: they were typed on a screen that is already gone.
fn worker(model: &AppModel, rx: &Receiver<(u64, Intent)>, tx: &Sender<(u64, AppState)>) {
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        batch.extend(rx.try_iter());
        if let Some(at) = batch
            .iter()
            .rposition(|(_, i)| matches!(i, Intent::QuickExit))
        {
            // Answer the skipped ones (with the state after the quick exit) so the shell
            // knows none is outstanding.
            let skipped: Vec<u64> = batch.drain(..at).map(|(seq, _)| seq).collect();
            let (seq, intent) = batch.remove(0);
            let state = model.dispatch(intent);
            for s in skipped {
                let _ = tx.send((s, state.clone()));
            }
            if tx.send((seq, state)).is_err() {
                return;
            }
        }
        for (seq, intent) in batch {
            if tx.send((seq, model.dispatch(intent))).is_err() {
                return;
            }
        }
    }
}

/// Raw mode and the alternate screen, undone on drop and on panic.
struct TerminalGuard;

impl TerminalGuard {
    fn enter() -> anyhow::Result<Self> {
        terminal::enable_raw_mode().context("this is not a terminal (`waypoint app` needs one)")?;
        std::panic::set_hook(Box::new(move |info| {
            restore();
            // Where, never what: a panic message might quote personal data.
            let place = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            eprintln!("waypoint app: internal error{place}; the terminal was restored");
        }));
        execute!(
            std::io::stdout(),
            terminal::EnterAlternateScreen,
            cursor::Hide
        )?;
        Ok(Self)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Set once the terminal was given back: the panic hook and the guard's drop both call
/// [`restore`], and a second clear would wipe the hook's one line from the main screen.
static RESTORED: AtomicBool = AtomicBool::new(false);

fn restore() {
    if RESTORED.swap(true, Ordering::SeqCst) {
        return;
    }
    let mut out = std::io::stdout();
    let _ = execute!(
        out,
        terminal::Clear(terminal::ClearType::All),
        terminal::Clear(terminal::ClearType::Purge),
        terminal::LeaveAlternateScreen,
        cursor::Show
    );
    let _ = terminal::disable_raw_mode();
    let _ = out.flush();
}

#[cfg(test)]
mod tests {
    use super::*;
    use waypoint_core::screens::View;

    fn model(dir: &std::path::Path) -> Arc<AppModel> {
        let wp = crate::vault::open(dir.to_string_lossy().into_owned()).expect("open");
        AppModel::new(&wp, "UTC".into(), "en".into()).expect("model")
    }

    #[test]
    fn intents_typed_before_a_quick_exit_are_skipped_not_run() {
        let dir = tempfile::tempdir().expect("tempdir");
        let model = model(dir.path());
        let (tx, rx) = mpsc::channel();
        let (answer_tx, answers) = mpsc::channel();
        for (seq, intent) in [
            (1, Intent::Next),
            (2, Intent::Next),
            (3, Intent::QuickExit),
            (4, Intent::Back),
        ] {
            tx.send((seq, intent)).expect("send");
        }
        drop(tx);
        worker(&model, &rx, &answer_tx);
        let answers: Vec<(u64, AppState)> = answers.try_iter().collect();
        let seqs: Vec<u64> = answers.iter().map(|(s, _)| *s).collect();
        assert_eq!(seqs, [1, 2, 3, 4], "every intent is answered");
        for (_, state) in &answers {
            // Had a `Next` run, its answer would be the first run's decoy step.
            assert!(
                matches!(state.view, View::Calculator { .. }),
                "{}",
                state.view.name()
            );
        }
    }

    #[test]
    fn no_state_answering_an_intent_from_before_the_quick_exit_is_drawn() {
        let dir = tempfile::tempdir().expect("tempdir");
        let model = model(dir.path());
        let (tx, _rx) = mpsc::channel();
        let mut shell = Shell {
            state: model.state(),
            local: keys::Local::default(),
            sent: 0,
            answered: 0,
            draw_from: 0,
            queued: VecDeque::new(),
            intents: tx,
            last_activity: Instant::now(),
            last_tick: Instant::now(),
        };
        shell.send(Intent::Next);
        shell.quick_exit();
        let before = shell.state.clone();
        let stale = model.dispatch(Intent::Next);
        shell.receive(1, stale);
        assert_eq!(
            shell.state, before,
            "the answer to an older intent is not drawn"
        );
        assert!(!shell.idle());
        let decoy = model.dispatch(Intent::QuickExit);
        shell.receive(2, decoy.clone());
        assert_eq!(shell.state, decoy);
        assert!(shell.idle());
    }
}
