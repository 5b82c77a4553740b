# Dates and times as the screens show them, in the user's zone. Patterns, not code, so each
# language orders day, month and year its own way.
# $weekday: 1 (Monday) to 7 (Sunday); $month: 1 to 12.
date-weekday = { $weekday ->
    [1] Mon
    [2] Tue
    [3] Wed
    [4] Thu
    [5] Fri
    [6] Sat
   *[7] Sun
}
date-month = { $month ->
    [1] Jan
    [2] Feb
    [3] Mar
    [4] Apr
    [5] May
    [6] Jun
    [7] Jul
    [8] Aug
    [9] Sep
    [10] Oct
    [11] Nov
   *[12] Dec
}
# "Tue 20 Jan 2026": $weekday and $month are the words above, $day and $year numbers.
date-day = { $weekday } { $day } { $month } { $year }
# "Tue 20 Jan 2026, 09:00"
date-day-time = { $date }, { $time }
date-all-day = { $date }, all day
