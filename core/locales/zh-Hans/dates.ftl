# 日期和时间，按用户所在时区显示。
date-weekday = { $weekday ->
    [1] 周一
    [2] 周二
    [3] 周三
    [4] 周四
    [5] 周五
    [6] 周六
   *[7] 周日
}
# 中文的月份就是数字，$month 不用。
date-month = { $month }月
# "2026年1月20日 周二"
date-day = { $year }年{ $month }{ $day }日 { $weekday }
date-day-time = { $date } { $time }
date-all-day = { $date }，全天
