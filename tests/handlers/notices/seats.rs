//! A freed seat told by a DM, and not to a member who left again.

use super::*;

#[tokio::test]
async fn a_freed_seat_is_told_by_a_dm_that_survives_a_restart() {
    let (state, _clock, _dir) = support::state().await;
    let id = full_event(&state).await;
    let left = run(&state, &member(21, "bob"), rsvp_button(id, "declined")).await;
    assert!(no_dm_effects(&left), "{left:?}");
    // The bot dies before sending anything; the next one tells dave, once.
    let state = restarted(&state);
    rencontre::jobs::resume_after_restart(&state).await;
    let out = Recorder::default();
    run_due(&state, &out).await.unwrap();
    let dms = out.dms_to(23);
    assert_eq!(dms.len(), 1, "{:?}", out.sent());
    assert!(
        dms[0].starts_with("Bonne nouvelle") && dms[0].contains("Café numérique"),
        "{}",
        dms[0]
    );
    run_due(&state, &out).await.unwrap();
    assert_eq!(out.sent().len(), 1, "{:?}", out.sent());
}

#[tokio::test]
async fn a_member_who_left_again_before_the_dm_is_not_told_of_a_seat() {
    let (state, _clock, _dir) = support::state().await;
    let id = full_event(&state).await;
    run(&state, &member(21, "bob"), rsvp_button(id, "declined")).await;
    run(&state, &member(23, "dave"), rsvp_button(id, "declined")).await;
    let out = Recorder::default();
    run_due(&state, &out).await.unwrap();
    assert!(out.dms_to(23).is_empty(), "{:?}", out.sent());
}
