//! Small helpers to drive `rencontre::handlers::handle` directly: callers of
//! each standing, invocations, and what a user reads in a reply.

use rencontre::handlers::{
    self, Caller, CommandName, Context, Invocation, OptionValue, Options, Permissions,
};
use rencontre::reply::{Body, Choice, Effect, Message, Reply};
use rencontre::state::AppState;

pub const GUILD: u64 = 1;
pub const OTHER_GUILD: u64 = 2;
pub const CHANNEL: u64 = 100;
pub const ORGANIZER_ROLE: u64 = 900;

fn caller(user_id: u64, name: &str, permissions: Permissions) -> Context {
    Context {
        guild_id: GUILD,
        channel_id: CHANNEL,
        caller: Caller {
            user_id,
            name: name.to_owned(),
            locale: Some("fr".into()),
            roles: Vec::new(),
            permissions,
        },
    }
}

/// A plain member, French client.
pub fn member(user_id: u64, name: &str) -> Context {
    caller(user_id, name, Permissions::default())
}

/// A member with the Manage Events permission.
pub fn organizer(user_id: u64, name: &str) -> Context {
    caller(
        user_id,
        name,
        Permissions {
            manage_events: true,
            ..Permissions::default()
        },
    )
}

/// A server admin (Administrator and Manage Server).
pub fn admin(user_id: u64, name: &str) -> Context {
    caller(
        user_id,
        name,
        Permissions {
            administrator: true,
            manage_guild: true,
            manage_events: false,
            create_events: false,
        },
    )
}

/// A plain member holding a role.
pub fn with_role(user_id: u64, name: &str, role: u64) -> Context {
    let mut ctx = member(user_id, name);
    ctx.caller.roles.push(role);
    ctx
}

/// The same caller with another client locale (`None`: no locale sent).
pub fn locale(mut ctx: Context, locale: Option<&str>) -> Context {
    ctx.caller.locale = locale.map(str::to_owned);
    ctx
}

/// The same caller in another server.
pub fn in_guild(mut ctx: Context, guild_id: u64) -> Context {
    ctx.guild_id = guild_id;
    ctx
}

pub fn s(text: &str) -> OptionValue {
    OptionValue::Str(text.to_owned())
}

pub fn opts(options: &[(&str, OptionValue)]) -> Options {
    Options(
        options
            .iter()
            .map(|(n, v)| ((*n).to_owned(), v.clone()))
            .collect(),
    )
}

pub fn cmd(command: CommandName, sub: Option<&str>, options: &[(&str, OptionValue)]) -> Invocation {
    Invocation::Command {
        command,
        sub: sub.map(str::to_owned),
        options: opts(options),
    }
}

pub fn click(custom_id: &str) -> Invocation {
    Invocation::Component {
        custom_id: custom_id.to_owned(),
    }
}

/// A click on an event card's answer button (`going`, `maybe`, `declined`).
pub fn rsvp_button(event_id: i64, status: &str) -> Invocation {
    click(&format!("rsvp:v1:{event_id}:{status}"))
}

pub fn form(custom_id: &str, fields: &[(&str, &str)]) -> Invocation {
    Invocation::Modal {
        custom_id: custom_id.to_owned(),
        fields: fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    }
}

pub async fn run(state: &AppState, ctx: &Context, invocation: Invocation) -> Reply {
    handlers::handle(state, ctx, invocation).await
}

/// Opens the `/announce` form with these options; the form's id.
pub async fn open_announce(state: &AppState, ctx: &Context, options: &[(&str, OptionValue)]) -> String {
    let reply = run(state, ctx, cmd(CommandName::Announce, None, options)).await;
    match reply.body {
        Body::Modal(modal) => modal.custom_id,
        other => panic!("expected the announce form, got {other:?}"),
    }
}

/// The message body of a reply (new message or in-place update).
pub fn message(reply: &Reply) -> &Message {
    match &reply.body {
        Body::Message(m) | Body::Update(m) => m,
        other => panic!("expected a message, got {other:?}"),
    }
}

/// The private plain text of a reply: what the caller alone reads.
pub fn private_text(reply: &Reply) -> String {
    let m = message(reply);
    assert!(m.private, "the reply must be private: {reply:?}");
    m.content
        .clone()
        .unwrap_or_else(|| panic!("no text in {reply:?}"))
}

/// Everything a reader sees in a message: content, embeds, buttons.
pub fn all_text(reply: &Reply) -> String {
    let mut out = String::new();
    match &reply.body {
        Body::Message(m) | Body::Update(m) => {
            out.push_str(m.content.as_deref().unwrap_or_default());
            for e in &m.embeds {
                for part in [&e.title, &e.description, &e.footer].into_iter().flatten() {
                    out.push('\n');
                    out.push_str(part);
                }
                for f in &e.fields {
                    out.push_str(&format!("\n{}: {}", f.name, f.value));
                }
            }
            for b in m.rows.iter().flatten() {
                out.push_str(&format!("\n[{}]", b.label));
            }
        }
        Body::Modal(modal) => out.push_str(&modal.title),
        Body::Choices(choices) => {
            for c in choices {
                out.push_str(&format!("\n{}", c.name));
            }
        }
    }
    out
}

pub fn choices(reply: &Reply) -> &[Choice] {
    match &reply.body {
        Body::Choices(c) => c,
        other => panic!("expected choices, got {other:?}"),
    }
}

/// Ids of the event cards the reply asks to refresh.
pub fn refreshed(reply: &Reply) -> Vec<i64> {
    reply
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::RefreshCard { event_id } => Some(*event_id),
            _ => None,
        })
        .collect()
}

pub const NOT_ORGANIZER: &str =
    "Seuls les organisateurs peuvent faire cela (rôle organisateur, ou permission « Gérer les événements »).";
pub const NOT_ADMIN: &str =
    "Seuls les administrateurs du serveur (permission « Gérer le serveur ») peuvent configurer Rencontre.";
pub const STALE: &str = "Ce bouton n'est plus valable. Utilisez `/agenda` pour retrouver l'événement.";
pub const GONE: &str = "Cet événement n'existe plus.";
pub const EXPIRED_FORM: &str =
    "Ce formulaire n'est plus valable (il a expiré ou a déjà servi). Relancez `/announce` pour écrire votre annonce.";

pub fn unknown_event(text: &str) -> String {
    format!(
        "Je ne trouve pas l'événement « {text} ». Choisissez-le dans la liste proposée pendant la saisie, \
         ou consultez `/agenda`."
    )
}

pub fn too_long(field: &str, len: usize, max: usize) -> String {
    // French groups thousands with a narrow no-break space: "1 001".
    let n = |n: usize| rencontre::domain::format::number(n as i64, rencontre::domain::Lang::Fr);
    let (len, max) = (n(len), n(max));
    format!("{field} : {len} caractères, c'est trop (maximum {max}). Raccourcissez le texte.")
}

/// An `event` option naming an event by id, as autocomplete sends it.
pub fn ev(id: i64) -> OptionValue {
    OptionValue::Str(id.to_string())
}

/// `/event create title when`.
pub fn new_event(title: &str, when: &str) -> Invocation {
    cmd(
        CommandName::Event,
        Some("create"),
        &[("title", s(title)), ("when", s(when))],
    )
}

/// `/rsvp event status`.
pub fn rsvp(event_id: i64, status: &str) -> Invocation {
    cmd(
        CommandName::Rsvp,
        None,
        &[("event", ev(event_id)), ("status", s(status))],
    )
}

/// A UTC instant as a Unix timestamp.
pub fn unix(y: i32, m: u32, d: u32, h: u32, min: u32) -> i64 {
    chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, y, m, d, h, min, 0)
        .unwrap()
        .timestamp()
}

pub const INTERNAL_FR: &str = "Désolé, quelque chose s'est mal passé";
pub const INTERNAL_EN: &str = "Sorry, something went wrong";

pub fn assert_not_internal(text: &str) {
    assert!(
        !text.contains(INTERNAL_FR) && !text.contains(INTERNAL_EN),
        "internal error instead of a clear answer: {text}"
    );
}

/// Creates an event as `ctx` and returns its id.
pub async fn create_event(state: &AppState, ctx: &Context, options: &[(&str, OptionValue)]) -> i64 {
    created(&run(state, ctx, cmd(CommandName::Event, Some("create"), options)).await)
}

/// `/event create title when` as `ctx`; the new event's id.
pub async fn create(state: &AppState, ctx: &Context, title: &str, when: &str) -> i64 {
    created(&run(state, ctx, new_event(title, when)).await)
}

fn created(reply: &Reply) -> i64 {
    *refreshed(reply)
        .first()
        .unwrap_or_else(|| panic!("event not created: {reply:?}"))
}

/// Every table of the database (sqlx's own aside) with its columns in
/// order, whichever engine runs: each lists them its own way.
pub async fn tables_and_columns(state: &AppState) -> Vec<(String, Vec<String>)> {
    let postgres = matches!(state.pool, rencontre::store::Db::Postgres(_));
    let (tables_sql, columns_sql) = if postgres {
        (
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_name NOT LIKE '\\_sqlx%' ORDER BY 1",
            "SELECT column_name::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
        )
    } else {
        (
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
               AND name NOT LIKE '_sqlx%' ORDER BY name",
            "SELECT name FROM pragma_table_info($1)",
        )
    };
    let tables: Vec<String> = rencontre::on_db!(&state.pool, |db| sqlx::query_scalar(tables_sql)
        .fetch_all(db)
        .await)
    .unwrap();
    let mut out = Vec::new();
    for table in tables {
        let columns: Vec<String> = rencontre::on_db!(&state.pool, |db| sqlx::query_scalar(columns_sql)
            .bind(&table)
            .fetch_all(db)
            .await)
        .unwrap();
        out.push((table, columns));
    }
    out
}

/// Every row of every table (full-text shadow tables aside), to check that
/// a refused call changed nothing at all.
pub async fn snapshot(state: &AppState) -> Vec<String> {
    let postgres = matches!(state.pool, rencontre::store::Db::Postgres(_));
    let array = if postgres {
        "json_build_array"
    } else {
        "json_array"
    };
    let mut out = Vec::new();
    for (table, columns) in tables_and_columns(state).await {
        if table.starts_with("introductions_fts") {
            continue;
        }
        let sql = format!(
            "SELECT '{table}' || CAST({array}({}) AS TEXT) FROM \"{table}\" ORDER BY 1",
            columns
                .iter()
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let rows: Vec<String> =
            rencontre::on_db!(&state.pool, |db| sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .fetch_all(db)
                .await)
            .unwrap();
        out.extend(rows);
    }
    out
}
