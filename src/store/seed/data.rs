//! The made-up association's raw material: names, trades, places, kinds
//! of events, a small deterministic random generator, and the dates and
//! Discord ids derived from them.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone};
use chrono_tz::Europe::Paris;

/// splitmix64: tiny, fast, good enough for made-up data, same on every platform.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 if `n` is 0).
    pub(super) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    pub(super) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub(super) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }

    /// One item of a word list, in proportion to its weight (default 1).
    pub(super) fn item(&mut self, list: &'static str) -> &'static str {
        self.weighted(list.split('|').map(|item| match item.rsplit_once('=') {
            Some((name, weight)) => (name.trim(), weight.parse().unwrap_or(1)),
            None => (item.trim(), 1),
        }))
    }

    /// One of `items`, in proportion to its weight.
    pub(super) fn weighted<T>(&mut self, items: impl IntoIterator<Item = (T, u64)> + Clone) -> T {
        let mut left = self.below(items.clone().into_iter().map(|i| i.1).sum());
        let mut items = items.into_iter();
        loop {
            match items.next() {
                Some((item, weight)) if left < weight => return item,
                Some((_, weight)) => left -= weight,
                None => unreachable!("the weights add up"),
            }
        }
    }
}

// Word lists as `|`-separated text (`item=weight` where some are more
// common than others): compact, and rustfmt leaves them alone.
pub(super) const FIRST: &str =
    "Camille|Léa|Manon|Chloé|Inès|Sarah|Julie|Élodie|Nathalie|Sophie|Amélie|Clémence|Aurélie|\
    Océane|Yasmina|Fatima|Hélène|Margaux|Lucas|Hugo|Thomas|Nicolas|Julien|Mathieu|Antoine|Frédéric|Michel|\
    Mohammed|Karim|Henryk|Olivier|Sébastien|Jérôme|François|Benoît|Rémi|Théo|Bruno|Arnaud|Grégoire";
pub(super) const LAST: &str =
    "Martin|Bernard|Dubois|Lefebvre|Leroy|Lemaire|Boulanger|Rondeau|Benjelloun|Klaba|Delattre|\
    Dufour|Vasseur|Caron|Fournier|Lambert|Fontaine|Roussel|Wattez|Deschamps|Dewailly|Pruvost|Duhamel|Lecomte|\
    Mercier|Noël|Gérard|Haddad|Nowak|Kowalski|Lefèvre|Carpentier|Bertin|Maes|Vandenbussche";
pub(super) const ORGS: &str =
    "Coteo=3|EILCO=5|OVH=4|XYZ=2|Cap numeric=3|Opale Web=4|Boulogne Fibre=3|Calais Digital=4|\
    Littoral Conseil=4|Dunkerque Data=3|Studio Nausicaá=2|Opale Hébergement=3|Agence Marée Haute=3|\
    Côte d'Opale Télécom=3|CCI Littoral Hauts-de-France=2|Université du Littoral=4|Web & Sel=2|\
    Boutique Cap Gris-Nez=2|Indépendant·e=12|Mairie de Boulogne-sur-Mer=2|Audomarois Numérique=2";
pub(super) const ROLES: &str = "dirigeant·e|gérant·e|chargé·e de communication|développeur·se|chef·fe de projet|\
    consultant·e|directeur·rice|ingénieur·e réseaux|commercial·e|trésorier·e|étudiant·e|responsable marketing|\
    technicien·ne fibre|formateur·rice";
pub(super) const SKILLS: &str =
    "référencement=40|fibre optique=25|4G=20|e-commerce=35|web 2.0=10|cybersécurité=25|\
    hébergement=20|développement web=40|haut débit=15|communication=35|design graphique=20|\
    marketing numérique=30|cloud=20|réseaux sociaux=30|data=15|formation=20|TIC=15|ERP=8|impression 3D=5|\
    logistique=10|domotique=4|applications mobiles=18|blockchain=1";
pub(super) const CITIES: &str =
    "Boulogne-sur-Mer|Calais|Dunkerque|Saint-Omer|Le Touquet|Étaples|Montreuil-sur-Mer|\
    Longuenesse|Wimereux|Gravelines";
pub(super) const VENUES: &str =
    "EILCO|CCI Littoral|Maison des associations|Espace numérique|Nausicaá|Forum Gambetta";
pub(super) const ABOUT: &str =
    "J'accompagne les TPE et PME de {city} dans leur transformation numérique, surtout en {skill}.|\
    Porteur·se de projet numérique installé·e à {city} : {skill} et un peu de tout le reste.|\
    Chez {org}, je m'occupe de {skill}. Toujours partant·e pour un café à {city}.|\
    Convaincu·e que le numérique est un facteur de croissance territoriale pour la Côte d'Opale.|\
    Je travaille en {skill} depuis dix ans ; la panne de la zone de l'Inquiéterie m'a vacciné·e.|\
    Nous devons formaliser la filière numérique sur le littoral : je donne un coup de main en {skill}.|\
    Veille et sensibilisation aux TIC, ateliers {skill} pour les entreprises de {city}.";
pub(super) const DESCRIPTIONS: &str =
    "Des porteurs de projets numériques qui ont choisi la Côte d'Opale présentent leur parcours.|\
    Les collectivités présentent leurs projets ; échanges avec les entreprises du territoire.|\
    Veille et sensibilisation aux TIC : retours d'expérience et questions-réponses.|\
    Ouvert aux membres et à leurs invités. Inscription conseillée.";
pub(super) const NOTES: &str =
    "J'arriverai un peu en retard|Végétarien|Avec un collègue de l'EILCO|À confirmer";
pub(super) const CANCEL_REASONS: &str =
    "Intervenant indisponible|Salle indisponible|Reporté à une date ultérieure";

/// A kind of event: title, capacities (0: none), minutes, local start hour,
/// popularity; regular kinds come with how often they are held.
pub(super) type Kind = (&'static str, &'static [i64], i64, u32, u64);
/// The yearly general assembly and trade show, placed by date.
pub(super) const ASSEMBLY: Kind = ("Assemblée générale", &[0], 150, 18, 0);
pub(super) const SHOW: Kind = ("Salon Entrepreneurs Expo", &[400], 480, 9, 0);
pub(super) const KINDS: &[(Kind, u64)] = &[
    (("Rencontres numériques", &[80, 100, 120], 180, 18, 6), 10),
    (("Conférence 4G en entreprise", &[60, 80], 120, 18, 4), 4),
    (("Conférence Internet haut débit", &[60, 80], 120, 18, 4), 4),
    (("Conférence web 2.0", &[100, 0], 120, 18, 4), 3),
    (("Tendances e-commerce", &[150, 0], 240, 14, 5), 3),
    (("Atelier référencement", &[12, 15, 20], 120, 9, 2), 8),
    (("Atelier cybersécurité", &[15, 20], 120, 9, 2), 6),
    (("Petit-déjeuner numérique", &[25, 30], 90, 8, 2), 12),
    (("Afterwork Cap numeric", &[0], 150, 19, 4), 10),
    (("Rencontre TPE-PME avec OVH", &[30, 40], 120, 17, 3), 2),
    (("Formation fibre optique", &[10, 12], 240, 9, 1), 5),
    (("Conseil d'administration", &[20], 120, 18, 1), 3),
    (("Webinaire TIC", &[0], 60, 12, 3), 6),
];
pub(super) const WEBINAR: &str = "Webinaire TIC";

/// Discord's epoch, for snowflakes that look real.
pub(super) const DISCORD_EPOCH_MS: i64 = 1_420_070_400_000;

pub(super) fn snowflake(at: i64, index: u64) -> i64 {
    (((at * 1000 - DISCORD_EPOCH_MS) as u64) << 22 | (index & 0x3F_FFFF)) as i64
}

/// `hour` (and half past, in the evening) in Paris on `day`, as unix seconds.
pub(super) fn paris(day: NaiveDate, hour: u32) -> i64 {
    let local = day.and_hms_opt(hour, if hour >= 17 { 30 } else { 0 }, 0);
    let local = local.unwrap_or_default();
    let at = Paris.from_local_datetime(&local).earliest();
    at.map_or(local.and_utc().timestamp(), |at| at.timestamp())
}

pub(super) fn day_of(ts: i64) -> NaiveDate {
    let at = DateTime::from_timestamp(ts, 0).unwrap_or_default();
    at.with_timezone(&Paris).date_naive()
}

/// The first `month`/`day` on or after `from`.
pub(super) fn next_date(from: NaiveDate, month: u32, day: u32) -> NaiveDate {
    let on = |year| NaiveDate::from_ymd_opt(year, month, day).unwrap_or(from);
    let this_year = on(from.year());
    if this_year >= from {
        this_year
    } else {
        on(from.year() + 1)
    }
}
