# عناوين الشاشات وأقسام الشاشة الرئيسية.
home-title = الرئيسية
journal-title = اليوميات
appointments-title = المواعيد
directory-title = ابحث عن مساعدة
safety-title = إعدادات الأمان
sync-title = تحديثات الدليل
