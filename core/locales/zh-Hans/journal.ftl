# 日记：列表、编辑、加密副本。
journal-search-hint = 搜索你的记录
entry-new-title = 新记录
entry-edit-title = 编辑记录
field-title = 标题
field-text = 发生了什么
field-happened = 发生时间（2025-03-01 14:30），留空表示现在
field-mood = 你当时的感受
field-tags = 标签，用逗号分开
field-place = 地点
field-attachments = 文件
entry-attachments = { $count ->
    [0] 没有文件
   *[other] { $count } 个文件
}
export-explain = 把所有记录和文件保存成一个用密码锁住的文件，交给你信任的律师或援助人员。
field-passphrase = 文件密码
field-passphrase-confirm = 再输入一次文件密码
field-destination = 保存位置
export-done = 已保存 { $entries } 条记录和 { $attachments } 个文件。
# Entries set aside (damaged, or changed outside the app) (needs review by a native speaker)
journal-set-aside = 有些记录或文件无法打开，已被单独存放：{ $count }。它们已损坏，或在应用之外被更改。其他内容都在这里。
