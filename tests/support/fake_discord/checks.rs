//! Payloads serenity would silently drop fail the test at once instead.

use serde_json::{json, Value};
use serenity::model::event::{Event, GatewayEvent};

/// Panics with serenity's own error if it would drop this dispatch.
pub(super) fn check_dispatch(event_name: &str, data: &Value) {
    let frame = json!({ "op": 0, "s": 1, "t": event_name, "d": data });
    match serde_json::from_value::<GatewayEvent>(frame) {
        Ok(GatewayEvent::Dispatch(_, Event::Unknown(_))) => {
            // `Unknown` hides the reason; ask the specific type for it.
            let detail = match event_name {
                "INTERACTION_CREATE" => serde_json::from_value::<serenity::all::Interaction>(data.clone())
                    .err()
                    .map(|e| e.to_string()),
                "MESSAGE_CREATE" => serde_json::from_value::<serenity::all::Message>(data.clone())
                    .err()
                    .map(|e| e.to_string()),
                "GUILD_CREATE" => serde_json::from_value::<serenity::all::Guild>(data.clone())
                    .err()
                    .map(|e| e.to_string()),
                _ => None,
            };
            panic!(
                "serenity 0.12.5 would drop this {event_name} dispatch (unknown name or bad field): {}\n{data:#}",
                detail.unwrap_or_default()
            );
        }
        Ok(_) => {}
        Err(error) => panic!("serenity cannot read this {event_name} dispatch: {error}\n{data:#}"),
    }
}
