//! Test support for Coffre's integration tests: a fresh database per test (SQLite or
//! PostgreSQL), the real server started in-process on 127.0.0.1:0, a `moto_server` S3
//! endpoint, and the `coffre` command as a child process.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod app;
pub mod db;
pub mod fixture;
pub mod moto;
pub mod owner;
pub mod process;
pub mod secrets;

pub use app::{TestApp, TestEnv};
pub use db::{Backend, TestDb};

/// Installs ring as rustls' provider for the test's HTTP clients (once).
pub fn init() {
    coffre_server::app::install_crypto_provider();
}

/// Runs each named `async fn case(env: TestEnv)` once on SQLite and once on
/// PostgreSQL, as `sqlite::case` and `postgres::case`. The PostgreSQL cases are compiled
/// as ignored under `COFFRE_TEST_SKIP_POSTGRES=1` (see `build.rs`): skipped is reported as
/// ignored, never as ok.
#[macro_export]
macro_rules! on_both_backends {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    super::$case($crate::TestEnv::new($crate::Backend::Sqlite).await).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                #[cfg_attr(
                    coffre_skip_postgres,
                    ignore = "PostgreSQL skipped: COFFRE_TEST_SKIP_POSTGRES=1"
                )]
                async fn $case() {
                    super::$case($crate::TestEnv::new($crate::Backend::Postgres).await).await;
                }
            )*
        }
    };
}
