//! glibc's malloc under many uploads (docs/design/papers-server.md, "Memory under many
//! uploads"): with its default, the threshold above which an allocation gets its own mapping
//! rises after the first such mapping is freed, and the 256 KiB upload buffers of many threads
//! then stay in its arenas (183 MB during 50 concurrent 50 MB uploads against 86 MB with the
//! threshold fixed, BENCHMARKS.md section 10). glibc reads the fixed value from the
//! environment only when the process starts, and setting it from inside needs `mallopt`
//! (unsafe code, which the crates forbid): so `coffre serve` started without it runs itself
//! again with it — the same process (`exec`), before any thread exists.

/// The variable glibc reads at start.
pub const MMAP_THRESHOLD_VAR: &str = "MALLOC_MMAP_THRESHOLD_";
/// 128 KiB: glibc's own starting threshold, kept fixed.
pub const MMAP_THRESHOLD: &str = "131072";

/// Runs this process again with [`MMAP_THRESHOLD_VAR`] set, unless it is set already (by the
/// Debian unit, by whoever wants another value, or by the first run of this). Returns only
/// when nothing was to be done (`None`) or the `exec` failed (the error, for a warning: the
/// server then runs with glibc's default).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn fix_mmap_threshold() -> Option<std::io::Error> {
    use std::os::unix::process::CommandExt;
    if std::env::var_os(MMAP_THRESHOLD_VAR).is_some() {
        return None;
    }
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => return Some(e),
    };
    let mut args = std::env::args_os();
    let mut command = std::process::Command::new(exe);
    if let Some(arg0) = args.next() {
        command.arg0(arg0);
    }
    Some(
        command
            .args(args)
            .env(MMAP_THRESHOLD_VAR, MMAP_THRESHOLD)
            .exec(),
    )
}

/// Another allocator or platform: nothing to fix.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn fix_mmap_threshold() -> Option<std::io::Error> {
    None
}
