# عناوين الشاشات وأقسام الشاشة الرئيسية.
home-title = الرئيسية
journal-title = اليوميات
appointments-title = المواعيد
directory-title = ابحث عن مساعدة
safety-title = إعدادات الأمان
sync-title = تحديثات الدليل

# الأشخاص الذين تشارك معهم السجلات (مفاتيحهم، ملصوقة أو ممسوحة). (تحتاج مراجعة متحدث أصلي)
share-title = أشخاص أشارك معهم
share-explain = يستطيع المحامي أو المرافق فتح ما تشاركه معه على حاسوبه. أضفه بالمفتاح الذي يظهره حاسوبه.
share-empty = لا أحد بعد.
share-field-label = اسمه، لك وحدك
share-field-key = مفتاحه (age1...)
share-paste = لصق
share-scan = امسح رمزه
share-scan-explain = وجّه الكاميرا إلى الرمز على شاشته. لا يُحفظ شيء من الكاميرا.
share-fingerprint = قارن هذه الأحرف بالأحرف على شاشته، وجهًا لوجه:
share-remove = إزالة
