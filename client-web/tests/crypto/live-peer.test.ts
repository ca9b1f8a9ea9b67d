// Live round-trip with the Rust implementation (spec section 12), both directions.
// The peer is built once (in CARGO_TARGET_DIR, default the workspace target/, shared with the Rust
// engineer), then run once per request: one JSON request on stdin, one JSON response out.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  b64decode,
  b64encode,
  canonicalEncode,
  decryptWith,
  encryptTo,
  errorCodeOf,
  finishSeal,
  generateCarte,
  generateCategoryKey,
  generateIdentity,
  generatePassphrase,
  type JsonObject,
  type Member,
  OwnerKeys,
  openPaper,
  openStatement,
  ownerSeedPayload,
  PASSPHRASE_SCRYPT_LOG_N,
  Passphrase,
  passkeyIdentity,
  recipientOf,
  SigningKey,
  sealContentStream,
  sealPaper,
  signCategoryCert,
  signOrgChainEntry,
  signStatement,
  statementHash,
  unwrapSeedPassphrase,
  verifyOrgChain,
  verifyStatement,
  wrapSeed,
  wrapSeedPassphrase,
} from '../../src/crypto';
import { CATEGORY, COFFRE, dec, flipBit, INSTANCE, PAPER, T0 } from './fixtures';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const TARGET = process.env.CARGO_TARGET_DIR ?? `${REPO}target`;
const PEER_BIN = `${TARGET}/debug/examples/peer`;

function peer(req: object): JsonObject {
  const r = spawnSync(PEER_BIN, [], {
    input: JSON.stringify(req),
    encoding: 'utf8',
    timeout: 30_000,
    maxBuffer: 64 << 20,
  });
  if (r.signal)
    throw new Error(`peer killed by ${r.signal} (timed out after 30 s?) on op ${(req as { op?: string }).op}`);
  if (r.status !== 0) throw new Error(`peer exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as JsonObject;
}
function peerOk(req: object): JsonObject {
  const res = peer(req);
  if ('error' in res) throw new Error(`peer error ${String(res.error)} for ${JSON.stringify(req).slice(0, 200)}`);
  return res;
}
const bytesOf = (s: unknown) => b64decode(s as string);

const seed = new Uint8Array(32).map((_, i) => i);
const owner = OwnerKeys.fromSeed(seed);
const body = { kind: 'revocation', v: 1, instance: INSTANCE, coffre: COFFRE, epoch: 0, mandate: PAPER, created: T0 };

describe('live Rust peer', () => {
  beforeAll(() => {
    // The first build may compile the crate: generous timeout.
    execFileSync('cargo', ['build', '-q', '--workspace', '--example', 'peer'], {
      cwd: REPO,
      env: { ...process.env, CARGO_TARGET_DIR: TARGET },
      stdio: 'inherit',
      timeout: 900_000,
    });
  }, 900_000);

  it('JS encrypts (several recipients, several chunks) → Rust decrypts', async () => {
    const ids = [generateIdentity(), generateIdentity()];
    for (const size of [0, 1, 65536, 200_000]) {
      const plain = new Uint8Array(size).map((_, i) => i * 7);
      const file = await encryptTo(ids.map(recipientOf), plain);
      for (const identity of ids) {
        expect(bytesOf(peerOk({ op: 'decrypt', identity, ciphertext: b64encode(file) }).plaintext)).toEqual(plain);
      }
    }
  }, 120_000);

  it('Rust encrypts → JS decrypts; Rust refuses a flipped ciphertext', async () => {
    const identity = generateIdentity();
    const plain = new Uint8Array(70_000).map((_, i) => i * 3);
    const file = bytesOf(
      peerOk({ op: 'encrypt', recipients: [recipientOf(identity)], plaintext: b64encode(plain) }).ciphertext,
    );
    expect(await decryptWith([identity], file)).toEqual(plain);
    const flipped = flipBit(file, file.length * 8 - 9);
    expect(peer({ op: 'decrypt', identity, ciphertext: b64encode(flipped) }).error).toBe('decryption_failed');
    await expect(decryptWith([identity], flipped)).rejects.toMatchObject({ code: 'decryption_failed' });
  }, 60_000);

  it('signatures: byte-identical envelopes both ways, each verifies the other', () => {
    const js = signStatement(body, owner.signing);
    const rs = peerOk({ op: 'sign', seed: b64encode(seed), body }).envelope as JsonObject;
    expect(dec(canonicalEncode(rs))).toBe(dec(js));
    expect(verifyStatement(canonicalEncode(rs), 'revocation', owner.publicKey).body).toEqual(body);
    const v = peerOk({ op: 'verify', kind: 'revocation', key: owner.publicKey, envelope: JSON.parse(dec(js)) });
    expect(v.body).toEqual(body);
  });

  it('both refuse the same forgeries with the same error names', () => {
    const js = signStatement(body, owner.signing);
    const env = JSON.parse(dec(js));
    const other = OwnerKeys.fromSeed(new Uint8Array(32).fill(1));
    const cases: [string, object, string, string][] = [
      ['wrong signer', env, other.publicKey, 'unauthorised_signer'],
      [
        'flipped signature',
        { ...env, sigs: [{ ...env.sigs[0], sig: b64encode(flipBit(b64decode(env.sigs[0].sig), 3)) }] },
        owner.publicKey,
        'bad_signature',
      ],
      ['wrong kind', env, owner.publicKey, 'wrong_kind'],
    ];
    for (const [name, e, key, code] of cases) {
      const kind = name === 'wrong kind' ? 'deletion' : 'revocation';
      let jsCode = '';
      try {
        verifyStatement(canonicalEncode(e), kind as 'revocation', key);
      } catch (err) {
        jsCode = (err as { code: string }).code;
      }
      const r = peer({ op: 'verify', kind, key, envelope: e });
      expect(jsCode, name).toBe(code);
      expect(errorCodeOf(String(r.error)), name).toBe(code);
    }
  });

  it('passphrase seed wraps (scrypt) both ways', async () => {
    const passphrase = generatePassphrase();
    const payload = ownerSeedPayload(COFFRE, 0, seed);
    const jsWrap = await wrapSeedPassphrase(payload, Passphrase.parse(passphrase));
    expect(peerOk({ op: 'unwrap_seed_passphrase', passphrase, ciphertext: b64encode(jsWrap) }).payload).toEqual(
      payload,
    );
    const rsWrap = bytesOf(peerOk({ op: 'wrap_seed_passphrase', passphrase, payload }).ciphertext);
    expect(dec(rsWrap.subarray(0, 120))).toContain(` ${PASSPHRASE_SCRYPT_LOG_N}\n`);
    expect(await unwrapSeedPassphrase(rsWrap, Passphrase.parse(passphrase))).toEqual(payload);
  }, 120_000);

  it('papers: JS seals → Rust opens; Rust seals → JS opens; both refuse the same tampering', async () => {
    const ck = generateCategoryKey();
    const cert = signCategoryCert(owner.signing, {
      instance: INSTANCE,
      coffre: COFFRE,
      epoch: 0,
      category: CATEGORY,
      generation: 0,
      recipient: ck.recipient,
      not_before: T0 - 100,
      not_after: T0 + 100,
      created: T0 - 100,
    });
    const meta = {
      doc_type: 'domiciliation',
      expires: '2027-01-01',
      filename: 'a.pdf',
      mime: 'application/pdf',
      pages: 2,
      title: 'Attestation « été »',
    };
    const content = new Uint8Array(150_000).map((_, i) => (i * 13) & 0xff);
    const js = await sealPaper({
      instance: INSTANCE,
      coffre: COFFRE,
      epoch: 0,
      paper: PAPER,
      cert,
      ownerKey: owner.publicKey,
      uploader: owner.signing,
      created: T0,
      content,
      meta,
    });
    const openReq = (sealed: { content: Uint8Array; meta: Uint8Array; upload: Uint8Array }, paper = PAPER) => ({
      op: 'open_paper',
      owner_key: owner.publicKey,
      instance: INSTANCE,
      coffre: COFFRE,
      epoch: 0,
      cert: JSON.parse(dec(cert)),
      ck_identity: ck.identity,
      paper,
      statement: JSON.parse(dec(sealed.upload)),
      content_ciphertext: b64encode(sealed.content),
      meta_ciphertext: b64encode(sealed.meta),
    });
    const opened = peerOk(openReq(js));
    expect(bytesOf(opened.content)).toEqual(content);
    expect((opened.meta as JsonObject).title).toBe(meta.title);

    const rs = peerOk({
      op: 'seal_paper',
      seed: b64encode(seed),
      instance: INSTANCE,
      coffre: COFFRE,
      epoch: 0,
      cert: JSON.parse(dec(cert)),
      paper: PAPER,
      created: T0,
      content: b64encode(content),
      meta,
    });
    const rsSealed = {
      content: bytesOf(rs.content_ciphertext),
      meta: bytesOf(rs.meta_ciphertext),
      upload: canonicalEncode(rs.statement as JsonObject),
    };
    const input = {
      instance: INSTANCE,
      coffre: COFFRE,
      epoch: 0,
      paper: PAPER,
      upload: rsSealed.upload,
      policy: { owner: owner.publicKey },
      cert,
      content: rsSealed.content,
      meta: rsSealed.meta,
      key: ck.identity,
    };
    const mine = await openPaper(input);
    expect(mine.plaintext).toEqual(content);
    expect(mine.meta.expires).toBe('2027-01-01');

    // Same verdicts on tampering: swapped content, replayed statement.
    const tampered = { ...js, content: flipBit(js.content, js.content.length * 8 - 1) };
    expect(peer(openReq(tampered)).error).toBe('hash_mismatch');
    await expect(openPaper({ ...input, content: flipBit(rsSealed.content, 99) })).rejects.toMatchObject({
      code: 'hash_mismatch',
    });
    const other = crypto.randomUUID();
    expect(peer(openReq(js, other)).error).toBe('paper_id_mismatch');
    await expect(openPaper({ ...input, paper: other })).rejects.toMatchObject({ code: 'paper_id_mismatch' });
  }, 120_000);

  it('papers: JS seals by streaming → Rust opens (sizes around the 64 KiB chunk)', async () => {
    const ck = generateCategoryKey();
    const cert = signCategoryCert(owner.signing, {
      instance: INSTANCE,
      coffre: COFFRE,
      epoch: 0,
      category: CATEGORY,
      generation: 0,
      recipient: ck.recipient,
      not_before: T0 - 100,
      not_after: T0 + 100,
      created: T0 - 100,
    });
    const meta = {
      doc_type: 'releve',
      filename: 'b.pdf',
      issued: '2026-03-01',
      mime: 'application/pdf',
      pages: 9,
      title: 'Relevé',
    };
    const ctx = { instance: INSTANCE, coffre: COFFRE, epoch: 0, cert, ownerKey: owner.publicKey };
    for (const size of [0, 1, 65536, 65537, 300_000]) {
      const content = new Uint8Array(size).map((_, i) => (i * 29 + 5) & 0xff);
      // Irregular chunks, as a File or a network stream would give.
      let off = 0;
      const source = new ReadableStream<Uint8Array>({
        pull(c) {
          if (off >= size) return c.close();
          const n = off % 3 === 0 ? 40_000 : 9_001;
          c.enqueue(content.slice(off, off + n));
          off += n;
        },
      });
      const sealing = await sealContentStream(ctx, source);
      const ct = new Uint8Array(await new Response(sealing.stream).arrayBuffer());
      const sealed = await finishSeal({ ...ctx, paper: PAPER, uploader: owner.signing, created: T0, meta }, sealing);
      const req = {
        op: 'open_paper',
        owner_key: owner.publicKey,
        instance: INSTANCE,
        coffre: COFFRE,
        epoch: 0,
        cert: JSON.parse(dec(cert)),
        ck_identity: ck.identity,
        paper: PAPER,
        statement: JSON.parse(dec(sealed.upload)),
        content_ciphertext: b64encode(ct),
        meta_ciphertext: b64encode(sealed.meta),
      };
      const opened = peerOk(req);
      expect(bytesOf(opened.content), `size ${size}`).toEqual(content);
      expect((opened.meta as JsonObject).size).toBe(size);
      expect((opened.meta as JsonObject).issued).toBe('2026-03-01');
      // The streamed statement binds the streamed bytes: Rust refuses a flipped byte.
      expect(peer({ ...req, content_ciphertext: b64encode(flipBit(ct, ct.length * 8 - 1)) }).error).toBe(
        'hash_mismatch',
      );
    }
  }, 120_000);

  it('every statement kind signed by JS verifies in Rust (vector bodies and keys)', () => {
    const v = JSON.parse(readFileSync(new URL('../../../crypto/vectors/statements.json', import.meta.url), 'utf8'));
    let checked = 0;
    for (const c of v.cases) {
      if (c.signers.length !== 1) continue;
      const k = new SigningKey(b64decode(c.signers[0].ed25519_secret));
      const env = signStatement(c.body, k);
      const r = peerOk({ op: 'verify', kind: c.kind, key: k.publicB64, envelope: JSON.parse(dec(env)) });
      expect(r.body, c.name).toEqual(c.body);
      checked++;
    }
    expect(checked).toBeGreaterThan(15);
  }, 120_000);

  it('passkey and carte seed wraps made by JS open in Rust', async () => {
    const payload = ownerSeedPayload(COFFRE, 3, seed);
    const passkey = passkeyIdentity(new Uint8Array(32).fill(0x0a), new Uint8Array([1, 2, 3]));
    const carte = generateCarte();
    for (const [identity, recipient] of [
      [passkey, recipientOf(passkey)],
      [carte.identity, carte.recipient],
    ] as const) {
      const file = await wrapSeed(payload, recipient);
      expect(dec(bytesOf(peerOk({ op: 'decrypt', identity, ciphertext: b64encode(file) }).plaintext))).toBe(
        dec(canonicalEncode(payload)),
      );
    }
  }, 60_000);

  it('multi-signature statements: Rust parses the JS envelope to the same value, and refuses a broken one alike', () => {
    const a = OwnerKeys.fromSeed(new Uint8Array(32).fill(3));
    const chain = {
      kind: 'org_chain',
      v: 1,
      instance: INSTANCE,
      organisation: COFFRE,
      seq: 1,
      prev: b64encode(new Uint8Array(32)),
      action: 'add_member',
      created: T0,
      member: { key: a.publicKey, recipient: a.recipient, role: 'aidant' },
    };
    const env = signStatement(chain, owner.signing, a.signing);
    expect(openStatement(env, 'org_chain').signers).toHaveLength(2);
    const parsed = peerOk({ op: 'parse', kind: 'envelope', bytes: b64encode(env) });
    expect(dec(canonicalEncode(parsed.value as JsonObject))).toBe(dec(env));
    const body = JSON.parse(dec(env)).body;
    expect(peerOk({ op: 'parse', kind: 'org_chain', bytes: body }).value).toEqual(chain);
    // Two signatures where the kind takes one signer (verify_by): the same refusal on both sides.
    expect(peer({ op: 'verify_envelope', kind: 'org_chain', key: owner.publicKey, bytes: b64encode(env) }).error).toBe(
      'unauthorised_signer',
    );
    // The same signer twice, or unsorted: both parsers refuse the envelope with the same code.
    const e = JSON.parse(dec(env));
    for (const sigs of [[e.sigs[0], e.sigs[0]], [...e.sigs].reverse()]) {
      const bytes = new TextEncoder().encode(JSON.stringify({ body: e.body, sigs }));
      let ts = '';
      try {
        openStatement(bytes, 'org_chain');
      } catch (err) {
        ts = (err as { code: string }).code;
      }
      expect(ts).toBe('non_canonical');
      expect(peer({ op: 'parse', kind: 'envelope', bytes: b64encode(bytes) }).error).toBe('non_canonical');
    }
  });
  it('organisation chains (two-signature statements): Rust and JS reach the same members and the same refusals', () => {
    const ORG = '7d1c3b2a-5e4f-4a6b-8c7d-9e0f1a2b3c4d';
    const ctx = { instance: INSTANCE, organisation: ORG };
    const root = new SigningKey(new Uint8Array(32).fill(90));
    const person = (n: number) => {
      const k = new SigningKey(new Uint8Array(32).fill(n));
      const recipient = recipientOf(generateIdentity());
      return { k, as: (role: Member['role']): Member => ({ key: k.publicB64, recipient, role }) };
    };
    const [alice, bob, carol] = [person(91), person(92), person(93)];
    const entry = (
      prior: Uint8Array[],
      action: 'found' | 'add_member' | 'remove_member' | 'set_role',
      member: Member,
      ...by: SigningKey[]
    ) =>
      signOrgChainEntry(
        {
          instance: INSTANCE,
          organisation: ORG,
          seq: prior.length,
          prev: b64encode(prior.length ? statementHash(prior[prior.length - 1]!) : new Uint8Array(32)),
          action,
          member,
          created: T0 + prior.length,
        },
        ...by,
      );
    const c: Uint8Array[] = [];
    c.push(entry(c, 'found', alice.as('responsable'), root));
    c.push(entry(c, 'add_member', bob.as('responsable'), alice.k));
    c.push(entry(c, 'add_member', carol.as('aidant'), alice.k, bob.k));
    const removal = entry(c, 'remove_member', carol.as('aidant'), alice.k, bob.k);
    const full = [...c, removal];

    const both = (chain: Uint8Array[], checkpoint?: { seq: number; hash: string }) => {
      let ts: unknown;
      try {
        const st = verifyOrgChain(chain, root.publicB64, checkpoint ?? null, ctx);
        ts = {
          members: [...st.members.values()].map((m) => JSON.parse(dec(canonicalEncode(m as unknown as JsonObject)))),
          checkpoint: st.checkpoint,
          ...(st.lastRemoval === undefined ? {} : { last_removal: st.lastRemoval }),
        };
      } catch (err) {
        ts = { error: (err as { code?: string }).code };
      }
      const rust = peer({
        op: 'verify_org_chain',
        root: root.publicB64,
        chain: chain.map((e) => b64encode(e)),
        ...(checkpoint ? { checkpoint } : {}),
      });
      return { ts, rust };
    };

    const ok = both(full);
    expect(ok.rust.error).toBeUndefined();
    expect(ok.ts).toEqual(ok.rust);
    expect(ok.rust.last_removal).toBe(3);
    expect((ok.rust.members as JsonObject[]).map((m) => m.key).sort()).toEqual(
      [alice.k.publicB64, bob.k.publicB64].sort(),
    );
    const head = ok.rust.checkpoint as { seq: number; hash: string };

    const refusals: [string, Uint8Array[], { seq: number; hash: string } | undefined][] = [
      ['too_few_signatures', [...c, entry(c, 'remove_member', carol.as('aidant'), alice.k)], undefined],
      ['not_a_responsable', [...c, entry(c, 'remove_member', carol.as('aidant'), alice.k, carol.k)], undefined],
      ['rollback', c, head],
      ['fork', [...c, entry(c, 'add_member', person(94).as('aidant'), alice.k, bob.k)], head],
    ];
    for (const [code, chain, checkpoint] of refusals) {
      const r = both(chain, checkpoint);
      expect({ code, ...r }).toEqual({ code, ts: { error: code }, rust: { error: code } });
    }

    // `set_role`: Carol named responsable by both; the same verdicts for her own promotion,
    // one signature of two, and the last responsable named aidant.
    const promoted = both([...c, entry(c, 'set_role', carol.as('responsable'), alice.k, bob.k)]);
    expect(promoted.rust.error).toBeUndefined();
    expect(promoted.ts).toEqual(promoted.rust);
    expect((promoted.rust.members as JsonObject[]).filter((m) => m.role === 'responsable')).toHaveLength(3);
    const one: Uint8Array[] = [c[0]!];
    for (const [code, chain] of [
      ['not_a_responsable', [...c, entry(c, 'set_role', carol.as('responsable'), carol.k)]],
      ['too_few_signatures', [...c, entry(c, 'set_role', carol.as('responsable'), alice.k)]],
      ['bad_chain', [...one, entry(one, 'set_role', alice.as('aidant'), alice.k)]],
    ] as const) {
      const r = both([...chain]);
      expect({ code, ...r }).toEqual({ code, ts: { error: code }, rust: { error: code } });
    }
  });
});
