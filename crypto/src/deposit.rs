//! Deposit receipts and who may upload (protocol sections 6 and 8): the server's signed
//! deposit time is the one a reader checks a mandated upload at.

use ed25519_dalek::SigningKey;

use crate::Context;
use crate::encoding::{Id, PublicKey};
use crate::error::{Error, Result};
use crate::kinds::{DepositReceipt, Mandate, Upload};
use crate::mandate::{MandateEnds, check_in_force};
use crate::statement::{Envelope, Verified, sign};

/// The server signs that it accepted `upload` (an upload envelope) at `time`.
pub fn sign_deposit_receipt(
    ctx: &Context,
    server: &SigningKey,
    upload: &Envelope,
    time: u64,
) -> Result<Envelope> {
    let up = upload.peek::<Upload>()?;
    let body = DepositReceipt {
        coffre: ctx.coffre,
        instance: ctx.instance.clone(),
        kind: Default::default(),
        paper: up.paper,
        time,
        upload: upload.hash()?,
        v: Default::default(),
    };
    sign(&body, &[server])
}

/// Verify a deposit receipt for `upload`: signed by the instance's server key
/// (`UnauthorisedSigner`), for this instance and coffre (`ContextMismatch`), naming the
/// upload's paper (`PaperIdMismatch`) and its statement hash (`HashMismatch`).
pub fn verify_deposit_receipt(
    env: &Envelope,
    server: &PublicKey,
    ctx: &Context,
    upload: &Envelope,
) -> Result<Verified<DepositReceipt>> {
    verify_receipt_for(env, server, ctx, upload, || {
        Ok(upload.peek::<Upload>()?.paper)
    })
}

/// [`verify_deposit_receipt`] with the upload's paper id from `paper` (read only once the
/// receipt's signature and context check, so a caller that parsed the upload need not again).
fn verify_receipt_for(
    env: &Envelope,
    server: &PublicKey,
    ctx: &Context,
    upload: &Envelope,
    paper: impl FnOnce() -> Result<Id>,
) -> Result<Verified<DepositReceipt>> {
    let v = env.verify_by::<DepositReceipt>(server)?;
    let b = v.body();
    ctx.check(&b.instance, Some(&b.coffre), None)?;
    if b.paper != paper()? {
        return Err(Error::PaperIdMismatch);
    }
    if b.upload != upload.hash()? {
        return Err(Error::HashMismatch);
    }
    Ok(v)
}

/// A verified deposit mandate, its ends, and the keys allowed to act under it (the person's
/// key, or the organisation's current members).
#[derive(Clone, Debug)]
pub struct MandateGrant {
    /// The mandate (from [`crate::mandate::verify_mandate`]).
    pub mandate: Verified<Mandate>,
    /// Its verified revocations and renunciations.
    pub ends: MandateEnds,
    /// Keys that may upload under it.
    pub keys: Vec<PublicKey>,
}

/// Who may upload: the owner, and keys allowed by deposit mandates the caller verified.
#[derive(Clone, Debug)]
pub struct UploaderPolicy {
    /// The owner's key for this epoch.
    pub owner: PublicKey,
    /// The instance's server key, which signs deposit receipts (needed for mandated uploads).
    pub server: Option<PublicKey>,
    /// Deposit mandates.
    pub mandates: Vec<MandateGrant>,
}

impl UploaderPolicy {
    /// Owner-only policy.
    pub fn owner(owner: PublicKey) -> Self {
        UploaderPolicy {
            owner,
            server: None,
            mandates: Vec::new(),
        }
    }

    /// The time the upload's certificate window is checked at, once the uploader is allowed.
    ///
    /// The owner's own upload (no `mandate`) needs no receipt: its `created` decides. An
    /// upload under a mandate needs a grant of that mandate with the deposit right, the
    /// category and the uploader's key (`UnauthorisedSigner`), and the server's deposit
    /// receipt (`NotAllowed` without one, see [`verify_deposit_receipt`]); the mandate must be
    /// in force at the receipt's `time` (`OutsideValidity`, `Revoked`), which is returned.
    pub fn deposit_time(
        &self,
        ctx: &Context,
        up: &Upload,
        statement: &Envelope,
        receipt: Option<&Envelope>,
    ) -> Result<u64> {
        let Some(mid) = up.mandate else {
            return if up.uploader == self.owner {
                Ok(up.created)
            } else {
                Err(Error::UnauthorisedSigner)
            };
        };
        let grant = self
            .mandates
            .iter()
            .find(|g| {
                let m = g.mandate.body();
                m.mandate == mid
                    && m.coffre == up.coffre
                    && m.rights.can_deposit()
                    && m.categories.contains(&up.category)
                    && g.keys.contains(&up.uploader)
            })
            .ok_or(Error::UnauthorisedSigner)?;
        let (Some(server), Some(receipt)) = (self.server.as_ref(), receipt) else {
            return Err(Error::NotAllowed);
        };
        let time = verify_receipt_for(receipt, server, ctx, statement, || Ok(up.paper))?
            .body()
            .time;
        check_in_force(&grant.mandate, &grant.ends, time)?;
        Ok(time)
    }
}
