//! `/calendar`: an `.ics` file of upcoming events, all or the caller's.

use super::{Call, Options};
use crate::domain::ics::calendar_ics;
use crate::error::{AppError, AppResult};
use crate::reply::{Attachment, Message, Reply};
use crate::store;
use crate::store::feeds::FeedScope;

pub async fn run(call: &Call<'_>, options: &Options) -> AppResult<Reply> {
    let mine = options.str("scope") == Some("mine");
    // Cutting everyone's links is for admins: a member only ever replaces
    // their own (new_link), so nobody else's subscription breaks.
    let revoke_all = options.bool("revoke_all") == Some(true);
    if revoke_all && !call.is_admin() {
        return Err(AppError::user("calendar-revoke-all-admins-only"));
    }
    let revoked = if revoke_all {
        let count = store::feeds::revoke_all(call.pool(), call.ctx.guild_id).await?;
        tracing::info!(
            links = count,
            "an admin revoked every calendar link of the server"
        );
        Some(count)
    } else {
        None
    };
    let member = mine.then_some(call.ctx.caller.user_id);
    let (entries, series) = store::feeds::content(call.pool(), call.ctx.guild_id, member, call.now()).await?;
    let count = entries.len() as i64;
    let mut text = call.t("calendar-ready", &[("count", count.into())]);
    if let Some(count) = revoked {
        text.push('\n');
        text.push_str(&call.t("calendar-links-revoked", &[("count", (count as i64).into())]));
    }
    if let Some(base) = &call.state.feed_base {
        let renew = options.bool("new_link") == Some(true);
        let scope = if mine { FeedScope::Mine } else { FeedScope::All };
        let token = store::feeds::token(
            call.pool(),
            call.ctx.guild_id,
            call.ctx.caller.user_id,
            scope,
            renew,
            call.now(),
        )
        .await?;
        let key = if renew {
            "calendar-link-renewed"
        } else {
            "calendar-link"
        };
        text.push('\n');
        text.push_str(&call.t(key, &[("url", format!("{base}/calendar/{token}.ics").into())]));
    }
    let name = call.t(
        if mine {
            "calendar-name-mine"
        } else {
            "calendar-name-all"
        },
        &[],
    );
    Ok(Reply::message(Message {
        content: Some(text),
        attachments: vec![Attachment {
            filename: format!(
                "{}.ics",
                call.t(
                    if mine {
                        "calendar-file-mine"
                    } else {
                        "calendar-file-all"
                    },
                    &[]
                )
            ),
            content_type: "text/calendar; charset=utf-8".into(),
            bytes: calendar_ics(&name, call.settings.timezone, &entries, &series).into_bytes(),
        }],
        private: true,
        ..Default::default()
    }))
}
