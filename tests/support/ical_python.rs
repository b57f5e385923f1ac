//! Python's `icalendar` and `recurring_ical_events`: implementations of
//! RFC 5545 independent of ours, to read and expand our calendar files.
//! CI installs them (`.ci/run`); elsewhere, without them, the checks say so
//! and are skipped.

/// Runs a Python `script` on `input` with `args`: its standard output, or
/// None when Python or one of its packages is missing outside CI (which
/// installs them: `.ci/run`), saying so. Any other failure fails the test.
fn python(script: &str, args: &[&str], input: &str) -> Option<String> {
    let child = std::process::Command::new("python3")
        .args(["-c", script])
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        assert!(std::env::var("CI").is_err(), "CI must have python3");
        eprintln!("python3 not found: independent iCalendar check skipped");
        return None;
    };
    use std::io::Write;
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if stderr.contains("No module named") && std::env::var("CI").is_err() {
        eprintln!("a Python package is missing ({stderr}): independent check skipped (CI installs it)");
        return None;
    }
    assert!(output.status.success(), "Python rejected the feed: {stderr}");
    Some(String::from_utf8(output.stdout).unwrap())
}

/// Checks the feed with Python's `icalendar` package, an implementation
/// independent of ours.
pub fn validate_independently(ics: &str) {
    let script = r#"
import sys, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.read())
events = list(cal.walk("VEVENT"))
assert events, "no events"
for e in events:
    assert e.get("UID") and e.get("DTSTART") and e.get("DTEND") and e.get("SUMMARY"), e
print(len(events))
"#;
    python(script, &[], ics);
}

/// Expands the feed with Python's `recurring_ical_events` (RRULE, EXDATE,
/// RECURRENCE-ID overrides), up to `end` (Unix seconds), and resolves each
/// date's local time with the file's own VTIMEZONE (dateutil), not Python's
/// zone database: one line per date, `UID|unix|local|STATUS|SUMMARY`.
pub fn expand_independently(ics: &str, end: i64) -> Option<Vec<String>> {
    let script = r#"
import sys, datetime, icalendar, recurring_ical_events
cal = icalendar.Calendar.from_ical(sys.stdin.read())
zones = {str(z["TZID"]): z.to_tz(lookup_tzid=False) for z in cal.walk("VTIMEZONE")}
utc = datetime.timezone.utc
end = datetime.datetime.fromtimestamp(int(sys.argv[1]), utc)
for e in recurring_ical_events.of(cal).between(datetime.datetime(2000, 1, 1, tzinfo=utc), end):
    start = e["DTSTART"].dt
    zone = getattr(start.tzinfo, "key", None)
    if zone is not None:
        start = start.replace(tzinfo=zones[zone])
    local = start.astimezone(zones.get("Europe/Paris", utc))
    print(f'{e["UID"]}|{int(start.timestamp())}|{local:%Y-%m-%d %a %H:%M}|{e["STATUS"]}|{e["SUMMARY"]}')
"#;
    let out = python(script, &[&end.to_string()], ics)?;
    Some(out.lines().map(str::to_owned).collect())
}
