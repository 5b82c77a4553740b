//! Keys to intents. The only state kept here is what a phone's widgets keep: which field
//! has the focus, which row is highlighted, and what is typed into a secret field (codes,
//! the export passphrase) or a path field before it is sent. Every decision (validation,
//! navigation, what a code does) is the screen model's.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use waypoint_core::app::CalcKey;
use waypoint_core::appointments::AppointmentKind;
use waypoint_core::disguise::Decoy;
use waypoint_core::documents::DocumentType;
use waypoint_core::screens::{AppState, Intent, Repeat, View};
use waypoint_format::record::Category;
use zeroize::Zeroizing;

/// The one quick-exit key, on every screen.
pub const QUICK_EXIT: KeyCode = KeyCode::F(12);

/// Longest text kept in a local field (codes, paths).
const MAX_LOCAL: usize = 4096;

/// Appointment kinds in the order the editor cycles through them.
pub const KINDS: [AppointmentKind; 9] = [
    AppointmentKind::Court,
    AppointmentKind::Legal,
    AppointmentKind::Immigration,
    AppointmentKind::Medical,
    AppointmentKind::MentalHealth,
    AppointmentKind::CaseWorker,
    AppointmentKind::SupportGroup,
    AppointmentKind::Medication,
    AppointmentKind::Other,
];
/// Repeat choices, in order.
pub const REPEATS: [Repeat; 4] = [
    Repeat::Never,
    Repeat::Daily,
    Repeat::Weekly,
    Repeat::Monthly,
];
/// Decoys, in order.
pub const DECOYS: [Decoy; 3] = [Decoy::Calculator, Decoy::Notes, Decoy::Weather];
/// Document types in the order the editor cycles through them.
pub const DOCUMENT_TYPES: [DocumentType; 10] = DocumentType::ALL;

/// Fields of the entry editor, in focus order.
pub const ENTRY_FIELDS: usize = 7;
/// Index of the entry editor's text field.
pub const ENTRY_BODY: usize = 5;
/// Index of the entry editor's attach field.
pub const ENTRY_ATTACH: usize = 6;
/// Fields of the appointment editor.
pub const APPOINTMENT_FIELDS: usize = 8;
/// Fields of the directory filters.
pub const DIRECTORY_FIELDS: usize = 5;
/// Fields of the safety settings.
pub const SAFETY_FIELDS: usize = 7;
/// Fields of the export form.
pub const EXPORT_FIELDS: usize = 3;
/// Fields of the document editor: type, label, number, country, issued, expires, notes,
/// reminder days, the file's path.
pub const DOCUMENT_FIELDS: usize = 9;
/// Index of the document editor's reminder days.
pub const DOCUMENT_REMINDERS: usize = 7;
/// Index of the document editor's file path.
pub const DOCUMENT_FILE: usize = 8;
/// Fields of the "people I share with" form: name, key.
pub const RECIPIENT_FIELDS: usize = 2;

/// What the widgets of the screen on view hold.
#[derive(Default)]
pub struct Local {
    /// The view these belong to (a new view starts afresh).
    pub view: &'static str,
    /// The focused field.
    pub focus: usize,
    /// The highlighted row.
    pub row: usize,
    /// First secret field (code, unlock code, a decoy's hidden code, export passphrase).
    pub secret: Zeroizing<String>,
    /// Second secret field (code again, passphrase again).
    pub secret_again: Zeroizing<String>,
    /// A plain local field (attach path, export destination, reminder minutes or days).
    pub text: Zeroizing<String>,
    /// The document editor's file path (its `text` holds the reminder days).
    pub path: Zeroizing<String>,
    /// A note from the shell itself (a file it could not read), until the next key.
    pub notice: Option<&'static str>,
}

impl Local {
    /// Starts afresh when `state` shows another view than the last one.
    pub fn follow(&mut self, state: &AppState) {
        let name = state.view.name();
        if name == self.view {
            return;
        }
        *self = Local {
            view: name,
            ..Local::default()
        };
        if let View::AppointmentEditor { form, .. } = &state.view {
            let minutes: Vec<String> = form
                .reminder_minutes
                .iter()
                .map(ToString::to_string)
                .collect();
            *self.text = minutes.join(",");
        }
        if let View::DocumentEditor { form, .. } = &state.view {
            let days: Vec<String> = form.reminder_days.iter().map(ToString::to_string).collect();
            *self.text = days.join(",");
        }
    }

    /// Forgets everything typed (quick exit).
    pub fn forget(&mut self) {
        *self = Local::default();
    }
}

/// What a key asks the shell to do.
#[derive(PartialEq)]
pub enum Action {
    /// Send this intent.
    Dispatch(Intent),
    /// Quick exit.
    QuickExit,
    /// Close the program.
    Quit,
    /// Only the widgets changed: draw again.
    Redraw,
}

/// Whether `key` closes the program (Ctrl-C), on any screen.
pub fn is_quit(key: KeyEvent) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c')
}

/// The action for `key` on `state`.
pub fn map(state: &AppState, local: &mut Local, key: KeyEvent) -> Action {
    local.notice = None;
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if key.code == QUICK_EXIT {
        return Action::QuickExit;
    }
    if is_quit(key) {
        return Action::Quit;
    }
    if state.launch.is_some() {
        return match key.code {
            KeyCode::Enter | KeyCode::Esc => Action::Dispatch(Intent::LaunchHandled),
            _ => Action::Redraw,
        };
    }
    if key.code == KeyCode::Esc {
        return Action::Dispatch(Intent::Back);
    }
    match &state.view {
        View::FirstRunQuickExit { .. } => match key.code {
            KeyCode::Enter => Action::Dispatch(Intent::Next),
            _ => Action::Redraw,
        },
        View::FirstRunDecoy { options } => {
            let at = options.iter().position(|o| o.selected).unwrap_or(0);
            match key.code {
                KeyCode::Enter => Action::Dispatch(Intent::Next),
                KeyCode::Up | KeyCode::Down if !options.is_empty() => {
                    let next = step(at, options.len(), key.code == KeyCode::Down);
                    Action::Dispatch(Intent::ChooseDecoy {
                        decoy: options[next].decoy,
                    })
                }
                _ => Action::Redraw,
            }
        }
        View::FirstRunCode { .. } => match key.code {
            KeyCode::Tab | KeyCode::BackTab | KeyCode::Up | KeyCode::Down => {
                local.focus = 1 - local.focus.min(1);
                Action::Redraw
            }
            KeyCode::Enter if local.focus == 0 => {
                local.focus = 1;
                Action::Redraw
            }
            KeyCode::Enter => {
                let intent = Intent::ChooseCode {
                    code: local.secret.to_string(),
                    confirm: local.secret_again.to_string(),
                };
                local.secret.clear();
                local.secret_again.clear();
                local.focus = 0;
                Action::Dispatch(intent)
            }
            _ => {
                let field = if local.focus == 0 {
                    &mut local.secret
                } else {
                    &mut local.secret_again
                };
                edit_local(field, key);
                Action::Redraw
            }
        },
        View::Calculator { .. } => match calc_key(key) {
            Some(key) => Action::Dispatch(Intent::Calc { key }),
            None => Action::Redraw,
        },
        View::DecoyPage { .. } | View::Unlock { .. } => match key.code {
            KeyCode::Enter => {
                let code = local.secret.to_string();
                local.secret.clear();
                Action::Dispatch(Intent::SubmitCode { code })
            }
            _ => {
                edit_local(&mut local.secret, key);
                Action::Redraw
            }
        },
        View::Home { destinations, .. } => {
            if ctrl && key.code == KeyCode::Char('l') {
                return Action::Dispatch(Intent::Lock);
            }
            if let KeyCode::Char(c @ '1'..='9') = key.code {
                let i = c as usize - '1' as usize;
                return match destinations.get(i) {
                    Some(d) => Action::Dispatch(Intent::Open { destination: *d }),
                    None => Action::Redraw,
                };
            }
            list_keys(local, destinations.len(), key, |i| Intent::Open {
                destination: destinations[i],
            })
        }
        View::JournalList { query, rows, .. } => match key.code {
            KeyCode::Char('n') if ctrl => Action::Dispatch(Intent::NewEntry),
            KeyCode::Char('e') if ctrl => Action::Dispatch(Intent::OpenExport),
            KeyCode::Up | KeyCode::Down | KeyCode::Enter => {
                list_keys(local, rows.len(), key, |i| Intent::OpenEntry {
                    id: rows[i].id.clone(),
                })
            }
            _ => match edited(query, key) {
                Some(query) => Action::Dispatch(Intent::JournalSearch { query }),
                None => Action::Redraw,
            },
        },
        View::EntryEditor { form, .. } => {
            if ctrl && key.code == KeyCode::Char('s') {
                return Action::Dispatch(Intent::SaveEntry);
            }
            if move_focus(local, ENTRY_FIELDS, key) {
                return Action::Redraw;
            }
            match local.focus {
                ENTRY_ATTACH => {
                    if key.code == KeyCode::Enter {
                        return attach(&mut local.text, &mut local.notice);
                    }
                    edit_local(&mut local.text, key);
                    Action::Redraw
                }
                f => {
                    let mut form = form.clone();
                    let field = match f {
                        0 => &mut form.title,
                        1 => &mut form.happened,
                        2 => &mut form.mood,
                        3 => &mut form.tags,
                        4 => &mut form.place,
                        _ => &mut form.body,
                    };
                    let key = if f == ENTRY_BODY && key.code == KeyCode::Enter {
                        KeyEvent::new(KeyCode::Char('\n'), KeyModifiers::NONE)
                    } else {
                        key
                    };
                    match edited(field, key) {
                        Some(v) => {
                            *field = v;
                            Action::Dispatch(Intent::EditEntry { form })
                        }
                        None => Action::Redraw,
                    }
                }
            }
        }
        View::EvidenceExport { .. } => {
            if move_focus(local, EXPORT_FIELDS, key) {
                return Action::Redraw;
            }
            if key.code == KeyCode::Enter {
                if local.focus + 1 < EXPORT_FIELDS {
                    local.focus += 1;
                    return Action::Redraw;
                }
                let intent = Intent::ExportEvidence {
                    passphrase: local.secret.to_string(),
                    confirm: local.secret_again.to_string(),
                    dest_path: local.text.to_string(),
                };
                local.secret.clear();
                local.secret_again.clear();
                local.focus = 0;
                return Action::Dispatch(intent);
            }
            let field = match local.focus {
                0 => &mut local.secret,
                1 => &mut local.secret_again,
                _ => &mut local.text,
            };
            edit_local(field, key);
            Action::Redraw
        }
        View::AppointmentList { rows } => {
            if ctrl && key.code == KeyCode::Char('n') {
                return Action::Dispatch(Intent::NewAppointment);
            }
            list_keys(local, rows.len(), key, |i| Intent::OpenAppointment {
                id: rows[i].id.clone(),
            })
        }
        View::AppointmentEditor { form, .. } => {
            if ctrl && key.code == KeyCode::Char('s') {
                return Action::Dispatch(Intent::SaveAppointment);
            }
            if move_focus(local, APPOINTMENT_FIELDS, key) || key.code == KeyCode::Enter {
                if key.code == KeyCode::Enter {
                    local.focus = (local.focus + 1) % APPOINTMENT_FIELDS;
                }
                return Action::Redraw;
            }
            let mut form = form.clone();
            let changed = match local.focus {
                0 => set(&mut form.title, key),
                1 => cycle(&KINDS, &mut form.kind, key),
                2 => set(&mut form.date, key),
                3 => set(&mut form.time, key),
                4 => set(&mut form.duration_minutes, key),
                5 => set(&mut form.place, key),
                6 => cycle(&REPEATS, &mut form.repeat, key),
                _ => {
                    let ok = match key.code {
                        KeyCode::Char(c) if c.is_ascii_digit() || c == ',' || c == ' ' => true,
                        KeyCode::Backspace => true,
                        _ => false,
                    };
                    if ok {
                        edit_local(&mut local.text, key);
                        form.reminder_minutes = minutes(&local.text);
                    }
                    ok
                }
            };
            if changed {
                Action::Dispatch(Intent::EditAppointment { form })
            } else {
                Action::Redraw
            }
        }
        View::DirectorySearch { filters, rows } => {
            if matches!(key.code, KeyCode::Up | KeyCode::Down | KeyCode::Enter) {
                return list_keys(local, rows.len(), key, |i| Intent::OpenResource {
                    id: rows[i].id.clone(),
                });
            }
            if move_focus(local, DIRECTORY_FIELDS, key) {
                return Action::Redraw;
            }
            let mut filters = filters.clone();
            let changed = match local.focus {
                0 => set(&mut filters.text, key),
                1 => {
                    let names: Vec<Option<&str>> = std::iter::once(None)
                        .chain(Category::ALL.iter().map(|c| Some(c.as_str())))
                        .collect();
                    let mut now = filters.categories.first().map(String::as_str);
                    let changed = cycle(&names, &mut now, key);
                    filters.categories = now.map(|c| vec![c.to_owned()]).unwrap_or_default();
                    changed
                }
                2 => toggle(&mut filters.open_now, key),
                3 => toggle(&mut filters.free, key),
                _ => {
                    let mut lang = filters.spoken_language.clone().unwrap_or_default();
                    let changed = set(&mut lang, key);
                    filters.spoken_language = (!lang.is_empty()).then_some(lang);
                    changed
                }
            };
            if changed {
                local.row = 0;
                Action::Dispatch(Intent::SearchDirectory { filters })
            } else {
                Action::Redraw
            }
        }
        View::ResourceDetail { detail } => {
            if let KeyCode::Char(c @ '1'..='9') = key.code {
                let i = c as usize - '1' as usize;
                return match detail.actions.get(i) {
                    Some(a) => Action::Dispatch(Intent::TakeAction { index: a.index }),
                    None => Action::Redraw,
                };
            }
            list_keys(local, detail.actions.len(), key, |i| Intent::TakeAction {
                index: detail.actions[i].index,
            })
        }
        View::CallWarning { .. } => match key.code {
            KeyCode::Enter => Action::Dispatch(Intent::ConfirmCallWarning),
            _ => Action::Redraw,
        },
        View::SafetySettings {
            form,
            alias_choices,
            ..
        } => {
            if ctrl && key.code == KeyCode::Char('s') {
                return Action::Dispatch(Intent::SaveSafety);
            }
            if move_focus(local, SAFETY_FIELDS, key) {
                return Action::Redraw;
            }
            let mut form = form.clone();
            let changed = match local.focus {
                0 => cycle(&DECOYS, &mut form.decoy, key),
                1 => cycle(alias_choices, &mut form.launcher_alias, key),
                2 => number(&mut form.auto_lock_minutes, key),
                3 => toggle(&mut form.screenshot_blocking, key),
                4 => toggle(&mut form.quick_exit_wipes, key),
                5 => {
                    let mut n = form.wipe_after_failures.unwrap_or(0);
                    let changed = number(&mut n, key);
                    form.wipe_after_failures = (n > 0).then_some(n);
                    changed
                }
                _ => match key.code {
                    KeyCode::Char(c) if c.is_ascii_digit() => {
                        form.duress_code.push(c);
                        true
                    }
                    KeyCode::Backspace => form.duress_code.pop().is_some(),
                    _ => false,
                },
            };
            if changed {
                Action::Dispatch(Intent::EditSafety { form })
            } else {
                Action::Redraw
            }
        }
        View::SyncStatus { .. } => Action::Redraw,
        View::DocumentList { rows, .. } => {
            if ctrl && key.code == KeyCode::Char('n') {
                return Action::Dispatch(Intent::NewDocument);
            }
            list_keys(local, rows.len(), key, |i| Intent::OpenDocument {
                id: rows[i].id.clone(),
            })
        }
        View::DocumentEditor {
            form,
            confirm_delete,
            document_id,
            ..
        } => {
            if *confirm_delete {
                // Enter deletes for good; Esc (Back) keeps it; nothing else does anything.
                return match key.code {
                    KeyCode::Enter => Action::Dispatch(Intent::ConfirmDeleteDocument),
                    _ => Action::Redraw,
                };
            }
            if ctrl {
                return match key.code {
                    KeyCode::Char('s') => Action::Dispatch(Intent::SaveDocument),
                    KeyCode::Char('r') => Action::Dispatch(Intent::RemoveDocumentFile),
                    KeyCode::Char('d') if document_id.is_some() => {
                        Action::Dispatch(Intent::DeleteDocument)
                    }
                    _ => Action::Redraw,
                };
            }
            if move_focus(local, DOCUMENT_FIELDS, key) {
                return Action::Redraw;
            }
            if local.focus == DOCUMENT_FILE {
                if key.code == KeyCode::Enter {
                    return attach(&mut local.path, &mut local.notice);
                }
                edit_local(&mut local.path, key);
                return Action::Redraw;
            }
            if key.code == KeyCode::Enter {
                local.focus = (local.focus + 1) % DOCUMENT_FIELDS;
                return Action::Redraw;
            }
            let mut form = form.clone();
            let changed = match local.focus {
                0 => cycle(&DOCUMENT_TYPES, &mut form.doc_type, key),
                1 => set(&mut form.label, key),
                2 => set(&mut form.number, key),
                3 => set(&mut form.issuing_country, key),
                4 => set(&mut form.issued_on, key),
                5 => set(&mut form.expires_on, key),
                6 => set(&mut form.notes, key),
                _ => {
                    let ok = match key.code {
                        KeyCode::Char(c) if c.is_ascii_digit() || c == ',' || c == ' ' => true,
                        KeyCode::Backspace => true,
                        _ => false,
                    };
                    if ok {
                        edit_local(&mut local.text, key);
                        form.reminder_days = minutes(&local.text);
                    }
                    ok
                }
            };
            if changed {
                Action::Dispatch(Intent::EditDocument { form })
            } else {
                Action::Redraw
            }
        }
        View::ShareRecipients { rows, form, .. } => {
            if ctrl && key.code == KeyCode::Char('s') || key.code == KeyCode::Enter {
                return Action::Dispatch(Intent::SaveRecipient);
            }
            if ctrl && key.code == KeyCode::Char('x') {
                return match rows.get(local.row) {
                    Some(r) => Action::Dispatch(Intent::RemoveRecipient { id: r.id.clone() }),
                    None => Action::Redraw,
                };
            }
            match key.code {
                KeyCode::Tab => local.focus = (local.focus + 1) % RECIPIENT_FIELDS,
                KeyCode::BackTab => {
                    local.focus = (local.focus + RECIPIENT_FIELDS - 1) % RECIPIENT_FIELDS;
                }
                KeyCode::Up | KeyCode::Down if !rows.is_empty() => {
                    local.row = step(
                        local.row.min(rows.len() - 1),
                        rows.len(),
                        key.code == KeyCode::Down,
                    );
                }
                _ => {
                    // The terminal has no camera: a key is typed or pasted.
                    let mut form = form.clone();
                    let field = if local.focus == 0 {
                        &mut form.label
                    } else {
                        &mut form.key
                    };
                    if set(field, key) {
                        return Action::Dispatch(Intent::EditRecipient { form });
                    }
                }
            }
            Action::Redraw
        }
        View::GuideList { guides, .. } => {
            list_keys(local, guides.len(), key, |i| Intent::OpenGuide {
                id: guides[i].id.clone(),
            })
        }
        View::Guide { guide } => {
            // Enter opens a suggested directory resource, in the order they are drawn.
            let ids: Vec<&String> = guide.help.iter().flat_map(|h| &h.resource_ids).collect();
            list_keys(local, ids.len(), key, |i| Intent::OpenResource {
                id: ids[i].clone(),
            })
        }
        View::SafetyPlan {
            sections,
            can_restart,
            confirm_restart,
            ..
        } => {
            if *confirm_restart {
                // Enter deletes the set-aside plan for good; Esc (Back) keeps it.
                return match key.code {
                    KeyCode::Enter => Action::Dispatch(Intent::ConfirmRestartSafetyPlan),
                    _ => Action::Redraw,
                };
            }
            if *can_restart {
                // The plan could not be opened: writing into it fails, so only the way
                // to start again is offered.
                return match key.code {
                    KeyCode::Char('d') if ctrl => Action::Dispatch(Intent::RestartSafetyPlan),
                    _ => Action::Redraw,
                };
            }
            if sections.is_empty() {
                return Action::Redraw;
            }
            local.row = local.row.min(sections.len() - 1);
            let section = &sections[local.row];
            match key.code {
                KeyCode::Up | KeyCode::Down => {
                    local.row = step(local.row, sections.len(), key.code == KeyCode::Down);
                    local.text.clear();
                    Action::Redraw
                }
                KeyCode::Char('k') if ctrl => Action::Dispatch(Intent::SkipPlanSection {
                    section: section.section,
                }),
                // Enter adds the typed line to the chosen section.
                KeyCode::Enter => {
                    let line = local.text.trim().to_owned();
                    if line.is_empty() {
                        return Action::Redraw;
                    }
                    local.text.clear();
                    let mut items = section.items.clone();
                    items.push(line);
                    Action::Dispatch(Intent::SavePlanSection {
                        section: section.section,
                        items,
                        notes: section.notes.clone(),
                    })
                }
                _ => {
                    edit_local(&mut local.text, key);
                    Action::Redraw
                }
            }
        }
    }
}

/// The calculator key for a terminal key.
fn calc_key(key: KeyEvent) -> Option<CalcKey> {
    Some(match key.code {
        KeyCode::Char(c @ '0'..='9') => CalcKey::Digit {
            value: c as u8 - b'0',
        },
        KeyCode::Char('.' | ',') => CalcKey::Point,
        KeyCode::Char('+') => CalcKey::Add,
        KeyCode::Char('-') => CalcKey::Subtract,
        KeyCode::Char('*' | 'x' | 'X') => CalcKey::Multiply,
        KeyCode::Char('/') => CalcKey::Divide,
        KeyCode::Char('=') | KeyCode::Enter => CalcKey::Equals,
        KeyCode::Char('%') => CalcKey::Percent,
        KeyCode::Char('n' | 'N') => CalcKey::Negate,
        KeyCode::Char('c' | 'C') | KeyCode::Delete => CalcKey::Clear,
        KeyCode::Backspace => CalcKey::Backspace,
        _ => return None,
    })
}

fn step(at: usize, len: usize, down: bool) -> usize {
    if down {
        (at + 1) % len
    } else {
        (at + len - 1) % len
    }
}

/// Up/Down move the highlight, Enter opens the highlighted row.
fn list_keys(
    local: &mut Local,
    len: usize,
    key: KeyEvent,
    open: impl FnOnce(usize) -> Intent,
) -> Action {
    if len == 0 {
        return Action::Redraw;
    }
    local.row = local.row.min(len - 1);
    match key.code {
        KeyCode::Up | KeyCode::Down => {
            local.row = step(local.row, len, key.code == KeyCode::Down);
            Action::Redraw
        }
        KeyCode::Enter => Action::Dispatch(open(local.row)),
        _ => Action::Redraw,
    }
}

/// Tab / Shift-Tab (and Up/Down) move between `count` fields. True if the key was one.
fn move_focus(local: &mut Local, count: usize, key: KeyEvent) -> bool {
    match key.code {
        KeyCode::Tab | KeyCode::Down => local.focus = (local.focus + 1) % count,
        KeyCode::BackTab | KeyCode::Up => local.focus = (local.focus + count - 1) % count,
        _ => return false,
    }
    true
}

/// `value` after a typing key, or `None` if the key does not type.
fn edited(value: &str, key: KeyEvent) -> Option<String> {
    if key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    {
        return None;
    }
    match key.code {
        KeyCode::Char(c) => {
            let mut v = value.to_owned();
            v.push(c);
            Some(v)
        }
        KeyCode::Backspace => {
            let mut v = value.to_owned();
            v.pop().map(|_| v)
        }
        _ => None,
    }
}

fn set(field: &mut String, key: KeyEvent) -> bool {
    match edited(field, key) {
        Some(v) => {
            *field = v;
            true
        }
        None => false,
    }
}

fn edit_local(field: &mut Zeroizing<String>, key: KeyEvent) {
    if key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    {
        return;
    }
    match key.code {
        KeyCode::Char(c) if field.len() < MAX_LOCAL => field.push(c),
        KeyCode::Backspace => {
            field.pop();
        }
        _ => {}
    }
}

/// Left/Right (or Space) move `value` through `choices`.
fn cycle<T: PartialEq + Clone>(choices: &[T], value: &mut T, key: KeyEvent) -> bool {
    if choices.is_empty() {
        return false;
    }
    let at = choices.iter().position(|c| c == value);
    let next = match key.code {
        KeyCode::Right | KeyCode::Char(' ') => at.map_or(0, |i| step(i, choices.len(), true)),
        KeyCode::Left => at.map_or(0, |i| step(i, choices.len(), false)),
        _ => return false,
    };
    *value = choices[next].clone();
    true
}

fn toggle(value: &mut bool, key: KeyEvent) -> bool {
    if matches!(
        key.code,
        KeyCode::Char(' ') | KeyCode::Left | KeyCode::Right
    ) {
        *value = !*value;
        return true;
    }
    false
}

fn number(value: &mut u32, key: KeyEvent) -> bool {
    match key.code {
        KeyCode::Char(c @ '0'..='9') => {
            *value = value
                .saturating_mul(10)
                .saturating_add(u32::from(c as u8 - b'0'));
            true
        }
        KeyCode::Backspace => {
            *value /= 10;
            true
        }
        _ => false,
    }
}

/// The reminder minutes typed as `60, 1440` (a number too large for the model to accept
/// is kept as the largest, which the model then refuses with its own message).
pub fn minutes(text: &str) -> Vec<u32> {
    text.split(',')
        .filter_map(|p| {
            let p = p.trim();
            (!p.is_empty()).then(|| {
                p.parse::<u64>()
                    .map_or(u32::MAX, |n| u32::try_from(n).unwrap_or(u32::MAX))
            })
        })
        .collect()
}

/// Reads the file named in `field` (an attach or file-path field) and hands it to the
/// model, as a phone's file picker would.
fn attach(field: &mut Zeroizing<String>, notice: &mut Option<&'static str>) -> Action {
    let path = std::path::PathBuf::from(field.trim());
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match std::fs::read(&path) {
        Ok(content) if !name.is_empty() => {
            field.clear();
            let mime = mime_of(&name).to_owned();
            Action::Dispatch(Intent::Attach {
                name,
                mime,
                content,
            })
        }
        _ => {
            *notice = Some(super::words::FILE_UNREADABLE);
            Action::Redraw
        }
    }
}

/// The media type a desktop file picker would report, from the name's extension.
fn mime_of(name: &str) -> &'static str {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "pdf" => "application/pdf",
        "txt" => "text/plain",
        "m4a" => "audio/mp4",
        "mp3" => "audio/mpeg",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn state(view: View) -> AppState {
        AppState {
            version: 1,
            view,
            can_go_back: false,
            launch: None,
            leave_recents: false,
            language: "en".into(),
            direction: waypoint_core::i18n::TextDirection::Ltr,
            title: String::new(),
            labels: Vec::new(),
        }
    }

    #[test]
    fn the_quick_exit_key_is_quick_exit_on_every_screen_even_over_a_launch() {
        let mut local = Local::default();
        let mut s = state(View::Calculator {
            display: "0".into(),
        });
        assert!(map(&s, &mut local, press(QUICK_EXIT)) == Action::QuickExit);
        s.launch = Some("tel:+1".into());
        assert!(map(&s, &mut local, press(QUICK_EXIT)) == Action::QuickExit);
    }

    #[test]
    fn reminder_minutes_parse_as_typed() {
        assert_eq!(minutes("60, 1440"), vec![60, 1440]);
        assert_eq!(minutes("60,"), vec![60]);
        assert_eq!(minutes("99999999999"), vec![u32::MAX]);
        assert!(minutes("").is_empty());
    }

    #[test]
    fn a_code_typed_on_the_unlock_screen_is_sent_once_and_forgotten() {
        let mut local = Local::default();
        let s = state(View::Unlock { error: None });
        local.follow(&s);
        for c in "123456".chars() {
            map(&s, &mut local, press(KeyCode::Char(c)));
        }
        let a = map(&s, &mut local, press(KeyCode::Enter));
        assert!(
            a == Action::Dispatch(Intent::SubmitCode {
                code: "123456".into()
            })
        );
        assert!(local.secret.is_empty());
    }

    fn editor(document_id: Option<&str>, confirm_delete: bool) -> AppState {
        state(View::DocumentEditor {
            document_id: document_id.map(str::to_owned),
            form: waypoint_core::screens::DocumentForm::default(),
            file: None,
            file_changed: false,
            reminder_labels: Vec::new(),
            errors: Vec::new(),
            confirm_delete,
        })
    }

    #[test]
    fn deleting_a_document_takes_two_steps_and_only_a_saved_one() {
        let ctrl_d = KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL);
        let mut local = Local::default();
        let new = editor(None, false);
        local.follow(&new);
        assert!(
            map(&new, &mut local, ctrl_d) == Action::Redraw,
            "nothing to delete yet"
        );
        let saved = editor(Some("a1"), false);
        assert!(map(&saved, &mut local, ctrl_d) == Action::Dispatch(Intent::DeleteDocument));
        assert!(
            map(&saved, &mut local, press(KeyCode::Enter)) == Action::Redraw,
            "Enter alone deletes nothing"
        );
        let asking = editor(Some("a1"), true);
        // While it asks, typing changes nothing; Enter confirms; Esc is Back (keeps it).
        assert!(map(&asking, &mut local, press(KeyCode::Char('x'))) == Action::Redraw);
        assert!(map(&asking, &mut local, press(KeyCode::Esc)) == Action::Dispatch(Intent::Back));
        assert!(
            map(&asking, &mut local, press(KeyCode::Enter))
                == Action::Dispatch(Intent::ConfirmDeleteDocument)
        );
    }

    fn plan(can_restart: bool, confirm_restart: bool) -> AppState {
        state(View::SafetyPlan {
            intro: String::new(),
            sections: Vec::new(),
            notice: can_restart.then(|| "set aside".to_owned()),
            can_restart,
            confirm_restart,
            error: None,
        })
    }

    #[test]
    fn starting_a_set_aside_plan_again_takes_two_steps_and_only_when_set_aside() {
        let ctrl_d = KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL);
        let mut local = Local::default();
        let fine = plan(false, false);
        local.follow(&fine);
        assert!(
            map(&fine, &mut local, ctrl_d) == Action::Redraw,
            "a plan that opens is never offered for deletion here"
        );
        let set_aside = plan(true, false);
        assert!(map(&set_aside, &mut local, ctrl_d) == Action::Dispatch(Intent::RestartSafetyPlan));
        assert!(
            map(&set_aside, &mut local, press(KeyCode::Enter)) == Action::Redraw,
            "Enter alone deletes nothing"
        );
        let asking = plan(true, true);
        assert!(map(&asking, &mut local, press(KeyCode::Char('x'))) == Action::Redraw);
        assert!(map(&asking, &mut local, press(KeyCode::Esc)) == Action::Dispatch(Intent::Back));
        assert!(
            map(&asking, &mut local, press(KeyCode::Enter))
                == Action::Dispatch(Intent::ConfirmRestartSafetyPlan)
        );
    }

    #[test]
    fn the_document_type_cycles_and_reminder_days_are_read_as_typed() {
        let mut local = Local::default();
        let s = editor(None, false);
        local.follow(&s);
        let Action::Dispatch(Intent::EditDocument { form }) =
            map(&s, &mut local, press(KeyCode::Right))
        else {
            panic!("the type changes");
        };
        assert!(form.doc_type == waypoint_core::documents::DocumentType::Visa);
        local.focus = DOCUMENT_REMINDERS;
        for c in "90,3".chars() {
            map(&s, &mut local, press(KeyCode::Char(c)));
        }
        let Action::Dispatch(Intent::EditDocument { form }) =
            map(&s, &mut local, press(KeyCode::Char('0')))
        else {
            panic!("the days change");
        };
        assert_eq!(form.reminder_days, vec![90, 30]);
        // Letters are not days.
        assert!(map(&s, &mut local, press(KeyCode::Char('x'))) == Action::Redraw);
    }
}
