# The organisation screens (docs/design/organisations-screens.md). FALC: short sentences, common words.

## The admin: organisations
admin-orgs-title = Les organisations
admin-orgs-1 = Ici, vous créez une organisation : une association, un CCAS, un CHRS…
admin-orgs-2 = Vous donnez ensuite un lien à sa première personne responsable. Elle crée l’organisation sur son appareil.
admin-orgs-new-title = Créer une organisation
admin-orgs-name = Le nom de l’organisation
admin-orgs-name-hint = Par exemple : CHRS Les Tilleuls.
admin-orgs-name-empty = Écrivez le nom de l’organisation.
admin-orgs-hours = Le lien marche pendant
admin-orgs-hours-24 = 1 jour
admin-orgs-hours-72 = 3 jours
admin-orgs-hours-168 = 7 jours
admin-orgs-hours-720 = 30 jours
admin-orgs-create = Créer et faire le lien
admin-orgs-creating = Nous créons l’organisation…
admin-orgs-link-title = Le lien pour { $name }
admin-orgs-link-1 = Donnez ce lien à la personne responsable, en main propre. Il marche une seule fois.
admin-orgs-link-2 = Il marche jusqu’au { $date }.
admin-orgs-link-qr = Le code carré du lien pour { $name }
admin-orgs-copy = Copier le lien
admin-orgs-copied = Le lien est copié.
admin-orgs-copy-failed = La copie n’a pas marché. Sélectionnez le lien et copiez-le.
admin-orgs-list-title = Les organisations de ce service
admin-orgs-none = Il n’y a pas encore d’organisation.
admin-orgs-founded = Créée par sa personne responsable.
admin-orgs-not-founded = Pas encore créée : le lien n’a pas servi.
admin-orgs-counts = { $members ->
    [0] aucun membre
    [one] 1 membre
   *[other] { $members } membres
  } · { $mandates ->
    [0] aucun mandat en cours
    [one] 1 mandat en cours
   *[other] { $mandates } mandats en cours
  }
admin-orgs-privacy = Vous voyez seulement des nombres. Vous ne voyez pas les papiers, ni qui est aidé.
admin-orgs-invite-title = Un compte professionnel
admin-orgs-invite-1 = Une personne aidante a besoin d’un compte professionnel. Ce lien se fait avec la commande du serveur : coffre admin invite --role professional.

## Founding
found-title = Créer l’organisation
found-checking = Nous vérifions le lien…
found-bad-link = Ce lien n’est pas complet. Demandez un nouveau lien.
found-expired = Ce lien ne marche plus. Il a déjà servi, ou il est trop vieux. Demandez un nouveau lien.
found-name = Vous allez créer « { $name } ».
found-1 = Vous serez la personne responsable. Vous ajouterez les personnes aidantes.
found-2 = La clé de l’organisation est faite sur cet appareil. Le serveur ne peut pas la faire à votre place.
found-locked-1 = Ouvrez d’abord votre compte professionnel.
found-locked-2 = Ensuite, sur la page de votre compte, appuyez sur « Continuer : créer l’organisation ».
found-locked-open = Ouvrir mon compte
found-not-pro = Il faut un compte professionnel pour créer une organisation. Demandez un lien d’inscription.
found-start = Créer l’organisation
found-working = Nous créons l’organisation et sa clé…
found-done-title = L’organisation est créée
found-done-1 = « { $name } » est créée. Vous êtes sa personne responsable.
found-done-words = Les cinq mots de l’organisation. Une personne qui donne un mandat à l’organisation voit les mêmes mots.
found-go = Voir mon organisation

## My organisation
org-title = Mon organisation
org-none = Votre compte n’est dans aucune organisation. Une personne responsable doit vous ajouter.
org-loading = Nous vérifions l’organisation…
org-role-responsable = Vous êtes responsable.
org-role-aidant = Vous êtes une personne aidante.
org-words-title = Les cinq mots de l’organisation
org-words-1 = Une personne qui donne un mandat à l’organisation compare ces mots avec son écran.
org-members-title = Les membres
org-members-1 = Chaque personne est reconnue par ses cinq mots.
org-member-responsable = Responsable
org-member-aidant = Personne aidante
org-member-you = (vous)
org-member-remove = Retirer cette personne
org-remove-title = Retirer cette personne ?
org-remove-1 = Elle ne pourra plus rien voir avec les mandats de l’organisation. Cela marche tout de suite.
org-remove-2 = Une nouvelle clé de l’organisation est faite. Les autres membres la reçoivent.
org-remove-yes = Oui, retirer
org-remove-no = Non, garder
org-removing = Nous retirons la personne et changeons la clé…
org-removed = La personne est retirée. La clé est changée.
org-add-title = Ajouter une personne
org-add-1 = La personne ouvre « Mon code » sur son téléphone. Vous scannez son code carré, ou vous tapez son code.
org-add-2 = Ensuite, vous comparez les cinq mots ensemble, face à face.
org-add-start = Ajouter une personne
org-add-compare = Comparez les cinq mots avec l’écran de la personne.
org-add-question = Les mots sont les mêmes sur les deux écrans ?
org-add-yes = Oui, les mêmes : l’ajouter
org-add-no = Non, ils sont différents
org-add-different = Les mots sont différents. N’ajoutez pas cette personne. Demandez de l’aide.
org-adding = Nous ajoutons la personne et lui donnons la clé de l’organisation…
org-added = La personne est ajoutée. Elle est habilitée.
# { $count }: how many people this opening gave the organisation's keys they lacked.
org-keys-given = { $count ->
    [one] 1 personne a reçu les clés de l’organisation.
   *[other] { $count } personnes ont reçu les clés de l’organisation.
  }
org-add-cancel = Annuler
org-key-title = La clé de l’organisation
org-key-generation = Clé n° { $generation }. Elle change quand une personne part.
org-key-none = L’organisation n’a pas encore de clé.
org-key-make = Faire la clé
org-key-making = Nous faisons la clé de l’organisation…
org-key-made = La clé n° { $generation } est faite.
org-mandates-title = Les mandats de l’organisation
org-mandates-1 = Vous voyez qui a donné un mandat et pour combien de temps. Vous ne voyez pas les papiers.
org-mandates-none = Il n’y a pas encore de mandat.
org-mandate-line = Mandat n° { $number }
org-mandate-scope = { $count ->
    [one] 1 démarche
   *[other] { $count } démarches
  } · { $rights }
org-mandate-days = { $days ->
    [one] Encore 1 jour
   *[other] Encore { $days } jours
  }
org-helped = Les personnes que j’aide
org-problem-not_founder = Seule la personne qui a créé l’organisation peut faire sa clé. Demandez-lui.
org-problem-not_responsable = Seule une personne responsable peut faire cela.
org-problem-own_proposal = Vous avez demandé ce changement. Une autre personne responsable doit le signer.
org-problem-proposal_changed = Cette demande ne correspond plus à la liste des membres. Elle est effacée.
org-member-promote = Nommer responsable
org-member-demote = Nommer personne aidante
org-promote-title = Nommer cette personne responsable ?
org-promote-1 = Elle pourra ajouter et retirer des personnes, comme vous.
org-demote-title = Cette personne ne sera plus responsable ?
org-demote-1 = Elle reste dans l’organisation. Elle est personne aidante.
org-role-yes = Oui, je signe
org-role-no = Non, revenir
org-promoted = C’est fait : cette personne est responsable.
org-demoted = C’est fait : cette personne est personne aidante.
org-proposed = C’est signé. Une autre personne responsable doit signer aussi. Elle le verra dans « À signer ».
org-sign-title = À signer
org-sign-1 = Il y a deux responsables ou plus. Chaque changement demande deux signatures.
org-sign-none = Rien à signer.
org-sign-add = Ajouter cette personne (personne aidante)
org-sign-remove = Retirer cette personne
org-sign-promote = Nommer cette personne responsable
org-sign-demote = Nommer cette personne personne aidante
org-sign-words = Les cinq mots de la personne :
org-sign-by = Demandé par :
org-sign-check = Signez seulement si vous êtes d’accord.
org-sign-mine = Vous avez demandé ce changement. Une autre personne responsable doit signer.
org-sign-remove-key = Après la signature, une nouvelle clé de l’organisation est faite.
org-sign-remove-founder = Ensuite, la personne qui a créé l’organisation doit faire une nouvelle clé. Elle seule peut le faire.
org-sign-yes = Signer
org-sign-refuse = Refuser
org-sign-withdraw = Annuler ma demande
org-signing = Nous signons…
org-signed = C’est signé. Le changement est fait.
org-signed-key = C’est signé. La clé n° { $generation } est faite.
org-signed-founder-key = C’est signé. La personne qui a créé l’organisation doit maintenant faire une nouvelle clé.
org-refused = La demande est effacée.
org-news-title = Ce que sont devenues vos demandes
org-news-signed = C’est fait. Une autre personne responsable a signé votre demande. Ses mots :
org-news-dropped = Ce n’est pas fait. Votre demande n’est plus à signer : une autre personne responsable l’a refusée, ou l’organisation a changé avant. Vous pouvez la faire de nouveau.
org-key-stale = Une personne est partie. L’organisation a besoin d’une nouvelle clé.
org-problem-already_member = Cette personne est déjà dans l’organisation.
org-problem-not_a_member = Cette personne n’est plus dans l’organisation.
org-problem-not_a_person_code = Ce code est celui d’une organisation. Scannez le code de la personne.
org-problem-not_professional = Cette personne n’a pas de compte professionnel. Il lui faut un lien d’inscription.
org-back = Retour à mon coffre

## The coffre home's entries (pages/OrganisationSection.tsx)
home-org-mine = Mon organisation : { $name }
home-org-continue = Continuer : créer l’organisation
home-org-admin = Les organisations
