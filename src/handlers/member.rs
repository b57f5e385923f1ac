//! `/member show|search` and the user context menu *Introduction*.

use super::{fields, Call, MemberSub, Options};
use crate::domain::custom_id::ComponentId;
use crate::domain::format::escape_markdown;
use crate::domain::limits::SEARCH_QUERY_MAX;
use crate::error::{AppError, AppResult};
use crate::i18n::{arg, num};
use crate::reply::{Body, Button, ButtonStyle, Embed, Message, Reply};
use crate::store;
use crate::views::intro::intro_embed;

const PAGE_SIZE: i64 = 5;
/// Queries ride in the paging buttons' ids, which Discord caps at 100.
const PAGED_QUERY_MAX: usize = 80;

pub async fn run(call: &Call<'_>, sub: MemberSub, options: &Options) -> AppResult<Reply> {
    match sub {
        MemberSub::Show => match options.user("user") {
            Some((id, name)) => show(call, id, name).await,
            None => Err(AppError::user("error-bad-invocation")),
        },
        MemberSub::Search => {
            let query = fields::required_text(call, options.str("query"), "field-query", SEARCH_QUERY_MAX)?;
            search_page(call, &query, 0, false).await
        }
    }
}

pub async fn show(call: &Call<'_>, user_id: u64, name: &str) -> AppResult<Reply> {
    match store::intros::get(call.pool(), call.ctx.guild_id, user_id).await? {
        Some(intro) => Ok(Reply::message(Message {
            embeds: vec![intro_embed(&call.state.i18n, call.lang, &intro)],
            private: true,
            ..Default::default()
        })),
        None => Err(AppError::user_with(
            "member-no-intro",
            vec![("name", arg(name.to_owned()))],
        )),
    }
}

pub async fn search_page(call: &Call<'_>, query: &str, page: u32, update: bool) -> AppResult<Reply> {
    let query: String = query.chars().take(PAGED_QUERY_MAX).collect();
    let fts = store::intros::fts_query(&query).ok_or_else(|| AppError::user("error-search-empty"))?;
    let (found, total) = store::intros::search(
        call.pool(),
        call.ctx.guild_id,
        &fts,
        PAGE_SIZE,
        i64::from(page) * PAGE_SIZE,
    )
    .await?;
    if total == 0 {
        return Err(AppError::user_with(
            "member-search-none",
            vec![("query", arg(query.clone()))],
        ));
    }
    let pages = (total + PAGE_SIZE - 1) / PAGE_SIZE;
    let lines: Vec<String> = found
        .iter()
        .map(|intro| {
            let mut line = format!("**{}**", escape_markdown(&intro.name));
            if let Some(org) = &intro.organization {
                line.push_str(&format!(" — {}", escape_markdown(org)));
            }
            line.push_str(&format!(" · <@{}>", intro.user_id));
            if let Some(skills) = &intro.skills {
                line.push_str(&format!("\n{}", escape_markdown(skills)));
            }
            line
        })
        .collect();
    let mut rows = Vec::new();
    if pages > 1 {
        let last = (pages - 1) as u32;
        let nav = |label: &str, target: u32, disabled: bool| Button {
            label: label.into(),
            custom_id: ComponentId::SearchPage {
                page: target,
                query: query.clone(),
            }
            .encode(),
            style: ButtonStyle::Secondary,
            disabled,
        };
        rows.push(vec![
            nav("◀", page.saturating_sub(1), page == 0),
            nav("▶", (page + 1).min(last), page >= last),
        ]);
    }
    let message = Message {
        embeds: vec![Embed {
            title: Some(call.t("member-search-title", &[("query", arg(query.clone()))])),
            description: Some(lines.join("\n\n")),
            footer: Some(call.t(
                "agenda-footer",
                &[
                    ("page", num(i64::from(page) + 1)),
                    ("pages", num(pages)),
                    ("total", num(total)),
                ],
            )),
            ..Default::default()
        }],
        rows,
        private: true,
        ..Default::default()
    };
    Ok(Reply {
        body: if update {
            Body::Update(message)
        } else {
            Body::Message(message)
        },
        effects: Vec::new(),
    })
}
