//! The owner's note on a mandate it gave (protocol.md section 8.1;
//! `docs/design/mandates-server.md`): sent with the mandate (`POST /api/mandates`, in
//! [`super::mandates`]) or set afterwards (`PUT /api/mandates/{id}/note`), to name or rename
//! the grantee. The server cannot open a note: it checks the b64, the size and that it is an
//! age file to recipients, keeps one per mandate (a new one replaces the old) and serves it
//! only in the owner's own list.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use coffre_crypto::age_io::check_recipient_file;
use coffre_crypto::encoding::unb64;
use coffre_crypto::mandate::NOTE_CAP;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::http::ApiJson;
use crate::http::organisations::account;
use crate::http::session::CurrentSession;

/// A note as the owner sends it: base64url (else 400), at most [`NOTE_CAP`] bytes (else
/// 413), an age file to X25519 recipients (else 400). Nothing else can be checked here.
pub(crate) fn checked_note(value: &str) -> Result<Vec<u8>, ApiError> {
    // A longer string cannot decode to NOTE_CAP bytes: refused before decoding it.
    if value.len() > NOTE_CAP.div_ceil(3) * 4 {
        return Err(note_too_large());
    }
    let file = unb64(value)
        .map_err(|_| ApiError::BadRequest("note: not base64url without padding".into()))?;
    if file.len() > NOTE_CAP {
        return Err(note_too_large());
    }
    check_recipient_file(&file, NOTE_CAP)
        .map_err(|_| ApiError::BadRequest("note: not an age file to a recipient".into()))?;
    Ok(file)
}

fn note_too_large() -> ApiError {
    ApiError::NoteTooLarge { max: NOTE_CAP }
}

/// The owner's new note on one of its mandates.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewNote {
    /// An age file to the owner's own recipient holding the owner-signed `mandate_note`
    /// (base64url, at most [`NOTE_CAP`] bytes decoded), normally with a later `created` than
    /// the note it replaces; the server cannot open it.
    pub note: String,
}

/// The owner names or renames a mandate's grantee: its note replaces the stored one. Any
/// state: a mandate that has ended stays on the owner's list and in its journal by that name.
#[utoipa::path(
    put,
    path = "/mandates/{id}/note",
    tag = "mandates",
    params(("id" = Uuid, Path, description = "The mandate")),
    request_body = NewNote,
    responses(
        (status = 204, description = "Stored, in place of the previous note"),
        (status = 400, description = "The note is not base64url or not an age file", body = ErrorBody),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "bad_origin or csrf", body = ErrorBody),
        (status = 404, description = "not_found (or not this coffre's)", body = ErrorBody),
        (status = 413, description = "note_too_large: the note is above 2,048 bytes", body = ErrorBody),
    )
)]
pub async fn put_note(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    Path(id): Path<Uuid>,
    ApiJson(req): ApiJson<NewNote>,
) -> Result<StatusCode, ApiError> {
    let owner = account(&state, &session).await?;
    // Whose mandate it is comes first: another coffre's and an unknown one answer alike,
    // whatever the body.
    let m = state.store.mandate(id).await?.ok_or(ApiError::NotFound)?;
    if m.coffre != owner.id {
        return Err(ApiError::NotFound);
    }
    let note = checked_note(&req.note)?;
    if state.store.put_mandate_note(owner.id, id, &note).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound)
    }
}
