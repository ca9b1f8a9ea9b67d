//! One fresh database per test.

use sqlx::{Connection, Executor, PgConnection};

/// `TEST_DATABASE_URL`: a PostgreSQL server where tests may create databases.
pub const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
/// Set to `1` to compile the PostgreSQL tests as ignored (`build.rs`; refused under
/// `CI=true`). Without it they fail when PostgreSQL is unreachable.
pub const SKIP_POSTGRES_VAR: &str = "COFFRE_TEST_SKIP_POSTGRES";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database made for one test. SQLite: `None` (the server's default file in the
/// test's data directory). PostgreSQL: `coffre_test_<random>`, dropped on drop.
#[derive(Debug)]
pub struct TestDb {
    pub backend: Backend,
    /// `None` for SQLite: the default `sqlite://{data_dir}/coffre.db` is used.
    pub url: Option<String>,
    postgres_name: Option<String>,
}

pub fn postgres_admin_url() -> String {
    std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned())
}

/// The URL of database `name` on the same server as `admin`.
pub fn database_url(admin: &str, name: &str) -> String {
    let (base, query) = match admin.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (admin, None),
    };
    let without_db = match base.rsplit_once('/') {
        Some((head, _)) if head.contains("://") && !head.ends_with('/') => head.to_owned(),
        _ => base.trim_end_matches('/').to_owned(),
    };
    match query {
        Some(q) => format!("{without_db}/{name}?{q}"),
        None => format!("{without_db}/{name}"),
    }
}

impl TestDb {
    pub fn sqlite() -> Self {
        Self {
            backend: Backend::Sqlite,
            url: None,
            postgres_name: None,
        }
    }

    /// A fresh PostgreSQL database. Panics with a clear message if PostgreSQL cannot be
    /// reached: a test never passes without running.
    pub async fn postgres() -> Self {
        let admin = postgres_admin_url();
        let mut conn = match PgConnection::connect(&admin).await {
            Ok(conn) => conn,
            Err(e) => panic!(
                "PostgreSQL is not reachable at {admin} ({e}).\n\
                 Start it (e.g. `pg_ctlcluster --skip-systemctl-redirect 15 main start`), \
                 point TEST_DATABASE_URL at one, or (not under CI) set {SKIP_POSTGRES_VAR}=1 \
                 to compile the PostgreSQL tests as ignored."
            ),
        };
        let name = format!("coffre_test_{}", uuid::Uuid::new_v4().simple());
        conn.execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("CREATE DATABASE");
        conn.close().await.ok();
        Self {
            backend: Backend::Postgres,
            url: Some(database_url(&admin, &name)),
            postgres_name: Some(name),
        }
    }

    pub async fn new(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => Self::sqlite(),
            Backend::Postgres => Self::postgres().await,
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some(name) = self.postgres_name.take() else {
            return;
        };
        // Drop may run inside a runtime: do the async cleanup on a thread of its own.
        let admin = postgres_admin_url();
        let cleanup = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let mut conn = PgConnection::connect(&admin)
                    .await
                    .map_err(std::io::Error::other)?;
                conn.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                    .await
                    .map_err(std::io::Error::other)?;
                conn.close().await.ok();
                Ok::<(), std::io::Error>(())
            })
        });
        if let Ok(Err(e)) = cleanup.join() {
            eprintln!("warning: could not drop a test database: {e}");
        }
    }
}
