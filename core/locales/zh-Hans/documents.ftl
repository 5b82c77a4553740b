# 你的证件：护照、签证、许可、法院文件、医疗记录。（需母语者审阅）
doc-title = 我的证件
doc-empty = 还没有证件。你可以在这里保存护照、签证、许可证或法院文件的照片。只有你能打开。
doc-type-passport = 护照
doc-type-visa = 签证
doc-type-work-permit = 工作许可
doc-type-i94 = I-94 记录
doc-type-id-card = 身份证或居留卡
doc-type-driving-licence = 驾驶执照
doc-type-birth-certificate = 出生证明
doc-type-court-paper = 法院文件
doc-type-medical-record = 医疗记录
doc-type-other = 其他证件
doc-field-type = 证件类型
doc-field-label = 你给它起的名字
doc-field-number = 号码
doc-field-country = 签发国家
doc-field-issued = 签发日期
doc-field-expires = 到期日期
doc-field-notes = 备注
doc-field-file = 照片或扫描件
doc-field-reminders = 到期前提醒我
doc-reminder-days = { $days ->
   *[other] 提前 { $days } 天
}
doc-expires-in = { $days ->
   *[other] { $days } 天后到期
}
doc-expired = 已过期。名录中的法律援助可以告诉你下一步怎么做。

# 证件编辑。（需母语者审阅）
doc-new-title = 新证件
doc-edit-title = 证件
doc-choose-file = 选择文件
doc-take-photo = 拍照
doc-remove-file = 移除照片或扫描件
doc-file-none = 还没有照片或扫描件。
doc-file-unsaved = 点“保存”后保留。
doc-date-hint = 例如 2027-03-31。可以不填。
doc-country-hint = 两个字母，例如 MX 或 US。可以不填。
doc-reminders-hint = 到期前的天数，例如 90、30、7。
doc-delete = 删除这份证件
doc-delete-confirm = 永久删除这份证件和它的照片吗？删除后无法恢复。
doc-delete-yes = 永久删除
doc-keep = 保留
# Documents set aside (damaged, or changed outside the app) (needs review by a native speaker)
doc-set-aside = 有些证件无法打开，已被单独存放：{ $count }。它们已损坏，或在应用之外被更改。其他内容都在这里。
