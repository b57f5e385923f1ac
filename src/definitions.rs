//! The command definitions of `commands/*.json`, embedded at build time and
//! registered with Discord as they are.

use serde_json::Value;

use crate::handlers::CommandName;

/// The JSON source of a command's definition.
pub fn source(command: CommandName) -> &'static str {
    match command {
        CommandName::Agenda => include_str!("../commands/agenda.json"),
        CommandName::Event => include_str!("../commands/event.json"),
        CommandName::Rsvp => include_str!("../commands/rsvp.json"),
        CommandName::Intro => include_str!("../commands/intro.json"),
        CommandName::Member => include_str!("../commands/member.json"),
        CommandName::Introduction => include_str!("../commands/introduction.json"),
        CommandName::Announce => include_str!("../commands/announce.json"),
        CommandName::Calendar => include_str!("../commands/calendar.json"),
        CommandName::Reminders => include_str!("../commands/reminders.json"),
        CommandName::Privacy => include_str!("../commands/privacy.json"),
        CommandName::Report => include_str!("../commands/report.json"),
        CommandName::Setup => include_str!("../commands/setup.json"),
        CommandName::Poll => include_str!("../commands/poll.json"),
    }
}

/// All definitions as one JSON array: the body of a bulk registration.
pub fn all() -> Value {
    Value::Array(
        CommandName::ALL
            .iter()
            .filter_map(|c| serde_json::from_str(source(*c)).ok())
            .collect(),
    )
}

/// Discord's option types, as the console needs them to read typed values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionKind {
    Subcommand,
    String,
    Integer,
    Boolean,
    User,
    Channel,
    Role,
    Other,
}

impl OptionKind {
    fn from_type(t: u64) -> OptionKind {
        match t {
            1 => OptionKind::Subcommand,
            3 => OptionKind::String,
            4 => OptionKind::Integer,
            5 => OptionKind::Boolean,
            6 => OptionKind::User,
            7 => OptionKind::Channel,
            8 => OptionKind::Role,
            _ => OptionKind::Other,
        }
    }
}

/// A command (or subcommand) name in English or French, to its English name.
fn matches_name(option: &Value, name: &str) -> bool {
    option["name"].as_str() == Some(name) || option["name_localizations"]["fr"].as_str() == Some(name)
}

/// The command named `name` (English or French).
pub fn find_command(name: &str) -> Option<(CommandName, Value)> {
    CommandName::ALL.iter().find_map(|c| {
        let def: Value = serde_json::from_str(source(*c)).ok()?;
        matches_name(&def, name).then_some((*c, def))
    })
}

/// The subcommands of a definition, by English name.
pub fn subcommands(def: &Value) -> Vec<String> {
    def["options"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|o| o["type"].as_u64() == Some(1))
        .filter_map(|o| o["name"].as_str().map(str::to_owned))
        .collect()
}

/// The English name of subcommand `name` (typed in English or French).
pub fn find_subcommand(def: &Value, name: &str) -> Option<String> {
    def["options"]
        .as_array()?
        .iter()
        .find(|o| o["type"].as_u64() == Some(1) && matches_name(o, name))
        .and_then(|o| o["name"].as_str().map(str::to_owned))
}

/// The options of a command or subcommand: (English name, kind).
pub fn options_of(def: &Value, sub: Option<&str>) -> Vec<(String, OptionKind, Option<String>)> {
    let level = match sub {
        Some(sub) => def["options"]
            .as_array()
            .and_then(|opts| opts.iter().find(|o| o["name"].as_str() == Some(sub)))
            .map(|o| &o["options"])
            .unwrap_or(&Value::Null),
        None => &def["options"],
    };
    level
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| {
            let kind = OptionKind::from_type(o["type"].as_u64()?);
            let fr = o["name_localizations"]["fr"].as_str().map(str::to_owned);
            Some((o["name"].as_str()?.to_owned(), kind, fr))
        })
        .collect()
}
