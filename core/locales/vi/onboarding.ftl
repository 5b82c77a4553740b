# Lần đầu mở: cách thoát nhanh, trước mọi thứ khác.
onboarding-disguise-title = { $decoy ->
        [notes] Ứng dụng này trông như ứng dụng ghi chú
        [weather] Ứng dụng này trông như ứng dụng thời tiết
       *[calculator] Ứng dụng này trông như máy tính bỏ túi
    }
onboarding-disguise-body = { $decoy ->
        [notes] Khi đóng hoặc khóa, nó hiện vài ghi chú bình thường. Ai mở ra cũng chỉ thấy vậy.
        [weather] Khi đóng hoặc khóa, nó hiện dự báo thời tiết. Ai mở ra cũng chỉ thấy vậy.
       *[calculator] Khi đóng hoặc khóa, nó hiện một máy tính dùng được. Ai mở ra cũng chỉ thấy vậy.
    }
onboarding-open-title = Mở bằng mã của bạn
onboarding-open-body = { $decoy ->
        [notes] Tạo ghi chú mới, gõ mã của bạn làm tiêu đề, rồi bấm Xong. Không có gì báo cho ai biết là đã có người thử mã.
        [weather] Tìm mã của bạn như tìm tên một thành phố. Không có gì báo cho ai biết là đã có người thử mã.
       *[calculator] Gõ mã của bạn trên máy tính rồi bấm =. Không có gì báo cho ai biết là đã có người thử mã.
    }
onboarding-exit-title = Thoát chỉ với một lần chạm
onboarding-exit-body = { $decoy ->
        [notes] Nút thoát luôn ở cùng một góc. Nó khóa mọi thứ ngay lập tức và hiện ghi chú. Không hỏi gì, không có thông báo nào.
        [weather] Nút thoát luôn ở cùng một góc. Nó khóa mọi thứ ngay lập tức và hiện thời tiết. Không hỏi gì, không có thông báo nào.
       *[calculator] Nút thoát luôn ở cùng một góc. Nó khóa mọi thứ ngay lập tức và hiện máy tính. Không hỏi gì, không có thông báo nào.
    }
onboarding-autolock-title = Tự động khóa
onboarding-autolock-body = { $decoy ->
        [notes] Nếu bạn chuyển sang ứng dụng khác hoặc để điện thoại xuống một phút, nó sẽ khóa và hiện lại ghi chú.
        [weather] Nếu bạn chuyển sang ứng dụng khác hoặc để điện thoại xuống một phút, nó sẽ khóa và hiện lại thời tiết.
       *[calculator] Nếu bạn chuyển sang ứng dụng khác hoặc để điện thoại xuống một phút, nó sẽ khóa và hiện lại máy tính.
    }
onboarding-traces-title = Cuộc gọi và tin nhắn để lại dấu vết
onboarding-traces-body = Cuộc gọi hay tin nhắn bạn bắt đầu từ đây sẽ hiện trong lịch sử cuộc gọi và tin nhắn của điện thoại. Hãy xóa chúng ở đó nếu có người có thể xem.
onboarding-practise-title = Tập ngay bây giờ
onboarding-practise-body = Thử bấm nút thoát một lần, rồi mở lại ứng dụng bằng mã của bạn.
first-run-title = Trước khi bắt đầu
first-run-decoy-title = Chọn ứng dụng trông như thế nào khi đóng
first-run-code-title = Chọn mã của bạn
first-run-code-hint = Chỉ dùng chữ số, ít nhất { $count } số. { $decoy ->
        [notes] Bạn gõ mã làm tiêu đề một ghi chú mới để mở ứng dụng.
        [weather] Bạn tìm mã như tìm tên một thành phố để mở ứng dụng.
       *[calculator] Bạn gõ mã trên máy tính để mở ứng dụng.
    }
field-code = Mã
field-code-confirm = Gõ lại mã
