//! Every command and subcommand of PRODUCT.md as types. Front-ends hand
//! over a name and a subcommand as typed by the member; [`Command::resolve`]
//! turns them into one of these once, dispatch matches on it (a subcommand
//! without a handler does not compile), and a contract test checks each
//! list against `commands/*.json` one to one.

use super::CommandName;

/// An enum of subcommand names with the text Discord and the console use.
macro_rules! subcommands {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name registered with Discord (and typed in the console).
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            pub fn from_name(name: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|sub| sub.as_str() == name)
            }
        }
    };
}

subcommands! {
    /// `/event …`
    EventSub {
        Create => "create",
        Edit => "edit",
        Cancel => "cancel",
        Show => "show",
        Attendees => "attendees",
        CheckIn => "check-in",
    }
}

subcommands! {
    /// `/member …`
    MemberSub { Show => "show", Search => "search" }
}

subcommands! {
    /// `/poll …`
    PollSub { Create => "create", Show => "show", Close => "close" }
}

subcommands! {
    /// `/privacy …`
    PrivacySub { Export => "export", Delete => "delete" }
}

subcommands! {
    /// `/reminders …`
    RemindersSub { On => "on", Off => "off" }
}

subcommands! {
    /// `/setup …` (admins).
    SetupSub {
        Channels => "channels",
        Organizers => "organizers",
        Timezone => "timezone",
        Language => "language",
        Reminders => "reminders",
        IntroButton => "intro-button",
        Mirror => "mirror",
        Threads => "threads",
        CardNames => "card-names",
        Public => "public",
        Show => "show",
        Check => "check",
    }
}

/// A command with its subcommand, when it has some.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Agenda,
    Event(EventSub),
    Rsvp,
    Intro,
    Member(MemberSub),
    Introduction,
    Announce,
    Calendar,
    Reminders(RemindersSub),
    Privacy(PrivacySub),
    Report,
    Setup(SetupSub),
    Poll(PollSub),
}

impl Command {
    /// What a front-end's command and subcommand name. `None` when the
    /// subcommand is missing, unknown, or given to a command without any:
    /// a client out of step with the registered definitions.
    pub fn resolve(name: CommandName, sub: Option<&str>) -> Option<Command> {
        fn with<S>(
            sub: Option<&str>,
            parse: fn(&str) -> Option<S>,
            wrap: fn(S) -> Command,
        ) -> Option<Command> {
            sub.and_then(parse).map(wrap)
        }
        let plain = |command| sub.is_none().then_some(command);
        match name {
            CommandName::Agenda => plain(Command::Agenda),
            CommandName::Event => with(sub, EventSub::from_name, Command::Event),
            CommandName::Rsvp => plain(Command::Rsvp),
            CommandName::Intro => plain(Command::Intro),
            CommandName::Member => with(sub, MemberSub::from_name, Command::Member),
            CommandName::Introduction => plain(Command::Introduction),
            CommandName::Announce => plain(Command::Announce),
            CommandName::Calendar => plain(Command::Calendar),
            CommandName::Reminders => with(sub, RemindersSub::from_name, Command::Reminders),
            CommandName::Privacy => with(sub, PrivacySub::from_name, Command::Privacy),
            CommandName::Report => plain(Command::Report),
            CommandName::Setup => with(sub, SetupSub::from_name, Command::Setup),
            CommandName::Poll => with(sub, PollSub::from_name, Command::Poll),
        }
    }
}

impl CommandName {
    /// The subcommands this command takes, as registered (empty for a
    /// command without any).
    pub fn subcommands(self) -> Vec<&'static str> {
        fn names<S: Copy>(all: &[S], name: fn(S) -> &'static str) -> Vec<&'static str> {
            all.iter().map(|s| name(*s)).collect()
        }
        match self {
            CommandName::Event => names(EventSub::ALL, EventSub::as_str),
            CommandName::Member => names(MemberSub::ALL, MemberSub::as_str),
            CommandName::Poll => names(PollSub::ALL, PollSub::as_str),
            CommandName::Privacy => names(PrivacySub::ALL, PrivacySub::as_str),
            CommandName::Reminders => names(RemindersSub::ALL, RemindersSub::as_str),
            CommandName::Setup => names(SetupSub::ALL, SetupSub::as_str),
            CommandName::Agenda
            | CommandName::Rsvp
            | CommandName::Intro
            | CommandName::Introduction
            | CommandName::Announce
            | CommandName::Calendar
            | CommandName::Report => Vec::new(),
        }
    }

    /// Commands whose work may take longer than Discord's 3 s to answer
    /// (a year's report, a member's whole export, a calendar file): the
    /// adapter defers them at once instead of waiting to see.
    pub fn defers_at_once(self) -> bool {
        matches!(
            self,
            CommandName::Report | CommandName::Privacy | CommandName::Calendar
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_subcommand_resolves_and_nothing_else_does() {
        for name in CommandName::ALL {
            let subs = name.subcommands();
            for sub in &subs {
                let command = Command::resolve(name, Some(sub));
                assert!(command.is_some(), "/{} {sub}", name.as_str());
            }
            assert_eq!(
                Command::resolve(name, None).is_some(),
                subs.is_empty(),
                "/{}",
                name.as_str()
            );
            assert_eq!(
                Command::resolve(name, Some("nope")),
                None,
                "/{} nope",
                name.as_str()
            );
        }
    }
}
