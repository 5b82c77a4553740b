// Appointments and their private reminders for app code on iOS. Appointment content needs the
// vault unlocked (else `WaypointError.locked`); the sealed reminder schedule also needs the
// platform key store. Every call does disk and crypto work: call it from a background task.
//
// Notifications never carry appointment details: their words come from a `ReminderVoice`
// chosen by the disguise. Types holding appointment content print redacted.
import Foundation

func unixMs(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
func dateFromUnixMs(_ ms: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(ms) / 1000) }

extension AppointmentDraft: CustomStringConvertible, CustomDebugStringConvertible {
    /// A draft with the optional parts empty. `startLocal` is wall time in `timeZone`:
    /// `YYYY-MM-DDTHH:MM`, or `YYYY-MM-DD` when `allDay`.
    public init(title: String, startLocal: String, timeZone: TimeZone, kind: AppointmentKind = .other,
                allDay: Bool = false, durationMinutes: UInt32? = nil, place: String? = nil,
                reminderOffsetsMinutes: [UInt32] = []) {
        self.init(title: title, kind: kind, startLocal: startLocal, timeZone: timeZone.identifier,
                  allDay: allDay, durationMinutes: durationMinutes, place: place, resourceId: nil,
                  notes: nil, reminderOffsetsMinutes: reminderOffsetsMinutes, rrule: nil, exceptions: [])
    }

    public var description: String { "AppointmentDraft(<redacted>)" }
    public var debugDescription: String { description }
}

extension Appointment: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { "Appointment(id: \(id), revision: \(revision))" }
    public var debugDescription: String { description }
}

extension Occurrence: CustomStringConvertible, CustomDebugStringConvertible {
    /// Start instant (midnight local for all-day).
    public var start: Date { dateFromUnixMs(startMs) }
    public var end: Date { dateFromUnixMs(endMs) }
    public var description: String { "Occurrence(appointmentId: \(appointmentId))" }
    public var debugDescription: String { description }
}

extension PlannedReminder {
    /// When to fire.
    public var fireAt: Date { dateFromUnixMs(fireAtMs) }
}

extension WaypointCore {
    /// Stores a new appointment.
    public func addAppointment(_ draft: AppointmentDraft) throws(WaypointError) -> Appointment {
        try core { try appointmentsFfi.add(draft: draft) }
    }

    /// One appointment.
    public func appointment(id: String) throws(WaypointError) -> Appointment {
        try core { try appointmentsFfi.get(id: id) }
    }

    /// Every appointment, by start.
    public func appointments() throws(WaypointError) -> [Appointment] {
        try core { try appointmentsFfi.list() }
    }

    /// Replaces an appointment; cancel `cancelNotificationIds`, then plan again.
    public func editAppointment(id: String, _ draft: AppointmentDraft) throws(WaypointError) -> AppointmentChange {
        try core { try appointmentsFfi.edit(id: id, draft: draft) }
    }

    /// Deletes an appointment; returns the notification ids to remove from
    /// UNUserNotificationCenter.
    public func deleteAppointment(id: String) throws(WaypointError) -> [String] {
        try core { try appointmentsFfi.delete(id: id) }
    }

    /// Occurrences of every appointment overlapping `[from, to)`, by start.
    public func occurrences(from: Date, to: Date) throws(WaypointError) -> [Occurrence] {
        try core { try appointmentsFfi.occurrences(fromMs: unixMs(from), toMs: unixMs(to)) }
    }

    /// The words every reminder shows on a phone set to `language`: the survivor's own text
    /// from the disguise settings if they chose one, else the neutral text in that language.
    /// Works locked. Every plan call below uses it when `voice` is nil; pass nothing else.
    public func notificationVoice(language: String = Locale.current.identifier) -> ReminderVoice {
        appointmentsFfi.notificationVoice(language: language)
    }

    /// The reminder plan for the next `horizonDays`. Updates the sealed schedule: apply it.
    public func reminderPlan(horizonDays: UInt32 = 30, voice: ReminderVoice? = nil) throws(WaypointError) -> ReminderPlan {
        try core { try appointmentsFfi.reminderPlan(horizonDays: horizonDays, voice: voice ?? notificationVoice()) }
    }

    /// Plans and applies the plan to `scheduler` (cancel, then schedule).
    public func syncReminders(to scheduler: NotificationScheduler, horizonDays: UInt32 = 30,
                              voice: ReminderVoice? = nil) throws(WaypointError) -> ReminderPlan {
        try core { try appointmentsFfi.syncReminders(scheduler: scheduler, horizonDays: horizonDays, voice: voice ?? notificationVoice()) }
    }

    /// While locked: the stored schedule's reminders still ahead and those missed. No passphrase.
    public func lockedReminderPlan(voice: ReminderVoice? = nil) throws(WaypointError) -> ReminderPlan {
        try core { try appointmentsFfi.lockedReminderPlan(voice: voice ?? notificationVoice()) }
    }

    /// `lockedReminderPlan` applied to `scheduler`.
    public func rescheduleLockedReminders(to scheduler: NotificationScheduler,
                                          voice: ReminderVoice? = nil) throws(WaypointError) -> ReminderPlan {
        try core { try appointmentsFfi.rescheduleLockedReminders(scheduler: scheduler, voice: voice ?? notificationVoice()) }
    }

    /// The system showed the notification (so it is not reported missed). Works locked.
    public func reminderDelivered(notificationId: String) throws(WaypointError) {
        try core { try appointmentsFfi.reminderDelivered(notificationId: notificationId) }
    }

    /// The person dismissed the notification; it is not shown again. Works locked.
    public func reminderDismissed(notificationId: String) throws(WaypointError) {
        try core { try appointmentsFfi.reminderDismiss(notificationId: notificationId) }
    }

    /// Snoozes a notification; returns what to schedule (same id). Works locked.
    public func snoozeReminder(notificationId: String, minutes: UInt32,
                               voice: ReminderVoice? = nil) throws(WaypointError) -> PlannedReminder {
        try core { try appointmentsFfi.reminderSnooze(notificationId: notificationId, minutes: minutes, voice: voice ?? notificationVoice()) }
    }

    /// Exports `ids` (all when empty) as an age-encrypted `.ics` file opened with `passphrase`,
    /// on a detached task (the passphrase wrap runs a key derivation).
    public func exportAppointmentsIcs(passphrase: String, to out: URL, ids: [String] = []) async throws(WaypointError) -> UInt32 {
        let appointments = appointmentsFfi
        let path = out.path
        return try await offMainActor(priority: .utility) { () throws(WaypointError) in
            try core { try appointments.exportIcsToPassphrase(ids: ids, passphrase: passphrase, outPath: path) }
        }
    }

    /// Exports `ids` (all when empty) as an age-encrypted `.ics` file to an age recipient.
    public func exportAppointmentsIcs(recipient: String, to out: URL, ids: [String] = []) async throws(WaypointError) -> UInt32 {
        let appointments = appointmentsFfi
        let path = out.path
        return try await offMainActor(priority: .utility) { () throws(WaypointError) in
            try core { try appointments.exportIcsToRecipient(ids: ids, recipient: recipient, outPath: path) }
        }
    }
}
