# Coffre — English interface.
# Style: plain language. Short sentences, one idea per line, no jargon (or explain it).
# Every file (fr, en, ar) has exactly the same ids and attributes.

-brand = Coffre

## Page frame

# Browser tab title: { $page } is the title of the page shown.
page-title = { $page } — { -brand }
skip-link = Skip to content
brand-home = { -brand }
brand-tagline = The digital safe for your papers
language-switcher =
    .aria-label = Choose the language
main-nav =
    .aria-label = Main menu
nav-home = Home
nav-help = Help
nav-about = About
footer-text = Your papers are locked on your device. The association cannot read them.
footer-free-software = { -brand } is free software.
footer-privacy-link = Privacy

## Home: “Welcome, before you start”

welcome-title = Welcome to { -brand }
welcome-lead = Before you start, please read these few lines.

welcome-what-title = What is { -brand }?
welcome-what-1 = { -brand } is a digital safe.
welcome-what-2 = You keep a photo of your important papers in it. For example:
welcome-what-example-1 = your identity card or your passport,
welcome-what-example-2 = your residence permit or your receipt (récépissé),
welcome-what-example-3 = your CAF certificates (family benefits),
welcome-what-example-4 = your Vitale card (health), your address certificate (domiciliation).
welcome-what-3 = If you lose your papers, or if they are stolen, you find them here.
welcome-what-4 = You open your safe with your phone, or with a computer at an association.

welcome-lock-title = Your papers are locked
welcome-lock-1 = Your papers are locked on your phone or your computer, before they go on the Internet.
welcome-lock-2 = We say they are “encrypted”.
welcome-lock-3 = Only your keys can open them.

welcome-host-title = What the association sees, and what it does not see
welcome-host-intro = This website is run by an association. It keeps your safe on its computer (we say it “hosts” { -brand }).
welcome-host-can-title = The association can see:
welcome-host-can-1 = that you have a { -brand } account;
welcome-host-can-2 = how many papers you have, and their size;
welcome-host-can-3 = when you connect, and from which Internet connection (the IP address).
welcome-host-cannot-title = The association cannot see:
welcome-host-cannot-1 = your papers;
welcome-host-cannot-2 = the names of your papers;
welcome-host-cannot-3 = the kind of paper (for example: identity card or CAF certificate).

welcome-limits-title = Be careful
welcome-limits-keys-1 = You have keys to open your safe: your { -brand } card (a paper card) with its code, and six backup words written on paper.
welcome-limits-keys-2 = If you lose all your keys, nobody can open your safe. Not even the association.
welcome-limits-keys-3 = Keep at least two keys, in two different places.
welcome-limits-code-1 = The { -brand } program comes to your phone from this website.
welcome-limits-code-2 = So you must trust the association that runs this website.

welcome-start-title = Get started
welcome-create = Open my safe
welcome-unlock = I already have a safe
welcome-preview-note = This website is being built. You cannot store your papers here yet.

## Accounts: shared parts

nav-coffre = My safe
header-lock = Close
device-shared-label = I am on a shared computer
device-shared-hint = For example, a computer at an association or a library. Your safe will close after 5 minutes without activity.
pin-label = Your code (4 to 8 digits)
pin-again-label = Type the same code once more
pin-error-format = The code must have 4 to 8 digits. Only digits.
pin-error-different = The two codes are not the same. Type them again.
error-network = The website does not answer. Check your Internet connection, then try again.
error-server = Something went wrong. Try again later.
error-signed-out = You are no longer signed in. Open your safe again.
# { $minutes }: number of minutes to wait.
error-too-many =
    There were too many tries. Wait { $minutes ->
        [one] one minute
       *[other] { $minutes } minutes
    }, then try again.

## Reading a Coffre card

reader-camera = Scan with the camera
reader-photo = Take a photo of the card
reader-photo-reading = We are reading the photo…
reader-photo-none = We cannot find the square code on the photo. Try again, with more light.
reader-type = Type the card’s code
reader-camera-looking = Hold the card’s square code in front of the camera.
reader-camera-video = Camera picture
reader-camera-failed = The camera does not open. Take a photo of the card, or type its code.
reader-not-carte = This square code is not a { -brand } card.
reader-other-way = Choose another way
reader-typed-label = The card’s code
reader-typed-hint = It is written next to the square code, in groups of 4 signs. Spaces and capital letters do not matter.
reader-typed-submit = Check the code
reader-typed-empty = Type the card’s code.
# { $count }: signs typed; { $expected }: signs expected (58).
reader-typed-length = The code has { $expected } signs. You typed { $count }.
reader-typed-checksum = There is a mistake in what you typed. Check each group.

## The Coffre card

carte-heading = { -brand } card
# { $name }: the first name or nickname chosen.
carte-name = Card of { $name }
# { $site }: the website’s address.
carte-site = Website: { $site }
carte-qr-label = The square code of your card
carte-typed-label = The card’s code:
carte-secret = Secret. Do not show this card to anyone.
carte-pin-note = Your code (4 to 8 digits) is not written on this card.

## Opening a safe

create-name-title = What should we call you?
create-name-1 = You can write your first name, or a nickname. You do not have to.
create-name-2 = It will be written on your { -brand } card. So you will know it is yours.
create-name-3 = It stays on this device. It is not sent to the association.
create-name-label = First name or nickname (optional)
create-next = Continue
create-back = Back
create-pin-title = Choose your code
create-pin-1 = Your code has 4 to 8 digits. You choose it.
create-pin-2 = With your { -brand } card, this code opens your safe.
create-pin-3 = The code is not the card. It is not written on the card. Do not write it there.
create-pin-4 = Do not give your code to anyone.
create-pin-submit = Make my card
create-making-title = We are preparing your safe
create-making-1 = This takes a few seconds.
create-sending-title = We are opening your safe
create-retry = Try again
create-carte-title = Your { -brand } card
create-carte-1 = Keep this card.
create-carte-2 = With your code, it opens your safe.
create-carte-3 = Do not show it to anyone.
create-carte-print-help = Print the card. Without a printer, copy the card’s code on a piece of paper.
create-carte-no-file = Do not save the card in a file on this computer.
create-print = Print the card
create-carte-next = I have my card. Continue
create-scan-title = Let’s check your card
create-scan-1 = Show your card to the device, or type its code. This way, we know your card works.
create-scan-2 = Your safe is made only after this step.
create-scan-mismatch = This is not the card we just made. Use the new card.
create-scan-back = See the card again

## Opening your safe (signing in)

unlock-title = I already have a safe
unlock-intro = How do you want to open your safe?
unlock-with-carte = With my card
unlock-with-words = With my six words
unlock-create = I do not have a safe yet
unlock-with-device = With my code, on this phone
unlock-device-1 = This phone remembers your coffre. Type your 4 to 8 digit code.
unlock-device-forgotten = This phone no longer remembers your coffre. Use your carte, your six words or your passkey.
unlock-error-pin = The code is not right.
unlock-with-passkey = With my passkey
unlock-passkey-hint = The passkey is in your phone. You open it with your finger, your face or the phone's code.
unlock-passkey-cancelled = The passkey did not answer. Try again, or use your carte.
unlock-passkey-unknown = This passkey does not open a coffre on this site.
unlock-passkey-only-title = One more step
unlock-passkey-only-1 = Your passkey signed you in.
unlock-passkey-only-2 = On this device it cannot open the coffre. Use your carte or your six words.
unlock-locked = Your safe is closed.
unlock-locked-idle = Your safe closed, because nobody was using it.
unlock-signed-out = You are signed out.
unlock-expired = Your connection has ended. Open your safe again.
unlock-back = Back
unlock-carte-title = Show your card
unlock-carte-1 = Scan your { -brand } card, or type its code.
unlock-pin-title = Type your code
unlock-pin-1 = It is the code of 4 to 8 digits that you chose.
unlock-open = Open my safe
unlock-words-title = Type your six words
unlock-words-label = Your six words
unlock-words-hint = Put a space between the words. Capital letters do not matter.
unlock-words-error = These words are not the right ones. Check each word.
unlock-working-title = We are opening your safe
unlock-working = This takes a few seconds.
unlock-working-words = This can take a few seconds.
unlock-error-carte = The card or the code is not right.
unlock-error-words = These six words do not open a safe on this website.
unlock-error-open = Your safe does not open on this device. Ask an association for help.
unlock-carte-locked-title = Your card is blocked
unlock-error-locked-1 = The code was wrong too many times. To protect you, the card is blocked.
unlock-error-locked-2 = You can open your safe with your six words, if you have them.
unlock-error-locked-3 = Otherwise, ask the association that helps you.
unlock-help = Read the help

## My safe

home-title = Your safe is open
home-open-1 = Only you can see what is inside.
home-locked-title = Your safe is closed
home-locked-1 = To open it, you need your card and your code, or your six words.
home-locked-open = Open my safe
home-papers-title = My papers
home-papers-1 = Keep your papers here: identity card, residence permit, certificates… They are encrypted on this device before they are sent.
home-papers-all = See all my papers
home-papers-categories = The kinds of papers
home-words-title = Six rescue words
home-words-1 = If you lose your card, six words can also open your safe.
home-words-2 = We choose the words at random. You write them on a piece of paper.
home-words-3 = If you already had six words, the old ones will stop working.
home-words-add = Add six rescue words
home-words-list = Your six words
home-words-show-1 = Here are your six words. Write them on a piece of paper, in this order.
home-words-show-2 = They will never be shown again.
home-words-show-3 = Hide this paper. Do not keep it with your card.
home-words-confirm = I wrote the six words on a piece of paper.
home-words-confirm-error = Tick the box when you have written the six words.
home-words-save = Save the six words
home-words-cancel = Cancel
home-words-saving = We are saving your six words. This can take a few seconds.
home-words-done = Your six words are saved. They now open your safe.
home-devices-title = Signed-in devices
home-devices-1 = Your safe is open on these devices. You can sign them out.
home-devices-loading = Loading…
home-device-this = This device
home-device-factor-carte = Opened with the card
home-device-factor-passphrase = Opened with the six words
home-device-factor-passkey = Opened with a passkey
home-device-factor-device = Opened with a remembered phone and the code
home-device-factor-other = Opened with another key
home-device-shared = Shared computer
# { $date }: date and time.
home-device-since = Signed in since { $date }
home-device-seen = Last activity: { $date }
home-device-signout = Sign out
home-devices-signout-all = Sign out all devices
home-devices-signout-all-hint = This device too. It helps if you forgot to sign out somewhere else.
home-close-title = Close
home-close-1 = “Close my safe”: it closes on this device. To open it again, you need your card or your six words.
home-close-2 = “Sign me out”: this device also forgets your connection. It is best on a shared computer.
home-lock = Close my safe
home-signout = Sign me out

## About and privacy

about-title = About and privacy
about-what-title = { -brand }
about-what-1 = { -brand } is free software: anyone can read and check its program.
about-what-2 = Associations install it for the people they support.

about-e2e-title = End-to-end encrypted
about-e2e-1 = Your papers are locked on your device, before they go on the Internet.
about-e2e-2 = They are only opened on your device, or on the device of someone you give permission to.
about-e2e-3 = On the way and at the association, they stay locked. We say they are “end-to-end encrypted”.

about-host-title = What the association sees

about-device-title = What this website keeps on your device
about-device-1 = Your choice of language. That is all, for now.
about-device-2 = No advertising. No tracker. Nothing is loaded from another website.

about-limits-title = The limits
about-limits-1 = If you lose all your keys, nobody can open your safe.
about-limits-2 = The { -brand } program comes from this website. If someone changed this website, they could change this program.
about-limits-3 = A paper you have shown may have been copied.

## Page not found

not-found-title = Page not found
not-found-1 = This page does not exist.
not-found-back = Back to home

## Coffre journal (page "Your coffre is open")

home-journal-title = Your coffre's journal
home-journal-1 = Here you see what happened with your coffre. The newest is at the top.
home-journal-loading = Checking the journal…
home-journal-unavailable = The journal cannot be read right now. Try again later.
home-journal-verified = The journal is checked. Nobody has changed it.
home-journal-list = What happened
home-journal-broken-1 = Warning: the journal does not check out.
home-journal-broken-2 = Lines may have been removed, changed or replaced by old ones. Tell the association that hosts Coffre.
home-journal-broken-code = Error code: { $code }
journal-coffre_created = Coffre opened
journal-sign_in = { $factor ->
    [carte] Signed in with the carte
    [passphrase] Signed in with the six words
    [passkey] Signed in with the passkey
    [device] Signed in with a remembered phone
   *[none] Signed in
}
journal-sign_in_failed = Failed sign-in: wrong code
journal-carte_locked = Carte locked: too many wrong codes
journal-restored = Coffre restored from a backup of { $date }
journal-restored-undated = Coffre restored from a backup
journal-key_added = { $factor ->
    [passphrase] Six backup words added
    [passkey] Passkey added
    [device] Phone remembered
   *[none] Key added
}
journal-key_removed = { $factor ->
    [passkey] Passkey removed
    [device] Phone forgotten
   *[none] Key removed
}
journal-other = Other event
journal-paper_added = Paper added
journal-paper_deleted = Paper deleted

## Carte lost, stolen or photographed

home-lost-title = Carte lost, stolen or photographed?
home-lost-1 = Make a new carte right away.
home-lost-2 = The old carte will no longer open your coffre. Your six words change too.
home-lost-start = Make a new carte
home-lost-done = Your new carte is ready. The old carte and the old six words no longer work.
newcarte-title = Make a new carte
newcarte-1 = We make a new carte and a new code.
newcarte-2 = After that, the old carte opens nothing.
newcarte-3 = Your old six words no longer work either. We give you six new words.
newcarte-4 = Your other devices are signed out. Your passkeys are removed: you can add a new one.
newcarte-start = Start
newcarte-cancel = Cancel
newcarte-words-title = Your six new words
newcarte-words-1 = Write these six words on paper, in this order. They will never be shown again.
newcarte-words-2 = Hide this paper. Do not keep it with your carte.
newcarte-finish = Finish
newcarte-sending-title = We are changing your keys
journal-carte_revoked = Old carte revoked, new carte made
home-journal-since = Here is what happened since your last visit on this device.
home-journal-all = See the whole journal
home-journal-vouched = On this device, we checked the signatures since { $date }. One of your devices had already checked the ones before.
home-journal-newest = Here are the { $count } newest lines. The older ones are checked too.

## Passkey

home-passkey-title = Passkey
home-passkey-1 = With a passkey, your phone opens your coffre. You use your finger, your face or the phone's code.
home-passkey-2 = Keep your carte anyway: if you lose the phone, the carte opens the coffre.
home-passkey-add = Add a passkey on this device
home-passkey-adding = Your device asks for your finger, your face or its code.
home-passkey-added = Done. Next time, open your coffre with your passkey.
home-passkey-added-signin-only = This passkey signs you in, but it cannot open the coffre on this device. Keep your carte.
home-passkey-cancelled = Nothing was added. You can try again.
home-passkey-already = This device already has a passkey for your coffre.
home-passkey-unlocks = Signs in and opens the coffre
home-passkey-signin-only = Signs in only: the carte opens the coffre
home-passkey-since = Added on { $date }
home-passkey-remove = Remove
home-passkey-shared = On a shared computer, no passkey is added.
home-passkey-unavailable = This browser cannot make passkeys.

## Professional accounts (invitation)

invite-title = Invitation
invite-checking = We are checking the link.
invite-bad-link = This link is not complete. Copy the whole link, or ask for a new one.
invite-expired = This link no longer works. It was used already, or it is too old.
invite-ask-new = Ask the person who runs { -brand } in your association for a new link.
invite-home = Go to the home page
invite-pro-title = Your professional account
invite-pro-1 = This account is for your work as an aidant or a responsable.
invite-pro-2 = It has its own keys. Later, the people you help can give you a mandate.
invite-pro-3 = This account does not see other people's coffres. It sees only what a mandate allows.
invite-admin-title = The admin's account
invite-admin-1 = This account runs your association's { -brand } site.
invite-admin-2 = It sees no paper, no category name and no coffre.
invite-same-steps = You will go through the same steps as for a coffre: a code, then a carte.
invite-start = Start
home-fingerprint-title = Your fingerprint
home-role-professional = Professional account
home-role-admin = Admin account
home-fingerprint-1 = These five words say who you are. They come from your keys.
home-fingerprint-2 = Before giving you a mandate, a person compares these words, or scans this square code.
home-fingerprint-qr = The square code of your fingerprint

## This phone (remember this phone)

home-phone-title = This phone
home-phone-1 = On your own phone, { -brand } can remember your coffre. Then your code is enough to open it here.
home-phone-2 = Never do this on a borrowed phone or a shared computer.
home-phone-3 = If the phone is stolen, say so from another device: it will no longer open anything.
home-phone-remember = Remember this phone
home-phone-working = One moment…
home-phone-done = Done. On this phone, your code is now enough.
home-phone-remembered = This phone remembers your coffre. Your code is enough to open it.
home-phone-forget = Forget this phone
home-phone-forgotten = This phone has forgotten your coffre.
home-phone-this-phone = This phone
home-phone-shared = On a shared computer, { -brand } remembers nothing.
home-phone-others = These phones also remember your coffre:
home-phone-since = Since { $date }
home-phone-stolen = This phone was stolen
home-phone-stolen-done = This phone no longer opens your coffre.
home-remembered-keys = You opened the coffre with this phone and your code. To change your keys, open it with your carte, your six words or your passkey.

## Carte en PDF

carte-pdf-download = Download the card (PDF)
carte-pdf-hint = The file is for your own phone. Do not send it to anyone.
carte-pdf-error = The file could not be made. Print the card, or copy its code.

## Papers: categories and types

category-identity = Identity and civil status
category-residence = Residence
category-health = Health
category-income = Income and benefits
category-housing = Housing and postal address
category-work = Work and training
category-tax-bank = Taxes and bank
category-justice = Justice
category-family = Family and school
category-other = Other

doctype-cni = Identity card (CNI)
doctype-passeport = Passport
doctype-titre_sejour = Residence permit
doctype-recepisse = Récépissé (receipt)
doctype-domiciliation = Postal address certificate (domiciliation)
doctype-carte_vitale = Carte Vitale (health card)
doctype-css_ame = CSS or AME certificate
doctype-attestation_caf = CAF certificate
doctype-avis_imposition = Tax notice
doctype-rib = Bank details (RIB)
doctype-autre = Other paper

# { $size }: a number, already written (for example "1.5").
size-mb = { $size } MB

## Papers: the list

papers-title = My papers
papers-add = Add a paper
papers-loading = We are opening your papers…
papers-deleted = The paper is deleted.
# { $count }: how many older versions a paper has.
papers-older = { $count ->
    [one] 1 older version
   *[other] { $count } older versions
}
# { $date }: a date, for example "2 March 2027".
papers-older-added = Added on { $date }
papers-none = You have no paper yet. Choose “Add a paper”.
papers-broken-1 = Warning: the list of your papers is not the right one.
papers-broken-2 = A paper is missing, or was changed without you. Tell your association.
# { $count }: number of papers.
papers-refused = { $count ->
    [one] One paper could not be checked. We do not show it.
   *[other] { $count } papers could not be checked. We do not show them.
}
# A category's list does not match what this phone knows, or the journal names a paper
# the server does not show.
papers-warning-1 = Warning: the server may not show all your papers.
papers-warning-2 = We checked each paper shown here. Tell your association.
# { $count }: number of papers.
papers-warning-missing = { $count ->
    [one] One paper from your journal is not in the list.
   *[other] { $count } papers from your journal are not in the list.
}
# { $names }: the categories' names, separated by commas.
papers-warning-categories = Categories: { $names }.
papers-search = Find a paper
papers-search-hint = Type its name or its type. For example: récépissé.
papers-found = { $count ->
    [0] No paper found
    [one] 1 paper found
   *[other] { $count } papers found
}
papers-renew-title = To renew
papers-renew-1 = These papers will soon no longer be valid, or are no longer valid.
papers-empty-title = No paper yet in these categories
paper-pages = { $count ->
    [one] 1 page
   *[other] { $count } pages
}
# { $date }: a date, for example "2 March 2027".
paper-expired = No longer valid since { $date }
paper-expires-soon = { $days ->
    [0] No longer valid after today ({ $date })
    [one] No longer valid in 1 day ({ $date })
   *[other] No longer valid in { $days } days ({ $date })
}
paper-valid-until = Valid until { $date }
# { $used } and { $quota }: sizes, for example "12 MB".
papers-space = Space used: { $used } of { $quota }.
papers-space-nearly-full = Your coffre is nearly full ({ $percent } %). Delete the papers you no longer need.
papers-space-full = Your coffre is full. Delete papers to add others.

papers-error-quota = Your coffre is too full for this paper. Delete papers you no longer need.
papers-error-too-large = This paper is too big. Take fewer pages, or photos instead of a PDF.
papers-error-storage-full = The server is full. Nothing was saved. Tell your association.
papers-error-expired = Sending took too long. Start again.
papers-error-not-found = This paper no longer exists.
# { $code }: the error's code, for the association.
papers-error-verify = This paper could not be checked. We do not open it. Code: { $code }

## Papers: adding a paper

add-title = Add a paper
add-1 = Take a photo of each page of the paper.
add-2 = Or choose a file: a photo or a PDF.
add-camera = Take a photo
add-camera-next = Take the next page
add-choose = Choose a file
add-preparing = We are preparing the page…
add-pages-title = { $count ->
    [one] 1 page
   *[other] { $count } pages
}
# { $n }: the page's number.
add-page-name = Page { $n }
add-page-alt = Page { $n }, as it will be kept
add-page-pdf = PDF file
# { $count }: how many pages the PDF has.
add-page-pdf-pages = { $count ->
    [one] 1 page
   *[other] { $count } pages
}
add-page-pdf-alt = The first page of the PDF
add-page-pdf-counting = Counting the pages…
add-page-pdf-unreadable = We cannot show this PDF. You can keep it all the same.
add-turn = Turn
add-margin = Cut the edges
add-margin-0 = Cut nothing
add-margin-1 = A little
add-margin-2 = More
add-margin-3 = A lot
add-crop-hand = Cut by hand
add-margin-custom = By hand
crop-help = Move the white circles to keep only the paper. With the keyboard: the arrow keys.
# { $name }: the page's name, for example "Page 2".
crop-photo-alt = { $name } whole, before cutting
crop-edge-top = { $name }: top edge
crop-edge-right = { $name }: right edge
crop-edge-bottom = { $name }: bottom edge
crop-edge-left = { $name }: left edge
# { $percent }: a number from 0 to 100.
crop-edge-value = { $percent } %
crop-apply = Cut
crop-reset = Keep everything
crop-cancel = Cancel
add-remove = Remove this page
add-next = Continue
add-cancel = Cancel

# { $limit }: a size, for example "25 MB".
paper-error-empty_file = This file is empty. Choose it once more.
paper-error-unsupported_type = This file is not a photo or a PDF. Take a photo of the paper, or choose a PDF.
paper-error-heic_unsupported = Your phone took a HEIC photo. This browser cannot read it. In the camera settings, choose “Most compatible”. Or take a screenshot of the photo.
paper-error-file_damaged = This file is damaged. Choose it once more, or take a new photo.
paper-error-pdf_too_large = This PDF is too big (more than { $limit }). Take a photo of each page instead.
paper-error-image_too_large = This photo is too large. Set the camera lower, or take a screenshot.
paper-error-processing_failed = This page could not be prepared. Close other apps, then try again.
paper-error-pdf-alone = A PDF is filed on its own. File these pages first, then add the PDF as another paper.

add-file-title = File your paper
add-file-1 = { $count ->
    [one] Your paper has 1 page. Say what it is.
   *[other] Your paper has { $count } pages. Say what it is.
}
add-choose-one = Choose…
add-type = The type of paper
add-category = The category
add-title-field = The paper’s name
add-title-hint = To find it again. For example: March récépissé.
add-issued = Date it was given (not required)
add-expires = End of validity (not required)
add-expires-hint = Look on the paper.
add-expires-suggested = We put the usual date for this type of paper. Check it on the paper.
add-missing-type = Choose the type of paper.
add-missing-category = Choose the category.
add-missing-title = Give the paper a name.
add-missing-dates = The end of validity is before the date it was given. Check the dates.
add-send = Save the paper
add-back = Back to the pages

add-sending-title = Sending your paper
add-sending-1 = Your paper is encrypted on this device, then sent. Do not close the page.
add-progress-label = Progress
add-stage-sealing = Encrypting on this device…
add-stage-sending = Sending…
add-stage-filing = Filing…
# { $percent }: a number from 0 to 100.
add-sending-percent = Sending: { $percent } %
add-done-title = Your paper is filed
add-done-1 = Done. Your paper is in your coffre.
add-done-show = See this paper
add-done-list = See my papers

## Papers: showing a paper

show-title = A paper
show-stage = The paper
show-close = Close
show-opening = We are opening and checking the paper…
# { $n }: page number; { $count }: number of pages; { $title }: the paper's name.
show-page-alt = Page { $n } of { $count }: { $title }
show-count = Page { $n } of { $count }
show-previous = Previous page
show-next = Next page
show-zoom-in = Zoom in
show-zoom-out = Zoom out
show-contrast = High contrast
show-pdf-drawing = Showing the page…
show-pdf-failed = This PDF cannot be shown here. Download it to open it.
pdf-frame-title = PDF reader
show-more = More actions
show-replace = Replace with a newer version
show-older-note = This paper has a newer version.
show-newer = See the newer version
# { $title }: the name of the paper replaced.
add-replacing = This is the new version of “{ $title }”. The old version stays in your papers. You can delete it later.
add-replacing-gone = The paper to replace no longer exists. This paper will be a new one.
show-download = Download
show-download-shared = Warning: on a shared computer, the file stays on the computer. Delete it afterwards.
show-delete = Delete this paper
show-delete-confirm-1 = Do you really want to delete this paper?
show-delete-confirm-2 = It will be erased for ever. Nobody will be able to find it again.
show-delete-yes = Yes, delete
show-delete-no = No, keep it
show-deleting = Deleting…

## Offline (papers-offline.md)
offline-notice = No network. The papers you have already opened are still shown.
offline-unavailable = Not available without a network
offline-not-kept = This paper is not available without a network. It will open when the network is back.
offline-no-changes = Without a network, you cannot add, replace or delete a paper.
offline-unlock-1 = No network. You need the network to open your coffre.
offline-unlock-2 = This is on purpose: a stolen phone cannot open your coffre.

## Mandates (docs/design/mandates-screens.md)

journal-mandate_granted = Mandate given
journal-mandate_revoked = Mandate stopped
home-mandates-title = Mandates
home-mandates-1 = A mandate lets a person or an association help you: see your papers, or add some.
home-mandates-give = Give a mandate
home-mandates-list = My mandates
home-mandates-code = My code
home-mandates-helped = The people I help
journal-mandate_accessed = A helper looked at your papers (mandate)
journal-paper_deposited = A helper put in a paper (mandate)
journal-mandate_renounced = The helper ended the mandate
journal-category_rotated = New key for a category of papers (after a mandate ended)
journal-mandate_expired = A mandate is over: its end date has passed
