# 桌面终端应用（`waypoint app`）自己的文字：屏幕底部的按键说明，以及代替打开电话或链接的提示。
terminal-key-choose = 选择
terminal-key-open = 打开
terminal-key-fields = 下一项
terminal-key-change = 更改
terminal-key-close = 关闭
terminal-key-done = 完成
terminal-key-clear = 清除
terminal-launch = 手机现在会打开这个（在这台电脑上不会打开任何东西）：
terminal-file-unreadable = 无法读取该文件。
terminal-attach-path = 文件路径，然后按 Enter
terminal-yes = 是
terminal-no = 否
terminal-any = 任意
terminal-reminders-help = 提前的分钟数，用逗号分隔
terminal-language = 使用语言（语言代码，例如 zh）
terminal-days-help = 到期前的天数，用逗号分隔
