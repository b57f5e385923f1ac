//! REST answers and payload builders parse with serenity's own types.

use super::*;

#[tokio::test]
async fn rest_routes_answer_what_serenity_parses() {
    let fake = FakeDiscord::start().await;
    let http = client_http(&fake);
    let guild = GuildId::new(FakeDiscord::GUILD_ID);

    assert_eq!(
        http.get_bot_gateway().await.expect("gateway/bot").url,
        fake.ws_url()
    );
    assert_eq!(
        http.get_current_user().await.expect("users/@me").id.get(),
        FakeDiscord::BOT_ID
    );
    let app = http
        .get_current_application_info()
        .await
        .expect("oauth2/applications/@me");
    assert_eq!(app.id.get(), FakeDiscord::APP_ID);
    http.set_application_id(app.id);
    let commands = vec![CreateCommand::new("agenda").description("Agenda")];
    let registered = http
        .create_guild_commands(guild, &commands)
        .await
        .expect("guild commands");
    assert_eq!(registered[0].name, "agenda");

    // Messages: multipart with a file, edit, pin, delete; then the deleted one is unknown.
    let agenda = ChannelId::new(101);
    let ics = || CreateAttachment::bytes(b"BEGIN:VCALENDAR".to_vec(), "a.ics");
    let sent = agenda
        .send_message(&http, CreateMessage::new().content("Agenda").add_file(ics()))
        .await;
    let sent = sent.expect("a message with a file");
    assert_eq!(sent.attachments[0].filename, "a.ics");
    let upload = fake
        .calls()
        .into_iter()
        .find(|c| c.is("POST", "/channels/101/messages"))
        .expect("recorded");
    assert_eq!(upload.body["content"], "Agenda", "payload_json is parsed");
    assert_eq!(
        upload.files,
        vec![("a.ics".to_owned(), b"BEGIN:VCALENDAR".to_vec())]
    );
    let edited = agenda
        .edit_message(&http, sent.id, EditMessage::new().content("Agenda v2"))
        .await;
    assert_eq!(edited.expect("edit").content, "Agenda v2");
    assert_eq!(
        fake.message(sent.id.get()).expect("known")["attachments"][0]["filename"],
        "a.ics"
    );
    http.pin_message(agenda, sent.id, None).await.expect("pin");
    http.delete_message(agenda, sent.id, None).await.expect("delete");
    let gone = agenda
        .edit_message(&http, sent.id, EditMessage::new().content("x"))
        .await;
    assert!(format!("{gone:?}").contains("10008"), "{gone:?}");

    // An interaction answered with a file (a multipart callback), then read back.
    let answer = CreateInteractionResponseMessage::new()
        .content("Calendrier")
        .add_file(ics());
    let token = interaction_token(77);
    let answered = CreateInteractionResponse::Message(answer)
        .execute(&http, (InteractionId::new(77), &token))
        .await;
    answered.expect("callback with a file");
    let original = http
        .get_original_interaction_response(&token)
        .await
        .expect("@original");
    assert_eq!(
        (
            original.content.as_str(),
            original.attachments[0].filename.as_str()
        ),
        ("Calendrier", "a.ics")
    );

    // DMs: open ones arrive, closed ones fail with 50007.
    fake.close_dms_of(31);
    let open = UserId::new(30)
        .create_dm_channel(&http)
        .await
        .expect("DM channel");
    open.id
        .send_message(&http, CreateMessage::new().content("Rappel"))
        .await
        .expect("an open DM");
    let closed = UserId::new(31)
        .create_dm_channel(&http)
        .await
        .expect("DM channel");
    match closed
        .id
        .send_message(&http, CreateMessage::new().content("Rappel"))
        .await
    {
        Err(serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(e))) => {
            assert_eq!((e.status_code.as_u16(), e.error.code), (403, 50007));
        }
        other => panic!("expected 50007, got {other:?}"),
    }

    // Native scheduled events.
    let start = Timestamp::parse("2026-12-05T18:00:00Z").unwrap();
    let end = Timestamp::parse("2026-12-05T22:00:00Z").unwrap();
    let create = CreateScheduledEvent::new(ScheduledEventType::External, "Soirée jeux", start);
    let event = guild
        .create_scheduled_event(&http, create.location("Local").end_time(end))
        .await;
    let event = event.expect("scheduled event");
    let rename = EditScheduledEvent::new().name("Soirée jeux (complet)");
    let renamed = guild
        .edit_scheduled_event(&http, event.id, rename)
        .await
        .expect("edit scheduled event");
    assert_eq!(renamed.name, "Soirée jeux (complet)");

    // Injected failures hit once; unknown routes are 404 and recorded.
    fake.fail_next(
        "/channels/102/messages",
        500,
        json!({ "code": 0, "message": "boom" }),
    );
    assert!(ChannelId::new(102).say(&http, "un").await.is_err());
    assert!(ChannelId::new(102).say(&http, "deux").await.is_ok());
    let is_post = |c: &Call| c.is("POST", "/channels/102/messages");
    let (first, _) = fake
        .wait_for_call_after(0, is_post, WAIT)
        .await
        .expect("first post");
    let (_, second) = fake
        .wait_for_call_after(first + 1, is_post, WAIT)
        .await
        .expect("second post");
    assert_eq!(second.body["content"], "deux");
    assert!(http
        .get_message(ChannelId::new(102), MessageId::new(1))
        .await
        .is_err());
    assert!(fake.calls().iter().all(|c| c.path.starts_with("/api/v10/")));
}

/// Each builder's output, read by serenity's own deserializers.
#[test]
fn payload_builders_deserialize_with_serenity_types() {
    let organizer = Member {
        roles: vec![ROLE_ORGANIZERS],
        permissions: 1 << 33,
        ..Member::new(21, "bob")
    };
    let alice = Member::new(20, "alice");
    let parse =
        |v: Value| serde_json::from_value::<Interaction>(v.clone()).unwrap_or_else(|e| panic!("{e}\n{v:#}"));

    let options =
        json!([{ "name": "invite", "type": 1, "options": [{ "name": "member", "type": 6, "value": "20" }] }]);
    let command = with_resolved(
        slash_command(1, "event", options, &organizer),
        resolved_members(&[&alice]),
    );
    let command = parse(command).command().expect("a command");
    assert_eq!(
        (command.guild_id.map(|g| g.get()), command.channel_id.get()),
        (Some(FakeDiscord::GUILD_ID), 100)
    );
    let member = command.member.as_ref().expect("member");
    assert!(member.permissions.expect("permissions").manage_events());
    assert_eq!(member.roles[0].get(), ROLE_ORGANIZERS);
    assert_eq!(command.user.id.get(), 21, "serenity fills user from member");
    assert_eq!(command.locale, "fr");
    assert!(command.data.resolved.members.contains_key(&UserId::new(20)));
    let CommandDataOptionValue::SubCommand(inner) = &command.data.options[0].value else {
        panic!("subcommand")
    };
    assert_eq!(inner[0].value.as_user_id(), Some(UserId::new(20)));
    let moved = parse(in_channel(slash_command(1, "event", json!([]), &alice), 103))
        .command()
        .expect("command");
    assert_eq!(moved.channel_id.get(), 103);

    let focused = json!([{ "name": "search", "type": 1, "options": [{ "name": "q", "type": 3, "value": "so", "focused": true }] }]);
    assert!(parse(autocomplete(2, "agenda", focused, &alice))
        .autocomplete()
        .is_some());

    let row = json!([{ "type": 1, "components": [{ "type": 2, "style": 1, "custom_id": "rsvp:v1:7:yes", "label": "Oui" }] }]);
    let card = message_json(555, 101, "Soirée", row);
    let message: serenity::all::Message = serde_json::from_value(card.clone()).expect("message");
    assert_eq!(
        (message.author.id.get(), message.components.len()),
        (FakeDiscord::BOT_ID, 1)
    );
    let click = parse(button(3, "rsvp:v1:7:yes", card, &alice))
        .message_component()
        .expect("a component");
    assert_eq!((click.channel_id.get(), click.message.id.get()), (101, 555));

    let fields = [("bio", "Bonjour"), ("city", "Lyon")];
    let modal = parse(modal_submit(4, "intro:v1", &fields, &alice))
        .modal_submit()
        .expect("a modal");
    assert_eq!(modal.data.components.len(), 2);

    let menu = parse(user_menu(5, &alice, &organizer))
        .command()
        .expect("a user command");
    assert_eq!(menu.data.target_id.map(|t| t.get()), Some(20));
    assert_eq!(menu.data.name, "Introduction");
    assert!(menu.data.resolved.users.contains_key(&UserId::new(20)));

    let guild: GuildCreateEvent = serde_json::from_value(guild_json()).expect("guild");
    // @everyone, bureau (Manage Events), admins, animateurs (Create Events).
    assert_eq!((guild.guild.roles.len(), guild.guild.channels.len()), (4, 4));
    let other: GuildCreateEvent = serde_json::from_value(other_guild_json()).expect("other guild");
    assert_eq!((other.guild.roles.len(), other.guild.channels.len()), (2, 1));
    let ready: serenity::all::Ready = serde_json::from_value(ready_json("s", "ws://x")).expect("ready");
    assert_eq!(ready.application.id.get(), FakeDiscord::APP_ID);
    let _: serenity::all::User = serde_json::from_value(bot_user_json()).expect("bot user");
    let _: serenity::all::Role = serde_json::from_value(role_json(9, "r", 0, 1)).expect("role");

    // As dispatches: serenity reads a bad field as `Event::Unknown`, not as an error.
    for (t, d) in [
        ("READY", ready_json("s", "ws://x")),
        ("GUILD_CREATE", guild_json()),
        ("INTERACTION_CREATE", user_menu(6, &alice, &alice)),
        ("RESUMED", json!({})),
    ] {
        let frame = json!({ "op": 0, "s": 1, "t": t, "d": d });
        match serde_json::from_value::<GatewayEvent>(frame) {
            Ok(GatewayEvent::Dispatch(_, Event::Unknown(_))) | Err(_) => panic!("{t} would be dropped"),
            Ok(_) => {}
        }
    }
}
