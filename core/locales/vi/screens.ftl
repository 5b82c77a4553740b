# Tiêu đề các màn hình và các mục của màn hình chính.
home-title = Trang chính
journal-title = Nhật ký
appointments-title = Lịch hẹn
directory-title = Tìm trợ giúp
safety-title = Cài đặt an toàn
sync-title = Cập nhật danh bạ dịch vụ
