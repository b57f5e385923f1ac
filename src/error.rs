//! One error type for the handlers.
//!
//! `User` carries a translation key shown privately to the caller; anything
//! else is logged with its cause and answered with a generic apology, never
//! with the internal message.

use crate::i18n::Arg;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("refused: {key}")]
    User {
        key: &'static str,
        args: Vec<(&'static str, Arg)>,
    },
    #[error("database error")]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    /// A refusal with a translated message and no arguments.
    pub fn user(key: &'static str) -> Self {
        AppError::User {
            key,
            args: Vec::new(),
        }
    }

    /// A refusal whose message takes arguments.
    pub fn user_with(key: &'static str, args: Vec<(&'static str, Arg)>) -> Self {
        AppError::User { key, args }
    }
}

pub type AppResult<T> = Result<T, AppError>;
