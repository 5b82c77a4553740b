//! Draws one [`AppState`]: a frame with a title, the view's content, and a line of keys.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;
use waypoint_core::disguise::Decoy;
use waypoint_core::screens::{AppState, FieldError, Repeat, View};

use super::keys::{self, Local};
use super::words as w;

/// Draws `state` with the widgets' `local` state.
pub fn draw(frame: &mut Frame<'_>, state: &AppState, local: &Local) {
    let area = frame.area();
    let [body, hint] = Layout::vertical([Constraint::Min(3), Constraint::Length(1)]).areas(area);
    let (title, hint_text, content) = content(state, local);
    let block = Block::default().borders(Borders::ALL).title(title);
    frame.render_widget(
        Paragraph::new(content)
            .block(block)
            .wrap(Wrap { trim: false }),
        body,
    );
    let hint_line = match local.notice {
        Some(n) => Line::from(Span::styled(
            n,
            Style::default().add_modifier(Modifier::BOLD),
        )),
        None => Line::from(hint_text),
    };
    frame.render_widget(Paragraph::new(hint_line), hint);
    if let Some(uri) = &state.launch {
        let popup = centered(area, 70, 7);
        frame.render_widget(Clear, popup);
        frame.render_widget(
            Paragraph::new(Text::from(vec![
                Line::from(w::LAUNCH),
                Line::from(""),
                Line::from(Span::styled(
                    uri.clone(),
                    Style::default().add_modifier(Modifier::BOLD),
                )),
                Line::from(""),
                Line::from(w::HINT_LAUNCH),
            ]))
            .block(Block::default().borders(Borders::ALL))
            .wrap(Wrap { trim: false }),
            popup,
        );
    }
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

fn highlighted(text: String, on: bool) -> Line<'static> {
    if on {
        Line::from(Span::styled(
            format!("> {text}"),
            Style::default().add_modifier(Modifier::REVERSED),
        ))
    } else {
        Line::from(format!("  {text}"))
    }
}

/// One form field: its label and value, the focused one marked and followed by a cursor.
fn field(label: &str, value: &str, focused: bool) -> Line<'static> {
    let marker = if focused { "> " } else { "  " };
    let mut spans = vec![
        Span::raw(marker),
        Span::styled(
            format!("{label}: "),
            Style::default().add_modifier(Modifier::BOLD),
        ),
        Span::raw(value.to_owned()),
    ];
    if focused {
        spans.push(Span::styled(
            "_",
            Style::default().add_modifier(Modifier::SLOW_BLINK),
        ));
    }
    Line::from(spans)
}

fn masked(secret: &str) -> String {
    "*".repeat(secret.chars().count())
}

fn yes_no(b: bool) -> &'static str {
    if b {
        w::YES
    } else {
        w::NO
    }
}

fn errors(lines: &mut Vec<Line<'static>>, errors: &[FieldError]) {
    if !errors.is_empty() {
        lines.push(Line::from(""));
    }
    for e in errors {
        lines.push(Line::from(Span::styled(
            format!("! {}", e.message),
            Style::default().add_modifier(Modifier::BOLD),
        )));
    }
}

fn decoy_name(d: Decoy) -> &'static str {
    match d {
        Decoy::Calculator => w::DECOY_CALCULATOR,
        Decoy::Notes => w::DECOY_NOTES,
        Decoy::Weather => w::DECOY_WEATHER,
    }
}

fn repeat_name(r: Repeat) -> &'static str {
    match r {
        Repeat::Never => w::REPEAT_NEVER,
        Repeat::Daily => w::REPEAT_DAILY,
        Repeat::Weekly => w::REPEAT_WEEKLY,
        Repeat::Monthly => w::REPEAT_MONTHLY,
    }
}

fn private_title(section: &str) -> String {
    format!(" {} · {section} ", w::APP)
}

/// The frame title, the key hints and the lines of `state`'s view.
fn content(state: &AppState, local: &Local) -> (String, &'static str, Text<'static>) {
    let mut lines: Vec<Line<'static>> = Vec::new();
    let (title, hint) = match &state.view {
        View::FirstRunQuickExit { steps } => {
            for s in steps {
                lines.push(Line::from(Span::styled(
                    s.title.clone(),
                    Style::default().add_modifier(Modifier::BOLD),
                )));
                lines.push(Line::from(s.body.clone()));
                lines.push(Line::from(""));
            }
            (format!(" {} ", w::FIRST_RUN), w::HINT_FIRST_RUN)
        }
        View::FirstRunDecoy { options } => {
            for o in options {
                lines.push(highlighted(o.title.clone(), o.selected));
                lines.push(Line::from(format!("    {}", o.unlock_gesture)));
            }
            (format!(" {} ", w::CHOOSE_DECOY), w::HINT_FIRST_RUN_DECOY)
        }
        View::FirstRunCode { error } => {
            lines.push(field(w::CODE, &masked(&local.secret), local.focus == 0));
            lines.push(field(
                w::CODE_AGAIN,
                &masked(&local.secret_again),
                local.focus == 1,
            ));
            if let Some(e) = error {
                lines.push(Line::from(""));
                lines.push(Line::from(format!("! {e}")));
            }
            (format!(" {} ", w::CHOOSE_CODE), w::HINT_CODE)
        }
        View::Calculator { display } => {
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                format!("{display:>30}"),
                Style::default().add_modifier(Modifier::BOLD),
            )));
            lines.push(Line::from(""));
            for row in [
                "  7   8   9   /",
                "  4   5   6   *",
                "  1   2   3   -",
                "  0   .   =   +",
            ] {
                lines.push(Line::from(row));
            }
            (format!(" {} ", w::CALCULATOR), w::HINT_CALCULATOR)
        }
        View::DecoyPage {
            title, lines: l, ..
        } => {
            lines.extend(l.iter().map(|s| Line::from(s.clone())));
            (format!(" {title} "), w::HINT_DECOY)
        }
        View::Unlock { error } => {
            lines.push(field(w::CODE, &masked(&local.secret), true));
            if let Some(e) = error {
                lines.push(Line::from(""));
                lines.push(Line::from(format!("! {e}")));
            }
            (format!(" {} ", w::UNLOCK), w::HINT_CODE)
        }
        View::Home { destinations } => {
            for (i, d) in destinations.iter().enumerate() {
                lines.push(highlighted(
                    format!("{}  {}", i + 1, keys::destination_label(*d)),
                    i == local.row,
                ));
            }
            (private_title(w::HOME), w::HINT_HOME)
        }
        View::JournalList { query, rows } => {
            lines.push(field(w::SEARCH, query, true));
            lines.push(Line::from(""));
            for (i, r) in rows.iter().enumerate() {
                let clip = if r.attachments > 0 {
                    format!("  [{}]", r.attachments)
                } else {
                    String::new()
                };
                lines.push(highlighted(
                    format!("{}  {}{clip}", r.time_text, r.title),
                    i == local.row,
                ));
            }
            (private_title(w::JOURNAL), w::HINT_JOURNAL)
        }
        View::EntryEditor {
            form,
            attachments,
            errors: errs,
            ..
        } => {
            let f = local.focus;
            lines.push(field(w::TITLE, &form.title, f == 0));
            lines.push(field(w::HAPPENED, &form.happened, f == 1));
            lines.push(field(w::MOOD, &form.mood, f == 2));
            lines.push(field(w::TAGS, &form.tags, f == 3));
            lines.push(field(w::PLACE, &form.place, f == 4));
            let mut body = form.body.split('\n');
            lines.push(field(
                w::BODY,
                body.next().unwrap_or(""),
                f == keys::ENTRY_BODY,
            ));
            for more in body {
                lines.push(Line::from(format!("    {more}")));
            }
            lines.push(field(w::ATTACH, &local.text, f == keys::ENTRY_ATTACH));
            if !attachments.is_empty() {
                lines.push(Line::from(format!(
                    "  {}: {}",
                    w::ATTACHMENTS,
                    attachments.join(", ")
                )));
            }
            errors(&mut lines, errs);
            (private_title(w::ENTRY), w::HINT_ENTRY)
        }
        View::EvidenceExport { errors: errs, done } => {
            let f = local.focus;
            lines.push(field(w::PASSPHRASE, &masked(&local.secret), f == 0));
            lines.push(field(
                w::PASSPHRASE_AGAIN,
                &masked(&local.secret_again),
                f == 1,
            ));
            lines.push(field(w::DESTINATION, &local.text, f == 2));
            if let Some(d) = done {
                lines.push(Line::from(""));
                lines.push(Line::from(d.clone()));
            }
            errors(&mut lines, errs);
            (private_title(w::EXPORT), w::HINT_EXPORT)
        }
        View::AppointmentList { rows } => {
            for (i, r) in rows.iter().enumerate() {
                lines.push(highlighted(
                    format!("{}  {}", r.time_text, r.title),
                    i == local.row,
                ));
                if !r.reminders.is_empty() {
                    lines.push(Line::from(format!("    {}", r.reminders)));
                }
            }
            (private_title(w::APPOINTMENTS), w::HINT_APPOINTMENTS)
        }
        View::AppointmentEditor {
            form,
            reminder_labels,
            errors: errs,
            ..
        } => {
            let f = local.focus;
            let kind = serde_json::to_value(form.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            lines.push(field(w::TITLE, &form.title, f == 0));
            lines.push(field(w::KIND, &format!("< {kind} >"), f == 1));
            lines.push(field(w::DATE, &form.date, f == 2));
            lines.push(field(w::TIME, &form.time, f == 3));
            lines.push(field(w::DURATION, &form.duration_minutes, f == 4));
            lines.push(field(w::PLACE, &form.place, f == 5));
            lines.push(field(
                w::REPEAT,
                &format!("< {} >", repeat_name(form.repeat)),
                f == 6,
            ));
            lines.push(field(w::REMINDERS, &local.text, f == 7));
            for l in reminder_labels {
                lines.push(Line::from(format!("    · {l}")));
            }
            errors(&mut lines, errs);
            (private_title(w::APPOINTMENT), w::HINT_FORM)
        }
        View::DirectorySearch { filters, rows } => {
            let f = local.focus;
            let category = filters
                .categories
                .first()
                .cloned()
                .unwrap_or_else(|| w::ANY.to_owned());
            lines.push(field(w::SEARCH, &filters.text, f == 0));
            lines.push(field(w::CATEGORY, &format!("< {category} >"), f == 1));
            lines.push(field(w::OPEN_NOW, yes_no(filters.open_now), f == 2));
            lines.push(field(w::FREE, yes_no(filters.free), f == 3));
            lines.push(field(
                w::LANGUAGE,
                filters.spoken_language.as_deref().unwrap_or(""),
                f == 4,
            ));
            lines.push(Line::from(""));
            for (i, r) in rows.iter().enumerate() {
                let hours = if r.hours.is_empty() {
                    String::new()
                } else {
                    format!("  ({})", r.hours)
                };
                lines.push(highlighted(
                    format!("{}, {}{hours}", r.name, r.organization),
                    i == local.row,
                ));
            }
            (private_title(w::DIRECTORY), w::HINT_DIRECTORY)
        }
        View::ResourceDetail { detail } => {
            lines.push(Line::from(Span::styled(
                detail.name.clone(),
                Style::default().add_modifier(Modifier::BOLD),
            )));
            lines.push(Line::from(detail.organization.clone()));
            lines.push(Line::from(""));
            lines.push(Line::from(detail.description.clone()));
            for a in &detail.addresses {
                lines.push(Line::from(a.clone()));
            }
            if !detail.eligibility.is_empty() {
                lines.push(Line::from(detail.eligibility.clone()));
            }
            lines.push(Line::from(""));
            for (i, a) in detail.actions.iter().enumerate() {
                let note = a
                    .note
                    .as_deref()
                    .map(|n| format!("  ({n})"))
                    .unwrap_or_default();
                lines.push(highlighted(
                    format!("{}  {}: {}{note}", i + 1, a.label, a.display),
                    i == local.row,
                ));
            }
            (private_title(w::DIRECTORY), w::HINT_DETAIL)
        }
        View::CallWarning { text, action } => {
            lines.push(Line::from(text.clone()));
            lines.push(Line::from(""));
            lines.push(Line::from(format!("{}: {}", action.label, action.display)));
            (private_title(w::BEFORE_CALL), w::HINT_WARNING)
        }
        View::SafetySettings {
            form,
            errors: errs,
            saved,
            ..
        } => {
            let f = local.focus;
            lines.push(field(
                w::DECOY,
                &format!("< {} >", decoy_name(form.decoy)),
                f == 0,
            ));
            lines.push(field(
                w::ICON,
                &format!("< {} >", form.launcher_alias),
                f == 1,
            ));
            lines.push(field(
                w::AUTO_LOCK,
                &form.auto_lock_minutes.to_string(),
                f == 2,
            ));
            lines.push(field(
                w::SCREENSHOTS,
                yes_no(form.screenshot_blocking),
                f == 3,
            ));
            lines.push(field(w::EXIT_WIPES, yes_no(form.quick_exit_wipes), f == 4));
            lines.push(field(
                w::WIPE_AFTER,
                &form
                    .wipe_after_failures
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
                f == 5,
            ));
            lines.push(field(w::DURESS, &masked(&form.duress_code), f == 6));
            if *saved {
                lines.push(Line::from(""));
                lines.push(Line::from(w::SAVED));
            }
            errors(&mut lines, errs);
            (private_title(w::SAFETY), w::HINT_FORM)
        }
        View::SyncStatus { lines: l } => {
            lines.extend(l.iter().map(|s| Line::from(s.clone())));
            (private_title(w::SYNC), w::HINT_PAGE)
        }
    };
    (title, hint, Text::from(lines))
}
