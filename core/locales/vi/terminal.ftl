# Ứng dụng dòng lệnh trên máy tính (`waypoint app`): những chữ riêng của nó quanh các màn
# hình, ở dòng phím phía dưới và ở thông báo thay cho việc mở cuộc gọi hoặc đường dẫn.
terminal-key-choose = chọn
terminal-key-open = mở
terminal-key-fields = ô tiếp theo
terminal-key-change = đổi
terminal-key-close = đóng
terminal-key-done = xong
terminal-key-clear = xóa
terminal-launch = Điện thoại sẽ mở mục này ngay (trên máy tính này không mở gì cả):
terminal-file-unreadable = Không đọc được tệp đó.
terminal-attach-path = đường dẫn của tệp, rồi nhấn Enter
terminal-yes = có
terminal-no = không
terminal-any = bất kỳ
terminal-reminders-help = số phút trước, cách nhau bằng dấu phẩy
terminal-language = Nói tiếng (mã ngôn ngữ, ví dụ vi)
terminal-days-help = số ngày trước ngày hết hạn, cách nhau bằng dấu phẩy
