//! Where this process runs, and whether a process seen on the same host is
//! still running — read from Linux's `/proc`. It lets a runner take up at
//! once the claims of a process that died beside it (`kill -9`, the
//! out-of-memory killer, a crash before a restart) instead of waiting out
//! that runner's lease. Elsewhere (no `/proc`) the lease alone applies.

use crate::store::runners::Place;

/// This process's place, computed once.
pub fn here() -> &'static Place {
    static PLACE: std::sync::OnceLock<Place> = std::sync::OnceLock::new();
    PLACE.get_or_init(|| Place {
        host: host(),
        process: process(std::process::id()),
    })
}

/// The scope in which a process id names one process: this boot of this
/// machine and this process-id namespace (two containers on one machine
/// share the boot but not the namespace, and must not judge each other's
/// processes by id).
fn host() -> Option<String> {
    let boot = std::fs::read_to_string("/proc/sys/kernel/random/boot_id").ok()?;
    let namespace = std::fs::read_link("/proc/self/ns/pid").ok()?;
    Some(format!("{}/{}", boot.trim(), namespace.display()))
}

/// "pid:start" — the start time (in clock ticks since boot) tells a process
/// from a later one that was given the same id.
fn process(pid: u32) -> Option<String> {
    let (state, start) = stat(pid)?;
    (state != 'Z').then(|| format!("{pid}:{start}"))
}

/// The state letter and start time of process `pid`, from `/proc/PID/stat`.
fn stat(pid: u32) -> Option<(char, u64)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name, in parentheses, may itself hold spaces and
    // parentheses: the fields that follow start after the last ')'.
    let rest = &text[text.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace();
    let state = fields.next()?.chars().next()?;
    // Field 22 of the whole line, the 20th after the name.
    let start = fields.nth(18)?.parse().ok()?;
    Some((state, start))
}

/// Whether the process a runner on this host recorded is still running. A
/// record this host cannot read counts as running: only the lease will
/// then tell, never a guess.
pub fn is_running(recorded: Option<&str>) -> bool {
    let Some((pid, start)) = recorded.and_then(|r| r.split_once(':')) else {
        return true;
    };
    let (Ok(pid), Ok(start)) = (pid.parse::<u32>(), start.parse::<u64>()) else {
        return true;
    };
    if pid == std::process::id() {
        // This process is not that runner (a runner's own row is never
        // among its neighbours): the id was reused, the recorded one is gone.
        return false;
    }
    match stat(pid) {
        Some((state, now_start)) => state != 'Z' && now_start == start,
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(target_os = "linux")]
    fn this_process_is_running_and_a_gone_one_is_not() {
        let me = here().process.clone().expect("/proc/self/stat readable");
        assert!(here().host.is_some());
        // Killed and reaped: its id names no process any more.
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .expect("spawn sleep");
        let recorded = process(child.id()).expect("a running child");
        assert!(is_running(Some(&recorded)));
        child.kill().expect("kill");
        child.wait().expect("reap");
        assert!(!is_running(Some(&recorded)), "{recorded} still running");
        // The same id with another start time is another process.
        let parent = std::os::unix::process::parent_id();
        let parent_record = process(parent).expect("the parent runs");
        let (_, parent_start) = parent_record.split_once(':').unwrap();
        let reused = format!("{parent}:{}", parent_start.parse::<u64>().unwrap() + 1);
        assert!(!is_running(Some(&reused)));
        // Our own id under another runner's name: that runner is gone.
        assert!(!is_running(Some(&me)));
        // What cannot be read is left to the lease.
        assert!(is_running(None) && is_running(Some("garbled")));
    }
}
