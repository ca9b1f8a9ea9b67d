//! `coffre`: see `coffre --help`.

fn main() -> std::process::ExitCode {
    coffre_server::cli::main()
}
