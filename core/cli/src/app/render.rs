//! Draws one [`AppState`]: a frame with the state's title, the view's content with the
//! state's labels, and a line of keys. Every word comes from the state or [`Words`].

use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;
use waypoint_core::disguise::Decoy;
use waypoint_core::i18n::TextDirection;
use waypoint_core::screens::{AppState, Destination, FieldError, Repeat, View};

use super::keys::{self, Local};
use super::words::{self as w, Words};

/// Draws `state` with the widgets' `local` state.
pub fn draw(frame: &mut Frame<'_>, state: &AppState, local: &Local, words: &Words) {
    let area = frame.area();
    let [body, hint] = Layout::vertical([Constraint::Min(3), Constraint::Length(1)]).areas(area);
    let title = if state.view.is_private() {
        format!(" {} · {} ", w::APP, state.title)
    } else {
        format!(" {} ", state.title)
    };
    // Right-to-left languages (Arabic) are laid out from the right edge; the terminal
    // itself orders the letters (most terminals have no bidi: a known limit).
    let align = match state.direction {
        TextDirection::Rtl => Alignment::Right,
        TextDirection::Ltr => Alignment::Left,
    };
    let block = Block::default().borders(Borders::ALL).title(title);
    frame.render_widget(
        Paragraph::new(content(state, local, words))
            .block(block)
            .alignment(align)
            .wrap(Wrap { trim: false }),
        body,
    );
    let hint_line = match local.notice {
        Some(id) => Line::from(Span::styled(words.get(id), bold())),
        None => Line::from(words.hint(state)),
    };
    frame.render_widget(Paragraph::new(hint_line).alignment(align), hint);
    if let Some(uri) = &state.launch {
        let popup = centered(area, 76, 6);
        frame.render_widget(Clear, popup);
        frame.render_widget(
            Paragraph::new(Text::from(vec![
                Line::from(words.get(w::LAUNCH)),
                Line::from(""),
                Line::from(Span::styled(uri.clone(), bold())),
            ]))
            .block(Block::default().borders(Borders::ALL))
            .wrap(Wrap { trim: false }),
            popup,
        );
    }
}

fn bold() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
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
        Span::styled(format!("{label}: "), bold()),
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

/// A list's one-line notice (records set aside), above the list.
fn notice_line(lines: &mut Vec<Line<'static>>, notice: Option<&str>) {
    if let Some(n) = notice {
        lines.push(Line::from(Span::styled(format!("! {n}"), bold())));
    }
}

fn masked(secret: &str) -> String {
    "*".repeat(secret.chars().count())
}

fn errors(lines: &mut Vec<Line<'static>>, errors: &[FieldError]) {
    if !errors.is_empty() {
        lines.push(Line::from(""));
    }
    for e in errors {
        lines.push(Line::from(Span::styled(format!("! {}", e.message), bold())));
    }
}

/// Stable label key of a home destination (the model's `destination:*` labels).
fn destination_key(d: Destination) -> &'static str {
    match d {
        Destination::Journal => "destination:journal",
        Destination::Appointments => "destination:appointments",
        Destination::Directory => "destination:directory",
        Destination::SafetySettings => "destination:safety_settings",
        Destination::SyncStatus => "destination:sync_status",
        Destination::Documents => "destination:documents",
        Destination::SafetyPlan => "destination:safety_plan",
        Destination::Guides => "destination:guides",
        Destination::Sharing => "destination:sharing",
    }
}

fn repeat_key(r: Repeat) -> &'static str {
    match r {
        Repeat::Never => "repeat:never",
        Repeat::Daily => "repeat:daily",
        Repeat::Weekly => "repeat:weekly",
        Repeat::Monthly => "repeat:monthly",
    }
}

fn decoy_key(d: Decoy) -> &'static str {
    match d {
        Decoy::Calculator => "decoy:calculator",
        Decoy::Notes => "decoy:notes",
        Decoy::Weather => "decoy:weather",
    }
}

/// The lines of `state`'s view.
fn content(state: &AppState, local: &Local, words: &Words) -> Text<'static> {
    let label = |key: &str| state.label(key).to_owned();
    let mut lines: Vec<Line<'static>> = Vec::new();
    match &state.view {
        View::FirstRunQuickExit { steps } => {
            for s in steps {
                lines.push(Line::from(Span::styled(s.title.clone(), bold())));
                lines.push(Line::from(s.body.clone()));
                lines.push(Line::from(""));
            }
        }
        View::FirstRunDecoy { options } => {
            for o in options {
                lines.push(highlighted(o.title.clone(), o.selected));
                lines.push(Line::from(format!("    {}", o.unlock_gesture)));
            }
        }
        View::FirstRunCode { error } => {
            lines.push(Line::from(label("hint")));
            lines.push(Line::from(""));
            lines.push(field(
                &label("field:code"),
                &masked(&local.secret),
                local.focus == 0,
            ));
            lines.push(field(
                &label("field:confirm"),
                &masked(&local.secret_again),
                local.focus == 1,
            ));
            if let Some(e) = error {
                lines.push(Line::from(""));
                lines.push(Line::from(Span::styled(format!("! {e}"), bold())));
            }
        }
        View::Calculator { display } => {
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(format!("{display:>30}"), bold())));
            lines.push(Line::from(""));
            for row in [
                "  7   8   9   /",
                "  4   5   6   *",
                "  1   2   3   -",
                "  0   .   =   +",
            ] {
                lines.push(Line::from(row));
            }
        }
        View::DecoyPage { lines: l, .. } => {
            lines.extend(l.iter().map(|s| Line::from(s.clone())));
        }
        View::Unlock { error } => {
            lines.push(field(&label("field:code"), &masked(&local.secret), true));
            if let Some(e) = error {
                lines.push(Line::from(""));
                lines.push(Line::from(Span::styled(format!("! {e}"), bold())));
            }
        }
        View::Home {
            destinations,
            error,
        } => {
            for (i, d) in destinations.iter().enumerate() {
                lines.push(highlighted(
                    format!("{}  {}", i + 1, label(destination_key(*d))),
                    i == local.row,
                ));
            }
            if let Some(e) = error {
                lines.push(Line::from(""));
                lines.push(Line::from(Span::styled(format!("! {e}"), bold())));
            }
        }
        View::JournalList {
            query,
            rows,
            notice,
        } => {
            lines.push(field(&label("search"), query, true));
            notice_line(&mut lines, notice.as_deref());
            lines.push(Line::from(""));
            if rows.is_empty() {
                lines.push(Line::from(label("empty")));
            }
            for (i, r) in rows.iter().enumerate() {
                let files = if r.attachments > 0 {
                    format!("  [{}]", r.attachments)
                } else {
                    String::new()
                };
                lines.push(highlighted(
                    format!("{}  {}{files}", r.time_text, r.title),
                    i == local.row,
                ));
            }
        }
        View::EntryEditor {
            form,
            attachments,
            errors: errs,
            ..
        } => {
            let f = local.focus;
            lines.push(field(&label("field:title"), &form.title, f == 0));
            lines.push(field(&label("field:happened"), &form.happened, f == 1));
            lines.push(field(&label("field:mood"), &form.mood, f == 2));
            lines.push(field(&label("field:tags"), &form.tags, f == 3));
            lines.push(field(&label("field:place"), &form.place, f == 4));
            let mut body = form.body.split('\n');
            lines.push(field(
                &label("field:body"),
                body.next().unwrap_or(""),
                f == keys::ENTRY_BODY,
            ));
            for more in body {
                lines.push(Line::from(format!("    {more}")));
            }
            lines.push(field(
                &format!("{} ({})", label("attach"), words.get(w::ATTACH_PATH)),
                &local.text,
                f == keys::ENTRY_ATTACH,
            ));
            lines.push(Line::from(format!(
                "  {}: {}",
                label("attachment_count"),
                attachments.join(", ")
            )));
            errors(&mut lines, errs);
        }
        View::EvidenceExport { errors: errs, done } => {
            let f = local.focus;
            lines.push(Line::from(label("explain")));
            lines.push(Line::from(""));
            lines.push(field(
                &label("field:passphrase"),
                &masked(&local.secret),
                f == 0,
            ));
            lines.push(field(
                &label("field:confirm"),
                &masked(&local.secret_again),
                f == 1,
            ));
            lines.push(field(&label("field:destination"), &local.text, f == 2));
            if let Some(d) = done {
                lines.push(Line::from(""));
                lines.push(Line::from(d.clone()));
            }
            errors(&mut lines, errs);
        }
        View::AppointmentList { rows } => {
            if rows.is_empty() {
                lines.push(Line::from(label("empty")));
            }
            for (i, r) in rows.iter().enumerate() {
                lines.push(highlighted(
                    format!("{}  {}", r.time_text, r.title),
                    i == local.row,
                ));
                if !r.reminders.is_empty() {
                    lines.push(Line::from(format!("    {}", r.reminders)));
                }
            }
        }
        View::AppointmentEditor {
            form,
            reminder_labels,
            errors: errs,
            ..
        } => {
            let f = local.focus;
            let kind = label(&format!("kind:{}", form.kind.as_str()));
            lines.push(field(&label("field:title"), &form.title, f == 0));
            lines.push(field(&label("field:kind"), &format!("< {kind} >"), f == 1));
            lines.push(field(&label("field:date"), &form.date, f == 2));
            lines.push(field(&label("field:time"), &form.time, f == 3));
            lines.push(field(
                &label("field:duration"),
                &form.duration_minutes,
                f == 4,
            ));
            lines.push(field(&label("field:place"), &form.place, f == 5));
            lines.push(field(
                &label("field:repeat"),
                &format!("< {} >", label(repeat_key(form.repeat))),
                f == 6,
            ));
            lines.push(field(
                &format!(
                    "{} ({})",
                    label("field:reminders"),
                    words.get(w::REMINDERS_HELP)
                ),
                &local.text,
                f == 7,
            ));
            for l in reminder_labels {
                lines.push(Line::from(format!("    · {l}")));
            }
            errors(&mut lines, errs);
        }
        View::DirectorySearch { filters, rows } => {
            let f = local.focus;
            let category = filters
                .categories
                .first()
                .map(|c| label(&format!("category:{c}")))
                .unwrap_or_else(|| words.get(w::ANY));
            lines.push(field(&label("field:text"), &filters.text, f == 0));
            lines.push(field(
                &label("field:categories"),
                &format!("< {category} >"),
                f == 1,
            ));
            lines.push(field(
                &label("field:open_now"),
                &words.yes_no(filters.open_now),
                f == 2,
            ));
            lines.push(field(
                &label("field:free"),
                &words.yes_no(filters.free),
                f == 3,
            ));
            lines.push(field(
                &words.get(w::LANGUAGE),
                filters.spoken_language.as_deref().unwrap_or(""),
                f == 4,
            ));
            lines.push(Line::from(""));
            if rows.is_empty() {
                lines.push(Line::from(label("empty")));
            }
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
        }
        View::ResourceDetail { detail } => {
            lines.push(Line::from(Span::styled(detail.name.clone(), bold())));
            lines.push(Line::from(detail.organization.clone()));
            lines.push(Line::from(""));
            lines.push(Line::from(detail.description.clone()));
            if !detail.addresses.is_empty() {
                lines.push(Line::from(""));
                lines.push(Line::from(Span::styled(label("addresses"), bold())));
                for a in &detail.addresses {
                    lines.push(Line::from(a.clone()));
                }
            }
            if !detail.eligibility.is_empty() {
                lines.push(Line::from(""));
                lines.push(Line::from(Span::styled(label("eligibility"), bold())));
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
        }
        View::CallWarning { text, action } => {
            lines.push(Line::from(text.clone()));
            lines.push(Line::from(""));
            lines.push(Line::from(format!("{}: {}", action.label, action.display)));
        }
        View::SafetySettings {
            form,
            errors: errs,
            saved,
            ..
        } => {
            let f = local.focus;
            lines.push(field(
                &label("field:decoy"),
                &format!("< {} >", label(decoy_key(form.decoy))),
                f == 0,
            ));
            let alias = label(&format!("alias:{}", form.launcher_alias));
            lines.push(field(
                &label("field:launcher_alias"),
                &format!("< {alias} >"),
                f == 1,
            ));
            lines.push(field(
                &label("field:auto_lock"),
                &form.auto_lock_minutes.to_string(),
                f == 2,
            ));
            lines.push(field(
                &label("field:screenshot_blocking"),
                &words.yes_no(form.screenshot_blocking),
                f == 3,
            ));
            lines.push(field(
                &label("field:quick_exit_wipes"),
                &words.yes_no(form.quick_exit_wipes),
                f == 4,
            ));
            lines.push(field(
                &label("field:wipe_after"),
                &form
                    .wipe_after_failures
                    .map(|n| n.to_string())
                    .unwrap_or_else(|| label("wipe_after:never")),
                f == 5,
            ));
            lines.push(field(
                &label("field:duress"),
                &masked(&form.duress_code),
                f == 6,
            ));
            if *saved {
                lines.push(Line::from(""));
                lines.push(Line::from(label("saved")));
            }
            errors(&mut lines, errs);
        }
        View::SyncStatus { lines: l } => {
            lines.extend(l.iter().map(|s| Line::from(s.clone())));
        }
        View::DocumentList { rows, notice } => {
            notice_line(&mut lines, notice.as_deref());
            if rows.is_empty() {
                lines.push(Line::from(label("empty")));
            }
            for (i, r) in rows.iter().enumerate() {
                let name = if r.label.is_empty() {
                    r.kind_text.clone()
                } else {
                    format!("{}  {}", r.kind_text, r.label)
                };
                lines.push(highlighted(name, i == local.row));
                if !r.expiry_text.is_empty() {
                    lines.push(Line::from(format!("    {}", r.expiry_text)));
                }
            }
        }
        View::DocumentEditor {
            form,
            file,
            file_changed,
            reminder_labels,
            errors: errs,
            confirm_delete,
            ..
        } => {
            if *confirm_delete {
                lines.push(Line::from(Span::styled(label("delete_confirm"), bold())));
                lines.push(Line::from(""));
            }
            let f = local.focus;
            let kind = label(&format!("type:{}", form.doc_type.as_str()));
            lines.push(field(
                &label("field:doc_type"),
                &format!("< {kind} >"),
                f == 0,
            ));
            lines.push(field(&label("field:label"), &form.label, f == 1));
            lines.push(field(&label("field:number"), &form.number, f == 2));
            lines.push(field(
                &format!(
                    "{} ({})",
                    label("field:issuing_country"),
                    label("hint:issuing_country")
                ),
                &form.issuing_country,
                f == 3,
            ));
            lines.push(Line::from(format!("    {}", label("hint:date"))));
            lines.push(field(&label("field:issued_on"), &form.issued_on, f == 4));
            lines.push(field(&label("field:expires_on"), &form.expires_on, f == 5));
            lines.push(field(&label("field:notes"), &form.notes, f == 6));
            lines.push(field(
                &format!("{} ({})", label("field:reminders"), words.get(w::DAYS_HELP)),
                &local.text,
                f == keys::DOCUMENT_REMINDERS,
            ));
            for l in reminder_labels {
                lines.push(Line::from(format!("    · {l}")));
            }
            let shown = match file {
                Some(name) if *file_changed => format!("{name} ({})", label("file_unsaved")),
                Some(name) => name.clone(),
                None => label("file_none"),
            };
            lines.push(Line::from(format!("  {}: {shown}", label("field:file"))));
            lines.push(field(
                &format!("{} ({})", label("attach"), words.get(w::ATTACH_PATH)),
                &local.path,
                f == keys::DOCUMENT_FILE,
            ));
            errors(&mut lines, errs);
        }
        View::ShareRecipients {
            rows,
            form,
            fingerprint,
            errors: errs,
        } => {
            lines.push(Line::from(label("explain")));
            lines.push(Line::from(""));
            if rows.is_empty() {
                lines.push(Line::from(label("empty")));
            }
            for (i, r) in rows.iter().enumerate() {
                lines.push(highlighted(
                    format!("{}  {}", r.label, r.fingerprint),
                    i == local.row,
                ));
            }
            lines.push(Line::from(""));
            lines.push(field(&label("field:label"), &form.label, local.focus == 0));
            lines.push(field(&label("field:key"), &form.key, local.focus == 1));
            if let Some(fp) = fingerprint {
                lines.push(Line::from(label("fingerprint")));
                lines.push(Line::from(Span::styled(format!("    {fp}"), bold())));
            }
            errors(&mut lines, errs);
        }
        View::GuideList { intro, guides } => {
            lines.push(Line::from(intro.clone()));
            for (i, g) in guides.iter().enumerate() {
                lines.push(Line::from(""));
                lines.push(highlighted(
                    format!("{}  [{}]", g.title, g.origin_text),
                    i == local.row,
                ));
                lines.extend(g.summary.lines().map(|l| Line::from(format!("    {l}"))));
                lines.push(Line::from(format!("    {}", g.last_reviewed_text)));
            }
        }
        View::Guide { guide } => {
            lines.push(Line::from(Span::styled(guide.title.clone(), bold())));
            lines.extend(guide.summary.lines().map(|l| Line::from(l.to_owned())));
            if let Some(note) = &guide.review_note {
                lines.push(Line::from(format!("({note})")));
            }
            for s in &guide.sections {
                lines.push(Line::from(""));
                lines.push(Line::from(Span::styled(s.heading.clone(), bold())));
                lines.extend(s.body.lines().map(|l| Line::from(l.to_owned())));
            }
            lines.push(Line::from(""));
            lines.push(Line::from(guide.not_advice.clone()));
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(guide.help_heading.clone(), bold())));
            // Resources are numbered in the order Enter opens them (keys.rs).
            let mut n = 0;
            for h in &guide.help {
                lines.push(Line::from(format!("  {}", h.label)));
                for name in &h.resource_names {
                    lines.push(highlighted(format!("    {name}"), n == local.row));
                    n += 1;
                }
            }
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                guide.sources_heading.clone(),
                bold(),
            )));
            for s in &guide.sources {
                lines.push(Line::from(format!("  {} <{}>", s.name, s.url)));
            }
            lines.push(Line::from(guide.last_reviewed_text.clone()));
            lines.push(Line::from(guide.origin_text.clone()));
            if let Some(note) = &guide.expired_note {
                lines.push(Line::from(format!("({note})")));
            }
        }
        View::SafetyPlan {
            intro,
            sections,
            notice,
            can_restart,
            confirm_restart,
            error,
        } => {
            notice_line(&mut lines, notice.as_deref());
            if let Some(e) = error {
                lines.push(Line::from(Span::styled(format!("! {e}"), bold())));
            }
            if *confirm_restart {
                lines.push(Line::from(""));
                lines.push(Line::from(Span::styled(label("restart_confirm"), bold())));
                return Text::from(lines);
            }
            if *can_restart {
                // Nothing of the set-aside plan is shown; only the way to start again.
                lines.push(Line::from(""));
                lines.push(Line::from(format!("Ctrl-D  {}", label("restart"))));
                return Text::from(lines);
            }
            lines.push(Line::from(intro.clone()));
            for (i, s) in sections.iter().enumerate() {
                lines.push(Line::from(""));
                lines.push(highlighted(s.title.clone(), i == local.row));
                if i == local.row {
                    lines.push(Line::from(format!("    {}", s.prompt)));
                    lines.push(Line::from(format!("    {}", s.example)));
                }
                for item in &s.items {
                    lines.push(Line::from(format!("    - {item}")));
                }
                if !s.notes.is_empty() {
                    lines.push(Line::from(format!("    {}", s.notes)));
                }
                if !s.status.is_empty() {
                    lines.push(Line::from(format!("    {}", s.status)));
                }
                if i == local.row {
                    lines.push(Line::from(format!("    + {}_", local.text.as_str())));
                }
            }
        }
    }
    Text::from(lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use waypoint_core::app::GuideSummary;

    fn text_of(view: View) -> String {
        let state = AppState {
            version: 1,
            view,
            can_go_back: true,
            launch: None,
            leave_recents: false,
            language: "en".into(),
            direction: waypoint_core::i18n::TextDirection::Ltr,
            title: String::new(),
            labels: Vec::new(),
        };
        let t = content(&state, &Local::default(), &Words::new("en"));
        t.lines
            .iter()
            .map(|l| {
                l.spans
                    .iter()
                    .map(|s| s.content.as_ref())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn a_published_guide_is_marked_as_published_with_its_review_date() {
        let guide = |id: &str, origin: &str, mark: &str, day: &str| GuideSummary {
            id: id.into(),
            title: format!("Title {id}"),
            summary: "A summary.".into(),
            origin: origin.into(),
            last_reviewed: day.into(),
            origin_text: mark.into(),
            last_reviewed_text: format!("Reviewed {day}"),
        };
        let shown = text_of(View::GuideList {
            intro: "Intro".into(),
            guides: vec![
                guide("rights", "packaged", "Comes with the app", "2026-11-30"),
                guide("pub-wages", "published", "Published", "2026-11-02"),
            ],
        });
        assert!(shown.contains("Title pub-wages  [Published]"), "{shown}");
        assert!(
            shown.contains("Title rights  [Comes with the app]"),
            "{shown}"
        );
        assert!(shown.contains("Reviewed 2026-11-02") && shown.contains("Reviewed 2026-11-30"));
    }
}
