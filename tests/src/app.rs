//! The real server, started in-process on 127.0.0.1:0.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use coffre_server::app::{AppState, StartError};
use coffre_server::blobs::BlobBackend;
use coffre_server::clock::{SharedClock, SystemClock};
use coffre_server::config::{Config, DatabaseLocation};
use coffre_server::http::ExtraRoutes;
use coffre_server::server::Listeners;
use object_store::ObjectStore;
use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::db::{Backend, TestDb};

/// What outlives one server run: the database and the data directory. Start several
/// servers on it in turn to test restarts.
#[derive(Debug)]
pub struct TestEnv {
    pub db: TestDb,
    pub dir: TempDir,
}

impl TestEnv {
    /// A fresh database on `backend` and a fresh data directory. Panics, saying how to
    /// fix it, if PostgreSQL cannot be reached.
    pub async fn new(backend: Backend) -> Self {
        crate::init();
        Self {
            db: TestDb::new(backend).await,
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn backend(&self) -> Backend {
        self.db.backend
    }

    pub fn data_dir(&self) -> &Path {
        self.dir.path()
    }

    /// Where the default local blob store lives.
    pub fn blob_dir(&self) -> PathBuf {
        self.dir.path().join("blobs")
    }

    /// A configuration for this environment: loopback port 0, this data directory, this
    /// database (SQLite: the default file under the data directory).
    pub fn config(&self) -> Config {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir: self.dir.path().to_path_buf(),
            database_url: self
                .db
                .url
                .as_deref()
                .map(|url| DatabaseLocation::parse(url).expect("test database URL")),
            ..Config::default()
        }
    }

    /// Environment variables configuring a `coffre` child process like [`Self::config`].
    pub fn child_env(&self) -> Vec<(String, String)> {
        let mut vars = vec![
            ("COFFRE_LISTEN".to_owned(), "127.0.0.1:0".to_owned()),
            (
                "COFFRE_DATA_DIR".to_owned(),
                self.dir.path().display().to_string(),
            ),
        ];
        if let Some(url) = &self.db.url {
            vars.push(("COFFRE_DATABASE_URL".to_owned(), url.clone()));
        }
        vars
    }

    /// Starts the server with this environment's configuration.
    pub async fn start(&self) -> TestApp {
        TestApp::builder(self.config()).start().await
    }
}

/// How to start a [`TestApp`].
#[derive(Debug)]
pub struct TestAppBuilder {
    config: Config,
    clock: SharedClock,
    extra_routes: ExtraRoutes,
    blob_objects: Option<Arc<dyn ObjectStore>>,
}

impl TestAppBuilder {
    pub fn clock(mut self, clock: SharedClock) -> Self {
        self.clock = clock;
        self
    }

    /// Routes added under the real middleware stack (error probes): a `Router` gets the
    /// JSON limits; `ExtraRoutes::with_limits` declares other limits.
    pub fn extra_routes(mut self, routes: impl Into<ExtraRoutes>) -> Self {
        self.extra_routes = routes.into();
        self
    }

    /// Blobs in `objects` instead of the store the configuration names (through
    /// [`coffre_server::app::open_with_backend`]).
    pub fn blob_objects(mut self, objects: Arc<dyn ObjectStore>) -> Self {
        self.blob_objects = Some(objects);
        self
    }

    pub async fn try_start(self) -> Result<TestApp, StartError> {
        crate::init();
        // Bind first: the ports are ours before anything else happens. As `serve` does:
        // the bound ports go into the configuration (the default origin has the port).
        let mut config = self.config;
        let listeners = Listeners::bind(&mut config)?;
        let addr = config.listen;
        let metrics_addr = config.metrics.listen;
        let url = coffre_server::server::listening_url(&config, &listeners.app)?;
        let state = match self.blob_objects {
            Some(objects) => {
                coffre_server::app::open_with_backend(config, self.clock, move |_| {
                    Ok(BlobBackend::from_objects(objects))
                })
                .await?
            }
            None => coffre_server::app::open(config, self.clock).await?,
        };
        let transport = coffre_server::server::prepare_transport(&state.config).await?;
        let router = coffre_server::http::router_with(state.clone(), self.extra_routes)?;
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(coffre_server::server::serve_router(
            listeners,
            state.clone(),
            router,
            transport,
            async move {
                let _ = stopped.await;
            },
        ));
        Ok(TestApp {
            addr,
            metrics_addr,
            url,
            client: reqwest::Client::builder().build().expect("HTTP client"),
            state,
            stop: Some(stop),
            task: Some(task),
        })
    }

    pub async fn start(self) -> TestApp {
        self.try_start().await.expect("server should start")
    }
}

/// A running server and an HTTP client for it.
#[derive(Debug)]
pub struct TestApp {
    pub addr: SocketAddr,
    /// Where `GET /metrics` answers, with `[metrics] listen` set.
    pub metrics_addr: Option<SocketAddr>,
    /// `http://127.0.0.1:PORT` (or `https://…` with TLS).
    pub url: String,
    pub client: reqwest::Client,
    pub state: AppState,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), StartError>>>,
}

impl TestApp {
    pub fn builder(config: Config) -> TestAppBuilder {
        TestAppBuilder {
            config,
            clock: Arc::new(SystemClock),
            extra_routes: ExtraRoutes::default(),
            blob_objects: None,
        }
    }

    /// `self.url + path`.
    pub fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.at(path)).send().await.expect("GET")
    }

    /// Graceful shutdown; fails the test if the server ended with an error.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.await
                .expect("server task")
                .expect("server ended cleanly");
        }
    }
}
