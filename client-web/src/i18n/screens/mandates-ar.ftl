# شاشات التوكيلات (docs/design/mandates-screens.md) : chargés avec ces écrans.

mandate-back-home = العودة إلى خزنتي
mandate-attestation = تنزيل الشهادة (PDF)
# { $number }: رقم التوكيل.
mandate-number = التوكيل رقم { $number }
mandate-rights-consult = رؤية الأوراق
mandate-rights-deposit = إضافة أوراق
mandate-rights-consult_deposit = رؤية الأوراق وإضافة أوراق
mandate-state-upcoming = لم يبدأ بعد
mandate-state-in_force = ساري
mandate-state-expired = انتهى
mandate-state-revoked = أُوقف
mandate-state-renounced = أعاده الشخص
# { $rights }: ما يسمح به التوكيل.
mandate-scope = { $rights }:
# { $days }: عدد الأيام.
mandate-days-left = { $days ->
    [one] بقي يوم واحد.
    [two] بقي يومان.
    [few] بقيت { $days } أيام.
   *[other] بقي { $days } يومًا.
}
# { $from }، { $to }: تواريخ.
mandate-window = من { $from } إلى { $to }.
mandate-to-person = أُعطي لشخص. كلماته الخمس:
mandate-to-organisation = أُعطي لهيئة ولمساعديها. كلماتها الخمس:
mandate-category-unknown = فئة غير معروفة
# { $code }: رمز تقني، للشخص الذي يساعد.
mandate-refused = لا يمكن التحقق من هذا التوكيل. لا تثق به. (الرمز: { $code })
mandate-problem-organisation = تنبيه: غيّر شخص ليس له الحق قائمة أعضاء هذه المنظمة. لا تعطِ توكيلًا. اطلب المساعدة. (الرمز: { $code })
mandate-problem-verify = فشل التحقق. لا تكمل. اطلب المساعدة. (الرمز: { $code })
mandate-receipts-title = ما فُعل بهذا التوكيل
mandate-receipts-none = لا شيء حتى الآن.
mandate-receipts-gap = تنبيه: أثر ناقص. ربما أخفى الخادم دخولًا. (الرمز: { $code })
mandate-receipts-bad = تنبيه: لا يمكن التحقق من آثار هذا التوكيل. (الرمز: { $code })
# { $what }: اسم ورقة أو فئة.
mandate-receipt-unwrap_key = استلم مفتاح «{ $what }»
mandate-receipt-list = رأى قائمة أوراق «{ $what }»
mandate-receipt-download = فتح الورقة «{ $what }»
mandate-receipt-other = قام بعمل على «{ $what }»
mandate-receipt-a-paper = ورقة
mandate-revoke = أوقف هذا التوكيل
mandate-renew = جدّد هذا التوكيل
mandate-revoking = نوقف التوكيل…
# إعطاء اسم الشخص أو تغييره بعد التوكيل (NameForm.tsx).
mandate-name-give = أعطِ اسمًا
mandate-name-change = غيّر الاسم
mandate-name-hint = 60 حرفًا على الأكثر. الخادم لا يرى هذا الاسم. نص التوكيل الموقَّع لا يتغيّر.
mandate-name-save = احفظ الاسم
mandate-name-cancel = إلغاء
mandate-name-saving = نحفظ الاسم…
# { $name }: الاسم المكتوب.
mandate-name-saved = حُفظ الاسم: «{ $name }».
mandate-name-empty = اكتب اسمًا.
mandate-name-bad = في هذا الاسم رمز لا يصلح. اكتبه بطريقة أخرى.
mandates-title = توكيلاتي
mandates-stopped-again = كنت قد أوقفت هذه التفويضات، لكن الخادم نسي ذلك (استرجاع من نسخة احتياطية). أوقفناها من جديد: رقم { $numbers }.
mandates-1 = هذه التوكيلات التي أعطيتها. ترى من فعل ماذا.
mandates-loading = نتحقق من توكيلاتك…
mandates-none = لم تعطِ أي توكيل.
# « Mes mandats » مقارنة بالسجل (docs/design/mandates-screens.md).
mandates-list-missing = { $count ->
    [one] تنبيه: توكيل أعطيته ليس في هذه القائمة. ربما أخفاه المستضيف. سجلك يُظهره.
   *[other] تنبيه: { $count } توكيلات أعطيتها ليست في هذه القائمة. ربما أخفاها المستضيف. سجلك يُظهرها.
}
mandates-list-unchecked = لم نستطع مقارنة هذه القائمة بسجلك. انظر إلى سجل خزنتك.
mandate-list-not_as_signed = تنبيه: يُظهر الخادم تواريخ أو حقوقًا غير التي في التوكيل الذي وقّعته. هنا ترى ما في التوكيل الموقَّع.
mandate-list-end_hidden = تنبيه: سجلك يقول إن هذا التوكيل أُوقف. الخادم يُظهره كأنه ما زال ساريًا.
mandate-list-end_unproven = تنبيه: يقول الخادم إن هذا التوكيل انتهى. لكنه لا يُظهر الدليل. ربما ما زال التوكيل ساريًا.
# { $state }: ما يقوله الخادم.
mandate-list-state_not_window = تنبيه: يقول الخادم «{ $state }». تواريخ التوكيل الذي وقّعته تقول شيئًا آخر.
revoked-title = التوكيل موقوف
# { $number }: رقم التوكيل.
revoked-1 = التوكيل رقم { $number } موقوف.
revoked-2 = لم يعد الشخص يستطيع رؤية أوراقك بهذا التوكيل.
revoked-3 = لم يعد يستطيع إضافة أي شيء بهذا التوكيل.
revoked-copied = ما رآه الشخص من قبل ربما نُسخ.
revoked-rotating = نحن نغيّر مفتاح أوراقك…
revoked-rotated-1 = غيّرنا مفتاح أوراقك.
revoked-rotated-2 = أوراقك الجديدة محمية بهذا المفتاح الجديد. الشخص لا يملكه.
revoked-rotation-later = لم يتغيّر مفتاح أوراقك بعد. سنفعل ذلك في المرة القادمة التي تفتح فيها خزنتك.
revoked-back = عرض توكيلاتي
mycode-title = رمزي
mycode-1 = شخص يريد أن يعطيك توكيلًا؟ أرِه هذه الشاشة.
mycode-2 = يمسح الرمز المربع. ثم تقارنان الكلمات الخمس بصوت عالٍ.
mycode-words-title = كلماتك الخمس
mycode-words-1 = هذه الكلمات آتية من مفاتيحك. يجب أن تكون نفسها على الشاشتين.
mycode-qr-title = الرمز المربع
mycode-qr-1 = يمسحه الشخص بهاتفه أو بحاسوبه.
mycode-qr-label = الرمز المربع لاستلام توكيل
mycode-org-title = رمز « { $name } »
mycode-org-1 = هل يريد شخص أن يعطي توكيلًا لمنظمتك؟ أظهر هذا الرمز. سيستطيع كل الأعضاء مساعدته.
mycode-org-qr-label = الرمز المربع لـ { $name }
mycode-org-typed-1 = الرمز للكتابة. مع هذا الرمز، قارن الكلمات الخمس جيدًا:
mycode-typed-title = الرمز المكتوب
mycode-typed-1 = جهازه بلا كاميرا؟ يمكنه كتابة هذا الرمز.
give-title = أعطِ توكيلًا
give-cancel = إلغاء
give-read-title = اقرأ رمز الشخص الآخر
give-read-1 = يفتح الشخص الآخر «رمزي» في خزنته.
give-read-2 = امسح رمزه المربع. أو اكتب الرمز المكتوب تحته.
give-read-camera = المسح بالكاميرا
give-read-type = كتابة الرمز
give-not-code = هذا الرمز المربع ليس رمزًا لاستلام توكيل.
give-camera-failed = الكاميرا لا تعمل. اكتب الرمز.
give-typed-label = الرمز المكتوب
give-typed-hint = هو على شاشة الشخص الآخر. المسافات لا تهم.
give-typed-submit = تأكيد الرمز
give-typed-empty = اكتب الرمز.
give-typed-wrong = هذا الرمز غير صحيح. تحقق من كل حرف.
give-resolving = نتحقق من هويته…
give-compare-title = قارن الكلمات الخمس
# { $name }: اسم الهيئة، كما يعطيه الخادم.
give-compare-organisation = اسم الهيئة «{ $name }».
give-renewal-1 = أنت تجدّد التوكيل رقم { $number }. يبدأ التوكيل الجديد اليوم.
give-renewal-2 = إنه نفس الشخص الذي أعطيته ذلك التوكيل. تحقّقتَ من كلماته الخمس في ذلك اليوم:
give-compare-1 = اقرأ هذه الكلمات بصوت عالٍ. الشخص الآخر ينظر إلى شاشته.
give-compare-2 = يجب أن تكون الكلمات نفسها على الشاشتين.
give-compare-typed = كتبت الرمز: هذه الكلمات هي التحقق الوحيد. قارنها جيدًا.
give-compare-question = هل الكلمات نفسها على الشاشتين؟
give-compare-yes = نعم، نفسها
give-compare-no = لا، مختلفة
give-different-1 = لا تعطِ توكيلًا.
give-different-2 = ربما ليس الشخص الصحيح. أعد من البداية، أو اطلب المساعدة.
give-again = أعد من البداية
give-loading = نفتح فئاتك…
give-scope-title = ما يسمح به التوكيل
give-name-label = اسم الشخص أو الهيئة (لك)
give-name-hint = يبقى على جهازك وفي نص التوكيل. الخادم لا يراه.
give-categories-legend = لأي فئات؟
give-rights-legend = لفعل ماذا؟
give-duration-legend = لأي مدة؟
give-duration-day = يوم واحد
give-duration-month = شهر واحد
give-duration-six_months = ستة أشهر
give-duration-year = سنة واحدة
give-duration-date = حتى تاريخ
give-end-label = تاريخ النهاية (في أقل من سنة)
give-error-categories = اختر فئة واحدة على الأقل.
give-error-date = اختر تاريخًا بعد اليوم، في أقل من سنة.
give-scope-next = اقرأ التوكيل
give-review-title = نص التوكيل
give-review-1 = اقرأ النص (بالفرنسية، النص المعتمد). إذا وافقت، وقّع.
# { $version }: إصدار النص.
give-review-version = إصدار النص: { $version }
give-sign = وقّع وأعطِ التوكيل
give-change = غيّر
give-signing = نوقّع التوكيل ونرسله…
give-done-title = أُعطي التوكيل
give-done-1 = تم. إنه التوكيل رقم { $number }.
# { $rights }: ما يسمح به التوكيل؛ { $count }: عدد الفئات.
give-done-scope = { $rights }: { $count ->
    [one] فئة واحدة.
    [two] فئتان.
   *[other] { $count } فئات.
}
# { $date }: تاريخ النهاية.
give-done-until = حتى { $date }.
give-done-2 = احتفظ بالشهادة. يمكن للشخص الآخر أن ينزّلها أيضًا.
give-done-list = عرض توكيلاتي
people-title = الأشخاص الذين أساعدهم
people-1 = هؤلاء الأشخاص أعطوك توكيلًا.
people-2 = في كل مرة تفتح فيها ورقة، يرى الشخص ذلك في خزنته.
people-loading = نتحقق من التوكيلات…
people-none = لا أحد أعطاك توكيلًا الآن.
# { $count }: عدد التوكيلات.
people-refused = { $count ->
    [one] لا يمكن التحقق من توكيل واحد. لا نعرضه.
   *[other] لا يمكن التحقق من { $count } توكيلات. لا نعرضها.
}
people-unnamed = شخص
people-words = كلماته الخمس (قارنها مع كلمات الشخص):
people-note-label = ملاحظتك عن هذا الشخص
people-note-hint = تبقى على هذا الجهاز. الخادم لا يراها.
people-note-save = احفظ الملاحظة
people-deposit-only = هذا التوكيل يسمح فقط بإضافة أوراق.
# { $n }: رقم الفئة؛ { $count }: عدد الفئات.
people-demarche = الفئة { $n } من { $count }
# { $n }: رقم الفئة.
people-open = افتح الفئة { $n }
people-opening = نفتح الفئة…
people-no-papers = لا توجد ورقة في هذه الفئة.
# { $count }: عدد الأوراق.
people-papers-refused = { $count ->
    [one] لا يمكن التحقق من ورقة واحدة. لا نعرضها.
   *[other] لا يمكن التحقق من { $count } أوراق. لا نعرضها.
}
# { $title }: اسم الورقة.
people-see = عرض «{ $title }»
people-renounce = أعِد هذا التوكيل
people-renounce-confirm = لن تستطيع بعد الآن مساعدة هذا الشخص بهذا التوكيل. هل تكمل؟
people-renounce-yes = نعم، أعِد التوكيل
people-renounce-no = لا

# سجلّ الخزنة: ما فعله الأشخاص المساعدون.
# { $number }: رقم التوكيل.
journal-grantee-mandate_accessed = اطّلع شخص مساعد على أوراقك — التوكيل رقم { $number }
journal-grantee-paper_deposited = أودع شخص مساعد ورقة — التوكيل رقم { $number }
journal-grantee-mandate_renounced = أنهى الشخص المساعد التوكيل رقم { $number }
# { $what }: سطر السجلّ.
journal-grantee-no-proof = { $what } — تنبيه: لا يوجد دليل
journal-proof-missing = تنبيه: يُظهر السجلّ عملًا لشخص مساعد بلا دليل. ربّما اخترع المستضيف هذا السطر. أخبر الجمعية التي تستضيف Coffre.
journal-entry-missing = تنبيه: عمل لشخص مساعد غير موجود في السجلّ. ربّما أخفاه المستضيف. انظر « توكيلاتي » وأخبر الجمعية التي تستضيف Coffre.
journal-acts-unchecked = لم نتمكّن من التحقّق ممّا فعله الأشخاص المساعدون. حاول لاحقًا.
# السجل مصفّى حسب الشخص والورقة (docs/design/mandates-screens.md).
journal-filter-person = عرض أسطر شخص مساعد
journal-filter-everyone = كل الأشخاص
journal-filter-mandate = التوكيل رقم { $number }
journal-filter-paper = عرض أسطر ورقة
journal-filter-all-papers = كل الأوراق
journal-filter-none = لا يوجد سطر يوافق هذا الاختيار.
journal-filter-searching = أبحث في كل السجل…

# السجل بكلمات بسيطة: من، ماذا، أي توكيل.
journal-by-someone = شخص مساعد
journal-by-organisation = شخص مساعد من « { $organisation } »
journal-to-organisation = « { $organisation } »
journal-to-organisation-named = « { $organisation } » ({ $name })
journal-mandate = التوكيل رقم { $number }
journal-mandate-named = التوكيل رقم { $number } ({ $name })
journal-act-download = { $who } فتح الورقة «{ $what }» — { $mandate }
journal-act-list = { $who } رأى قائمة أوراق «{ $what }» — { $mandate }
journal-act-unwrap_key = { $who } تلقّى مفتاح «{ $what }» — { $mandate }
journal-act-other = { $who } قام بعمل على «{ $what }» — { $mandate }
journal-act-deposited = { $who } أودع الورقة «{ $what }» — { $mandate }
journal-paper-added = أُضيفت الورقة «{ $what }»
journal-paper-replaced = نسخة جديدة من الورقة «{ $what }»
journal-act-renounced = { $who } أوقف { $mandate }
journal-granted = أُعطي التوكيل رقم { $number }
journal-granted-to = أُعطي التوكيل رقم { $number } إلى { $to }
journal-granted-renews = { $line }. وهو يجدّد التوكيل رقم { $old }
journal-revoked = أوقفتَ التوكيل رقم { $number }
journal-revoked-to = أوقفتَ التوكيل رقم { $number } ({ $to })
journal-expired = انتهى التوكيل رقم { $number }: مرّ تاريخ نهايته
journal-expired-to = انتهى التوكيل رقم { $number } ({ $to }): مرّ تاريخ نهايته

# على ورقة أودعها شخص مساعد. { $number }: رقم التوكيل.
paper-deposited-by = أودعها شخص مساعد — التوكيل رقم { $number }
paper-deposited-by-organisation = أودعها شخص مساعد من « { $name } » — التوكيل رقم { $number }
paper-deposited-unknown = أودعها شخص مساعد

# إيداع ورقة في خزنة شخص تساعده (توكيل إيداع).
people-deposit = أودِع ورقة لهذا الشخص
# { $number }: رقم التوكيل.
deposit-note = أنت تودِع ورقة في خزنة شخص آخر، بالتوكيل رقم { $number }. سيراها في أوراقه.
# { $number }: رقم الإيصال.
deposit-done = تمّ الإيداع. الإيصال رقم { $number }
deposit-done-2 = الورقة في خزنة الشخص. سجلّه يُظهرها.
deposit-back = العودة إلى الأشخاص الذين أساعدهم

people-papers-deposited = { $count ->
    [one] أُودعت ورقة بتوكيل آخر. هذا التوكيل لا يسمح بفتحها.
   *[other] أُودعت { $count } أوراق بتوكيل آخر. هذا التوكيل لا يسمح بفتحها.
}
