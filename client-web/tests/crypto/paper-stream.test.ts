// Streaming seal (spec section 6: "streamed for large files"): sealContentStream + finishSeal,
// checked against the in-memory openPaper and sealPaper.
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import {
  b64encode,
  type FinishSealInput,
  finishSeal,
  openPaper,
  sealContentStream,
  sealPaper,
  type Upload,
  verifyStatement,
} from '../../src/crypto';
import { COFFRE, category, expectCode, INSTANCE, owner, PAPER, T0 } from './fixtures';

const o = owner();
const meta = {
  doc_type: 'carte_identite',
  filename: 'scan.pdf',
  mime: 'application/pdf',
  pages: 3,
  title: 'Relevé « été »',
};

function pattern(n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + (i >> 8)) & 0xff;
  return b;
}

/** A stream of `bytes` in chunks cycling through `sizes` (as File.stream() or a network would). */
function chunked(bytes: Uint8Array, sizes: readonly number[] = [65536]): ReadableStream<Uint8Array> {
  let off = 0;
  let k = 0;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (off >= bytes.length) return c.close();
      const n = sizes[k++ % sizes.length]!;
      c.enqueue(bytes.slice(off, off + n));
      off += n;
    },
  });
}

// toEqual walks typed arrays element by element: too slow for megabytes.
const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);

async function readAll(s: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(s).arrayBuffer());
}

function setup() {
  const { ck, cert } = category(o);
  const ctx = { instance: INSTANCE, coffre: COFFRE, epoch: 0, cert, ownerKey: o.publicKey };
  const fin: FinishSealInput = { ...ctx, paper: PAPER, uploader: o.signing, created: T0, meta };
  return { ck, cert, ctx, fin };
}

async function sealStreaming(content: Uint8Array, sizes?: readonly number[]) {
  const s = setup();
  const sealing = await sealContentStream(s.ctx, chunked(content, sizes));
  const ct = await readAll(sealing.stream);
  const sealed = await finishSeal(s.fin, sealing);
  const input = {
    instance: INSTANCE,
    coffre: COFFRE,
    epoch: 0,
    paper: PAPER,
    upload: sealed.upload,
    policy: { owner: o.publicKey },
    cert: s.cert,
    content: ct,
    meta: sealed.meta,
    key: s.ck.identity,
  };
  return { ...s, sealing, ct, sealed, input };
}

describe('papers: streaming seal → in-memory open', () => {
  it.each([0, 1, 65535, 65536, 65537, 3 * 1024 * 1024 + 5])('round-trips %i bytes', { timeout: 60_000 }, async (n) => {
    const content = pattern(n);
    const { input, ct, sealed, sealing } = await sealStreaming(content, [65536, 1000, 100_003, 7]);
    expect(sealing.finished).toBe(true);
    expect(ct.length).toBe(sealing.ciphertextSize(n));
    const opened = await openPaper(input);
    expect(sameBytes(opened.plaintext, content)).toBe(true);
    expect(opened.meta.size).toBe(n);
    expect(opened.meta.sha256).toBe(b64encode(sha256(content)));
    expect(opened.meta.title).toBe(meta.title);
    // The incremental hashes are those of the bytes actually produced and read.
    expect(sealed.digest.ctSha256).toEqual(sha256(ct));
    expect(sealed.digest.ctSize).toBe(ct.length);
    expect(sealed.digest.plainSha256).toEqual(sha256(content));
    expect(sealed.digest.plainSize).toBe(n);
    const up = opened.upload.body;
    expect(up.content_sha256).toBe(b64encode(sha256(ct)));
    expect(up.content_size).toBe(ct.length);
  });

  it('one chunk per byte and a single huge chunk give the same plaintext', async () => {
    const content = pattern(70_000);
    for (const sizes of [[1], [70_000], [65536, 1]]) {
      const { input } = await sealStreaming(content, sizes);
      expect((await openPaper(input)).plaintext).toEqual(content);
    }
  }, 60_000);

  it('the statement and metadata have the same shape as the in-memory ones', async () => {
    const content = pattern(100_000);
    const { ck, cert, fin, input } = await sealStreaming(content);
    const mem = await sealPaper({ ...fin, content });
    const memOpened = await openPaper({ ...input, upload: mem.upload, content: mem.content, meta: mem.meta });
    const streamOpened = await openPaper(input);
    expect(memOpened.plaintext).toEqual(streamOpened.plaintext);
    expect(streamOpened.meta).toEqual(memOpened.meta);
    const strip = (u: Upload) => ({ ...u, content_sha256: '', meta_sha256: '' });
    expect(strip(streamOpened.upload.body)).toEqual(strip(memOpened.upload.body));
    expect(streamOpened.upload.body.content_size).toBe(mem.content.length);
    // The streamed upload verifies as an owner-signed upload statement.
    expect(verifyStatement<Upload>(input.upload, 'upload', o.publicKey).body.paper).toBe(PAPER);
    expect(ck.recipient).toBeTypeOf('string');
    expect(cert.length).toBeGreaterThan(0);
  }, 60_000);

  it('a mandate and uploader other than the owner go into the statement as with sealPaper', async () => {
    const s = setup();
    const sealing = await sealContentStream(s.ctx, chunked(pattern(10)));
    await readAll(sealing.stream);
    const mandate = crypto.randomUUID();
    const sealed = await finishSeal({ ...s.fin, mandate }, sealing);
    expect(verifyStatement<Upload>(sealed.upload, 'upload', o.publicKey).body.mandate).toBe(mandate);
  });
});

describe('papers: streaming seal refuses misuse', () => {
  it('finishSeal before the stream is read to its end: stream_unfinished', async () => {
    const s = setup();
    const sealing = await sealContentStream(s.ctx, chunked(pattern(200_000)));
    await expectCode(finishSeal(s.fin, sealing), 'stream_unfinished');
    // Partly read: still refused.
    const reader = sealing.stream.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    await expectCode(finishSeal(s.fin, sealing), 'stream_unfinished');
    await expectCode(() => sealing.digest(), 'stream_unfinished');
    // Everything read but the end not yet observed: still refused.
    let total = first.value!.length;
    let checkedAtLastByte = false;
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
      total += r.value.length;
      if (total === sealing.ciphertextSize(200_000)) {
        await expectCode(finishSeal(s.fin, sealing), 'stream_unfinished');
        checkedAtLastByte = true;
      }
    }
    expect(checkedAtLastByte).toBe(true);
    expect(sealing.finished).toBe(true);
    await expect(finishSeal(s.fin, sealing)).resolves.toHaveProperty('upload');
  });

  it('a cancelled or failed stream never yields a statement', async () => {
    const s = setup();
    const cancelled = await sealContentStream(s.ctx, chunked(pattern(300_000)));
    const r = cancelled.stream.getReader();
    await r.read();
    await r.cancel('upload aborted');
    await expectCode(finishSeal(s.fin, cancelled), 'stream_unfinished');

    let sent = 0;
    const broken = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent++ < 3) c.enqueue(new Uint8Array(50_000));
        else c.error(new Error('disk read failed'));
      },
    });
    const failed = await sealContentStream(s.ctx, broken);
    await expect(readAll(failed.stream)).rejects.toThrow('disk read failed');
    await expectCode(finishSeal(s.fin, failed), 'stream_unfinished');

    const notBytes = await sealContentStream(
      s.ctx,
      new ReadableStream({
        start: (c) => {
          c.enqueue('text' as unknown as Uint8Array);
          c.close();
        },
      }),
    );
    await expect(readAll(notBytes.stream)).rejects.toMatchObject({ code: 'malformed' });
    await expectCode(finishSeal(s.fin, notBytes), 'stream_unfinished');
  });

  it('checks the certificate: owner signature up front, window at finishSeal, same recipient', async () => {
    const s = setup();
    await expectCode(
      sealContentStream({ ...s.ctx, ownerKey: owner(9).publicKey }, chunked(pattern(1))),
      'unauthorised_signer',
    );
    await expectCode(
      sealContentStream({ ...s.ctx, coffre: crypto.randomUUID() }, chunked(pattern(1))),
      'context_mismatch',
    );
    const sealing = await sealContentStream(s.ctx, chunked(pattern(1000)));
    await readAll(sealing.stream);
    await expectCode(finishSeal({ ...s.fin, created: T0 + 86400 * 365 }, sealing), 'outside_validity');
    const other = setup();
    await expectCode(finishSeal(other.fin, sealing), 'recipient_mismatch');
  });
});
