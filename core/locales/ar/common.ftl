# كلمات تظهر في شاشات كثيرة: أزرار وردود عامة.
action-back = رجوع
action-next = التالي
action-save = حفظ
action-search = بحث
action-new = جديد
action-lock = قفل
action-quick-exit = خروج
action-continue = متابعة
action-attach = إضافة ملف
action-export = حفظ نسخة محمية
saved = تم الحفظ.
list-empty = لا يوجد شيء هنا بعد.
list-separator = {"، "}
