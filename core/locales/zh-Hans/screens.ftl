# 各页面标题和主页上的栏目。
home-title = 主页
journal-title = 日记
appointments-title = 预约
directory-title = 寻找帮助
safety-title = 安全设置
sync-title = 服务目录更新
