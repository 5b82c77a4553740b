# إعدادات الأمان.
field-decoy = ما يعرضه التطبيق وهو مغلق
field-icon = الأيقونة والاسم على الشاشة الرئيسية
field-auto-lock = القفل بعد هذا العدد من الدقائق دون استخدام (0: أبدًا)
field-screenshots = منع لقطات الشاشة
field-quick-exit-wipes = الخروج يمسح كل شيء أيضًا
field-wipe-after = مسح كل شيء بعد هذا العدد من الرموز الخاطئة
field-wipe-never = لا تمسح أبدًا
field-duress = رمز ثانٍ يفتح تطبيقًا فارغًا
