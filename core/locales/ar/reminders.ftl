# التذكيرات؛ نص الإشعار محايد (يظهر والهاتف مقفل).
reminder-at-start = عند البدء
reminder-minutes-before = { $count ->
    [one] قبل دقيقة واحدة
    [two] قبل دقيقتين
    [few] قبل { $count } دقائق
    [many] قبل { $count } دقيقة
   *[other] قبل { $count } دقيقة
}
reminder-hours-before = { $count ->
    [one] قبل ساعة واحدة
    [two] قبل ساعتين
    [few] قبل { $count } ساعات
    [many] قبل { $count } ساعة
   *[other] قبل { $count } ساعة
}
reminder-days-before = { $count ->
    [one] قبل يوم واحد
    [two] قبل يومين
    [few] قبل { $count } أيام
    [many] قبل { $count } يومًا
   *[other] قبل { $count } يوم
}
reminder-voice-title = تذكير
reminder-voice-body = لديك حدث
