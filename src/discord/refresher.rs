//! The card refresher: coalesces a burst of clicks on one card into one
//! edit showing the final counts, off the click's path.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Mutex, Notify};

use super::outlet::DiscordOutlet;
use crate::delivery::{self, Card};
use crate::state::AppState;

/// Card edits wait this long so that a burst of clicks becomes one edit
/// showing the final counts (Discord allows about 5 edits per 5 s a channel).
pub const CARD_DEBOUNCE: Duration = Duration::from_millis(1_000);

/// Cards (events' and polls') that must be re-rendered, drained by one
/// background task.
#[derive(Default)]
pub struct CardRefresher {
    dirty: Mutex<BTreeSet<Card>>,
    wake: Notify,
}

impl CardRefresher {
    pub async fn mark(&self, card: Card) {
        self.dirty.lock().await.insert(card);
        self.wake.notify_one();
    }

    /// Renders every dirty card now, once each (also at shutdown, so no
    /// count is left stale).
    pub async fn flush(&self, state: &AppState, outlet: &DiscordOutlet) {
        render(state, outlet, self.take().await).await;
    }

    async fn take(&self) -> Vec<Card> {
        std::mem::take(&mut *self.dirty.lock().await)
            .into_iter()
            .collect()
    }

    /// Runs forever: waits for a dirty card, lets the burst settle, then
    /// renders each dirty card once from the database's latest state.
    pub async fn run(self: Arc<Self>, state: AppState, outlet: DiscordOutlet) {
        self.settle_and_render(move |events| {
            let (state, outlet) = (state.clone(), outlet.clone());
            async move { render(&state, &outlet, events).await }
        })
        .await
    }

    /// The loop of [`Self::run`], apart from Discord, so that a test can
    /// count renders under tokio's paused clock.
    async fn settle_and_render<F, Fut>(&self, mut render: F)
    where
        F: FnMut(Vec<Card>) -> Fut,
        Fut: std::future::Future<Output = ()>,
    {
        loop {
            self.wake.notified().await;
            tokio::time::sleep(CARD_DEBOUNCE).await;
            // Marks made while settling left a wake-up behind: the set they
            // dirtied is taken by this render, so that wake-up finds nothing.
            let cards = self.take().await;
            if !cards.is_empty() {
                render(cards).await;
            }
        }
    }
}

async fn render(state: &AppState, outlet: &DiscordOutlet, cards: Vec<Card>) {
    let effects = cards.into_iter().map(Card::effect).collect();
    delivery::deliver(state, outlet, effects).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 60 clicks spread over half a second become one render of the card;
    /// a click after it has settled gets a render of its own.
    #[tokio::test(start_paused = true)]
    async fn a_burst_of_marks_is_rendered_once_after_it_settles() {
        let refresher = Arc::new(CardRefresher::default());
        let renders = Arc::new(std::sync::Mutex::new(Vec::<(Duration, Vec<Card>)>::new()));
        let start = tokio::time::Instant::now();
        let seen = renders.clone();
        let running = refresher.clone();
        tokio::spawn(async move {
            running
                .settle_and_render(move |events| {
                    seen.lock().unwrap().push((start.elapsed(), events));
                    async {}
                })
                .await
        });
        for _ in 0..60 {
            refresher.mark(Card::Event(7)).await;
            tokio::time::sleep(Duration::from_millis(8)).await;
        }
        refresher.mark(Card::Event(8)).await;
        // A poll's card shares the refresher, apart from event 7's card.
        refresher.mark(Card::Poll(7)).await;
        tokio::time::sleep(Duration::from_secs(3)).await;
        assert_eq!(renders.lock().unwrap().len(), 1, "one render for the burst");
        refresher.mark(Card::Event(7)).await;
        tokio::time::sleep(Duration::from_secs(3)).await;
        let renders = renders.lock().unwrap().clone();
        let cards: Vec<Vec<Card>> = renders.iter().map(|(_, cards)| cards.clone()).collect();
        use Card::{Event, Poll};
        assert_eq!(cards, [vec![Event(7), Event(8), Poll(7)], vec![Event(7)]]);
        // Each render comes one debounce after the mark that woke it.
        assert_eq!(renders[0].0, CARD_DEBOUNCE);
        assert_eq!(
            renders[1].0,
            Duration::from_secs(3) + Duration::from_millis(480) + CARD_DEBOUNCE
        );
    }
}
