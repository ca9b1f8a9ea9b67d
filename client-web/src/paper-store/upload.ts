// Sending a sealed paper's content in chunks (docs/design/papers-server.md): announced,
// then each chunk the server does not hold yet; a failed chunk is tried again after a
// growing pause, a bounded number of times, and the upload resumes from what the server
// says it holds. Nothing survives a reload: an unfinished upload expires on the server.
import { type Api, ApiError, type UploadState } from '../api';

export interface SendOptions {
  /** Called after each chunk: bytes the server holds, of the total. */
  onProgress?: (sent: number, total: number) => void;
  /** Waits `ms` (injected: tests pass one that does not wait). */
  sleep?: (ms: number) => Promise<void>;
  /** Tries per chunk before giving up (default 5). */
  attempts?: number;
}

/**
 * Bytes per chunk: a page made on the phone (at most 375 KB) goes up in one request, which
 * the server keeps as the paper's content without copying it; a larger paper in pieces small
 * enough to send again on a bad connection, and for the progress bar to move.
 */
export const CHUNK_SIZE = 512 * 1024;

/** Pause before try `n` (from 1): 0.5 s, 1 s, 2 s, 4 s… at most 8 s. */
export const backoff = (n: number) => Math.min(8000, 500 * 2 ** (n - 1));

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Whether a failed call may succeed if sent again: no answer (the connection was cut), a
 * timeout, too many requests, or the server's own trouble — not a full disk, an expired
 * upload or a refusal.
 */
export function retryable(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.status === 0 || error.status === 408 || error.status === 429) return true;
  return error.status >= 500 && error.status !== 507;
}

/** Bytes of the chunks in `received`. */
function heldBytes(state: UploadState, received: Iterable<number>): number {
  let n = 0;
  for (const idx of received) n += Math.min(state.chunk_size, state.content_size - idx * state.chunk_size);
  return n;
}

/** Announces `content` and sends every chunk; returns the upload id, ready to commit. */
export async function sendContent(api: Api, content: Uint8Array, options: SendOptions = {}): Promise<string> {
  const sleep = options.sleep ?? wait;
  const attempts = options.attempts ?? 5;
  const state = await api.startUpload(content.length, CHUNK_SIZE);
  const held = new Set(state.received);
  const total = content.length;
  options.onProgress?.(heldBytes(state, held), total);
  for (let idx = 0; idx < state.chunks; idx++) {
    if (held.has(idx)) continue;
    const chunk = content.subarray(idx * state.chunk_size, Math.min(total, (idx + 1) * state.chunk_size));
    for (let attempt = 1; ; attempt++) {
      try {
        await api.putChunk(state.upload, idx, chunk);
        held.add(idx);
        break;
      } catch (e) {
        if (!retryable(e) || attempt >= attempts) throw e;
        await sleep(backoff(attempt));
        // What the server holds now (the chunk may have arrived before the answer was lost).
        const now = await api.upload(state.upload).catch((e2) => {
          if (retryable(e2)) return undefined;
          throw e2;
        });
        if (now?.received.includes(idx)) {
          for (const r of now.received) held.add(r);
          break;
        }
      }
    }
    options.onProgress?.(heldBytes(state, held), total);
  }
  return state.upload;
}

/** The chunk the server says it lost (a power cut took a chunk it had not synced yet). */
export function lostChunk(error: unknown): number | undefined {
  if (!(error instanceof ApiError) || error.status !== 400) return undefined;
  const match = /^chunk (\d+) was lost by the server/.exec(error.message);
  return match ? Number(match[1]) : undefined;
}

/**
 * Commits an upload (`commit`), sending again each chunk the server answers it lost, then
 * committing again: at most once per chunk. Any other refusal is thrown as it came.
 */
export async function commitResending<T>(
  api: Pick<Api, 'putChunk' | 'upload'>,
  upload: string,
  content: Uint8Array,
  commit: () => Promise<T>,
): Promise<T> {
  const resent = new Set<number>();
  for (;;) {
    try {
      return await commit();
    } catch (e) {
      const idx = lostChunk(e);
      if (idx === undefined || resent.has(idx)) throw e;
      resent.add(idx);
      const { chunk_size } = await api.upload(upload);
      await api.putChunk(
        upload,
        idx,
        content.subarray(idx * chunk_size, Math.min(content.length, (idx + 1) * chunk_size)),
      );
    }
  }
}
