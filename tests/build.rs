//! `COFFRE_TEST_SKIP_POSTGRES=1` compiles the PostgreSQL tests as **ignored**: libtest then
//! lists each as `ignored, PostgreSQL skipped…` and counts them in its summary, instead of
//! reporting `ok` for a test that did not run. Under `CI=true` the variable is refused
//! (the build fails): CI runs every test, and an unreachable PostgreSQL fails them.

use std::process::ExitCode;

fn main() -> ExitCode {
    println!("cargo::rerun-if-env-changed=COFFRE_TEST_SKIP_POSTGRES");
    println!("cargo::rerun-if-env-changed=CI");
    println!("cargo::rustc-check-cfg=cfg(coffre_skip_postgres)");
    let skip = std::env::var("COFFRE_TEST_SKIP_POSTGRES").is_ok_and(|v| v == "1");
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    if skip && ci {
        eprintln!(
            "COFFRE_TEST_SKIP_POSTGRES=1 is refused when CI=true: CI runs the PostgreSQL \
             tests. Start PostgreSQL (or set TEST_DATABASE_URL) and unset the variable."
        );
        return ExitCode::FAILURE;
    }
    if skip {
        println!("cargo::rustc-cfg=coffre_skip_postgres");
        println!(
            "cargo::warning=COFFRE_TEST_SKIP_POSTGRES=1: the PostgreSQL tests are compiled as \
             ignored (libtest lists and counts them as ignored)"
        );
    }
    ExitCode::SUCCESS
}
