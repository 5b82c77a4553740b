# Hướng dẫn "biết quyền của bạn": các từ quanh những hướng dẫn có sẵn (core/guides/). (needs review by a native speaker)

guides-title = Biết quyền của bạn
guides-intro = Những hướng dẫn ngắn bạn có thể đọc bất cứ lúc nào, kể cả khi không có internet. Hãy lấy điều hữu ích và bỏ qua phần còn lại.
guide-not-advice = Đây là thông tin, không phải tư vấn pháp lý. Một người hỗ trợ hoặc luật sư có thể cho bạn biết điều gì áp dụng cho bạn.
guide-needs-review = Bản dịch này chưa được người bản xứ kiểm tra.
guide-last-reviewed = Xem lại lần cuối: { $date }
guide-sources = Nguồn
guide-help = Sự giúp đỡ có thể hữu ích
# Published guides (needs review by a native speaker)
guide-origin-packaged = Có sẵn trong ứng dụng.
guide-origin-published = Được công bố bởi những người ký danh bạ trợ giúp của bạn (phiên bản hướng dẫn { $version }).
guide-expired = Các hướng dẫn này lẽ ra phải được kiểm tra lại vào { $date }. Chúng vẫn được giữ lại, nhưng một số chi tiết có thể đã cũ.
# The mark beside a guide in the list: where it comes from (needs review by a native speaker)
guide-mark-packaged = Có sẵn trong ứng dụng
guide-mark-published = Đã xuất bản
