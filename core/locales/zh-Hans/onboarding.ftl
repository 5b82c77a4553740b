# 首次使用：先教如何快速离开。
onboarding-disguise-title = 这个应用看起来像计算器
onboarding-disguise-body = 关闭或锁定时，它会显示一个能用的计算器。别人打开也只会看到计算器。
onboarding-open-title = 用你的密码打开
onboarding-open-body = 在计算器上输入你的密码，然后按 =。不会有任何提示让别人知道有人试过密码。
onboarding-exit-title = 一键离开
onboarding-exit-body = 退出按钮总是在同一个角落。它会立刻锁定一切并显示计算器，不会提问，也不会弹出消息。
onboarding-autolock-title = 它会自动锁定
onboarding-autolock-body = 如果你切换到别的应用，或把手机放下一分钟，它就会锁定并重新显示计算器。
onboarding-traces-title = 电话和短信会留下记录
onboarding-traces-body = 从这里拨打的电话或发送的短信会出现在手机自己的通话记录和信息里。如果有人可能查看，请到那里删除。
onboarding-practise-title = 现在练习一下
onboarding-practise-body = 先试一次退出按钮，然后用你的密码重新打开应用。
first-run-title = 开始之前
first-run-decoy-title = 选择应用关闭时的样子
first-run-code-title = 设置你的密码
first-run-code-hint = 只用数字，至少 { $count } 位。在计算器上输入它来打开应用。
field-code = 密码
field-code-confirm = 再输入一次密码
