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
welcome-limits-keys-1 = Vous avez des clés pour ouvrir votre coffre : votre carte { -brand } (une carte en papier), votre téléphone, ou une phrase secrète.
welcome-limits-keys-2 = Si vous perdez toutes vos clés, personne ne peut ouvrir votre coffre. Même pas l’association.
welcome-limits-keys-3 = Gardez au moins deux clés, dans deux endroits différents.
welcome-limits-code-1 = Le programme { -brand } arrive sur votre téléphone depuis ce site.
welcome-limits-code-2 = Vous devez donc avoir confiance dans l’association qui gère ce site.

welcome-start-title = Commencer
welcome-create = Ouvrir mon coffre
welcome-unlock = J’ai déjà un coffre
welcome-preview-note = Ce site est en construction. Vous ne pouvez pas encore y ranger vos papiers.

## Pages « bientôt disponible »

create-title = Ouvrir mon coffre
unlock-title = J’ai déjà un coffre
soon-status = Bientôt disponible
soon-1 = Cette partie de { -brand } n’est pas encore prête.
soon-2 = Pour l’instant, personne ne peut créer de coffre ni s’y connecter sur ce site.
soon-3 = En attendant, gardez vos papiers et une photocopie dans deux endroits différents.
soon-back = Retour à l’accueil
soon-help = Lire l’aide

## Aide

help-title = Aide
help-lead = Les réponses aux questions les plus fréquentes.

help-create-title = Comment ouvrir un coffre ?
help-create-1 = Bientôt, vous pourrez ouvrir votre coffre seul, sur votre téléphone.
help-create-2 = Vous pourrez aussi le faire avec l’aide d’une association.
help-create-3 = Vous n’aurez pas besoin d’adresse e-mail, ni de numéro de téléphone.

help-keys-title = Qu’est-ce qu’une clé ?
help-keys-intro = Une clé sert à ouvrir votre coffre. Il existe trois sortes de clés :
help-keys-card = La carte { -brand } : une carte en papier avec un code carré (un QR code). Gardez-la dans un endroit sûr.
help-keys-passkey = Votre téléphone : il devient une clé (on dit une « clé d’accès »). Vous l’ouvrez avec votre doigt, votre visage ou votre code.
help-keys-passphrase = Une phrase secrète : des mots choisis au hasard. Apprenez-la, ou écrivez-la sur un papier bien caché.

help-lost-title = J’ai perdu mon téléphone
help-lost-1 = Vos papiers restent dans votre coffre.
help-lost-2 = Ouvrez votre coffre avec une autre clé : votre carte { -brand } ou votre phrase secrète.
help-lost-3 = Si vous avez perdu toutes vos clés, personne ne peut ouvrir votre coffre.

help-who-title = Qui peut voir mes papiers ?
help-who-1 = Vous.
help-who-2 = Et les personnes à qui vous donnez la permission. Par exemple : votre travailleur social.
help-who-3 = Cette permission s’appelle un « mandat ». Vous choisissez quels papiers, et pour combien de temps.
help-who-4 = Vous pouvez arrêter le mandat quand vous voulez.
help-who-5 = Attention : un papier déjà vu a pu être copié.

help-more-title = Besoin d’aide ?
help-more-1 = Demandez à l’association qui vous accompagne.

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
