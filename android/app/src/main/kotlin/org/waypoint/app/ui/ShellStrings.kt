// The shell's own words (ShellText, decided in shell/ScreenChrome.kt) -> string resources.
// android/tools/check-android.py checks every R.string key used here exists in values/ and in
// every values-xx.
package org.waypoint.app.ui

import androidx.annotation.StringRes
import org.waypoint.app.R
import org.waypoint.app.shell.ShellText
import org.waypoint.core.AppointmentKind
import org.waypoint.core.DecoyChoice
import org.waypoint.core.Repeat

@StringRes
fun ShellText.res(): Int = when (this) {
    ShellText.CLOSE -> R.string.ui_close
    ShellText.BACK -> R.string.ui_back
    ShellText.NEXT -> R.string.ui_next
    ShellText.SAVE -> R.string.ui_save
    ShellText.CONTINUE -> R.string.ui_continue
    ShellText.UNLOCK -> R.string.ui_unlock
    ShellText.LOCK -> R.string.ui_lock
    ShellText.CODE -> R.string.ui_code
    ShellText.CODE_AGAIN -> R.string.ui_code_again
    ShellText.FIRST_RUN_TITLE -> R.string.ui_first_run_title
    ShellText.FIRST_RUN_DECOY -> R.string.ui_first_run_decoy
    ShellText.FIRST_RUN_CODE -> R.string.ui_first_run_code
    ShellText.HOME -> R.string.ui_home
    ShellText.JOURNAL -> R.string.ui_journal
    ShellText.APPOINTMENTS -> R.string.ui_appointments
    ShellText.DIRECTORY -> R.string.ui_directory
    ShellText.SAFETY -> R.string.ui_safety
    ShellText.SYNC -> R.string.ui_sync
    ShellText.NEW_ENTRY -> R.string.ui_new_entry
    ShellText.EXPORT -> R.string.ui_export
    ShellText.ENTRY -> R.string.ui_entry
    ShellText.APPOINTMENT -> R.string.ui_appointment
    ShellText.SEARCH -> R.string.ui_search
    ShellText.RESULT -> R.string.ui_result
    ShellText.CALL_WARNING -> R.string.ui_call_warning
    ShellText.TITLE -> R.string.ui_title
    ShellText.TEXT -> R.string.ui_text
    ShellText.WHEN -> R.string.ui_when
    ShellText.MOOD -> R.string.ui_mood
    ShellText.TAGS -> R.string.ui_tags
    ShellText.PLACE -> R.string.ui_place
    ShellText.ATTACH -> R.string.ui_attach
    ShellText.DATE -> R.string.ui_date
    ShellText.TIME -> R.string.ui_time
    ShellText.DURATION -> R.string.ui_duration
    ShellText.REPEAT -> R.string.ui_repeat
    ShellText.REMINDERS -> R.string.ui_reminders
    ShellText.PASSPHRASE -> R.string.ui_passphrase
    ShellText.PASSPHRASE_AGAIN -> R.string.ui_passphrase_again
    ShellText.DISPLAY -> R.string.ui_display
    ShellText.SYNC_AUTOMATIC -> R.string.ui_sync_automatic
    ShellText.SYNC_WIFI_ONLY -> R.string.ui_sync_wifi_only
}

@StringRes
fun AppointmentKind.res(): Int = when (this) {
    AppointmentKind.COURT -> R.string.ui_kind_court
    AppointmentKind.LEGAL -> R.string.ui_kind_legal
    AppointmentKind.IMMIGRATION -> R.string.ui_kind_immigration
    AppointmentKind.MEDICAL -> R.string.ui_kind_medical
    AppointmentKind.MENTAL_HEALTH -> R.string.ui_kind_mental_health
    AppointmentKind.CASE_WORKER -> R.string.ui_kind_case_worker
    AppointmentKind.SUPPORT_GROUP -> R.string.ui_kind_support_group
    AppointmentKind.MEDICATION -> R.string.ui_kind_medication
    AppointmentKind.OTHER -> R.string.ui_kind_other
}

@StringRes
fun Repeat.res(): Int = when (this) {
    Repeat.NEVER -> R.string.ui_repeat_never
    Repeat.DAILY -> R.string.ui_repeat_daily
    Repeat.WEEKLY -> R.string.ui_repeat_weekly
    Repeat.MONTHLY -> R.string.ui_repeat_monthly
}

/** A launcher alias id or decoy, by the label of its icon. */
@StringRes
fun aliasRes(id: String): Int = when (id) {
    "notes" -> R.string.alias_notes
    "weather" -> R.string.alias_weather
    else -> R.string.alias_calculator
}

@StringRes
fun DecoyChoice.res(): Int = when (this) {
    DecoyChoice.CALCULATOR -> R.string.alias_calculator
    DecoyChoice.NOTES -> R.string.alias_notes
    DecoyChoice.WEATHER -> R.string.alias_weather
}

/** Reminder offsets offered in the editor (minutes before), with their words. */
val REMINDER_PRESETS: List<Pair<UInt, Int>> = listOf(
    10u to R.string.ui_before_10m,
    60u to R.string.ui_before_1h,
    1440u to R.string.ui_before_1d,
    10080u to R.string.ui_before_1w,
)
