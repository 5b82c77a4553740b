# Từ dùng trên nhiều màn hình: nút bấm và câu trả lời chung.
action-back = Quay lại
action-next = Tiếp
action-save = Lưu
action-search = Tìm
action-new = Mới
action-lock = Khóa
action-quick-exit = Thoát
action-continue = Tiếp tục
action-attach = Thêm tệp
action-export = Lưu một bản sao được bảo vệ
saved = Đã lưu.
list-empty = Chưa có gì ở đây.
list-separator = {", "}
