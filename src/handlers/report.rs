//! `/report [year]`: the general assembly's activity report ("bilan").

use chrono::Datelike;

use super::{fields, Call, Options};
use crate::domain::chart::{attendance_chart, ChartLabels};
use crate::domain::export::{report_csv, report_markdown, ReportLabels};
use crate::domain::format::number;
use crate::error::AppResult;
use crate::i18n::arg;
use crate::reply::{Attachment, Embed, Field, Message, Reply};
use crate::store;

pub async fn run(call: &Call<'_>, options: &Options) -> AppResult<Reply> {
    call.require_organizer()?;
    let tz = call.settings.timezone;
    let year = match fields::year_in(call, options, "year", "field-year", 2000, 2100)? {
        Some(year) => year as i32,
        None => call.now().with_timezone(&tz).year(),
    };
    let data = store::report::year(call.pool(), call.ctx.guild_id, year, tz, call.now()).await?;
    let t = |key: &str| call.t(key, &[]);
    let labels = ReportLabels {
        // A year is a name, not a count: "2026", never "2 026".
        title: call.t("report-title", &[("year", arg(year.to_string()))]),
        events_held: t("report-events-held"),
        total_going: t("report-total-going"),
        unique_attendees: t("report-unique-attendees"),
        checked_in: t("report-checked-in"),
        new_introductions: t("report-new-introductions"),
        per_event: t("report-per-event"),
        per_month: t("report-per-month"),
        date: t("report-date"),
        event: t("report-event"),
        going: t("report-going"),
        maybe: t("report-maybe"),
        month: t("report-month"),
        events: t("report-events"),
        month_names: std::array::from_fn(|i| t(&format!("month-{}", i + 1))),
        lang: call.lang,
    };
    let busiest = data
        .months
        .iter()
        .filter(|m| m.events > 0)
        .max_by_key(|m| (m.going, std::cmp::Reverse(m.month)))
        .map(|m| labels.month_names[m.month as usize - 1].clone());
    let field = |name: &str, value: i64| Field {
        name: name.to_owned(),
        value: number(value, call.lang),
        inline: true,
    };
    let mut fields = vec![
        field(&labels.events_held, data.events.len() as i64),
        field(&labels.total_going, data.total_going),
        field(&labels.unique_attendees, data.unique_attendees),
        field(&labels.checked_in, data.total_checked_in),
        field(&labels.new_introductions, data.new_introductions),
        field(
            &t("report-polls-held"),
            store::polls::held(call.pool(), call.ctx.guild_id, year, tz).await?,
        ),
    ];
    if let Some(month) = busiest {
        fields.push(Field {
            name: t("report-busiest-month"),
            value: month,
            inline: true,
        });
    }
    let chart_labels = ChartLabels {
        title: call.t("report-chart-title", &[("year", arg(year.to_string()))]),
        going: t("report-chart-going"),
        checked_in: t("report-chart-checked-in"),
        month_initials: std::array::from_fn(|i| t(&format!("month-short-{}", i + 1))),
        lang: call.lang,
    };
    let file = call.t("report-file-name", &[("year", arg(year.to_string()))]);
    let markdown = report_markdown(&data, &labels, tz);
    let csv = report_csv(&data, &labels, tz);
    Ok(Reply::message(Message {
        embeds: vec![Embed {
            title: Some(labels.title.clone()),
            description: Some(call.t("report-description", &[("year", arg(year.to_string()))])),
            fields,
            colour: Some(0x2b_6c_b0),
            ..Default::default()
        }],
        attachments: vec![
            Attachment {
                filename: format!("{file}.png"),
                content_type: "image/png".into(),
                bytes: attendance_chart(&data.months, &chart_labels)?,
            },
            Attachment {
                filename: format!("{file}.md"),
                content_type: "text/markdown; charset=utf-8".into(),
                bytes: markdown.into_bytes(),
            },
            Attachment {
                filename: format!("{file}.csv"),
                content_type: "text/csv; charset=utf-8".into(),
                bytes: csv.into_bytes(),
            },
        ],
        private: true,
        ..Default::default()
    }))
}
