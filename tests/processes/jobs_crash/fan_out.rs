//! `kill -9` while the jobs fan out, at pseudo-random moments, then a
//! last run to the end: every delivery made once, none lost.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_while_jobs_fan_out_neither_loses_nor_repeats_a_delivery() {
    let started = Instant::now();
    let fake = FakeDiscord::start().await;
    let database = support::database::TestDatabase::new().await;
    let url = database.url.clone();
    let seed = std::env::var("JOBS_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(SEED);
    let mut rng = Rng::new(seed);
    let seeded = seed_database(&url, &fake, Utc::now()).await;

    // Kill points, as counts of messages Discord has created so far, in the
    // order the runner creates them: right at start-up (jobs just claimed),
    // after the first DMs, all along the reminder's fan-out, just after its
    // last DM, among the announcements, and after the first card of a new
    // date of a series.
    let dms = seeded.reminded.len();
    let mut kill_points = vec![0, 1, 2];
    let mut at = 2;
    loop {
        at += rng.between(1, 60) as usize;
        if at >= dms {
            break;
        }
        kill_points.push(at);
    }
    kill_points.extend([dms, dms + 1, dms + 3, dms + ANNOUNCEMENTS + 1]);

    let pool = open(&url).await;
    let mut log = Vec::new();
    for (round, &target) in kill_points.iter().enumerate() {
        let identifies = fake.identify_count();
        let mut bot = BotProcess::spawn(&fake.base_url(), &url);
        assert!(
            wait_new_session(&fake, identifies, PATIENCE).await,
            "round {round}: the binary (pid {}) connected",
            bot.pid()
        );
        let reached = wait_for_creations(&fake, &pool, target).await;
        let logs = bot.kill9();
        let context = format!(
            "seed {seed:#x}, round {round}: killed after {} message posts (target {target}, reached {reached})\n\
             bot log tail:\n{}",
            creations(&fake),
            tail(&logs, 2_000)
        );
        eprintln!("{}", context.lines().next().unwrap_or_default());
        assert!(!logs.contains("panicked"), "{context}");
        assert_eq!(integrity(&url).await, "ok", "{context}");
        log.push(context);
        if !reached {
            break;
        }
    }

    // The last start finishes everything, without waiting for claims of the
    // killed processes to grow stale.
    let identifies = fake.identify_count();
    let mut bot = BotProcess::spawn(&fake.base_url(), &url);
    assert!(
        wait_new_session(&fake, identifies, PATIENCE).await,
        "the final start connected"
    );
    let deadline = Instant::now() + PATIENCE;
    loop {
        let left = unfinished(&pool).await;
        if left.is_empty() {
            break;
        }
        if Instant::now() > deadline {
            let logs = bot.kill9();
            panic!(
                "seed {seed:#x}: jobs not done after the restart: {left:?}\n{}\nlast log:\n{}",
                log.join("\n"),
                tail(&logs, 3_000)
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // A member answering the closed event is refused by the running bot.
    let late = Member::new(FIRST_MEMBER + 999, "retardataire");
    let card = message_json(seeded.closing_card, AGENDA, "", Value::Null);
    let custom_id = format!("rsvp:v1:{}:going", seeded.closing_event);
    let interaction = button(900_001, &custom_id, card, &late);
    fake.send_interaction(interaction).await;
    let answer = fake
        .wait_for_call(|c| c.is("POST", "/interactions/900001/"), PATIENCE)
        .await
        .expect("the late click was answered");
    let logs = bot.kill9();
    assert!(!logs.contains("panicked"), "{}", tail(&logs, 2_000));
    let refusal = answer.body["data"]["content"].as_str().unwrap_or_default();
    assert!(refusal.contains("Les inscriptions sont closes"), "{answer:?}");

    // What members see: one reminder each, one post per announcement.
    let calls = fake.calls();
    let messages = distinct_messages(&calls);
    let context = format!("seed {seed:#x}\n{}", log.join("\n"));
    let mut duplicated = Vec::new();
    for user in &seeded.reminded {
        let dms = messages.get(&(DM_CHANNEL_BASE + user)).map_or(0, BTreeMap::len);
        if dms != 1 {
            duplicated.push((user, dms));
        }
    }
    assert!(
        duplicated.is_empty(),
        "members without exactly one reminder (member, DMs): {duplicated:?}\n{context}"
    );
    for user in &seeded.reminded {
        let dm = messages[&(DM_CHANNEL_BASE + user)].values().next().unwrap();
        assert!(text_of(dm).contains(TITLE), "{dm}");
    }
    for user in &seeded.not_reminded {
        assert!(
            !messages.contains_key(&(DM_CHANNEL_BASE + user)),
            "member {user} should get no reminder\n{context}"
        );
    }
    let posted: Vec<String> = messages
        .get(&ANNOUNCE)
        .into_iter()
        .flat_map(BTreeMap::values)
        .map(text_of)
        .collect();
    for title in &seeded.announcements {
        let copies = posted.iter().filter(|text| text.contains(title.as_str())).count();
        assert_eq!(
            copies, 1,
            "announcement {title:?} posted {copies} times\n{context}"
        );
    }
    let other: Vec<&u64> = messages
        .keys()
        .filter(|c| {
            ![ANNOUNCE, AGENDA].contains(c) && !(DM_CHANNEL_BASE..DM_CHANNEL_BASE + 1_000_000).contains(*c)
        })
        .collect();
    assert!(other.is_empty(), "unexpected posts in {other:?}\n{context}");

    // Each date the series gained has one card, the one the bot keeps
    // editing; the dates that existed kept theirs (edited, not reposted).
    let new_dates: Vec<(i64, Option<i64>)> = rencontre::on_db!(&pool, |db| sqlx::query_as(
        "SELECT id, card_message_id FROM events WHERE id > $1 ORDER BY id"
    )
    .bind(seeded.last_event)
    .fetch_all(db)
    .await)
    .unwrap();
    assert!(
        new_dates.len() >= SERIES.len(),
        "each series gained dates: {new_dates:?}"
    );
    let cards = messages.get(&AGENDA).map_or(0, BTreeMap::len);
    assert_eq!(cards, new_dates.len(), "one card per new date\n{context}");
    for (event, card) in &new_dates {
        let card = card.unwrap_or_else(|| panic!("date {event} has no card\n{context}"));
        assert!(
            fake.message(card as u64).is_some(),
            "date {event}: card {card} unknown to Discord"
        );
    }

    // The closing event's card was edited: joining is off, while stepping
    // back (maybe, can't go) stays open to free a seat.
    let card = fake.message(seeded.closing_card).expect("the card still exists");
    let buttons: Vec<&Value> = card["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().into_iter().flatten())
        .collect();
    assert!(!buttons.is_empty(), "{card}");
    for button in &buttons {
        let joining = button["custom_id"]
            .as_str()
            .is_some_and(|id| id.ends_with(":going"));
        assert_eq!(button["disabled"] == true, joining, "{card}");
    }

    // Nothing lost, nothing left claimed, one delivery row per reminded member.
    let statuses: Vec<(i64, String, String, i64)> = rencontre::on_db!(&pool, |db| sqlx::query_as(
        "SELECT id, kind, status, due_at FROM jobs ORDER BY id"
    )
    .fetch_all(db)
    .await)
    .unwrap();
    let next_week = (Utc::now() + chrono::Duration::days(6)).timestamp();
    for (id, kind) in &seeded.due {
        let (status, due_at) = statuses
            .iter()
            .find(|(i, ..)| i == id)
            .map(|(_, _, status, due_at)| (status.as_str(), *due_at))
            .unwrap_or_else(|| panic!("job {id} ({kind}) was lost"));
        let finished = match kind.as_str() {
            // Never sent late: those dates had started.
            "late_reminder" => status == "dropped",
            // Posted just before a kill, it is found posted (and its job
            // dropped) by the next run.
            "announcement" => status == "done" || status == "dropped",
            // Performed, it planned itself again for next week.
            "occurrences" => status == "pending" && due_at > next_week,
            _ => status == "done",
        };
        assert!(
            finished,
            "job {id} ({kind}): {status}, due at {due_at}\n{context}"
        );
    }
    assert!(
        statuses
            .iter()
            .all(|(_, _, status, _)| status != "running" && status != "failed"),
        "{statuses:?}"
    );
    let delivered: Vec<i64> = rencontre::on_db!(&pool, |db| sqlx::query_scalar(
        "SELECT d.user_id FROM job_deliveries d JOIN jobs j ON j.id = d.job_id
         WHERE j.kind = 'reminder' ORDER BY d.user_id",
    )
    .fetch_all(db)
    .await)
    .unwrap();
    let expected: Vec<i64> = seeded.reminded.iter().map(|u| *u as i64).collect();
    assert_eq!(delivered, expected);
    pool.close().await;
    assert_eq!(integrity(&url).await, "ok");
    let posts = calls.iter().filter(|c| is_creation(c)).count();
    let kept: usize = messages.values().map(BTreeMap::len).sum();
    eprintln!(
        "{} kills; {} reminders, {ANNOUNCEMENTS} announcements and {} new cards checked; \
         {} posts repeated after a kill were absorbed by their nonce; {:?}",
        log.len(),
        seeded.reminded.len(),
        new_dates.len(),
        posts - kept,
        started.elapsed()
    );
}
