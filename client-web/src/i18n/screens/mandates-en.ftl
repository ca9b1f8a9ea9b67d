# The mandate screens (docs/design/mandates-screens.md) : chargés avec ces écrans.

mandate-back-home = Back to my safe
mandate-attestation = Download the certificate (PDF)
# { $number }: the mandate's number.
mandate-number = Mandate no. { $number }
mandate-rights-consult = See the papers
mandate-rights-deposit = Add papers
mandate-rights-consult_deposit = See and add papers
mandate-state-upcoming = Not started yet
mandate-state-in_force = In force
mandate-state-expired = Over
mandate-state-revoked = Stopped
mandate-state-renounced = Given back by the person
# { $rights }: what the mandate allows.
mandate-scope = { $rights }:
# { $days }: number of days.
mandate-days-left = { $days ->
    [one] 1 day left.
   *[other] { $days } days left.
}
# { $from }, { $to }: dates.
mandate-window = From { $from } to { $to }.
mandate-to-person = Given to a person. Their five words:
mandate-to-organisation = Given to an organisation and its aidants. Its five words:
mandate-category-unknown = An unknown category
# { $code }: a technical code, for the person helping.
mandate-refused = This mandate cannot be verified. Do not trust it. (Code: { $code })
mandate-problem-organisation = Warning: this organisation’s list of members was changed by someone who has no right to. Do not give a mandate. Ask for help. (Code: { $code })
mandate-problem-verify = The check failed. Do not go on. Ask for help. (Code: { $code })
mandate-receipts-title = What was done with this mandate
mandate-receipts-none = Nothing yet.
mandate-receipts-gap = Warning: a record is missing. The server may have hidden an access. (Code: { $code })
mandate-receipts-bad = Warning: the records of this mandate cannot be verified. (Code: { $code })
# { $what }: the name of a paper or a category.
mandate-receipt-unwrap_key = Received the key of “{ $what }”
mandate-receipt-list = Saw the list of papers of “{ $what }”
mandate-receipt-download = Opened the paper “{ $what }”
mandate-receipt-other = Did something on “{ $what }”
mandate-receipt-a-paper = a paper
mandate-revoke = Stop this mandate
mandate-renew = Renew this mandate
mandate-revoking = Stopping the mandate…
# Giving or changing the person's name, after the mandate (NameForm.tsx).
mandate-name-give = Give a name
mandate-name-change = Change the name
mandate-name-hint = 60 characters at most. The server does not see this name. The signed mandate’s text does not change.
mandate-name-save = Save the name
mandate-name-cancel = Cancel
mandate-name-saving = Saving the name…
# { $name }: the name written.
mandate-name-saved = The name is saved: “{ $name }”.
mandate-name-empty = Write a name.
mandate-name-bad = This name has a sign that does not work. Write it another way.
mandates-title = My mandates
mandates-stopped-again = You had stopped these mandates, but the server had forgotten it (a restore). We stopped them again: no. { $numbers }.
mandates-1 = These are the mandates you gave. You see who did what.
mandates-loading = Checking your mandates…
mandates-none = You have not given any mandate.
# « Mes mandats » checked against the journal (docs/design/mandates-screens.md).
mandates-list-missing = { $count ->
    [one] Warning: a mandate you gave is not in this list. The host may have hidden it. Your journal shows it.
   *[other] Warning: { $count } mandates you gave are not in this list. The host may have hidden them. Your journal shows them.
}
mandates-list-unchecked = We could not compare this list with your journal. Look at your safe’s journal.
mandate-list-not_as_signed = Warning: the server shows other dates or other rights than the mandate you signed. Here you see those of the signed mandate.
mandate-list-end_hidden = Warning: your journal says this mandate is stopped. The server shows it as if it were still running.
mandate-list-end_unproven = Warning: the server says this mandate is over. But it does not show the proof. The mandate may still be running.
# { $state }: what the server says ("Running", "Over"…).
mandate-list-state_not_window = Warning: the server says “{ $state }”. The dates of the mandate you signed say something else.
revoked-title = The mandate is stopped
# { $number }: the mandate's number.
revoked-1 = Mandate no. { $number } is stopped.
revoked-2 = The person can no longer see your papers with this mandate.
revoked-3 = They can no longer add anything with this mandate.
revoked-copied = What the person already saw may have been copied.
revoked-rotating = We are changing the key of your papers…
revoked-rotated-1 = We changed the key of your papers.
revoked-rotated-2 = Your new papers are protected by this new key. The person does not have it.
revoked-rotation-later = The key of your papers is not changed yet. We will do it the next time you open your coffre.
revoked-back = See my mandates
mycode-title = My code
mycode-1 = Someone wants to give you a mandate? Show them this screen.
mycode-2 = They scan the square code. Then you compare the five words out loud.
mycode-words-title = Your five words
mycode-words-1 = These words come from your keys. They must be the same on both screens.
mycode-qr-title = The square code
mycode-qr-1 = The person scans it with their phone or computer.
mycode-qr-label = The square code to receive a mandate
mycode-org-title = The code of “{ $name }”
mycode-org-1 = Someone wants to give your organisation a mandate? Show this code. Every member will be able to help.
mycode-org-qr-label = The square code of { $name }
mycode-org-typed-1 = The code to type. With this code, compare the five words carefully:
mycode-typed-title = The code to type
mycode-typed-1 = Their device has no camera? They can type this code.
give-title = Give a mandate
give-cancel = Cancel
give-read-title = Read the other person’s code
give-read-1 = The other person opens “My code” in their safe.
give-read-2 = Scan their square code. Or type the code written below it.
give-read-camera = Scan with the camera
give-read-type = Type the code
give-not-code = This square code is not a code to receive a mandate.
give-camera-failed = The camera does not work. Type the code.
give-typed-label = The code to type
give-typed-hint = It is on the other person’s screen. Spaces do not matter.
give-typed-submit = Check the code
give-typed-empty = Type the code.
give-typed-wrong = This code is not right. Check each letter.
give-resolving = Checking who it is…
give-compare-title = Compare the five words
# { $name }: the organisation's name, as the server gives it.
give-compare-organisation = The organisation is called “{ $name }”.
give-renewal-1 = You are renewing mandate no. { $number }. The new mandate starts today.
give-renewal-2 = It is the same person as for that mandate. You checked their five words that day:
give-compare-1 = Read these words out loud. The other person looks at their screen.
give-compare-2 = The words must be the same on both screens.
give-compare-typed = You typed the code: these words are the only check. Compare them carefully.
give-compare-question = Are the words the same on both screens?
give-compare-yes = Yes, the same
give-compare-no = No, they are different
give-different-1 = Do not give a mandate.
give-different-2 = It may not be the right person. Start again, or ask for help.
give-again = Start again
give-loading = Opening your categories…
give-scope-title = What the mandate allows
give-name-label = The name of the person or organisation (for you)
give-name-hint = It stays on your device and in the mandate’s text. The server does not see it.
give-categories-legend = For which categories?
give-rights-legend = To do what?
give-duration-legend = For how long?
give-duration-day = 1 day
give-duration-month = 1 month
give-duration-six_months = 6 months
give-duration-year = 1 year
give-duration-date = Until a date
give-end-label = The end date (less than a year from now)
give-error-categories = Choose at least one category.
give-error-date = Choose a date after today, less than a year from now.
give-scope-next = Read the mandate
give-review-title = The mandate’s text
give-review-1 = Read the text (in French, the text of record). If you agree, sign.
# { $version }: the text's version.
give-review-version = Text version: { $version }
give-sign = Sign and give the mandate
give-change = Change
give-signing = Signing and sending the mandate…
give-done-title = The mandate is given
give-done-1 = Done. It is mandate no. { $number }.
# { $rights }: what the mandate allows; { $count }: number of categories.
give-done-scope = { $rights }: { $count ->
    [one] 1 category.
   *[other] { $count } categories.
}
# { $date }: the end date.
give-done-until = Until { $date }.
give-done-2 = Keep the certificate. The other person can download it too.
give-done-list = See my mandates
people-title = The people I help
people-1 = These are the people who gave you a mandate.
people-2 = Each time you open a paper, the person sees it in their safe.
people-loading = Checking the mandates…
people-none = Nobody has given you a mandate right now.
# { $count }: number of mandates.
people-refused = { $count ->
    [one] One mandate cannot be verified. It is not shown.
   *[other] { $count } mandates cannot be verified. They are not shown.
}
people-unnamed = A person
people-words = Their five words (compare them with the person’s):
people-note-label = Your note about this person
people-note-hint = It stays on this device. The server does not see it.
people-note-save = Keep the note
people-deposit-only = This mandate only allows adding papers.
# { $n }: the category's number; { $count }: how many categories.
people-demarche = Category { $n } of { $count }
# { $n }: the category's number.
people-open = Open category { $n }
people-opening = Opening the category…
people-no-papers = There is no paper in this category.
# { $count }: number of papers.
people-papers-refused = { $count ->
    [one] One paper cannot be verified. It is not shown.
   *[other] { $count } papers cannot be verified. They are not shown.
}
# { $title }: the paper's name.
people-see = See “{ $title }”
people-renounce = Give this mandate back
people-renounce-confirm = You will no longer be able to help this person with this mandate. Go on?
people-renounce-yes = Yes, give it back
people-renounce-no = No

# The coffre's journal: what helpers did (docs/design/mandates-screens.md).
# { $number }: the mandate's number.
journal-grantee-mandate_accessed = A helper looked at your papers — mandate no. { $number }
journal-grantee-paper_deposited = A helper put in a paper — mandate no. { $number }
journal-grantee-mandate_renounced = The helper ended mandate no. { $number }
# { $what }: the journal line.
journal-grantee-no-proof = { $what } — warning: no proof
journal-proof-missing = Warning: the journal shows a helper's action without proof. The host may have invented this line. Tell the association that hosts Coffre.
journal-entry-missing = Warning: a helper's action is missing from the journal. The host may have hidden it. Look at « My mandates » and tell the association that hosts Coffre.
journal-acts-unchecked = We could not check what helpers did. Try again later.
# The journal filtered by person and by paper (docs/design/mandates-screens.md).
journal-filter-person = See the lines of one helper
journal-filter-everyone = Everyone
journal-filter-mandate = Mandate no. { $number }
journal-filter-paper = See the lines of one paper
journal-filter-all-papers = All papers
journal-filter-none = No line matches this choice.
journal-filter-searching = Searching the whole journal…

# The journal in plain words: who, what, which mandate.
journal-by-someone = A helper
journal-by-organisation = A helper of “{ $organisation }”
journal-to-organisation = “{ $organisation }”
journal-to-organisation-named = “{ $organisation }” ({ $name })
journal-mandate = mandate no. { $number }
journal-mandate-named = mandate no. { $number } ({ $name })
journal-act-download = { $who } opened the paper “{ $what }” — { $mandate }
journal-act-list = { $who } saw the list of papers in “{ $what }” — { $mandate }
journal-act-unwrap_key = { $who } received the key of “{ $what }” — { $mandate }
journal-act-other = { $who } did something with “{ $what }” — { $mandate }
journal-act-deposited = { $who } put in the paper “{ $what }” — { $mandate }
journal-paper-added = Paper “{ $what }” added
journal-paper-replaced = New version of the paper “{ $what }”
journal-act-renounced = { $who } stopped { $mandate }
journal-granted = Mandate no. { $number } given
journal-granted-to = Mandate no. { $number } given to { $to }
journal-granted-renews = { $line }. It renews mandate no. { $old }
journal-revoked = You stopped mandate no. { $number }
journal-revoked-to = You stopped mandate no. { $number } ({ $to })
journal-expired = Mandate no. { $number } is over: its end date has passed
journal-expired-to = Mandate no. { $number } ({ $to }) is over: its end date has passed

# On a paper a helper put in. { $number }: the mandate's number.
paper-deposited-by = Put in by a helper — mandate no. { $number }
paper-deposited-by-organisation = Put in by a helper of “{ $name }” — mandate no. { $number }
paper-deposited-unknown = Put in by a helper

# Putting a paper in the coffre of a person helped (deposit mandate).
people-deposit = Put in a paper for this person
# { $number }: the mandate's number.
deposit-note = You are putting a paper in another person's coffre, with mandate no. { $number }. They will see it in their papers.
# { $number }: the receipt's number.
deposit-done = Put in. Receipt no. { $number }
deposit-done-2 = The paper is in the person's coffre. Their journal shows it.
deposit-back = Back to the people I help

people-papers-deposited = { $count ->
    [one] One paper was put in with another mandate. This mandate does not open it.
   *[other] { $count } papers were put in with another mandate. This mandate does not open them.
}
