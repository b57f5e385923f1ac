//! Decides which optional halves of the tests run.
//!
//! - Browser tests (tests/web/web_browser.rs): with `RENCONTRE_TEST_BROWSER` set
//!   (CI sets it, so a missing browser fails the run) or a `chromedriver` on
//!   PATH, `cfg(browser_tests)` is on; otherwise those tests are ignored with
//!   a note saying what to install.
//! - PostgreSQL: with `RENCONTRE_TEST_POSTGRES` set (CI starts a throwaway
//!   server and sets it), `cfg(postgres_tests)` is on and the PostgreSQL-only
//!   tests run; otherwise they are ignored and a warning says the
//!   PostgreSQL half was not run, and how to run it. Which engine the other
//!   tests use is read when they run (`RENCONTRE_TEST_ENGINE`,
//!   tests/support/database.rs), so switching engines rebuilds nothing.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(browser_tests)");
    println!("cargo::rustc-check-cfg=cfg(postgres_tests)");
    println!("cargo::rerun-if-env-changed=RENCONTRE_TEST_BROWSER");
    println!("cargo::rerun-if-env-changed=RENCONTRE_TEST_POSTGRES");
    println!("cargo::rerun-if-env-changed=PATH");
    println!("cargo::rerun-if-changed=build.rs");
    // sqlx::migrate! embeds the folder; a new migration file must rebuild.
    println!("cargo::rerun-if-changed=migrations");
    let forced = std::env::var("RENCONTRE_TEST_BROWSER").is_ok_and(|v| !v.is_empty() && v != "0");
    if forced || on_path("chromedriver") {
        println!("cargo::rustc-cfg=browser_tests");
    }
    if std::env::var("RENCONTRE_TEST_POSTGRES").is_ok_and(|v| !v.is_empty()) {
        println!("cargo::rustc-cfg=postgres_tests");
    } else {
        println!(
            "cargo::warning=the PostgreSQL half of the tests was not run (RENCONTRE_TEST_POSTGRES is not set); \
             run it with: eval \"$(bash .ci/postgres start)\" then RENCONTRE_TEST_ENGINE=postgres cargo test"
        );
    }
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}
