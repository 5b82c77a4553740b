# Nhắc nhở; nội dung thông báo trung tính (hiện cả khi điện thoại đang khóa).
reminder-at-start = lúc bắt đầu
reminder-minutes-before = trước { $count } phút
reminder-hours-before = trước { $count } giờ
reminder-days-before = trước { $count } ngày
reminder-voice-title = Lời nhắc
reminder-voice-body = Bạn có một sự kiện
