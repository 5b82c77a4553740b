# تطبيق الطرفية على الحاسوب (`waypoint app`): كلماته الخاصة حول الشاشات، في سطر المفاتيح
# أسفل الشاشة وفي التنبيه الذي يحلّ محلّ فتح مكالمة أو رابط.
terminal-key-choose = اختيار
terminal-key-open = فتح
terminal-key-fields = الحقل التالي
terminal-key-change = تغيير
terminal-key-close = إغلاق
terminal-key-done = تم
terminal-key-clear = مسح
terminal-launch = سيفتح الهاتف هذا الآن (لا يُفتح شيء على هذا الحاسوب):
terminal-file-unreadable = تعذّرت قراءة هذا الملف.
terminal-attach-path = مسار الملف، ثم Enter
terminal-yes = نعم
terminal-no = لا
terminal-any = أيّ نوع
terminal-reminders-help = عدد الدقائق قبل الموعد، مفصولة بفواصل
terminal-language = يتحدّث (رمز لغة، مثل ar)
terminal-days-help = أيام قبل تاريخ الانتهاء، مفصولة بفواصل
