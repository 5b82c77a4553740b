# Nhật ký: danh sách, trình soạn, bản sao được bảo vệ.
journal-search-hint = Tìm trong các ghi chép của bạn
entry-new-title = Ghi chép mới
entry-edit-title = Sửa ghi chép
field-title = Tiêu đề
field-text = Chuyện gì đã xảy ra
field-happened = Xảy ra khi nào (2025-03-01 14:30), để trống nếu là bây giờ
field-mood = Bạn cảm thấy thế nào
field-tags = Nhãn, cách nhau bằng dấu phẩy
field-place = Nơi chốn
field-attachments = Tệp
entry-attachments = { $count ->
    [0] Không có tệp
   *[other] { $count } tệp
}
export-explain = Lưu mọi ghi chép và tệp vào một tệp duy nhất được khóa bằng mật khẩu, để đưa cho luật sư hoặc người hỗ trợ bạn tin tưởng.
field-passphrase = Mật khẩu cho tệp
field-passphrase-confirm = Gõ lại mật khẩu
field-destination = Lưu vào đâu
export-done = Đã lưu { $entries } ghi chép và { $attachments } tệp.
# Entries set aside (damaged, or changed outside the app) (needs review by a native speaker)
journal-set-aside = Một số ghi chép hoặc tệp không mở được và được để riêng: { $count }. Chúng đã bị hỏng hoặc bị thay đổi bên ngoài ứng dụng. Mọi thứ khác vẫn ở đây.
