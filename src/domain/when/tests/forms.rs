//! Forms already read before the spoken ones: numeric, named, relative, offsets, DST.

use super::*;
use chrono_tz::America::New_York;
use chrono_tz::Europe::Paris;

/// Forms whose meaning does not depend on the hour of "now" in the zone.
const SAME_EVERYWHERE: &str = "
    2026-12-03 18:30                 | 2026-12-03 18:30
    2026-12-03T18:30                 | 2026-12-03 18:30
    2026-12-03T18:30:00              | 2026-12-03 18:30
    2026-12-03                       | 2026-12-03 09:00
    2026/12/03 18h                   | 2026-12-03 18:00
    03/12/2026 18h30                 | 2026-12-03 18:30
    3/12/2026 18:30                  | 2026-12-03 18:30
    3/12/26 18:30                    | 2026-12-03 18:30
    03/12 18h                        | 2026-12-03 18:00
    03.12.2026 18h30                 | 2026-12-03 18:30
    03/11 18h                        | 2027-11-03 18:00
    29/02 10h                        | 2028-02-29 10:00
    3 déc 18h30                      | 2026-12-03 18:30
    3 DEC 18H30                      | 2026-12-03 18:30
    3 décembre 2026 à 18h30          | 2026-12-03 18:30
    3 decembre 2026 a 18h30          | 2026-12-03 18:30
    le 3 déc. à 18h                  | 2026-12-03 18:00
    le   3  déc.   à  18h            | 2026-12-03 18:00
    dec 3 6pm                        | 2026-12-03 18:00
    3 december 18:30                 | 2026-12-03 18:30
    December 3, 2026 6:30 pm         | 2026-12-03 18:30
    December 3, 2026 at 6:30 pm      | 2026-12-03 18:30
    on the 3rd of December at 6pm    | 2026-12-03 18:00
    1er janvier 2027 minuit          | 2027-01-01 00:00
    3 déc                            | 2026-12-03 09:00
    jeudi 18h                        | 2026-12-03 18:00
    jeudi prochain 18h               | 2026-12-03 18:00
    thursday 6pm                     | 2026-12-03 18:00
    Thu 6 pm                         | 2026-12-03 18:00
    next friday 19:00                | 2026-12-04 19:00
    vendredi 19:00                   | 2026-12-04 19:00
    vendredi soir                    | 2026-12-04 20:00
    mar 1er déc 18h                  | 2026-12-01 18:00
    jeu 3 déc 18h                    | 2026-12-03 18:00
    jeudi                            | 2026-12-03 09:00
    jeudi 3 décembre 2026, 18:30     | 2026-12-03 18:30
    demain 9h                        | 2026-11-30 09:00
    demain                           | 2026-11-30 09:00
    demain soir                      | 2026-11-30 20:00
    après-demain 14h                 | 2026-12-01 14:00
    apres demain 14h                 | 2026-12-01 14:00
    aujourd'hui 18h                  | 2026-11-29 18:00
    aujourdhui 18h                   | 2026-11-29 18:00
    ce soir 20h                      | 2026-11-29 20:00
    ce soir 8h                       | 2026-11-29 20:00
    ce soir                          | 2026-11-29 20:00
    tomorrow 6pm                     | 2026-11-30 18:00
    tomorrow at noon                 | 2026-11-30 12:00
    today 18:00                      | 2026-11-29 18:00
    tonight 8pm                      | 2026-11-29 20:00
    tonight                          | 2026-11-29 20:00
    day after tomorrow 10am          | 2026-12-01 10:00
    the day after tomorrow at 10am   | 2026-12-01 10:00
    dans 3 jours à 18h               | 2026-12-02 18:00
    dans 2 jours 18h                 | 2026-12-01 18:00
    in 2 days at 6pm                 | 2026-12-01 18:00
    dans 1 jour 2 heures             | 2026-11-30 02:00
    18h                              | 2026-11-29 18:00
    18h30                            | 2026-11-29 18:30
    18 h 30                          | 2026-11-29 18:30
    18 heures                        | 2026-11-29 18:00
    18h 3 déc                        | 2026-12-03 18:00
    18h30 03/12                      | 2026-12-03 18:30
    18h 1er décembre 2026            | 2026-12-01 18:00
    18h30.                           | 2026-11-29 18:30
    18:30                            | 2026-11-29 18:30
    6pm                              | 2026-11-29 18:00
    6:30pm                           | 2026-11-29 18:30
    6 pm                             | 2026-11-29 18:00
    6:30 p.m.                        | 2026-11-29 18:30
    demain 8 a.m                     | 2026-11-30 08:00
    demain matin                     | 2026-11-30 09:00
    à 18h                            | 2026-11-29 18:00
    a 18h                            | 2026-11-29 18:00
    at 6pm                           | 2026-11-29 18:00
    midi                             | 2026-11-29 12:00
    noon                             | 2026-11-29 12:00
    minuit                           | 2026-11-30 00:00
    midnight                         | 2026-11-30 00:00
    12am                             | 2026-11-30 00:00
    12pm                             | 2026-11-29 12:00
    0h                               | 2026-11-30 00:00
    demain minuit                    | 2026-11-30 00:00
    aujourd'hui 8h                   | 2026-11-29 08:00
    2020-01-01 10:00                 | 2020-01-01 10:00";

#[test]
fn forms_in_paris() {
    check_local(SAME_EVERYWHERE, Paris);
}

#[test]
fn forms_in_new_york() {
    check_local(SAME_EVERYWHERE, New_York);
}

#[test]
fn rolling_forward_depends_on_local_now() {
    // 11:00 in Paris, 05:00 in New York, both on Sunday.
    let paris = "10h | 2026-11-30 10:00
                 dimanche | 2026-12-06 09:00
                 sunday 6pm | 2026-11-29 18:00
                 dimanche prochain matin 10h | 2026-12-06 10:00";
    check_local(paris, Paris);
    let new_york = "10h | 2026-11-29 10:00
                    dimanche | 2026-11-29 09:00
                    9am | 2026-11-29 09:00
                    dimanche matin 10h | 2026-11-29 10:00
                    dimanche prochain matin 10h | 2026-12-06 10:00
                    next sunday 10am | 2026-12-06 10:00";
    check_local(new_york, New_York);
}

#[test]
fn offsets_are_exact() {
    let now = utc(NOW);
    for tz in [Paris, New_York] {
        for (input, minutes) in [
            ("dans 2 heures", 120),
            ("dans 30 minutes", 30),
            ("dans 3 jours", 3 * 1440),
            ("dans 1h30", 90),
            ("dans une heure", 60),
            ("in 2 hours", 120),
            ("in 45 minutes", 45),
            ("in 3 days", 3 * 1440),
            ("in an hour", 60),
            ("IN 1 WEEK", 7 * 1440),
            ("dans 1 jour et 2 heures", 26 * 60),
        ] {
            let at = when_at(input, NOW, tz);
            assert_eq!(at - now, Duration::minutes(minutes), "{input}");
        }
    }
}

#[test]
fn daylight_saving_paris() {
    check_utc(
        "2026-03-28 10:00  | 2026-01-15T12:00:00Z | 2026-03-28T09:00:00Z
         2026-03-29 10:00  | 2026-01-15T12:00:00Z | 2026-03-29T08:00:00Z
         2026-03-29 02:30  | 2026-01-15T12:00:00Z | 2026-03-29T01:30:00Z
         2026-10-25 02:30  | 2026-01-15T12:00:00Z | 2026-10-25T00:30:00Z
         2026-10-25 03:30  | 2026-01-15T12:00:00Z | 2026-10-25T02:30:00Z
         2026-10-26 10:00  | 2026-01-15T12:00:00Z | 2026-10-26T09:00:00Z
         demain 9h         | 2026-03-28T12:00:00Z | 2026-03-29T07:00:00Z
         dans 2 heures     | 2026-03-29T00:30:00Z | 2026-03-29T02:30:00Z
         in 2 hours        | 2026-10-24T23:30:00Z | 2026-10-25T01:30:00Z
         jeudi 18h         | 2026-10-20T10:00:00Z | 2026-10-22T16:00:00Z
         jeudi 18h         | 2026-10-23T10:00:00Z | 2026-10-29T17:00:00Z
         jeudi 18h         | 2026-10-27T10:00:00Z | 2026-10-29T17:00:00Z",
        Paris,
    );
    // 02:30 does not exist on 29 March (02:00 jumps to 03:00): read as 03:30 CEST.
    let gap = when_at("2026-03-29 02:30", NOW, Paris).with_timezone(&Paris);
    assert_eq!(gap.format("%H:%M %Z").to_string(), "03:30 CEST");
    // Two hours of real time from 01:30 CET is 04:30 CEST on the wall.
    let at = when_at("dans 2 heures", "2026-03-29T00:30:00Z", Paris).with_timezone(&Paris);
    assert_eq!(at.format("%H:%M").to_string(), "04:30");
    let autumn = when_at("jeudi 18h", "2026-10-27T10:00:00Z", Paris).with_timezone(&Paris);
    assert_eq!(autumn.format("%H:%M %Z").to_string(), "18:00 CET");
}

#[test]
fn daylight_saving_new_york() {
    check_utc(
        "2026-03-07 10:00 | 2026-01-15T12:00:00Z | 2026-03-07T15:00:00Z
         2026-03-08 10:00 | 2026-01-15T12:00:00Z | 2026-03-08T14:00:00Z
         2026-03-08 02:30 | 2026-01-15T12:00:00Z | 2026-03-08T07:30:00Z
         2026-11-01 01:30 | 2026-01-15T12:00:00Z | 2026-11-01T05:30:00Z
         2026-11-02 10:00 | 2026-01-15T12:00:00Z | 2026-11-02T15:00:00Z
         demain 9h        | 2026-03-07T17:00:00Z | 2026-03-08T13:00:00Z",
        New_York,
    );
}
