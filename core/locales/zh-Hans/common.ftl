# 多个页面共用的词语：按钮和常用回复。
action-back = 返回
action-next = 下一步
action-save = 保存
action-search = 搜索
action-new = 新建
action-lock = 锁定
action-quick-exit = 退出
action-continue = 继续
action-attach = 添加文件
action-export = 保存加密副本
saved = 已保存。
list-empty = 这里还没有内容。
list-separator = {"，"}
