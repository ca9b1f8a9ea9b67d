# Les écrans des mandats (docs/design/mandates-screens.md) : chargés avec ces écrans.

mandate-back-home = Retour à mon coffre
mandate-attestation = Télécharger l’attestation (PDF)
# { $number } : le numéro du mandat.
mandate-number = Mandat n° { $number }
mandate-rights-consult = Voir les papiers
mandate-rights-deposit = Déposer des papiers
mandate-rights-consult_deposit = Voir et déposer des papiers
mandate-state-upcoming = Pas encore commencé
mandate-state-in_force = En cours
mandate-state-expired = Fini
mandate-state-revoked = Arrêté
mandate-state-renounced = Rendu par la personne
# { $rights } : ce que le mandat permet.
mandate-scope = { $rights } :
# { $days } : nombre de jours.
mandate-days-left = { $days ->
    [one] Encore 1 jour.
   *[other] Encore { $days } jours.
}
# { $from }, { $to } : des dates.
mandate-window = Du { $from } au { $to }.
mandate-to-person = Donné à une personne. Ses cinq mots :
mandate-to-organisation = Donné à une structure et à ses aidants. Ses cinq mots :
mandate-category-unknown = Une démarche inconnue
# { $code } : un code technique, pour la personne qui aide.
mandate-refused = Ce mandat ne peut pas être vérifié. Ne lui faites pas confiance. (Code : { $code })
mandate-problem-organisation = Attention : la liste des membres de cette organisation a été changée par quelqu’un qui n’en a pas le droit. Ne donnez pas de mandat. Demandez de l’aide. (Code : { $code })
mandate-problem-verify = La vérification a échoué. Ne continuez pas. Demandez de l’aide. (Code : { $code })
mandate-receipts-title = Ce qui a été fait avec ce mandat
mandate-receipts-none = Rien pour le moment.
mandate-receipts-gap = Attention : une trace manque. Le serveur a peut-être caché un accès. (Code : { $code })
mandate-receipts-bad = Attention : les traces de ce mandat ne peuvent pas être vérifiées. (Code : { $code })
# { $what } : le nom d’un papier ou d’une démarche.
mandate-receipt-unwrap_key = A reçu la clé de « { $what } »
mandate-receipt-list = A vu la liste des papiers de « { $what } »
mandate-receipt-download = A ouvert le papier « { $what } »
mandate-receipt-other = A fait une action sur « { $what } »
mandate-receipt-a-paper = un papier
mandate-revoke = Arrêter ce mandat
mandate-renew = Renouveler ce mandat
mandate-revoking = Nous arrêtons le mandat…
# Donner ou changer le nom de la personne, après le mandat (NameForm.tsx).
mandate-name-give = Donner un nom
mandate-name-change = Changer le nom
mandate-name-hint = 60 signes au plus. Le serveur ne voit pas ce nom. Le texte du mandat signé ne change pas.
mandate-name-save = Enregistrer le nom
mandate-name-cancel = Annuler
mandate-name-saving = Nous enregistrons le nom…
# { $name } : le nom écrit.
mandate-name-saved = Le nom est enregistré : « { $name } ».
mandate-name-empty = Écrivez un nom.
mandate-name-bad = Ce nom a un signe qui ne marche pas. Écrivez-le autrement.
mandates-title = Mes mandats
mandates-stopped-again = Vous aviez arrêté ces mandats, mais le serveur l’avait oublié (une restauration). Nous les avons arrêtés de nouveau : n° { $numbers }.
mandates-1 = Voici les mandats que vous avez donnés. Vous voyez qui a fait quoi.
mandates-loading = Nous vérifions vos mandats…
mandates-none = Vous n’avez donné aucun mandat.
# « Mes mandats » comparé au journal (docs/design/mandates-screens.md).
mandates-list-missing = { $count ->
    [one] Attention : un mandat que vous avez donné n’est pas dans cette liste. L’hébergeur l’a peut-être caché. Votre journal le montre.
   *[other] Attention : { $count } mandats que vous avez donnés ne sont pas dans cette liste. L’hébergeur les a peut-être cachés. Votre journal les montre.
}
mandates-list-unchecked = Nous n’avons pas pu comparer cette liste avec votre journal. Regardez le journal de votre coffre.
mandate-list-not_as_signed = Attention : le serveur montre d’autres dates ou d’autres droits que le mandat que vous avez signé. Ici, vous voyez ceux du mandat signé.
mandate-list-end_hidden = Attention : votre journal dit que ce mandat est arrêté. Le serveur le montre comme s’il était encore en cours.
mandate-list-end_unproven = Attention : le serveur dit que ce mandat est fini. Mais il ne montre pas la preuve. Le mandat est peut-être encore en cours.
# { $state }: what the server says (« En cours », « Fini »…).
mandate-list-state_not_window = Attention : le serveur dit « { $state } ». Les dates du mandat que vous avez signé disent autre chose.
revoked-title = Le mandat est arrêté
# { $number } : le numéro du mandat.
revoked-1 = Le mandat n° { $number } est arrêté.
revoked-2 = La personne ne peut plus voir vos papiers avec ce mandat.
revoked-3 = Elle ne peut plus rien déposer avec ce mandat.
revoked-copied = Ce que la personne a déjà vu a pu être copié.
revoked-rotating = Nous changeons la clé de vos papiers…
revoked-rotated-1 = Nous avons changé la clé de vos papiers.
revoked-rotated-2 = Vos nouveaux papiers sont protégés par cette nouvelle clé. La personne ne l’a pas.
revoked-rotation-later = La clé de vos papiers n’est pas encore changée. Nous le ferons la prochaine fois que vous ouvrez votre coffre.
revoked-back = Voir mes mandats
mycode-title = Mon code
mycode-1 = Une personne veut vous donner un mandat ? Montrez-lui cet écran.
mycode-2 = Elle scanne le code carré. Puis vous comparez les cinq mots à voix haute.
mycode-words-title = Vos cinq mots
mycode-words-1 = Ces mots viennent de vos clés. Ils doivent être les mêmes sur les deux écrans.
mycode-qr-title = Le code carré
mycode-qr-1 = La personne le scanne avec son téléphone ou son ordinateur.
mycode-qr-label = Le code carré pour recevoir un mandat
mycode-org-title = Le code de « { $name } »
mycode-org-1 = Une personne veut donner un mandat à votre organisation ? Montrez ce code. Tous les membres pourront l’aider.
mycode-org-qr-label = Le code carré de { $name }
mycode-org-typed-1 = Le code à taper. Avec ce code, comparez bien les cinq mots :
mycode-typed-title = Le code à taper
mycode-typed-1 = Son appareil n’a pas de caméra ? Elle peut taper ce code.
give-title = Donner un mandat
give-cancel = Annuler
give-read-title = Lire le code de l’autre personne
give-read-1 = L’autre personne ouvre « Mon code » dans son coffre.
give-read-2 = Scannez son code carré. Ou tapez le code écrit sous le code carré.
give-read-camera = Scanner avec la caméra
give-read-type = Taper le code
give-not-code = Ce code carré n’est pas un code pour recevoir un mandat.
give-camera-failed = La caméra ne marche pas. Tapez le code.
give-typed-label = Le code à taper
give-typed-hint = Il est sur l’écran de l’autre personne. Les espaces ne comptent pas.
give-typed-submit = Valider le code
give-typed-empty = Tapez le code.
give-typed-wrong = Ce code n’est pas bon. Vérifiez chaque lettre.
give-resolving = Nous vérifions qui c’est…
give-compare-title = Comparez les cinq mots
# { $name } : le nom de la structure, donné par le serveur.
give-compare-organisation = La structure s’appelle « { $name } ».
give-renewal-1 = Vous renouvelez le mandat n° { $number }. Le nouveau mandat commence aujourd’hui.
give-renewal-2 = C’est la même personne que pour ce mandat. Vous avez vérifié ses cinq mots ce jour-là :
give-compare-1 = Lisez ces mots à voix haute. L’autre personne regarde son écran.
give-compare-2 = Les mots doivent être les mêmes sur les deux écrans.
give-compare-typed = Vous avez tapé le code : ces mots sont la seule vérification. Comparez-les bien.
give-compare-question = Les mots sont les mêmes sur les deux écrans ?
give-compare-yes = Oui, les mêmes
give-compare-no = Non, ils sont différents
give-different-1 = Ne donnez pas de mandat.
give-different-2 = Ce n’est peut-être pas la bonne personne. Recommencez, ou demandez de l’aide.
give-again = Recommencer
give-loading = Nous ouvrons vos démarches…
give-scope-title = Ce que le mandat permet
give-name-label = Le nom de la personne ou de la structure (pour vous)
give-name-hint = Il reste sur votre appareil et dans le texte du mandat. Le serveur ne le voit pas.
give-categories-legend = Pour quelles démarches ?
give-rights-legend = Pour faire quoi ?
give-duration-legend = Pour combien de temps ?
give-duration-day = 1 jour
give-duration-month = 1 mois
give-duration-six_months = 6 mois
give-duration-year = 1 an
give-duration-date = Jusqu’à une date
give-end-label = La date de fin (dans moins d’un an)
give-error-categories = Choisissez au moins une démarche.
give-error-date = Choisissez une date après aujourd’hui, dans moins d’un an.
give-scope-next = Lire le mandat
give-review-title = Le texte du mandat
give-review-1 = Lisez le texte. Si vous êtes d’accord, signez.
# { $version } : la version du texte.
give-review-version = Version du texte : { $version }
give-sign = Signer et donner le mandat
give-change = Changer
give-signing = Nous signons et envoyons le mandat…
give-done-title = Le mandat est donné
give-done-1 = C’est fait. C’est le mandat n° { $number }.
# { $rights } : ce que le mandat permet ; { $count } : nombre de démarches.
give-done-scope = { $rights } : { $count ->
    [one] 1 démarche.
   *[other] { $count } démarches.
}
# { $date } : la date de fin.
give-done-until = Jusqu’au { $date }.
give-done-2 = Gardez l’attestation. L’autre personne peut aussi la télécharger.
give-done-list = Voir mes mandats
people-title = Les personnes que j’aide
people-1 = Voici les personnes qui vous ont donné un mandat.
people-2 = Chaque fois que vous ouvrez un papier, la personne le voit dans son coffre.
people-loading = Nous vérifions les mandats…
people-none = Personne ne vous a donné de mandat en ce moment.
# { $count } : nombre de mandats.
people-refused = { $count ->
    [one] Un mandat ne peut pas être vérifié. Il n’est pas affiché.
   *[other] { $count } mandats ne peuvent pas être vérifiés. Ils ne sont pas affichés.
}
people-unnamed = Une personne
people-words = Ses cinq mots (comparez-les avec ceux de la personne) :
people-note-label = Votre note sur cette personne
people-note-hint = Elle reste sur cet appareil. Le serveur ne la voit pas.
people-note-save = Garder la note
people-deposit-only = Ce mandat permet seulement de déposer des papiers.
# { $n } : le numéro de la démarche ; { $count } : le nombre de démarches.
people-demarche = Démarche { $n } sur { $count }
# { $n } : le numéro de la démarche.
people-open = Ouvrir la démarche { $n }
people-opening = Nous ouvrons la démarche…
people-no-papers = Il n’y a pas de papier dans cette démarche.
# { $count } : nombre de papiers.
people-papers-refused = { $count ->
    [one] Un papier ne peut pas être vérifié. Il n’est pas affiché.
   *[other] { $count } papiers ne peuvent pas être vérifiés. Ils ne sont pas affichés.
}
# { $title } : le nom du papier.
people-see = Voir « { $title } »
people-renounce = Rendre ce mandat
people-renounce-confirm = Vous ne pourrez plus aider cette personne avec ce mandat. Continuer ?
people-renounce-yes = Oui, rendre le mandat
people-renounce-no = Non

# Le journal du coffre : ce que les personnes aidantes ont fait (docs/design/mandates-screens.md).
# { $number } : le numéro du mandat.
journal-grantee-mandate_accessed = Une personne aidante a regardé vos papiers — mandat n° { $number }
journal-grantee-paper_deposited = Une personne aidante a déposé un papier — mandat n° { $number }
journal-grantee-mandate_renounced = La personne aidante a arrêté le mandat n° { $number }
# { $what } : la ligne du journal.
journal-grantee-no-proof = { $what } — attention : pas de preuve
journal-proof-missing = Attention : le journal montre une action d’une personne aidante sans preuve. L’hébergeur a peut-être inventé cette ligne. Parlez-en à l’association qui héberge Coffre.
journal-entry-missing = Attention : une action d’une personne aidante manque dans le journal. L’hébergeur l’a peut-être cachée. Regardez « Mes mandats » et parlez-en à l’association qui héberge Coffre.
journal-acts-unchecked = Nous n’avons pas pu vérifier les actions des personnes aidantes. Réessayez plus tard.
# Le journal filtré par personne et par papier (docs/design/mandates-screens.md).
journal-filter-person = Voir les lignes d’une personne aidante
journal-filter-everyone = Toutes les personnes
journal-filter-mandate = Mandat n° { $number }
journal-filter-paper = Voir les lignes d’un papier
journal-filter-all-papers = Tous les papiers
journal-filter-none = Aucune ligne ne correspond à ce choix.
journal-filter-searching = Je cherche dans tout le journal…

# Le journal en mots simples : qui, quoi, quel mandat (docs/design/mandates-screens.md).
# { $who } : la personne aidante ; { $what } : le titre du papier ou le nom de la catégorie ;
# { $mandate } : « mandat n° 12 » ; { $to } : à qui le mandat a été donné.
journal-by-someone = Une personne aidante
journal-by-organisation = Une personne aidante de « { $organisation } »
journal-to-organisation = « { $organisation } »
journal-to-organisation-named = « { $organisation } » ({ $name })
journal-mandate = mandat n° { $number }
journal-mandate-named = mandat n° { $number } ({ $name })
journal-act-download = { $who } a ouvert le papier « { $what } » — { $mandate }
journal-act-list = { $who } a vu la liste des papiers de « { $what } » — { $mandate }
journal-act-unwrap_key = { $who } a reçu la clé de « { $what } » — { $mandate }
journal-act-other = { $who } a fait une action sur « { $what } » — { $mandate }
journal-act-deposited = { $who } a déposé le papier « { $what } » — { $mandate }
journal-paper-added = Papier « { $what } » ajouté
journal-paper-replaced = Nouvelle version du papier « { $what } »
journal-act-renounced = { $who } a arrêté le { $mandate }
journal-granted = Mandat n° { $number } donné
journal-granted-to = Mandat n° { $number } donné à { $to }
# { $line } : la ligne « Mandat n° 13 donné à … » ; { $old } : le numéro du mandat d’avant.
journal-granted-renews = { $line }. Il renouvelle le mandat n° { $old }
journal-revoked = Vous avez arrêté le mandat n° { $number }
journal-revoked-to = Vous avez arrêté le mandat n° { $number } ({ $to })
journal-expired = Le mandat n° { $number } est fini : sa date de fin est passée
journal-expired-to = Le mandat n° { $number } ({ $to }) est fini : sa date de fin est passée

# Sur un papier déposé par une personne aidante. { $number } : le numéro du mandat.
paper-deposited-by = Déposé par une personne aidante — mandat n° { $number }
paper-deposited-by-organisation = Déposé par une personne aidante de « { $name } » — mandat n° { $number }
paper-deposited-unknown = Déposé par une personne aidante

# Déposer un papier dans le coffre d’une personne aidée (mandat de dépôt).
people-deposit = Déposer un papier pour cette personne
# { $number } : le numéro du mandat.
deposit-note = Vous déposez un papier dans le coffre d’une autre personne, avec le mandat n° { $number }. Elle le verra dans ses papiers.
# { $number } : le numéro du reçu.
deposit-done = Déposé. Reçu n° { $number }
deposit-done-2 = Le papier est dans le coffre de la personne. Son journal le montre.
deposit-back = Retour aux personnes que j’aide

people-papers-deposited = { $count ->
    [one] Un papier a été déposé avec un autre mandat. Ce mandat ne permet pas de l’ouvrir.
   *[other] { $count } papiers ont été déposés avec un autre mandat. Ce mandat ne permet pas de les ouvrir.
}
