//! A synthetic association for benchmarks and demos: members with French
//! introductions, three years of events, RSVPs that respect capacity and
//! check-ins for past events, generated deterministically from a seed.
//!
//! It writes the real schema with multi-row INSERTs in one write
//! transaction; the triggers keep the full-text index in sync. It plans no
//! reminder jobs: a bot started on a seeded database must not DM made-up
//! members. Meant for an empty server: member ids are derived from the seed,
//! so seeding the same server twice with the same seed fails on a duplicate.

use std::collections::HashSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Paris;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool};

/// How big an association to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale {
    pub members: u32,
    pub events: u32,
    pub rsvps: u32,
    /// Years of history, ending about three months after "now".
    pub years: u32,
}

impl Default for Scale {
    /// PRODUCT.md's target scale: 10,000 members, 5,000 events, 200,000 RSVPs.
    fn default() -> Self {
        Scale {
            members: 10_000,
            events: 5_000,
            rsvps: 200_000,
            years: 3,
        }
    }
}

impl Scale {
    /// A small association, for tests and quick runs.
    pub fn small() -> Self {
        Scale {
            members: 200,
            events: 100,
            rsvps: 2_000,
            years: 3,
        }
    }
}

/// What was written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub members: u64,
    pub events: u64,
    pub upcoming_events: u64,
    pub cancelled_events: u64,
    pub rsvps: u64,
    pub going: u64,
    pub waitlisted: u64,
    pub check_ins: u64,
    /// The event with the most answers (a general assembly).
    pub largest_event: i64,
    pub largest_event_rsvps: u64,
}

/// A word found in many introductions, and one found in very few.
pub const COMMON_WORD: &str = "numérique";
pub const RARE_WORD: &str = "blockchain";

/// splitmix64: tiny, fast, good enough for made-up data, same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 if `n` is 0).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// An index into `weights`, in proportion to them.
    fn weighted(&mut self, weights: impl Iterator<Item = u64> + Clone) -> usize {
        let mut left = self.below(weights.clone().sum());
        for (i, w) in weights.enumerate() {
            if left < w {
                return i;
            }
            left -= w;
        }
        0
    }
}

const FIRST: &[&str] = &[
    "Camille",
    "Léa",
    "Manon",
    "Chloé",
    "Inès",
    "Sarah",
    "Julie",
    "Élodie",
    "Nathalie",
    "Sophie",
    "Amélie",
    "Clémence",
    "Aurélie",
    "Océane",
    "Yasmina",
    "Fatima",
    "Hélène",
    "Margaux",
    "Lucas",
    "Hugo",
    "Thomas",
    "Nicolas",
    "Julien",
    "Mathieu",
    "Antoine",
    "Frédéric",
    "Michel",
    "Mohammed",
    "Karim",
    "Henryk",
    "Olivier",
    "Sébastien",
    "Jérôme",
    "François",
    "Benoît",
    "Rémi",
    "Théo",
    "Bruno",
    "Arnaud",
    "Grégoire",
];
const LAST: &[&str] = &[
    "Martin",
    "Bernard",
    "Dubois",
    "Lefebvre",
    "Leroy",
    "Lemaire",
    "Boulanger",
    "Rondeau",
    "Benjelloun",
    "Klaba",
    "Delattre",
    "Dufour",
    "Vasseur",
    "Caron",
    "Fournier",
    "Lambert",
    "Fontaine",
    "Roussel",
    "Wattez",
    "Deschamps",
    "Dewailly",
    "Pruvost",
    "Duhamel",
    "Lecomte",
    "Mercier",
    "Noël",
    "Gérard",
    "Haddad",
    "Nowak",
    "Kowalski",
    "Lefèvre",
    "Carpentier",
    "Bertin",
    "Maes",
    "Vandenbussche",
];
/// (organization, weight): a few big names, many small businesses.
const ORGS: &[(&str, u64)] = &[
    ("Coteo", 3),
    ("EILCO", 5),
    ("OVH", 4),
    ("XYZ", 2),
    ("Cap numeric", 3),
    ("Opale Web", 4),
    ("Boulogne Fibre", 3),
    ("Calais Digital", 4),
    ("Littoral Conseil", 4),
    ("Dunkerque Data", 3),
    ("Studio Nausicaá", 2),
    ("Opale Hébergement", 3),
    ("Agence Marée Haute", 3),
    ("Côte d'Opale Télécom", 3),
    ("CCI Littoral Hauts-de-France", 2),
    ("Université du Littoral", 4),
    ("Web & Sel", 2),
    ("Boutique Cap Gris-Nez", 2),
    ("Indépendant·e", 12),
    ("Mairie de Boulogne-sur-Mer", 2),
    ("Pôle emploi Calais", 1),
    ("Audomarois Numérique", 2),
];
const ROLES: &[&str] = &[
    "dirigeant·e",
    "gérant·e",
    "chargé·e de communication",
    "développeur·se",
    "chef·fe de projet",
    "consultant·e",
    "directeur·rice",
    "ingénieur·e réseaux",
    "commercial·e",
    "trésorier·e",
    "étudiant·e",
    "responsable marketing",
    "technicien·ne fibre",
    "formateur·rice",
];
/// (skill, weight): common ones, and a rare one for the search benchmark.
const SKILLS: &[(&str, u64)] = &[
    ("référencement", 40),
    ("fibre optique", 25),
    ("4G", 20),
    ("e-commerce", 35),
    ("web 2.0", 10),
    ("cybersécurité", 25),
    ("hébergement", 20),
    ("développement web", 40),
    ("haut débit", 15),
    ("communication", 35),
    ("design graphique", 20),
    ("marketing numérique", 30),
    ("cloud", 20),
    ("réseaux sociaux", 30),
    ("data", 15),
    ("formation", 20),
    ("TIC", 15),
    ("ERP", 8),
    ("impression 3D", 5),
    ("logistique", 10),
    ("domotique", 4),
    ("applications mobiles", 18),
    ("blockchain", 1),
];
const CITIES: &[&str] = &[
    "Boulogne-sur-Mer",
    "Calais",
    "Dunkerque",
    "Saint-Omer",
    "Le Touquet",
    "Étaples",
    "Montreuil-sur-Mer",
    "Longuenesse",
    "Wimereux",
    "Gravelines",
];
const ABOUT: &[&str] = &[
    "J'accompagne les TPE et PME de {city} dans leur transformation numérique, surtout en {skill}.",
    "Porteur·se de projet numérique installé·e à {city} : {skill} et un peu de tout le reste.",
    "Chez {org}, je m'occupe de {skill}. Toujours partant·e pour un café à {city}.",
    "Convaincu·e que le numérique est un facteur de croissance territoriale pour la Côte d'Opale.",
    "Je travaille sur {skill} depuis dix ans ; la panne de la zone de l'Inquiéterie m'a vacciné·e.",
    "Nous devons formaliser la filière numérique sur le littoral : je donne un coup de main en {skill}.",
    "Veille et sensibilisation aux TIC, ateliers {skill} pour les entreprises de {city}.",
];
/// (title, weight, capacities (0: none), minutes, local start hour, popularity).
const KINDS: &[(&str, u64, &[i64], i64, u32, u64)] = &[
    ("Rencontres numériques", 10, &[80, 100, 120], 180, 18, 6),
    ("Conférence 4G en entreprise", 4, &[60, 80], 120, 18, 4),
    ("Conférence Internet haut débit", 4, &[60, 80], 120, 18, 4),
    ("Conférence web 2.0", 3, &[100, 0], 120, 18, 4),
    ("Tendances e-commerce", 3, &[150, 0], 240, 14, 5),
    ("Atelier référencement", 8, &[12, 15, 20], 120, 9, 2),
    ("Atelier cybersécurité", 6, &[15, 20], 120, 9, 2),
    ("Petit-déjeuner numérique", 12, &[25, 30], 90, 8, 2),
    ("Afterwork Cap numeric", 10, &[0], 150, 19, 4),
    ("Rencontre TPE-PME avec OVH", 2, &[30, 40], 120, 17, 3),
    ("Formation fibre optique", 5, &[10, 12], 240, 9, 1),
    ("Conseil d'administration", 3, &[20], 120, 18, 1),
    ("Webinaire TIC", 6, &[0], 60, 12, 3),
];
const DESCRIPTIONS: &[&str] = &[
    "Des porteurs de projets numériques qui ont choisi la Côte d'Opale présentent leur parcours.",
    "Les collectivités présentent leurs projets ; échanges avec les entreprises du territoire.",
    "Veille et sensibilisation aux TIC : retours d'expérience et questions-réponses.",
    "Ouvert aux membres et à leurs invités. Inscription conseillée.",
];
const NOTES: &[&str] = &[
    "J'arriverai un peu en retard",
    "Végétarien",
    "Avec un collègue de l'EILCO",
    "À confirmer",
];
const CANCEL_REASONS: &[&str] = &[
    "Intervenant indisponible",
    "Salle indisponible",
    "Reporté à une date ultérieure",
];

/// Discord's epoch, for snowflakes that look real.
const DISCORD_EPOCH_MS: i64 = 1_420_070_400_000;

fn snowflake(at: i64, index: u64) -> i64 {
    (((at * 1000 - DISCORD_EPOCH_MS) as u64) << 22 | (index & 0x3F_FFFF)) as i64
}

fn paris(day: NaiveDate, hour: u32, minute: u32) -> i64 {
    let local = day.and_hms_opt(hour, minute, 0).unwrap_or_default();
    Paris
        .from_local_datetime(&local)
        .earliest()
        .unwrap_or_else(|| Utc.from_utc_datetime(&local).with_timezone(&Paris))
        .timestamp()
}
