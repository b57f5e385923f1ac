//! The web agenda (`/setup public`): a server's public events as pages
//! under `RENCONTRE_PUBLIC_URL` — `/{slug}/`, `/{slug}/events/{id}` (and its
//! `.ics`), `/{slug}/embed` for an `<iframe>`, `/{slug}/agenda.ics`.
//!
//! Every answer that is not a page of a published agenda is the same plain
//! 404 page, so a path tells nothing about what exists. Pages carry an
//! ETag (a hash of the body) and a Last-Modified, and answer 304 to a
//! client that has them; only `/embed` may be framed by other sites.

mod headers;
mod mentions;
mod pages;

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, Duration, Utc};

use crate::domain::ics::{calendar_ics, CalendarEntry};
use crate::domain::{slug, Lang};
use crate::state::AppState;
use crate::store::{self, public::PublicAgenda};

use headers::{deny_framing, respond};
pub use mentions::hide_mentions;

/// Events per page of the agenda.
pub const PAGE_SIZE: u32 = 20;

const STYLESHEET: &str = include_str!("../../assets/web.css");

/// The pages' routes; merged into the public router.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/static/rencontre.css", get(stylesheet))
        .route("/{slug}", get(to_agenda))
        .route("/{slug}/", get(agenda))
        .route("/{slug}/embed", get(embed))
        .route("/{slug}/agenda.ics", get(feed))
        .route("/{slug}/events/{id}", get(event))
}

/// What a request asks for, once its path is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// The agenda, page `n` (from 1), framed or not.
    Agenda {
        page: u32,
        embed: bool,
    },
    Event(i64),
    EventIcs(i64),
    Feed,
}

/// A page ready to send.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub body: String,
    pub content_type: &'static str,
    pub last_modified: DateTime<Utc>,
    /// Other sites may show it in a frame.
    pub frameable: bool,
}

/// Renders `page` of the agenda published under `slug`, in `lang` (or the
/// server's language); `None` for anything that does not exist publicly.
pub async fn render(
    state: &AppState,
    slug_text: &str,
    page: Page,
    lang: Option<Lang>,
) -> Result<Option<Rendered>, sqlx::Error> {
    if slug::check(slug_text).is_err() {
        return Ok(None);
    }
    let Some(agenda) = store::public::published(&state.pool, slug_text).await? else {
        return Ok(None);
    };
    let settings = state.settings.get(&state.pool, agenda.guild_id).await?;
    let now = state.now();
    let base = base(state);
    let speaker = pages::Speaker {
        i18n: &state.i18n,
        lang: lang.unwrap_or(settings.language),
        tz: settings.timezone,
        base: &base,
        agenda: &agenda,
    };
    let html = "text/html; charset=utf-8";
    let (body, content_type, shown, frameable) = match page {
        Page::Agenda { page, embed } => {
            let offset = i64::from(page.saturating_sub(1)) * i64::from(PAGE_SIZE);
            let (events, total) =
                store::public::upcoming(&state.pool, agenda.guild_id, now, PAGE_SIZE.into(), offset).await?;
            let pages = u32::try_from((total.max(1) as u64).div_ceil(PAGE_SIZE.into())).unwrap_or(u32::MAX);
            if page == 0 || page > pages {
                return Ok(None);
            }
            let ids: Vec<i64> = events.iter().map(|e| e.id).collect();
            let counts = store::events::counts(&state.pool, &ids).await?;
            let with_counts: Vec<_> = events
                .into_iter()
                .map(|e| {
                    let c = counts
                        .iter()
                        .find(|(id, _)| *id == e.id)
                        .map(|(_, c)| *c)
                        .unwrap_or_default();
                    (e, c)
                })
                .collect();
            let body = pages::agenda(&speaker, &with_counts, page, pages, embed).map_err(template_error)?;
            (body, html, ids, embed)
        }
        Page::Event(id) | Page::EventIcs(id) => {
            let Some(event) = store::public::event(&state.pool, agenda.guild_id, id, now).await? else {
                return Ok(None);
            };
            if page == Page::EventIcs(id) {
                let entry = CalendarEntry {
                    event_id: event.id,
                    guild_id: event.guild_id,
                    title: event.title.clone(),
                    description: event.description.as_deref().map(hide_mentions),
                    location: event.location.clone(),
                    starts_at: event.starts_at,
                    ends_at: event.ends_at,
                    cancelled: event.cancelled,
                    updated_at: event.updated_at,
                    occurrence: None,
                };
                let body = calendar_ics(&agenda.name, settings.timezone, &[entry], &[]);
                (body, "text/calendar; charset=utf-8", vec![id], false)
            } else {
                let counts = store::events::counts_one(&state.pool, id).await?;
                let moved_from = store::public::rescheduled_from(&state.pool, id).await?;
                let body =
                    pages::event(&speaker, &event, &counts, moved_from, now).map_err(template_error)?;
                (body, html, vec![id], false)
            }
        }
        Page::Feed => {
            let from = now - Duration::days(super::FEED_PAST_DAYS);
            let (mut entries, series) =
                store::feeds::public_content(&state.pool, agenda.guild_id, from).await?;
            for entry in &mut entries {
                entry.description = entry.description.as_deref().map(hide_mentions);
            }
            let ids = entries.iter().map(|e| e.event_id).collect();
            let name = speaker_title(state, &speaker, &agenda);
            (
                calendar_ics(&name, settings.timezone, &entries, &series),
                "text/calendar; charset=utf-8",
                ids,
                false,
            )
        }
    };
    let last_modified = store::public::last_change(&state.pool, agenda.guild_id, &shown, now).await?;
    Ok(Some(Rendered {
        body,
        content_type,
        last_modified,
        frameable,
    }))
}

fn speaker_title(state: &AppState, speaker: &pages::Speaker<'_>, agenda: &PublicAgenda) -> String {
    state.i18n.t(
        speaker.lang,
        "web-agenda-title",
        &[("name", crate::i18n::Arg::Str(agenda.name.clone()))],
    )
}

fn template_error(error: askama::Error) -> sqlx::Error {
    sqlx::Error::Protocol(format!("template: {error}"))
}

/// Where the pages live: `RENCONTRE_PUBLIC_URL`, or nothing (links from the
/// site's root) when the server runs without one.
fn base(state: &AppState) -> String {
    state.feed_base.clone().unwrap_or_default()
}

/// French or English as the reader's browser prefers (highest `q` first),
/// or none of them.
pub fn accepted_language(headers: &HeaderMap) -> Option<Lang> {
    let header = headers.get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
    let mut best: Option<(f32, Lang)> = None;
    for part in header.split(',') {
        let mut fields = part.split(';');
        let tag = fields.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = fields
            .find_map(|f| f.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()))
            .unwrap_or(1.0);
        let lang = match tag.split('-').next() {
            Some("fr") => Lang::Fr,
            Some("en") => Lang::En,
            _ => continue,
        };
        if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
            best = Some((q, lang));
        }
    }
    best.map(|(_, lang)| lang)
}

async fn answer(state: &AppState, headers: &HeaderMap, slug: &str, page: Option<Page>) -> Response {
    let lang = accepted_language(headers);
    let Some(page) = page else {
        return not_found_for(state, lang);
    };
    match render(state, slug, page, lang).await {
        Ok(Some(rendered)) => respond(headers, rendered),
        Ok(None) => not_found_for(state, lang),
        Err(error) => {
            tracing::error!(%error, slug, ?page, "web agenda: cannot render the page");
            let mut response = (StatusCode::INTERNAL_SERVER_ERROR, "internal error\n").into_response();
            deny_framing(response.headers_mut());
            response
        }
    }
}

/// The plain 404 page, in the reader's language (French by default).
pub fn not_found_for(state: &AppState, lang: Option<Lang>) -> Response {
    let body = pages::not_found(&state.i18n, lang.unwrap_or(Lang::Fr), &base(state));
    let mut response = (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response();
    deny_framing(response.headers_mut());
    response
}

/// Every path no route knows.
pub async fn not_found(State(state): State<AppState>, headers: HeaderMap) -> Response {
    not_found_for(&state, accepted_language(&headers))
}

/// `?page=N`: other parameters (trackers' `utm_…`) are ignored; a page
/// that is not a number from 1 is no page.
fn page_number(query: Option<&str>) -> Option<u32> {
    let mut page = 1;
    for pair in query.unwrap_or("").split('&') {
        if let Some(value) = pair.strip_prefix("page=") {
            page = value.parse().ok().filter(|n| *n >= 1)?;
        }
    }
    Some(page)
}

async fn agenda(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let page = page_number(query.as_deref()).map(|page| Page::Agenda { page, embed: false });
    answer(&state, &headers, &slug, page).await
}

async fn embed(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let page = page_number(query.as_deref()).map(|page| Page::Agenda { page, embed: true });
    answer(&state, &headers, &slug, page).await
}

async fn feed(State(state): State<AppState>, Path(slug): Path<String>, headers: HeaderMap) -> Response {
    answer(&state, &headers, &slug, Some(Page::Feed)).await
}

async fn event(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let number = |text: &str| {
        text.parse::<i64>()
            .ok()
            .filter(|n| *n > 0 && text.bytes().all(|b| b.is_ascii_digit()))
    };
    let page = match id.strip_suffix(".ics") {
        Some(id) => number(id).map(Page::EventIcs),
        None => number(&id).map(Page::Event),
    };
    answer(&state, &headers, &slug, page).await
}

/// `/{slug}` → `/{slug}/`, the canonical address, for a published agenda.
async fn to_agenda(State(state): State<AppState>, Path(slug): Path<String>, headers: HeaderMap) -> Response {
    let lang = accepted_language(&headers);
    if slug::check(&slug).is_err() {
        return not_found_for(&state, lang);
    }
    match store::public::published(&state.pool, &slug).await {
        Ok(Some(_)) => Redirect::permanent(&format!("{}/{slug}/", base(&state))).into_response(),
        Ok(None) => not_found_for(&state, lang),
        Err(error) => {
            tracing::error!(%error, "web agenda: cannot read the published agendas");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error\n").into_response()
        }
    }
}

async fn stylesheet(headers: HeaderMap) -> Response {
    respond(
        &headers,
        Rendered {
            body: STYLESHEET.to_owned(),
            content_type: "text/css; charset=utf-8",
            last_modified: DateTime::<Utc>::UNIX_EPOCH,
            frameable: false,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn the_reader_s_language_by_preference() {
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_str(value).unwrap());
            accepted_language(&headers)
        };
        assert_eq!(with("en-GB,en;q=0.9,fr;q=0.8"), Some(Lang::En));
        assert_eq!(with("de-DE, fr;q=0.5, en;q=0.4"), Some(Lang::Fr));
        assert_eq!(with("de, es"), None);
        assert_eq!(with("fr;q=0, en;q=0.1"), Some(Lang::En));
    }

    #[test]
    fn page_numbers_from_one() {
        assert_eq!(page_number(None), Some(1));
        assert_eq!(page_number(Some("utm_source=x&page=3")), Some(3));
        for bad in [
            "page=0",
            "page=-1",
            "page=abc",
            "page=99999999999999999999",
            "page=",
        ] {
            assert_eq!(page_number(Some(bad)), None, "{bad}");
        }
    }
}
