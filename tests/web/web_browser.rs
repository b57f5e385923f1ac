//! The web agenda in a real browser: Debian's headless Chromium, driven
//! through chromedriver (WebDriver), against the real HTTP server on
//! loopback, at a phone's size (390×844). Screenshots of the agenda and of
//! an event page go to `target/screenshots/` for humans to look at.
//!
//! Run when `chromedriver` is on PATH or `RENCONTRE_TEST_BROWSER` is set
//! (build.rs); under CI a missing browser fails the run.

use crate::support::{self, calls, web};

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use calls::*;
use fantoccini::{Client, ClientBuilder, Locator};
use rencontre::handlers::{CommandName, OptionValue};
use rencontre::state::AppState;
use serde_json::json;

/// chromedriver on a free loopback port, killed when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start() -> Driver {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| {
                panic!(
                    "cannot start chromedriver ({error}): install it with \
                     `apt-get install chromium chromium-driver`"
                )
            });
        let driver = Driver { child, port };
        // Ready once it accepts connections; a dead driver fails below.
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(address).is_err() {
            assert!(
                Instant::now() < deadline,
                "chromedriver did not start listening on {address}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        driver
    }

    async fn browser(&self) -> Client {
        let mut options = json!({
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--window-size=390,844",
                "--lang=fr-FR",
            ],
            // A French reader: the pages follow Accept-Language.
            "prefs": {"intl.accept_languages": "fr-FR,fr"},
            // A desktop window is at least 500 pixels wide: the phone's
            // viewport comes from Chromium's device emulation.
            "mobileEmulation": {"deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 2.0, "touch": true}}
        });
        if std::path::Path::new("/usr/bin/chromium").exists() {
            options["binary"] = json!("/usr/bin/chromium");
        }
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("goog:chromeOptions".into(), options);
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .unwrap_or_else(|error| panic!("chromedriver could not start Chromium: {error}"))
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A published agenda with an event that fills up, a cancelled one, one
/// with a very long title, and one restricted to a role.
async fn seeded() -> (SocketAddr, AppState, support::TestDatabase, Vec<i64>) {
    let (state, _clock, dir) = support::state().await;
    let (address, state) = web::start(state).await;
    state.directory.set_name(GUILD, "Coteo — Rencontres numériques");
    web::setup_public(&state, &admin(1, "root"), true, Some("coteo")).await;
    let alice = organizer(10, "alice");
    let first = create_event(
        &state,
        &alice,
        &[
            ("title", s("Rencontres numériques : l'IA au quotidien")),
            ("when", s("2026-12-03 18:30-20:30")),
            (
                "location",
                s("Médiathèque François-Mitterrand, 2 rue de la Paix, Poitiers"),
            ),
            ("capacity", OptionValue::Int(30)),
            (
                "description",
                s("Une soirée pour comprendre et essayer.\nOuvert à toutes et à tous, débutants bienvenus."),
            ),
        ],
    )
    .await;
    let cancelled = create_event(
        &state,
        &alice,
        &[
            ("title", s("Conférence 4G")),
            ("when", s("2026-12-08 18:30")),
            ("location", s("Salle B")),
        ],
    )
    .await;
    run(
        &state,
        &alice,
        cmd(
            CommandName::Event,
            Some("cancel"),
            &[("event", ev(cancelled)), ("reason", s("Intervenant malade"))],
        ),
    )
    .await;
    let long = create_event(
        &state,
        &alice,
        &[
            (
                "title",
                s("Salon_Entrepreneurs_Expo_Grand_Poitiers_2026_édition_spéciale_numérique"),
            ),
            ("when", s("2026-12-15 10:00-17:00")),
            (
                "location",
                s("https://example.org/un/lien/tres/long/sans/espace/pour/tester/le/retour/a/la/ligne"),
            ),
            ("capacity", OptionValue::Int(2)),
        ],
    )
    .await;
    create_event(
        &state,
        &alice,
        &[
            ("title", s("Réunion du bureau")),
            ("when", s("2026-12-01 18:00")),
            ("restricted_to", OptionValue::Role(777)),
        ],
    )
    .await;
    for user in 21..23 {
        run(&state, &member(user, "membre"), rsvp(long, "going")).await;
    }
    for user in 30..34 {
        run(&state, &member(user, "membre"), rsvp(first, "going")).await;
    }
    // Its card in Discord, where the page sends members to answer.
    rencontre::store::events::set_card(&state.pool, first, CHANNEL, 4242)
        .await
        .unwrap();
    (address, state, dir, vec![first, cancelled, long])
}

async fn no_horizontal_scroll(browser: &Client, page: &str) {
    let sizes = browser
        .execute(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth, window.innerWidth];",
            vec![],
        )
        .await
        .unwrap();
    let (scroll, client) = (sizes[0].as_i64().unwrap(), sizes[1].as_i64().unwrap());
    assert!(
        (300..=390).contains(&client),
        "a phone-wide viewport on {page}: {sizes}"
    );
    assert!(scroll <= client, "horizontal scroll on {page}: {sizes}");
}

fn screenshot(name: &str, png: &[u8]) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), png).unwrap();
}

async fn texts(browser: &Client, css: &str) -> Vec<String> {
    let mut out = Vec::new();
    for element in browser.find_all(Locator::Css(css)).await.unwrap() {
        out.push(element.text().await.unwrap());
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(browser_tests),
    ignore = "needs chromium + chromedriver: apt-get install chromium chromium-driver, or set RENCONTRE_TEST_BROWSER=1"
)]
async fn a_phone_browser_reads_the_agenda_and_an_event() {
    let (address, state, _dir, ids) = seeded().await;
    let driver = Driver::start();
    let browser = driver.browser().await;
    let base = format!("http://{address}/coteo/");

    browser.goto(&base).await.unwrap();
    let titles = texts(&browser, ".event h3").await;
    assert_eq!(
        titles,
        [
            "Rencontres numériques : l'IA au quotidien",
            "Conférence 4G",
            "Salon_Entrepreneurs_Expo_Grand_Poitiers_2026_édition_spéciale_numérique",
        ],
        "public events, soonest first"
    );
    let body = browser
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(body.contains("complet") && body.contains("Annulé"), "{body}");
    no_horizontal_scroll(&browser, "the agenda").await;
    screenshot("agenda.png", &browser.screenshot().await.unwrap());

    // Following the first event opens its page.
    browser
        .find(Locator::Css(".event h3 a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let url = browser.current_url().await.unwrap();
    assert_eq!(url.as_str(), format!("{base}events/{}", ids[0]));
    let data = browser
        .execute(
            "return JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent);",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(data["@type"], "Event");
    assert_eq!(data["name"], "Rencontres numériques : l'IA au quotidien");
    assert_eq!(data["startDate"], "2026-12-03T18:30:00+01:00");
    assert_eq!(data["endDate"], "2026-12-03T20:30:00+01:00");
    assert_eq!(data["eventStatus"], "https://schema.org/EventScheduled");
    assert_eq!(data["location"]["@type"], "Place");
    assert_eq!(data["organizer"]["name"], "Coteo — Rencontres numériques");
    no_horizontal_scroll(&browser, "an event").await;
    screenshot("event.png", &browser.screenshot().await.unwrap());

    // The long title and link wrap instead of widening the page.
    browser.goto(&format!("{base}events/{}", ids[2])).await.unwrap();
    no_horizontal_scroll(&browser, "the long event").await;

    // A cancelled event shows its notice and reason.
    browser.goto(&format!("{base}events/{}", ids[1])).await.unwrap();
    let notice = browser
        .find(Locator::Css(".notice.cancelled"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        notice.contains("Cet événement est annulé.") && notice.contains("Intervenant malade"),
        "{notice}"
    );

    // Unpublished: the same addresses answer the not-found page.
    web::setup_public(&state, &admin(1, "root"), false, None).await;
    for path in [base.clone(), format!("{base}events/{}", ids[0])] {
        browser.goto(&path).await.unwrap();
        let heading = browser
            .find(Locator::Css("h1"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(heading, "Page introuvable", "{path}");
    }
    browser.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(browser_tests),
    ignore = "needs chromium + chromedriver: apt-get install chromium chromium-driver, or set RENCONTRE_TEST_BROWSER=1"
)]
async fn another_site_can_frame_the_embed_page_and_not_the_agenda() {
    let (address, _state, _dir, _ids) = seeded().await;
    // The association's site: another origin (another port) framing both.
    let site = format!(
        r#"<!doctype html><html lang="fr"><title>Site de l'association</title>
        <iframe id="embed" src="http://{address}/coteo/embed" width="360" height="600"></iframe>
        <iframe id="agenda" src="http://{address}/coteo/" width="360" height="600"></iframe></html>"#
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let site_address = listener.local_addr().unwrap();
    let app = axum::Router::new().route(
        "/",
        axum::routing::get(move || async move { axum::response::Html(site) }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await });

    let driver = Driver::start();
    let browser = driver.browser().await;
    browser.goto(&format!("http://{site_address}/")).await.unwrap();

    // The embed renders inside the frame: its events are there.
    browser
        .find(Locator::Id("embed"))
        .await
        .unwrap()
        .enter_frame()
        .await
        .unwrap();
    let titles = texts(&browser, ".event h3").await;
    assert_eq!(titles.len(), 3, "the embed lists the events: {titles:?}");
    assert_eq!(titles[0], "Rencontres numériques : l'IA au quotidien");
    browser.enter_parent_frame().await.unwrap();

    // The agenda page refuses: Chromium shows its own error page in the
    // frame instead, with none of the agenda.
    browser
        .find(Locator::Id("agenda"))
        .await
        .unwrap()
        .enter_frame()
        .await
        .unwrap();
    let inside = browser
        .execute(
            "return [document.URL, document.querySelectorAll('.event').length, document.body ? document.body.innerText : ''];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(inside[1], 0, "the agenda must not render in a frame: {inside}");
    assert!(
        !inside[2].as_str().unwrap_or("").contains("Rencontres numériques"),
        "{inside}"
    );
    browser.close().await.unwrap();
}
