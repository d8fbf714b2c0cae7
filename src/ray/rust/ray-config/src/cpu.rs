//! `std::thread::hardware_concurrency()` as libstdc++ computes it on Linux: the number
//! of online CPUs (glibc's `get_nprocs`), not the CPUs this process may run on, which is
//! what `std::thread::available_parallelism` reports.

const ONLINE_CPUS: &str = "/sys/devices/system/cpu/online";

/// The number of online CPUs; `available_parallelism` if sysfs is unreadable, and 0
/// (as the C++ function's "unknown") if that fails too.
pub fn hardware_concurrency() -> u32 {
    std::fs::read_to_string(ONLINE_CPUS)
        .ok()
        .and_then(|list| count_cpu_list(&list))
        .or_else(|| {
            std::thread::available_parallelism()
                .ok()
                .and_then(|n| u32::try_from(n.get()).ok())
        })
        .unwrap_or(0)
}

/// Counts the CPUs of a kernel CPU list such as `0-3,8,10-11`.
fn count_cpu_list(list: &str) -> Option<u32> {
    let mut count = 0u32;
    for range in list.trim().split(',') {
        let (first, last) = match range.split_once('-') {
            Some((a, b)) => (a.parse::<u32>().ok()?, b.parse::<u32>().ok()?),
            None => {
                let cpu = range.parse::<u32>().ok()?;
                (cpu, cpu)
            }
        };
        count = count.checked_add(last.checked_sub(first)?.checked_add(1)?)?;
    }
    (count > 0).then_some(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_lists_are_counted() {
        assert_eq!(count_cpu_list("0\n"), Some(1));
        assert_eq!(count_cpu_list("0-3\n"), Some(4));
        assert_eq!(count_cpu_list("0-3,8,10-11\n"), Some(7));
        assert_eq!(count_cpu_list(""), None);
        assert_eq!(count_cpu_list("3-1"), None);
        assert_eq!(count_cpu_list("x"), None);
    }

    #[test]
    fn this_machine_has_cpus() {
        assert!(hardware_concurrency() >= 1);
    }
}
