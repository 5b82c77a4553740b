# Ngày giờ theo múi giờ của người dùng.
date-weekday = { $weekday ->
    [1] T2
    [2] T3
    [3] T4
    [4] T5
    [5] T6
    [6] T7
   *[7] CN
}
date-month = { $month ->
    [1] thg 1
    [2] thg 2
    [3] thg 3
    [4] thg 4
    [5] thg 5
    [6] thg 6
    [7] thg 7
    [8] thg 8
    [9] thg 9
    [10] thg 10
    [11] thg 11
   *[12] thg 12
}
# "T3, 20 thg 1, 2026"
date-day = { $weekday }, { $day } { $month }, { $year }
date-day-time = { $time } { $date }
date-all-day = { $date }, cả ngày
