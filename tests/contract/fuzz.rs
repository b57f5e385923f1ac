//! Property-based fuzzing of everything that reads outside input: the date
//! parser, the button-id codec, console lines, and Discord interactions
//! (mutated payloads through serenity's deserializer, the mapping and the
//! handlers). A failing case is kept by proptest in
//! `tests/contract/fuzz.proptest-regressions` and replayed on every run.

use crate::support;

use chrono::{Duration, TimeZone, Utc};
use proptest::prelude::*;
use rencontre::console::Console;
use rencontre::domain::custom_id::{ComponentId, Period};
use rencontre::domain::rsvp::RsvpChoice;
use rencontre::domain::when::{self, WhenError};
use rencontre::domain::Lang;
use rencontre::state::{AppState, ManualClock};
use serde_json::{json, Value};
use support::fake_discord::*;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

async fn state() -> (AppState, support::database::TestDatabase) {
    let database = support::database::TestDatabase::new().await;
    let pool = rencontre::store::connect(&database.url).await.unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 29, 10, 0, 0).unwrap();
    (
        AppState::new(pool, std::sync::Arc::new(ManualClock::new(now))),
        database,
    )
}

/// Dates as people say them (issues 14 and 17), French and English: each is
/// understood (or past, or too far) whatever the day and the zone.
const SPOKEN: &[&str] = &[
    "mardi prochain 18h",
    "next tuesday 6pm",
    "vendredi 19 décembre 2026 à 18h",
    "friday 19 december 2026 at 6pm",
    "lundi 8h-10h",
    "monday 8am-10am",
    "jeudi 18h30 à 20h",
    "jeudi 18h30-20h",
    "thursday 6:30pm until 8pm",
    "de 14h à 17h",
    "from 2pm to 5pm",
    "22h-2h",
    "hier 18h",
    "yesterday 6pm",
    "le 3 à 18h",
    "le 15 à 18h",
    "on the 3rd at 6pm",
    "lundi en huit",
    "ce matin",
    "this morning",
    "vendredi après-midi",
    "friday afternoon",
    "dans 1 mois",
    "in 1 month",
    "next week",
    "la semaine prochaine",
    "2040-01-01 10:00",
    "1/12 10h",
    "le 31",
];

/// A spoken date, or two run together.
fn spoken() -> impl Strategy<Value = String> {
    (
        proptest::sample::select(SPOKEN),
        proptest::sample::select(SPOKEN),
        any::<bool>(),
    )
        .prop_map(|(a, b, both)| if both { format!("{a} {b}") } else { a.to_owned() })
}

/// Text with the characters that break naive parsers.
fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        spoken(),
        "\\PC{0,60}",
        "[0-9/:hH .à-]{0,20}",
        Just("\u{200b}jeudi\u{200f} 18h".to_owned()),
        Just("demain 9h 🎉".to_owned()),
        Just("NEAR(\"x\" *) -- ' OR 1=1".to_owned()),
        Just("@everyone <@&1> <@2>".to_owned()),
        Just("9".repeat(400)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn dates_never_panic_and_stay_in_a_sane_window(text in hostile_text(), minutes in -10_000_000i64..10_000_000) {
        let now = Utc.with_ymd_and_hms(2026, 11, 29, 10, 0, 0).unwrap() + Duration::minutes(minutes);
        for tz in [chrono_tz::Europe::Paris, chrono_tz::America::New_York, chrono_tz::Pacific::Kiritimati] {
            if let Ok(at) = when::parse_when(&text, now, tz) {
                prop_assert!(at < now + Duration::days(366 * 11), "{text:?} → {at}");
                let _ = when::describe(at, tz, Lang::Fr);
            }
            let _ = when::parse_duration(&text);
            let _ = when::parse_offsets(&text);
        }
    }

    #[test]
    fn spoken_dates_are_understood_and_read_back_as_shown(text in spoken(), minutes in -10_000_000i64..10_000_000) {
        let now = Utc.with_ymd_and_hms(2026, 11, 29, 10, 0, 0).unwrap() + Duration::minutes(minutes);
        for tz in [chrono_tz::Europe::Paris, chrono_tz::America::New_York, chrono_tz::Pacific::Kiritimati] {
            let read = when::parse_span(&text, now, tz);
            if SPOKEN.contains(&text.as_str()) {
                prop_assert!(!matches!(read, Err(WhenError::Unreadable | WhenError::InvalidTime)), "{text:?} {tz} {now}: {read:?}");
            }
            let spans = match read {
                Ok(span) => vec![span],
                Err(WhenError::WeekdayMismatch { readings, .. }) => readings.to_vec(),
                Err(_) => Vec::new(),
            };
            for span in spans {
                prop_assert!(span.duration.is_none_or(|d| d > Duration::zero() && d < Duration::days(2)), "{text:?}");
                for lang in [Lang::Fr, Lang::En] {
                    let shown = when::describe_span(span, tz, lang);
                    prop_assert_eq!(when::parse_span(&shown, now, tz), Ok(span), "{:?} shown as {:?}", text, shown);
                }
            }
        }
    }

    #[test]
    fn every_button_id_round_trips(event in 1i64..i64::MAX, page in 0u32..10_000, query in "\\PC{0,80}", choice in 0usize..3) {
        let choice = [RsvpChoice::Going, RsvpChoice::Maybe, RsvpChoice::Declined][choice];
        for id in [
            ComponentId::Rsvp { event_id: event, choice },
            ComponentId::CheckIn { event_id: event },
            ComponentId::AgendaPage { period: Period::Week, page },
        ] {
            prop_assert_eq!(ComponentId::decode(&id.encode()), Some(id));
        }
        let search = ComponentId::SearchPage { page, query: query.clone() }.encode();
        prop_assert!(search.chars().count() <= 100);
        prop_assert!(ComponentId::decode(&search).is_some());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 60, ..ProptestConfig::default() })]

    #[test]
    fn console_lines_never_crash_the_console(lines in proptest::collection::vec(prop_oneof![
        hostile_text().prop_map(|t| format!("/event create title:\"{t}\" when:\"{t}\"")),
        hostile_text().prop_map(|t| format!("/member search query:\"{t}\"")),
        hostile_text().prop_map(|t| format!(":click {t}")),
        hostile_text().prop_map(|t| format!(":form name:\"{t}\"")),
        hostile_text().prop_map(|t| format!(":as {t} organizer")),
        hostile_text(),
        Just("/intro".to_owned()),
        Just("/agenda period:week".to_owned()),
        Just("/rsvp event:1 status:going guests:99999999999999999999".to_owned()),
    ], 1..12)) {
        runtime().block_on(async {
            let (state, _dir) = state().await;
            let console = Console::new(state);
            for line in &lines {
                let answer = console.line(line).await;
                assert!(!is_apology(&answer), "{line:?} hit an internal error: {answer}");
            }
        });
    }
}

/// Whether an answer is the apology given for an internal error (in either
/// language): hostile input must be refused or stored, never reach one.
fn is_apology(answer: &str) -> bool {
    answer.contains("quelque chose s'est mal passé") || answer.contains("something went wrong on our side")
}

/// A valid interaction of each kind, to mutate.
fn samples() -> Vec<Value> {
    let alice = Member {
        roles: vec![ROLE_ORGANIZERS],
        permissions: MEMBER_PERMISSIONS | (1 << 33),
        ..Member::new(10, "alice")
    };
    let create = json!([{ "type": 1, "name": "create", "options": [
        { "type": 3, "name": "title", "value": "AG" }, { "type": 3, "name": "when", "value": "demain 18h" },
        { "type": 4, "name": "capacity", "value": 3 } ] }]);
    vec![
        slash_command(1, "event", create, &alice),
        slash_command(2, "agenda", json!([]), &alice),
        autocomplete(
            3,
            "event",
            json!([{ "type": 1, "name": "create", "options": [
            { "type": 3, "name": "when", "value": "jeudi", "focused": true } ] }]),
            &alice,
        ),
        button(4, "rsvp:v1:1:going", message_json(50, 100, "", json!([])), &alice),
        modal_submit(5, "intro:v1:form", &[("name", "Eve"), ("about", "x")], &alice),
        user_menu(6, &Member::new(11, "bob"), &alice),
    ]
}

/// Replaces the value at a random path with a hostile one, or removes it.
fn mutate(value: &mut Value, path: &[usize], replacement: &Value, remove: bool) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            let key = map.keys().nth(path[0] % map.len()).cloned().unwrap_or_default();
            if path.len() == 1 {
                if remove {
                    map.remove(&key);
                } else {
                    map.insert(key, replacement.clone());
                }
            } else if let Some(inner) = map.get_mut(&key) {
                mutate(inner, &path[1..], replacement, remove);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            let index = path[0] % items.len();
            if path.len() == 1 {
                items[index] = replacement.clone();
            } else {
                mutate(&mut items[index], &path[1..], replacement, remove);
            }
        }
        _ => *value = replacement.clone(),
    }
}

fn hostile_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        hostile_text().prop_map(Value::String),
        any::<i64>().prop_map(|n| json!(n)),
        Just(json!(null)),
        Just(json!([])),
        Just(json!({})),
        Just(json!("18446744073709551615")),
        Just(json!("rsvp:v1:9223372036854775807:going")),
        Just(json!(true)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn mutated_interactions_never_panic_the_mapping_or_the_handlers(
        which in 0usize..6,
        path in proptest::collection::vec(any::<usize>(), 1..6),
        replacement in hostile_value(),
        remove in any::<bool>(),
    ) {
        let mut payload = samples()[which].clone();
        mutate(&mut payload, &path, &replacement, remove);
        // What serenity cannot parse it drops; what it parses must map safely.
        if let Ok(interaction) = serde_json::from_value::<serenity::all::Interaction>(payload) {
            if let Some((ctx, invocation)) = rencontre::discord::convert::invocation(&interaction) {
                runtime().block_on(async {
                    let (state, _dir) = state().await;
                    let reply = rencontre::handlers::handle(&state, &ctx, invocation).await;
                    let shown = format!("{reply:?}");
                    assert!(!is_apology(&shown), "an internal error: {shown}");
                });
            }
        }
    }
}
