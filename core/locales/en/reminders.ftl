# Reminder offsets on the appointment screens, and the neutral notification text (the
# notification shows on a locked phone: it never says what the appointment is).
reminder-at-start = at the start
reminder-minutes-before = { $count ->
    [one] 1 minute before
   *[other] { $count } minutes before
}
reminder-hours-before = { $count ->
    [one] 1 hour before
   *[other] { $count } hours before
}
reminder-days-before = { $count ->
    [one] 1 day before
   *[other] { $count } days before
}
reminder-voice-title = Reminder
reminder-voice-body = You have an event
