# Coffre — الواجهة باللغة العربية (من اليمين إلى اليسار).
# الأسلوب: لغة سهلة. جمل قصيرة، فكرة واحدة في كل سطر، بدون مصطلحات صعبة (أو نشرحها).
# كل ملف (fr, en, ar) فيه نفس المعرّفات ونفس الخصائص بالضبط.

-brand = Coffre

## إطار الصفحة

# عنوان علامة التبويب: { $page } هو عنوان الصفحة المعروضة.
page-title = { $page } — { -brand }
skip-link = انتقل إلى المحتوى
brand-home = { -brand }
brand-tagline = الخزنة الرقمية لأوراقك
language-switcher =
    .aria-label = اختر اللغة
main-nav =
    .aria-label = القائمة الرئيسية
nav-home = الرئيسية
nav-help = مساعدة
nav-about = عن الموقع
footer-text = أوراقك مقفلة على جهازك. الجمعية لا تستطيع قراءتها.
footer-free-software = { -brand } برنامج حر.
footer-privacy-link = الخصوصية

## الصفحة الرئيسية: «مرحبًا، قبل أن تبدأ»

welcome-title = مرحبًا بك في { -brand }
welcome-lead = قبل أن تبدأ، اقرأ هذه الأسطر القليلة.

welcome-what-title = ما هو { -brand }؟
welcome-what-1 = { -brand } خزنة رقمية.
welcome-what-2 = تحفظ فيها صورة أوراقك المهمة. مثلًا:
welcome-what-example-1 = بطاقة هويتك أو جواز سفرك،
welcome-what-example-2 = بطاقة إقامتك أو وصل الإقامة (récépissé)،
welcome-what-example-3 = شهادات صندوق المساعدات العائلية (CAF)،
welcome-what-example-4 = بطاقة التأمين الصحي (carte Vitale)، شهادة العنوان (domiciliation).
welcome-what-3 = إذا أضعت أوراقك أو سُرقت منك، تجدها هنا.
welcome-what-4 = تفتح خزنتك بهاتفك، أو بحاسوب في إحدى الجمعيات.

welcome-lock-title = أوراقك مقفلة بمفتاح
welcome-lock-1 = تُقفَل أوراقك على هاتفك أو حاسوبك، قبل أن تُرسَل عبر الإنترنت.
welcome-lock-2 = نقول إنها «مشفّرة».
welcome-lock-3 = مفاتيحك وحدها تستطيع فتحها.

welcome-host-title = ما تراه الجمعية، وما لا تراه
welcome-host-intro = هذا الموقع تديره جمعية. هي تحفظ خزنتك على حاسوبها (نقول إنها «تستضيف» { -brand }).
welcome-host-can-title = الجمعية تستطيع أن ترى:
welcome-host-can-1 = أن لديك حسابًا في { -brand }؛
welcome-host-can-2 = عدد أوراقك، وحجمها؛
welcome-host-can-3 = متى تتصل، ومن أي اتصال بالإنترنت (عنوان IP).
welcome-host-cannot-title = الجمعية لا تستطيع أن ترى:
welcome-host-cannot-1 = أوراقك؛
welcome-host-cannot-2 = أسماء أوراقك؛
welcome-host-cannot-3 = نوع الورقة (مثلًا: بطاقة هوية أو شهادة من CAF).

welcome-limits-title = انتبه
welcome-limits-keys-1 = لديك مفاتيح لفتح خزنتك: بطاقة { -brand } (بطاقة ورقية) مع رمزها، وست كلمات احتياطية مكتوبة على ورقة.
welcome-limits-keys-2 = إذا أضعت كل مفاتيحك، لا أحد يستطيع فتح خزنتك. ولا حتى الجمعية.
welcome-limits-keys-3 = احتفظ بمفتاحين على الأقل، في مكانين مختلفين.
welcome-limits-code-1 = برنامج { -brand } يصل إلى هاتفك من هذا الموقع.
welcome-limits-code-2 = لذلك يجب أن تثق بالجمعية التي تدير هذا الموقع.

welcome-start-title = ابدأ
welcome-create = افتح خزنتي
welcome-unlock = لدي خزنة من قبل
welcome-preview-note = هذا الموقع قيد الإنشاء. لا يمكنك بعد حفظ أوراقك فيه.

## الحسابات: أجزاء مشتركة

nav-coffre = خزنتي
header-lock = أغلق
device-shared-label = أنا على حاسوب مشترك
device-shared-hint = مثلًا، حاسوب جمعية أو مكتبة عامة. ستُغلق خزنتك بعد 5 دقائق بدون نشاط.
pin-label = رمزك (من 4 إلى 8 أرقام)
pin-again-label = اكتب الرمز نفسه مرة أخرى
pin-error-format = يجب أن يكون الرمز من 4 إلى 8 أرقام. أرقام فقط.
pin-error-different = الرمزان غير متطابقين. اكتبهما من جديد.
error-network = الموقع لا يجيب. تحقق من اتصالك بالإنترنت، ثم حاول مرة أخرى.
error-server = حدثت مشكلة. حاول لاحقًا.
error-signed-out = لم تعد متصلًا. افتح خزنتك مرة أخرى.
# { $minutes }: عدد الدقائق للانتظار.
error-too-many =
    كانت هناك محاولات كثيرة جدًا. انتظر { $minutes ->
        [one] دقيقة واحدة
        [two] دقيقتين
        [few] { $minutes } دقائق
       *[other] { $minutes } دقيقة
    }، ثم حاول مرة أخرى.

## قراءة بطاقة Coffre

reader-camera = امسح بالكاميرا
reader-photo = التقط صورة للبطاقة
reader-photo-reading = نحن نقرأ الصورة…
reader-photo-none = لا نجد الرمز المربع في الصورة. حاول مرة أخرى، مع ضوء أكثر.
reader-type = اكتب رمز البطاقة
reader-camera-looking = ضع الرمز المربع للبطاقة أمام الكاميرا.
reader-camera-video = صورة الكاميرا
reader-camera-failed = الكاميرا لا تفتح. التقط صورة للبطاقة، أو اكتب رمزها.
reader-not-carte = هذا الرمز المربع ليس بطاقة { -brand }.
reader-other-way = اختر طريقة أخرى
reader-typed-label = رمز البطاقة
reader-typed-hint = إنه مكتوب بجانب الرمز المربع، في مجموعات من 4 علامات. المسافات والأحرف الكبيرة لا تهم.
reader-typed-submit = تحقق من الرمز
reader-typed-empty = اكتب رمز البطاقة.
# { $count }: العلامات المكتوبة؛ { $expected }: العلامات المنتظرة (58).
reader-typed-length = الرمز فيه { $expected } علامة. كتبت { $count }.
reader-typed-checksum = يوجد خطأ فيما كتبته. تحقق من كل مجموعة.

## بطاقة Coffre

carte-heading = بطاقة { -brand }
# { $name }: الاسم أو اللقب المختار.
carte-name = بطاقة { $name }
# { $site }: عنوان الموقع.
carte-site = الموقع: { $site }
carte-qr-label = الرمز المربع لبطاقتك
carte-typed-label = رمز البطاقة:
carte-secret = سري. لا تُرِ هذه البطاقة لأحد.
carte-pin-note = رمزك (من 4 إلى 8 أرقام) غير مكتوب على هذه البطاقة.

## فتح خزنة

create-name-title = بماذا نناديك؟
create-name-1 = يمكنك كتابة اسمك الأول، أو لقب. هذا ليس إجباريًا.
create-name-2 = سيُكتب على بطاقة { -brand } الخاصة بك. هكذا ستعرفها.
create-name-3 = يبقى على هذا الجهاز. لا يُرسل إلى الجمعية.
create-name-label = الاسم الأول أو اللقب (ليس إجباريًا)
create-next = متابعة
create-back = رجوع
create-pin-title = اختر رمزك
create-pin-1 = رمزك من 4 إلى 8 أرقام. أنت تختاره.
create-pin-2 = مع بطاقة { -brand } الخاصة بك، هذا الرمز يفتح خزنتك.
create-pin-3 = الرمز ليس البطاقة. هو غير مكتوب على البطاقة. لا تكتبه عليها.
create-pin-4 = لا تعطِ رمزك لأحد.
create-pin-submit = اصنع بطاقتي
create-making-title = نحن نجهّز خزنتك
create-making-1 = هذا يأخذ بضع ثوانٍ.
create-sending-title = نحن نفتح خزنتك
create-retry = حاول مرة أخرى
create-carte-title = بطاقة { -brand } الخاصة بك
create-carte-1 = احتفظ بهذه البطاقة.
create-carte-2 = مع رمزك، هي تفتح خزنتك.
create-carte-3 = لا تُرِها لأحد.
create-carte-print-help = اطبع البطاقة. إذا لم تكن لديك طابعة، انسخ رمز البطاقة على ورقة.
create-carte-no-file = لا تحفظ البطاقة في ملف على هذا الحاسوب.
create-print = اطبع البطاقة
create-carte-next = عندي بطاقتي. متابعة
create-scan-title = لنتحقق من بطاقتك
create-scan-1 = أرِ بطاقتك للجهاز، أو اكتب رمزها. هكذا نعرف أن بطاقتك تعمل.
create-scan-2 = لا تُنشأ خزنتك إلا بعد هذه الخطوة.
create-scan-mismatch = هذه ليست البطاقة التي صنعناها الآن. استعمل البطاقة الجديدة.
create-scan-back = انظر إلى البطاقة مرة أخرى

## فتح خزنتك (تسجيل الدخول)

unlock-title = لدي خزنة من قبل
unlock-intro = كيف تريد أن تفتح خزنتك؟
unlock-with-carte = ببطاقتي
unlock-with-words = بكلماتي الست
unlock-create = ليست لدي خزنة بعد
unlock-with-device = برمزي، على هذا الهاتف
unlock-device-1 = هذا الهاتف يتذكر خزنتك. اكتب رمزك المكوّن من 4 إلى 8 أرقام.
unlock-device-forgotten = هذا الهاتف لم يعد يتذكر خزنتك. استعمل بطاقتك أو كلماتك الست أو مفتاح المرور.
unlock-error-pin = الرمز غير صحيح.
unlock-with-passkey = بمفتاح المرور
unlock-passkey-hint = مفتاح المرور موجود في هاتفك. تفتحه بإصبعك أو بوجهك أو برمز الهاتف.
unlock-passkey-cancelled = لم يستجب مفتاح المرور. حاول مرة أخرى، أو استعمل بطاقتك.
unlock-passkey-unknown = مفتاح المرور هذا لا يفتح أي خزنة على هذا الموقع.
unlock-passkey-only-title = خطوة أخرى
unlock-passkey-only-1 = أدخلك مفتاح المرور.
unlock-passkey-only-2 = على هذا الجهاز لا يستطيع فتح الخزنة. استعمل بطاقتك أو كلماتك الست.
unlock-locked = خزنتك مغلقة.
unlock-locked-idle = أُغلقت خزنتك، لأن لا أحد كان يستعملها.
unlock-signed-out = لقد سجّلت الخروج.
unlock-expired = انتهى اتصالك. افتح خزنتك مرة أخرى.
unlock-back = رجوع
unlock-carte-title = أرِنا بطاقتك
unlock-carte-1 = امسح بطاقة { -brand } الخاصة بك، أو اكتب رمزها.
unlock-pin-title = اكتب رمزك
unlock-pin-1 = إنه الرمز من 4 إلى 8 أرقام الذي اخترته.
unlock-open = افتح خزنتي
unlock-words-title = اكتب كلماتك الست
unlock-words-label = كلماتك الست
unlock-words-hint = ضع مسافة بين الكلمات. الأحرف الكبيرة لا تهم.
unlock-words-error = هذه الكلمات ليست الصحيحة. تحقق من كل كلمة.
unlock-working-title = نحن نفتح خزنتك
unlock-working = هذا يأخذ بضع ثوانٍ.
unlock-working-words = قد يأخذ هذا بضع ثوانٍ.
unlock-error-carte = البطاقة أو الرمز غير صحيح.
unlock-error-words = هذه الكلمات الست لا تفتح أي خزنة في هذا الموقع.
unlock-error-open = خزنتك لا تفتح على هذا الجهاز. اطلب المساعدة من جمعية.
unlock-carte-locked-title = بطاقتك محظورة
unlock-error-locked-1 = كان الرمز خاطئًا مرات كثيرة جدًا. لحمايتك، البطاقة محظورة.
unlock-error-locked-2 = يمكنك فتح خزنتك بكلماتك الست، إذا كانت لديك.
unlock-error-locked-3 = وإلا، اطلب المساعدة من الجمعية التي ترافقك.
unlock-help = اقرأ المساعدة

## خزنتي

home-title = خزنتك مفتوحة
home-open-1 = أنت وحدك تستطيع رؤية ما بداخلها.
home-locked-title = خزنتك مغلقة
home-locked-1 = لفتحها، تحتاج إلى بطاقتك ورمزك، أو كلماتك الست.
home-locked-open = افتح خزنتي
home-papers-title = أوراقي
home-papers-1 = احفظ أوراقك هنا: بطاقة الهوية، بطاقة الإقامة، الشهادات… تُشفَّر على هذا الجهاز قبل إرسالها.
home-papers-all = عرض كل أوراقي
home-papers-categories = أنواع الأوراق
home-words-title = ست كلمات للنجدة
home-words-1 = إذا فقدت بطاقتك، يمكن لست كلمات أن تفتح خزنتك أيضًا.
home-words-2 = نحن نختار الكلمات عشوائيًا. أنت تكتبها على ورقة.
home-words-3 = إذا كانت لديك ست كلمات من قبل، فلن تعمل القديمة بعد الآن.
home-words-add = أضف ست كلمات للنجدة
home-words-list = كلماتك الست
home-words-show-1 = هذه كلماتك الست. اكتبها على ورقة، بهذا الترتيب.
home-words-show-2 = لن تُعرض مرة أخرى أبدًا.
home-words-show-3 = أخفِ هذه الورقة. لا تحتفظ بها مع بطاقتك.
home-words-confirm = كتبت الكلمات الست على ورقة.
home-words-confirm-error = ضع علامة في المربع عندما تكتب الكلمات الست.
home-words-save = احفظ الكلمات الست
home-words-cancel = إلغاء
home-words-saving = نحن نحفظ كلماتك الست. قد يأخذ هذا بضع ثوانٍ.
home-words-done = كلماتك الست محفوظة. إنها تفتح خزنتك الآن.
home-devices-title = الأجهزة المتصلة
home-devices-1 = خزنتك مفتوحة على هذه الأجهزة. يمكنك فصلها.
home-devices-loading = جارٍ التحميل…
home-device-this = هذا الجهاز
home-device-factor-carte = فُتحت بالبطاقة
home-device-factor-passphrase = فُتحت بالكلمات الست
home-device-factor-passkey = فُتحت بمفتاح مرور
home-device-factor-device = فُتحت بهاتف محفوظ وبالرمز
home-device-factor-other = فُتحت بمفتاح آخر
home-device-shared = حاسوب مشترك
# { $date }: التاريخ والساعة.
home-device-since = متصل منذ { $date }
home-device-seen = آخر نشاط: { $date }
home-device-signout = افصل
home-devices-signout-all = افصل كل الأجهزة
home-devices-signout-all-hint = هذا الجهاز أيضًا. هذا مفيد إذا نسيت تسجيل الخروج في مكان آخر.
home-close-title = الإغلاق
home-close-1 = «أغلق خزنتي»: تُغلق على هذا الجهاز. لفتحها من جديد، تحتاج إلى بطاقتك أو كلماتك الست.
home-close-2 = «سجّل خروجي»: ينسى هذا الجهاز اتصالك أيضًا. هذا هو الأفضل على حاسوب مشترك.
home-lock = أغلق خزنتي
home-signout = سجّل خروجي

## عن الموقع والخصوصية

about-title = عن الموقع والخصوصية
about-what-title = { -brand }
about-what-1 = { -brand } برنامج حر: يستطيع الجميع قراءة برنامجه والتحقق منه.
about-what-2 = تثبّته الجمعيات للأشخاص الذين ترافقهم.

about-e2e-title = مشفّر من طرف إلى طرف
about-e2e-1 = تُقفَل أوراقك على جهازك، قبل أن تُرسَل عبر الإنترنت.
about-e2e-2 = لا تُفتح إلا على جهازك، أو على جهاز شخص تعطيه الإذن.
about-e2e-3 = في الطريق وعند الجمعية، تبقى مقفلة. نقول إنها «مشفّرة من طرف إلى طرف».

about-host-title = ما تراه الجمعية

about-device-title = ما يحفظه هذا الموقع على جهازك
about-device-1 = اختيارك للغة. هذا كل شيء، حاليًا.
about-device-2 = لا إعلانات. لا تتبّع. لا شيء يُحمَّل من موقع آخر.

about-limits-title = الحدود
about-limits-1 = إذا أضعت كل مفاتيحك، لا أحد يستطيع فتح خزنتك.
about-limits-2 = برنامج { -brand } يأتي من هذا الموقع. إذا غيّر أحد هذا الموقع، يمكنه أن يغيّر هذا البرنامج.
about-limits-3 = الورقة التي أظهرتها ربما نُسخت.

## الصفحة غير موجودة

not-found-title = الصفحة غير موجودة
not-found-1 = هذه الصفحة غير موجودة.
not-found-back = العودة إلى الصفحة الرئيسية

## سجل الخزنة (صفحة «خزنتك مفتوحة»)

home-journal-title = سجل خزنتك
home-journal-1 = هنا ترى ما حدث لخزنتك. الأحدث في الأعلى.
home-journal-loading = نتحقق من السجل…
home-journal-unavailable = لا يمكن قراءة السجل الآن. حاول مرة أخرى لاحقًا.
home-journal-verified = تم التحقق من السجل. لم يغيّره أحد.
home-journal-list = ما حدث
home-journal-broken-1 = تنبيه: السجل لا يجتاز التحقق.
home-journal-broken-2 = ربما حُذفت أسطر أو غُيّرت أو استُبدلت بأسطر قديمة. أخبر الجمعية التي تستضيف Coffre.
home-journal-broken-code = رمز الخطأ: { $code }
journal-coffre_created = فُتحت الخزنة
journal-sign_in = { $factor ->
    [carte] دخول بالبطاقة
    [passphrase] دخول بالكلمات الست
    [passkey] دخول بمفتاح المرور
    [device] دخول بهاتف محفوظ
   *[none] دخول
}
journal-sign_in_failed = فشل الدخول: رمز خاطئ
journal-carte_locked = البطاقة مقفلة: رموز خاطئة كثيرة
journal-restored = استُعيدت الخزنة من نسخة احتياطية بتاريخ { $date }
journal-restored-undated = استُعيدت الخزنة من نسخة احتياطية
journal-key_added = { $factor ->
    [passphrase] أضيفت الكلمات الست الاحتياطية
    [passkey] أضيف مفتاح مرور
    [device] حُفظ الهاتف
   *[none] أضيف مفتاح
}
journal-key_removed = { $factor ->
    [passkey] أزيل مفتاح مرور
    [device] نُسي الهاتف
   *[none] أزيل مفتاح
}
journal-other = حدث آخر
journal-paper_added = أُضيفت ورقة
journal-paper_deleted = حُذفت ورقة

## بطاقة ضائعة أو مسروقة أو مصوَّرة

home-lost-title = هل ضاعت البطاقة أو سُرقت أو صُوِّرت؟
home-lost-1 = اصنع بطاقة جديدة فورًا.
home-lost-2 = لن تفتح البطاقة القديمة خزنتك بعد الآن. وتتغير كلماتك الست أيضًا.
home-lost-start = اصنع بطاقة جديدة
home-lost-done = بطاقتك الجديدة جاهزة. البطاقة القديمة والكلمات الست القديمة لم تعد تعمل.
newcarte-title = اصنع بطاقة جديدة
newcarte-1 = نصنع بطاقة جديدة ورمزًا جديدًا.
newcarte-2 = بعد ذلك لا تفتح البطاقة القديمة أي شيء.
newcarte-3 = كلماتك الست القديمة لا تعمل أيضًا. نعطيك ست كلمات جديدة.
newcarte-4 = يتم فصل أجهزتك الأخرى. وتُزال مفاتيح المرور: يمكنك إضافة مفتاح جديد.
newcarte-start = ابدأ
newcarte-cancel = إلغاء
newcarte-words-title = كلماتك الست الجديدة
newcarte-words-1 = اكتب هذه الكلمات الست على ورقة، بهذا الترتيب. لن تظهر مرة أخرى أبدًا.
newcarte-words-2 = اخفِ هذه الورقة. لا تحتفظ بها مع بطاقتك.
newcarte-finish = إنهاء
newcarte-sending-title = نغيّر مفاتيحك
journal-carte_revoked = أُلغيت البطاقة القديمة وصُنعت بطاقة جديدة
home-journal-since = هذا ما حدث منذ زيارتك الأخيرة على هذا الجهاز.
home-journal-all = عرض السجل كاملًا
home-journal-vouched = على هذا الجهاز، تحققنا من التوقيعات منذ { $date }. وقد تحقق أحد أجهزتك من التوقيعات السابقة من قبل.
home-journal-newest = هذه أحدث { $count } سطرًا. الأسطر الأقدم تم التحقق منها أيضًا.

## مفتاح المرور

home-passkey-title = مفتاح المرور
home-passkey-1 = بمفتاح المرور، يفتح هاتفك خزنتك. تستعمل إصبعك أو وجهك أو رمز الهاتف.
home-passkey-2 = احتفظ ببطاقتك مع ذلك: إذا ضاع الهاتف، تفتح البطاقة الخزنة.
home-passkey-add = أضف مفتاح مرور على هذا الجهاز
home-passkey-adding = يطلب منك جهازك إصبعك أو وجهك أو رمزه.
home-passkey-added = تم. في المرة القادمة، افتح خزنتك بمفتاح المرور.
home-passkey-added-signin-only = مفتاح المرور هذا يُدخلك، لكنه لا يستطيع فتح الخزنة على هذا الجهاز. احتفظ ببطاقتك.
home-passkey-cancelled = لم يُضف شيء. يمكنك المحاولة مرة أخرى.
home-passkey-already = لهذا الجهاز مفتاح مرور لخزنتك من قبل.
home-passkey-unlocks = يُدخل ويفتح الخزنة
home-passkey-signin-only = يُدخل فقط: البطاقة تفتح الخزنة
home-passkey-since = أضيف في { $date }
home-passkey-remove = إزالة
home-passkey-shared = على حاسوب مشترك، لا يُضاف مفتاح مرور.
home-passkey-unavailable = هذا المتصفح لا يستطيع إنشاء مفاتيح مرور.

## الحسابات المهنية (دعوة)

invite-title = دعوة
invite-checking = نتحقق من الرابط.
invite-bad-link = هذا الرابط غير كامل. انسخ الرابط كله، أو اطلب رابطًا جديدًا.
invite-expired = هذا الرابط لم يعد يعمل. استُعمل من قبل، أو هو قديم جدًا.
invite-ask-new = اطلب رابطًا جديدًا من الشخص الذي يدير { -brand } في جمعيتك.
invite-home = الذهاب إلى الصفحة الرئيسية
invite-pro-title = حسابك المهني
invite-pro-1 = هذا الحساب لعملك كمرافق أو كمسؤول.
invite-pro-2 = له مفاتيحه الخاصة. لاحقًا، يستطيع الأشخاص الذين تساعدهم أن يعطوك توكيلًا.
invite-pro-3 = هذا الحساب لا يرى خزائن الآخرين. يرى فقط ما يسمح به التوكيل.
invite-admin-title = حساب المدير
invite-admin-1 = هذا الحساب يدير موقع { -brand } الخاص بجمعيتك.
invite-admin-2 = لا يرى أي ورقة، ولا أي اسم فئة، ولا أي خزنة.
invite-same-steps = ستمر بنفس خطوات الخزنة: رمز، ثم بطاقة.
invite-start = ابدأ
home-fingerprint-title = بصمتك
home-role-professional = حساب مهني
home-role-admin = حساب المدير
home-fingerprint-1 = هذه الكلمات الخمس تقول من أنت. هي آتية من مفاتيحك.
home-fingerprint-2 = قبل أن يعطيك شخص توكيلًا، يقارن هذه الكلمات، أو يمسح هذا الرمز المربع.
home-fingerprint-qr = الرمز المربع لبصمتك

## هذا الهاتف (تذكّر هذا الهاتف)

home-phone-title = هذا الهاتف
home-phone-1 = على هاتفك الخاص، يستطيع { -brand } أن يتذكر خزنتك. بعد ذلك يكفي رمزك لفتحها هنا.
home-phone-2 = لا تفعل ذلك أبدًا على هاتف مستعار أو على حاسوب مشترك.
home-phone-3 = إذا سُرق الهاتف، قل ذلك من جهاز آخر: لن يفتح أي شيء بعد ذلك.
home-phone-remember = تذكّر هذا الهاتف
home-phone-working = لحظة…
home-phone-done = تم. على هذا الهاتف، يكفي رمزك الآن.
home-phone-remembered = هذا الهاتف يتذكر خزنتك. يكفي رمزك لفتحها.
home-phone-forget = انسَ هذا الهاتف
home-phone-forgotten = نسي هذا الهاتف خزنتك.
home-phone-this-phone = هذا الهاتف
home-phone-shared = على حاسوب مشترك، لا يتذكر { -brand } أي شيء.
home-phone-others = هذه الهواتف تتذكر خزنتك أيضًا:
home-phone-since = منذ { $date }
home-phone-stolen = سُرق هذا الهاتف
home-phone-stolen-done = هذا الهاتف لم يعد يفتح خزنتك.
home-remembered-keys = فتحت الخزنة بهذا الهاتف وبرمزك. لتغيير مفاتيحك، افتحها ببطاقتك أو بكلماتك الست أو بمفتاح المرور.

## Carte en PDF

carte-pdf-download = تنزيل البطاقة (PDF)
carte-pdf-hint = هذا الملف لهاتفك أنت. لا ترسله لأحد.
carte-pdf-error = تعذّر إنشاء الملف. اطبع البطاقة، أو انسخ رمزها.

## الأوراق: الفئات والأنواع

category-identity = الهوية والحالة المدنية
category-residence = الإقامة
category-health = الصحة
category-income = الدخل والمساعدات
category-housing = السكن وعنوان البريد
category-work = العمل والتكوين
category-tax-bank = الضرائب والبنك
category-justice = القضاء
category-family = العائلة والمدرسة
category-other = أخرى

doctype-cni = بطاقة الهوية (CNI)
doctype-passeport = جواز السفر
doctype-titre_sejour = بطاقة الإقامة
doctype-recepisse = وصل الإيداع (récépissé)
doctype-domiciliation = شهادة العنوان (domiciliation)
doctype-carte_vitale = البطاقة الصحية (Carte Vitale)
doctype-css_ame = شهادة CSS أو AME
doctype-attestation_caf = شهادة CAF
doctype-avis_imposition = إشعار الضريبة
doctype-rib = بيانات الحساب البنكي (RIB)
doctype-autre = ورقة أخرى

# { $size }: رقم مكتوب مسبقًا.
size-mb = { $size } ميغابايت

## الأوراق: القائمة

papers-title = أوراقي
papers-add = إضافة ورقة
papers-loading = نفتح أوراقك…
papers-deleted = حُذفت الورقة.
# { $count }: عدد النسخ القديمة من الورقة.
papers-older = { $count ->
    [one] نسخة قديمة واحدة
    [two] نسختان قديمتان
   *[other] { $count } نسخ قديمة
}
# { $date }: تاريخ.
papers-older-added = أضيفت في { $date }
papers-none = ليست لديك أوراق بعد. اختر «إضافة ورقة».
papers-broken-1 = تنبيه: قائمة أوراقك ليست هي الصحيحة.
papers-broken-2 = هناك ورقة ناقصة، أو غُيّرت دون علمك. أخبر جمعيتك.
# { $count }: عدد الأوراق.
papers-refused = { $count ->
    [one] لم نتمكن من التحقق من ورقة واحدة. لا نعرضها.
   *[other] لم نتمكن من التحقق من { $count } أوراق. لا نعرضها.
}
# قائمة فئة لا تطابق ما يعرفه هذا الهاتف، أو السجلّ يذكر ورقة لا يعرضها الخادم.
papers-warning-1 = تنبيه: قد لا يعرض الخادم كل أوراقك.
papers-warning-2 = تحققنا من كل ورقة معروضة هنا. أخبر جمعيتك.
# { $count }: عدد الأوراق.
papers-warning-missing = { $count ->
    [one] ورقة من سجلّك ليست في القائمة.
   *[other] { $count } أوراق من سجلّك ليست في القائمة.
}
# { $names }: أسماء الفئات، تفصل بينها فواصل.
papers-warning-categories = الفئات: { $names }.
papers-search = البحث عن ورقة
papers-search-hint = اكتب اسمها أو نوعها. مثلًا: récépissé.
papers-found = { $count ->
    [0] لم نجد أي ورقة
    [one] وجدنا ورقة واحدة
   *[other] وجدنا { $count } أوراق
}
papers-renew-title = للتجديد
papers-renew-1 = هذه الأوراق ستنتهي صلاحيتها قريبًا، أو انتهت.
papers-empty-title = لا توجد أوراق بعد في هذه الفئات
paper-pages = { $count ->
    [one] صفحة واحدة
    [two] صفحتان
   *[other] { $count } صفحات
}
# { $date }: تاريخ.
paper-expired = انتهت صلاحيتها منذ { $date }
paper-expires-soon = { $days ->
    [0] تنتهي صلاحيتها بعد اليوم ({ $date })
    [one] تنتهي صلاحيتها بعد يوم واحد ({ $date })
   *[other] تنتهي صلاحيتها بعد { $days } يومًا ({ $date })
}
paper-valid-until = صالحة حتى { $date }
# { $used } و { $quota }: أحجام.
papers-space = المساحة المستعملة: { $used } من { $quota }.
papers-space-nearly-full = خزنتك ممتلئة تقريبًا ({ $percent } %). احذف الأوراق التي لم تعد تحتاجها.
papers-space-full = خزنتك ممتلئة. احذف أوراقًا لتضيف غيرها.

papers-error-quota = خزنتك ممتلئة جدًا لهذه الورقة. احذف أوراقًا لم تعد تحتاجها.
papers-error-too-large = هذه الورقة كبيرة جدًا. خذ صفحات أقل، أو صورًا بدل ملف PDF.
papers-error-storage-full = الخادم ممتلئ. لم يُحفظ شيء. أخبر جمعيتك.
papers-error-expired = استغرق الإرسال وقتًا طويلًا. ابدأ من جديد.
papers-error-not-found = هذه الورقة لم تعد موجودة.
# { $code }: رمز الخطأ، للجمعية.
papers-error-verify = لم نتمكن من التحقق من هذه الورقة. لا نفتحها. الرمز: { $code }

## الأوراق: إضافة ورقة

add-title = إضافة ورقة
add-1 = التقط صورة لكل صفحة من الورقة.
add-2 = أو اختر ملفًا: صورة أو ملف PDF.
add-camera = التقاط صورة
add-camera-next = التقاط الصفحة التالية
add-choose = اختيار ملف
add-preparing = نجهّز الصفحة…
add-pages-title = { $count ->
    [one] صفحة واحدة
    [two] صفحتان
   *[other] { $count } صفحات
}
# { $n }: رقم الصفحة.
add-page-name = الصفحة { $n }
add-page-alt = الصفحة { $n } كما ستُحفظ
add-page-pdf = ملف PDF
# { $count }: عدد صفحات ملف PDF.
add-page-pdf-pages = { $count ->
    [one] صفحة واحدة
    [two] صفحتان
   *[other] { $count } صفحات
}
add-page-pdf-alt = الصفحة الأولى من ملف PDF
add-page-pdf-counting = نعدّ الصفحات…
add-page-pdf-unreadable = لا يمكننا عرض ملف PDF هذا. يمكنك الاحتفاظ به رغم ذلك.
add-turn = تدوير
add-margin = قصّ الحواف
add-margin-0 = لا شيء
add-margin-1 = قليلًا
add-margin-2 = أكثر
add-margin-3 = كثيرًا
add-crop-hand = القص باليد
add-margin-custom = باليد
crop-help = حرّك الدوائر البيضاء لتُبقي الورقة فقط. بلوحة المفاتيح: الأسهم.
# { $name }: اسم الصفحة، مثلًا «الصفحة 2».
crop-photo-alt = { $name } كاملة، قبل القص
crop-edge-top = { $name }: الحافة العليا
crop-edge-right = { $name }: الحافة اليمنى
crop-edge-bottom = { $name }: الحافة السفلى
crop-edge-left = { $name }: الحافة اليسرى
# { $percent }: عدد من 0 إلى 100.
crop-edge-value = { $percent } %
crop-apply = قص
crop-reset = إبقاء كل شيء
crop-cancel = إلغاء
add-remove = إزالة هذه الصفحة
add-next = متابعة
add-cancel = إلغاء

# { $limit }: حجم.
paper-error-empty_file = هذا الملف فارغ. اختره مرة أخرى.
paper-error-unsupported_type = هذا الملف ليس صورة ولا ملف PDF. التقط صورة للورقة، أو اختر ملف PDF.
paper-error-heic_unsupported = التقط هاتفك صورة بصيغة HEIC. هذا المتصفح لا يستطيع قراءتها. في إعدادات الكاميرا، اختر «الأكثر توافقًا». أو خذ لقطة شاشة للصورة.
paper-error-file_damaged = هذا الملف تالف. اختره مرة أخرى، أو التقط صورة جديدة.
paper-error-pdf_too_large = ملف PDF هذا كبير جدًا (أكثر من { $limit }). التقط بدلًا منه صورة لكل صفحة.
paper-error-image_too_large = هذه الصورة كبيرة جدًا. اخفض دقة الكاميرا، أو خذ لقطة شاشة.
paper-error-processing_failed = لم نتمكن من تجهيز هذه الصفحة. أغلق تطبيقات أخرى، ثم حاول مرة أخرى.
paper-error-pdf-alone = ملف PDF يُحفظ وحده. احفظ هذه الصفحات أولًا، ثم أضف ملف PDF كورقة أخرى.

add-file-title = رتّب ورقتك
add-file-1 = { $count ->
    [one] ورقتك فيها صفحة واحدة. قل ما هي.
    [two] ورقتك فيها صفحتان. قل ما هي.
   *[other] ورقتك فيها { $count } صفحات. قل ما هي.
}
add-choose-one = اختر…
add-type = نوع الورقة
add-category = الفئة
add-title-field = اسم الورقة
add-title-hint = لتجدها بسهولة. مثلًا: وصل شهر مارس.
add-issued = تاريخ تسليمها (غير إلزامي)
add-expires = تاريخ نهاية الصلاحية (غير إلزامي)
add-expires-hint = انظر في الورقة.
add-expires-suggested = وضعنا التاريخ المعتاد لهذا النوع من الأوراق. تحقّق منه في الورقة.
add-missing-type = اختر نوع الورقة.
add-missing-category = اختر الفئة.
add-missing-title = أعطِ الورقة اسمًا.
add-missing-dates = نهاية الصلاحية قبل تاريخ التسليم. تحقّق من التواريخ.
add-send = حفظ الورقة
add-back = العودة إلى الصفحات

add-sending-title = إرسال ورقتك
add-sending-1 = تُشفَّر ورقتك على هذا الجهاز، ثم تُرسل. لا تغلق الصفحة.
add-progress-label = التقدّم
add-stage-sealing = التشفير على هذا الجهاز…
add-stage-sending = الإرسال…
add-stage-filing = الترتيب…
# { $percent }: رقم من 0 إلى 100.
add-sending-percent = الإرسال: { $percent } %
add-done-title = حُفظت ورقتك
add-done-1 = تمّ. ورقتك في خزنتك.
add-done-show = عرض هذه الورقة
add-done-list = عرض أوراقي

## الأوراق: عرض ورقة

show-title = ورقة
show-stage = الورقة
show-close = إغلاق
show-opening = نفتح الورقة ونتحقق منها…
# { $n }: رقم الصفحة؛ { $count }: عدد الصفحات؛ { $title }: اسم الورقة.
show-page-alt = الصفحة { $n } من { $count }: { $title }
show-count = الصفحة { $n } من { $count }
show-previous = الصفحة السابقة
show-next = الصفحة التالية
show-zoom-in = تكبير
show-zoom-out = تصغير
show-contrast = تباين قوي
show-pdf-drawing = جارٍ عرض الصفحة…
show-pdf-failed = لا يمكن عرض ملف PDF هذا هنا. نزّله لتفتحه.
pdf-frame-title = قارئ ملفات PDF
show-more = إجراءات أخرى
show-replace = استبدالها بنسخة أحدث
show-older-note = لهذه الورقة نسخة أحدث.
show-newer = عرض النسخة الأحدث
# { $title }: اسم الورقة المستبدلة.
add-replacing = هذه هي النسخة الجديدة من «{ $title }». تبقى النسخة القديمة في أوراقك. يمكنك حذفها لاحقًا.
add-replacing-gone = الورقة المراد استبدالها لم تعد موجودة. ستكون هذه ورقة جديدة.
show-download = تنزيل
show-download-shared = تنبيه: على حاسوب مشترك، يبقى الملف على الحاسوب. احذفه بعد ذلك.
show-delete = حذف هذه الورقة
show-delete-confirm-1 = هل تريد حقًا حذف هذه الورقة؟
show-delete-confirm-2 = ستُمحى إلى الأبد. لن يتمكن أحد من إيجادها.
show-delete-yes = نعم، احذفها
show-delete-no = لا، احتفظ بها
show-deleting = جارٍ الحذف…

## بدون شبكة (papers-offline.md)
offline-notice = لا توجد شبكة. الأوراق التي فتحتها من قبل تبقى ظاهرة.
offline-unavailable = غير متاح بدون شبكة
offline-not-kept = هذه الورقة غير متاحة بدون شبكة. ستُفتح عندما تعود الشبكة.
offline-no-changes = بدون شبكة، لا يمكنك إضافة ورقة أو استبدالها أو حذفها.
offline-unlock-1 = لا توجد شبكة. لفتح خزنتك، تحتاج إلى الشبكة.
offline-unlock-2 = هذا مقصود: الهاتف المسروق لا يستطيع فتح خزنتك.
## التوكيلات (docs/design/mandates-screens.md)

journal-mandate_granted = أُعطي توكيل
journal-mandate_revoked = أُوقف توكيل
home-mandates-title = التوكيلات
home-mandates-1 = التوكيل يسمح لشخص أو لجمعية بمساعدتك: رؤية أوراقك، أو إضافة أوراق.
home-mandates-give = أعطِ توكيلًا
home-mandates-list = توكيلاتي
home-mandates-code = رمزي
home-mandates-helped = الأشخاص الذين أساعدهم
journal-mandate_accessed = اطّلع شخص مساعد على أوراقك (توكيل)
journal-paper_deposited = أودع شخص مساعد ورقة (توكيل)
journal-mandate_renounced = أنهى الشخص المساعد التوكيل
journal-category_rotated = مفتاح جديد لفئة من الأوراق (بعد انتهاء توكيل)
journal-mandate_expired = انتهى توكيل: مرّ تاريخ نهايته
