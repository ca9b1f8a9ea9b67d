// The benchmark workload, bundled for Node and for Chromium alike.
import { ed25519 } from '@noble/curves/ed25519.js';
import { Decrypter, Encrypter } from 'age-encryption';
import {
  b64decode,
  b64encode,
  CategoryKey,
  checkIndexListing,
  checkSignatureEncoding,
  clearPreverified,
  generateCategoryKey,
  identityToCryptoKey,
  indexEntryOf,
  OwnerKeys,
  openPaper,
  openPaperIndex,
  openPaperMeta,
  openPayload,
  openStatement,
  ownerSeedPayload,
  Passphrase,
  parseEnvelope,
  preverify,
  preverifyStatements,
  SigningKey,
  sealPaper,
  sealPaperIndex,
  sealPayload,
  signCategoryCert,
  signedMessage,
  signStatement,
  statementHash,
  type Upload,
  unwrapSeedPassphrase,
  unwrapSeedPassphraseInWorker,
  verifyCategoryCert,
  verifyStatement,
  verifyStrict,
  wrapSeedPassphrase,
} from '../src/crypto';

const INSTANCE = 'http://localhost:8080';
const COFFRE = '6f1c2b8e-3d4a-4b5c-9d6e-7f8091a2b3c4';
const CATEGORY = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const PAPER = '0f9e8d7c-6b5a-4938-a716-253443526170';
const T0 = 1_780_000_000;

function randomContent(n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let o = 0; o < n; o += 65536) crypto.getRandomValues(b.subarray(o, Math.min(n, o + 65536)));
  return b;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Median ms of seal/open (module) and encrypt/decrypt (raw age-encryption) on `size` bytes. */
export async function throughput(size: number, runs: number) {
  const content = randomContent(size);
  const owner = OwnerKeys.fromSeed(randomContent(32));
  const ck = generateCategoryKey();
  const cert = signCategoryCert(owner.signing, {
    instance: INSTANCE,
    coffre: COFFRE,
    epoch: 0,
    category: CATEGORY,
    generation: 0,
    recipient: ck.recipient,
    not_before: T0 - 10,
    not_after: T0 + 10,
    created: T0,
  });
  const t = { seal: [] as number[], open: [] as number[], ageEncrypt: [] as number[], ageDecrypt: [] as number[] };
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    const sealed = await sealPaper({
      instance: INSTANCE,
      coffre: COFFRE,
      epoch: 0,
      paper: PAPER,
      cert,
      ownerKey: owner.publicKey,
      uploader: owner.signing,
      created: T0,
      content,
      meta: { doc_type: 'autre', filename: 'scan.pdf', mime: 'application/pdf', pages: 3, title: 'Scan' },
    });
    t.seal.push(performance.now() - t0);
    t0 = performance.now();
    const opened = await openPaper({
      instance: INSTANCE,
      coffre: COFFRE,
      epoch: 0,
      paper: PAPER,
      upload: sealed.upload,
      policy: { owner: owner.publicKey },
      cert,
      content: sealed.content,
      meta: sealed.meta,
      key: ck.identity,
    });
    t.open.push(performance.now() - t0);
    if (opened.plaintext.length !== size) throw new Error('bad round trip');

    t0 = performance.now();
    const e = new Encrypter();
    e.addRecipient(ck.recipient);
    const raw = await e.encrypt(content);
    t.ageEncrypt.push(performance.now() - t0);
    t0 = performance.now();
    const d = new Decrypter();
    d.addIdentity(ck.identity);
    const back = await d.decrypt(raw);
    t.ageDecrypt.push(performance.now() - t0);
    if (back.length !== size) throw new Error('bad raw round trip');
  }
  return {
    size,
    runs,
    seal: median(t.seal),
    open: median(t.open),
    ageEncrypt: median(t.ageEncrypt),
    ageDecrypt: median(t.ageDecrypt),
  };
}

// Six words of the list (the passphrase API takes only a checked `Passphrase`).
const PASSPHRASE = Passphrase.parse('abri balai cadre dune farine abord');
const SEED = new Uint8Array(32).fill(7);

/** A passphrase seed wrap at a given work factor (made outside the measured run). */
export async function makePassphraseWrap(logN: number): Promise<Uint8Array> {
  return wrapSeedPassphrase(ownerSeedPayload(COFFRE, 0, SEED), PASSPHRASE, logN);
}

/** Unwraps the seed and derives the owner keys, as an unlock does; returns ms. */
export async function unlockPassphrase(file: Uint8Array): Promise<number> {
  const t0 = performance.now();
  const payload = await unwrapSeedPassphrase(file, PASSPHRASE);
  OwnerKeys.fromSeed(new Uint8Array(32).fill(7));
  const ms = performance.now() - t0;
  if (payload.epoch !== 0) throw new Error('bad unwrap');
  return ms;
}

/**
 * Unwraps in a module worker (bench/.out/passphrase-worker.mjs, built from
 * src/crypto/passphrase.worker.ts) and counts how many 50 ms ticks the page's main thread
 * still ran meanwhile (responsiveness). Returns [ms, ticks].
 */
export async function unlockInWorker(file: Uint8Array): Promise<[number, number]> {
  // Built separately by browser.mjs; resolved against the page so Vite leaves it alone.
  const workerUrl = String(new URL('passphrase-worker.mjs', location.href));
  const worker = new Worker(workerUrl, { type: 'module' });
  let ticks = 0;
  const timer = setInterval(() => ticks++, 50);
  const t0 = performance.now();
  try {
    const payload = await unwrapSeedPassphraseInWorker(worker, file, PASSPHRASE);
    if (payload.epoch !== 0) throw new Error('bad unwrap');
    return [performance.now() - t0, ticks];
  } finally {
    clearInterval(timer);
    worker.terminate();
  }
}

/** The same on the main thread, for comparison. */
export async function unlockOnMainThread(file: Uint8Array): Promise<[number, number]> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 50);
  await new Promise((r) => setTimeout(r, 0));
  const t0 = performance.now();
  try {
    await unwrapSeedPassphrase(file, PASSPHRASE);
    return [performance.now() - t0, ticks];
  } finally {
    clearInterval(timer);
  }
}

/**
 * Listing cost: open `n` per-paper metadata envelopes (one X25519 unwrap each) with the CK as
 * an identity string vs as a non-extractable WebCrypto key. Returns [msString, msCryptoKey].
 */
export async function listingCost(n: number): Promise<[number, number]> {
  const ck = generateCategoryKey();
  const files: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    files.push(
      await sealPayload(
        'paper_meta',
        {
          doc_type: 'autre',
          filename: `p${i}.pdf`,
          kind: 'paper_meta',
          mime: 'application/pdf',
          pages: 1,
          paper: PAPER,
          sha256: 'A'.repeat(43),
          size: 1,
          title: `Papier ${i}`,
          v: 1,
        },
        [ck.recipient],
      ),
    );
  }
  const key = await identityToCryptoKey(ck.identity);
  let t0 = performance.now();
  for (const f of files) await openPayload('paper_meta', f, [ck.identity]);
  const viaString = performance.now() - t0;
  t0 = performance.now();
  for (const f of files) await openPayload('paper_meta', f, [key]);
  return [viaString, performance.now() - t0];
}

/**
 * Listing `n` papers of one category generation, as the owner's client does after unlock:
 * (envelopes) `openPaperMeta` on each paper's upload statement and metadata file — statement
 * and certificate verified, one X25519 unwrap each — with CK as an identity string and as a
 * non-extractable WebCrypto key; (index) `openPaperIndex` on one index of the same papers
 * plus `checkIndexListing` against the listing (each listed upload envelope hashed);
 * (index + 10 newer) the same with 10 more papers opened from their own files. Setup (sealing
 * the papers and the index) is not timed. Returns ms of each, the index file's size, and
 * the papers shown.
 */
export async function indexListing(n: number, newer = 10) {
  const owner = OwnerKeys.fromSeed(new Uint8Array(32).fill(3));
  const ck = generateCategoryKey();
  const ctx = { instance: INSTANCE, coffre: COFFRE, epoch: 0 };
  const cert = signCategoryCert(owner.signing, {
    ...ctx,
    category: CATEGORY,
    generation: 0,
    recipient: ck.recipient,
    not_before: T0 - 10,
    not_after: T0 + 10_000,
    created: T0,
  });
  const papers: { paper: string; upload: Uint8Array; meta: Uint8Array }[] = [];
  for (let i = 0; i < n + newer; i++) {
    const paper = crypto.randomUUID();
    const s = await sealPaper({
      ...ctx,
      paper,
      cert,
      ownerKey: owner.publicKey,
      uploader: owner.signing,
      created: T0 + i,
      content: new Uint8Array(16).fill(i & 0xff),
      meta: {
        doc_type: 'attestation_caf',
        expires: '2027-06-30',
        filename: `attestation-${i}.jpg`,
        mime: 'image/jpeg',
        pages: 2,
        title: `Attestation CAF n°${i}`,
      },
    });
    papers.push({ paper, upload: s.upload, meta: s.meta });
  }
  const key = await CategoryKey.fromIdentity(
    ck.identity,
    verifyCertForBench(cert, owner.publicKey).body,
  ).nonExtractable();
  const metaInput = (p: (typeof papers)[number], k: CategoryKey | string) => ({
    ...ctx,
    paper: p.paper,
    upload: p.upload,
    policy: { owner: owner.publicKey },
    cert,
    meta: p.meta,
    key: k,
  });
  const entries = [];
  for (const p of papers.slice(0, n)) entries.push(indexEntryOf(await openPaperMeta(metaInput(p, ck.identity))));
  const index = await sealPaperIndex({
    ...ctx,
    cert,
    ownerKey: owner.publicKey,
    owner: owner.signing,
    seq: 0,
    papers: entries,
    created: T0 + 99,
  });

  const fromEnvelopes = async (k: CategoryKey | string, list: typeof papers) => {
    const t0 = performance.now();
    for (const p of list) await openPaperMeta(metaInput(p, k));
    return performance.now() - t0;
  };
  const fromIndex = async (list: typeof papers) => {
    const t0 = performance.now();
    const opened = await openPaperIndex({
      ...ctx,
      ownerKey: owner.publicKey,
      key,
      category: CATEGORY,
      generation: 0,
      ...index,
    });
    const listing = checkIndexListing(
      opened,
      list.map((p) => ({ paper: p.paper, upload: b64encode(statementHash(p.upload)) })),
      [],
    );
    const byId = new Map(list.map((p) => [p.paper, p]));
    for (const id of listing.newer) await openPaperMeta(metaInput(byId.get(id)!, key));
    const ms = performance.now() - t0;
    if (listing.indexed.length !== n || listing.newer.length !== list.length - n) throw new Error('bad listing');
    return ms;
  };
  const first = papers.slice(0, n);
  // Warm-up (JIT, key caches), then one timed pass of each.
  await fromEnvelopes(key, first.slice(0, 20));
  await fromIndex(first);
  return {
    n,
    newer,
    indexBytes: index.file.length,
    envelopesString: await fromEnvelopes(ck.identity, first),
    envelopesCryptoKey: await fromEnvelopes(key, first),
    index: await fromIndex(first),
    indexPlusNewer: await fromIndex(papers),
  };
}

function verifyCertForBench(cert: Uint8Array, ownerKey: string) {
  return verifyCategoryCert(cert, ownerKey, { instance: INSTANCE, coffre: COFFRE, epoch: 0 }, T0);
}

/** The signature workload's variants, in the order they are timed and printed. */
export const SIGNATURE_VARIANTS = [
  ['noble', '(a) @noble/curves `ed25519.verify(sig, msg, key, {zip215: false})`'],
  ['strict', '(b) `verifyStrict` (acceptance set, key cache warm)'],
  ['statement', "(c) `verifyStatement(bytes, 'upload', key)`"],
  ['open', "(c′) `openStatement(bytes, 'upload')` (what `openPaper` calls)"],
  ['rCheck', 'part of (b): `checkSignatureEncoding` (R canonical, torsion-free; S < L)'],
  ['preverified', '(d) `preverify` of the whole batch (WebCrypto), then `verifyStrict` each'],
  ['openPreverified', "(d′) `preverifyStatements` of the batch, then `openStatement(bytes, 'upload')` each"],
] as const;

/**
 * Ed25519 verification: noble's `ed25519.verify` alone vs `verifyStrict` (the acceptance set)
 * vs a whole upload statement, over `n` distinct statements signed by one key — every variant
 * checks the same signatures. Passes are interleaved (each pass times every variant once) after
 * a warm-up pass that also fills the key cache. Returns the median ms per verification of each.
 */
export async function signatures(n: number, runs: number) {
  const uploader = new SigningKey(new Uint8Array(32).fill(9));
  const wire: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const paper = `${i.toString(16).padStart(8, '0')}-6b5a-4938-a716-253443526170`;
    const upload: Upload = {
      kind: 'upload',
      v: 1,
      instance: INSTANCE,
      coffre: COFFRE,
      epoch: 0,
      paper,
      category: CATEGORY,
      generation: 0,
      content_sha256: b64encode(randomContent(32)),
      meta_sha256: b64encode(randomContent(32)),
      content_size: 300_000 + i,
      uploader: uploader.publicB64,
      created: T0 + i,
    };
    wire.push(signStatement(upload, uploader));
  }
  const signed = wire.map((w) => {
    const { env, bodyBytes } = parseEnvelope(w);
    return { msg: signedMessage(bodyBytes), sig: b64decode(env.sigs[0]!.sig, 64) };
  });
  const key = uploader.publicKey;
  const keyB64 = uploader.publicB64;
  const triples = signed.map(({ msg, sig }) => ({ key, message: msg, signature: sig }));
  // Each pass of (d) and (d′) starts with nothing preverified, and leaves nothing behind.
  const run: Record<(typeof SIGNATURE_VARIANTS)[number][0], () => void | Promise<void>> = {
    noble: () => {
      for (const { msg, sig } of signed) if (!ed25519.verify(sig, msg, key, { zip215: false })) throw new Error('bad');
    },
    strict: () => {
      for (const { msg, sig } of signed) verifyStrict(key, msg, sig);
    },
    statement: () => {
      for (const w of wire) verifyStatement(w, 'upload', keyB64);
    },
    open: () => {
      for (const w of wire) openStatement(w, 'upload');
    },
    rCheck: () => {
      for (const { sig } of signed) checkSignatureEncoding(sig);
    },
    preverified: async () => {
      await preverify(triples);
      for (const { msg, sig } of signed) verifyStrict(key, msg, sig);
      clearPreverified();
    },
    openPreverified: async () => {
      await preverifyStatements(wire);
      for (const w of wire) openStatement(w, 'upload');
      clearPreverified();
    },
  };
  const samples = Object.fromEntries(SIGNATURE_VARIANTS.map(([k]) => [k, [] as number[]])) as Record<
    keyof typeof run,
    number[]
  >;
  for (const [k] of SIGNATURE_VARIANTS) await run[k](); // warm-up; fills the key cache
  for (let r = 0; r < runs; r++) {
    for (const [k] of SIGNATURE_VARIANTS) {
      const t0 = performance.now();
      await run[k]();
      samples[k].push((performance.now() - t0) / n);
    }
  }
  return {
    n,
    runs,
    ms: Object.fromEntries(SIGNATURE_VARIANTS.map(([k]) => [k, median(samples[k])])),
    min: Object.fromEntries(SIGNATURE_VARIANTS.map(([k]) => [k, Math.min(...samples[k])])),
    max: Object.fromEntries(SIGNATURE_VARIANTS.map(([k]) => [k, Math.max(...samples[k])])),
  };
}
