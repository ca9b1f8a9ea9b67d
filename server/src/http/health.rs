//! `GET /api/health`: is the database reachable, is the blob store reachable.

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::AppState;

const CHECK_TIMEOUT: Duration = Duration::from_secs(5);

/// The health report, the same shape whether healthy (200) or not (503).
#[derive(Debug, Serialize, ToSchema)]
pub struct HealthReport {
    /// `ok` or `unavailable`.
    #[schema(example = "ok")]
    pub status: &'static str,
    /// `ok` or `error`.
    pub database: &'static str,
    /// `ok` or `error`.
    pub blobs: &'static str,
    /// Server version.
    #[schema(example = "0.1.0")]
    pub version: &'static str,
}

/// Checks the database and the blob store.
#[utoipa::path(
    get,
    path = "/health",
    tag = "system",
    responses(
        (status = 200, description = "Database and blob store answer", body = HealthReport),
        (status = 503, description = "Something does not answer", body = HealthReport),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn health(State(state): State<AppState>) -> (StatusCode, Json<HealthReport>) {
    let (database, blobs) = tokio::join!(
        tokio::time::timeout(CHECK_TIMEOUT, state.store.ping()),
        state.blobs.check()
    );
    let database_ok = matches!(database, Ok(Ok(())));
    if let Ok(Err(e)) = &database {
        tracing::warn!(error = %crate::error::error_chain(e), "health: database check failed");
    }
    if let Err(e) = &blobs {
        tracing::warn!(error = %crate::error::error_chain(e), "health: blob store check failed");
    }
    let all_ok = database_ok && blobs.is_ok();
    let report = HealthReport {
        status: if all_ok { "ok" } else { "unavailable" },
        database: if database_ok { "ok" } else { "error" },
        blobs: if blobs.is_ok() { "ok" } else { "error" },
        version: env!("CARGO_PKG_VERSION"),
    };
    let status = if all_ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(report))
}
