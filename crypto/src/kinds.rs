//! Statement bodies and encrypted payloads (section 10), as typed structs.
//!
//! Fields are declared in byte order of their names, so `serde_json` emits canonical JSON.
//! Optional fields are omitted when absent, never `null`.

use serde::{Deserialize, Serialize};

use crate::encoding::{AgeRecipient, Hash32, Id, Kinded, PublicKey, V1, kind_tag};
use crate::secret::{SecretBytes32, SecretIdentity};

macro_rules! kinded {
    ($ty:ident, $tag:ident, $s:expr) => {
        kind_tag!($tag, $s);
        impl Kinded for $ty {
            const KIND: &'static str = $s;
        }
    };
}

/// Who signed an epoch succession.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Authority {
    /// The previous epoch's signing key.
    Previous,
    /// The recovery holders (threshold rules come with recovery).
    Recovery,
}

/// `epoch_succession`: epoch `from_epoch` hands over to `to_epoch`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct EpochSuccession {
    pub authority: Authority,
    pub coffre: Id,
    pub created: u64,
    pub from_epoch: u64,
    pub from_key: PublicKey,
    #[serde(deserialize_with = "crate::encoding::de_instance")]
    pub instance: String,
    pub kind: EpochSuccessionKind,
    pub reason: String,
    pub to_epoch: u64,
    pub to_key: PublicKey,
    pub to_recipient: AgeRecipient,
    pub v: V1,
}
kinded!(EpochSuccession, EpochSuccessionKind, "epoch_succession");

/// `category_cert`: the owner certifies CK[c, g]'s recipient for a window.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct CategoryCert {
    pub category: Id,
    pub coffre: Id,
    pub created: u64,
    pub epoch: u64,
    pub generation: u64,
    #[serde(deserialize_with = "crate::encoding::de_instance")]
    pub instance: String,
    pub kind: CategoryCertKind,
    pub not_after: u64,
    pub not_before: u64,
    pub recipient: AgeRecipient,
    pub v: V1,
}
kinded!(CategoryCert, CategoryCertKind, "category_cert");

/// `category_label`: the category's name and icon, owner-signed, shipped encrypted
/// (`Debug` does not show them).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct CategoryLabel {
    pub category: Id,
    pub coffre: Id,
    pub created: u64,
    pub epoch: u64,
    pub icon: String,
    #[serde(deserialize_with = "crate::encoding::de_instance")]
    pub instance: String,
    pub kind: CategoryLabelKind,
    pub name: String,
    pub v: V1,
}
kinded!(CategoryLabel, CategoryLabelKind, "category_label");

impl std::fmt::Debug for CategoryLabel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CategoryLabel")
            .field("category", &self.category)
            .field("coffre", &self.coffre)
            .field("created", &self.created)
            .field("epoch", &self.epoch)
            .field("instance", &self.instance)
            .finish_non_exhaustive()
    }
}

/// `upload`: the uploader vouches for a paper's two ciphertexts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct Upload {
    pub category: Id,
    pub coffre: Id,
    pub content_sha256: Hash32,
    pub content_size: u64,
    pub created: u64,
    pub epoch: u64,
    pub generation: u64,
    #[serde(deserialize_with = "crate::encoding::de_instance")]
    pub instance: String,
    pub kind: UploadKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mandate: Option<Id>,
    pub meta_sha256: Hash32,
    pub paper: Id,
    pub uploader: PublicKey,
    pub v: V1,
}
kinded!(Upload, UploadKind, "upload");

/// `deletion`: the owner deleted a paper.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct Deletion {
    pub coffre: Id,
    pub content_sha256: Hash32,
    pub created: u64,
    pub epoch: u64,
    #[serde(deserialize_with = "crate::encoding::de_instance")]
    pub instance: String,
    pub kind: DeletionKind,
    pub paper: Id,
    pub v: V1,
}
kinded!(Deletion, DeletionKind, "deletion");

/// Grantee type of a mandate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GranteeType {
    /// An organisation, pinned by its root key.
    Organisation,
    /// A person, pinned by key and recipient.
    Person,
}

/// The grantee of a mandate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grantee {
    /// Organisation or person id.
    pub id: Id,
    /// Organisation root, or the person's Ed25519 key.
    pub key: PublicKey,
    /// The person's recipient (absent for an organisation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<AgeRecipient>,
    /// Organisation or person.
    #[serde(rename = "type")]
    pub grantee_type: GranteeType,
}

/// Rights of a mandate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rights {
    /// Read papers.
    Consult,
    /// Add papers.
    Deposit,
    /// Both.
    ConsultDeposit,
}

impl Rights {
    /// May the grantee read?
    pub fn can_consult(self) -> bool {
        matches!(self, Rights::Consult | Rights::ConsultDeposit)
    }
    /// May the grantee deposit?
    pub fn can_deposit(self) -> bool {
        matches!(self, Rights::Deposit | Rights::ConsultDeposit)
    }
}

/// `mandate`: the owner grants rights on categories for a window.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct Mandate {
    pub categories: Vec<Id>,
    pub coffre: Id,
    pub created: u64,
    pub epoch: u64,
    pub grantee: Grantee,
    #[serde(deserialize_with = "crate::encoding::de_instance")]
    pub instance: String,
    pub kind: MandateKind,
    pub mandate: Id,
    pub not_after: u64,
    pub not_before: u64,
    pub rights: Rights,
    pub text_sha256: Hash32,
    pub v: V1,
}
kinded!(Mandate, MandateKind, "mandate");

/// `mandate_note`: the name the owner gave a mandate's grantee, owner-signed, shipped
/// encrypted to the owner alone (`Debug` does not show the name).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct MandateNote {
    pub coffre: Id,
    pub created: u64,
    pub epoch: u64,
    #[serde(deserialize_with = "crate::encoding::de_instance")]
    pub instance: String,
    pub kind: MandateNoteKind,
    pub mandate: Id,
    pub name: String,
    pub v: V1,
}
kinded!(MandateNote, MandateNoteKind, "mandate_note");

impl std::fmt::Debug for MandateNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MandateNote")
            .field("coffre", &self.coffre)
            .field("created", &self.created)
            .field("epoch", &self.epoch)
            .field("instance", &self.instance)
            .field("mandate", &self.mandate)
            .finish_non_exhaustive()
    }
}

/// `revocation`: the owner ends a mandate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct Revocation {
    pub coffre: Id,
    pub created: u64,
    pub epoch: u64,
    #[serde(deserialize_with = "crate::encoding::de_instance")]
    pub instance: String,
    pub kind: RevocationKind,
    pub mandate: Id,
    pub v: V1,
}
kinded!(Revocation, RevocationKind, "revocation");

/// `renunciation`: the grantee gives a mandate up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct Renunciation {
    pub coffre: Id,
    pub created: u64,
    pub epoch: u64,
    pub grantee_key: PublicKey,
    #[serde(deserialize_with = "crate::encoding::de_instance")]
    pub instance: String,
    pub kind: RenunciationKind,
    pub mandate: Id,
    pub v: V1,
}
kinded!(Renunciation, RenunciationKind, "renunciation");

/// `access_receipt`: the grantee records an access before it is served.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct AccessReceipt {
    #[serde(deserialize_with = "crate::encoding::de_action")]
    pub action: String,
    pub coffre: Id,
    pub counter: u64,
    pub created: u64,
    pub epoch: u64,
    pub grantee_key: PublicKey,
    #[serde(deserialize_with = "crate::encoding::de_instance")]
    pub instance: String,
    pub kind: AccessReceiptKind,
    pub mandate: Id,
    pub paper: Id,
    pub v: V1,
}
kinded!(AccessReceipt, AccessReceiptKind, "access_receipt");

/// `owner_pin`: an aidant verified an owner key face to face.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct OwnerPin {
    pub coffre: Id,
    pub created: u64,
    pub epoch: u64,
    #[serde(deserialize_with = "crate::encoding::de_instance")]
    pub instance: String,
    pub kind: OwnerPinKind,
    pub organisation: Id,
    pub owner_key: PublicKey,
    pub v: V1,
}
kinded!(OwnerPin, OwnerPinKind, "owner_pin");

/// Organisation chain action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgAction {
    /// Seq 0, signed by the root.
    Found,
    /// Add a member.
    AddMember,
    /// Remove a member.
    RemoveMember,
    /// Change a member's role: `member` names her key and recipient exactly as the chain
    /// does, with her new role.
    SetRole,
}

/// Member role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages the organisation.
    Responsable,
    /// Helps owners.
    Aidant,
}

/// A member of an organisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// Ed25519 key.
    pub key: PublicKey,
    /// age recipient (org key wraps go to it).
    pub recipient: AgeRecipient,
    /// Role.
    pub role: Role,
}

/// `org_chain`: one step of an organisation's membership chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct OrgChain {
    pub action: OrgAction,
    pub created: u64,
    #[serde(deserialize_with = "crate::encoding::de_instance")]
    pub instance: String,
    pub kind: OrgChainKind,
    pub member: Member,
    pub organisation: Id,
    pub prev: Hash32,
    pub seq: u64,
    pub v: V1,
}
kinded!(OrgChain, OrgChainKind, "org_chain");

/// `org_key`: the root certifies a generation of the organisation key, made when the chain's
/// head was at `chain_seq`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct OrgKey {
    pub chain_seq: u64,
    pub created: u64,
    pub generation: u64,
    #[serde(deserialize_with = "crate::encoding::de_instance")]
    pub instance: String,
    pub kind: OrgKeyKind,
    pub organisation: Id,
    pub recipient: AgeRecipient,
    pub v: V1,
}
kinded!(OrgKey, OrgKeyKind, "org_key");

/// `journal_entry`: one event of a coffre's journal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct JournalEntry {
    pub action: String,
    pub actor: PublicKey,
    pub body_sha256: Hash32,
    pub coffre: Id,
    pub epoch: u64,
    #[serde(deserialize_with = "crate::encoding::de_instance")]
    pub instance: String,
    pub kind: JournalEntryKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mandate: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<Id>,
    pub prev: Hash32,
    /// For a server-signed entry of what a grantee did (`mandate_accessed`,
    /// `paper_deposited`, `mandate_renounced`): the statement hash of the grantee-signed
    /// statement it records (access receipt, upload, renunciation). Absent otherwise, so
    /// older entries keep their bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proof: Option<Hash32>,
    pub seq: u64,
    pub time: u64,
    pub v: V1,
}
kinded!(JournalEntry, JournalEntryKind, "journal_entry");

/// `inclusion_receipt`: the server ordered an entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct InclusionReceipt {
    pub coffre: Id,
    pub entry: Hash32,
    #[serde(deserialize_with = "crate::encoding::de_instance")]
    pub instance: String,
    pub kind: InclusionReceiptKind,
    pub seq: u64,
    pub time: u64,
    pub v: V1,
}
kinded!(InclusionReceipt, InclusionReceiptKind, "inclusion_receipt");

/// `journal_checkpoint`: the owner's device verified the journal up to the entry at `seq`,
/// whose statement hash is `entry` (section 9). Entries up to it are then bound by their
/// hash links alone for a device that checks this one signature.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct JournalCheckpoint {
    pub coffre: Id,
    pub created: u64,
    pub entry: Hash32,
    pub epoch: u64,
    #[serde(deserialize_with = "crate::encoding::de_instance")]
    pub instance: String,
    pub kind: JournalCheckpointKind,
    pub seq: u64,
    pub v: V1,
}
kinded!(
    JournalCheckpoint,
    JournalCheckpointKind,
    "journal_checkpoint"
);

/// `deposit_receipt`: the server accepted the upload whose statement hash is `upload` at
/// `time` (the deposit time readers check mandates and certificates at).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct DepositReceipt {
    pub coffre: Id,
    #[serde(deserialize_with = "crate::encoding::de_instance")]
    pub instance: String,
    pub kind: DepositReceiptKind,
    pub paper: Id,
    pub time: u64,
    pub upload: Hash32,
    pub v: V1,
}
kinded!(DepositReceipt, DepositReceiptKind, "deposit_receipt");

/// `paper_index`: the owner vouches for one index file of a category generation (section 6):
/// its hash and size, and its place `seq` among that generation's indexes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct PaperIndex {
    pub category: Id,
    pub coffre: Id,
    pub created: u64,
    pub epoch: u64,
    pub generation: u64,
    pub index_sha256: Hash32,
    pub index_size: u64,
    #[serde(deserialize_with = "crate::encoding::de_instance")]
    pub instance: String,
    pub kind: PaperIndexKind,
    pub seq: u64,
    pub v: V1,
}
kinded!(PaperIndex, PaperIndexKind, "paper_index");

// ---- encrypted payloads ----

/// `owner_seed` payload, wrapped by each unlock factor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct OwnerSeedPayload {
    pub coffre: Id,
    pub epoch: u64,
    pub kind: OwnerSeedPayloadKind,
    /// b64 of the 32 seed bytes.
    pub seed: SecretBytes32,
    pub v: V1,
}
kinded!(OwnerSeedPayload, OwnerSeedPayloadKind, "owner_seed");

/// `journal_body` payload: the plain-words details of a journal entry, encrypted to the
/// owner (`Debug` does not show them). Every field is optional; the entry's `action` says
/// what happened.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct JournalBodyPayload {
    /// For `restored`: when the backup put back was taken (Unix seconds, the server's
    /// clock at the time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup_time: Option<u64>,
    /// The device's short label, e.g. "Chromium, Linux" (at most 60 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    /// The unlock factor used: `carte`, `passphrase` or `passkey`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor: Option<String>,
    pub kind: JournalBodyPayloadKind,
    pub v: V1,
}
kinded!(JournalBodyPayload, JournalBodyPayloadKind, "journal_body");

impl std::fmt::Debug for JournalBodyPayload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JournalBodyPayload").finish_non_exhaustive()
    }
}

/// `category_key` payload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct CategoryKeyPayload {
    pub category: Id,
    pub coffre: Id,
    pub generation: u64,
    /// `AGE-SECRET-KEY-1…`
    pub identity: SecretIdentity,
    pub kind: CategoryKeyPayloadKind,
    pub v: V1,
}
kinded!(CategoryKeyPayload, CategoryKeyPayloadKind, "category_key");

/// `paper_meta` payload (`Debug` does not show the title, file name or dates).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct PaperMeta {
    pub doc_type: String,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::encoding::de_opt_date"
    )]
    pub expires: Option<String>,
    pub filename: String,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::encoding::de_opt_date"
    )]
    pub issued: Option<String>,
    pub kind: PaperMetaKind,
    pub mime: String,
    pub pages: u64,
    pub paper: Id,
    /// The paper this one is a newer version of (known only to those who read the metadata).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaces: Option<Id>,
    /// SHA-256 of the plaintext content.
    pub sha256: Hash32,
    pub size: u64,
    pub title: String,
    pub v: V1,
}
kinded!(PaperMeta, PaperMetaKind, "paper_meta");

impl std::fmt::Debug for PaperMeta {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PaperMeta")
            .field("mime", &self.mime)
            .field("pages", &self.pages)
            .field("paper", &self.paper)
            .field("size", &self.size)
            .finish_non_exhaustive()
    }
}

/// `org_key_wrap` payload: a generation of the organisation key, wrapped to a member.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct OrgKeyWrapPayload {
    pub generation: u64,
    /// `AGE-SECRET-KEY-1…`
    pub identity: SecretIdentity,
    pub kind: OrgKeyWrapPayloadKind,
    pub organisation: Id,
    pub v: V1,
}
kinded!(OrgKeyWrapPayload, OrgKeyWrapPayloadKind, "org_key_wrap");

/// One paper of a metadata index: its upload statement's hash, its content hash (what a
/// deletion names) and its metadata, exactly the plaintext of its metadata file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct IndexEntry {
    pub content_sha256: Hash32,
    pub meta: PaperMeta,
    pub paper: Id,
    /// `statement_hash` of the paper's `upload` envelope.
    pub upload: Hash32,
}

/// `paper_index_body` payload: the papers of one category generation, sorted by id, to the
/// generation's category key (`Debug` does not show their metadata's human fields).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct PaperIndexBody {
    pub category: Id,
    pub coffre: Id,
    pub generation: u64,
    pub kind: PaperIndexBodyKind,
    pub papers: Vec<IndexEntry>,
    pub v: V1,
}
kinded!(PaperIndexBody, PaperIndexBodyKind, "paper_index_body");
