//! One error type for the whole protocol, with one variant per attack or malformation.

/// Everything that can go wrong when building or checking Coffre data.
///
/// Each variant has a stable [`Error::code`] used by the shared test vectors and the live peer.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    // --- encoding ---
    /// Input larger than the cap for its kind (section 2.4).
    #[error("input too large: {size} bytes, cap {cap}")]
    TooLarge {
        /// Size seen.
        size: usize,
        /// Cap for this input.
        cap: usize,
    },
    /// The age header has no `---` line within the cap (rage#572).
    #[error("age header larger than the cap or missing its end line")]
    HeaderTooLarge,
    /// Valid JSON, but not its one canonical encoding.
    #[error("not canonical: {0}")]
    NonCanonical(&'static str),
    /// Not JSON of the expected shape.
    #[error("malformed: {0}")]
    Malformed(String),
    /// A field the schema does not know.
    #[error("unknown field")]
    UnknownField,
    /// The same key twice in one object.
    #[error("duplicate field")]
    DuplicateField,
    /// `v` is not a version this implementation knows.
    #[error("unknown version")]
    UnknownVersion,
    /// `kind` is not the kind the caller expected.
    #[error("wrong kind: expected {expected}")]
    WrongKind {
        /// Kind the caller expected.
        expected: &'static str,
    },
    /// Not valid base64url without padding.
    #[error("bad base64url")]
    BadBase64,
    /// A key, recipient or identity that does not parse.
    #[error("bad key")]
    BadKey,
    // --- signatures ---
    /// A signature that does not verify.
    #[error("bad signature")]
    BadSignature,
    /// A valid signature by a key that may not sign this statement.
    #[error("signer not allowed for this statement")]
    UnauthorisedSigner,
    /// Fewer distinct valid signatures than the rule requires.
    #[error("too few signatures")]
    TooFewSignatures,
    /// A statement about another instance, coffre or epoch than expected.
    #[error("statement context mismatch: {0}")]
    ContextMismatch(&'static str),
    // --- categories and papers ---
    /// An unwrapped category key whose recipient is not the certified one.
    #[error("recipient does not match the certificate")]
    RecipientMismatch,
    /// A time outside a certificate's or mandate's validity window.
    #[error("outside the validity window")]
    OutsideValidity,
    /// A hash that does not match the signed one.
    #[error("hash mismatch")]
    HashMismatch,
    /// A statement for another paper than the one asked for (replay).
    #[error("statement names another paper (replayed)")]
    PaperIdMismatch,
    /// A paper the owner uploaded is missing without an owner-signed deletion.
    #[error("paper missing without an owner-signed deletion")]
    PaperMissing,
    /// Decryption failed (no matching identity, or corrupted ciphertext).
    #[error("decryption failed")]
    DecryptionFailed,
    // --- grants ---
    /// A grantee key or recipient other than the one pinned face to face.
    #[error("grantee key does not match the pinned one")]
    GranteeKeyMismatch,
    /// An organisation root other than the pinned one.
    #[error("organisation root does not match the pinned one")]
    RootMismatch,
    /// A dropped access receipt (counter gap).
    #[error("access receipt counter gap")]
    CounterGap,
    /// A server-signed journal entry of a grantee's act whose grantee-signed statement (its
    /// `proof`) is not among those served: the host may have invented the act.
    #[error("journal entry without its grantee-signed statement")]
    ProofMissing,
    /// A grantee-signed statement (access receipt, deposit, renunciation) that no journal
    /// entry records: the host may have hidden the act from the owner's journal.
    #[error("grantee-signed statement without its journal entry")]
    EntryMissing,
    /// A grant that does not allow the operation.
    #[error("not allowed by the mandate")]
    NotAllowed,
    /// A mandate ended (revoked or renounced) at or before the time that matters.
    #[error("mandate revoked or renounced")]
    Revoked,
    // --- chains ---
    /// Sequence numbers not contiguous.
    #[error("sequence gap")]
    SeqGap,
    /// `prev` not equal to the previous statement's hash.
    #[error("broken link")]
    BrokenLink,
    /// A journal entry dated before the one it follows.
    #[error("time goes backwards")]
    TimeReversed,
    /// A chain that ends before the remembered checkpoint.
    #[error("rollback")]
    Rollback,
    /// A different statement at the remembered checkpoint.
    #[error("fork")]
    Fork,
    /// An organisation-chain statement signed by someone who is not a current responsable.
    #[error("signer is not a current responsable")]
    NotAResponsable,
    /// An organisation chain that breaks its own rules (unknown member, double add…).
    #[error("invalid organisation chain: {0}")]
    BadChain(&'static str),
    /// An epoch succession that does not follow from the pinned key.
    #[error("bad epoch succession")]
    BadSuccession,
    // --- misc ---
    /// Randomness or encryption backend failure.
    #[error("crypto backend error")]
    Backend,
}

impl Error {
    /// A stable `snake_case` name, used in the vectors and by the live peer.
    pub fn code(&self) -> &'static str {
        match self {
            Error::TooLarge { .. } => "too_large",
            Error::HeaderTooLarge => "header_too_large",
            Error::NonCanonical(_) => "non_canonical",
            Error::Malformed(_) => "malformed",
            Error::UnknownField => "unknown_field",
            Error::DuplicateField => "duplicate_field",
            Error::UnknownVersion => "unknown_version",
            Error::WrongKind { .. } => "wrong_kind",
            Error::BadBase64 => "bad_base64",
            Error::BadKey => "bad_key",
            Error::BadSignature => "bad_signature",
            Error::UnauthorisedSigner => "unauthorised_signer",
            Error::TooFewSignatures => "too_few_signatures",
            Error::ContextMismatch(_) => "context_mismatch",
            Error::RecipientMismatch => "recipient_mismatch",
            Error::OutsideValidity => "outside_validity",
            Error::HashMismatch => "hash_mismatch",
            Error::PaperIdMismatch => "paper_id_mismatch",
            Error::PaperMissing => "paper_missing",
            Error::DecryptionFailed => "decryption_failed",
            Error::GranteeKeyMismatch => "grantee_key_mismatch",
            Error::RootMismatch => "root_mismatch",
            Error::CounterGap => "counter_gap",
            Error::ProofMissing => "proof_missing",
            Error::EntryMissing => "entry_missing",
            Error::NotAllowed => "not_allowed",
            Error::Revoked => "revoked",
            Error::SeqGap => "seq_gap",
            Error::BrokenLink => "broken_link",
            Error::TimeReversed => "time_reversed",
            Error::Rollback => "rollback",
            Error::Fork => "fork",
            Error::NotAResponsable => "not_a_responsable",
            Error::BadChain(_) => "bad_chain",
            Error::BadSuccession => "bad_succession",
            Error::Backend => "backend",
        }
    }
}

/// Result with the protocol [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
