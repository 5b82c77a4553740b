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

# Trình sửa giấy tờ. (Cần người bản ngữ xem lại)
doc-new-title = Giấy tờ mới
doc-edit-title = Giấy tờ
doc-choose-file = Chọn một tệp
doc-take-photo = Chụp ảnh
doc-remove-file = Bỏ ảnh hoặc bản quét
doc-file-none = Chưa có ảnh hoặc bản quét.
doc-file-unsaved = Được lưu khi bạn bấm Lưu.
doc-date-hint = Ví dụ 2027-03-31. Bạn có thể để trống.
doc-country-hint = Hai chữ cái, ví dụ MX hoặc US. Bạn có thể để trống.
doc-reminders-hint = Số ngày trước ngày hết hạn, ví dụ 90, 30, 7.
doc-delete = Xóa giấy tờ này
doc-delete-confirm = Xóa vĩnh viễn giấy tờ này và ảnh của nó? Không thể hoàn tác.
doc-delete-yes = Xóa vĩnh viễn
doc-keep = Giữ lại
# Documents set aside (damaged, or changed outside the app) (needs review by a native speaker)
doc-set-aside = Một số giấy tờ không mở được và được để riêng: { $count }. Chúng đã bị hỏng hoặc bị thay đổi bên ngoài ứng dụng. Mọi thứ khác vẫn ở đây.
