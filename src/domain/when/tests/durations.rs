//! Durations and reminder offsets.

use super::*;

#[test]
fn durations() {
    let minutes = "2h=120|90min=90|90 min=90|1h30=90|1h 30=90|1 h 30=90|45m=45|2 heures=120|\
        2 hours=120|1 jour=1440|1d=1440|1j=1440|30=30| 30 =30|1 day 2 hours=1560|1h et 15min=75|\
        1 semaine=10080|2 Heures=120|1hr=60|une heure=60|1h30min=90";
    for (input, expected) in minutes.split('|').filter_map(|c| c.split_once('=')) {
        let expected = Duration::minutes(expected.parse().unwrap());
        assert_eq!(parse_duration(input), Some(expected), "{input}");
    }
    let nothing = "|abc|0|0h|-5|1.5h|1,5h|h|30min 2h|1h 2h|1 jour 2|1h 90|2 heures heures|une|\
        99999999999999999999 weeks";
    for input in nothing.split('|') {
        assert_eq!(parse_duration(input), None, "{input}");
    }
}

#[test]
fn offsets() {
    let m = Duration::minutes;
    assert_eq!(parse_offsets("24h,1h"), Some(vec![m(1440), m(60)]));
    assert_eq!(parse_offsets("2d, 30min"), Some(vec![m(2880), m(30)]));
    assert_eq!(parse_offsets("1h,24h"), Some(vec![m(1440), m(60)]));
    assert_eq!(parse_offsets("24h 1h"), Some(vec![m(1440), m(60)]));
    assert_eq!(parse_offsets("1h, 60min, 1h"), Some(vec![m(60)]));
    assert_eq!(parse_offsets("1h 30, 2 heures"), Some(vec![m(120), m(90)]));
    let five = vec![m(1440), m(300), m(240), m(180), m(120)];
    assert_eq!(parse_offsets("1d,2h,3h,4h,5h"), Some(five));
    for input in ["", " , ", "1d,2h,3h,4h,5h,6h", "24h,abc", "0", "24h,0", "-1h"] {
        assert_eq!(parse_offsets(input), None, "{input}");
    }
}

#[test]
fn formats_offsets() {
    let m = Duration::minutes;
    assert_eq!(format_offsets(&[m(1440), m(60)]), "24h,1h");
    assert_eq!(format_offsets(&[m(2880), m(30)]), "2d,30min");
    assert_eq!(format_offsets(&[m(90), m(65)]), "1h30,1h05");
    assert_eq!(format_offsets(&[m(4320), m(1500)]), "3d,25h");
    assert_eq!(format_offsets(&[]), "");
    for text in ["24h,1h", "2d,30min", "1h30,1h05", "3d,25h,45min"] {
        assert_eq!(
            parse_offsets(text).map(|o| format_offsets(&o)).as_deref(),
            Some(text)
        );
    }
}
