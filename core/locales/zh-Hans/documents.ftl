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
