## Rencontre — français (langue de référence)

error-internal = Désolé, quelque chose s'est mal passé de notre côté. Réessayez dans un instant ; si cela continue, prévenez un organisateur.
error-bad-invocation = Cette commande est incomplète. Tapez-la à nouveau en choisissant les options proposées.
error-stale-button = Ce bouton n'est plus valable. Utilisez `/agenda` pour retrouver l'événement.
error-not-organizer = Seuls les organisateurs peuvent faire cela (rôle organisateur, ou permission « Gérer les événements »).
error-not-your-event = Vous ne pouvez modifier ou annuler que les événements que vous avez créés ; pour les autres, demandez à un organisateur.
error-not-admin = Seuls les administrateurs du serveur (permission « Gérer le serveur ») peuvent configurer Rencontre.
error-unknown-event = Je ne trouve pas l'événement « { $text } ». Choisissez-le dans la liste proposée pendant la saisie, ou consultez `/agenda`.
error-event-gone = Cet événement n'existe plus.
error-event-cancelled = Cet événement est annulé.
error-event-over = Cet événement est terminé.
error-event-ended = « { $title } » est déjà terminé : on ne peut plus le modifier ni l'annuler.
error-rsvp-closed = Les inscriptions sont closes pour cet événement (date limite passée). Vous pouvez encore libérer votre place avec « Je ne peux pas ».
error-restricted = Cet événement est réservé au rôle { $role }.
error-guests-do-not-fit = Il ne reste pas assez de places : vous pouvez amener au plus { $free ->
    [0] aucun invité
    [one] un invité
   *[other] { $free } invités
}.
error-party-too-large = Cet événement n'a que { $capacity ->
    [one] une place
   *[other] { $capacity } places
} : vous pouvez amener au plus { $free ->
    [0] aucun invité
    [one] un invité
   *[other] { $free } invités
}.
error-check-in-closed = L'enregistrement ouvre 30 minutes avant le début et ferme à la fin de l'événement.
error-check-in-not-going = Seules les personnes inscrites (« Je participe ») peuvent s'enregistrer.
error-too-long = { $field } : { $len } caractères, c'est trop (maximum { $max }). Raccourcissez le texte.
error-required = { $field } : ce champ est obligatoire.
error-out-of-range = { $field } : choisissez un nombre entre { $min } et { $max }.
error-unreadable-date = Je n'ai pas compris la date `{ $text }`. Essayez par exemple `jeudi 18h`, `3 déc 18h30`, `demain 9h` ou `2026-12-03 18:30`.
error-date-past = Cette date est déjà passée ({ $when }). Indiquez une date à venir.
error-date-too-far = La date `{ $text }` est trop loin : { $years ->
        [one] un an
       *[other] { $years } ans
    } à l'avance au plus, soit jusqu'au { $limit }. Vérifiez l'année.
error-date-weekday-mismatch = Le { $date } est un { $actual }, pas un { $said }. Précisez : `{ $said_reading }` ou `{ $date_reading }`.
error-date-range-not-here = `{ $text }` est une plage horaire ; ici, indiquez un seul moment, par exemple `jeudi 18h`.
error-deadline-after-start = La date limite de réponse doit précéder le début de l'événement.
error-bad-duration = Je n'ai pas compris la durée `{ $text }`. Essayez `2h`, `90min` ou `1h30` (7 jours au plus).
error-duration-conflict = L'horaire `{ $when }` dure déjà { $range } ; la durée `{ $duration }` le contredit. Gardez l'un ou l'autre.
error-capacity-below-taken = { $taken ->
    [one] { $taken } place est déjà prise
   *[other] { $taken } places sont déjà prises
} : la capacité ne peut pas descendre en dessous.
error-bad-timezone = « { $zone } » n'est pas un fuseau horaire connu. Choisissez-en un dans la liste, par exemple `Europe/Paris`.
error-bad-offsets = Je n'ai pas compris les délais `{ $text }`. Écrivez par exemple `24h,1h` (5 délais au plus, 14 jours au plus).
error-bad-website = Ce site web ne ressemble pas à une adresse valide. Écrivez par exemple `coteo.fr` ou `https://coteo.fr`.
error-search-empty = Tapez au moins un mot à rechercher (lettres ou chiffres).
error-announce-too-late = L'heure prévue pour cette annonce est déjà passée. Relancez `/annoncer` avec une nouvelle heure.
error-announce-elsewhere = Ce salon ou ce rôle n'appartient pas à ce serveur. Choisissez un salon et un rôle d'ici avec `/announce`.
error-announce-form-expired = Ce formulaire n'est plus valable (il a expiré ou a déjà servi). Relancez `/announce` pour écrire votre annonce.
error-unknown-poll = Je ne trouve pas le sondage « { $text } ». Choisissez-le dans la liste proposée pendant la saisie.
error-poll-too-few-dates = Un sondage propose au moins deux dates, séparées par « ; », par exemple `jeudi 18h30; vendredi 12h`.
error-poll-too-many-dates = { $count } dates, c'est trop : { $max } au plus. Retirez-en quelques-unes.
error-poll-same-date = `{ $first }` et `{ $second }` tombent au même moment ({ $when }). Gardez-en une seule.
error-poll-date-part = Date { $position } (`{ $text }`) : { $reason }
error-poll-deadline-after-first = La clôture du sondage ({ $deadline }) doit précéder sa première date ({ $first }).
error-poll-closed = Ce sondage est clos.
error-poll-no-leading = Personne n'a encore répondu : choisissez la date avec l'option `date`.
error-poll-unknown-date = Ce sondage n'a pas de date `{ $text }`. Choisissez-en une dans la liste proposée (1 à { $count }).
error-poll-chosen-past = Cette date est déjà passée ({ $when }) : choisissez-en une à venir.

field-title = Titre
field-when = Date
field-location = Lieu
field-description = Description
field-capacity = Nombre de places
field-guests = Invités
field-note = Note
field-query = Recherche
field-reason = Motif

button-going = Je participe
button-maybe = Peut-être
button-declined = Je ne peux pas
button-check-in = Je suis là
button-delete-everything = Tout supprimer
button-cancel = Annuler
button-introduce-yourself = Me présenter
button-fix-intro = Corriger ma présentation

card-when = Quand
card-where = Où
card-going = Participants
card-maybe = Peut-être
card-waitlist = Liste d'attente
card-deadline = Réponse avant
card-restricted = Réservé à
card-yours = Votre réponse
card-cancelled-title = ANNULÉ — { $title }
card-cancel-reason = Motif de l'annulation : { $reason }
card-footer = Événement n° { $id } · répondez avec les boutons ci-dessous
card-no-location = lieu à préciser
card-going-names = Qui vient
card-names-more = +{ $count }

rsvp-going = C'est noté : vous participez à « { $title } »{ $guests ->
    [0] .
    [one] , avec un invité.
   *[other] , avec { $guests } invités.
}
rsvp-waitlisted = « { $title } » est complet : vous êtes n° { $position } sur la liste d'attente. Je vous préviens par message privé si une place se libère.
rsvp-maybe = C'est noté : peut-être pour « { $title } ».
rsvp-declined = C'est noté : vous ne venez pas à « { $title } ».
rsvp-mine-going = ✅ vous participez
rsvp-mine-maybe = ❔ peut-être
rsvp-mine-declined = ❌ vous ne venez pas
rsvp-mine-waitlisted = ⏳ n° { $position } en liste d'attente
rsvp-mine-walk-in = 🚶 venu·e sans inscription
check-in-done = Bienvenue ! Votre présence à « { $title } » est enregistrée.

event-created = Événement « { $title } » créé pour le { $when }. Sa fiche est publiée dans { $channel }.
event-series-created = Série récurrente : { $count ->
    [one] { $count } date créée, avec ses propres réponses.
   *[other] { $count } dates créées, chacune avec ses propres réponses.
}
event-edited = Événement « { $title } » modifié ; sa fiche est à jour.
event-cancelled = Événement « { $title } » annulé ; les inscrits sont prévenus.
dm-promoted = Bonne nouvelle : une place s'est libérée pour « { $title } » ({ $when }). Vous êtes inscrit·e !
dm-event-changed = « { $title } » a changé : c'est désormais le { $when }, lieu : { $where }.
dm-series-changed = « { $title } » a changé pour { $count ->
    [one] la date
   *[other] les { $count } dates
} où vous avez répondu : désormais { $dates }, lieu : { $where }.
dm-event-cancelled = « { $title } » prévu le { $when } est annulé.
dm-event-cancelled-reason = « { $title } » prévu le { $when } est annulé. Raison : { $reason }
dm-series-cancelled = « { $title } » est annulé pour { $count ->
    [one] la date
   *[other] les { $count } dates
} où vous avez répondu : { $dates }.
dm-series-cancelled-reason = « { $title } » est annulé pour { $count ->
    [one] la date
   *[other] les { $count } dates
} où vous avez répondu : { $dates }. Raison : { $reason }
poll-created = Sondage « { $title } » publié dans { $channel } ({ $count ->
    [one] { $count } date
   *[other] { $count } dates
}).
poll-card-title = 📊 { $title }
poll-card-how = Pour chaque date : ✅ oui, 🤷 si besoin ; sans réponse, c'est non. Touchez à nouveau pour retirer votre réponse.
poll-card-deadline = Clôture : { $when }
poll-card-chosen = Sondage clos. Date retenue : { $when }
poll-card-no-event = Sondage clos sans date retenue.
poll-card-footer = Sondage n° { $id }
poll-tally = ✅ { $yes } oui · 🤷 { $maybe } si besoin
poll-your-answers = Vos réponses pour « { $title } » :
poll-answer-yes = oui
poll-answer-if-need-be = si besoin
poll-answer-no = non
poll-closed-done = Sondage « { $title } » clos : l'événement aura lieu le { $when }, sa fiche est publiée dans { $channel }. { $count ->
    [0] Personne n'avait répondu oui ou si besoin pour cette date.
    [one] La personne qui peut venir est prévenue par message privé.
   *[other] Les { $count } personnes qui peuvent venir sont prévenues par message privé.
}
dm-poll-closed = Le sondage « { $title } » est clos : l'événement aura lieu le { $when }. Vous pouviez venir à cette date ; répondez sur sa fiche : { $link }

attendees-title = Participants — { $title }
attendees-summary = { $when } · places : { $seats }
attendees-file-name = participants-{ $id }
attendees-going = Participent ({ $count })
attendees-maybe = Peut-être ({ $count })
attendees-waitlist = Liste d'attente ({ $count })
attendees-walk-ins = Venus sans inscription ({ $count })
attendees-declined = Ne viennent pas ({ $count })
list-and-more = … et { $count } de plus
csv-name = Nom
csv-user-id = Identifiant Discord
csv-status = Réponse
csv-guests = Invités
csv-waitlist = Position en attente
csv-note = Note
csv-responded = Répondu le
csv-checked-in = Présent à

agenda-title-week = Agenda — 7 prochains jours
agenda-title-month = Agenda — 31 prochains jours
agenda-title-all = Agenda — à venir
agenda-empty = Aucun événement à venir pour l'instant.
agenda-line-cancelled = ~~{ $title }~~ (annulé)
agenda-answer-for = Répondre pour…
agenda-footer = Page { $page }/{ $pages } · { $total ->
    [one] { $total } résultat
   *[other] { $total } résultats
}

intro-form-title = Présentez-vous
intro-label-name = Nom
intro-label-organization = Structure et fonction
intro-label-about = Ce que je fais
intro-label-skills = Compétences (séparées par des virgules)
intro-label-website = Site web
intro-placeholder-name = Marie Dupont
intro-placeholder-organization = Coteo, chargée de communication
intro-placeholder-about = En quelques lignes : votre activité, ce que vous cherchez…
intro-placeholder-skills = référencement, fibre, e-commerce
intro-placeholder-website = coteo.fr
intro-saved = Votre présentation est enregistrée. Les membres la trouvent avec `/membre rechercher`.
intro-draft-kept = Ce que vous avez écrit est gardé 30 minutes : touchez « Corriger ma présentation » pour rouvrir le formulaire rempli et corriger ce point.
intro-saved-posted = Votre présentation est enregistrée et publiée dans { $channel }.
intro-card-organization = Structure
intro-card-skills = Compétences
intro-card-website = Site web
intro-footer = Membre : { $user }
intro-button-title = Bienvenue !
intro-button-text = Présentez-vous aux autres membres en quelques lignes : votre structure, ce que vous faites, vos compétences.
member-no-intro = { $name } ne s'est pas encore présenté·e.
member-search-none = Aucune présentation ne correspond à « { $query } ».
member-search-title = Membres — « { $query } »

announce-form-title = Nouvelle annonce
announce-label-title = Titre
announce-label-message = Message
announce-posted = Annonce publiée dans { $channel }.
announce-event-cancelled = Attention : « { $title } » est annulé. L'annonce le montre annulé, avec ses boutons désactivés ; si ce n'était pas voulu, supprimez-la.
announce-scheduled = Annonce programmée dans { $channel } pour le { $when }.

calendar-name-all = Agenda de l'association
calendar-name-mine = Mes événements
calendar-file-all = agenda
calendar-file-mine = mes-evenements
calendar-ready = Voici votre calendrier ({ $count ->
    [0] aucun événement
    [one] { $count } événement
   *[other] { $count } événements
}) : ouvrez le fichier pour l'ajouter à votre agenda.

privacy-export-done = Voici toutes les données que Rencontre conserve sur vous.
privacy-delete-confirm = Supprimer toutes vos données, dans tous les serveurs (présentation, réponses aux événements à venir, préférences, liens d'abonnement d'agenda) ? Les réponses passées sont anonymisées pour les bilans. C'est définitif.
privacy-deleted = Vos données sont supprimées.
privacy-delete-cancelled = Rien n'a été supprimé : vos données restent telles quelles.

reminders-on = Rappels activés : vous recevrez un message privé avant les événements où vous êtes inscrit·e.
reminders-off = Rappels désactivés.

setup-title = Configuration de Rencontre
setup-saved = Configuration enregistrée.
setup-not-set = non défini
setup-on = activé
setup-off = désactivé
setup-agenda-channel = Salon agenda
setup-intro-channel = Salon présentations
setup-announce-channel = Salon annonces
setup-organizer-role = Rôle organisateur
setup-timezone = Fuseau horaire
setup-language = Langue
setup-reminders = Rappels
setup-mirror = Miroir des événements Discord
setup-threads = Fils de discussion
setup-threads-on = Fils de discussion activés : chaque nouvelle fiche publiée dans { $channel } (ou dans le salon choisi pour l'événement) aura son fil, où les participants sont ajoutés.
setup-threads-off = Fils de discussion désactivés : les nouvelles fiches n'en auront plus ; les fils déjà ouverts restent.
setup-threads-missing = Fils de discussion non activés. Dans { $channel } : { $missing }
    Puis relancez `/setup threads enabled:True`.
setup-card-names-on = Les fiches affichent désormais les noms des participants (les 20 premiers ; jamais la liste d'attente).
setup-card-names-off = Les fiches n'affichent plus les noms des participants.
setup-public = Agenda public (web)
setup-public-on = L'agenda est publié : { $url } — seuls les événements sans restriction de rôle y figurent, sans aucun nom de membre. Pour l'intégrer à votre site : { $url }embed dans une balise `<iframe>`. Pour arrêter : `/setup public activé:False`.
setup-public-on-no-server = L'agenda est publié sous l'adresse « { $slug } », mais le serveur HTTP de Rencontre ne tourne pas : réglez `RENCONTRE_HTTP` (et `RENCONTRE_PUBLIC_URL`) puis redémarrez le bot.
setup-public-off = L'agenda n'est plus publié : ses pages répondent désormais « introuvable ».
setup-public-slug-form = « { $slug } » ne convient pas comme adresse : utilisez de 1 à 40 lettres minuscules sans accent, chiffres et tirets (pas de tiret au début, à la fin ni deux de suite), par exemple `rencontres-numeriques`.
setup-public-slug-reserved = « { $slug } » est réservé par Rencontre. Choisissez une autre adresse, par exemple `{ $slug }-asso`.
setup-public-slug-taken = L'adresse « { $slug } » est déjà prise par un autre serveur. Choisissez-en une autre, par exemple `{ $slug }-2`.
setup-channels-none = Choisissez au moins un salon (agenda, présentations ou annonces).
setup-intro-button-posted = Le bouton « Me présenter » est publié dans { $channel }.
setup-intro-button-unpinned = J'ai publié le bouton « Me présenter » dans { $channel } mais je n'ai pas pu l'épingler : il me manque la permission « Épingler des messages » dans ce salon. Donnez à Rencontre « Épingler des messages » dans ce salon (Modifier le salon → Permissions), puis relancez `/setup intro-button` — ou épinglez le message vous-même.
check-title = Ce que Rencontre peut faire ici
check-intro = Pour chaque salon et chaque fonction : ce que je peux faire ou non, et comment y remédier.
check-all-good = tout ce qu'il faut est autorisé.
check-not-set = non défini — choisissez-le avec `/setup channels`.
check-cannot = Je ne peux pas { $what }.
check-fix-channel = Solution : Modifier le salon → Permissions → Rencontre, autorisez { $permissions }.
check-fix-server = Solution : Paramètres du serveur → Rôles → rôle de Rencontre, autorisez { $permissions }.
check-unavailable = Je ne peux pas vérifier mes permissions depuis ici.
check-view = voir le salon
check-send = publier des messages
check-embed = afficher les fiches (intégrations)
check-pin = épingler le message « Me présenter »
check-create-events = créer des événements Discord
check-threads-create = ouvrir un fil sur les fiches d'événement
check-threads-send = écrire dans les fils et y ajouter les participants
check-files = Fichiers joints
check-attach = joindre des fichiers (bilan, listes CSV, calendrier)
perm-view-channel = « Voir le salon »
perm-send-messages = « Envoyer des messages »
perm-embed-links = « Intégrer des liens »
perm-pin-messages = « Épingler des messages »
perm-create-events = « Créer des événements »
perm-attach-files = « Joindre des fichiers »
perm-create-public-threads = « Créer des fils publics »
perm-send-in-threads = « Envoyer des messages dans les fils »
language-fr = Français
language-en = Anglais

autocomplete-date-past = Déjà passé : { $when }
autocomplete-date-too-far = Trop loin : au plus { $years ->
        [one] un an
       *[other] { $years } ans
    } à l'avance (jusqu'au { $limit })
autocomplete-date-mismatch = Le { $date } est un { $actual } : { $reading } ?
autocomplete-date-unreadable = Je ne comprends pas « { $text } » — essayez « jeudi 18h »
autocomplete-poll-part = { $position }. { $reading }
autocomplete-poll-part-past = { $position }. déjà passé : { $when }
autocomplete-poll-part-unreadable = { $position }. je ne comprends pas « { $text } » — essayez « jeudi 18h »
autocomplete-poll-closed = { $title } (clos)
example-date-1 = demain 18h30
example-date-2 = jeudi 18h
example-date-3 = dans 2 heures

field-year = Année
report-title = Bilan d'activité { $year }
report-file-name = bilan-{ $year }
report-description = Événements tenus en { $year } (hors annulés), participation et nouveaux membres. Le détail est dans les fichiers joints, prêts pour l'assemblée générale.
report-events-held = Événements tenus
report-total-going = Participations (invités compris)
report-unique-attendees = Personnes différentes
report-checked-in = Présences enregistrées
report-new-introductions = Nouvelles présentations
report-polls-held = Sondages de date clos
report-busiest-month = Mois le plus suivi
report-per-event = Par événement
report-per-month = Par mois
report-date = Date
report-event = Événement
report-going = Inscrits
report-maybe = Peut-être
report-month = Mois
report-events = Événements
month-1 = janvier
month-2 = février
month-3 = mars
month-4 = avril
month-5 = mai
month-6 = juin
month-7 = juillet
month-8 = août
month-9 = septembre
month-10 = octobre
month-11 = novembre
month-12 = décembre

error-guild-only = Rencontre fonctionne dans un serveur : utilisez cette commande dans le serveur de votre association.
welcome-text = Bienvenue { $user } ! Présentez-vous aux autres membres avec le bouton ci-dessous.
dm-reminder = ⏰ Rappel : « { $title } » commence { $relative } ({ $when }). Lieu : { $where }.
error-series-scope = Cet événement se répète : précisez `portée` — « cette date seulement », « cette date et les suivantes » ou « toute la série ».
event-series-edited = Série « { $title } » modifiée : { $count ->
    [one] { $count } date mise à jour.
   *[other] { $count } dates mises à jour.
}
event-series-cancelled = Série « { $title } » annulée : { $count ->
    [one] { $count } date annulée
   *[other] { $count } dates annulées
}, les inscrits sont prévenus.
error-check-in-member-closed = Le pointage par un organisateur ouvre 30 minutes avant le début et ferme { $hours } h après la fin de l'événement.
check-in-member-done = Présence de { $name } à « { $title } » enregistrée.
check-in-member-walk-in = Présence de { $name } à « { $title } » enregistrée (venu·e sans inscription : aucune place n'est prise).
announce-none-pending = Aucune annonce programmée.
announce-pending-title = Annonces programmées
announce-pending-number = n° { $id }
announce-pending-footer = Pour en annuler une : `/annoncer annuler:<numéro>`
announce-cancelled = Annonce « { $title } » annulée : elle ne sera pas publiée.
error-unknown-announcement = Je ne trouve pas cette annonce programmée. Voyez la liste avec `/annoncer` et l'option `programmées`.
calendar-link = Abonnez votre agenda (lien privé, ne le partagez pas) : { $url }
calendar-link-renewed = Nouveau lien privé (l'ancien ne fonctionne plus) : { $url }
calendar-links-revoked = { $count ->
    [0] Aucun lien d'abonnement n'était actif sur ce serveur.
    [one] Le seul lien d'abonnement de ce serveur est coupé. Chaque membre en obtient un nouveau avec `/calendrier`.
   *[other] Les { $count } liens d'abonnement de ce serveur sont coupés. Chaque membre en obtient un nouveau avec `/calendrier`.
}
calendar-revoke-all-admins-only = Seuls les administrateurs du serveur (permission « Gérer le serveur ») peuvent couper les liens de tout le monde. Pour remplacer votre propre lien, utilisez `nouveau_lien`.

## The web agenda's pages (src/http/web).
web-agenda-title = Agenda — { $name }
web-upcoming = Prochains événements
web-none = Aucun événement à venir pour le moment.
web-seats-left = { $count ->
    [0] complet
    [one] 1 place restante
   *[other] { $count } places restantes
}
web-cancelled = Annulé
web-past = Cet événement est passé.
web-past-mark = Passé
web-cancelled-notice = Cet événement est annulé.
web-cancel-reason = Raison : { $reason }
web-when = Quand
web-duration = Durée
web-where = Lieu
web-seats = Places
web-no-limit = sans limite
web-waitlist = Liste d'attente
web-waitlist-count = { $count ->
    [0] personne
    [one] 1 personne
   *[other] { $count } personnes
}
web-hours = { $hours ->
    [one] 1 heure
   *[other] { $hours } heures
}
web-hours-minutes = { $hours } h { $minutes }
web-minutes = { $minutes } min
web-answer-in-discord = Répondre sur Discord
web-add-to-calendar = Ajouter à mon agenda (.ics)
web-subscribe = S'abonner à l'agenda (.ics)
web-back = Tout l'agenda
web-earlier = Précédents
web-later = Suivants
web-page = Page { $page } sur { $pages }
web-times-in = Heures de { $zone }.
web-not-found-title = Page introuvable
web-not-found = Cette page n'existe pas, ou cet agenda n'est plus publié.
web-published-with = Publié avec Rencontre
mirror-rsvp-on-card = Répondez (et voyez les places) sur la fiche de l'événement :
dm-mirror-blocked = Je n'ai pas pu publier l'événement dans les événements Discord du serveur : il me manque la permission « Créer des événements » (depuis février 2026, « Gérer les événements » seule ne le permet plus). Le miroir est en pause ; un administrateur peut donner « Créer des événements » au rôle de Rencontre (Paramètres du serveur → Rôles), puis relancer `/setup mirror on`.
dm-threads-stopped = Je n'ai pas pu ouvrir le fil de discussion de « { $title } » dans { $channel } : il me manque la permission « Créer des fils publics ». Les fils sont désactivés ; donnez cette permission à Rencontre dans ce salon (Modifier le salon → Permissions), puis relancez `/setup threads enabled:True`.
thread-changed = 📣 « { $title } » change : { $when } · 📍 { $where }
thread-cancelled = ❌ « { $title } » est annulé.
thread-cancelled-reason = ❌ « { $title } » est annulé : { $reason }
setup-mirror-blocked = en pause (permission « Créer des événements » manquante ; voir `/setup check`)
report-chart-title = Fréquentation { $year }
report-chart-going = Places réservées
report-chart-checked-in = Présences
month-short-1 = janv.
month-short-2 = févr.
month-short-3 = mars
month-short-4 = avr.
month-short-5 = mai
month-short-6 = juin
month-short-7 = juil.
month-short-8 = août
month-short-9 = sept.
month-short-10 = oct.
month-short-11 = nov.
month-short-12 = déc.
