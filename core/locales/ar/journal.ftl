# اليوميات: القائمة، محرر المدخلات، النسخة المحمية.
journal-search-hint = ابحث في مدخلاتك
entry-new-title = مدخل جديد
entry-edit-title = تعديل المدخل
field-title = العنوان
field-text = ماذا حدث
field-happened = متى حدث (2025-03-01 14:30)، اتركه فارغًا للآن
field-mood = كيف شعرت
field-tags = وسوم، تفصل بينها فواصل
field-place = المكان
field-attachments = الملفات
entry-attachments = { $count ->
    [zero] لا ملفات
    [one] ملف واحد
    [two] ملفان
    [few] { $count } ملفات
    [many] { $count } ملفًا
   *[other] { $count } ملف
}
export-explain = يحفظ كل المدخلات والملفات في ملف واحد مقفل بكلمة مرور، لمحامٍ أو مرشد تثق به.
field-passphrase = كلمة مرور الملف
field-passphrase-confirm = اكتب كلمة المرور مرة أخرى
field-destination = أين تحفظه
export-done = { $entries ->
    [zero] لم يُحفظ أي مدخل
    [one] حُفظ مدخل واحد
    [two] حُفظ مدخلان
    [few] حُفظت { $entries } مدخلات
    [many] حُفظ { $entries } مدخلًا
   *[other] حُفظ { $entries } مدخل
} و{ $attachments ->
    [zero] لا ملفات.
    [one] ملف واحد.
    [two] ملفان.
    [few] { $attachments } ملفات.
    [many] { $attachments } ملفًا.
   *[other] { $attachments } ملف.
}
# Entries set aside (damaged, or changed outside the app) (needs review by a native speaker)
journal-set-aside = تعذّر فتح بعض المدخلات أو الملفات، وهي محفوظة جانبًا: { $count }. لقد تلفت أو تغيّرت خارج التطبيق. كل ما عداها موجود هنا.
