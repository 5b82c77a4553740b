# التطبيقات التمويهية: يجب أن تبدو كآلة حاسبة أو ملاحظات أو طقس عادية بلغة الهاتف.
decoy-calculator-title = الآلة الحاسبة
decoy-calculator-gesture = اكتب رمزك ثم اضغط =
calculator-error = خطأ
decoy-notes-title = الملاحظات
decoy-notes-gesture = ابدأ ملاحظة جديدة، واكتب رمزك عنوانًا لها، ثم اضغط تم
decoy-notes-line-1 = مشتريات: أرز، بيض، طماطم، صابون
decoy-notes-line-2 = الحافلة 42 تنطلق الساعة 7:15 أيام الأسبوع
decoy-notes-line-3 = الاتصال بشأن فاتورة الهاتف يوم الاثنين
decoy-weather-title = الطقس
decoy-weather-gesture = ابحث عن رمزك كأنه اسم مدينة
decoy-weather-line-1 = اليوم: غائم جزئيًا، 18°
decoy-weather-line-2 = غدًا: مطر خفيف، 15°
decoy-weather-line-3 = نهاية الأسبوع: فترات مشمسة، 20°
unlock-title = أدخل رمزك
unlock-wrong = لم ينجح ذلك. حاول مرة أخرى.
