# 伪装界面：必须像普通的计算器、备忘录或天气应用，并使用手机的语言。
decoy-calculator-title = 计算器
decoy-calculator-gesture = 输入你的密码，然后按 =
calculator-error = 错误
decoy-notes-title = 备忘录
decoy-notes-gesture = 新建一条备忘，把密码作为标题输入，然后按“完成”
decoy-notes-line-1 = 购物：大米、鸡蛋、西红柿、肥皂
decoy-notes-line-2 = 42 路公交车工作日 7:15 发车
decoy-notes-line-3 = 周一打电话问话费账单
decoy-weather-title = 天气
decoy-weather-gesture = 把密码当作城市名搜索
decoy-weather-line-1 = 今天：多云间晴，18°
decoy-weather-line-2 = 明天：小雨，15°
decoy-weather-line-3 = 周末：晴间多云，20°
unlock-title = 输入你的密码
unlock-wrong = 没有成功，请再试一次。
