//! `/privacy export|delete`: everything held about the caller.

use super::{Call, PrivacySub};
use crate::domain::custom_id::ComponentId;
use crate::error::AppResult;
use crate::reply::{Attachment, Body, Button, ButtonStyle, Effect, Message, Reply};
use crate::store;

pub async fn run(call: &Call<'_>, sub: PrivacySub) -> AppResult<Reply> {
    match sub {
        PrivacySub::Export => export(call).await,
        PrivacySub::Delete => Ok(Reply::message(Message {
            content: Some(call.t("privacy-delete-confirm", &[])),
            rows: vec![vec![
                Button {
                    label: call.t("button-delete-everything", &[]),
                    custom_id: ComponentId::PrivacyDelete.encode(),
                    style: ButtonStyle::Danger,
                    disabled: false,
                },
                Button {
                    label: call.t("button-cancel", &[]),
                    custom_id: ComponentId::PrivacyCancel.encode(),
                    style: ButtonStyle::Secondary,
                    disabled: false,
                },
            ]],
            private: true,
            ..Default::default()
        })),
    }
}

async fn export(call: &Call<'_>) -> AppResult<Reply> {
    let data = store::privacy::export(call.pool(), call.ctx.caller.user_id).await?;
    let bytes = serde_json::to_vec_pretty(&data).map_err(anyhow::Error::from)?;
    Ok(Reply::message(Message {
        content: Some(call.t("privacy-export-done", &[])),
        attachments: vec![Attachment {
            filename: "rencontre-mes-donnees.json".into(),
            content_type: "application/json".into(),
            bytes,
        }],
        private: true,
        ..Default::default()
    }))
}

/// *Cancel* on the confirmation: the question is replaced by the answer that
/// nothing was erased, without buttons to press by mistake later.
pub fn cancel_delete(call: &Call<'_>) -> Reply {
    Reply {
        body: Body::Update(Message::text(call.t("privacy-delete-cancelled", &[])).private()),
        effects: Vec::new(),
    }
}

pub async fn confirm_delete(call: &Call<'_>) -> AppResult<Reply> {
    let erased = store::privacy::erase(call.pool(), call.ctx.caller.user_id, call.now()).await?;
    // Nothing of theirs is written back from memory either.
    call.state.locales.forget_user(call.ctx.caller.user_id);
    call.state.intro_drafts.forget_user(call.ctx.caller.user_id);
    let mut effects = Vec::new();
    for (event_id, promoted) in &erased.freed {
        effects.push(Effect::RefreshCard { event_id: *event_id });
        // Their DMs were queued with the promotion.
        if !promoted.is_empty() {
            call.state.jobs_wake.notify_one();
        }
    }
    for (channel_id, message_id) in erased.intro_messages {
        effects.push(Effect::DeleteMessage {
            channel_id,
            message_id,
        });
    }
    Ok(Reply::private_text(call.t("privacy-deleted", &[])).with_effects(effects))
}
