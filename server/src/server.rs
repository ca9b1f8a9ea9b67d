//! Accepting connections: plain HTTP, HTTPS from PEM files, or HTTPS with ACME; graceful
//! shutdown in every mode.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::net::{SocketAddr, TcpListener};
use std::time::Duration;

use axum::Router;
use axum::serve::ListenerExt;
use axum_server::Handle;
use axum_server::accept::{Accept, NoDelayAcceptor};
use axum_server::tls_rustls::{RustlsAcceptor, RustlsConfig};
use futures::StreamExt;
use tokio_util::sync::CancellationToken;

use crate::app::{AppState, StartError};
use crate::config::{Config, TlsMode};
use crate::http;

/// How long in-flight requests may take to finish once shutdown is asked.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// The sockets a server answers on, bound before it says it is listening (so a port in
/// use fails the start).
#[derive(Debug)]
pub struct Listeners {
    /// The public listener: the API and the web client.
    pub app: TcpListener,
    /// `[metrics] listen`: `GET /metrics` only.
    pub metrics: Option<TcpListener>,
}

impl Listeners {
    /// Binds `config.listen` and `config.metrics.listen`, and writes the bound addresses
    /// back into `config` (either may say port 0; the default origin needs the real port).
    pub fn bind(config: &mut Config) -> std::io::Result<Self> {
        let app = TcpListener::bind(config.listen)?;
        config.listen = app.local_addr()?;
        let metrics = match config.metrics.listen {
            Some(addr) => {
                let listener = TcpListener::bind(addr)?;
                config.metrics.listen = Some(listener.local_addr()?);
                Some(listener)
            }
            None => None,
        };
        Ok(Self { app, metrics })
    }
}

/// The URL people can use, given the bound address (the line printed at start).
pub fn listening_url(config: &Config, listener: &TcpListener) -> std::io::Result<String> {
    let scheme = if config.tls.mode == TlsMode::Off {
        "http"
    } else {
        "https"
    };
    Ok(format!("{scheme}://{}", listener.local_addr()?))
}

/// How connections are accepted, prepared before the server says it is listening (so
/// a missing certificate fails the start, not the first request).
pub enum Transport {
    Plain,
    Files(RustlsConfig),
    Acme(rustls_acme::axum::AxumAcceptor),
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Plain => "Transport::Plain",
            Self::Files(_) => "Transport::Files",
            Self::Acme(_) => "Transport::Acme",
        })
    }
}

/// Loads certificates (`files`) or starts the ACME client (`acme`).
pub async fn prepare_transport(config: &Config) -> Result<Transport, StartError> {
    crate::app::install_crypto_provider();
    match config.tls.mode {
        TlsMode::Off => Ok(Transport::Plain),
        TlsMode::Files => {
            let (Some(cert), Some(key)) = (&config.tls.cert_path, &config.tls.key_path) else {
                return Err(StartError::Tls(
                    "tls.cert_path and tls.key_path are required".into(),
                ));
            };
            let rustls = RustlsConfig::from_pem_chain_file(cert, key)
                .await
                .map_err(|e| {
                    StartError::Tls(format!(
                        "cannot load {} / {}: {e}",
                        cert.display(),
                        key.display()
                    ))
                })?;
            Ok(Transport::Files(rustls))
        }
        TlsMode::Acme => Ok(Transport::Acme(acme_acceptor(config)?)),
    }
}

/// Serves `state` on already bound `listeners` until `shutdown` completes, then
/// lets in-flight requests finish (at most [`SHUTDOWN_GRACE`]). The background jobs (the
/// retention purge) run meanwhile and stop with it.
pub async fn serve<F>(
    listeners: Listeners,
    state: AppState,
    transport: Transport,
    shutdown: F,
) -> Result<(), StartError>
where
    F: Future<Output = ()> + Send + 'static,
{
    let app = http::router(state.clone())?;
    serve_router(listeners, state, app, transport, shutdown).await
}

/// [`serve`] with a router built by the caller (tests add probe routes with
/// [`http::router_with`]).
pub async fn serve_router<F>(
    listeners: Listeners,
    state: AppState,
    app: Router,
    transport: Transport,
    shutdown: F,
) -> Result<(), StartError>
where
    F: Future<Output = ()> + Send + 'static,
{
    let Listeners {
        app: listener,
        metrics,
    } = listeners;
    listener.set_nonblocking(true)?;
    let token = CancellationToken::new();
    let trigger = token.clone();
    tokio::spawn(async move {
        shutdown.await;
        trigger.cancel();
    });
    if let Some(metrics) = metrics {
        spawn_metrics(metrics, &state, &token)?;
    }
    let retention = tokio::spawn(state.retention().run_every(token.clone()));

    let result = match transport {
        Transport::Plain => {
            let listener = tokio::net::TcpListener::from_std(listener)?.tap_io(no_delay);
            let server = axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .with_graceful_shutdown(token.clone().cancelled_owned());
            bounded(server.into_future(), &token).await
        }
        Transport::Files(rustls) => {
            let server = axum_server::from_tcp(listener)?
                .acceptor(RustlsAcceptor::new(rustls).acceptor(NoDelayAcceptor::new()))
                .handle(graceful_handle(&token))
                .serve(app.into_make_service_with_connect_info::<SocketAddr>());
            bounded(server, &token).await
        }
        Transport::Acme(acceptor) => {
            let server = axum_server::from_tcp(listener)?
                .acceptor(NoDelay(acceptor))
                .handle(graceful_handle(&token))
                .serve(app.into_make_service_with_connect_info::<SocketAddr>());
            bounded(server, &token).await
        }
    };
    // Stop the jobs before the pool closes under them (a pass under way ends first).
    token.cancel();
    let _ = retention.await;
    state.store.close().await;
    result
}

/// `TCP_NODELAY` on every accepted connection, as nginx sets it on keep-alive ones: a
/// response whose last bytes go in a second small write (the listing's kept bytes, then the
/// space's fields) otherwise waits for the client's delayed ACK, 40 ms on Linux — the p99 of
/// a 1,000-paper listing was 45 ms against a 1.8 ms median (BENCHMARKS.md section 10).
fn no_delay(stream: &mut tokio::net::TcpStream) {
    if let Err(e) = stream.set_nodelay(true) {
        tracing::debug!(error = %e, "TCP_NODELAY");
    }
}

/// [`no_delay`] before an acceptor of `axum_server` (the ACME one) takes the stream.
#[derive(Clone)]
struct NoDelay<A>(A);

impl<A, S> Accept<tokio::net::TcpStream, S> for NoDelay<A>
where
    A: Accept<tokio::net::TcpStream, S>,
{
    type Stream = A::Stream;
    type Service = A::Service;
    type Future = A::Future;

    fn accept(&self, mut stream: tokio::net::TcpStream, service: S) -> Self::Future {
        no_delay(&mut stream);
        self.0.accept(stream, service)
    }
}

/// Serves `GET /metrics` on `listener` (plain HTTP: loopback, or a private network with
/// `[metrics] token`) until `token` is cancelled.
fn spawn_metrics(
    listener: TcpListener,
    state: &AppState,
    token: &CancellationToken,
) -> Result<(), StartError> {
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let router = crate::metrics::router(
        state.metrics.clone(),
        state.store.clone(),
        state.config.metrics.token.as_ref(),
    );
    let stop = token.clone();
    tokio::spawn(async move {
        let served = axum::serve(listener, router)
            .with_graceful_shutdown(stop.cancelled_owned())
            .await;
        if let Err(e) = served {
            tracing::warn!(error = %e, "the metrics listener stopped");
        }
    });
    Ok(())
}

/// Runs the server; once shutdown is asked, waits at most [`SHUTDOWN_GRACE`].
async fn bounded<S>(server: S, token: &CancellationToken) -> Result<(), StartError>
where
    S: Future<Output = std::io::Result<()>>,
{
    let deadline = async {
        token.cancelled().await;
        tokio::time::sleep(SHUTDOWN_GRACE + Duration::from_secs(1)).await;
    };
    tokio::select! {
        result = server => Ok(result?),
        () = deadline => {
            tracing::warn!("requests still running after the shutdown grace period; stopping anyway");
            Ok(())
        }
    }
}

fn graceful_handle(token: &CancellationToken) -> Handle<std::net::SocketAddr> {
    let handle = Handle::new();
    let on_shutdown = handle.clone();
    let token = token.clone();
    tokio::spawn(async move {
        token.cancelled().await;
        on_shutdown.graceful_shutdown(Some(SHUTDOWN_GRACE));
    });
    handle
}

/// TLS-ALPN-01 on the serving port, certificates cached in `acme_cache_dir`.
fn acme_acceptor(config: &Config) -> Result<rustls_acme::axum::AxumAcceptor, StartError> {
    let tls = &config.tls;
    let contact = tls
        .acme_contact_email
        .as_deref()
        .ok_or_else(|| StartError::Tls("tls.acme_contact_email is required".into()))?;
    let cache_dir = config.effective_acme_cache_dir();
    // Account keys and certificate private keys.
    crate::private_fs::create_private_dir_all(&cache_dir)?;
    let mut state = rustls_acme::AcmeConfig::new(&tls.acme_domains)
        .contact_push(format!("mailto:{contact}"))
        .cache(rustls_acme::caches::DirCache::new(cache_dir))
        .directory_lets_encrypt(!tls.acme_staging)
        .state();
    let acceptor = state.axum_acceptor(state.default_rustls_config());
    tokio::spawn(async move {
        while let Some(event) = state.next().await {
            match event {
                Ok(ok) => tracing::info!(event = ?ok, "acme"),
                Err(err) => tracing::error!(error = %err, "acme"),
            }
        }
    });
    Ok(acceptor)
}
