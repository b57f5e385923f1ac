//! Reply model → serenity builders. Every message sets `allowed_mentions`:
//! nothing pings except the role an organizer chose in `/announce ping`.

use serenity::all::{
    AutocompleteChoice, ButtonStyle as DiscordStyle, CreateActionRow, CreateAllowedMentions,
    CreateAttachment, CreateAutocompleteResponse, CreateButton, CreateEmbed, CreateEmbedFooter,
    CreateInputText, CreateInteractionResponse, CreateInteractionResponseFollowup,
    CreateInteractionResponseMessage, CreateMessage, CreateModal, CreateSelectMenu, CreateSelectMenuKind,
    CreateSelectMenuOption, EditInteractionResponse, EditMessage, InputTextStyle, RoleId,
};

use crate::reply::{Body, ButtonStyle, Choice, Embed, Message, Modal};

pub fn allowed_mentions(message: &Message) -> CreateAllowedMentions {
    // A role id of 0 (which `RoleId::new` would panic on) pings nobody.
    match message.ping_role.and_then(std::num::NonZeroU64::new) {
        Some(role) => CreateAllowedMentions::new().roles([RoleId::from(role)]),
        None => CreateAllowedMentions::new(),
    }
}

fn embed(e: &Embed) -> CreateEmbed {
    let mut out = CreateEmbed::new();
    if let Some(title) = &e.title {
        out = out.title(title);
    }
    if let Some(description) = &e.description {
        out = out.description(description);
    }
    for field in &e.fields {
        out = out.field(&field.name, &field.value, field.inline);
    }
    if let Some(footer) = &e.footer {
        out = out.footer(CreateEmbedFooter::new(footer));
    }
    if let Some(url) = &e.url {
        out = out.url(url);
    }
    if let Some(colour) = e.colour {
        out = out.colour(colour);
    }
    out
}

pub fn embeds(message: &Message) -> Vec<CreateEmbed> {
    message.embeds.iter().map(embed).collect()
}

pub fn rows(message: &Message) -> Vec<CreateActionRow> {
    let menu = message.select.iter().map(|select| {
        let options = select
            .options
            .iter()
            .map(|o| {
                let option = CreateSelectMenuOption::new(&o.label, &o.value);
                match &o.description {
                    Some(description) => option.description(description),
                    None => option,
                }
            })
            .collect();
        CreateActionRow::SelectMenu(
            CreateSelectMenu::new(&select.custom_id, CreateSelectMenuKind::String { options })
                .placeholder(&select.placeholder),
        )
    });
    let buttons = message.rows.iter().map(|row| {
        CreateActionRow::Buttons(
            row.iter()
                .map(|b| {
                    CreateButton::new(&b.custom_id)
                        .label(&b.label)
                        .disabled(b.disabled)
                        .style(match b.style {
                            ButtonStyle::Primary => DiscordStyle::Primary,
                            ButtonStyle::Secondary => DiscordStyle::Secondary,
                            ButtonStyle::Success => DiscordStyle::Success,
                            ButtonStyle::Danger => DiscordStyle::Danger,
                        })
                })
                .collect(),
        )
    });
    menu.chain(buttons).collect()
}

pub fn files(message: &Message) -> Vec<CreateAttachment> {
    message
        .attachments
        .iter()
        .map(|a| CreateAttachment::bytes(a.bytes.clone(), a.filename.clone()))
        .collect()
}

pub fn interaction_message(message: &Message) -> CreateInteractionResponseMessage {
    let mut out = CreateInteractionResponseMessage::new()
        .embeds(embeds(message))
        .components(rows(message))
        .ephemeral(message.private)
        .allowed_mentions(allowed_mentions(message))
        .add_files(files(message));
    if let Some(content) = &message.content {
        out = out.content(content);
    }
    out
}

pub fn modal(m: &Modal) -> CreateModal {
    CreateModal::new(&m.custom_id, &m.title).components(
        m.inputs
            .iter()
            .map(|input| {
                let style = if input.paragraph {
                    InputTextStyle::Paragraph
                } else {
                    InputTextStyle::Short
                };
                let mut text = CreateInputText::new(style, &input.label, &input.custom_id)
                    .required(input.required)
                    .max_length(input.max_length);
                if let Some(min) = input.min_length {
                    text = text.min_length(min);
                }
                if let Some(value) = &input.value {
                    text = text.value(value);
                }
                if let Some(placeholder) = &input.placeholder {
                    text = text.placeholder(placeholder);
                }
                CreateActionRow::InputText(text)
            })
            .collect(),
    )
}

fn choices(choices: &[Choice]) -> CreateAutocompleteResponse {
    CreateAutocompleteResponse::new().set_choices(
        choices
            .iter()
            .take(25)
            .map(|c| AutocompleteChoice::new(&c.name, c.value.clone()))
            .collect(),
    )
}

/// The immediate answer to an interaction.
pub fn response(body: &Body) -> CreateInteractionResponse {
    match body {
        Body::Message(message) => CreateInteractionResponse::Message(interaction_message(message)),
        Body::Update(message) => CreateInteractionResponse::UpdateMessage(interaction_message(message)),
        Body::Modal(m) => CreateInteractionResponse::Modal(modal(m)),
        Body::Choices(c) => CreateInteractionResponse::Autocomplete(choices(c)),
    }
}

/// The answer to a deferred interaction, filling in the "thinking…" reply.
pub fn edit_response(message: &Message) -> EditInteractionResponse {
    let mut out = EditInteractionResponse::new()
        .embeds(embeds(message))
        .components(rows(message))
        .allowed_mentions(allowed_mentions(message));
    for file in files(message) {
        out = out.new_attachment(file);
    }
    out.content(message.content.clone().unwrap_or_default())
}

pub fn followup(message: &Message) -> CreateInteractionResponseFollowup {
    let mut out = CreateInteractionResponseFollowup::new()
        .embeds(embeds(message))
        .components(rows(message))
        .ephemeral(message.private)
        .allowed_mentions(allowed_mentions(message))
        .add_files(files(message));
    if let Some(content) = &message.content {
        out = out.content(content);
    }
    out
}

pub fn create_message(message: &Message) -> CreateMessage {
    let mut out = CreateMessage::new()
        .embeds(embeds(message))
        .components(rows(message))
        .allowed_mentions(allowed_mentions(message))
        .add_files(files(message));
    if let Some(content) = &message.content {
        out = out.content(content);
    }
    out
}

pub fn edit_message(message: &Message) -> EditMessage {
    EditMessage::new()
        .content(message.content.clone().unwrap_or_default())
        .embeds(embeds(message))
        .components(rows(message))
        .allowed_mentions(allowed_mentions(message))
}
