# Coffre — interface en français (langue par défaut).
# Style : FALC (facile à lire et à comprendre). Phrases courtes, une idée par ligne,
# pas de jargon, ou bien on l'explique.
# Chaque fichier (fr, en, ar) a exactement les mêmes identifiants et attributs.

-brand = Coffre

## Cadre de la page

# Titre de l'onglet : { $page } est le titre de la page affichée.
page-title = { $page } — { -brand }
skip-link = Aller au contenu
brand-home = { -brand }
brand-tagline = Le coffre-fort numérique pour vos papiers
language-switcher =
    .aria-label = Choisir la langue
main-nav =
    .aria-label = Menu principal
nav-home = Accueil
nav-help = Aide
nav-about = À propos
footer-text = Vos papiers sont fermés à clé sur votre appareil. L’association ne peut pas les lire.
footer-free-software = { -brand } est un logiciel libre.
footer-privacy-link = Confidentialité

## Accueil : « Bienvenue, avant de commencer »

welcome-title = Bienvenue sur { -brand }
welcome-lead = Avant de commencer, lisez ces quelques lignes.

welcome-what-title = { -brand }, c’est quoi ?
welcome-what-1 = { -brand } est un coffre-fort numérique.
welcome-what-2 = Vous y gardez une photo de vos papiers importants. Par exemple :
welcome-what-example-1 = votre carte d’identité ou votre passeport,
welcome-what-example-2 = votre titre de séjour ou votre récépissé,
welcome-what-example-3 = vos attestations de la CAF,
welcome-what-example-4 = votre carte Vitale, votre attestation de domiciliation.
welcome-what-3 = Si vous perdez vos papiers, ou si on vous les vole, vous les retrouvez ici.
welcome-what-4 = Vous ouvrez votre coffre avec votre téléphone, ou avec l’ordinateur d’une association.

welcome-lock-title = Vos papiers sont fermés à clé
welcome-lock-1 = Vos papiers sont fermés à clé sur votre téléphone ou votre ordinateur, avant de partir sur Internet.
welcome-lock-2 = On dit qu’ils sont « chiffrés ».
welcome-lock-3 = Seules vos clés peuvent les ouvrir.

welcome-host-title = Ce que l’association voit, et ce qu’elle ne voit pas
welcome-host-intro = Ce site est géré par une association. Elle garde votre coffre sur son ordinateur (on dit qu’elle « héberge » { -brand }).
welcome-host-can-title = L’association peut voir :
welcome-host-can-1 = que vous avez un compte { -brand } ;
welcome-host-can-2 = combien de papiers vous avez, et leur taille ;
welcome-host-can-3 = quand vous vous connectez, et depuis quelle connexion Internet (l’adresse IP).
welcome-host-cannot-title = L’association ne peut pas voir :
welcome-host-cannot-1 = vos papiers ;
welcome-host-cannot-2 = le nom de vos papiers ;
welcome-host-cannot-3 = le type de papier (par exemple : carte d’identité ou attestation CAF).

welcome-limits-title = Attention
welcome-limits-keys-1 = Vous avez des clés pour ouvrir votre coffre : votre carte { -brand } (une carte en papier) avec son code, et six mots de secours écrits sur un papier.
welcome-limits-keys-2 = Si vous perdez toutes vos clés, personne ne peut ouvrir votre coffre. Même pas l’association.
welcome-limits-keys-3 = Gardez au moins deux clés, dans deux endroits différents.
welcome-limits-code-1 = Le programme { -brand } arrive sur votre téléphone depuis ce site.
welcome-limits-code-2 = Vous devez donc avoir confiance dans l’association qui gère ce site.

welcome-start-title = Commencer
welcome-create = Ouvrir mon coffre
welcome-unlock = J’ai déjà un coffre
welcome-preview-note = Ce site est en construction. Vous ne pouvez pas encore y ranger vos papiers.

## Comptes : cadre commun

nav-coffre = Mon coffre
header-lock = Fermer
device-shared-label = Je suis sur un ordinateur partagé
device-shared-hint = Par exemple, l’ordinateur d’une association ou d’une médiathèque. Votre coffre se fermera après 5 minutes sans activité.
pin-label = Votre code (4 à 8 chiffres)
pin-again-label = Tapez le même code encore une fois
pin-error-format = Le code doit avoir 4 à 8 chiffres. Seulement des chiffres.
pin-error-different = Les deux codes ne sont pas les mêmes. Tapez-les encore.
error-network = Le site ne répond pas. Vérifiez votre connexion Internet, puis réessayez.
error-server = Il y a eu un problème. Réessayez plus tard.
error-signed-out = Vous n’êtes plus connecté. Ouvrez votre coffre encore une fois.
# { $minutes } : nombre de minutes à attendre.
error-too-many =
    Il y a eu trop d’essais. Attendez { $minutes ->
        [one] une minute
       *[other] { $minutes } minutes
    }, puis réessayez.

## Lire une carte Coffre

reader-camera = Scanner avec la caméra
reader-photo = Prendre une photo de la carte
reader-photo-reading = Nous lisons la photo…
reader-photo-none = Nous ne trouvons pas le code carré sur la photo. Essayez encore, avec plus de lumière.
reader-type = Taper le code de la carte
reader-camera-looking = Placez le code carré de la carte devant la caméra.
reader-camera-video = Image de la caméra
reader-camera-failed = La caméra ne s’ouvre pas. Prenez une photo de la carte, ou tapez son code.
reader-not-carte = Ce code carré n’est pas une carte { -brand }.
reader-other-way = Choisir une autre façon
reader-typed-label = Le code de la carte
reader-typed-hint = Il est écrit à côté du code carré, en groupes de 4 signes. Les espaces et les majuscules ne comptent pas.
reader-typed-submit = Valider le code
reader-typed-empty = Tapez le code de la carte.
# { $count } : signes tapés ; { $expected } : signes attendus (58).
reader-typed-length = Le code a { $expected } signes. Vous en avez tapé { $count }.
reader-typed-checksum = Il y a une erreur dans ce que vous avez tapé. Vérifiez chaque groupe.

## La carte Coffre

carte-heading = Carte { -brand }
# { $name } : le prénom ou le surnom choisi.
carte-name = Carte de { $name }
# { $site } : l’adresse du site.
carte-site = Site : { $site }
carte-qr-label = Le code carré de votre carte
carte-typed-label = Le code de la carte :
carte-secret = Secret. Ne montrez cette carte à personne.
carte-pin-note = Votre code (4 à 8 chiffres) n’est pas écrit sur cette carte.

## Ouvrir un coffre

create-name-title = Comment vous appeler ?
create-name-1 = Vous pouvez écrire votre prénom, ou un surnom. Ce n’est pas obligatoire.
create-name-2 = Il sera écrit sur votre carte { -brand }. Ainsi, vous la reconnaîtrez.
create-name-3 = Il reste sur cet appareil. Il n’est pas envoyé à l’association.
create-name-label = Prénom ou surnom (pas obligatoire)
create-next = Continuer
create-back = Retour
create-pin-title = Choisissez votre code
create-pin-1 = Votre code a 4 à 8 chiffres. Vous le choisissez.
create-pin-2 = Avec votre carte { -brand }, ce code ouvre votre coffre.
create-pin-3 = Le code n’est pas la carte. Il n’est pas écrit sur la carte. Ne l’écrivez pas dessus.
create-pin-4 = Ne donnez votre code à personne.
create-pin-submit = Créer ma carte
create-making-title = Nous préparons votre coffre
create-making-1 = Cela prend quelques secondes.
create-sending-title = Nous ouvrons votre coffre
create-retry = Réessayer
create-carte-title = Votre carte { -brand }
create-carte-1 = Gardez cette carte.
create-carte-2 = Avec votre code, elle ouvre votre coffre.
create-carte-3 = Ne la montrez à personne.
create-carte-print-help = Imprimez la carte. Sans imprimante, recopiez le code de la carte sur un papier.
create-carte-no-file = N’enregistrez pas la carte dans un fichier sur cet ordinateur.
create-print = Imprimer la carte
create-carte-next = J’ai ma carte. Continuer
create-scan-title = Vérifions votre carte
create-scan-1 = Montrez votre carte à l’appareil, ou tapez son code. Ainsi, nous savons que votre carte marche.
create-scan-2 = Votre coffre est créé seulement après cette étape.
create-scan-mismatch = Ce n’est pas la carte que nous venons de faire. Utilisez la nouvelle carte.
create-scan-back = Revoir la carte

## Ouvrir son coffre (se connecter)

unlock-title = J’ai déjà un coffre
unlock-intro = Comment voulez-vous ouvrir votre coffre ?
unlock-with-carte = Avec ma carte
unlock-with-words = Avec mes six mots
unlock-create = Je n’ai pas encore de coffre
unlock-with-device = Avec mon code, sur ce téléphone
unlock-device-1 = Ce téléphone se souvient de votre coffre. Tapez votre code de 4 à 8 chiffres.
unlock-device-forgotten = Ce téléphone ne se souvient plus de votre coffre. Utilisez votre carte, vos six mots ou votre clé d’accès.
unlock-error-pin = Le code n’est pas bon.
unlock-with-passkey = Avec ma clé d’accès
unlock-passkey-hint = La clé d’accès est dans votre téléphone. Vous l’ouvrez avec votre doigt, votre visage ou le code du téléphone.
unlock-passkey-cancelled = La clé d’accès n’a pas répondu. Essayez encore, ou utilisez votre carte.
unlock-passkey-unknown = Cette clé d’accès n’ouvre pas de coffre sur ce site.
unlock-passkey-only-title = Encore une étape
unlock-passkey-only-1 = Votre clé d’accès vous a connecté.
unlock-passkey-only-2 = Sur cet appareil, elle ne peut pas ouvrir le coffre. Utilisez votre carte ou vos six mots.
unlock-locked = Votre coffre est fermé.
unlock-locked-idle = Votre coffre s’est fermé, car personne ne l’utilisait.
unlock-signed-out = Vous êtes déconnecté.
unlock-expired = Votre connexion est terminée. Ouvrez votre coffre encore une fois.
unlock-back = Retour
unlock-carte-title = Montrez votre carte
unlock-carte-1 = Scannez votre carte { -brand }, ou tapez son code.
unlock-pin-title = Tapez votre code
unlock-pin-1 = C’est le code de 4 à 8 chiffres que vous avez choisi.
unlock-open = Ouvrir mon coffre
unlock-words-title = Tapez vos six mots
unlock-words-label = Vos six mots
unlock-words-hint = Mettez un espace entre les mots. Les majuscules ne comptent pas.
unlock-words-error = Ces mots ne sont pas les bons. Vérifiez chaque mot.
unlock-working-title = Nous ouvrons votre coffre
unlock-working = Cela prend quelques secondes.
unlock-working-words = Cela peut prendre quelques secondes.
unlock-error-carte = La carte ou le code ne sont pas bons.
unlock-error-words = Ces six mots n’ouvrent pas de coffre sur ce site.
unlock-error-open = Votre coffre ne s’ouvre pas sur cet appareil. Demandez de l’aide à une association.
unlock-carte-locked-title = Votre carte est bloquée
unlock-error-locked-1 = Le code a été faux trop de fois. Pour vous protéger, la carte est bloquée.
unlock-error-locked-2 = Vous pouvez ouvrir votre coffre avec vos six mots, si vous en avez.
unlock-error-locked-3 = Sinon, demandez de l’aide à l’association qui vous accompagne.
unlock-help = Lire l’aide

## Mon coffre

home-title = Votre coffre est ouvert
home-open-1 = Vous seul pouvez voir ce qu’il y a dedans.
home-locked-title = Votre coffre est fermé
home-locked-1 = Pour l’ouvrir, il faut votre carte et votre code, ou vos six mots.
home-locked-open = Ouvrir mon coffre
home-papers-title = Mes papiers
home-papers-1 = Rangez ici vos papiers : carte d’identité, titre de séjour, attestations… Ils sont chiffrés sur cet appareil avant d’être envoyés.
home-papers-all = Voir tous mes papiers
home-papers-categories = Les catégories de papiers
home-words-title = Six mots de secours
home-words-1 = Si vous perdez votre carte, six mots peuvent aussi ouvrir votre coffre.
home-words-2 = Nous choisissons les mots au hasard. Vous les écrivez sur un papier.
home-words-3 = Si vous aviez déjà six mots, les anciens ne marcheront plus.
home-words-add = Ajouter six mots de secours
home-words-list = Vos six mots
home-words-show-1 = Voici vos six mots. Écrivez-les sur un papier, dans cet ordre.
home-words-show-2 = Ils ne seront plus jamais montrés.
home-words-show-3 = Cachez ce papier. Ne le gardez pas avec votre carte.
home-words-confirm = J’ai écrit les six mots sur un papier.
home-words-confirm-error = Cochez la case quand vous avez écrit les six mots.
home-words-save = Enregistrer les six mots
home-words-cancel = Annuler
home-words-saving = Nous enregistrons vos six mots. Cela peut prendre quelques secondes.
home-words-done = Vos six mots sont enregistrés. Ils ouvrent maintenant votre coffre.
home-devices-title = Les appareils connectés
home-devices-1 = Votre coffre est ouvert sur ces appareils. Vous pouvez les déconnecter.
home-devices-loading = Chargement…
home-device-this = Cet appareil
home-device-factor-carte = Ouvert avec la carte
home-device-factor-passphrase = Ouvert avec les six mots
home-device-factor-passkey = Ouvert avec une clé d’accès
home-device-factor-device = Ouvert avec ce téléphone et le code
home-device-factor-other = Ouvert avec une autre clé
home-device-shared = Ordinateur partagé
# { $date } : date et heure.
home-device-since = Connecté depuis le { $date }
home-device-seen = Dernière activité : { $date }
home-device-signout = Déconnecter
home-devices-signout-all = Déconnecter tous les appareils
home-devices-signout-all-hint = Cet appareil aussi. C’est utile si vous avez oublié de vous déconnecter ailleurs.
home-close-title = Fermer
home-close-1 = « Fermer mon coffre » : il se ferme sur cet appareil. Pour le rouvrir, il faut votre carte ou vos six mots.
home-close-2 = « Me déconnecter » : cet appareil oublie aussi votre connexion. C’est le mieux sur un ordinateur partagé.
home-lock = Fermer mon coffre
home-signout = Me déconnecter

## À propos et confidentialité

about-title = À propos et confidentialité
about-what-title = { -brand }
about-what-1 = { -brand } est un logiciel libre : tout le monde peut lire et vérifier son programme.
about-what-2 = Des associations l’installent pour les personnes qu’elles accompagnent.

about-e2e-title = Chiffré de bout en bout
about-e2e-1 = Vos papiers sont fermés à clé sur votre appareil, avant de partir sur Internet.
about-e2e-2 = Ils ne sont ouverts que sur votre appareil, ou sur celui d’une personne à qui vous donnez la permission.
about-e2e-3 = Sur le chemin et chez l’association, ils restent fermés. On dit qu’ils sont « chiffrés de bout en bout ».

about-host-title = Ce que l’association voit

about-device-title = Ce que ce site garde sur votre appareil
about-device-1 = Votre choix de langue. C’est tout, pour l’instant.
about-device-2 = Pas de publicité. Pas de traceur. Rien n’est chargé depuis un autre site.

about-limits-title = Les limites
about-limits-1 = Si vous perdez toutes vos clés, personne ne peut ouvrir votre coffre.
about-limits-2 = Le programme { -brand } vient de ce site. Si quelqu’un changeait ce site, il pourrait changer ce programme.
about-limits-3 = Un papier que vous avez montré a pu être copié.

## Page introuvable

not-found-title = Page introuvable
not-found-1 = Cette page n’existe pas.
not-found-back = Retour à l’accueil

## Journal du coffre (page « Votre coffre est ouvert »)

home-journal-title = Le journal de votre coffre
home-journal-1 = Ici, vous voyez ce qui s’est passé avec votre coffre. Le plus récent est en haut.
home-journal-loading = Nous vérifions le journal…
home-journal-unavailable = Le journal ne peut pas être lu pour le moment. Réessayez plus tard.
home-journal-verified = Le journal est vérifié. Personne ne l’a changé.
home-journal-list = Ce qui s’est passé
home-journal-broken-1 = Attention : le journal ne se vérifie pas.
home-journal-broken-2 = Des lignes ont peut-être été enlevées, changées ou remplacées par d’anciennes. Parlez-en à l’association qui héberge Coffre.
home-journal-broken-code = Code de l’erreur : { $code }
journal-coffre_created = Coffre ouvert
journal-sign_in = { $factor ->
    [carte] Connexion avec la carte
    [passphrase] Connexion avec les six mots
    [passkey] Connexion avec la clé d’accès
    [device] Connexion avec un téléphone mémorisé
   *[none] Connexion
}
journal-sign_in_failed = Échec de connexion : code faux
journal-carte_locked = Carte bloquée : trop de codes faux
journal-restored = Coffre restauré depuis une sauvegarde du { $date }
journal-restored-undated = Coffre restauré depuis une sauvegarde
journal-key_added = { $factor ->
    [passphrase] Six mots de secours ajoutés
    [passkey] Clé d’accès ajoutée
    [device] Téléphone mémorisé
   *[none] Clé ajoutée
}
journal-key_removed = { $factor ->
    [passkey] Clé d’accès retirée
    [device] Téléphone oublié
   *[none] Clé retirée
}
journal-other = Autre événement
journal-paper_added = Papier ajouté
journal-paper_deleted = Papier supprimé

## Carte perdue, volée ou photographiée

home-lost-title = Carte perdue, volée ou photographiée ?
home-lost-1 = Faites une nouvelle carte tout de suite.
home-lost-2 = L’ancienne carte ne pourra plus ouvrir votre coffre. Vos six mots changent aussi.
home-lost-start = Faire une nouvelle carte
home-lost-done = Votre nouvelle carte est prête. L’ancienne carte et les anciens six mots ne marchent plus.
newcarte-title = Faire une nouvelle carte
newcarte-1 = Nous faisons une nouvelle carte et un nouveau code.
newcarte-2 = Après, l’ancienne carte n’ouvre plus rien.
newcarte-3 = Vos anciens six mots ne marchent plus non plus. Nous vous donnons six nouveaux mots.
newcarte-4 = Vos autres appareils sont déconnectés. Vos clés d’accès sont retirées : vous pourrez en ajouter une nouvelle.
newcarte-start = Commencer
newcarte-cancel = Annuler
newcarte-words-title = Vos six nouveaux mots
newcarte-words-1 = Écrivez ces six mots sur un papier, dans cet ordre. Ils ne seront plus jamais montrés.
newcarte-words-2 = Cachez ce papier. Ne le gardez pas avec votre carte.
newcarte-finish = Terminer
newcarte-sending-title = Nous changeons vos clés
journal-carte_revoked = Ancienne carte révoquée, nouvelle carte faite
home-journal-since = Voici ce qui s’est passé depuis votre dernière visite sur cet appareil.
home-journal-all = Voir tout le journal
home-journal-vouched = Sur cet appareil, nous avons vérifié les signatures depuis le { $date }. Avant cette date, un de vos appareils les avait déjà vérifiées.
home-journal-newest = Voici les { $count } lignes les plus récentes. Les plus anciennes sont vérifiées aussi.

## Clé d’accès (passkey)

home-passkey-title = Clé d’accès
home-passkey-1 = Avec une clé d’accès, votre téléphone ouvre votre coffre. Vous utilisez votre doigt, votre visage ou le code du téléphone.
home-passkey-2 = Gardez quand même votre carte : si vous perdez le téléphone, la carte ouvre le coffre.
home-passkey-add = Ajouter une clé d’accès sur cet appareil
home-passkey-adding = Votre appareil vous demande votre doigt, votre visage ou son code.
home-passkey-added = C’est fait. La prochaine fois, ouvrez votre coffre avec votre clé d’accès.
home-passkey-added-signin-only = Cette clé d’accès vous connecte, mais elle ne peut pas ouvrir le coffre sur cet appareil. Gardez votre carte.
home-passkey-cancelled = Rien n’a été ajouté. Vous pouvez essayer encore.
home-passkey-already = Cet appareil a déjà une clé d’accès pour votre coffre.
home-passkey-unlocks = Connecte et ouvre le coffre
home-passkey-signin-only = Connecte seulement : la carte ouvre le coffre
home-passkey-since = Ajoutée le { $date }
home-passkey-remove = Retirer
home-passkey-shared = Sur un ordinateur partagé, on n’ajoute pas de clé d’accès.
home-passkey-unavailable = Ce navigateur ne sait pas faire de clé d’accès.

## Comptes professionnels (invitation)

invite-title = Invitation
invite-checking = Nous vérifions le lien.
invite-bad-link = Ce lien n’est pas complet. Copiez tout le lien, ou demandez-en un nouveau.
invite-expired = Ce lien ne marche plus. Il a déjà servi, ou il est trop vieux.
invite-ask-new = Demandez un nouveau lien à la personne qui gère { -brand } dans votre association.
invite-home = Aller à l’accueil
invite-pro-title = Votre compte professionnel
invite-pro-1 = Ce compte est pour votre travail d’aidant ou de responsable.
invite-pro-2 = Il a ses propres clés. Plus tard, les personnes que vous aidez pourront vous donner un mandat.
invite-pro-3 = Ce compte ne voit pas les coffres des autres. Il ne voit que ce qu’un mandat permet.
invite-admin-title = Le compte de l’administrateur
invite-admin-1 = Ce compte gère le site { -brand } de votre association.
invite-admin-2 = Il ne voit aucun papier, aucun nom de catégorie, et aucun coffre.
invite-same-steps = Vous allez faire les mêmes étapes que pour un coffre : un code, puis une carte.
invite-start = Commencer
home-fingerprint-title = Votre empreinte
home-role-professional = Compte professionnel
home-role-admin = Compte administrateur
home-fingerprint-1 = Ces cinq mots disent qui vous êtes. Ils viennent de vos clés.
home-fingerprint-2 = Avant de vous donner un mandat, une personne compare ces mots, ou scanne ce code carré.
home-fingerprint-qr = Le code carré de votre empreinte

## Ce téléphone (se souvenir de ce téléphone)

home-phone-title = Ce téléphone
home-phone-1 = Sur votre téléphone à vous, { -brand } peut se souvenir de votre coffre. Ensuite, votre code suffit pour l’ouvrir ici.
home-phone-2 = Ne le faites jamais sur un téléphone prêté ou sur un ordinateur partagé.
home-phone-3 = Si le téléphone est volé, dites-le depuis un autre appareil : il n’ouvrira plus rien.
home-phone-remember = Se souvenir de ce téléphone
home-phone-working = Un instant…
home-phone-done = C’est fait. Sur ce téléphone, votre code suffit maintenant.
home-phone-remembered = Ce téléphone se souvient de votre coffre. Votre code suffit pour l’ouvrir.
home-phone-forget = Oublier ce téléphone
home-phone-forgotten = Ce téléphone a oublié votre coffre.
home-phone-this-phone = Ce téléphone
home-phone-shared = Sur un ordinateur partagé, { -brand } ne se souvient de rien.
home-phone-others = Ces téléphones se souviennent aussi de votre coffre :
home-phone-since = Depuis le { $date }
home-phone-stolen = Ce téléphone a été volé
home-phone-stolen-done = Ce téléphone n’ouvre plus votre coffre.
home-remembered-keys = Vous avez ouvert le coffre avec ce téléphone et votre code. Pour changer vos clés, ouvrez-le avec votre carte, vos six mots ou votre clé d’accès.

## Carte en PDF

carte-pdf-download = Télécharger la carte (PDF)
carte-pdf-hint = Le fichier est pour votre téléphone à vous. Ne l’envoyez à personne.
carte-pdf-error = Le fichier n’a pas pu être fait. Imprimez la carte, ou recopiez son code.

## Papiers : catégories et types

category-identity = Identité et état civil
category-residence = Séjour
category-health = Santé
category-income = Ressources et aides
category-housing = Logement et domiciliation
category-work = Travail et formation
category-tax-bank = Impôts et banque
category-justice = Justice
category-family = Famille et scolarité
category-other = Autres

doctype-cni = Carte d’identité (CNI)
doctype-passeport = Passeport
doctype-titre_sejour = Titre de séjour
doctype-recepisse = Récépissé
doctype-domiciliation = Attestation de domiciliation
doctype-carte_vitale = Carte Vitale
doctype-css_ame = Attestation CSS ou AME
doctype-attestation_caf = Attestation CAF
doctype-avis_imposition = Avis d’imposition
doctype-rib = RIB
doctype-autre = Autre papier

# { $size } : un nombre, déjà écrit (par exemple « 1,5 »).
size-mb = { $size } Mo

## Papiers : la liste

papers-title = Mes papiers
papers-add = Ajouter un papier
papers-loading = Nous ouvrons vos papiers…
papers-deleted = Le papier est supprimé.
# { $count } : le nombre d’anciennes versions d’un papier.
papers-older = { $count ->
    [one] 1 ancienne version
   *[other] { $count } anciennes versions
}
# { $date } : une date, par exemple « 2 mars 2027 ».
papers-older-added = Ajoutée le { $date }
papers-none = Vous n’avez pas encore de papier. Choisissez « Ajouter un papier ».
papers-broken-1 = Attention : la liste de vos papiers n’est pas la bonne.
papers-broken-2 = Un papier manque, ou a été changé sans vous. Parlez-en à votre association.
# { $count } : nombre de papiers.
papers-refused = { $count ->
    [one] Un papier n’a pas pu être vérifié. Nous ne le montrons pas.
   *[other] { $count } papiers n’ont pas pu être vérifiés. Nous ne les montrons pas.
}
# La liste d’une catégorie ne correspond pas à ce que ce téléphone sait, ou le journal
# nomme un papier que le serveur ne montre pas.
papers-warning-1 = Attention : le serveur ne montre peut-être pas tous vos papiers.
papers-warning-2 = Nous avons vérifié chaque papier montré ici. Parlez-en à votre association.
# { $count } : nombre de papiers.
papers-warning-missing = { $count ->
    [one] Un papier de votre journal n’est pas dans la liste.
   *[other] { $count } papiers de votre journal ne sont pas dans la liste.
}
# { $names } : les noms des catégories, séparés par des virgules.
papers-warning-categories = Catégories : { $names }.
papers-search = Chercher un papier
papers-search-hint = Tapez son nom ou son type. Par exemple : récépissé.
papers-found = { $count ->
    [0] Aucun papier trouvé
    [one] 1 papier trouvé
   *[other] { $count } papiers trouvés
}
papers-renew-title = À renouveler
papers-renew-1 = Ces papiers ne sont bientôt plus valables, ou ne le sont plus.
papers-empty-title = Pas encore de papier dans ces catégories
paper-pages = { $count ->
    [one] 1 page
   *[other] { $count } pages
}
# { $date } : une date, par exemple « 2 mars 2027 ».
paper-expired = Plus valable depuis le { $date }
paper-expires-soon = { $days ->
    [0] Plus valable après aujourd’hui ({ $date })
    [one] Plus valable dans 1 jour (le { $date })
   *[other] Plus valable dans { $days } jours (le { $date })
}
paper-valid-until = Valable jusqu’au { $date }
# { $used } et { $quota } : des tailles, par exemple « 12 Mo ».
papers-space = Place utilisée : { $used } sur { $quota }.
papers-space-nearly-full = Votre coffre est presque plein ({ $percent } %). Supprimez les papiers dont vous n’avez plus besoin.
papers-space-full = Votre coffre est plein. Supprimez des papiers pour en ajouter d’autres.

papers-error-quota = Votre coffre est trop plein pour ce papier. Supprimez des papiers dont vous n’avez plus besoin.
papers-error-too-large = Ce papier est trop gros. Prenez moins de pages, ou des photos plutôt qu’un PDF.
papers-error-storage-full = Le serveur est plein. Rien n’a été enregistré. Prévenez votre association.
papers-error-expired = L’envoi a pris trop de temps. Recommencez.
papers-error-not-found = Ce papier n’existe plus.
# { $code } : le code de l’erreur, pour l’association.
papers-error-verify = Ce papier n’a pas pu être vérifié. Nous ne l’ouvrons pas. Code : { $code }

## Papiers : ajouter un papier

add-title = Ajouter un papier
add-1 = Prenez une photo de chaque page du papier.
add-2 = Ou choisissez un fichier : une photo ou un PDF.
add-camera = Prendre une photo
add-camera-next = Prendre la page suivante
add-choose = Choisir un fichier
add-preparing = Nous préparons la page…
add-pages-title = { $count ->
    [one] 1 page
   *[other] { $count } pages
}
# { $n } : le numéro de la page.
add-page-name = Page { $n }
add-page-alt = La page { $n }, comme elle sera gardée
add-page-pdf = Fichier PDF
# { $count } : le nombre de pages du PDF.
add-page-pdf-pages = { $count ->
    [one] 1 page
   *[other] { $count } pages
}
add-page-pdf-alt = La première page du PDF
add-page-pdf-counting = Nous comptons les pages…
add-page-pdf-unreadable = Nous ne pouvons pas montrer ce PDF. Vous pouvez quand même le garder.
add-turn = Tourner
add-margin = Couper les bords
add-margin-0 = Ne rien couper
add-margin-1 = Un peu
add-margin-2 = Plus
add-margin-3 = Beaucoup
add-crop-hand = Couper à la main
add-margin-custom = À la main
crop-help = Déplacez les ronds blancs pour garder seulement le papier. Avec le clavier : les flèches.
# { $name } : le nom de la page, par exemple « Page 2 ».
crop-photo-alt = { $name } en entier, avant de couper
crop-edge-top = { $name } : bord du haut
crop-edge-right = { $name } : bord droit
crop-edge-bottom = { $name } : bord du bas
crop-edge-left = { $name } : bord gauche
# { $percent } : un nombre entre 0 et 100.
crop-edge-value = { $percent } %
crop-apply = Couper
crop-reset = Tout garder
crop-cancel = Annuler
add-remove = Retirer cette page
add-next = Continuer
add-cancel = Annuler

# { $limit } : une taille, par exemple « 25 Mo ».
paper-error-empty_file = Ce fichier est vide. Choisissez-le encore une fois.
paper-error-unsupported_type = Ce fichier n’est pas une photo ni un PDF. Prenez une photo du papier, ou choisissez un PDF.
paper-error-heic_unsupported = Votre téléphone a fait une photo HEIC. Ce navigateur ne sait pas la lire. Dans les réglages de l’appareil photo, choisissez « Le plus compatible ». Ou faites une capture d’écran de la photo.
paper-error-file_damaged = Ce fichier est abîmé. Choisissez-le encore une fois, ou prenez une nouvelle photo.
paper-error-pdf_too_large = Ce PDF est trop gros (plus de { $limit }). Prenez plutôt une photo de chaque page.
paper-error-image_too_large = Cette photo est trop grande. Réglez l’appareil photo plus bas, ou faites une capture d’écran.
paper-error-processing_failed = Cette page n’a pas pu être préparée. Fermez d’autres applications, puis réessayez.
paper-error-pdf-alone = Un PDF se range seul. Rangez d’abord ces pages, puis ajoutez le PDF comme un autre papier.

add-file-title = Rangez votre papier
add-file-1 = { $count ->
    [one] Votre papier a 1 page. Dites ce que c’est.
   *[other] Votre papier a { $count } pages. Dites ce que c’est.
}
add-choose-one = Choisissez…
add-type = Le type de papier
add-category = La catégorie
add-title-field = Le nom du papier
add-title-hint = Pour le retrouver. Par exemple : récépissé de mars.
add-issued = Date où il a été donné (pas obligatoire)
add-expires = Date de fin de validité (pas obligatoire)
add-expires-hint = Regardez sur le papier.
add-expires-suggested = Nous avons mis la date habituelle pour ce type de papier. Vérifiez-la sur le papier.
add-missing-type = Choisissez le type de papier.
add-missing-category = Choisissez la catégorie.
add-missing-title = Donnez un nom au papier.
add-missing-dates = La fin de validité est avant la date où il a été donné. Vérifiez les dates.
add-send = Enregistrer le papier
add-back = Revenir aux pages

add-sending-title = Envoi de votre papier
add-sending-1 = Votre papier est chiffré sur cet appareil, puis envoyé. Ne fermez pas la page.
add-progress-label = Avancement
add-stage-sealing = Chiffrement sur cet appareil…
add-stage-sending = Envoi…
add-stage-filing = Rangement…
# { $percent } : un nombre de 0 à 100.
add-sending-percent = Envoi : { $percent } %
add-done-title = Votre papier est rangé
add-done-1 = C’est fait. Votre papier est dans votre coffre.
add-done-show = Voir ce papier
add-done-list = Voir mes papiers

## Papiers : montrer un papier

show-title = Un papier
show-stage = Le papier
show-close = Fermer
show-opening = Nous ouvrons et vérifions le papier…
# { $n } : numéro de la page ; { $count } : nombre de pages ; { $title } : nom du papier.
show-page-alt = Page { $n } sur { $count } : { $title }
show-count = Page { $n } sur { $count }
show-previous = Page d’avant
show-next = Page suivante
show-zoom-in = Agrandir
show-zoom-out = Réduire
show-contrast = Contraste fort
show-pdf-drawing = Affichage de la page…
show-pdf-failed = Ce PDF ne peut pas s’afficher ici. Téléchargez-le pour l’ouvrir.
pdf-frame-title = Lecteur de PDF
show-more = Autres actions
show-replace = Remplacer par une version plus récente
show-older-note = Ce papier a une version plus récente.
show-newer = Voir la version récente
# { $title } : le nom du papier remplacé.
add-replacing = C’est la nouvelle version de « { $title } ». L’ancienne version reste dans vos papiers. Vous pourrez la supprimer.
add-replacing-gone = Le papier à remplacer n’existe plus. Ce papier sera un papier nouveau.
show-download = Télécharger
show-download-shared = Attention : sur un ordinateur partagé, le fichier reste sur l’ordinateur. Effacez-le après.
show-delete = Supprimer ce papier
show-delete-confirm-1 = Voulez-vous vraiment supprimer ce papier ?
show-delete-confirm-2 = Il sera effacé pour toujours. Personne ne pourra le retrouver.
show-delete-yes = Oui, supprimer
show-delete-no = Non, le garder
show-deleting = Suppression…

## Sans réseau (papers-offline.md)
offline-notice = Pas de réseau. Vos papiers déjà ouverts restent visibles.
offline-unavailable = Pas disponible sans réseau
offline-not-kept = Ce papier n’est pas disponible sans réseau. Il s’ouvrira quand le réseau reviendra.
offline-no-changes = Sans réseau, vous ne pouvez pas ajouter, remplacer ou supprimer un papier.
offline-unlock-1 = Pas de réseau. Pour ouvrir votre coffre, il faut le réseau.
offline-unlock-2 = C’est voulu : un téléphone volé ne peut pas ouvrir votre coffre.

## Mandats (docs/design/mandates-screens.md)

journal-mandate_granted = Mandat donné
journal-mandate_revoked = Mandat arrêté
home-mandates-title = Mandats
home-mandates-1 = Un mandat permet à une personne ou à une association de vous aider : voir vos papiers, ou en déposer.
home-mandates-give = Donner un mandat
home-mandates-list = Mes mandats
home-mandates-code = Mon code
home-mandates-helped = Les personnes que j’aide
journal-mandate_accessed = Une personne aidante a regardé vos papiers (mandat)
journal-paper_deposited = Une personne aidante a déposé un papier (mandat)
journal-mandate_renounced = La personne aidante a arrêté le mandat
journal-category_rotated = Nouvelle clé pour une catégorie de papiers (après la fin d’un mandat)
journal-mandate_expired = Un mandat est fini : sa date de fin est passée
