# أدلة "اعرف حقوقك": الكلمات حول الأدلة المضمّنة (core/guides/). (needs review by a native speaker)

guides-title = اعرف حقوقك
guides-intro = أدلة قصيرة يمكنك قراءتها في أي وقت، حتى بدون إنترنت. خذ ما يفيدك واترك الباقي.
guide-not-advice = هذه معلومات وليست استشارة قانونية. يمكن لمرشد أو محامٍ أن يخبرك بما ينطبق على حالتك.
guide-needs-review = لم يراجع متحدث أصلي هذه الترجمة بعد.
guide-last-reviewed = آخر مراجعة: { $date }
guide-sources = المصادر
guide-help = مساعدة قد تكون مفيدة
# Published guides (needs review by a native speaker)
guide-origin-packaged = يأتي مع التطبيق.
guide-origin-published = نشره الأشخاص الذين يوقّعون دليل المساعدة لديك (إصدار الأدلة { $version }).
guide-expired = حلّ موعد مراجعة هذه الأدلة مرة أخرى في { $date }. ما زالت محفوظة، لكن بعض التفاصيل قد تكون قديمة.
# The mark beside a guide in the list: where it comes from (needs review by a native speaker)
guide-mark-packaged = يأتي مع التطبيق
guide-mark-published = منشور
