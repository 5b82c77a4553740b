# Giấy tờ của bạn: hộ chiếu, thị thực, giấy phép, giấy tờ tòa án, hồ sơ y tế. (Cần người bản ngữ xem lại)
doc-title = Giấy tờ của tôi
doc-empty = Chưa có giấy tờ nào. Bạn có thể lưu ảnh hộ chiếu, thị thực, giấy phép hoặc giấy tờ tòa án ở đây. Chỉ bạn mới mở được.
doc-type-passport = Hộ chiếu
doc-type-visa = Thị thực
doc-type-work-permit = Giấy phép lao động
doc-type-i94 = Hồ sơ I-94
doc-type-id-card = Thẻ căn cước hoặc thẻ cư trú
doc-type-driving-licence = Giấy phép lái xe
doc-type-birth-certificate = Giấy khai sinh
doc-type-court-paper = Giấy tờ tòa án
doc-type-medical-record = Hồ sơ y tế
doc-type-other = Giấy tờ khác
doc-field-type = Loại giấy tờ
doc-field-label = Tên bạn đặt cho nó
doc-field-number = Số
doc-field-country = Quốc gia cấp
doc-field-issued = Ngày cấp
doc-field-expires = Ngày hết hạn
doc-field-notes = Ghi chú
doc-field-file = Ảnh hoặc bản quét
doc-field-reminders = Nhắc tôi trước khi hết hạn
doc-reminder-days = { $days ->
   *[other] { $days } ngày trước
}
doc-expires-in = { $days ->
   *[other] Hết hạn sau { $days } ngày
}
doc-expired = Đã hết hạn. Dịch vụ trợ giúp pháp lý trong danh bạ có thể cho bạn biết nên làm gì tiếp theo.
