//! The Reply model: what a handler answers, independent of Discord.
//!
//! Front-ends (the serenity adapter, the console) translate it faithfully;
//! handlers never see a serenity type.

use serde::Serialize;

/// What the caller sees in answer to an interaction, plus what the bot must
/// do elsewhere because of it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Reply {
    pub body: Body,
    /// Messages to post or edit elsewhere, DMs to send.
    pub effects: Vec<Effect>,
}

#[derive(Debug, Clone, Serialize)]
pub enum Body {
    /// A new message answering the interaction.
    Message(Message),
    /// Replace the message the clicked component sits on (paging).
    Update(Message),
    /// Open a form.
    Modal(Modal),
    /// Autocomplete suggestions (≤ 25).
    Choices(Vec<Choice>),
}

impl Default for Body {
    fn default() -> Self {
        Body::Message(Message::default())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Message {
    pub content: Option<String>,
    pub embeds: Vec<Embed>,
    /// Rows of buttons (≤ 5 rows of ≤ 5).
    pub rows: Vec<Vec<Button>>,
    /// A menu shown above the buttons, each option standing for a button.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub select: Option<Select>,
    pub attachments: Vec<Attachment>,
    /// Seen only by the caller (Discord's ephemeral flag).
    pub private: bool,
    /// The only role this message may ping (`/announce ping`); everything
    /// else stays inert.
    pub ping_role: Option<u64>,
    /// The Discord nonce of a message the bot may have to send again after a
    /// crash (a reminder, a scheduled post, a new card), the same on every
    /// try: Discord (`enforce_nonce`) then returns the message already
    /// created instead of making a second one. Set by [`Message::once`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Embed {
    pub title: Option<String>,
    pub description: Option<String>,
    pub fields: Vec<Field>,
    pub footer: Option<String>,
    pub url: Option<String>,
    pub colour: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    pub name: String,
    pub value: String,
    pub inline: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ButtonStyle {
    Primary,
    Secondary,
    Success,
    Danger,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Button {
    pub label: String,
    pub custom_id: String,
    pub style: ButtonStyle,
    pub disabled: bool,
}

/// A menu of choices (≤ 25). Each option's value is the `custom_id` of
/// the button it stands for: picking it is pressing that button, through
/// the same code path and checks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Select {
    pub custom_id: String,
    pub placeholder: String,
    pub options: Vec<SelectOption>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SelectOption {
    /// ≤ 100 characters.
    pub label: String,
    /// The `custom_id` of the button this option stands for.
    pub value: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Modal {
    pub custom_id: String,
    pub title: String,
    pub inputs: Vec<TextInput>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TextInput {
    pub custom_id: String,
    pub label: String,
    pub paragraph: bool,
    pub required: bool,
    pub min_length: Option<u16>,
    pub max_length: u16,
    pub value: Option<String>,
    pub placeholder: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Choice {
    pub name: String,
    pub value: String,
}

/// Something the bot must do besides answering the caller.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Effect {
    /// Post (or re-render and edit, if already posted) an event's card in
    /// its channel; the front-end stores the message id.
    RefreshCard { event_id: i64 },
    /// Post (or re-render and edit) a date poll's card, like an event's.
    RefreshPoll { poll_id: i64 },
    /// Create, update or cancel the event's mirror among Discord's native
    /// scheduled events, when the server asked for it (`/setup mirror`).
    MirrorEvent { event_id: i64 },
    /// Post or update a member's introduction in the introductions channel.
    PublishIntro { guild_id: u64, user_id: u64 },
    /// Post a stored announcement now and mark it posted.
    PublishAnnouncement { announcement_id: i64 },
    /// Delete a message the bot posted (an erased member's introduction).
    DeleteMessage { channel_id: u64, message_id: u64 },
    /// Post (and pin) the *Introduce yourself* message of `/setup intro-button`;
    /// `admin` is told by DM if Discord refuses the pin.
    PostIntroButton {
        guild_id: u64,
        channel_id: u64,
        admin: u64,
    },
    /// Post a message in a channel.
    Post { channel_id: u64, message: Message },
    /// Add a member to the event's discussion thread, if it has one.
    AddToThread { event_id: i64, user_id: u64 },
    /// Post in the event's discussion thread, if it has one (a change of
    /// time or place, a cancellation).
    ThreadPost { event_id: i64, message: Message },
    /// Send a direct message; closed DMs are noted, never retried.
    Dm {
        guild_id: u64,
        user_id: u64,
        message: Message,
    },
}

impl Message {
    pub fn text(content: impl Into<String>) -> Self {
        Message {
            content: Some(content.into()),
            ..Default::default()
        }
    }

    pub fn private(mut self) -> Self {
        self.private = true;
        self
    }

    /// Makes sending this message idempotent: `key` names one logical
    /// message (e.g. "reminder:<job>:<due>:<member>") and always gives the
    /// same nonce, so a send repeated after a crash is not a second message.
    pub fn once(mut self, key: &str) -> Self {
        self.nonce = Some(nonce_for(key));
        self
    }
}

/// A Discord nonce (at most 25 characters) standing for `key`: its 64-bit
/// FNV-1a hash, stable across processes and builds.
fn nonce_for(key: &str) -> String {
    let hash = key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("k{hash:016x}")
}

impl Reply {
    pub fn message(message: Message) -> Self {
        Reply {
            body: Body::Message(message),
            effects: Vec::new(),
        }
    }

    /// A private plain-text answer, the usual form of a refusal.
    pub fn private_text(content: impl Into<String>) -> Self {
        Reply::message(Message::text(content).private())
    }

    pub fn with_effects(mut self, effects: impl IntoIterator<Item = Effect>) -> Self {
        self.effects.extend(effects);
        self
    }
}

impl Effect {
    /// What a new event needs besides its rows: its card, then its mirror when
    /// the server mirrors events. Also what a closed poll's event gets.
    pub fn for_new_events(mirror: bool, ids: Vec<i64>) -> Vec<Effect> {
        ids.into_iter()
            .flat_map(|event_id| {
                // The card first: the mirror links to it.
                let mirror = mirror.then_some(Effect::MirrorEvent { event_id });
                std::iter::once(Effect::RefreshCard { event_id }).chain(mirror)
            })
            .collect()
    }
}
