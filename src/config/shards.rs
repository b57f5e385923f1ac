//! Which of Discord's shards this process runs: `--shards FIRST-LAST/TOTAL`
//! (or `RENCONTRE_SHARDS`), e.g. `0-1/4` for shards 0 and 1 of 4. Several
//! processes sharing one PostgreSQL database each run a range; without it,
//! one process runs every shard Discord recommends.

use std::fmt;
use std::str::FromStr;

/// Shards `first..=last` of `total`; a server belongs to shard
/// `(guild_id >> 22) % total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardRange {
    pub first: u32,
    pub last: u32,
    pub total: u32,
}

impl ShardRange {
    /// How many shards this process runs.
    pub fn count(&self) -> u32 {
        self.last - self.first + 1
    }

    /// The shard a server's events arrive on, among `total`.
    pub fn shard_of(guild_id: u64, total: u32) -> u32 {
        ((guild_id >> 22) % u64::from(total.max(1))) as u32
    }
}

impl fmt::Display for ShardRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}/{}", self.first, self.last, self.total)
    }
}

/// Why a shard range was refused: said to the host in one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShardRangeError {
    #[error("expected FIRST-LAST/TOTAL, e.g. 0-1/4 (shards 0 and 1 of 4) or 2/4 (shard 2 of 4), got {0:?}")]
    Form(String),
    #[error("{0:?} counts no shard: TOTAL must be 1 or more")]
    NoShard(String),
    #[error("{0:?} is empty: FIRST must not be after LAST")]
    Empty(String),
    #[error("{given:?} goes past the last shard: shards are numbered 0 to {} of {total}", total - 1)]
    Outside { given: String, total: u32 },
}

impl FromStr for ShardRange {
    type Err = ShardRangeError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let given = text.trim();
        let form = || ShardRangeError::Form(given.to_owned());
        let (range, total) = given.split_once('/').ok_or_else(form)?;
        let number = |part: &str| part.trim().parse::<u32>().map_err(|_| form());
        let (first, last) = match range.split_once('-') {
            Some((first, last)) => (number(first)?, number(last)?),
            None => (number(range)?, number(range)?),
        };
        let total = number(total)?;
        if total == 0 {
            return Err(ShardRangeError::NoShard(given.to_owned()));
        }
        if first > last {
            return Err(ShardRangeError::Empty(given.to_owned()));
        }
        if last >= total {
            return Err(ShardRangeError::Outside {
                given: given.to_owned(),
                total,
            });
        }
        Ok(ShardRange { first, last, total })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_read_as_hosts_write_them() {
        let range: ShardRange = "0-1/4".parse().unwrap();
        assert_eq!(
            (range.first, range.last, range.total, range.count()),
            (0, 1, 4, 2)
        );
        assert_eq!(range.to_string(), "0-1/4");
        let single: ShardRange = " 2/4 ".parse().unwrap();
        assert_eq!((single.first, single.last, single.count()), (2, 2, 1));
        assert_eq!("0-0/1".parse::<ShardRange>().unwrap().count(), 1);
    }

    #[test]
    fn wrong_ranges_say_what_is_wrong() {
        let refused = |text: &str| text.parse::<ShardRange>().unwrap_err().to_string();
        assert!(
            refused("0-4/4").contains("numbered 0 to 3 of 4"),
            "{}",
            refused("0-4/4")
        );
        assert!(refused("3-1/4").contains("is empty"));
        assert!(refused("0/0").contains("TOTAL must be 1 or more"));
        for bad in ["", "4", "0-1", "a-b/4", "0-1/x", "-1-2/4", "0-1/4/8"] {
            assert!(
                refused(bad).contains("expected FIRST-LAST/TOTAL"),
                "{bad:?}: {}",
                refused(bad)
            );
        }
    }

    #[test]
    fn servers_map_to_their_shard() {
        // Discord's formula: (guild_id >> 22) % total.
        assert_eq!(
            ShardRange::shard_of(41_771_983_423_143_937, 4),
            ((41_771_983_423_143_937u64 >> 22) % 4) as u32
        );
        assert_eq!(ShardRange::shard_of(1, 4), 0);
        assert_eq!(ShardRange::shard_of(3 << 22, 2), 1);
    }
}
