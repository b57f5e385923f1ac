//! What the web agenda's pages say: events turned into the templates'
//! fields (`templates/*.html`, checked at compile time, every value escaped
//! unless marked `safe`), and an event's schema.org JSON-LD. Only what an
//! event's card says to anyone: no member's name, id or answer — counts only.

use askama::Template;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use chrono_tz::Tz;
use serde_json::json;

use crate::domain::event::{Counts, Event};
use crate::domain::when::{describe_span, Span};
use crate::domain::Lang;
use crate::i18n::{Arg, I18n};
use crate::store::public::PublicAgenda;

use super::mentions::hide_mentions;

/// What every page needs to speak: the language, the server's zone, the
/// translations, and where the pages live.
pub struct Speaker<'a> {
    pub i18n: &'a I18n,
    pub lang: Lang,
    pub tz: Tz,
    /// `RENCONTRE_PUBLIC_URL`, without its final slash.
    pub base: &'a str,
    pub agenda: &'a PublicAgenda,
}

impl Speaker<'_> {
    fn t(&self, key: &str) -> String {
        self.i18n.t(self.lang, key, &[])
    }

    fn t_with(&self, key: &str, args: &[(&str, Arg)]) -> String {
        self.i18n.t(self.lang, key, args)
    }

    /// `…/{slug}/`, the agenda's canonical address.
    pub fn agenda_url(&self) -> String {
        format!("{}/{}/", self.base, self.agenda.slug)
    }

    fn event_url(&self, id: i64) -> String {
        format!("{}/{}/events/{id}", self.base, self.agenda.slug)
    }

    fn when(&self, event: &Event) -> String {
        let length = event.ends_at - event.starts_at;
        let duration = (length > Duration::zero() && length < Duration::days(2)).then_some(length);
        describe_span(
            Span {
                start: event.starts_at,
                duration,
            },
            self.tz,
            self.lang,
        )
    }

    fn duration(&self, event: &Event) -> Option<String> {
        let minutes = (event.ends_at - event.starts_at).num_minutes();
        let (hours, rest) = (minutes / 60, minutes % 60);
        match (hours, rest) {
            (0, 0) => None,
            (0, m) => Some(self.t_with("web-minutes", &[("minutes", Arg::Num(m))])),
            (h, 0) => Some(self.t_with("web-hours", &[("hours", Arg::Num(h))])),
            (h, m) => Some(self.t_with(
                "web-hours-minutes",
                &[("hours", Arg::Num(h)), ("minutes", Arg::Str(format!("{m:02}")))],
            )),
        }
    }

    /// "3 places restantes", "complet"; none for an event without a limit.
    fn seats_left(&self, event: &Event, counts: &Counts) -> Option<String> {
        let capacity = event.capacity?;
        let left = (capacity - counts.going_seats).max(0);
        Some(self.t_with("web-seats-left", &[("count", Arg::Num(left))]))
    }

    fn chrome(&self, title: String, description: String, canonical: String) -> Chrome {
        Chrome {
            lang: self.lang.code(),
            og_locale: match self.lang {
                Lang::Fr => "fr_FR",
                Lang::En => "en_GB",
            },
            title,
            description,
            canonical,
            site_name: self.agenda.name.clone(),
            stylesheet: format!("{}/static/rencontre.css", self.base),
            published_with: self.t("web-published-with"),
        }
    }
}

/// The head and frame every page shares.
pub struct Chrome {
    pub lang: &'static str,
    pub og_locale: &'static str,
    pub title: String,
    pub description: String,
    pub canonical: String,
    pub site_name: String,
    pub stylesheet: String,
    pub published_with: String,
}

/// One line of the agenda.
pub struct Item {
    pub url: String,
    pub title: String,
    pub when: String,
    pub datetime: String,
    pub place: Option<String>,
    pub seats: Option<String>,
    pub cancelled: bool,
}

#[derive(Template)]
#[template(path = "agenda.html")]
pub struct AgendaPage {
    pub chrome: Chrome,
    /// Without header and footer, links opening outside the frame.
    pub embed: bool,
    pub heading: String,
    pub upcoming: String,
    pub items: Vec<Item>,
    pub none: String,
    pub cancelled: String,
    pub feed_url: String,
    pub subscribe: String,
    pub times_in: String,
    pub earlier: Option<(String, String)>,
    pub later: Option<(String, String)>,
    pub page_of: Option<String>,
}

/// The agenda page: `events` (with their counts) is page `page` of `pages`.
pub fn agenda(
    s: &Speaker<'_>,
    events: &[(Event, Counts)],
    page: u32,
    pages: u32,
    embed: bool,
) -> Result<String, askama::Error> {
    let agenda_url = s.agenda_url();
    let here = if embed {
        format!("{agenda_url}embed")
    } else {
        agenda_url.clone()
    };
    let page_url = |n: u32| {
        if n == 1 {
            here.clone()
        } else {
            format!("{here}?page={n}")
        }
    };
    let heading = s.t_with("web-agenda-title", &[("name", Arg::Str(s.agenda.name.clone()))]);
    let upcoming = s.t("web-upcoming");
    let canonical = page_url(page);
    let page = AgendaPage {
        chrome: s.chrome(
            heading.clone(),
            format!("{upcoming} — {}", s.agenda.name),
            canonical,
        ),
        embed,
        heading,
        upcoming,
        items: events
            .iter()
            .map(|(event, counts)| Item {
                url: s.event_url(event.id),
                title: event.title.clone(),
                when: s.when(event),
                datetime: iso(event.starts_at, s.tz),
                place: non_blank(&event.location),
                seats: (!event.cancelled).then(|| s.seats_left(event, counts)).flatten(),
                cancelled: event.cancelled,
            })
            .collect(),
        none: s.t("web-none"),
        cancelled: s.t("web-cancelled"),
        feed_url: format!("{agenda_url}agenda.ics"),
        subscribe: s.t("web-subscribe"),
        times_in: s.t_with("web-times-in", &[("zone", Arg::Str(s.tz.name().to_owned()))]),
        earlier: (page > 1).then(|| (page_url(page - 1), s.t("web-earlier"))),
        later: (page < pages).then(|| (page_url(page + 1), s.t("web-later"))),
        page_of: (pages > 1).then(|| {
            s.t_with(
                "web-page",
                &[("page", Arg::Num(page.into())), ("pages", Arg::Num(pages.into()))],
            )
        }),
    };
    page.render()
}

#[derive(Template)]
#[template(path = "event.html")]
pub struct EventPage {
    pub chrome: Chrome,
    pub json_ld: String,
    pub back: (String, String),
    pub title: String,
    pub past: Option<String>,
    pub cancelled: Option<(String, Option<String>)>,
    /// (label, value) pairs of the details list.
    pub facts: Vec<(String, String)>,
    pub datetime: String,
    pub description: Option<String>,
    pub discord: Option<(String, String)>,
    pub ics: (String, String),
}

/// One event's page.
pub fn event(
    s: &Speaker<'_>,
    event: &Event,
    counts: &Counts,
    moved_from: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<String, askama::Error> {
    let url = s.event_url(event.id);
    let when = s.when(event);
    let place = non_blank(&event.location);
    let description = non_blank(&event.description).map(|d| hide_mentions(&d));
    let mut facts = vec![(s.t("web-when"), when.clone())];
    if let Some(duration) = s.duration(event) {
        facts.push((s.t("web-duration"), duration));
    }
    if let Some(place) = &place {
        facts.push((s.t("web-where"), place.clone()));
    }
    if !event.cancelled && event.ends_at > now {
        let seats = s.seats_left(event, counts).unwrap_or_else(|| s.t("web-no-limit"));
        facts.push((s.t("web-seats"), seats));
        if event.capacity.is_some() || counts.waitlisted > 0 {
            let waiting = s.t_with("web-waitlist-count", &[("count", Arg::Num(counts.waitlisted))]);
            facts.push((s.t("web-waitlist"), waiting));
        }
    }
    let summary = [Some(when), place.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    let page = EventPage {
        chrome: s.chrome(event.title.clone(), summary, url.clone()),
        json_ld: json_ld(
            s,
            event,
            moved_from,
            &url,
            place.as_deref(),
            description.as_deref(),
        ),
        back: (s.agenda_url(), s.t("web-back")),
        title: event.title.clone(),
        past: (event.ends_at <= now).then(|| s.t("web-past")),
        cancelled: event.cancelled.then(|| {
            let reason = non_blank(&event.cancel_reason)
                .map(|r| s.t_with("web-cancel-reason", &[("reason", Arg::Str(hide_mentions(&r)))]));
            (s.t("web-cancelled-notice"), reason)
        }),
        facts,
        datetime: iso(event.starts_at, s.tz),
        description,
        discord: match (
            event.card_channel_id,
            event.card_message_id,
            event.cancelled || event.ends_at <= now,
        ) {
            (Some(channel), Some(message), false) => Some((
                format!(
                    "https://discord.com/channels/{}/{channel}/{message}",
                    event.guild_id
                ),
                s.t("web-answer-in-discord"),
            )),
            _ => None,
        },
        ics: (format!("{url}.ics"), s.t("web-add-to-calendar")),
    };
    page.render()
}

#[derive(Template)]
#[template(path = "not_found.html")]
pub struct NotFoundPage {
    pub lang: &'static str,
    pub title: String,
    pub text: String,
    pub stylesheet: String,
}

/// The plain 404 page: the same for an unknown server, event or path.
pub fn not_found(i18n: &I18n, lang: Lang, base: &str) -> String {
    let page = NotFoundPage {
        lang: lang.code(),
        title: i18n.t(lang, "web-not-found-title", &[]),
        text: i18n.t(lang, "web-not-found", &[]),
        stylesheet: format!("{base}/static/rencontre.css"),
    };
    page.render().unwrap_or_else(|_| "Not found\n".to_owned())
}

/// schema.org `Event`, as search engines read it; escaped for a `<script>`
/// element (no `<`, `>` or `&` left to end it early).
fn json_ld(
    s: &Speaker<'_>,
    event: &Event,
    moved_from: Option<DateTime<Utc>>,
    url: &str,
    place: Option<&str>,
    description: Option<&str>,
) -> String {
    let status = if event.cancelled {
        "https://schema.org/EventCancelled"
    } else if moved_from.is_some() {
        "https://schema.org/EventRescheduled"
    } else {
        "https://schema.org/EventScheduled"
    };
    let mut data = json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "url": url,
        "startDate": iso(event.starts_at, s.tz),
        "endDate": iso(event.ends_at, s.tz),
        "eventStatus": status,
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "organizer": {"@type": "Organization", "name": s.agenda.name, "url": s.agenda_url()},
    });
    if let Some(from) = moved_from.filter(|_| !event.cancelled) {
        data["previousStartDate"] = json!(iso(from, s.tz));
    }
    if let Some(place) = place {
        data["location"] = json!({"@type": "Place", "name": place, "address": place});
    }
    if let Some(description) = description {
        data["description"] = json!(description);
    }
    data.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// `2026-12-03T18:30:00+01:00`: local time with its offset.
fn iso(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).to_rfc3339_opts(SecondsFormat::Secs, false)
}

fn non_blank(text: &Option<String>) -> Option<String> {
    text.as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}
