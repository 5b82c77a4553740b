# 安全设置。
field-decoy = 应用关闭时显示什么
field-icon = 主屏幕上的图标和名称
field-auto-lock = 多少分钟不用就锁定（0：从不）
field-screenshots = 禁止截屏
field-quick-exit-wipes = 退出时同时清除所有内容
field-wipe-after = 输错密码多少次后清除所有内容
field-wipe-never = 从不清除
field-duress = 第二个密码，打开一个空的应用
