# أول تشغيل: كيف تخرج بسرعة، قبل أي شيء آخر.
onboarding-disguise-title = هذا التطبيق يبدو كآلة حاسبة
onboarding-disguise-body = عندما يكون مغلقًا أو مقفلًا يعرض آلة حاسبة تعمل. من يفتحه لا يرى إلا ذلك.
onboarding-open-title = افتحه برمزك
onboarding-open-body = اكتب رمزك على الآلة الحاسبة ثم اضغط =. لا شيء يُخبر أحدًا بأن رمزًا قد جُرِّب.
onboarding-exit-title = اخرج بلمسة واحدة
onboarding-exit-body = زر الخروج دائمًا في الزاوية نفسها. يقفل كل شيء فورًا ويعرض الآلة الحاسبة. لا سؤال ولا رسالة.
onboarding-autolock-title = يُقفل وحده
onboarding-autolock-body = إذا انتقلت إلى تطبيق آخر أو تركت الهاتف دقيقة، يُقفل ويعرض الآلة الحاسبة من جديد.
onboarding-traces-title = المكالمات والرسائل تترك أثرًا
onboarding-traces-body = المكالمة أو الرسالة التي تبدؤها من هنا تظهر في سجل مكالمات الهاتف ورسائله. احذفها من هناك إذا كان أحد قد ينظر.
onboarding-practise-title = تدرّب الآن
onboarding-practise-body = جرّب زر الخروج مرة، ثم افتح التطبيق من جديد برمزك.
first-run-title = قبل أن تبدأ
first-run-decoy-title = اختر شكل التطبيق وهو مغلق
first-run-code-title = اختر رمزك
first-run-code-hint = أرقام فقط، { $count } على الأقل. تكتبه على الآلة الحاسبة لفتح التطبيق.
field-code = الرمز
field-code-confirm = اكتب الرمز مرة أخرى
