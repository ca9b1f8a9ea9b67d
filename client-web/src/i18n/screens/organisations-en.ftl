# The organisation screens (docs/design/organisations-screens.md).

## The admin: organisations
admin-orgs-title = Organisations
admin-orgs-1 = Here you create an organisation: a charity, a CCAS, a shelter…
admin-orgs-2 = Then you give a link to its first responsible person. They create the organisation on their device.
admin-orgs-new-title = Create an organisation
admin-orgs-name = The organisation’s name
admin-orgs-name-hint = For example: CHRS Les Tilleuls.
admin-orgs-name-empty = Write the organisation’s name.
admin-orgs-hours = The link works for
admin-orgs-hours-24 = 1 day
admin-orgs-hours-72 = 3 days
admin-orgs-hours-168 = 7 days
admin-orgs-hours-720 = 30 days
admin-orgs-create = Create and make the link
admin-orgs-creating = We are creating the organisation…
admin-orgs-link-title = The link for { $name }
admin-orgs-link-1 = Give this link to the responsible person, in person. It works only once.
admin-orgs-link-2 = It works until { $date }.
admin-orgs-link-qr = The square code of the link for { $name }
admin-orgs-copy = Copy the link
admin-orgs-copied = The link is copied.
admin-orgs-copy-failed = Copying did not work. Select the link and copy it.
admin-orgs-list-title = The organisations of this service
admin-orgs-none = There is no organisation yet.
admin-orgs-founded = Created by its responsible person.
admin-orgs-not-founded = Not created yet: the link has not been used.
admin-orgs-counts = { $members ->
    [0] no member
    [one] 1 member
   *[other] { $members } members
  } · { $mandates ->
    [0] no mandate in force
    [one] 1 mandate in force
   *[other] { $mandates } mandates in force
  }
admin-orgs-privacy = You only see numbers. You do not see papers, nor who is helped.
admin-orgs-invite-title = A professional account
admin-orgs-invite-1 = A helper needs a professional account. That link is made with the server’s command: coffre admin invite --role professional.

## Founding
found-title = Create the organisation
found-checking = We are checking the link…
found-bad-link = This link is not complete. Ask for a new link.
found-expired = This link no longer works. It was used, or it is too old. Ask for a new link.
found-name = You are going to create “{ $name }”.
found-1 = You will be its responsible person. You will add the helpers.
found-2 = The organisation’s key is made on this device. The server cannot make it for you.
found-locked-1 = First open your professional account.
found-locked-2 = Then, on your account’s page, press “Continue: create the organisation”.
found-locked-open = Open my account
found-not-pro = You need a professional account to create an organisation. Ask for a sign-up link.
found-start = Create the organisation
found-working = We are creating the organisation and its key…
found-done-title = The organisation is created
found-done-1 = “{ $name }” is created. You are its responsible person.
found-done-words = The organisation’s five words. Someone who gives the organisation a mandate sees the same words.
found-go = See my organisation

## My organisation
org-title = My organisation
org-none = Your account is in no organisation. A responsible person must add you.
org-loading = We are checking the organisation…
org-role-responsable = You are a responsible person.
org-role-aidant = You are a helper.
org-words-title = The organisation’s five words
org-words-1 = Someone who gives the organisation a mandate compares these words with their screen.
org-members-title = The members
org-members-1 = Each person is known by their five words.
org-member-responsable = Responsible person
org-member-aidant = Helper
org-member-you = (you)
org-member-remove = Remove this person
org-remove-title = Remove this person?
org-remove-1 = They will no longer see anything under the organisation’s mandates. It works at once.
org-remove-2 = A new organisation key is made. The other members receive it.
org-remove-yes = Yes, remove
org-remove-no = No, keep
org-removing = We are removing the person and changing the key…
org-removed = The person is removed. The key is changed.
org-add-title = Add a person
org-add-1 = The person opens “My code” on their phone. You scan their square code, or you type their code.
org-add-2 = Then you compare the five words together, face to face.
org-add-start = Add a person
org-add-compare = Compare the five words with the person’s screen.
org-add-question = Are the words the same on both screens?
org-add-yes = Yes, the same: add them
org-add-no = No, they are different
org-add-different = The words are different. Do not add this person. Ask for help.
org-adding = We are adding the person and giving them the organisation’s key…
org-added = The person is added. They are authorised.
# { $count }: how many people this opening gave the organisation's keys they lacked.
org-keys-given = { $count ->
    [one] 1 person received the organisation’s keys.
   *[other] { $count } people received the organisation’s keys.
  }
org-add-cancel = Cancel
org-key-title = The organisation’s key
org-key-generation = Key no. { $generation }. It changes when a person leaves.
org-key-none = The organisation has no key yet.
org-key-make = Make the key
org-key-making = We are making the organisation’s key…
org-key-made = Key no. { $generation } is made.
org-mandates-title = The organisation’s mandates
org-mandates-1 = You see who gave a mandate and for how long. You do not see the papers.
org-mandates-none = There is no mandate yet.
org-mandate-line = Mandate no. { $number }
org-mandate-scope = { $count ->
    [one] 1 category
   *[other] { $count } categories
  } · { $rights }
org-mandate-days = { $days ->
    [one] 1 day left
   *[other] { $days } days left
  }
org-helped = The people I help
org-problem-not_founder = Only the person who created the organisation can make its key. Ask them.
org-problem-not_responsable = Only a responsible person can do this.
org-problem-own_proposal = You asked for this change. Another responsible person must sign it.
org-problem-proposal_changed = This request no longer matches the list of members. It is deleted.
org-member-promote = Make responsible
org-member-demote = Make helper
org-promote-title = Make this person responsible?
org-promote-1 = They will be able to add and remove people, like you.
org-demote-title = This person will no longer be responsible?
org-demote-1 = They stay in the organisation, as a helper.
org-role-yes = Yes, I sign
org-role-no = No, go back
org-promoted = Done: this person is responsible.
org-demoted = Done: this person is a helper.
org-proposed = Signed. Another responsible person must sign too. They will see it in “To sign”.
org-sign-title = To sign
org-sign-1 = There are two or more responsible people. Each change needs two signatures.
org-sign-none = Nothing to sign.
org-sign-add = Add this person (helper)
org-sign-remove = Remove this person
org-sign-promote = Make this person responsible
org-sign-demote = Make this person a helper
org-sign-words = The person’s five words:
org-sign-by = Asked by:
org-sign-check = Sign only if you agree.
org-sign-mine = You asked for this change. Another responsible person must sign.
org-sign-remove-key = After the signature, a new organisation key is made.
org-sign-remove-founder = Then the person who created the organisation must make a new key. Only they can.
org-sign-yes = Sign
org-sign-refuse = Refuse
org-sign-withdraw = Cancel my request
org-signing = Signing…
org-signed = Signed. The change is done.
org-signed-key = Signed. Key no. { $generation } is made.
org-signed-founder-key = Signed. The person who created the organisation must now make a new key.
org-refused = The request is deleted.
org-news-title = What became of your requests
org-news-signed = Done. Another responsible person signed your request. Their words:
org-news-dropped = Not done. Your request is no longer waiting: another responsible person refused it, or the organisation changed first. You can make it again.
org-key-stale = Someone left. The organisation needs a new key.
org-problem-already_member = This person is already in the organisation.
org-problem-not_a_member = This person is no longer in the organisation.
org-problem-not_a_person_code = This is an organisation’s code. Scan the person’s code.
org-problem-not_professional = This person has no professional account. They need a sign-up link.
org-back = Back to my coffre

## The coffre home's entries (pages/OrganisationSection.tsx)
home-org-mine = My organisation: { $name }
home-org-continue = Continue: create the organisation
home-org-admin = Organisations
