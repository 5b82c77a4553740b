# Cài đặt an toàn.
field-decoy = Ứng dụng hiện gì khi đóng
field-icon = Biểu tượng và tên trên màn hình chính
field-auto-lock = Khóa sau bao nhiêu phút không dùng (0: không bao giờ)
field-screenshots = Chặn chụp màn hình
field-quick-exit-wipes = Thoát cũng xóa hết mọi thứ
field-wipe-after = Xóa hết mọi thứ sau bao nhiêu lần nhập sai mã
field-wipe-never = Không bao giờ xóa
field-duress = Một mã thứ hai mở ra một ứng dụng trống
