# Lần đầu mở: cách thoát nhanh, trước mọi thứ khác.
onboarding-disguise-title = Ứng dụng này trông như máy tính bỏ túi
onboarding-disguise-body = Khi đóng hoặc khóa, nó hiện một máy tính dùng được. Ai mở ra cũng chỉ thấy vậy.
onboarding-open-title = Mở bằng mã của bạn
onboarding-open-body = Gõ mã của bạn trên máy tính rồi bấm =. Không có gì báo cho ai biết là đã có người thử mã.
onboarding-exit-title = Thoát chỉ với một lần chạm
onboarding-exit-body = Nút thoát luôn ở cùng một góc. Nó khóa mọi thứ ngay lập tức và hiện máy tính. Không hỏi gì, không có thông báo nào.
onboarding-autolock-title = Tự động khóa
onboarding-autolock-body = Nếu bạn chuyển sang ứng dụng khác hoặc để điện thoại xuống một phút, nó sẽ khóa và hiện lại máy tính.
onboarding-traces-title = Cuộc gọi và tin nhắn để lại dấu vết
onboarding-traces-body = Cuộc gọi hay tin nhắn bạn bắt đầu từ đây sẽ hiện trong lịch sử cuộc gọi và tin nhắn của điện thoại. Hãy xóa chúng ở đó nếu có người có thể xem.
onboarding-practise-title = Tập ngay bây giờ
onboarding-practise-body = Thử bấm nút thoát một lần, rồi mở lại ứng dụng bằng mã của bạn.
first-run-title = Trước khi bắt đầu
first-run-decoy-title = Chọn ứng dụng trông như thế nào khi đóng
first-run-code-title = Chọn mã của bạn
first-run-code-hint = Chỉ dùng chữ số, ít nhất { $count } số. Bạn gõ mã trên máy tính để mở ứng dụng.
field-code = Mã
field-code-confirm = Gõ lại mã
