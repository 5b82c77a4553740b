# 提醒；通知文字保持中性（手机锁定时也会显示）。
reminder-at-start = 开始时
reminder-minutes-before = 提前 { $count } 分钟
reminder-hours-before = 提前 { $count } 小时
reminder-days-before = 提前 { $count } 天
reminder-voice-title = 提醒
reminder-voice-body = 你有一个日程
