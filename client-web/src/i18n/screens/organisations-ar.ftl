# The organisation screens (docs/design/organisations-screens.md).

## The admin: organisations
admin-orgs-title = المنظمات
admin-orgs-1 = هنا تنشئ منظمة: جمعية، مركز عمل اجتماعي، مركز إيواء…
admin-orgs-2 = ثم تعطي رابطًا لأول شخص مسؤول فيها. هو ينشئ المنظمة على جهازه.
admin-orgs-new-title = إنشاء منظمة
admin-orgs-name = اسم المنظمة
admin-orgs-name-hint = مثلًا: CHRS Les Tilleuls.
admin-orgs-name-empty = اكتب اسم المنظمة.
admin-orgs-hours = الرابط يعمل لمدة
admin-orgs-hours-24 = يوم واحد
admin-orgs-hours-72 = 3 أيام
admin-orgs-hours-168 = 7 أيام
admin-orgs-hours-720 = 30 يومًا
admin-orgs-create = إنشاء وصنع الرابط
admin-orgs-creating = ننشئ المنظمة…
admin-orgs-link-title = الرابط لـ { $name }
admin-orgs-link-1 = أعطِ هذا الرابط للشخص المسؤول، يدًا بيد. يعمل مرة واحدة فقط.
admin-orgs-link-2 = يعمل حتى { $date }.
admin-orgs-link-qr = الرمز المربع للرابط لـ { $name }
admin-orgs-copy = نسخ الرابط
admin-orgs-copied = تم نسخ الرابط.
admin-orgs-copy-failed = لم ينجح النسخ. حدّد الرابط وانسخه.
admin-orgs-list-title = منظمات هذه الخدمة
admin-orgs-none = لا توجد منظمة بعد.
admin-orgs-founded = أنشأها الشخص المسؤول.
admin-orgs-not-founded = لم تُنشأ بعد: لم يُستعمل الرابط.
admin-orgs-counts = { $members ->
    [0] لا عضو
    [one] عضو واحد
   *[other] { $members } أعضاء
  } · { $mandates ->
    [0] لا توكيل ساري
    [one] توكيل واحد ساري
   *[other] { $mandates } توكيلات سارية
  }
admin-orgs-privacy = ترى أرقامًا فقط. لا ترى الأوراق، ولا من يُساعَد.
admin-orgs-invite-title = حساب مهني
admin-orgs-invite-1 = يحتاج المساعد إلى حساب مهني. يُصنع هذا الرابط بأمر الخادم: coffre admin invite --role professional.

## Founding
found-title = إنشاء المنظمة
found-checking = نتحقق من الرابط…
found-bad-link = هذا الرابط غير كامل. اطلب رابطًا جديدًا.
found-expired = هذا الرابط لم يعد يعمل. استُعمل من قبل، أو هو قديم جدًا. اطلب رابطًا جديدًا.
found-name = ستنشئ « { $name } ».
found-1 = ستكون الشخص المسؤول. ستضيف المساعدين.
found-2 = يُصنع مفتاح المنظمة على هذا الجهاز. لا يستطيع الخادم صنعه مكانك.
found-locked-1 = افتح أولًا حسابك المهني.
found-locked-2 = ثم، في صفحة حسابك، اضغط « متابعة: إنشاء المنظمة ».
found-locked-open = فتح حسابي
found-not-pro = تحتاج إلى حساب مهني لإنشاء منظمة. اطلب رابط تسجيل.
found-start = إنشاء المنظمة
found-working = ننشئ المنظمة ومفتاحها…
found-done-title = تم إنشاء المنظمة
found-done-1 = تم إنشاء « { $name } ». أنت الشخص المسؤول عنها.
found-done-words = الكلمات الخمس للمنظمة. من يعطي المنظمة توكيلًا يرى الكلمات نفسها.
found-go = رؤية منظمتي

## My organisation
org-title = منظمتي
org-none = حسابك ليس في أي منظمة. يجب أن يضيفك شخص مسؤول.
org-loading = نتحقق من المنظمة…
org-role-responsable = أنت شخص مسؤول.
org-role-aidant = أنت مساعد.
org-words-title = الكلمات الخمس للمنظمة
org-words-1 = من يعطي المنظمة توكيلًا يقارن هذه الكلمات مع شاشته.
org-members-title = الأعضاء
org-members-1 = يُعرف كل شخص بكلماته الخمس.
org-member-responsable = مسؤول
org-member-aidant = مساعد
org-member-you = (أنت)
org-member-remove = إزالة هذا الشخص
org-remove-title = إزالة هذا الشخص؟
org-remove-1 = لن يستطيع أن يرى شيئًا بتوكيلات المنظمة. يعمل ذلك فورًا.
org-remove-2 = يُصنع مفتاح جديد للمنظمة. يتلقاه الأعضاء الآخرون.
org-remove-yes = نعم، إزالة
org-remove-no = لا، إبقاء
org-removing = نزيل الشخص ونغيّر المفتاح…
org-removed = تمت إزالة الشخص. تم تغيير المفتاح.
org-add-title = إضافة شخص
org-add-1 = يفتح الشخص « رمزي » على هاتفه. تمسح رمزه المربع، أو تكتب رمزه.
org-add-2 = ثم تقارنان الكلمات الخمس معًا، وجهًا لوجه.
org-add-start = إضافة شخص
org-add-compare = قارن الكلمات الخمس مع شاشة الشخص.
org-add-question = هل الكلمات نفسها على الشاشتين؟
org-add-yes = نعم، نفسها: إضافته
org-add-no = لا، مختلفة
org-add-different = الكلمات مختلفة. لا تُضف هذا الشخص. اطلب المساعدة.
org-adding = نضيف الشخص ونعطيه مفتاح المنظمة…
org-added = تمت إضافة الشخص. هو مؤهَّل.
# { $count }: how many people this opening gave the organisation's keys they lacked.
org-keys-given = { $count ->
    [one] تلقّى شخص واحد مفاتيح المنظمة.
    [two] تلقّى شخصان مفاتيح المنظمة.
    [few] تلقّى { $count } أشخاص مفاتيح المنظمة.
   *[other] تلقّى { $count } شخصًا مفاتيح المنظمة.
  }
org-add-cancel = إلغاء
org-key-title = مفتاح المنظمة
org-key-generation = المفتاح رقم { $generation }. يتغير عندما يغادر شخص.
org-key-none = ليس للمنظمة مفتاح بعد.
org-key-make = صنع المفتاح
org-key-making = نصنع مفتاح المنظمة…
org-key-made = تم صنع المفتاح رقم { $generation }.
org-mandates-title = توكيلات المنظمة
org-mandates-1 = ترى من أعطى توكيلًا ولأي مدة. لا ترى الأوراق.
org-mandates-none = لا يوجد توكيل بعد.
org-mandate-line = التوكيل رقم { $number }
org-mandate-scope = { $count ->
    [one] فئة واحدة
   *[other] { $count } فئات
  } · { $rights }
org-mandate-days = { $days ->
    [one] بقي يوم واحد
   *[other] بقي { $days } أيام
  }
org-helped = الأشخاص الذين أساعدهم
org-problem-not_founder = فقط الشخص الذي أنشأ المنظمة يستطيع صنع مفتاحها. اطلب منه.
org-problem-not_responsable = فقط شخص مسؤول يستطيع فعل هذا.
org-problem-own_proposal = أنت طلبت هذا التغيير. يجب أن يوقّعه مسؤول آخر.
org-problem-proposal_changed = هذا الطلب لم يعد يطابق قائمة الأعضاء. تم حذفه.
org-member-promote = تعيين مسؤولًا
org-member-demote = تعيين مساعدًا
org-promote-title = تعيين هذا الشخص مسؤولًا؟
org-promote-1 = سيستطيع إضافة أشخاص وإزالتهم، مثلك.
org-demote-title = هذا الشخص لن يبقى مسؤولًا؟
org-demote-1 = يبقى في المنظمة كمساعد.
org-role-yes = نعم، أوقّع
org-role-no = لا، رجوع
org-promoted = تم: هذا الشخص مسؤول.
org-demoted = تم: هذا الشخص مساعد.
org-proposed = تم التوقيع. يجب أن يوقّع مسؤول آخر أيضًا. سيراه في «للتوقيع».
org-sign-title = للتوقيع
org-sign-1 = يوجد مسؤولان أو أكثر. كل تغيير يحتاج إلى توقيعين.
org-sign-none = لا شيء للتوقيع.
org-sign-add = إضافة هذا الشخص (مساعد)
org-sign-remove = إزالة هذا الشخص
org-sign-promote = تعيين هذا الشخص مسؤولًا
org-sign-demote = تعيين هذا الشخص مساعدًا
org-sign-words = الكلمات الخمس للشخص:
org-sign-by = طلبه:
org-sign-check = وقّع فقط إذا كنت موافقًا.
org-sign-mine = أنت طلبت هذا التغيير. يجب أن يوقّع مسؤول آخر.
org-sign-remove-key = بعد التوقيع، يُصنع مفتاح جديد للمنظمة.
org-sign-remove-founder = بعد ذلك، يجب على من أنشأ المنظمة أن يصنع مفتاحًا جديدًا. هو وحده يستطيع.
org-sign-yes = توقيع
org-sign-refuse = رفض
org-sign-withdraw = إلغاء طلبي
org-signing = جارٍ التوقيع…
org-signed = تم التوقيع. تم التغيير.
org-signed-key = تم التوقيع. صُنع المفتاح رقم { $generation }.
org-signed-founder-key = تم التوقيع. يجب الآن على من أنشأ المنظمة أن يصنع مفتاحًا جديدًا.
org-refused = تم حذف الطلب.
org-news-title = ماذا حدث لطلباتك
org-news-signed = تم. وقّع مسؤول آخر على طلبك. كلماته:
org-news-dropped = لم يتم. طلبك لم يعد ينتظر التوقيع: رفضه مسؤول آخر، أو تغيّرت المنظمة قبل ذلك. يمكنك تقديمه من جديد.
org-key-stale = غادر شخص. المنظمة تحتاج إلى مفتاح جديد.
org-problem-already_member = هذا الشخص موجود في المنظمة من قبل.
org-problem-not_a_member = هذا الشخص لم يعد في المنظمة.
org-problem-not_a_person_code = هذا رمز منظمة. امسح رمز الشخص.
org-problem-not_professional = ليس لهذا الشخص حساب مهني. يحتاج إلى رابط تسجيل.
org-back = العودة إلى خزنتي

## The coffre home's entries (pages/OrganisationSection.tsx)
home-org-mine = منظمتي: { $name }
home-org-continue = متابعة: إنشاء المنظمة
home-org-admin = المنظمات
