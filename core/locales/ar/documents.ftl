# وثائق الشخص: جوازات السفر، التأشيرات، التصاريح، أوراق المحكمة، السجلات الطبية. (تحتاج مراجعة متحدث أصلي)
doc-title = وثائقي
doc-empty = لا توجد وثائق بعد. يمكنك حفظ صورة لجواز سفر أو تأشيرة أو تصريح أو ورقة من المحكمة هنا. أنت وحدك تستطيع فتحها.
doc-type-passport = جواز سفر
doc-type-visa = تأشيرة
doc-type-work-permit = تصريح عمل
doc-type-i94 = سجل I-94
doc-type-id-card = بطاقة هوية أو إقامة
doc-type-driving-licence = رخصة قيادة
doc-type-birth-certificate = شهادة ميلاد
doc-type-court-paper = أوراق المحكمة
doc-type-medical-record = سجلات طبية
doc-type-other = وثيقة أخرى
doc-field-type = نوع الوثيقة
doc-field-label = الاسم الذي تعطيه لها
doc-field-number = الرقم
doc-field-country = البلد الذي أصدرها
doc-field-issued = تاريخ الإصدار
doc-field-expires = تاريخ الانتهاء
doc-field-notes = ملاحظات
doc-field-file = صورة أو مسح ضوئي
doc-field-reminders = ذكّرني قبل انتهاء صلاحيتها
doc-reminder-days = { $days ->
    [zero] في اليوم نفسه
    [one] قبل يوم واحد
    [two] قبل يومين
    [few] قبل { $days } أيام
    [many] قبل { $days } يومًا
   *[other] قبل { $days } يوم
}
doc-expires-in = { $days ->
    [zero] تنتهي اليوم
    [one] تنتهي غدًا
    [two] تنتهي بعد يومين
    [few] تنتهي بعد { $days } أيام
    [many] تنتهي بعد { $days } يومًا
   *[other] تنتهي بعد { $days } يوم
}
doc-expired = انتهت صلاحيتها. يمكن للمساعدة القانونية في الدليل أن تخبرك بما تفعله بعد ذلك.

# محرر الوثائق. (تحتاج مراجعة متحدث أصلي)
doc-new-title = وثيقة جديدة
doc-edit-title = وثيقة
doc-choose-file = اختر ملفًا
doc-take-photo = التقط صورة
doc-remove-file = أزل الصورة أو المسح الضوئي
doc-file-none = لا توجد صورة أو مسح ضوئي بعد.
doc-file-unsaved = تُحفظ عندما تضغط حفظ.
doc-date-hint = مثل 2027-03-31. يمكنك تركه فارغًا.
doc-country-hint = حرفان، مثل MX أو US. يمكنك تركه فارغًا.
doc-reminders-hint = أيام قبل تاريخ الانتهاء، مثل 90، 30، 7.
doc-delete = احذف هذه الوثيقة
doc-delete-confirm = هل تحذف هذه الوثيقة وصورتها نهائيًا؟ لا يمكن التراجع عن ذلك.
doc-delete-yes = احذف نهائيًا
doc-keep = أبقِها
# Documents set aside (damaged, or changed outside the app) (needs review by a native speaker)
doc-set-aside = تعذّر فتح بعض الوثائق، وهي محفوظة جانبًا: { $count }. لقد تلفت أو تغيّرت خارج التطبيق. كل ما عداها موجود هنا.
