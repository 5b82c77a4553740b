# Ứng dụng ngụy trang: phải trông như máy tính, ghi chú hay thời tiết bình thường, bằng ngôn ngữ của điện thoại.
decoy-calculator-title = Máy tính
decoy-calculator-gesture = Gõ mã của bạn rồi bấm =
calculator-error = Lỗi
decoy-notes-title = Ghi chú
decoy-notes-gesture = Tạo ghi chú mới, gõ mã của bạn làm tiêu đề, rồi bấm Xong
decoy-notes-line-1 = Đi chợ: gạo, trứng, cà chua, xà phòng
decoy-notes-line-2 = Xe buýt 42 chạy lúc 7:15 các ngày trong tuần
decoy-notes-line-3 = Thứ Hai gọi hỏi về hóa đơn điện thoại
decoy-weather-title = Thời tiết
decoy-weather-gesture = Tìm mã của bạn như tìm tên một thành phố
decoy-weather-line-1 = Hôm nay: có mây rải rác, 18°
decoy-weather-line-2 = Ngày mai: mưa nhẹ, 15°
decoy-weather-line-3 = Cuối tuần: có lúc nắng, 20°
unlock-title = Nhập mã của bạn
unlock-wrong = Không được. Hãy thử lại.
