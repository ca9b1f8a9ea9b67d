//! The owner-signed metadata index of a category generation (section 6): one age file that
//! lists the generation's papers with their metadata, so a client lists 1,000 papers with
//! one unwrap and one signature instead of 1,000 of each, and the host cannot serve an old
//! index or hide a paper unnoticed.

use std::collections::BTreeMap;

use ed25519_dalek::SigningKey;

use crate::Context;
use crate::age_io::{decrypt, encrypt};
use crate::encoding::{
    Hash32, INDEX_CAP, INDEX_ENTRIES_CAP, Id, PublicKey, parse_canonical, to_canonical,
};
use crate::error::{Error, Result};
use crate::kinds::{CategoryCert, Deletion, IndexEntry, JournalEntry, PaperIndex, PaperIndexBody};
use crate::statement::{Envelope, Verified, sign};

/// A sealed index, ready to upload.
#[derive(Clone, Debug)]
pub struct SealedIndex {
    /// The index age file (to the category key).
    pub file: Vec<u8>,
    /// The owner's `paper_index` statement over it.
    pub statement: Envelope,
}

/// What a device remembers of a category generation's index: its `seq` and statement hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IndexCheckpoint {
    /// The index's `seq`.
    pub seq: u64,
    /// `statement_hash` of its `paper_index` statement.
    pub hash: Hash32,
}

/// Seal an index of `papers` (any order; sorted here) to the certified category recipient,
/// and sign its statement as the owner. `seq` is one more than the generation's previous
/// index (0 for the first).
#[allow(clippy::too_many_arguments)]
pub fn seal_index(
    ctx: &Context,
    owner: &SigningKey,
    cert: &Verified<CategoryCert>,
    seq: u64,
    mut papers: Vec<IndexEntry>,
    created: u64,
) -> Result<SealedIndex> {
    let cert = cert.body();
    papers.sort_by_key(|e| e.paper);
    let body = PaperIndexBody {
        category: cert.category,
        coffre: ctx.coffre,
        generation: cert.generation,
        kind: Default::default(),
        papers,
        v: Default::default(),
    };
    check_papers(&body.papers)?;
    let plain = zeroize::Zeroizing::new(to_canonical(&body)?);
    check_cap(plain.len())?;
    let file = encrypt(std::slice::from_ref(&cert.recipient), &plain)?;
    check_cap(file.len())?;
    let statement = PaperIndex {
        category: cert.category,
        coffre: ctx.coffre,
        created,
        epoch: ctx.epoch,
        generation: cert.generation,
        index_sha256: Hash32::of(&file),
        index_size: file.len() as u64,
        instance: ctx.instance.clone(),
        kind: Default::default(),
        seq,
        v: Default::default(),
    };
    Ok(SealedIndex {
        file,
        statement: sign(&statement, &[owner])?,
    })
}

fn check_cap(size: usize) -> Result<()> {
    if size > INDEX_CAP {
        return Err(Error::TooLarge {
            size,
            cap: INDEX_CAP,
        });
    }
    Ok(())
}

/// The rules on an index's papers, in this order: at most [`INDEX_ENTRIES_CAP`]
/// (`TooLarge`), sorted by `paper` without duplicates (`NonCanonical`), then each entry's
/// metadata names its paper (`PaperIdMismatch`), has well-formed dates and does not replace
/// itself (`Malformed`).
fn check_papers(papers: &[IndexEntry]) -> Result<()> {
    if papers.len() > INDEX_ENTRIES_CAP {
        return Err(Error::TooLarge {
            size: papers.len(),
            cap: INDEX_ENTRIES_CAP,
        });
    }
    if !papers.windows(2).all(|w| w[0].paper < w[1].paper) {
        return Err(Error::NonCanonical("index papers not sorted or repeated"));
    }
    for e in papers {
        if e.meta.paper != e.paper {
            return Err(Error::PaperIdMismatch);
        }
        crate::paper::check_meta(&e.meta)?;
    }
    Ok(())
}

/// Parse an index plaintext: the canonical `paper_index_body` payload ([`INDEX_CAP`]), then
/// the rules on its papers.
pub fn parse_index_body(plain: &[u8]) -> Result<PaperIndexBody> {
    let body: PaperIndexBody = parse_canonical(plain, INDEX_CAP)?;
    check_papers(&body.papers)?;
    Ok(body)
}

/// What the reader knows before fetching an index.
pub struct IndexInputs<'a> {
    /// Instance, coffre and the **current** epoch (an index is re-signed at a new epoch).
    pub ctx: &'a Context,
    /// The owner key of the current epoch.
    pub owner: &'a PublicKey,
    /// The category key of the generation (unwrapped and checked against its certificate).
    pub ck: &'a age::x25519::Identity,
    /// The category listed.
    pub category: Id,
    /// Its generation.
    pub generation: u64,
    /// This device's last verified index of that generation, if any.
    pub remembered: Option<IndexCheckpoint>,
}

impl std::fmt::Debug for IndexInputs<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndexInputs")
            .field("ctx", self.ctx)
            .field("category", &self.category)
            .field("generation", &self.generation)
            .field("remembered", &self.remembered)
            .finish_non_exhaustive()
    }
}

/// A verified, decrypted index.
#[derive(Clone, Debug)]
pub struct OpenedIndex {
    /// The owner's statement.
    pub statement: PaperIndex,
    /// What to remember of it.
    pub checkpoint: IndexCheckpoint,
    /// Its papers, sorted by id.
    pub papers: Vec<IndexEntry>,
}

/// Verify and open an index, in this order: the statement (one signature, by the owner:
/// `UnauthorisedSigner`, `BadSignature`), its instance, coffre and epoch
/// (`ContextMismatch`), its category and generation (`ContextMismatch`), against the
/// remembered checkpoint (an older `seq` is `Rollback`, the same `seq` with another
/// statement `Fork`), the file (over [`INDEX_CAP`] `TooLarge`; not the signed size or
/// SHA-256 `HashMismatch`), decryption (`DecryptionFailed`), the payload
/// ([`parse_index_body`]), and its coffre, category and generation against the statement's
/// (`ContextMismatch`).
pub fn open_index(
    inputs: &IndexInputs<'_>,
    statement: &Envelope,
    file: &[u8],
) -> Result<OpenedIndex> {
    let verified = statement.verify_by::<PaperIndex>(inputs.owner)?;
    let hash = *verified.hash();
    let st = verified.into_body();
    inputs
        .ctx
        .check(&st.instance, Some(&st.coffre), Some(st.epoch))?;
    if st.category != inputs.category || st.generation != inputs.generation {
        return Err(Error::ContextMismatch("index category or generation"));
    }
    if let Some(r) = inputs.remembered {
        if st.seq < r.seq {
            return Err(Error::Rollback);
        }
        if st.seq == r.seq && hash != r.hash {
            return Err(Error::Fork);
        }
    }
    check_cap(file.len())?;
    if file.len() as u64 != st.index_size || Hash32::of(file) != st.index_sha256 {
        return Err(Error::HashMismatch);
    }
    let plain = decrypt(inputs.ck, file)?;
    let body = parse_index_body(&plain)?;
    if body.coffre != st.coffre || body.category != st.category || body.generation != st.generation
    {
        return Err(Error::ContextMismatch("index file of another category"));
    }
    Ok(OpenedIndex {
        checkpoint: IndexCheckpoint { seq: st.seq, hash },
        statement: st,
        papers: body.papers,
    })
}

/// A paper as the host lists it: its id and the hash of the `upload` statement it serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListedPaper {
    /// The paper id.
    pub paper: Id,
    /// `statement_hash` of the listed upload envelope.
    pub upload: Hash32,
}

/// A category generation listed from its index.
#[derive(Debug)]
pub struct CategoryListing<'a> {
    /// Index entries the host lists with the same upload statement: shown from the index,
    /// with no statement to verify nor metadata file to open.
    pub indexed: Vec<&'a IndexEntry>,
    /// Papers the host lists that the index does not hold (newer than it): their upload
    /// statement and metadata file are verified and opened one by one, as without an index.
    pub newer: Vec<Id>,
}

/// Compare an index with the host's listing of the same category generation and the
/// owner's signed deletions (verified by the caller with `verify_deletion`). For each index
/// entry, in order: listed with another upload statement `HashMismatch`; not listed and no
/// deletion of that paper and content hash `PaperMissing`. A paper listed twice with two
/// statements is `HashMismatch`. Papers listed and not in the index are `newer`.
///
/// A paper hidden from both the listing and an old index is caught by a device that
/// remembers a newer index ([`open_index`]: `Rollback`) and by the journal
/// ([`check_journal_papers`]).
pub fn check_index_listing<'a>(
    index: &'a OpenedIndex,
    listed: &[ListedPaper],
    deletions: &[Deletion],
) -> Result<CategoryListing<'a>> {
    let mut by_id: BTreeMap<Id, Hash32> = BTreeMap::new();
    for l in listed {
        if by_id
            .insert(l.paper, l.upload)
            .is_some_and(|h| h != l.upload)
        {
            return Err(Error::HashMismatch);
        }
    }
    let mut indexed = Vec::with_capacity(index.papers.len());
    for e in &index.papers {
        match by_id.remove(&e.paper) {
            Some(h) if h == e.upload => indexed.push(e),
            Some(_) => return Err(Error::HashMismatch),
            None => {
                let deleted = deletions
                    .iter()
                    .any(|d| d.paper == e.paper && d.content_sha256 == e.content_sha256);
                if !deleted {
                    return Err(Error::PaperMissing);
                }
            }
        }
    }
    // What is left is listed and not indexed, in the listing's order.
    let mut newer = Vec::with_capacity(by_id.len());
    for l in listed {
        if by_id.remove(&l.paper).is_some() {
            newer.push(l.paper);
        }
    }
    Ok(CategoryListing { indexed, newer })
}

/// Check the host's listing of the whole coffre against the owner's journal: every paper
/// the journal entries (a page the caller verified with `verify_journal`) add and do not
/// delete afterwards ([`crate::journal::live_papers`]) must be listed (`PaperMissing`).
pub fn check_journal_papers(journal: &[JournalEntry], listed: &[Id]) -> Result<()> {
    let live = crate::journal::live_papers(journal)?;
    let listed: std::collections::BTreeSet<&Id> = listed.iter().collect();
    if live.iter().all(|p| listed.contains(p)) {
        Ok(())
    } else {
        Err(Error::PaperMissing)
    }
}
