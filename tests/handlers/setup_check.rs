//! `/setup check`: what the bot can and cannot do in each configured channel
//! and feature, in plain words, with the fix — rendered from the bits the
//! front-end reports.

use crate::support::{self, calls};

use std::sync::Arc;

use calls::*;
use rencontre::access::{bits, AccessProbe, BotAccess, ProbeFuture};
use rencontre::handlers::{CommandName, OptionValue};

const AGENDA: u64 = 300;
const INTROS: u64 = 301;

/// Reports fixed permissions, as Discord would compute them.
struct Fixed(BotAccess);

impl AccessProbe for Fixed {
    fn bot_access<'a>(&'a self, _guild_id: u64, channels: &'a [u64]) -> ProbeFuture<'a> {
        let mut access = self.0.clone();
        access.channels.retain(|(id, _)| channels.contains(id));
        Box::pin(async move { Ok(access) })
    }
}

const POSTING: u64 = bits::VIEW_CHANNEL | bits::SEND_MESSAGES | bits::EMBED_LINKS;

#[tokio::test]
async fn each_channel_and_feature_says_what_is_missing_and_how_to_fix_it() {
    let (state, _clock, _dir) = support::state().await;
    let root = admin(1, "root");
    let channels = cmd(
        CommandName::Setup,
        Some("channels"),
        &[
            ("agenda", OptionValue::Channel(AGENDA)),
            ("introductions", OptionValue::Channel(INTROS)),
        ],
    );
    run(&state, &root, channels).await;
    run(
        &state,
        &root,
        cmd(CommandName::Setup, Some("mirror"), &[("state", s("on"))]),
    )
    .await;
    // The agenda is fine; in the introductions the bot can post but not pin;
    // server-wide it lacks Create Events.
    let state = state.with_access(Arc::new(Fixed(BotAccess {
        server: POSTING,
        channels: vec![(AGENDA, Some(POSTING)), (INTROS, Some(POSTING))],
    })));
    let reply = run(&state, &root, cmd(CommandName::Setup, Some("check"), &[])).await;
    assert!(message(&reply).private, "only the admin sees it");
    let text = all_text(&reply);
    assert!(
        text.contains("<#300>: tout ce qu'il faut est autorisé."),
        "{text}"
    );
    assert!(
        text.contains("<#301>: Je ne peux pas épingler le message « Me présenter ».\nSolution : Modifier le salon → Permissions → Rencontre, autorisez « Épingler des messages »."),
        "{text}"
    );
    assert!(
        text.contains("Je ne peux pas créer des événements Discord.\nSolution : Paramètres du serveur → Rôles → rôle de Rencontre, autorisez « Créer des événements »."),
        "{text}"
    );
    assert!(
        text.contains("Salon annonces: non défini — choisissez-le avec `/setup channels`."),
        "{text}"
    );

    // A channel the bot cannot see at all: everything is missing, in English too.
    let state = state.with_access(Arc::new(Fixed(BotAccess {
        server: POSTING | bits::CREATE_EVENTS,
        channels: vec![(AGENDA, None), (INTROS, Some(bits::ALL))],
    })));
    let english = locale(admin(1, "root"), Some("en-US"));
    let text = all_text(&run(&state, &english, cmd(CommandName::Setup, Some("check"), &[])).await);
    assert!(
        text.contains("<#300>: I cannot see the channel, post messages, show cards (embeds).\nFix: Edit Channel → Permissions → Rencontre, allow View Channel, Send Messages, Embed Links."),
        "{text}"
    );
    assert!(text.contains("<#301>: everything needed is allowed."), "{text}");
    assert!(!text.contains("Create Events"), "{text}");
}

#[tokio::test]
async fn only_admins_may_check() {
    let (state, _clock, _dir) = support::state().await;
    let state = state.with_access(Arc::new(rencontre::access::Unrestricted));
    let reply = run(
        &state,
        &member(5, "eve"),
        cmd(CommandName::Setup, Some("check"), &[]),
    )
    .await;
    assert_eq!(
        private_text(&reply),
        "Seuls les administrateurs du serveur (permission « Gérer le serveur ») peuvent configurer Rencontre."
    );
}
