//! `rencontre console`: the same handlers, offline, in a terminal or from a
//! script on standard input. Messages the bot posts elsewhere are printed as
//! `#channel: …` and DMs as `DM @name: …`.

mod parse;
mod render;
mod world;

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncWrite, AsyncWriteExt};

use crate::definitions::{self, OptionKind};
use crate::delivery;
use crate::domain::Lang;
use crate::handlers::{self, Caller, Context, Invocation, OptionValue, Options, Permissions};
use crate::reply::Body;
use crate::state::AppState;
use crate::store;

/// The one server the console plays in.
pub const GUILD_ID: u64 = 1;
const HERE: &str = "general";

pub use world::World;
use world::{lock, ConsoleOutlet, Standing};

const HELP: &str = "\
/command [sub] key:value key:\"a value\"   run a command (English or French names)
:as NAME [organizer|admin]              act as NAME (created on first use)
:locale fr|en                           the acting user's Discord locale
:click LABEL                            press a button (or pick a menu option) on the last message that has it
:form key:\"value\" …                     submit the form last shown
:complete /command [sub] key:\"text\"     autocomplete the last option
:help  :quit";

pub struct Console {
    state: AppState,
    world: Arc<Mutex<World>>,
}

impl Console {
    pub fn new(state: AppState) -> Self {
        // The console's pretend server lets the bot do everything.
        let state = state.with_access(Arc::new(crate::access::Unrestricted));
        Console {
            state,
            world: Arc::new(Mutex::new(World::new())),
        }
    }

    /// Reads lines until end of input or `:quit`, printing every reply.
    pub async fn run(
        &self,
        input: impl AsyncBufRead + Unpin,
        mut output: impl AsyncWrite + Unpin,
        interactive: bool,
    ) -> anyhow::Result<()> {
        let mut lines = input.lines();
        if interactive {
            output
                .write_all(b"Rencontre console. :help for help, :quit to leave.\n> ")
                .await?;
            output.flush().await?;
        }
        while let Some(line) = lines.next_line().await? {
            let line = line.trim();
            if line == ":quit" || line == ":q" {
                break;
            }
            let printed = self.line(line).await;
            if !printed.is_empty() {
                output.write_all(printed.as_bytes()).await?;
                output.write_all(b"\n").await?;
            }
            if interactive {
                output.write_all(b"> ").await?;
            }
            output.flush().await?;
        }
        Ok(())
    }

    /// Runs one line and returns what it printed.
    pub async fn line(&self, line: &str) -> String {
        let words = match parse::words(line) {
            Ok(words) => words,
            Err(error) => return format!("! {error}"),
        };
        let Some(first) = words.first() else {
            return String::new();
        };
        let result = match first.as_str() {
            ":help" => Ok(HELP.to_owned()),
            ":as" => self.act_as(&words[1..]),
            ":locale" => self.set_locale(words.get(1)),
            ":click" => self.click(&words[1..].join(" ")).await,
            ":form" => self.form(&words[1..]).await,
            ":complete" => self.complete(&words[1..]).await,
            w if w.starts_with('/') => self.command(&words).await,
            other => Err(format!("unknown line `{other}`; :help lists what works")),
        };
        let mut printed = match result {
            Ok(text) => text,
            Err(error) => format!("! {error}"),
        };
        let effects: Vec<String> = lock(&self.world).output.drain(..).collect();
        for line in effects {
            if !printed.is_empty() {
                printed.push('\n');
            }
            printed.push_str(&line);
        }
        printed
    }

    fn act_as(&self, args: &[String]) -> Result<String, String> {
        let name = args.first().ok_or("usage: :as NAME [organizer|admin]")?;
        let standing = match args.get(1).map(String::as_str) {
            None | Some("member") => Standing::Member,
            Some("organizer") => Standing::Organizer,
            Some("admin") => Standing::Admin,
            Some(other) => return Err(format!("unknown standing `{other}`: member, organizer or admin")),
        };
        let mut world = lock(&self.world);
        let index = world.user_index(name);
        world.users[index].standing = standing;
        world.current = index;
        Ok(String::new())
    }

    fn set_locale(&self, locale: Option<&String>) -> Result<String, String> {
        let locale = locale.ok_or("usage: :locale fr|en")?;
        let mut world = lock(&self.world);
        let current = world.current;
        world.users[current].locale = Some(locale.clone());
        Ok(String::new())
    }

    /// The acting user as Discord would describe them.
    async fn context(&self) -> Result<Context, String> {
        let settings = store::settings::get(&self.state.pool, GUILD_ID)
            .await
            .map_err(|e| e.to_string())?;
        let mut world = lock(&self.world);
        world.timezone = settings.timezone;
        world.lang = settings.language;
        let organizer_role = settings
            .organizer_role
            .unwrap_or_else(|| world.role_id("organizers"));
        let here = world.channel_id(HERE);
        let user = &world.users[world.current];
        let (roles, permissions) = match user.standing {
            Standing::Member => (Vec::new(), Permissions::default()),
            Standing::Organizer => (vec![organizer_role], Permissions::default()),
            Standing::Admin => (
                vec![organizer_role],
                Permissions {
                    administrator: true,
                    manage_guild: true,
                    manage_events: true,
                    create_events: true,
                },
            ),
        };
        // Without a configured organizer role, organizers hold Manage Events.
        let permissions = Permissions {
            manage_events: permissions.manage_events
                || (user.standing == Standing::Organizer && settings.organizer_role.is_none()),
            ..permissions
        };
        Ok(Context {
            guild_id: GUILD_ID,
            channel_id: here,
            caller: Caller {
                user_id: user.id,
                name: user.name.clone(),
                locale: user.locale.clone(),
                roles,
                permissions,
            },
        })
    }

    /// `/command sub key:value …` → an invocation, typed by the definitions.
    fn parse_command(
        &self,
        words: &[String],
    ) -> Result<(handlers::CommandName, Option<String>, Options), String> {
        let name = words[0].trim_start_matches('/');
        let (command, def) =
            definitions::find_command(name).ok_or_else(|| format!("unknown command /{name}"))?;
        let mut rest = &words[1..];
        let sub = if definitions::subcommands(&def).is_empty() {
            None
        } else {
            let typed = rest.first().ok_or_else(|| {
                format!(
                    "/{name} needs one of: {}",
                    definitions::subcommands(&def).join(", ")
                )
            })?;
            rest = &rest[1..];
            Some(definitions::find_subcommand(&def, typed).ok_or_else(|| {
                format!(
                    "/{name} has no `{typed}`; try one of: {}",
                    definitions::subcommands(&def).join(", ")
                )
            })?)
        };
        let known = definitions::options_of(&def, sub.as_deref());
        let mut options = Options::default();
        let mut world = lock(&self.world);
        for word in rest {
            let (key, value) =
                parse::key_value(word).ok_or_else(|| format!("expected key:value, got `{word}`"))?;
            let (english, kind, _) = known
                .iter()
                .find(|(n, _, fr)| n == key || fr.as_deref() == Some(key))
                .ok_or_else(|| {
                    let names: Vec<&str> = known.iter().map(|(n, _, _)| n.as_str()).collect();
                    format!("unknown option `{key}`; options: {}", names.join(", "))
                })?;
            let value = match kind {
                OptionKind::Integer => OptionValue::Int(
                    value
                        .parse()
                        .map_err(|_| format!("{key} must be a whole number"))?,
                ),
                OptionKind::Boolean => OptionValue::Bool(
                    parse::boolean(value).ok_or_else(|| format!("{key} must be true or false"))?,
                ),
                OptionKind::User => {
                    let index = world.user_index(value);
                    OptionValue::User {
                        id: world.users[index].id,
                        name: world.users[index].name.clone(),
                    }
                }
                OptionKind::Channel => OptionValue::Channel(world.channel_id(value)),
                OptionKind::Role => OptionValue::Role(world.role_id(value)),
                _ => OptionValue::Str(value.to_owned()),
            };
            options.0.push((english.clone(), value));
        }
        Ok((command, sub, options))
    }

    async fn command(&self, words: &[String]) -> Result<String, String> {
        let (command, sub, options) = self.parse_command(words)?;
        if command == handlers::CommandName::Introduction {
            return Err("the Introduction menu is `/member show user:NAME` here".into());
        }
        self.invoke(
            Invocation::Command {
                command,
                sub,
                options,
            },
            None,
        )
        .await
    }

    async fn complete(&self, words: &[String]) -> Result<String, String> {
        if words.is_empty() {
            return Err("usage: :complete /command [sub] key:\"text\"".into());
        }
        let (command, sub, options) = self.parse_command(words)?;
        let focused = options
            .0
            .last()
            .map(|(n, _)| n.clone())
            .ok_or("name the option to complete, e.g. when:\"jeudi 18h\"")?;
        self.invoke(
            Invocation::Autocomplete {
                command,
                sub,
                focused,
                options,
            },
            None,
        )
        .await
    }

    async fn click(&self, label: &str) -> Result<String, String> {
        let wanted = label.trim().to_lowercase();
        let found = {
            let world = lock(&self.world);
            world.shown.iter().rev().find_map(|(id, message)| {
                let button = message
                    .rows
                    .iter()
                    .flatten()
                    .find(|b| b.label.to_lowercase() == wanted)
                    .map(|b| (*id, b.custom_id.clone(), b.disabled));
                // A menu's option is pressed like the button it stands for.
                let option = || {
                    let options = message.select.iter().flat_map(|s| &s.options);
                    let mut found = options.filter(|o| o.label.to_lowercase() == wanted);
                    found.next().map(|o| (*id, o.value.clone(), false))
                };
                button.or_else(option)
            })
        };
        let (message_id, custom_id, disabled) =
            found.ok_or_else(|| format!("no button `{label}` on the messages shown"))?;
        if disabled {
            return Err(format!("the button `{label}` is disabled"));
        }
        self.invoke(Invocation::Component { custom_id }, message_id).await
    }

    async fn form(&self, args: &[String]) -> Result<String, String> {
        // Cloned, not taken: a mistyped field name leaves the form open to
        // try again, as a form on Discord stays open after a refused field.
        let modal = lock(&self.world).last_modal.clone().ok_or("no form is open")?;
        // Like Discord, prefilled values are sent unless changed.
        let mut fields: Vec<(String, String)> = modal
            .inputs
            .iter()
            .map(|i| (i.custom_id.clone(), i.value.clone().unwrap_or_default()))
            .collect();
        for word in args {
            let (key, value) =
                parse::key_value(word).ok_or_else(|| format!("expected field:value, got `{word}`"))?;
            let field = fields.iter_mut().find(|(k, _)| k == key).ok_or_else(|| {
                let names: Vec<&str> = modal.inputs.iter().map(|i| i.custom_id.as_str()).collect();
                format!("the form has no field `{key}`; fields: {}", names.join(", "))
            })?;
            field.1 = value.to_owned();
        }
        lock(&self.world).last_modal = None;
        self.invoke(
            Invocation::Modal {
                custom_id: modal.custom_id,
                fields,
            },
            None,
        )
        .await
    }

    async fn invoke(&self, invocation: Invocation, clicked: Option<u64>) -> Result<String, String> {
        let ctx = self.context().await?;
        let reply = handlers::handle(&self.state, &ctx, invocation).await;
        let lang = ctx
            .caller
            .locale
            .as_deref()
            .map(Lang::from_locale)
            .unwrap_or(lock(&self.world).lang);
        let printed = {
            let mut world = lock(&self.world);
            match &reply.body {
                Body::Message(message) => {
                    world.remember(None, message);
                    render::message(message, &world, lang, self.state.now())
                }
                Body::Update(message) => {
                    world.remember(clicked, message);
                    render::message(message, &world, lang, self.state.now())
                }
                Body::Modal(modal) => {
                    world.last_modal = Some(modal.clone());
                    render::modal(modal)
                }
                Body::Choices(choices) => render::choices(choices),
            }
        };
        let outlet = ConsoleOutlet {
            world: self.world.clone(),
            state: self.state.clone(),
        };
        delivery::deliver(&self.state, &outlet, reply.effects).await;
        // Whatever the clock made due (reminders, scheduled announcements)
        // happens between lines, as the bot's runner would do it.
        if let Err(error) = crate::jobs::run_due(&self.state, &outlet).await {
            tracing::error!(error = ?error, "console job runner");
        }
        Ok(printed)
    }
}
