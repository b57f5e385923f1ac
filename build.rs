//! Decides whether the browser tests (tests/web_browser.rs) run: with
//! `RENCONTRE_TEST_BROWSER` set (CI sets it, so a missing browser fails the
//! run) or a `chromedriver` on PATH, `cfg(browser_tests)` is on; otherwise
//! those tests are ignored with a note saying what to install.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(browser_tests)");
    println!("cargo::rerun-if-env-changed=RENCONTRE_TEST_BROWSER");
    println!("cargo::rerun-if-env-changed=PATH");
    println!("cargo::rerun-if-changed=build.rs");
    // sqlx::migrate! embeds the folder; a new migration file must rebuild.
    println!("cargo::rerun-if-changed=migrations");
    let forced = std::env::var("RENCONTRE_TEST_BROWSER").is_ok_and(|v| !v.is_empty() && v != "0");
    if forced || on_path("chromedriver") {
        println!("cargo::rustc-cfg=browser_tests");
    }
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}
