//! `GET /api/instance`: the instance origin the client must put in every statement it
//! signs, the WebAuthn relying-party id, the public server key receipts are signed with, and
//! the server's time.

use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::AppState;
use crate::http::ApiJson;

/// This instance, as clients must name it.
#[derive(Debug, Serialize, ToSchema)]
pub struct InstanceInfo {
    /// The `instance` field of every signed statement (`public_url`).
    #[schema(example = "https://coffre.example.org")]
    pub origin: String,
    /// The WebAuthn relying-party id: the origin's host.
    #[schema(example = "coffre.example.org")]
    pub rp_id: String,
    /// The instance's Ed25519 public key (32 bytes, base64url without padding): what
    /// inclusion and deposit receipts are signed with.
    #[schema(example = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")]
    pub server_key: String,
    /// The server's time (Unix seconds): what the client puts in the statements it signs
    /// (`created`, `not_before`), so a phone with a wrong clock still makes valid ones.
    pub now: i64,
}

/// The instance origin, relying-party id and server key.
#[utoipa::path(
    get,
    path = "/instance",
    tag = "system",
    responses((status = 200, description = "This instance", body = InstanceInfo))
)]
pub async fn instance(State(state): State<AppState>) -> ApiJson<InstanceInfo> {
    ApiJson(InstanceInfo {
        origin: state.origin.to_string(),
        rp_id: state.origin.host().to_owned(),
        server_key: state.server_key.public_key().to_b64(),
        now: state.clock.now().as_micros().div_euclid(1_000_000),
    })
}
