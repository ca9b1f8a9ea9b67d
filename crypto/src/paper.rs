//! Papers (section 6): seal and open content + metadata + upload statement, deletions and the
//! listing check.

use std::io::{Read, Write};
use std::sync::mpsc::{SyncSender, sync_channel};

use ed25519_dalek::SigningKey;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::Context;
use crate::age_io::{
    decrypt, decrypt_into, decrypt_payload, encrypt, encrypt_into, encrypt_payload, encrypt_stream,
    recipient_of,
};
use crate::category::{check_cert_window, verify_cert};
use crate::encoding::{Hash32, Id, PAYLOAD_CAP, PublicKey, check_date};
use crate::error::{Error, Result};
use crate::keys::public_key;
use crate::kinds::{CategoryCert, Deletion, IndexEntry, PaperMeta, Upload};
use crate::statement::{Envelope, Verified, sign};

/// What the uploader says about a paper, besides what is computed (`Debug` does not show the
/// title, file name or dates).
#[derive(Clone, PartialEq, Eq, Default)]
#[allow(missing_docs)]
pub struct MetaFields {
    pub doc_type: String,
    pub expires: Option<String>,
    pub filename: String,
    pub issued: Option<String>,
    pub mime: String,
    pub pages: u64,
    /// The paper this one replaces (a newer version; the older one stays until deleted).
    pub replaces: Option<Id>,
    pub title: String,
}

impl std::fmt::Debug for MetaFields {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MetaFields")
            .field("mime", &self.mime)
            .field("pages", &self.pages)
            .finish_non_exhaustive()
    }
}

/// A sealed paper, ready to upload.
#[derive(Clone, Debug)]
pub struct SealedPaper {
    /// Content age file.
    pub content: Vec<u8>,
    /// Metadata age file.
    pub meta: Vec<u8>,
    /// Signed upload statement.
    pub statement: Envelope,
}

/// Digests computed while streaming a content file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContentDigest {
    /// SHA-256 of the ciphertext.
    pub ct_sha256: Hash32,
    /// Ciphertext length.
    pub ct_size: u64,
    /// SHA-256 of the plaintext.
    pub plain_sha256: Hash32,
    /// Plaintext length.
    pub plain_size: u64,
}

struct HashingWriter<W> {
    inner: W,
    hash: Sha256,
    n: u64,
}
impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let k = self.inner.write(buf)?;
        self.hash.update(&buf[..k]);
        self.n += k as u64;
        Ok(k)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

struct HashingReader<R> {
    inner: R,
    hash: Sha256,
    n: u64,
}
impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let k = self.inner.read(buf)?;
        self.hash.update(&buf[..k]);
        self.n += k as u64;
        Ok(k)
    }
}

/// Stream-encrypt content to the certified category recipient, hashing both sides.
pub fn seal_content_stream<R: Read, W: Write>(
    cert: &Verified<CategoryCert>,
    input: R,
    output: W,
) -> Result<(W, ContentDigest)> {
    let mut reader = HashingReader {
        inner: input,
        hash: Sha256::new(),
        n: 0,
    };
    let writer = HashingWriter {
        inner: output,
        hash: Sha256::new(),
        n: 0,
    };
    let w = encrypt_stream(
        std::slice::from_ref(&cert.body().recipient),
        &mut reader,
        writer,
    )?;
    let digest = ContentDigest {
        ct_sha256: Hash32(w.hash.finalize().into()),
        ct_size: w.n,
        plain_sha256: Hash32(reader.hash.finalize().into()),
        plain_size: reader.n,
    };
    Ok((w.inner, digest))
}

pub use crate::deposit::{MandateGrant, UploaderPolicy};

/// Below this size a paper is hashed and encrypted on the caller's thread, where a thread
/// would save less than it costs to start (measured: from a 300 kB phone page, it pays).
const PARALLEL_MIN: usize = 256 << 10;

/// Ciphertext handed to the hashing thread in slices of about this size.
const HASH_SLICE: usize = 256 * 1024;

/// A writer into a buffer sized in advance, which hands each finished slice of it to the
/// hashing thread by reference: nothing is copied for the hasher.
struct SliceWriter<'a> {
    rest: &'a mut [u8],
    filled: usize,
    written: usize,
    tx: SyncSender<&'a [u8]>,
}

impl<'a> SliceWriter<'a> {
    /// Hand the bytes written since the last slice to the hasher.
    fn hand_over(&mut self) -> std::io::Result<()> {
        let rest = std::mem::take(&mut self.rest);
        let (done, rest) = rest.split_at_mut(self.filled);
        self.rest = rest;
        self.written += self.filled;
        self.filled = 0;
        self.tx
            .send(done)
            .map_err(|_| std::io::Error::other("hasher stopped"))
    }
}

impl Write for SliceWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let room = &mut self.rest[self.filled..];
        if buf.len() > room.len() {
            return Err(std::io::Error::other("ciphertext beyond its bound"));
        }
        room[..buf.len()].copy_from_slice(buf);
        self.filled += buf.len();
        if self.filled >= HASH_SLICE {
            self.hand_over()?;
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The largest age file one X25519 recipient makes of `len` bytes: the header (bounded by
/// the cap readers apply), the 16-byte payload nonce, and a 16-byte tag per 64 KiB chunk.
fn ciphertext_bound(len: usize) -> usize {
    crate::age_io::HEADER_CAP + 16 + len + 16 * (len / (64 * 1024) + 1)
}

/// Encrypt content held in memory and hash both sides. A large content is encrypted on the
/// caller's thread while one other thread hashes the plaintext, then the ciphertext slices
/// as they are finished (two threads: the hashes together cost about what age does).
fn seal_in_memory(cert: &CategoryCert, content: &[u8]) -> Result<(Vec<u8>, ContentDigest)> {
    let recipients = std::slice::from_ref(&cert.recipient);
    if content.len() < PARALLEL_MIN {
        let ct = encrypt(recipients, content)?;
        let digest = ContentDigest {
            ct_sha256: Hash32::of(&ct),
            ct_size: ct.len() as u64,
            plain_sha256: Hash32::of(content),
            plain_size: content.len() as u64,
        };
        return Ok((ct, digest));
    }
    let mut out = vec![0u8; ciphertext_bound(content.len())];
    let (written, plain_sha256, ct_sha256) = std::thread::scope(|s| {
        let (tx, rx) = sync_channel::<&[u8]>(HASH_QUEUE);
        let hasher = s.spawn(move || {
            let plain = Hash32::of(content);
            let mut h = Sha256::new();
            for slice in rx {
                h.update(slice);
            }
            (plain, Hash32(h.finalize().into()))
        });
        let writer = SliceWriter {
            rest: &mut out[..],
            filled: 0,
            written: 0,
            tx,
        };
        let res = encrypt_into(recipients, content, writer).and_then(|mut w| {
            w.hand_over().map_err(|_| Error::Backend)?;
            Ok(w.written)
        });
        // The writer (and its sender) is gone: the hasher's loop ends.
        let (plain, ct) = hasher.join().map_err(|_| Error::Backend)?;
        Ok::<_, Error>((res?, plain, ct))
    })?;
    out.truncate(written);
    let digest = ContentDigest {
        ct_sha256,
        ct_size: written as u64,
        plain_sha256,
        plain_size: content.len() as u64,
    };
    Ok((out, digest))
}

/// Decrypt content held in memory, checking its SHA-256 against the signed one. A small
/// content is hashed first and decrypted only if it matches; a large one is hashed on a
/// second thread while it decrypts, and a mismatch is reported as if the hash had come
/// first. Either way no plaintext leaves unless the hash matched (a refused one is wiped).
fn open_in_memory(
    ck: &age::x25519::Identity,
    content_ct: &[u8],
    signed: &Hash32,
) -> Result<Zeroizing<Vec<u8>>> {
    if content_ct.len() < PARALLEL_MIN {
        if Hash32::of(content_ct) != *signed {
            return Err(Error::HashMismatch);
        }
        return decrypt(ck, content_ct);
    }
    std::thread::scope(|s| {
        let hasher = s.spawn(|| Hash32::of(content_ct));
        let plain = decrypt(ck, content_ct);
        if hasher.join().map_err(|_| Error::Backend)? != *signed {
            return Err(Error::HashMismatch);
        }
        plain
    })
}

/// Ciphertext slices queued between the encrypting thread and the hashing thread (they are
/// references into the output buffer, so the queue costs no memory).
const HASH_QUEUE: usize = 1024;

/// Seal a paper held in memory: content, metadata and the signed upload statement.
#[allow(clippy::too_many_arguments)]
pub fn seal_paper(
    ctx: &Context,
    uploader: &SigningKey,
    mandate: Option<Id>,
    cert: &Verified<CategoryCert>,
    paper: Id,
    content: &[u8],
    meta: &MetaFields,
    created: u64,
) -> Result<SealedPaper> {
    let (ct, digest) = seal_in_memory(cert.body(), content)?;
    finish_seal(
        ctx, uploader, mandate, cert, paper, ct, digest, meta, created,
    )
}

/// Finish a streamed seal: metadata file and upload statement from the content digest.
#[allow(clippy::too_many_arguments)]
pub fn finish_seal(
    ctx: &Context,
    uploader: &SigningKey,
    mandate: Option<Id>,
    cert: &Verified<CategoryCert>,
    paper: Id,
    content: Vec<u8>,
    digest: ContentDigest,
    meta: &MetaFields,
    created: u64,
) -> Result<SealedPaper> {
    let cert = cert.body();
    check_cert_window(cert, created)?;
    let meta_payload = PaperMeta {
        doc_type: meta.doc_type.clone(),
        expires: meta.expires.clone(),
        filename: meta.filename.clone(),
        issued: meta.issued.clone(),
        kind: Default::default(),
        mime: meta.mime.clone(),
        pages: meta.pages,
        paper,
        replaces: meta.replaces,
        sha256: digest.plain_sha256,
        size: digest.plain_size,
        title: meta.title.clone(),
        v: Default::default(),
    };
    check_meta(&meta_payload)?;
    let meta_ct = encrypt_payload(std::slice::from_ref(&cert.recipient), &meta_payload)?;
    let body = Upload {
        category: cert.category,
        coffre: ctx.coffre,
        content_sha256: digest.ct_sha256,
        content_size: digest.ct_size,
        created,
        epoch: ctx.epoch,
        generation: cert.generation,
        instance: ctx.instance.clone(),
        kind: Default::default(),
        mandate,
        meta_sha256: Hash32::of(&meta_ct),
        paper,
        uploader: public_key(uploader),
        v: Default::default(),
    };
    Ok(SealedPaper {
        content,
        meta: meta_ct,
        statement: sign(&body, &[uploader])?,
    })
}

/// The rules on a metadata payload beyond its encoding: dates are `YYYY-MM-DD`, and a paper
/// does not replace itself (`Malformed`).
pub(crate) fn check_meta(m: &PaperMeta) -> Result<()> {
    m.expires.as_deref().map(check_date).transpose()?;
    m.issued.as_deref().map(check_date).transpose()?;
    if m.replaces == Some(m.paper) {
        return Err(Error::Malformed("a paper cannot replace itself".into()));
    }
    Ok(())
}

/// An opened, fully authenticated paper (`Debug` shows neither the metadata's human fields
/// nor the content).
#[derive(Clone)]
pub struct OpenedPaper {
    /// The verified upload statement.
    pub upload: Upload,
    /// The decrypted metadata.
    pub meta: PaperMeta,
    /// The plaintext content (only returned after every check passed).
    pub content: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for OpenedPaper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenedPaper")
            .field("upload", &self.upload)
            .field("meta", &self.meta)
            .field("content_len", &self.content.len())
            .finish_non_exhaustive()
    }
}

/// What the reader knows before fetching a paper.
pub struct OpenInputs<'a> {
    /// Instance, coffre and epoch.
    pub ctx: &'a Context,
    /// Who may have uploaded.
    pub policy: &'a UploaderPolicy,
    /// The category certificate (owner-signed).
    pub cert: &'a Envelope,
    /// The unwrapped category key (already checked against the certificate).
    pub ck: &'a age::x25519::Identity,
    /// The paper id the reader asked for.
    pub paper: Id,
    /// The server's deposit receipt for the upload (required for an upload under a mandate).
    pub deposit_receipt: Option<&'a Envelope>,
}

impl std::fmt::Debug for OpenInputs<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenInputs")
            .field("ctx", self.ctx)
            .field("paper", &self.paper)
            .finish_non_exhaustive()
    }
}

/// Verify the statement and certificate (steps 1–2 of the download side): signature, signer
/// allowed, context, paper id; for a mandated upload the deposit receipt and the mandate at
/// its time; then the certificate at the deposit time (the owner's own upload: `created`).
pub fn verify_upload(inputs: &OpenInputs<'_>, statement: &Envelope) -> Result<Upload> {
    let (peeked, cert) = verify_upload_statement(
        inputs.ctx,
        inputs.policy,
        inputs.cert,
        inputs.paper,
        inputs.deposit_receipt,
        statement,
    )?;
    if recipient_of(inputs.ck) != cert.recipient {
        return Err(Error::RecipientMismatch);
    }
    Ok(peeked)
}

/// [`verify_upload`] without the category key: what a server that stores the paper checks
/// (it holds certificates, never category keys). Returns the upload and its certificate.
pub fn verify_upload_statement(
    ctx: &Context,
    policy: &UploaderPolicy,
    cert: &Envelope,
    paper: Id,
    deposit_receipt: Option<&Envelope>,
    statement: &Envelope,
) -> Result<(Upload, CategoryCert)> {
    let peeked = statement.peek::<Upload>()?;
    let sigs = statement.sigs();
    if sigs.len() != 1 || sigs[0].key != peeked.uploader {
        return Err(Error::UnauthorisedSigner);
    }
    statement.check_signatures()?;
    ctx.check(&peeked.instance, Some(&peeked.coffre), Some(peeked.epoch))?;
    if peeked.paper != paper {
        return Err(Error::PaperIdMismatch);
    }
    let at = policy.deposit_time(ctx, &peeked, statement, deposit_receipt)?;
    let cert = verify_cert(cert, &policy.owner, ctx, at)?.into_body();
    if cert.category != peeked.category || cert.generation != peeked.generation {
        return Err(Error::ContextMismatch("certificate category or generation"));
    }
    Ok((peeked, cert))
}

/// Open a paper from a content stream. Plaintext is buffered, and returned only once the
/// statement, certificate, ciphertext hash, STREAM authentication and metadata all check
/// (the ciphertext is hashed as it is read; the plaintext is not hashed again).
/// At most `content_size + 1` bytes are read: one more than signed is `HashMismatch`, and
/// the rest of a hostile stream is never read.
pub fn open_paper_stream<R: Read>(
    inputs: &OpenInputs<'_>,
    statement: &Envelope,
    content: R,
    meta_ct: &[u8],
) -> Result<OpenedPaper> {
    let upload = verify_upload(inputs, statement)?;
    check_meta_hash(&upload, meta_ct)?;
    let mut reader = HashingReader {
        inner: content.take(upload.content_size.saturating_add(1)),
        hash: Sha256::new(),
        n: 0,
    };
    let mut plain = Zeroizing::new(Vec::new());
    let res = decrypt_into(inputs.ck, &mut reader, &mut plain);
    // Drain what the decryptor left, so the hash covers the whole ciphertext.
    let drained = std::io::copy(&mut reader, &mut std::io::sink());
    if Hash32(reader.hash.finalize().into()) != upload.content_sha256
        || reader.n != upload.content_size
    {
        return Err(Error::HashMismatch);
    }
    drained.map_err(|_| Error::DecryptionFailed)?;
    res?;
    finish_open(inputs, upload, meta_ct, plain)
}

fn check_meta_hash(upload: &Upload, meta_ct: &[u8]) -> Result<()> {
    if meta_ct.len() > PAYLOAD_CAP {
        return Err(Error::TooLarge {
            size: meta_ct.len(),
            cap: PAYLOAD_CAP,
        });
    }
    if Hash32::of(meta_ct) != upload.meta_sha256 {
        return Err(Error::HashMismatch);
    }
    Ok(())
}

/// The metadata checks, once the content decrypted. The metadata's `sha256` is not checked
/// against the plaintext (section 6): the signed ciphertext hash matched and age
/// authenticated every chunk, so the plaintext is the one the uploader sealed.
fn finish_open(
    inputs: &OpenInputs<'_>,
    upload: Upload,
    meta_ct: &[u8],
    plain: Zeroizing<Vec<u8>>,
) -> Result<OpenedPaper> {
    let meta: PaperMeta = decrypt_payload(inputs.ck, meta_ct)?;
    check_meta(&meta)?;
    if meta.paper != upload.paper {
        return Err(Error::PaperIdMismatch);
    }
    if meta.size != plain.len() as u64 {
        return Err(Error::HashMismatch);
    }
    Ok(OpenedPaper {
        upload,
        meta,
        content: plain,
    })
}

/// A paper's verified upload statement and metadata, without its content: what listing a
/// paper from its own files takes.
#[derive(Clone, Debug)]
pub struct OpenedMeta {
    /// The verified upload statement.
    pub upload: Upload,
    /// Its `statement_hash`.
    pub upload_hash: Hash32,
    /// The decrypted metadata.
    pub meta: PaperMeta,
}

impl OpenedMeta {
    /// The paper's entry in its category generation's index.
    pub fn index_entry(&self) -> IndexEntry {
        IndexEntry {
            content_sha256: self.upload.content_sha256,
            meta: self.meta.clone(),
            paper: self.upload.paper,
            upload: self.upload_hash,
        }
    }
}

/// Open a paper's metadata file, as [`open_paper`] does (statement and certificate, the
/// metadata file's cap and hash, its paper and dates), without the content.
pub fn open_meta(
    inputs: &OpenInputs<'_>,
    statement: &Envelope,
    meta_ct: &[u8],
) -> Result<OpenedMeta> {
    let upload = verify_upload(inputs, statement)?;
    check_meta_hash(&upload, meta_ct)?;
    let meta: PaperMeta = decrypt_payload(inputs.ck, meta_ct)?;
    check_meta(&meta)?;
    if meta.paper != upload.paper {
        return Err(Error::PaperIdMismatch);
    }
    Ok(OpenedMeta {
        upload_hash: statement.hash()?,
        upload,
        meta,
    })
}

/// Open a paper held in memory: no plaintext leaves before the ciphertext hash matched (a
/// small file is hashed before it is decrypted; from 256 KiB both run side by side).
pub fn open_paper(
    inputs: &OpenInputs<'_>,
    statement: &Envelope,
    content_ct: &[u8],
    meta_ct: &[u8],
) -> Result<OpenedPaper> {
    let upload = verify_upload(inputs, statement)?;
    check_meta_hash(&upload, meta_ct)?;
    if content_ct.len() as u64 != upload.content_size {
        return Err(Error::HashMismatch);
    }
    let plain = open_in_memory(inputs.ck, content_ct, &upload.content_sha256)?;
    finish_open(inputs, upload, meta_ct, plain)
}

/// Sign a deletion (owner).
pub fn sign_deletion(
    ctx: &Context,
    owner: &SigningKey,
    paper: Id,
    content_sha256: Hash32,
    created: u64,
) -> Result<Envelope> {
    let body = Deletion {
        coffre: ctx.coffre,
        content_sha256,
        created,
        epoch: ctx.epoch,
        instance: ctx.instance.clone(),
        kind: Default::default(),
        paper,
        v: Default::default(),
    };
    sign(&body, &[owner])
}

/// Verify a deletion against the owner key.
pub fn verify_deletion(env: &Envelope, owner: &PublicKey, ctx: &Context) -> Result<Deletion> {
    let v = env.verify_by::<Deletion>(owner)?.into_body();
    ctx.check(&v.instance, Some(&v.coffre), Some(v.epoch))?;
    Ok(v)
}

/// Check a listing from the host: every paper the owner knows (id, content hash) is listed,
/// or has an owner-signed deletion (verified by the caller with [`verify_deletion`]).
pub fn check_listing(known: &[(Id, Hash32)], listed: &[Id], deletions: &[Deletion]) -> Result<()> {
    for (paper, hash) in known {
        if listed.contains(paper) {
            continue;
        }
        if !deletions
            .iter()
            .any(|d| d.paper == *paper && d.content_sha256 == *hash)
        {
            return Err(Error::PaperMissing);
        }
    }
    Ok(())
}
