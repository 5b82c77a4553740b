# 各页面标题和主页上的栏目。
home-title = 主页
journal-title = 日记
appointments-title = 预约
directory-title = 寻找帮助
safety-title = 安全设置
sync-title = 服务目录更新

# 你分享记录的对象（他们的密钥，粘贴或扫描）。（需母语者审阅）
share-title = 我分享的对象
share-explain = 律师或援助人员可以在他们的电脑上打开你分享的内容。用他们电脑上显示的密钥添加他们。
share-empty = 还没有人。
share-field-label = 他们的名字，只有你看得到
share-field-key = 他们的密钥（age1...）
share-paste = 粘贴
share-scan = 扫描他们的二维码
share-scan-explain = 把相机对准他们屏幕上的二维码。相机的画面不会被保存。
share-fingerprint = 当面把这些字符和他们屏幕上的比对一下：
share-remove = 移除
