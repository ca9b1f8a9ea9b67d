// A responsable's client (src/organisations/manage.ts) against an in-memory organisation
// server that may lie: the root is derived on this device from the founder's seed; the
// genesis, the members added and removed, and every organisation key verify as every client
// checks them; each new key is wrapped to the members of the chain this client verified —
// never to a "member" the server lists on its own (an admin who adds a row in the database),
// and a chain with a statement the admin signed is refused before anything is sent.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src/api';
import { b64decode, b64encode } from '../../src/crypto/encoding';
import {
  fingerprint,
  fingerprintWords,
  generateIdentity,
  OwnerKeys,
  randomBytes,
  recipientOf,
  SigningKey,
} from '../../src/crypto/keys';
import {
  type Member,
  newestOrgKey,
  type OrgChainEntry,
  signOrgChainEntry,
  signOrgKey,
  unwrapOrgKey,
  verifyOrgChain,
  verifyOrgKey,
  wrapOrgKey,
} from '../../src/crypto/organisation';
import { openStatement } from '../../src/crypto/statement';
import type { GranteeCode } from '../../src/mandates/code';
import type { OrganisationsApi } from '../../src/organisations/api';
import {
  addAidant,
  completeKeys,
  foundOrganisation,
  OrganisationError,
  organisationRoot,
  removeMember,
  rotateKey,
  setRole,
} from '../../src/organisations/manage';
import { countersign, pendingProposals, proposalsAndNews, refuseProposal } from '../../src/organisations/proposals';
import type { Unlocked } from '../../src/session';

const instance = 'http://localhost:4000';
const now = 1_900_000_000;

beforeEach(() => {
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(JSON.stringify({ origin: instance, rp_id: 'localhost', server_key: '', now }))),
  );
});
afterEach(() => vi.unstubAllGlobals());

function account(): { session: Unlocked; keys: OwnerKeys; code: Extract<GranteeCode, { type: 'person' }> } {
  const seed = randomBytes(32);
  const keys = OwnerKeys.fromSeed(seed);
  const coffre = crypto.randomUUID();
  return {
    session: { instance, coffre, epoch: 0, seed, keys, shared: true, role: 'professional' } as unknown as Unlocked,
    keys,
    code: { type: 'person', id: coffre, key: keys.publicKey, recipient: keys.recipient },
  };
}

/** An organisation server in memory; `extraMembers` are rows it lists that no statement made. */
function server(id: string) {
  const s = {
    chain: [] as Uint8Array[],
    root: '',
    keys: [] as { generation: number; cert: string }[],
    wraps: new Map<number, { member: string; wrap: string }[]>(),
    extraMembers: [] as Member[],
    /** A statement appended to what is served (never stored): the host's own. */
    forged: null as Uint8Array | null,
    /** Whose own wraps `GET /api/organisations/{id}` answers with (the signed-in member). */
    viewer: '',
    posted: 0,
    /** Pairs `${generation} ${member}` it leaves out of `wrapped` though it holds their wrap. */
    hiddenWrapped: new Set<string>(),
    /** Pairs it lists in `wrapped` though it holds no such wrap. */
    claimedWrapped: [] as { generation: number; member: string }[],
    /** How many of the next wraps posts fail (the connection cut after the append). */
    failWraps: 0,
    /** Runs once at the next wraps post, before it is stored (another responsable's device). */
    beforeWraps: null as (() => void) | null,
    /** Every wraps post that reached it (its size), stored or refused. */
    wrapPosts: [] as number[],
    proposals: [] as { proposal: string; seq: number; statement: string; proposer: string; created: number }[],
  };
  const api = {
    async checkFounding() {
      return { organisation: id, name: 'CHRS Les Tilleuls' };
    },
    async found(_token: string, statement: string) {
      const bytes = b64decode(statement);
      s.root = openStatement<OrgChainEntry>(bytes, 'org_chain').signers[0] ?? '';
      s.chain.push(bytes);
      s.posted++;
      return { organisation: id, seq: 0, hash: '' };
    },
    async append(_id: string, statement: string) {
      s.chain.push(b64decode(statement));
      s.posted++;
      return { organisation: id, seq: s.chain.length - 1, hash: '' };
    },
    async propose(_id: string, statement: string) {
      const proposal = crypto.randomUUID();
      const signers = openStatement<OrgChainEntry>(b64decode(statement), 'org_chain').signers;
      s.proposals.push({ proposal, seq: s.chain.length, statement, proposer: signers[0] ?? '', created: 0 });
      s.posted++;
      return { proposal, seq: s.chain.length };
    },
    async proposals() {
      return { proposals: s.proposals };
    },
    async refuseProposal(_id: string, proposal: string) {
      s.proposals = s.proposals.filter((p) => p.proposal !== proposal);
    },
    async addWraps(_id: string, wraps: { generation: number; member: string; wrap: string }[]) {
      if (s.failWraps > 0) {
        s.failWraps--;
        throw new TypeError('Failed to fetch');
      }
      const before = s.beforeWraps;
      s.beforeWraps = null;
      before?.();
      s.wrapPosts.push(wraps.length);
      // As the real server: 1 to 256, all or nothing, a (generation, member) once.
      if (wraps.length === 0 || wraps.length > 256) throw new ApiError(400, 'bad_request', '1 to 256 wraps');
      if (wraps.some((w) => s.wraps.get(w.generation)?.some((x) => x.member === w.member)))
        throw new ApiError(409, 'conflict', 'that member has this generation’s wrap already');
      for (const w of wraps) s.wraps.get(w.generation)?.push({ member: w.member, wrap: w.wrap });
      s.posted++;
      return { added: wraps.length };
    },
    async addKey(_id: string, cert: string, wraps: { member: string; wrap: string }[]) {
      const generation = s.keys.length;
      s.keys.push({ generation, cert });
      s.wraps.set(generation, wraps);
      s.posted++;
      return { generation };
    },
    async organisation() {
      const chain = s.forged ? [...s.chain, s.forged] : s.chain;
      const state = verifyOrgChain(s.chain, s.root, null, { instance, organisation: id });
      return {
        organisation: id,
        name: 'CHRS Les Tilleuls',
        root: s.root,
        chain: chain.map(b64encode),
        members: [...state.members.values(), ...s.extraMembers],
        keys: s.keys,
        role: null,
        wraps: [...s.wraps.entries()].flatMap(([generation, ws]) =>
          ws.filter((w) => w.member === s.viewer).map((w) => ({ generation, wrap: w.wrap })),
        ),
        wrapped: [
          ...[...s.wraps.entries()].flatMap(([generation, ws]) =>
            ws
              .filter((w) => state.members.has(w.member) && !s.hiddenWrapped.has(`${generation} ${w.member}`))
              .map((w) => ({ generation, member: w.member })),
          ),
          ...s.claimedWrapped,
        ],
      };
    },
  };
  return { s, api: api as unknown as OrganisationsApi };
}

async function founded() {
  const id = crypto.randomUUID();
  const founder = account();
  const srv = server(id);
  srv.s.viewer = founder.keys.publicKey;
  await foundOrganisation(founder.session, b64encode(randomBytes(32)), srv.api);
  return { id, founder, ...srv };
}

const chainState = (s: ReturnType<typeof server>['s'], id: string) =>
  verifyOrgChain(s.chain, s.root, null, { instance, organisation: id });

/** An `add_member` statement after the chain `s` holds, signed by `signer` alone. */
function addition(
  s: ReturnType<typeof server>['s'],
  id: string,
  who: OwnerKeys,
  role: Member['role'],
  signer: SigningKey,
): Uint8Array {
  const head = chainState(s, id).checkpoint;
  return signOrgChainEntry(
    {
      instance,
      organisation: id,
      seq: head.seq + 1,
      prev: head.hash,
      action: 'add_member',
      member: { key: who.publicKey, recipient: who.recipient, role },
      created: now,
    },
    signer,
  );
}

describe('founding an organisation', () => {
  it('derives the root from the founder’s seed and this organisation: the same again, another for another', () => {
    const { session } = account();
    const a = crypto.randomUUID();
    expect(organisationRoot(session.seed, a).publicB64).toBe(organisationRoot(session.seed, a).publicB64);
    expect(organisationRoot(session.seed, a).publicB64).not.toBe(
      organisationRoot(session.seed, crypto.randomUUID()).publicB64,
    );
    expect(organisationRoot(randomBytes(32), a).publicB64).not.toBe(organisationRoot(session.seed, a).publicB64);
    // Not the owner key itself.
    expect(organisationRoot(session.seed, a).publicB64).not.toBe(session.keys.publicKey);
  });

  it('signs the genesis with that root, naming the founder, and wraps key generation 0 to the founder', async () => {
    const { id, founder, s } = await founded();
    expect(s.root).toBe(organisationRoot(founder.session.seed, id).publicB64);
    const state = chainState(s, id);
    expect([...state.members.values()]).toEqual([
      { key: founder.keys.publicKey, recipient: founder.keys.recipient, role: 'responsable' },
    ]);
    const cert = verifyOrgKey(b64decode(s.keys[0]?.cert ?? ''), s.root, { instance, organisation: id }).body;
    expect(cert).toMatchObject({ generation: 0, chain_seq: 0 });
    const wraps = s.wraps.get(0) ?? [];
    expect(wraps.map((w) => w.member)).toEqual([founder.keys.publicKey]);
    const opened = await unwrapOrgKey(b64decode(wraps[0]?.wrap ?? ''), [founder.keys.identity], cert);
    expect(opened.generation).toBe(0);
  });
});

describe('habilitating and removing an aidant', () => {
  it('adds her with the responsable’s signature, then gives her the generations the responsable holds', async () => {
    const { id, founder, s, api } = await founded();
    const ines = account();
    expect(await addAidant(founder.session, id, ines.code, api)).toBe(1);
    const added = openStatement<OrgChainEntry>(s.chain[1] ?? new Uint8Array(), 'org_chain');
    expect(added.signers).toEqual([founder.keys.publicKey]);
    expect(added.body).toMatchObject({
      seq: 1,
      action: 'add_member',
      member: { key: ines.keys.publicKey, recipient: ines.keys.recipient, role: 'aidant' },
    });
    // No new generation for an arrival: generation 0, now wrapped to her too.
    expect(s.keys).toHaveLength(1);
    const cert = verifyOrgKey(b64decode(s.keys[0]?.cert ?? ''), s.root, { instance, organisation: id }).body;
    const wraps = s.wraps.get(0) ?? [];
    expect(wraps.map((w) => w.member).sort()).toEqual([founder.keys.publicKey, ines.keys.publicKey].sort());
    const hers = wraps.find((w) => w.member === ines.keys.publicKey)?.wrap ?? '';
    const his = wraps.find((w) => w.member === founder.keys.publicKey)?.wrap ?? '';
    const opened = await unwrapOrgKey(b64decode(hers), [ines.keys.identity], cert);
    expect(opened.identity).toBe((await unwrapOrgKey(b64decode(his), [founder.keys.identity], cert)).identity);
    // The wrap made for the founder is not hers to open.
    await expect(unwrapOrgKey(b64decode(his), [ines.keys.identity], cert)).rejects.toThrow();
  });

  it('gives no generation whose certificate the root did not sign', async () => {
    const { id, founder, s, api } = await founded();
    // The host swaps generation 0's certificate for one signed by another key.
    const other = SigningKey.generate();
    const cert = openStatement<{ generation: number }>(b64decode(s.keys[0]?.cert ?? ''), 'org_key').body;
    s.keys[0] = { generation: 0, cert: b64encode(signOrgKey(other, cert as never)) };
    const posted = s.posted;
    await expect(addAidant(founder.session, id, account().code, api)).rejects.toMatchObject({
      code: 'unauthorised_signer',
    });
    expect(s.posted).toBe(posted); // checked before anything is sent: no add_member, no wrap
    expect(s.chain).toHaveLength(1);
    expect(s.wraps.get(0)).toHaveLength(1);
  });

  it('refuses a member twice and an organisation’s code', async () => {
    const { id, founder, api } = await founded();
    const ines = account();
    await addAidant(founder.session, id, ines.code, api);
    await expect(addAidant(founder.session, id, ines.code, api)).rejects.toMatchObject({ code: 'already_member' });
    await expect(addAidant(founder.session, id, { type: 'organisation', id }, api)).rejects.toBeInstanceOf(
      OrganisationError,
    );
  });

  it('removes her, then a new key made at the removal, wrapped to the others only, which clients accept', async () => {
    const { id, founder, s, api } = await founded();
    const ines = account();
    const karima = account();
    await addAidant(founder.session, id, ines.code, api);
    await addAidant(founder.session, id, karima.code, api);
    expect(await removeMember(founder.session, id, ines.keys.publicKey, api)).toBe(1);
    const state = chainState(s, id);
    expect(state.lastRemoval).toBe(3);
    expect(state.members.has(ines.keys.publicKey)).toBe(false);
    const newest = newestOrgKey(
      s.keys.map((k) => b64decode(k.cert)),
      s.root,
      id,
      state,
    );
    expect(newest.body).toMatchObject({ generation: 1, chain_seq: 3 });
    expect((s.wraps.get(1) ?? []).map((w) => w.member).sort()).toEqual(
      [founder.keys.publicKey, karima.keys.publicKey].sort(),
    );
  });

  it('an aidant cannot add anyone; a second responsable alone proposes; only the founder makes keys', async () => {
    const { id, founder, s, api } = await founded();
    const ines = account();
    await addAidant(founder.session, id, ines.code, api);
    await expect(addAidant(ines.session, id, account().code, api)).rejects.toMatchObject({ code: 'not_responsable' });
    // A second responsable, added by the founder (as a chain may hold; no screen does it yet).
    const second = account();
    s.chain.push(addition(s, id, second.keys, 'responsable', founder.keys.signing));
    const posted = s.posted;
    // Two responsables: her change is a proposal, nothing is appended.
    const chainLength = s.chain.length;
    s.viewer = second.keys.publicKey;
    expect(await addAidant(second.session, id, account().code, api)).toBe('proposed');
    expect(s.chain.length).toBe(chainLength);
    expect(s.posted).toBe(posted + 1);
    await expect(rotateKey(second.session, id, api)).rejects.toMatchObject({ code: 'not_founder' });
    expect(s.posted).toBe(posted + 1);
  });
});

describe('two responsables signing together', () => {
  async function twoResponsables() {
    const org = await founded();
    const ines = account();
    await addAidant(org.founder.session, org.id, ines.code, org.api);
    expect(await setRole(org.founder.session, org.id, ines.keys.publicKey, 'responsable', org.api)).toBe('appended');
    expect(chainState(org.s, org.id).members.get(ines.keys.publicKey)?.role).toBe('responsable');
    return { ...org, ines };
  }

  it('the founder proposes adding Paul; Inès sees who and countersigns; Paul is a member and gets the keys she holds', async () => {
    const { id, founder, ines, s, api } = await twoResponsables();
    const paul = account();
    expect(await addAidant(founder.session, id, paul.code, api)).toBe('proposed');
    expect(chainState(s, id).members.has(paul.keys.publicKey)).toBe(false);
    const mine = await pendingProposals(founder.session, id, api);
    expect(mine.map((p) => p.mine)).toEqual([true]);
    await expect(countersign(founder.session, id, mine[0]?.proposal ?? '', api)).rejects.toMatchObject({
      code: 'own_proposal',
    });
    s.viewer = ines.keys.publicKey;
    const shown = await pendingProposals(ines.session, id, api);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ action: 'add_member', mine: false, member: { key: paul.keys.publicKey } });
    const done = await countersign(ines.session, id, shown[0]?.proposal ?? '', api);
    expect(done).toEqual({ action: 'add_member', given: 1 });
    const state = chainState(s, id);
    expect(state.members.get(paul.keys.publicKey)?.role).toBe('aidant');
    const last = openStatement<OrgChainEntry>(s.chain[s.chain.length - 1] ?? new Uint8Array(), 'org_chain');
    expect(last.signers.sort()).toEqual([founder.keys.publicKey, ines.keys.publicKey].sort());
  });

  it('the proposer is told once what became of her proposals: signed (by whom), or no longer to sign', async () => {
    const { id, founder, ines, s, api } = await twoResponsables();
    const paul = account();
    const karim = account();
    expect(await addAidant(founder.session, id, paul.code, api)).toBe('proposed');
    expect(await proposalsAndNews(founder.session, id, api)).toMatchObject({ news: [] });
    s.viewer = ines.keys.publicKey;
    await countersign(ines.session, id, s.proposals[0]?.proposal ?? '', api);
    // The founder's next visit: signed, by Inès (her five words); told once.
    s.viewer = founder.keys.publicKey;
    const inesWords = chainState(s, id).members.get(ines.keys.publicKey);
    const { news } = await proposalsAndNews(founder.session, id, api);
    expect(news).toHaveLength(1);
    expect(news[0]).toMatchObject({
      signed: true,
      request: { action: 'add_member', member: { key: paul.keys.publicKey } },
    });
    expect(news[0]?.signedBy).toBe(fingerprintWords(fingerprint(ines.keys.publicKey, inesWords?.recipient ?? '')));
    expect((await proposalsAndNews(founder.session, id, api)).news).toEqual([]);
    // Refused by Inès: no longer to sign, not signed.
    await addAidant(founder.session, id, karim.code, api);
    await proposalsAndNews(founder.session, id, api);
    s.viewer = ines.keys.publicKey;
    const [waiting] = await pendingProposals(ines.session, id, api);
    await refuseProposal(ines.session, id, waiting?.proposal ?? '', api);
    s.viewer = founder.keys.publicKey;
    const refused = (await proposalsAndNews(founder.session, id, api)).news;
    expect(refused).toMatchObject([
      { signed: false, signedBy: null, request: { member: { key: karim.keys.publicKey } } },
    ]);
  });

  it('a proposal the host altered, or one the chain has passed, is not offered and is refused on signing', async () => {
    const { id, founder, ines, s, api } = await twoResponsables();
    const paul = account();
    await addAidant(founder.session, id, paul.code, api);
    // The host swaps in a statement signed by its own key: not offered.
    const admin = account();
    const head = chainState(s, id).checkpoint;
    const forged = addition(s, id, admin.keys, 'responsable', admin.keys.signing);
    s.proposals.push({ proposal: 'forged', seq: head.seq + 1, statement: b64encode(forged), proposer: '', created: 0 });
    s.viewer = ines.keys.publicKey;
    expect((await pendingProposals(ines.session, id, api)).map((p) => p.member.key)).toEqual([paul.keys.publicKey]);
    await expect(countersign(ines.session, id, 'forged', api)).rejects.toMatchObject({ code: 'proposal_changed' });
    expect(s.proposals.some((p) => p.proposal === 'forged')).toBe(false);
    // The chain moves: the founder proposes another arrival, which Inès countersigns first.
    const first = s.proposals[0]?.proposal ?? '';
    s.viewer = founder.keys.publicKey;
    await addAidant(founder.session, id, account().code, api);
    const second = s.proposals[1]?.proposal ?? '';
    s.viewer = ines.keys.publicKey;
    await countersign(ines.session, id, second, api);
    expect(await pendingProposals(ines.session, id, api)).toEqual([]);
    const chainLength = s.chain.length;
    await expect(countersign(ines.session, id, first, api)).rejects.toMatchObject({ code: 'proposal_changed' });
    expect(s.chain.length).toBe(chainLength);
    expect(chainState(s, id).members.has(paul.keys.publicKey)).toBe(false);
  });

  it('a removal countersigned by the founder changes the key at once; by another responsable it waits for the founder', async () => {
    const { id, founder, ines, s, api } = await twoResponsables();
    const paul = account();
    const karima = account();
    await addAidant(founder.session, id, paul.code, api);
    s.viewer = ines.keys.publicKey;
    await countersign(ines.session, id, s.proposals[0]?.proposal ?? '', api);
    s.viewer = founder.keys.publicKey;
    await addAidant(founder.session, id, karima.code, api);
    s.viewer = ines.keys.publicKey;
    await countersign(ines.session, id, s.proposals[1]?.proposal ?? '', api);
    // Inès proposes removing Paul; the founder countersigns: key generation 1 at once.
    expect(await removeMember(ines.session, id, paul.keys.publicKey, api)).toBe('proposed');
    s.viewer = founder.keys.publicKey;
    const [p] = await pendingProposals(founder.session, id, api);
    expect(p).toMatchObject({ action: 'remove_member', member: { key: paul.keys.publicKey } });
    expect(await countersign(founder.session, id, p?.proposal ?? '', api)).toEqual({
      action: 'remove_member',
      generation: 1,
    });
    expect((s.wraps.get(1) ?? []).map((w) => w.member)).not.toContain(paul.keys.publicKey);
    // The founder proposes removing Karima; Inès countersigns: no key from her (not the founder).
    s.viewer = founder.keys.publicKey;
    expect(await removeMember(founder.session, id, karima.keys.publicKey, api)).toBe('proposed');
    s.viewer = ines.keys.publicKey;
    const [q] = await pendingProposals(ines.session, id, api);
    expect(await countersign(ines.session, id, q?.proposal ?? '', api)).toEqual({
      action: 'remove_member',
      generation: null,
    });
    expect(s.keys).toHaveLength(2);
  });
});

describe('completing the keys (a wraps post that never arrived)', () => {
  /** The generations `who` holds a wrap of that opens to the root-certified key. */
  async function opens(s: ReturnType<typeof server>['s'], id: string, who: OwnerKeys): Promise<number[]> {
    const held: number[] = [];
    for (const k of s.keys) {
      const cert = verifyOrgKey(b64decode(k.cert), s.root, { instance, organisation: id }).body;
      const w = (s.wraps.get(k.generation) ?? []).find((x) => x.member === who.publicKey);
      if (w) held.push((await unwrapOrgKey(b64decode(w.wrap), [who.identity], cert)).generation);
    }
    return held;
  }

  /** Founded with key generations 0 and 1; Inès added, and the wraps post after it cut. */
  async function addedWithoutKeys() {
    const org = await founded();
    await rotateKey(org.founder.session, org.id, org.api);
    const ines = account();
    org.s.failWraps = 1;
    await expect(addAidant(org.founder.session, org.id, ines.code, org.api)).rejects.toThrow('Failed to fetch');
    expect(chainState(org.s, org.id).members.has(ines.keys.publicKey)).toBe(true);
    expect(await opens(org.s, org.id, ines.keys)).toEqual([]);
    return { ...org, ines };
  }

  it('the next completion gives her every generation the responsable holds; then nothing is posted', async () => {
    const { id, founder, ines, s, api } = await addedWithoutKeys();
    const karima = account();
    await addAidant(founder.session, id, karima.code, api);
    expect(await opens(s, id, karima.keys)).toEqual([0, 1]);
    const posts = s.wrapPosts.length;
    expect(await completeKeys(founder.session, id, api)).toBe(1);
    // One request, for her only: Karima and the founder hold them already.
    expect(s.wrapPosts.slice(posts)).toEqual([2]);
    expect(await opens(s, id, ines.keys)).toEqual([0, 1]);
    // Nothing missing: nothing posted.
    const posted = s.posted;
    expect(await completeKeys(founder.session, id, api)).toBe(0);
    expect(s.wrapPosts).toHaveLength(posts + 1);
    expect(s.posted).toBe(posted);
  });

  it('an aidant completes nothing, though she holds what another lacks (she is no responsable)', async () => {
    const { id, founder, ines, s, api } = await addedWithoutKeys();
    const karima = account();
    await addAidant(founder.session, id, karima.code, api);
    const posts = s.wrapPosts.length;
    s.viewer = karima.keys.publicKey;
    expect(await completeKeys(karima.session, id, api)).toBe(0);
    expect(s.wrapPosts).toHaveLength(posts);
    expect(await opens(s, id, ines.keys)).toEqual([]);
  });

  it('a member the server lists on its own gets nothing; the verified chain’s member gets hers', async () => {
    const { id, founder, ines, s, api } = await addedWithoutKeys();
    const admin = account();
    s.extraMembers.push({ key: admin.keys.publicKey, recipient: admin.keys.recipient, role: 'aidant' });
    expect(await completeKeys(founder.session, id, api)).toBe(1);
    expect(await opens(s, id, admin.keys)).toEqual([]);
    expect([...s.wraps.values()].flat().some((w) => w.member === admin.keys.publicKey)).toBe(false);
    expect(await opens(s, id, ines.keys)).toEqual([0, 1]);
  });

  it('a pair the server falsely claims wrapped is skipped: she lacks that generation (availability only)', async () => {
    const { id, founder, ines, s, api } = await addedWithoutKeys();
    s.claimedWrapped.push({ generation: 0, member: ines.keys.publicKey });
    expect(await completeKeys(founder.session, id, api)).toBe(1);
    // The lie cost her generation 0 (she cannot open the mandates wrapped to it), and gave
    // nobody anything: no wrap to anyone outside the verified chain.
    expect(await opens(s, id, ines.keys)).toEqual([1]);
    expect(
      [...s.wraps.values()]
        .flat()
        .map((w) => w.member)
        .sort(),
    ).toEqual([founder.keys.publicKey, founder.keys.publicKey, ines.keys.publicKey].sort());
  });

  it('a wrap another responsable gave first (409): read again, the rest given; a pair hidden for good is skipped', async () => {
    const { id, founder, ines, s, api } = await addedWithoutKeys();
    // Another responsable's device gives her generation 0 between our read and our post.
    const cert0 = verifyOrgKey(b64decode(s.keys[0]?.cert ?? ''), s.root, { instance, organisation: id }).body;
    const mine = (s.wraps.get(0) ?? []).find((w) => w.member === founder.keys.publicKey)?.wrap ?? '';
    const key0 = await unwrapOrgKey(b64decode(mine), [founder.keys.identity], cert0);
    const theirs = b64encode(await wrapOrgKey(key0, [ines.keys.recipient]));
    s.beforeWraps = () => s.wraps.get(0)?.push({ member: ines.keys.publicKey, wrap: theirs });
    expect(await completeKeys(founder.session, id, api)).toBe(1);
    // Refused whole (409), read again, only generation 1 posted.
    expect(s.wrapPosts).toEqual([2, 1]);
    expect(await opens(s, id, ines.keys)).toEqual([0, 1]);
    expect((s.wraps.get(0) ?? []).find((w) => w.member === ines.keys.publicKey)?.wrap).toBe(theirs);
    // The server hides a pair it holds: we post it, it refuses it, twice; no error.
    s.hiddenWrapped.add(`1 ${ines.keys.publicKey}`);
    expect(await completeKeys(founder.session, id, api)).toBe(0);
    expect(s.wrapPosts).toEqual([2, 1, 1, 1]);
  });

  it('more than 256 missing wraps go in several requests', async () => {
    const { id, founder, s, api } = await founded();
    // 16 generations this founder holds (made here directly, as her rotations would).
    const root = organisationRoot(founder.session.seed, id);
    for (let generation = 1; generation < 16; generation++) {
      const identity = generateIdentity();
      const cert = signOrgKey(root, {
        instance,
        organisation: id,
        generation,
        recipient: recipientOf(identity),
        chain_seq: 0,
        created: now,
      });
      s.keys.push({ generation, cert: b64encode(cert) });
      const wrap = await wrapOrgKey({ organisation: id, generation, identity }, [founder.keys.recipient]);
      s.wraps.set(generation, [{ member: founder.keys.publicKey, wrap: b64encode(wrap) }]);
    }
    root.destroy();
    // 17 aidants added, none of them given anything: 272 wraps missing.
    const aidants = Array.from({ length: 17 }, () => account());
    for (const a of aidants) s.chain.push(addition(s, id, a.keys, 'aidant', founder.keys.signing));
    expect(await completeKeys(founder.session, id, api)).toBe(17);
    expect(s.wrapPosts).toEqual([256, 16]);
    const given = [...s.wraps.values()].flat().map((w) => w.member);
    for (const a of aidants) expect(given.filter((m) => m === a.keys.publicKey)).toHaveLength(16);
    expect(await opens(s, id, aidants[16]?.keys ?? founder.keys)).toHaveLength(16);
  }, 20_000); // 272 age files made in JavaScript: about 3 s on a loaded machine
});

describe('a malicious admin (the host)', () => {
  it('gets no wrap by listing himself as a member: keys go to the verified chain’s members only', async () => {
    const { id, founder, s, api } = await founded();
    const admin = account();
    s.extraMembers.push({ key: admin.keys.publicKey, recipient: admin.keys.recipient, role: 'responsable' });
    await addAidant(founder.session, id, account().code, api);
    expect((s.wraps.get(0) ?? []).some((w) => w.member === admin.keys.publicKey)).toBe(false);
    await rotateKey(founder.session, id, api);
    const wraps = s.wraps.get(1) ?? [];
    expect(wraps).toHaveLength(2);
    expect(wraps.some((w) => w.member === admin.keys.publicKey)).toBe(false);
    const cert = verifyOrgKey(b64decode(s.keys[1]?.cert ?? ''), s.root, { instance, organisation: id }).body;
    for (const w of wraps) await expect(unwrapOrgKey(b64decode(w.wrap), [admin.keys.identity], cert)).rejects.toThrow();
  });

  it('a "responsable" he signs into the chain himself is refused before anything is sent', async () => {
    const { id, founder, s, api } = await founded();
    const admin = account();
    s.forged = addition(s, id, admin.keys, 'responsable', admin.keys.signing);
    const posted = s.posted;
    await expect(addAidant(founder.session, id, account().code, api)).rejects.toMatchObject({
      code: 'not_a_responsable',
    });
    await expect(rotateKey(founder.session, id, api)).rejects.toMatchObject({ code: 'not_a_responsable' });
    expect(s.posted).toBe(posted);
  });

  it('a root he swapped (his own key, founding a copy) cannot be the founder’s: no key is made', async () => {
    const { id, founder, s, api } = await founded();
    const fake = SigningKey.generate();
    s.root = fake.publicB64;
    s.chain = [
      signOrgChainEntry(
        {
          ...openStatement<OrgChainEntry>(s.chain[0] ?? new Uint8Array(), 'org_chain').body,
        },
        fake,
      ),
    ];
    const posted = s.posted;
    await expect(rotateKey(founder.session, id, api)).rejects.toMatchObject({ code: 'not_founder' });
    expect(s.posted).toBe(posted);
  });
});
