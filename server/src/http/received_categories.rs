//! The covered categories of every mandate the caller acts under, in one answer
//! (`docs/design/mandates-server.md`): what `GET /api/mandates/{id}/categories` gives for one
//! mandate, for all those of the list's `received` at once, so the workspace names every
//! démarche with one request instead of one per mandate (issue 14). The same checks, mandate
//! by mandate: the caller acts under it now, and it verifies with the coffre's current key;
//! a mandate that does not is left out, as its own route would answer `404` or refuse it.

use std::collections::HashMap;

use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::AppState;
use crate::domain::{CategoryRecord, CoffreId};
use crate::error::{ApiError, ErrorBody};
use crate::http::ApiJson;
use crate::http::deposit_categories::{DepositCategory, covered};
use crate::http::deposits::grant_of;
use crate::http::mandates::{acts_under, received_records};
use crate::http::organisations::{account, now_secs};
use crate::http::session::CurrentSession;

/// One received mandate's covered categories.
#[derive(Debug, Serialize, ToSchema)]
pub struct MandateCategories {
    pub mandate: Uuid,
    pub categories: Vec<DepositCategory>,
}

/// The covered categories of the mandates the caller acts under now, by mandate number.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReceivedCategories {
    pub mandates: Vec<MandateCategories>,
}

/// Certificates and labels of the categories every received mandate covers (any right),
/// each mandate checked as `GET /api/mandates/{id}/categories` checks it.
#[utoipa::path(
    get,
    path = "/mandates/received/categories",
    tag = "mandates",
    responses(
        (status = 200, description = "By mandate: certificates and labels of the covered categories", body = ReceivedCategories),
        (status = 401, description = "unauthenticated", body = ErrorBody),
    )
)]
pub async fn received_categories(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
) -> Result<ApiJson<ReceivedCategories>, ApiError> {
    let me = account(&state, &session).await?;
    let mut coffres: HashMap<CoffreId, Vec<CategoryRecord>> = HashMap::new();
    let mut mandates = Vec::new();
    for m in received_records(&state, &me, now_secs(&state)).await? {
        if !acts_under(&state, &me, &m).await? {
            continue;
        }
        let grant = match grant_of(&state, &me, &m).await {
            Ok(grant) => grant,
            // Refused (say, signed under an older owner epoch): its own route refuses it too.
            Err(e) if e.status().is_client_error() => continue,
            Err(e) => return Err(e),
        };
        let all = match coffres.get(&m.coffre) {
            Some(all) => all,
            None => {
                let all = state.store.categories(m.coffre).await?;
                coffres.entry(m.coffre).or_insert(all)
            }
        };
        let labels = state.store.mandate_labels(m.id).await?;
        mandates.push(MandateCategories {
            mandate: m.id,
            categories: covered(&grant, all, &labels),
        });
    }
    Ok(ApiJson(ReceivedCategories { mandates }))
}
