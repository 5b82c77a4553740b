//! `waypoint app` driven through a pseudo-terminal, as a person would: keys typed, the
//! screen read back through a terminal emulator (vt100). The whole journey: first run ->
//! set a code -> calculator unlock -> an entry with an attachment -> a court date with two
//! reminders -> a document with its scan (a bad date first: one line, nothing lost) -> the
//! directory's hotline -> the call action (its tel: URI shown, never
//! dialled) -> quick exit (F12) -> a plain calculator, and nothing typed before it is on
//! the screen, in the scrollback, or in plain text in the data directory.
//!
//! Every wait reads the screen until what it waits for is there (generous limits for a
//! loaded 2-core CI machine); nothing sleeps and hopes.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{native_pty_system, CommandBuilder, PtySize};
use waypoint_e2e::bin;

const CODE: &str = "40571986";
const TITLE: &str = "Marker-Title-7731";
const BODY: &str = "marker body 5510";
const COURT: &str = "Marker-Court-4410";
const FILE_NAME: &str = "evidence-5512.txt";
const FILE_CONTENT: &str = "ATTACHED-CONTENT-5513";
const DOC_LABEL: &str = "Marker-Doc-6620";
const DOC_NUMBER: &str = "MARKERNUM6621";
const SCAN_NAME: &str = "scan-6622.jpg";
const SCAN_CONTENT: &str = "SCANNED-CONTENT-6623";
/// What was typed in the app, and must be nowhere after the quick exit.
const MARKERS: &[&str] = &[
    TITLE,
    BODY,
    COURT,
    FILE_NAME,
    FILE_CONTENT,
    DOC_LABEL,
    DOC_NUMBER,
    SCAN_NAME,
    SCAN_CONTENT,
];

const ROWS: u16 = 40;
const COLS: u16 = 120;
/// Longest wait for one screen (a loaded CI machine, a debug build).
const WAIT: Duration = Duration::from_secs(90);

const ENTER: &str = "\r";
const TAB: &str = "\t";
const BACKSPACE: &str = "\x7f";
const ESC: &str = "\x1b";
const RIGHT: &str = "\x1b[C";
const DOWN: &str = "\x1b[B";
const F12: &str = "\x1b[24~";
const CTRL_C: &str = "\x03";
const CTRL_D: &str = "\x04";
const CTRL_E: &str = "\x05";
const CTRL_N: &str = "\x0e";
const CTRL_S: &str = "\x13";

/// The app in a pty, its output fed to a terminal emulator by a reader thread.
struct Tui {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    done: Arc<Mutex<bool>>,
}

impl Tui {
    fn start(data_dir: &Path) -> Tui {
        Self::start_with(data_dir, "en", &[])
    }

    fn start_with(data_dir: &Path, language: &str, envs: &[(&str, &str)]) -> Tui {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(bin("waypoint"));
        cmd.arg("--data-dir");
        cmd.arg(data_dir);
        cmd.args(["app", "--time-zone", "UTC", "--language", language]);
        cmd.env("TERM", "xterm-256color");
        cmd.env("WAYPOINT_TEST_SCRYPT_LOG_N", "4");
        cmd.env_remove("WAYPOINT_PASSPHRASE");
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn waypoint app");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        // Scrollback kept, so the test can look into it.
        let size = |n: u16| std::num::NonZeroU16::new(n).expect("a size");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            size(ROWS),
            size(COLS),
            10_000,
        )));
        let done = Arc::new(Mutex::new(false));
        let (p, d) = (Arc::clone(&parser), Arc::clone(&done));
        let master = pair.master;
        std::thread::spawn(move || {
            let _keep_open = master;
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => p.lock().expect("parser").process(&buf[..n]),
                }
            }
            *d.lock().expect("done") = true;
        });
        Tui {
            parser,
            writer,
            child,
            done,
        }
    }

    /// Types `keys`. A lone Esc is always followed by a wait for the screen it leads to,
    /// so it is never read together with the next key as one sequence.
    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("type");
        self.writer.flush().expect("flush");
    }

    /// The screen as text, row by row.
    fn screen(&self) -> String {
        self.parser.lock().expect("parser").screen().contents()
    }

    /// Waits until the screen satisfies `ok`; fails with `what` and the screen if it never
    /// does.
    fn wait(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            if start.elapsed() > WAIT || *self.done.lock().expect("done") && !ok(&self.screen()) {
                panic!("waiting for {what}; the screen shows:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    fn wait_for(&self, text: &str) -> String {
        self.wait(text, |s| s.contains(text))
    }

    /// Waits for the program to end; its exit status.
    fn exit_status(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                break status;
            }
            assert!(start.elapsed() < WAIT, "the app did not end");
            std::thread::sleep(Duration::from_millis(25));
        };
        // Everything it wrote has been read.
        self.wait("the end of the output", |_| {
            *self.done.lock().expect("done")
        });
        status
    }

    /// Whether the terminal was given back: main screen, cursor shown.
    fn restored(&self) -> bool {
        let p = self.parser.lock().expect("parser");
        !p.screen().alternate_screen() && !p.screen().hide_cursor()
    }

    /// Everything the emulator holds: the screen and every line scrolled off it.
    fn screen_and_scrollback(&self) -> String {
        let mut p = self.parser.lock().expect("parser");
        let mut all = p.screen().contents();
        let back = p.screen().scrollback_len();
        let mut offset = 0;
        while offset < back {
            offset = (offset + usize::from(ROWS)).min(back);
            p.screen_mut().set_scrollback(offset);
            all.push('\n');
            all.push_str(&p.screen().contents());
        }
        p.screen_mut().set_scrollback(0);
        all
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether a line of the screen holds `value` alone (inside the frame): the display.
fn display_shows(screen: &str, value: &str) -> bool {
    screen
        .lines()
        .any(|l| l.trim_matches(|c: char| c.is_whitespace() || c == '│') == value)
}

/// Every file under `dir`, read whole.
fn files(dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    for e in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if let Ok(bytes) = std::fs::read(&p) {
            out.push((p.display().to_string(), bytes));
        }
    }
}

#[test]
fn the_whole_journey_in_the_terminal_ends_on_a_plain_calculator() {
    let data = tempfile::tempdir().expect("data dir");
    let outside = tempfile::tempdir().expect("files to attach");
    let attachment = outside.path().join(FILE_NAME);
    std::fs::write(&attachment, FILE_CONTENT).expect("write the file to attach");
    let scan = outside.path().join(SCAN_NAME);
    std::fs::write(&scan, SCAN_CONTENT).expect("write the scan to add");

    let mut tui = Tui::start(data.path());

    // First run: how to leave quickly comes first, then the decoy, then the code.
    tui.wait_for("Before you start");
    tui.send(ENTER);
    tui.wait_for("Choose how the app looks");
    tui.send(ENTER);
    tui.wait_for("Choose your code");
    tui.send(CODE);
    tui.send(ENTER);
    tui.send(CODE);
    tui.send(ENTER);
    tui.wait_for("Waypoint · Home");

    // Safety settings: no auto-lock, so that every decoy this test sees comes from the
    // quick exit (an idle lock on a slow machine would show the same calculator).
    tui.send("4");
    tui.wait_for("Waypoint · Safety settings");
    tui.send(&TAB.repeat(2));
    tui.send(BACKSPACE);
    tui.wait_for("(0: never): 0");
    tui.send(CTRL_S);
    tui.wait_for("Saved.");
    tui.send(ESC);
    tui.wait_for("Waypoint · Home");

    // Lock with the quick exit, then unlock on the calculator: code and "=".
    tui.send(F12);
    tui.wait("the calculator", |s| {
        s.contains(" Calculator ") && !s.contains("Waypoint")
    });
    tui.send(CODE);
    tui.send("=");
    tui.wait_for("Waypoint · Home");

    // A journal entry with an attachment.
    tui.send("1");
    tui.wait_for("Waypoint · Journal");
    tui.send(CTRL_N);
    tui.wait_for("Waypoint · New entry");
    tui.send(TITLE);
    tui.wait_for(TITLE);
    tui.send(&TAB.repeat(5));
    tui.send(BODY);
    tui.wait_for(BODY);
    tui.send(TAB);
    tui.send(&attachment.display().to_string());
    tui.send(ENTER);
    let typed_path = outside.path().display().to_string();
    tui.wait("the file among the entry's files", |s| {
        s.contains("1 file: ") && s.contains(FILE_NAME) && !s.contains(&typed_path)
    });
    tui.send(CTRL_S);
    tui.wait("the entry in the list with its attachment", |s| {
        s.contains("Waypoint · Journal") && s.contains(&format!("{TITLE}  [1]"))
    });
    // The export screen is there (its use is covered by the screen models' tests).
    tui.send(CTRL_E);
    tui.wait_for("Waypoint · Save a sealed copy");
    tui.send(ESC);
    tui.wait_for("Waypoint · Journal");
    tui.send(ESC);
    tui.wait_for("Waypoint · Home");

    // A court date with two reminders.
    tui.send("2");
    tui.wait_for("Waypoint · Appointments");
    tui.send(CTRL_N);
    tui.wait_for("Waypoint · New appointment");
    tui.send(COURT);
    tui.wait_for(COURT);
    tui.send(TAB);
    tui.send(RIGHT);
    tui.wait_for("< Court >");
    tui.send(TAB);
    tui.send("2027-03-01");
    tui.send(TAB);
    tui.send("09:30");
    tui.send(&TAB.repeat(4));
    tui.send("60,1440");
    tui.wait("both reminders in words", |s| {
        s.contains("1 hour before") && s.contains("1 day before")
    });
    tui.send(CTRL_S);
    tui.wait("the court date in the list", |s| {
        s.contains("Waypoint · Appointments")
            && s.contains(COURT)
            && s.contains("1 day before, 1 hour before")
    });
    tui.send(ESC);
    tui.wait_for("Waypoint · Home");

    // A document with its scan (the sixth destination). A date in another form first: one
    // line says what to write, and nothing typed (nor the scan) is lost.
    tui.send("6");
    tui.wait_for("Waypoint · My documents");
    tui.send(CTRL_N);
    tui.wait_for("Waypoint · New document");
    tui.send(RIGHT);
    tui.wait_for("< Visa >");
    tui.send(TAB);
    tui.send(DOC_LABEL);
    tui.send(TAB);
    tui.send(DOC_NUMBER);
    tui.send(TAB);
    tui.send("mx");
    tui.send(&TAB.repeat(2));
    tui.send("31/03/2031");
    tui.send(&TAB.repeat(2));
    tui.send("90,30");
    tui.wait("both expiry reminders in words", |s| {
        s.contains("90 days before") && s.contains("30 days before")
    });
    tui.send(TAB);
    tui.send(&scan.display().to_string());
    tui.send(ENTER);
    tui.wait("the scan chosen, not yet saved", |s| {
        s.contains(&format!("{SCAN_NAME} (Kept when you save.)")) && !s.contains(&typed_path)
    });
    tui.send(CTRL_S);
    let screen = tui.wait_for("! Use the form 2025-03-01.");
    assert_eq!(screen.matches("! ").count(), 1, "one line:\n{screen}");
    assert!(
        screen.contains(DOC_LABEL) && screen.contains(DOC_NUMBER) && screen.contains(SCAN_NAME)
    );
    // Back to the expiry field (two fields up from the file path), and the date fixed.
    tui.send("\x1b[Z\x1b[Z\x1b[Z");
    tui.send(&BACKSPACE.repeat(10));
    tui.send("2031-03-30");
    tui.wait_for("2031-03-30");
    tui.send(CTRL_S);
    tui.wait("the document in the list", |s| {
        s.contains("Waypoint · My documents")
            && s.contains(&format!("Visa  {DOC_LABEL}"))
            && s.contains("Expires in")
    });
    // Opened again: it kept its scan; deleting asks first, and Esc keeps it.
    tui.send(ENTER);
    tui.wait("the document with its scan", |s| {
        s.contains("Waypoint · Document") && s.contains(SCAN_NAME) && s.contains("MX")
    });
    tui.send(CTRL_D);
    tui.wait_for("for good? This cannot be undone.");
    tui.send(ESC);
    tui.wait("the editor again", |s| {
        s.contains("Waypoint · Document") && !s.contains("cannot be undone")
    });
    tui.send(ESC);
    tui.wait_for("Waypoint · My documents");
    tui.send(ESC);
    tui.wait_for("Waypoint · Home");

    // A know-your-rights guide (the eighth destination), then back home.
    tui.send("8");
    tui.wait("the guides", |s| {
        s.contains("Waypoint · Know your rights") && s.contains("What a T visa is")
    });
    // Each guide says where it comes from and when it was last reviewed (guides.ftl).
    tui.wait("the guides' origin and review date", |s| {
        s.contains("[Comes with the app]") && s.contains("Last reviewed: 2026-11-30")
    });
    tui.send(DOWN);
    tui.send(ENTER);
    tui.wait_for("Who it may be for");
    tui.send(ESC);
    tui.wait_for("Take what is useful");
    tui.send(ESC);
    tui.wait_for("Waypoint · Home");

    // The directory (the packaged data of a first run), the hotline, its call action.
    tui.send("3");
    tui.wait_for("Waypoint · Find help");
    tui.send("trafficking");
    tui.wait_for("Human Trafficking Hotline");
    tui.send(ENTER);
    tui.wait_for("Call:");
    tui.send("1");
    tui.wait_for("Before you call");
    tui.send(ENTER);
    // Shown to the tester as text, never dialled.
    tui.wait_for("The phone would open this now");
    tui.wait_for("tel:+1");
    tui.send(ENTER);
    tui.wait("the notice acknowledged", |s| {
        !s.contains("tel:") && s.contains("Call:")
    });

    // Quick exit from inside the app.
    tui.send(F12);
    let screen = tui.wait("a plain calculator", |s| {
        s.contains(" Calculator ") && !s.contains("Waypoint")
    });
    assert!(
        display_shows(&screen, "0"),
        "the calculator shows 0:\n{screen}"
    );
    let everything = tui.screen_and_scrollback();
    for m in MARKERS.iter().chain(&["Trafficking", "tel:", "Waypoint"]) {
        assert!(
            !everything.contains(m),
            "{m} is still in the terminal after the quick exit"
        );
    }

    // The decoy calculates; nothing private comes back without the code.
    // Back leads nowhere from the decoy (an Esc read together with the next key is
    // Alt+key, which the calculator takes as the key).
    tui.send(ESC);
    tui.send("12+30=");
    tui.wait("the sum", |s| display_shows(s, "42"));
    tui.send("c");
    tui.wait("a cleared display", |s| display_shows(s, "0"));
    assert!(!tui.screen().contains("Waypoint"));

    // Close: the terminal is given back (main screen, cursor shown), nothing left on it.
    tui.send(CTRL_C);
    let status = tui.exit_status();
    assert!(status.success(), "the app ended with {status:?}");
    assert!(tui.restored(), "the terminal is given back");
    let everything = tui.screen_and_scrollback();
    for m in MARKERS {
        assert!(
            !everything.contains(m),
            "{m} is in the terminal after closing"
        );
    }

    // The data directory holds none of it in plain text.
    let mut all = Vec::new();
    files(data.path(), &mut all);
    assert!(!all.is_empty());
    for (path, bytes) in &all {
        for m in MARKERS {
            assert!(
                !bytes.windows(m.len()).any(|w| w == m.as_bytes()),
                "{m} in plain text in {path}"
            );
        }
    }
}

#[test]
fn a_panic_gives_the_terminal_back_and_never_prints_its_message() {
    const SECRET: &str = "Marker-Panic-9917";
    let data = tempfile::tempdir().expect("data dir");
    let mut tui = Tui::start_with(data.path(), "en", &[("WAYPOINT_TEST_APP_PANIC", SECRET)]);
    tui.wait_for("Before you start");
    tui.send(ENTER);
    let status = tui.exit_status();
    assert!(!status.success(), "a panic ends with a failure status");
    assert!(tui.restored(), "the terminal is given back after a panic");
    let everything = tui.screen_and_scrollback();
    assert!(
        everything.contains("waypoint app: internal error"),
        "one line says what happened:\n{everything}"
    );
    assert!(
        !everything.contains(SECRET),
        "the panic's message is never printed"
    );
    assert!(
        !everything.contains("Before you start"),
        "the screen was cleared"
    );
}

#[test]
fn the_app_speaks_the_language_it_is_given_down_to_its_own_key_hints() {
    let data = tempfile::tempdir().expect("data dir");
    let mut tui = Tui::start_with(data.path(), "es", &[]);
    // The title from the screen model, the hint's verbs from the model's labels and from
    // the terminal's own messages (terminal.ftl), all Spanish.
    tui.wait("the Spanish first run", |s| {
        s.contains("Antes de empezar")
            && s.contains("Enter Siguiente")
            && s.contains("F12 Salir")
            && s.contains("Ctrl-C cerrar")
    });
    tui.send(F12);
    tui.wait("the Spanish calculator", |s| {
        s.contains(" Calculadora ") && s.contains("c borrar")
    });
    tui.send(CTRL_C);
    assert!(tui.exit_status().success());
    assert!(tui.restored());
}
