//! Keeps Rust panics from unwinding into C++.
//!
//! A panic in bridge code is an internal bug, the Rust counterpart of a failed
//! `RAY_CHECK`, so it gets the same treatment: one FATAL line on stderr, then
//! `abort()`.

use std::any::Any;
use std::io::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{SystemTime, UNIX_EPOCH};

/// Runs `body` for the bridge function `function`, aborting on panic.
///
/// Inlined, with the panic path out of line, so that a bridge function stays as small as its
/// body: under cross-language LTO (`--config=lto`) C++ callers can then inline it.
#[inline(always)]
pub(crate) fn guard<R>(function: &'static str, body: impl FnOnce() -> R) -> R {
    // Unwind safety is moot: nothing observes the state after a panic.
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(value) => value,
        Err(payload) => die(function, payload.as_ref()),
    }
}

#[cold]
#[inline(never)]
fn die(function: &str, payload: &(dyn Any + Send)) -> ! {
    let line = fatal_line(function, panic_message(payload));
    let mut stderr = std::io::stderr().lock();
    // Nothing better to do if stderr is gone: abort regardless.
    let _ = stderr.write_all(line.as_bytes());
    let _ = stderr.flush();
    std::process::abort()
}

/// The text a panic was raised with.
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(text) = payload.downcast_ref::<&'static str>() {
        text
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text
    } else {
        "non-string panic payload"
    }
}

/// A FATAL line shaped like Ray's log lines:
/// `[YYYY-MM-DD HH:MM:SS,mmm F <pid> <tid>] guard.rs:<line>: Rust panic in <fn>: <msg>`.
/// The time is UTC (std has no time zone database).
pub(crate) fn fatal_line(function: &str, message: &str) -> String {
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let pid = std::process::id();
    format!(
        "[{} F {} {}] {}:{}: Rust panic in {}: {}\n",
        utc_timestamp(since_epoch.as_secs(), since_epoch.subsec_millis()),
        pid,
        thread_id().unwrap_or(u64::from(pid)),
        "guard.rs",
        line!(),
        function,
        message
    )
}

/// The kernel thread id, as Ray prints it (Linux only; `None` elsewhere).
fn thread_id() -> Option<u64> {
    let link = std::fs::read_link("/proc/thread-self").ok()?;
    link.file_name()?.to_str()?.parse().ok()
}

/// `YYYY-MM-DD HH:MM:SS,mmm` for a time in seconds since the Unix epoch.
fn utc_timestamp(epoch_seconds: u64, millis: u32) -> String {
    let days = epoch_seconds / 86_400;
    let second_of_day = epoch_seconds % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02},{millis:03}",
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60
    )
}

/// Gregorian (year, month, day) of a day count since 1970-01-01, using
/// 400-year eras of 146097 days that start on March 1st.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let shifted = days + 719_468; // days from 0000-03-01 to 1970-01-01
    let era = shifted / 146_097;
    let day_of_era = shifted % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = era * 400 + year_of_era + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guard_returns_the_value() {
        assert_eq!(guard("value", || 42), 42);
    }

    #[test]
    fn panic_messages_are_extracted() {
        let literal = catch_unwind(|| panic!("literal")).unwrap_err();
        assert_eq!(panic_message(literal.as_ref()), "literal");
        let formatted = catch_unwind(|| panic!("formatted {}", 7)).unwrap_err();
        assert_eq!(panic_message(formatted.as_ref()), "formatted 7");
        let other = catch_unwind(|| std::panic::panic_any(5_i32)).unwrap_err();
        assert_eq!(panic_message(other.as_ref()), "non-string panic payload");
    }

    #[test]
    fn fatal_line_looks_like_ray_log() {
        let line = fatal_line("id_from_hex", "boom");
        assert!(line.starts_with('['), "{line}");
        assert!(line.contains(" F "), "{line}");
        assert!(
            line.ends_with("Rust panic in id_from_hex: boom\n"),
            "{line}"
        );
        // "[2024-05-01 12:00:00,123 F": the timestamp has a fixed width.
        assert_eq!(line.find(" F "), Some(24), "{line}");
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(59), (1970, 3, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(19_844), (2024, 5, 1));
        assert_eq!(utc_timestamp(1_714_564_800, 7), "2024-05-01 12:00:00,007");
        assert_eq!(utc_timestamp(951_868_799, 999), "2000-02-29 23:59:59,999");
    }

    const CHILD_ENV: &str = "RAY_FFI_GUARD_TEST_CHILD";

    /// Runs itself in a child process, where the guarded panic must abort.
    #[test]
    fn panic_aborts_with_a_fatal_line() {
        if std::env::var_os(CHILD_ENV).is_some() {
            guard("panicking_bridge_fn", || -> u8 { panic!("deliberate") });
            return; // not reached: the guard aborts
        }
        let output = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "guard::tests::panic_aborts_with_a_fatal_line",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, "1")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{stderr}");
        #[cfg(unix)]
        {
            use std::os::unix::process::ExitStatusExt as _;
            assert_eq!(output.status.signal(), Some(6), "{stderr}");
        }
        assert!(stderr.contains("] guard.rs:"), "no FATAL line in: {stderr}");
        assert!(
            stderr.contains("Rust panic in panicking_bridge_fn: deliberate\n"),
            "{stderr}"
        );
    }
}
