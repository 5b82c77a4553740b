# "了解你的权利"指南：内置指南（core/guides/）周围的文字。 (needs review by a native speaker)

guides-title = 了解你的权利
guides-intro = 简短的指南，随时可读，没有网络也可以。取你用得上的，其余的可以放下。
guide-not-advice = 这是信息，不是法律意见。支持人员或律师可以告诉你哪些适用于你的情况。
guide-needs-review = 这个翻译还没有经过母语人士检查。
guide-last-reviewed = 最近审阅：{ $date }
guide-sources = 来源
guide-help = 可能有用的帮助
# Published guides (needs review by a native speaker)
guide-origin-packaged = 随应用提供。
guide-origin-published = 由为你的求助名录签名的人发布（指南版本 { $version }）。
guide-expired = 这些指南本应在 { $date } 重新核对。它们仍会保留，但部分内容可能已经过时。
# The mark beside a guide in the list: where it comes from (needs review by a native speaker)
guide-mark-packaged = 随应用提供
guide-mark-published = 已发布
