# Tiêu đề các màn hình và các mục của màn hình chính.
home-title = Trang chính
journal-title = Nhật ký
appointments-title = Lịch hẹn
directory-title = Tìm trợ giúp
safety-title = Cài đặt an toàn
sync-title = Cập nhật danh bạ dịch vụ

# Những người bạn chia sẻ hồ sơ (khóa của họ, dán hoặc quét). (Cần người bản ngữ xem lại)
share-title = Người tôi chia sẻ
share-explain = Luật sư hoặc người hỗ trợ có thể mở những gì bạn chia sẻ trên máy tính của họ. Thêm họ bằng khóa mà máy tính của họ hiển thị.
share-empty = Chưa có ai.
share-field-label = Tên của họ, chỉ bạn thấy
share-field-key = Khóa của họ (age1...)
share-paste = Dán
share-scan = Quét mã của họ
share-scan-explain = Hướng máy ảnh vào mã trên màn hình của họ. Không có gì từ máy ảnh được lưu lại.
share-fingerprint = So sánh các ký tự này với các ký tự trên màn hình của họ, khi gặp mặt:
share-remove = Bỏ
