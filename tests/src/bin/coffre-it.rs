//! The `coffre` command, built inside the test crate so integration tests can spawn it
//! (cargo only gives `CARGO_BIN_EXE_*` for binaries of the tested package). Identical
//! to `server/src/main.rs`.

fn main() -> std::process::ExitCode {
    coffre_server::cli::main()
}
