//! Discord interactions → invocations the handlers understand.

use serenity::all::{
    ActionRowComponent, CommandDataOption, CommandDataOptionValue, CommandInteraction, CommandType,
    ComponentInteraction, ComponentInteractionDataKind, Interaction, Member, ModalInteraction, User,
};

use crate::domain::custom_id::ANSWER_MENU;

use crate::handlers::{Caller, CommandName, Context, Invocation, OptionValue, Options, Permissions};

/// The server of an interaction outside any server (a DM with the bot).
/// No server has id 0, so nothing of a server can be reached through it.
pub const NO_GUILD: u64 = 0;

/// `None` for what the bot does not handle (pings, unknown commands, and
/// in DMs everything but `/privacy` and its buttons): the caller logs it and
/// answers where it can. `/privacy` works in DMs so that someone who left
/// every server can still export or erase their data (it acts across every
/// server anyway).
pub fn invocation(interaction: &Interaction) -> Option<(Context, Invocation)> {
    match interaction {
        Interaction::Command(command) | Interaction::Autocomplete(command) => {
            let guild_id = match command.guild_id {
                Some(guild) => guild.get(),
                None if matches!(interaction, Interaction::Command(_))
                    && command.data.name == CommandName::Privacy.as_str() =>
                {
                    NO_GUILD
                }
                None => return None,
            };
            let ctx = context(
                guild_id,
                command.channel_id.get(),
                command.member.as_deref(),
                &command.user,
                &command.locale,
            );
            let autocomplete = matches!(interaction, Interaction::Autocomplete(_));
            Some((ctx, command_invocation(command, autocomplete)?))
        }
        Interaction::Component(component) => Some((
            component_context(component)?,
            Invocation::Component {
                custom_id: component_id(component),
            },
        )),
        Interaction::Modal(modal) => Some((modal_context(modal)?, modal_invocation(modal))),
        _ => None,
    }
}

/// The id of what was pressed. An option of the "Answer for…" menu stands
/// for a card's button and carries its id: the handlers see that button
/// pressed, and check it exactly as they would a click on the card.
fn component_id(c: &ComponentInteraction) -> String {
    match &c.data.kind {
        ComponentInteractionDataKind::StringSelect { values } if c.data.custom_id == ANSWER_MENU => {
            values.first().cloned().unwrap_or_default()
        }
        _ => c.data.custom_id.clone(),
    }
}

fn component_context(c: &ComponentInteraction) -> Option<Context> {
    let guild_id = match c.guild_id {
        Some(guild) => guild.get(),
        None if c.data.custom_id.starts_with("privacy:") => NO_GUILD,
        None => return None,
    };
    Some(context(
        guild_id,
        c.channel_id.get(),
        c.member.as_ref(),
        &c.user,
        &c.locale,
    ))
}

fn modal_context(m: &ModalInteraction) -> Option<Context> {
    Some(context(
        m.guild_id?.get(),
        m.channel_id.get(),
        m.member.as_ref(),
        &m.user,
        &m.locale,
    ))
}

/// The caller, from the interaction's own member data. Its permissions are
/// left empty: the ones Discord sends are the member's in this channel
/// (overwrites included), and an organizer is recognised from the server's
/// roles instead (`servers::permissions`).
fn context(guild_id: u64, channel_id: u64, member: Option<&Member>, user: &User, locale: &str) -> Context {
    Context {
        guild_id,
        channel_id,
        caller: Caller {
            user_id: user.id.get(),
            name: member
                .map(|m| m.display_name().to_owned())
                .unwrap_or_else(|| user.display_name().to_owned()),
            locale: Some(locale.to_owned()).filter(|l| !l.is_empty()),
            roles: member
                .map(|m| m.roles.iter().map(|r| r.get()).collect())
                .unwrap_or_default(),
            permissions: Permissions::default(),
        },
    }
}

fn command_invocation(command: &CommandInteraction, autocomplete: bool) -> Option<Invocation> {
    let data = &command.data;
    let name = CommandName::from_name(&data.name)?;
    if data.kind == CommandType::User {
        let target = data.target_id?.to_user_id();
        let target_name = data
            .resolved
            .members
            .get(&target)
            .and_then(|m| m.nick.clone())
            .or_else(|| {
                data.resolved
                    .users
                    .get(&target)
                    .map(|u| u.display_name().to_owned())
            })
            .unwrap_or_else(|| target.get().to_string());
        return Some(Invocation::UserMenu {
            target_id: target.get(),
            target_name,
        });
    }
    let (sub, options) = match data.options.first() {
        Some(CommandDataOption {
            name,
            value: CommandDataOptionValue::SubCommand(inner),
            ..
        }) => (Some(name.clone()), inner.as_slice()),
        _ => (None, data.options.as_slice()),
    };
    let mut focused = None;
    let mut values = Options::default();
    for option in options {
        let value = match &option.value {
            CommandDataOptionValue::String(s) => OptionValue::Str(s.clone()),
            CommandDataOptionValue::Integer(i) => OptionValue::Int(*i),
            CommandDataOptionValue::Boolean(b) => OptionValue::Bool(*b),
            CommandDataOptionValue::Number(n) => OptionValue::Int(*n as i64),
            CommandDataOptionValue::Channel(id) => OptionValue::Channel(id.get()),
            CommandDataOptionValue::Role(id) => OptionValue::Role(id.get()),
            CommandDataOptionValue::User(id) => OptionValue::User {
                id: id.get(),
                name: data
                    .resolved
                    .members
                    .get(id)
                    .and_then(|m| m.nick.clone())
                    .or_else(|| data.resolved.users.get(id).map(|u| u.display_name().to_owned()))
                    .unwrap_or_else(|| id.get().to_string()),
            },
            CommandDataOptionValue::Autocomplete { value, .. } => {
                focused = Some(option.name.clone());
                OptionValue::Str(value.clone())
            }
            _ => continue,
        };
        values.0.push((option.name.clone(), value));
    }
    Some(if autocomplete {
        Invocation::Autocomplete {
            command: name,
            sub,
            focused: focused.unwrap_or_default(),
            options: values,
        }
    } else {
        Invocation::Command {
            command: name,
            sub,
            options: values,
        }
    })
}

fn modal_invocation(modal: &ModalInteraction) -> Invocation {
    let fields = modal
        .data
        .components
        .iter()
        .flat_map(|row| row.components.iter())
        .filter_map(|component| match component {
            ActionRowComponent::InputText(input) => {
                Some((input.custom_id.clone(), input.value.clone().unwrap_or_default()))
            }
            _ => None,
        })
        .collect();
    Invocation::Modal {
        custom_id: modal.data.custom_id.clone(),
        fields,
    }
}
