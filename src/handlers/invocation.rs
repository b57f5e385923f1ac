//! What a front-end hands to the handlers: who is calling, where, and what.

use serde::Serialize;

/// Every top-level command of PRODUCT.md. Dispatch matches on this enum, so
/// adding a command without a handler does not compile, and a contract test
/// checks it against `commands/*.json` one-to-one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum CommandName {
    Agenda,
    Event,
    Rsvp,
    Intro,
    Member,
    /// The user context menu "Introduction".
    Introduction,
    Announce,
    Calendar,
    Reminders,
    Privacy,
    Report,
    Setup,
    /// `/poll`: date polls.
    Poll,
}

impl CommandName {
    pub const ALL: [CommandName; 13] = [
        CommandName::Agenda,
        CommandName::Event,
        CommandName::Rsvp,
        CommandName::Intro,
        CommandName::Member,
        CommandName::Introduction,
        CommandName::Announce,
        CommandName::Calendar,
        CommandName::Reminders,
        CommandName::Privacy,
        CommandName::Report,
        CommandName::Setup,
        CommandName::Poll,
    ];

    /// The name registered with Discord (and typed in the console).
    pub fn as_str(self) -> &'static str {
        match self {
            CommandName::Agenda => "agenda",
            CommandName::Event => "event",
            CommandName::Rsvp => "rsvp",
            CommandName::Intro => "intro",
            CommandName::Member => "member",
            CommandName::Introduction => "Introduction",
            CommandName::Announce => "announce",
            CommandName::Calendar => "calendar",
            CommandName::Reminders => "reminders",
            CommandName::Privacy => "privacy",
            CommandName::Report => "report",
            CommandName::Setup => "setup",
            CommandName::Poll => "poll",
        }
    }

    pub fn from_name(name: &str) -> Option<CommandName> {
        CommandName::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

/// Discord permissions the handlers care about, the member's in the server
/// as a whole (never one channel's).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Permissions {
    pub administrator: bool,
    pub manage_guild: bool,
    pub manage_events: bool,
    /// *Create Events* alone: may create events and change their own.
    pub create_events: bool,
}

impl Permissions {
    /// From Discord's permission bits.
    pub fn from_bits(bits: u64) -> Permissions {
        use crate::directory::bits::*;
        Permissions {
            administrator: bits & ADMINISTRATOR != 0,
            manage_guild: bits & MANAGE_GUILD != 0,
            manage_events: bits & MANAGE_EVENTS != 0,
            create_events: bits & CREATE_EVENTS != 0,
        }
    }
}

/// The member behind an interaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Caller {
    pub user_id: u64,
    pub name: String,
    /// Discord locale of the user's client, e.g. `fr` or `en-GB`.
    pub locale: Option<String>,
    pub roles: Vec<u64>,
    pub permissions: Permissions,
}

/// Where the interaction happened and who made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Context {
    pub guild_id: u64,
    pub channel_id: u64,
    pub caller: Caller,
}

/// A typed option value, as Discord resolves it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum OptionValue {
    Str(String),
    Int(i64),
    Bool(bool),
    User { id: u64, name: String },
    Channel(u64),
    Role(u64),
}

/// The options of one (sub)command, by name.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Options(pub Vec<(String, OptionValue)>);

impl Options {
    pub fn get(&self, name: &str) -> Option<&OptionValue> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// A string option, trimmed; blank counts as absent.
    pub fn str(&self, name: &str) -> Option<&str> {
        match self.get(name) {
            Some(OptionValue::Str(s)) if !s.trim().is_empty() => Some(s.trim()),
            _ => None,
        }
    }

    pub fn int(&self, name: &str) -> Option<i64> {
        match self.get(name) {
            Some(OptionValue::Int(i)) => Some(*i),
            _ => None,
        }
    }

    pub fn bool(&self, name: &str) -> Option<bool> {
        match self.get(name) {
            Some(OptionValue::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    pub fn user(&self, name: &str) -> Option<(u64, &str)> {
        match self.get(name) {
            Some(OptionValue::User { id, name }) => Some((*id, name.as_str())),
            _ => None,
        }
    }

    pub fn channel(&self, name: &str) -> Option<u64> {
        match self.get(name) {
            Some(OptionValue::Channel(id)) => Some(*id),
            _ => None,
        }
    }

    pub fn role(&self, name: &str) -> Option<u64> {
        match self.get(name) {
            Some(OptionValue::Role(id)) => Some(*id),
            _ => None,
        }
    }
}

/// One interaction, stripped of everything Discord-specific.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Invocation {
    Command {
        command: CommandName,
        sub: Option<String>,
        options: Options,
    },
    Autocomplete {
        command: CommandName,
        sub: Option<String>,
        /// The option being typed.
        focused: String,
        options: Options,
    },
    /// A button press, by its `custom_id`.
    Component { custom_id: String },
    /// A submitted form.
    Modal {
        custom_id: String,
        fields: Vec<(String, String)>,
    },
    /// The user context menu "Introduction".
    UserMenu { target_id: u64, target_name: String },
}

impl Invocation {
    /// What was invoked, for the log: `/event create`, a button's or a
    /// form's kind (the part of its id before the first `:`, never the ids
    /// it carries), or the context menu.
    pub fn label(&self) -> String {
        let command = |command: &CommandName, sub: &Option<String>| match sub {
            Some(sub) => format!("/{} {sub}", command.as_str()),
            None => format!("/{}", command.as_str()),
        };
        match self {
            Invocation::Command { command: c, sub, .. } => command(c, sub),
            Invocation::Autocomplete { command: c, sub, .. } => format!("{} (autocomplete)", command(c, sub)),
            Invocation::Component { custom_id } => format!("button {}", kind_of(custom_id)),
            Invocation::Modal { custom_id, .. } => format!("form {}", kind_of(custom_id)),
            Invocation::UserMenu { .. } => "menu introduction".to_owned(),
        }
    }
}

/// The kind of a component id (`rsvp` of `rsvp:v1:12:going`), cut short
/// since the id is the client's text.
fn kind_of(custom_id: &str) -> &str {
    let kind = custom_id.split(':').next().unwrap_or_default();
    match kind.char_indices().nth(24) {
        Some((end, _)) => &kind[..end],
        None => kind,
    }
}
