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
welcome-limits-keys-1 = You have keys to open your safe: your { -brand } card (a paper card), your phone, or a secret sentence.
welcome-limits-keys-2 = If you lose all your keys, nobody can open your safe. Not even the association.
welcome-limits-keys-3 = Keep at least two keys, in two different places.
welcome-limits-code-1 = The { -brand } program comes to your phone from this website.
welcome-limits-code-2 = So you must trust the association that runs this website.

welcome-start-title = Get started
welcome-create = Open my safe
welcome-unlock = I already have a safe
welcome-preview-note = This website is being built. You cannot store your papers here yet.

## “Coming soon” pages

create-title = Open my safe
unlock-title = I already have a safe
soon-status = Coming soon
soon-1 = This part of { -brand } is not ready yet.
soon-2 = For now, nobody can create a safe or sign in on this website.
soon-3 = Until then, keep your papers and a photocopy in two different places.
soon-back = Back to home
soon-help = Read the help

## Help

help-title = Help
help-lead = Answers to the most common questions.

help-create-title = How do I open a safe?
help-create-1 = Soon, you will be able to open your safe on your own, on your phone.
help-create-2 = You will also be able to do it with the help of an association.
help-create-3 = You will not need an email address or a phone number.

help-keys-title = What is a key?
help-keys-intro = A key opens your safe. There are three kinds of keys:
help-keys-card = The { -brand } card: a paper card with a square code (a QR code). Keep it in a safe place.
help-keys-passkey = Your phone: it becomes a key (we say a “passkey”). You unlock it with your finger, your face or your code.
help-keys-passphrase = A secret sentence: words chosen at random. Learn it, or write it on a well-hidden piece of paper.

help-lost-title = I lost my phone
help-lost-1 = Your papers stay in your safe.
help-lost-2 = Open your safe with another key: your { -brand } card or your secret sentence.
help-lost-3 = If you have lost all your keys, nobody can open your safe.

help-who-title = Who can see my papers?
help-who-1 = You.
help-who-2 = And the people you give permission to. For example: your social worker.
help-who-3 = This permission is called a “mandate”. You choose which papers, and for how long.
help-who-4 = You can stop the mandate whenever you want.
help-who-5 = Be careful: a paper that was already seen may have been copied.

help-more-title = Need help?
help-more-1 = Ask the association that supports you.

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
