//! `coffre blobs self-test`: a round trip through the real blob code path. Also the
//! crash test's victim (`--hold` pauses mid-write so the test can `kill -9` it there).

use std::io;

use bytes::Bytes;
use futures::StreamExt;
use tokio::io::{AsyncBufReadExt, BufReader};

use crate::app;
use crate::blobs::BlobError;
use crate::blobs::write::PART_SIZE;
use crate::clock::SharedClock;
use crate::config::Config;
use crate::db::StoreError;

/// Printed (and flushed) on stdout once a held write is under way.
pub const WRITE_UNDER_WAY: &str = "coffre: blob write under way";

const CHUNK: usize = 256 * 1024;

/// Why the self-test failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SelfTestError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Blob(#[from] BlobError),
    #[error("the blob read back differs from the blob written")]
    Mismatch,
}

/// Writes `size` pseudo-random bytes, reads them back, deletes the blob.
pub async fn blob_self_test(
    config: &Config,
    clock: SharedClock,
    size: u64,
    hold: bool,
) -> Result<String, SelfTestError> {
    app::install_crypto_provider();
    let (store, _instance, _) = app::open_store(config, &clock).await?;
    let (blobs, _sweep) = app::open_blobs(config, store.clone(), clock).await?;

    let source = futures::stream::unfold(0u64, move |sent| async move {
        if sent >= size {
            return None;
        }
        // Past the first part the object store has a partial upload in progress.
        let at_pause = sent >= 2 * PART_SIZE as u64 && sent < 2 * PART_SIZE as u64 + CHUNK as u64;
        if hold
            && at_pause
            && let Err(e) = announce_and_wait().await
        {
            return Some((Err(e), u64::MAX));
        }
        let len = usize::try_from((size - sent).min(CHUNK as u64)).unwrap_or(CHUNK);
        Some((Ok(pattern(sent, len)), sent + len as u64))
    });
    let record = blobs.put_stream(source.boxed()).await?;
    let back = blobs.get_bytes(record.id).await?;
    let expected: Vec<u8> = pattern(0, back.len()).to_vec();
    if back.len() as u64 != size || back != expected {
        return Err(SelfTestError::Mismatch);
    }
    blobs.delete(record.id).await?;
    store.close().await;
    Ok(format!(
        "{size} bytes written, read back and deleted (blob {})",
        record.id
    ))
}

async fn announce_and_wait() -> io::Result<()> {
    use std::io::Write;
    {
        let mut out = io::stdout().lock();
        writeln!(out, "{WRITE_UNDER_WAY}")?;
        out.flush()?;
    }
    let mut line = String::new();
    BufReader::new(tokio::io::stdin())
        .read_line(&mut line)
        .await?;
    Ok(())
}

/// Deterministic bytes depending on their offset (cheap, incompressible enough).
fn pattern(offset: u64, len: usize) -> Bytes {
    (0..len as u64)
        .map(|i| {
            let x = (offset + i).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            (x >> 56) as u8
        })
        .collect::<Vec<u8>>()
        .into()
}
