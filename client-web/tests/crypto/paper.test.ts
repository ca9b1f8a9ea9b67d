import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  b64decode,
  b64encode,
  type CategoryKey,
  CoffreCryptoError,
  canonicalEncode,
  checkPapersPresent,
  decryptWith,
  encryptTo,
  generateCategoryKey,
  generateIdentity,
  type Mandate,
  openCategoryLabel,
  openMandate,
  openPaper,
  openPaperMeta,
  openStatement,
  type PaperMeta,
  recipientOf,
  SigningKey,
  sealCategoryLabel,
  sealPaper,
  sealPayload,
  signCategoryCert,
  signDeletion,
  signDepositReceipt,
  signMandate,
  signStatement,
  type Upload,
  type UploaderPolicy,
  unwrapCategoryKey,
  verifyCategoryCert,
  verifyDeletion,
  wrapCategoryKey,
} from '../../src/crypto';
import { CATEGORY, COFFRE, category, enc, expectCode, flipBit, INSTANCE, owner, PAPER, T0, uuid } from './fixtures';

const o = owner();
const CTX = { instance: INSTANCE, coffre: COFFRE, epoch: 0 };
const meta = {
  doc_type: 'carte_identite',
  filename: 'cni.jpg',
  mime: 'image/jpeg',
  pages: 1,
  title: "Carte d'identité",
};

async function seal(content: Uint8Array, extra: Partial<Parameters<typeof sealPaper>[0]> = {}) {
  const { ck, cert } = category(o);
  const sealed = await sealPaper({
    instance: INSTANCE,
    coffre: COFFRE,
    epoch: 0,
    paper: PAPER,
    cert,
    ownerKey: o.publicKey,
    uploader: o.signing,
    created: T0,
    content,
    meta,
    ...extra,
  });
  const input = {
    instance: INSTANCE,
    coffre: COFFRE,
    epoch: 0,
    paper: PAPER,
    upload: sealed.upload,
    policy: { owner: o.publicKey } as UploaderPolicy,
    cert,
    content: sealed.content,
    meta: sealed.meta,
    key: ck.identity as CategoryKey | string,
    depositReceipt: undefined as Uint8Array | undefined,
  };
  return { ck, cert, sealed, input };
}

describe('papers: seal → open', () => {
  it.each([0, 1, 65535, 65536, 65537, 3 * 65536 + 17])('round-trips %i bytes', { timeout: 30_000 }, async (n) => {
    const content = new Uint8Array(n);
    for (let i = 0; i < n; i++) content[i] = (i * 31) & 0xff;
    const { input } = await seal(content);
    const opened = await openPaper(input);
    expect(opened.plaintext).toEqual(content);
    expect(opened.meta.size).toBe(n);
    expect(opened.meta.title).toBe(meta.title);
  });

  it('property: random contents round-trip', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 140_000 }), async (content) => {
        const { input } = await seal(content);
        expect((await openPaper(input)).plaintext).toEqual(content);
      }),
      { numRuns: 15 },
    );
  }, 60_000);

  it('property: any single-bit flip of the content ciphertext is rejected', async () => {
    const { input } = await seal(new Uint8Array(70_000).fill(1));
    await fc.assert(
      fc.asyncProperty(fc.nat(input.content.length * 8 - 1), async (bit) => {
        await expect(openPaper({ ...input, content: flipBit(input.content, bit) })).rejects.toBeInstanceOf(
          CoffreCryptoError,
        );
      }),
      { numRuns: 60 },
    );
  }, 60_000);

  it('a flip with a matching (host-forged) hash is still caught by age authentication', async () => {
    // Simulates a host that could also rewrite the statement: bypass the hash check by
    // decrypting directly — the age STREAM must still refuse.
    const { input, ck } = await seal(new Uint8Array(100_000).fill(2));
    const bad = flipBit(input.content, input.content.length * 8 - 3);
    await expectCode(decryptWith([ck.identity], bad), 'decryption_failed');
  });
});

describe('papers: opening without hashing the plaintext again (spec 6)', () => {
  /** The owner signs an upload of `content` with `metaBody` as its metadata: an uploader
   * whose files disagree, or whose content does not decrypt. */
  async function signedByUploader(base: Awaited<ReturnType<typeof seal>>, content: Uint8Array, metaBody: PaperMeta) {
    const metaFile = await sealPayload('paper_meta', metaBody, [base.ck.recipient]);
    const up = openStatement<Upload>(base.sealed.upload, 'upload').body;
    const upload = signStatement(
      {
        ...up,
        content_sha256: b64encode(sha256(content)),
        content_size: content.length,
        meta_sha256: b64encode(sha256(metaFile)),
      },
      o.signing,
    );
    return { ...base.input, upload, content, meta: metaFile };
  }
  const sized = (n: number) => Uint8Array.from({ length: n }, (_, i) => i % 251);

  it.each([10, 70_000, 3 << 20])(
    'a tampered or swapped ciphertext of %i bytes is hash_mismatch',
    { timeout: 60_000 },
    async (n) => {
      const a = await seal(sized(n));
      const len = a.input.content.length;
      for (const at of [30, len >> 1, len - 1]) {
        await expectCode(openPaper({ ...a.input, content: flipBit(a.input.content, at * 8 + 5) }), 'hash_mismatch');
      }
      const b = await seal(sized(n).map((x) => x ^ 1));
      await expectCode(openPaper({ ...a.input, content: b.input.content }), 'hash_mismatch');
      // As in Rust, the metadata file is checked first: over its cap is `too_large`.
      await expectCode(
        openPaper({ ...a.input, content: b.input.content, meta: new Uint8Array(256 * 1024 + 1) }),
        'too_large',
      );
    },
  );

  it.each([10, 3 << 20])(
    'a signed ciphertext of %i bytes that does not decrypt is decryption_failed',
    { timeout: 60_000 },
    async (n) => {
      const base = await seal(sized(n));
      const opened = await openPaper(base.input);
      const cut = base.input.content.subarray(0, base.input.content.length - 4);
      await expectCode(openPaper(await signedByUploader(base, cut, opened.meta)), 'decryption_failed');
    },
  );

  it("the metadata's sha256 is not checked on open, its size and paper are", async () => {
    const base = await seal(sized(10));
    const opened = await openPaper(base.input);
    const other = { ...opened.meta, sha256: b64encode(sha256(enc('another plaintext'))) };
    const input = await signedByUploader(base, base.input.content, other);
    expect((await openPaper(input)).plaintext).toEqual(sized(10));
    const wrongSize = await signedByUploader(base, base.input.content, { ...opened.meta, size: 11 });
    await expectCode(openPaper(wrongSize), 'hash_mismatch');
    const otherPaper = await signedByUploader(base, base.input.content, { ...opened.meta, paper: uuid() });
    await expectCode(openPaper(otherPaper), 'paper_id_mismatch');
  });

  it('a newer version names the paper it replaces; the host sees nothing of it', async () => {
    const older = uuid();
    const base = await seal(sized(10), { meta: { ...meta, replaces: older } });
    const opened = await openPaper(base.input);
    expect(opened.meta.replaces).toBe(older);
    expect(new TextDecoder().decode(base.sealed.upload)).not.toContain('replaces');
    await expectCode(seal(sized(10), { meta: { ...meta, replaces: PAPER } }), 'malformed');
    const itself = await signedByUploader(base, base.input.content, { ...opened.meta, replaces: PAPER });
    await expectCode(openPaper(itself), 'malformed');
    await expectCode(openPaperMeta(itself), 'malformed');
  });

  it('seal still writes the plaintext digest and size in the metadata', async () => {
    const { input } = await seal(sized(3 << 20));
    const opened = await openPaper(input);
    expect(opened.meta.sha256).toBe(b64encode(sha256(sized(3 << 20))));
    expect(opened.meta.size).toBe(3 << 20);
  }, 60_000);
});

describe('age files: several recipients, header cap', () => {
  it('encrypts to several recipients, each decrypts', async () => {
    const ids = [generateIdentity(), generateIdentity(), generateIdentity()];
    const file = await encryptTo(ids.map(recipientOf), new Uint8Array([1, 2, 3]));
    for (const id of ids) expect(await decryptWith([id], file)).toEqual(new Uint8Array([1, 2, 3]));
    await expectCode(decryptWith([generateIdentity()], file), 'decryption_failed');
  });
  it('property: 1–5 recipients, sizes around the 64 KiB chunk, each recipient decrypts', async () => {
    const size = fc.oneof(fc.constantFrom(0, 1, 65535, 65536, 65537, 2 * 65536, 2 * 65536 + 1), fc.nat(200_000));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), size, async (n, len) => {
        const ids = Array.from({ length: n }, generateIdentity);
        const plain = new Uint8Array(len).fill(len & 0xff);
        const file = await encryptTo(ids.map(recipientOf), plain);
        for (const id of ids) expect(await decryptWith([id], file)).toEqual(plain);
      }),
      { numRuns: 20 },
    );
  }, 120_000);

  it('refuses a header over 16 KiB before age parses it', async () => {
    const stanza = `-> X25519 ${'A'.repeat(43)}\n${'A'.repeat(43)}\n`;
    const huge = new TextEncoder().encode(`age-encryption.org/v1\n${stanza.repeat(200)}--- ${'A'.repeat(43)}\n`);
    expect(huge.length).toBeGreaterThan(16 * 1024);
    await expectCode(decryptWith([generateIdentity()], huge), 'header_too_large');
    await expectCode(decryptWith([generateIdentity()], new Uint8Array(20_000).fill(0x41)), 'header_too_large');
    await expectCode(
      decryptWith([generateIdentity()], new TextEncoder().encode('age-encryption.org/v1\n')),
      'header_too_large',
    );
  });
});

describe('papers: malicious host', () => {
  it('swapped category recipient: a CK wrap whose identity is not the certified one', async () => {
    const { cert } = category(o);
    const certBody = verifyCategoryCert(cert, o.publicKey, CTX, T0).body;
    const hostKey = generateCategoryKey();
    const wrap = await wrapCategoryKey(
      { coffre: COFFRE, category: CATEGORY, generation: 0, identity: hostKey.identity },
      [o.recipient],
    );
    await expectCode(unwrapCategoryKey(wrap, [o.identity], certBody), 'recipient_mismatch');
  });
  it('swapped category recipient: a certificate not signed by the owner', async () => {
    const host = new SigningKey(new Uint8Array(32).fill(66));
    const hostKey = generateCategoryKey();
    const forged = signCategoryCert(host, {
      instance: INSTANCE,
      coffre: COFFRE,
      epoch: 0,
      category: CATEGORY,
      generation: 0,
      recipient: hostKey.recipient,
      not_before: T0 - 1,
      not_after: T0 + 1,
      created: T0,
    });
    await expectCode(
      sealPaper({
        instance: INSTANCE,
        coffre: COFFRE,
        epoch: 0,
        paper: PAPER,
        cert: forged,
        ownerKey: o.publicKey,
        uploader: o.signing,
        created: T0,
        content: new Uint8Array(1),
        meta,
      }),
      'unauthorised_signer',
    );
  });
  it('swapped CK identity on open (recipient ≠ certificate)', async () => {
    const { input } = await seal(new Uint8Array(10));
    await expectCode(openPaper({ ...input, key: generateIdentity() }), 'recipient_mismatch');
  });
  it('certificate outside its validity window', async () => {
    const { input } = await seal(new Uint8Array(10));
    const { cert: expired } = category(o, [T0 - 1000, T0 - 1]);
    await expectCode(
      sealPaper({
        instance: INSTANCE,
        coffre: COFFRE,
        epoch: 0,
        paper: PAPER,
        cert: expired,
        ownerKey: o.publicKey,
        uploader: o.signing,
        created: T0,
        content: new Uint8Array(1),
        meta,
      }),
      'outside_validity',
    );
    await expectCode(openPaper({ ...input, cert: expired }), 'outside_validity');
  });
  it('forged upload statement (not signed by an allowed uploader)', async () => {
    const host = new SigningKey(new Uint8Array(32).fill(77));
    const { input } = await seal(new Uint8Array(10));
    const { upload: forged } = (await seal(new Uint8Array(10), { uploader: host })).sealed;
    await expectCode(openPaper({ ...input, upload: forged }), 'unauthorised_signer');
    const env = JSON.parse(new TextDecoder().decode(input.upload));
    env.sigs[0].sig = b64encode(flipBit(b64decode(env.sigs[0].sig), 5));
    await expectCode(openPaper({ ...input, upload: canonicalEncode(env) }), 'bad_signature');
  });
  it('replayed upload statement (another paper, or another coffre)', async () => {
    const { input } = await seal(new Uint8Array(10));
    await expectCode(openPaper({ ...input, paper: uuid() }), 'paper_id_mismatch');
    await expectCode(openPaper({ ...input, coffre: uuid() }), 'context_mismatch');
    await expectCode(openPaper({ ...input, epoch: 1 }), 'context_mismatch');
    const other = await seal(new Uint8Array(11));
    await expect(openPaper({ ...input, upload: other.input.upload })).rejects.toBeInstanceOf(CoffreCryptoError);
  });
  it('swapped ciphertext (hash mismatch) before any decryption', async () => {
    const a = await seal(new Uint8Array(10).fill(1));
    const b = await seal(new Uint8Array(10).fill(2));
    await expectCode(openPaper({ ...a.input, content: b.input.content }), 'hash_mismatch');
    await expectCode(openPaper({ ...a.input, meta: b.input.meta }), 'hash_mismatch');
  });
  it('paper deleted without an owner-signed deletion', async () => {
    const { input } = await seal(new Uint8Array(10));
    const upload = (await openPaper(input)).upload.body as Upload;
    await expectCode(() => checkPapersPresent([upload], [], []), 'paper_missing');
    const del = signDeletion(o.signing, {
      instance: INSTANCE,
      coffre: COFFRE,
      epoch: 0,
      paper: PAPER,
      content_sha256: upload.content_sha256,
      created: T0 + 5,
    });
    const d = verifyDeletion(del, o.publicKey, CTX).body;
    expect(() => checkPapersPresent([upload], [d], [])).not.toThrow();
    const hostDel = signDeletion(new SigningKey(new Uint8Array(32).fill(5)), {
      instance: INSTANCE,
      coffre: COFFRE,
      epoch: 0,
      paper: PAPER,
      content_sha256: upload.content_sha256,
      created: T0 + 5,
    });
    await expectCode(() => verifyDeletion(hostDel, o.publicKey, CTX), 'unauthorised_signer');
  });
});

describe('papers deposited by a grantee under a mandate', () => {
  const grantee = new SigningKey(new Uint8Array(32).fill(88));
  const server = new SigningKey(new Uint8Array(32).fill(89));
  const mandateId = '99999999-8888-4777-a666-555555555555';
  const mandate = (rights: Mandate['rights'], categories = [CATEGORY]) =>
    openMandate(
      signMandate(o.signing, {
        instance: INSTANCE,
        coffre: COFFRE,
        epoch: 0,
        mandate: mandateId,
        grantee: { type: 'person', id: uuid(), key: grantee.publicB64, recipient: recipientOf(generateIdentity()) },
        categories,
        rights,
        not_before: T0 - 10,
        not_after: T0 + 10,
        text_sha256: b64encode(new Uint8Array(32)),
        created: T0 - 10,
      }),
      o.publicKey,
      CTX,
    );
  it('a deposit mandate lets its grantee upload; consult-only, other category or stranger do not', async () => {
    const { input: base } = await seal(new Uint8Array(20).fill(4), { uploader: grantee, mandate: mandateId });
    const input = {
      ...base,
      depositReceipt: signDepositReceipt(server, openStatement<Upload>(base.upload, 'upload'), T0),
    };
    const policy = (m: ReturnType<typeof mandate>, keys = [grantee.publicB64]): UploaderPolicy => ({
      owner: o.publicKey,
      serverKey: server.publicB64,
      mandates: [{ mandate: m, keys, ends: [] }],
    });
    expect((await openPaper({ ...input, policy: policy(mandate('deposit')) })).plaintext).toEqual(
      new Uint8Array(20).fill(4),
    );
    expect((await openPaper({ ...input, policy: policy(mandate('consult_deposit')) })).upload.body.mandate).toBe(
      mandateId,
    );
    await expectCode(openPaper({ ...input, policy: policy(mandate('consult')) }), 'unauthorised_signer');
    await expectCode(openPaper({ ...input, policy: policy(mandate('deposit', [uuid()])) }), 'unauthorised_signer');
    await expectCode(openPaper({ ...input, policy: policy(mandate('deposit'), [o.publicKey]) }), 'unauthorised_signer');
    await expectCode(openPaper({ ...input, policy: { owner: o.publicKey } }), 'unauthorised_signer');
  });
});

describe('category labels and key wraps', () => {
  it('label file: owner-signed label readable by its recipients', async () => {
    const grantee = generateIdentity();
    const file = await sealCategoryLabel(
      o.signing,
      { instance: INSTANCE, coffre: COFFRE, epoch: 0, category: CATEGORY, name: 'Santé', icon: 'heart', created: T0 },
      [o.recipient, recipientOf(grantee)],
    );
    const label = await openCategoryLabel(file, [grantee], o.publicKey, CTX, CATEGORY);
    expect(label.name).toBe('Santé');
  });
  it('CK wrap to owner and a grantee unwraps and matches the certificate', async () => {
    const { ck, cert } = category(o);
    const grantee = generateIdentity();
    const wrap = await wrapCategoryKey({ coffre: COFFRE, category: CATEGORY, generation: 0, identity: ck.identity }, [
      o.recipient,
      recipientOf(grantee),
    ]);
    const body = verifyCategoryCert(cert, o.publicKey, CTX, T0).body;
    expect((await unwrapCategoryKey(wrap, [grantee], body)).identity).toBe(ck.identity);
    await expectCode(unwrapCategoryKey(wrap, [o.identity], { ...body, generation: 1 }), 'recipient_mismatch');
  });
});
