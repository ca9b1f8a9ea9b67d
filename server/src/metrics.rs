//! Prometheus metrics: what an admin needs to see that the instance is healthy, and
//! nothing about a person.
//!
//! Every label value comes from a closed set the server defines: the route *template*
//! (axum's [`MatchedPath`], `/api/sessions/{id}`, never the path a client sent), the
//! method (known ones, else `other`), the status class (`2xx`…), a job's name. No coffre
//! id, session id, IP address, user agent or anything a client chooses ever becomes a
//! label, so the number of series is bounded whatever clients send.
//!
//! Each server holds its own registry ([`Metrics`], in `AppState`), served on a listener
//! of its own ([`router`], `[metrics] listen`), never on the public one; optionally behind
//! a bearer token (`[metrics] token`).

use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use sha2::{Digest, Sha256};

use crate::config::Secret;
use crate::db::SharedStore;
use crate::domain::Timestamp;

/// The content type of the OpenMetrics text format, which Prometheus scrapes.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// Request durations, in seconds: from a cached page (milliseconds) to an Argon2 sign-in
/// on a small machine (tens of milliseconds) to a slow upload.
const LATENCY_BUCKETS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// The label of every request that is not under `/api` (the embedded web client: its
/// files and the single-page app's pages).
pub const WEB_ROUTE: &str = "web";

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: String,
    status: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: &'static str,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct DirectionLabels {
    /// `in` (written to the store) or `out` (read from it).
    direction: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    /// `idle` or `in_use`.
    state: &'static str,
}

/// A background job.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub enum Job {
    /// The blob sweep each start runs (`blobs::sweep`).
    BlobSweep,
    /// The retention purge (`retention`).
    Retention,
}

impl Job {
    /// The `job` label.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BlobSweep => "blob_sweep",
            Self::Retention => "retention",
        }
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct JobRunLabels {
    job: &'static str,
    /// `ok` or `failed`.
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct JobItemLabels {
    job: &'static str,
    kind: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct JobLabels {
    job: &'static str,
}

/// The server's metrics (cheap to clone: one registry behind an `Arc`).
#[derive(Clone, Debug)]
pub struct Metrics(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    durations: Family<RouteLabels, Histogram>,
    blob_bytes: Family<DirectionLabels, Counter>,
    db_connections: Family<PoolLabels, Gauge>,
    db_max_connections: Gauge,
    job_runs: Family<JobRunLabels, Counter>,
    job_removed: Family<JobItemLabels, Counter>,
    job_last_success: Family<JobLabels, Gauge<f64, AtomicU64>>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// A fresh registry with every metric registered (each server makes its own).
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("coffre");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, route template and status class",
            requests.clone(),
        );
        let durations = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(LATENCY_BUCKETS)
        });
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request (until the response headers), by method and route template",
            durations.clone(),
        );
        let blob_bytes = Family::<DirectionLabels, Counter>::default();
        registry.register(
            "blob_bytes",
            "Blob bytes written to (in) and read from (out) the blob store",
            blob_bytes.clone(),
        );
        let db_connections = Family::<PoolLabels, Gauge>::default();
        registry.register(
            "db_pool_connections",
            "Database connections of this server's pool, idle or in use",
            db_connections.clone(),
        );
        let db_max_connections = Gauge::default();
        registry.register(
            "db_pool_max_connections",
            "The most connections this server's pool opens",
            db_max_connections.clone(),
        );
        let job_runs = Family::<JobRunLabels, Counter>::default();
        registry.register(
            "job_runs",
            "Background job runs, by job and outcome",
            job_runs.clone(),
        );
        let job_removed = Family::<JobItemLabels, Counter>::default();
        registry.register(
            "job_removed",
            "Rows or objects a background job removed, by job and kind",
            job_removed.clone(),
        );
        let job_last_success = Family::<JobLabels, Gauge<f64, AtomicU64>>::default();
        registry.register(
            "job_last_success_timestamp_seconds",
            "When a background job last ended well (Unix time)",
            job_last_success.clone(),
        );
        Self(Arc::new(Inner {
            registry,
            requests,
            durations,
            blob_bytes,
            db_connections,
            db_max_connections,
            job_runs,
            job_removed,
            job_last_success,
        }))
    }

    /// One request answered.
    fn record_request(&self, method: &Method, route: String, status: StatusCode, seconds: f64) {
        let method = method_label(method);
        self.0
            .durations
            .get_or_create(&RouteLabels {
                method,
                route: route.clone(),
            })
            .observe(seconds);
        self.0
            .requests
            .get_or_create(&RequestLabels {
                method,
                route,
                status: status_class(status),
            })
            .inc();
    }

    /// `bytes` written to the blob store.
    pub fn blob_bytes_in(&self, bytes: u64) {
        self.0
            .blob_bytes
            .get_or_create(&DirectionLabels { direction: "in" })
            .inc_by(bytes);
    }

    /// `bytes` read from the blob store.
    pub fn blob_bytes_out(&self, bytes: u64) {
        self.0
            .blob_bytes
            .get_or_create(&DirectionLabels { direction: "out" })
            .inc_by(bytes);
    }

    /// A run of `job` that ended well at `now`, with what it removed (`kind`, count).
    pub fn job_succeeded(&self, job: Job, now: Timestamp, removed: &[(&'static str, u64)]) {
        self.0
            .job_runs
            .get_or_create(&JobRunLabels {
                job: job.as_str(),
                outcome: "ok",
            })
            .inc();
        for (kind, count) in removed {
            self.0
                .job_removed
                .get_or_create(&JobItemLabels {
                    job: job.as_str(),
                    kind,
                })
                .inc_by(*count);
        }
        // Microseconds to seconds: exact enough for a timestamp.
        #[allow(clippy::cast_precision_loss)]
        let seconds = now.as_micros() as f64 / 1e6;
        self.0
            .job_last_success
            .get_or_create(&JobLabels { job: job.as_str() })
            .set(seconds);
    }

    /// A run of `job` that failed (the error is logged by the job).
    pub fn job_failed(&self, job: Job) {
        self.0
            .job_runs
            .get_or_create(&JobRunLabels {
                job: job.as_str(),
                outcome: "failed",
            })
            .inc();
    }

    /// The OpenMetrics text of every metric, the pool gauges read from `store` now.
    pub fn render(&self, store: &SharedStore) -> String {
        let pool = store.pool_status();
        let set = |state, value: u32| {
            self.0
                .db_connections
                .get_or_create(&PoolLabels { state })
                .set(i64::from(value));
        };
        set("idle", pool.idle);
        set("in_use", pool.in_use());
        self.0.db_max_connections.set(i64::from(pool.max));
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.0.registry);
        out
    }
}

/// The label of a request's method: one of the methods the API uses, else `other` (a
/// client cannot make new series by inventing methods).
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

fn status_class(status: StatusCode) -> &'static str {
    match status.as_u16() {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

/// The route label: the matched template under `/api` (and `/openapi.json`), [`WEB_ROUTE`]
/// for everything else. An unknown `/api` path matches the catch-all `/api/{*rest}`.
pub fn route_label(matched: Option<&MatchedPath>) -> String {
    match matched.map(MatchedPath::as_str) {
        Some(path) if path == "/api" || path.starts_with("/api/") || path == "/openapi.json" => {
            path.to_owned()
        }
        _ => WEB_ROUTE.to_owned(),
    }
}

/// Middleware counting and timing every request of the application router (added with
/// `Router::layer`, so the route is matched when it runs).
pub async fn track(State(metrics): State<Metrics>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = route_label(request.extensions().get::<MatchedPath>());
    let response = next.run(request).await;
    metrics.record_request(
        &method,
        route,
        response.status(),
        started.elapsed().as_secs_f64(),
    );
    response
}

/// What the metrics listener needs.
#[derive(Clone, Debug)]
struct Scrape {
    metrics: Metrics,
    store: SharedStore,
    /// SHA-256 of the expected bearer token, if one is configured.
    token: Option<[u8; 32]>,
}

/// The metrics listener's router: `GET /metrics`, behind the bearer token if `token` is
/// set; anything else is 404.
pub fn router(metrics: Metrics, store: SharedStore, token: Option<&Secret<String>>) -> Router {
    let scrape = Scrape {
        metrics,
        store,
        token: token.map(|t| Sha256::digest(t.expose().as_bytes()).into()),
    };
    Router::new()
        .route("/metrics", get(serve_metrics))
        .layer(middleware::from_fn_with_state(
            scrape.clone(),
            require_token,
        ))
        .with_state(scrape)
}

async fn serve_metrics(State(scrape): State<Scrape>) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        scrape.metrics.render(&scrape.store),
    )
        .into_response()
}

/// Refuses a scrape without the configured bearer token (401, `WWW-Authenticate: Bearer`).
async fn require_token(State(scrape): State<Scrape>, request: Request, next: Next) -> Response {
    match scrape.token {
        Some(expected) if !bearer_matches(request.headers(), &expected) => (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))],
        )
            .into_response(),
        _ => next.run(request).await,
    }
}

/// Compares digests, so the time taken says nothing about how much of the token matched.
fn bearer_matches(headers: &HeaderMap, expected: &[u8; 32]) -> bool {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .is_some_and(|token| Sha256::digest(token.trim().as_bytes()).as_slice() == expected)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn methods_and_statuses_fall_into_closed_sets() {
        assert_eq!(method_label(&Method::DELETE), "DELETE");
        assert_eq!(
            method_label(&Method::from_bytes(b"X-INVENTED").unwrap()),
            "other"
        );
        assert_eq!(status_class(StatusCode::CREATED), "2xx");
        assert_eq!(status_class(StatusCode::TOO_MANY_REQUESTS), "4xx");
        assert_eq!(status_class(StatusCode::SERVICE_UNAVAILABLE), "5xx");
    }

    #[test]
    fn only_api_templates_become_route_labels() {
        assert_eq!(route_label(None), WEB_ROUTE);
    }

    #[test]
    fn the_registry_renders_openmetrics_text() {
        let metrics = Metrics::new();
        metrics.blob_bytes_in(10);
        metrics.job_failed(Job::Retention);
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &metrics.0.registry).unwrap();
        assert!(
            out.contains("coffre_blob_bytes_total{direction=\"in\"} 10"),
            "{out}"
        );
        assert!(
            out.contains("coffre_job_runs_total{job=\"retention\",outcome=\"failed\"} 1"),
            "{out}"
        );
        assert!(out.ends_with("# EOF\n"), "{out}");
    }
}
