// A chunk the server lost (a power cut took it before it was synced) is sent again at
// commit, once, then the commit is tried again (src/paper-store/upload.ts).
import { describe, expect, it } from 'vitest';
import { ApiError, type UploadState } from '../../src/api';
import { commitResending, lostChunk } from '../../src/paper-store/upload';

const CHUNK = 4;
const content = Uint8Array.from({ length: 10 }, (_, i) => i);
const state: UploadState = {
  upload: 'u1',
  content_size: 10,
  chunk_size: CHUNK,
  chunks: 3,
  received: [0, 1, 2],
} as UploadState;
const lost = (idx: number) => new ApiError(400, 'bad_request', `chunk ${idx} was lost by the server: send it again`);

function host(lostOnce: number[]) {
  const sent: [number, number[]][] = [];
  const missing = new Set(lostOnce);
  let commits = 0;
  return {
    sent,
    commits: () => commits,
    api: {
      upload: async () => state,
      putChunk: async (_id: string, idx: number, bytes: Uint8Array) => {
        sent.push([idx, [...bytes]]);
        missing.delete(idx);
      },
    },
    commit: async () => {
      commits++;
      const first = [...missing][0];
      if (first !== undefined) throw lost(first);
      return 'filed';
    },
  };
}

describe('a chunk lost by the server', () => {
  it('is read from the message, and only from a 400 that says it', () => {
    expect(lostChunk(lost(7))).toBe(7);
    expect(lostChunk(new ApiError(422, 'hash_mismatch', 'chunk 7 was lost by the server'))).toBeUndefined();
    expect(lostChunk(new ApiError(400, 'bad_request', 'chunks 2 are missing'))).toBeUndefined();
    expect(lostChunk(new Error('chunk 1 was lost by the server'))).toBeUndefined();
  });

  it('is sent again with its own bytes, then the commit succeeds', async () => {
    const h = host([2, 0]);
    await expect(commitResending(h.api, 'u1', content, h.commit)).resolves.toBe('filed');
    expect(h.sent).toEqual([
      [2, [8, 9]],
      [0, [0, 1, 2, 3]],
    ]);
    expect(h.commits()).toBe(3);
  });

  it('a chunk lost again after it was sent again: the refusal is thrown, not a loop', async () => {
    const h = host([]);
    let commits = 0;
    const always = async () => {
      commits++;
      throw lost(1);
    };
    await expect(commitResending(h.api, 'u1', content, always)).rejects.toThrow('chunk 1 was lost');
    expect(commits).toBe(2);
    expect(h.sent.map(([i]) => i)).toEqual([1]);
  });

  it('any other refusal is thrown as it came, nothing sent', async () => {
    const h = host([]);
    const refused = new ApiError(422, 'hash_mismatch', 'the content is not the signed one');
    await expect(
      commitResending(h.api, 'u1', content, async () => {
        throw refused;
      }),
    ).rejects.toBe(refused);
    expect(h.sent).toEqual([]);
  });
});
