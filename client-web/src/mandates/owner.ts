// The owner's side of mandates: who the grantee is (from « Mon code », checked against what
// the server serves), giving a mandate with its journal entry and the category keys,
// revoking it, and reading what was done under it (access receipts verified here).
import { sha256 } from '@noble/hashes/sha2.js';
import { ApiError, api, type NewEntryBody } from '../api';
import { sealCategoryLabel, wrapCategoryKey } from '../crypto/category';
import { b64decode, b64encode, bytesEqual } from '../crypto/encoding';
import { CoffreCryptoError, fail } from '../crypto/errors';
import { type GranteeStatement, granteeStatement, type JournalEntry, signJournalEntry } from '../crypto/journal';
import { fingerprint, fingerprintWords } from '../crypto/keys';
import {
  type AccessReceipt,
  checkReceiptCounters,
  type Grantee,
  type Mandate,
  type MandateEnd,
  openMandate,
  signMandate,
  signRevocation,
  verifyAccessReceipts,
  verifyRenunciation,
  verifyRevocation,
} from '../crypto/mandate';
import { openMandateNote, sealMandateNote } from '../crypto/note';
import {
  newestOrgKey,
  type OrgChainEntry,
  type OrgState,
  type RememberedOrgChain,
  rememberedOrgChain,
  rememberOrgChain,
  verifyOrgChainPreverified,
} from '../crypto/organisation';
import { sealPayload } from '../crypto/payload';
import { type Context, openStatement, preverifyStatements, type Verified, verifyStatement } from '../crypto/statement';
import type { PaperCategory } from '../paper-store';
import type { Unlocked } from '../session';
import { type MandateItem, type MandatesApi, mandatesApi } from './api';
import type { GranteeCode } from './code';
import { rememberName, type SavedName, savedNote } from './names';
import { rememberRevocation } from './revocations';
import type { Rights } from './text';

const ctxOf = (s: Unlocked): Context => ({ instance: s.instance, coffre: s.coffre, epoch: s.epoch });

/** The grantee as checked: what the mandate names, the words to compare, where keys go. */
export interface ResolvedGrantee {
  grantee: Grantee;
  words: string;
  /** The organisation's name as the server says it (not verified: the root is). */
  name?: string;
  /** The recipient the category keys are wrapped to (the person's, or the organisation key). */
  wrapTo: string;
  /** The code pinned the full fingerprint (a QR); else only the five words compared do. */
  pinned: boolean;
}

/**
 * Per organisation and root: a chain the host serves with another root (which the caller then
 * refuses, `root_mismatch`) never takes the place of the real chain's checkpoint, so it cannot
 * make this device refuse the real one later as a `fork`.
 */
const orgCheckpointKey = (id: string, root: string) => `coffre:org-checkpoint:${id}:${root}`;

function rememberedOrg(id: string, root: string, shared: boolean): { seq: number; hash: string } | null {
  if (shared) return null;
  try {
    const raw = localStorage.getItem(orgCheckpointKey(id, root));
    const cp = raw ? (JSON.parse(raw) as { seq: number; hash: string }) : null;
    return cp && typeof cp.seq === 'number' && typeof cp.hash === 'string' ? cp : null;
  } catch {
    return null;
  }
}

/**
 * Beside the checkpoint, the chain's state there (`rememberOrgChain`): a chain that begins
 * with the same entries is checked only from there (the members added since).
 */
const orgChainKey = (id: string, root: string) => `coffre:org-chain:${id}:${root}`;

function rememberedChain(id: string, root: string, shared: boolean): RememberedOrgChain | undefined {
  if (shared) return undefined;
  try {
    return rememberedOrgChain(JSON.parse(localStorage.getItem(orgChainKey(id, root)) ?? 'null'));
  } catch {
    return undefined;
  }
}

/** An organisation's chain, verified against its root (and what this device remembers). */
export async function verifiedOrganisation(
  session: Unlocked,
  id: string,
  m: Pick<MandatesApi, 'organisation'> = mandatesApi,
): Promise<{ info: Awaited<ReturnType<MandatesApi['organisation']>>; state: OrgState }> {
  const info = await m.organisation(id);
  const entries = info.chain.map((c) => b64decode(c));
  const state = await verifyOrgChainPreverified(
    entries,
    info.root,
    rememberedOrg(id, info.root, session.shared),
    { instance: session.instance, organisation: id },
    rememberedChain(id, info.root, session.shared),
  );
  if (!session.shared) {
    localStorage.setItem(orgCheckpointKey(id, info.root), JSON.stringify(state.checkpoint));
    try {
      localStorage.setItem(orgChainKey(id, info.root), JSON.stringify(rememberOrgChain(entries, state)));
    } catch {
      // storage full: the next verification checks the whole chain again
    }
  }
  return { info, state };
}

export async function resolveGrantee(
  session: Unlocked,
  code: GranteeCode,
  m: MandatesApi = mandatesApi,
): Promise<ResolvedGrantee> {
  if (code.type === 'person') {
    if (code.id === session.coffre || code.key === session.keys.publicKey)
      throw new ApiError(400, 'own_code', 'this is your own code');
    return {
      grantee: { type: 'person', id: code.id, key: code.key, recipient: code.recipient },
      words: fingerprintWords(fingerprint(code.key, code.recipient)),
      wrapTo: code.recipient,
      pinned: true,
    };
  }
  const { info, state } = await verifiedOrganisation(session, code.id, m);
  const rootFp = fingerprint(info.root);
  if (code.root && !bytesEqual(rootFp, code.root)) fail('root_mismatch', 'not the root the code pinned');
  const key = newestOrgKey(
    info.keys.map((k) => b64decode(k.cert)),
    info.root,
    code.id,
    state,
  );
  return {
    grantee: { type: 'organisation', id: code.id, key: info.root },
    words: fingerprintWords(rootFp),
    name: info.name,
    wrapTo: key.body.recipient,
    pinned: code.root !== undefined,
  };
}

/** What a renewal starts from: whom the earlier mandate was given to, and its scope. */
export interface Renewal {
  who: ResolvedGrantee;
  /** The earlier mandate's id and number. */
  mandate: string;
  number: number;
  categories: readonly string[];
  rights: Mandate['rights'];
  /** The name the owner gave the earlier mandate's grantee (its verified note, or this device's), or ''. */
  name: string;
}

/**
 * The grantee of a mandate this coffre gave, to give them a new one (« Renouveler »): taken
 * from the mandate the owner signed, verified here with the owner key — the fingerprint was
 * compared face to face when it was given, so the words are not compared again. An
 * organisation's chain is verified again, against the root that mandate pinned.
 */
export async function renewalOf(session: Unlocked, id: string, m: MandatesApi = mandatesApi): Promise<Renewal> {
  const item = (await m.list()).given.find((g) => g.mandate === id);
  if (!item) throw new ApiError(404, 'not_found', 'no such mandate');
  const { body } = openMandate(b64decode(item.statement), session.keys.publicKey, ctxOf(session), item.grantee.key);
  const g = body.grantee;
  const who =
    g.type === 'person' && g.recipient
      ? await resolveGrantee(session, { type: 'person', id: g.id, key: g.key, recipient: g.recipient }, m)
      : await resolveGrantee(session, { type: 'organisation', id: g.id, root: fingerprint(g.key) }, m);
  const name = (await ownerName(session, item))?.name ?? '';
  return { who, mandate: item.mandate, number: item.number, categories: body.categories, rights: body.rights, name };
}

/**
 * The name the owner gave a mandate's grantee: the owner's note the server serves, once it
 * opened and verified (`openMandateNote`: the owner's signature, this coffre, this mandate),
 * unless this device (or this session, on a shared computer) knows a note with a later
 * `created` — a rename the host rolled back — and then that newer name; this device's name
 * when there is no note or it fails (a note that fails is ignored, never shown). A verified
 * name is remembered (in this device's storage only when it is not a shared computer).
 */
export async function ownerName(
  session: Unlocked,
  item: Pick<MandateItem, 'mandate' | 'note'>,
): Promise<SavedName | undefined> {
  const known = savedNote(session, item.mandate);
  if (!item.note) return known;
  let note: Awaited<ReturnType<typeof openMandateNote>>;
  try {
    note = await openMandateNote(
      b64decode(item.note),
      [session.keys.identity],
      session.keys.publicKey,
      ctxOf(session),
      item.mandate,
    );
  } catch (e) {
    if (!(e instanceof CoffreCryptoError)) throw e;
    console.warn('a mandate note refused', e.code);
    return known;
  }
  if (known && note.created < known.created) {
    console.warn('an older mandate note ignored (this device knows a later name)');
    return known;
  }
  rememberName(session, item.mandate, note.name, note.created);
  return { name: note.name, created: note.created };
}

/**
 * Names or renames a mandate's grantee (« Donner un nom », « Changer le nom »): a new note,
 * dated later than any this device knows for the mandate (the server's time, or one second
 * after the newest known), signed and sealed to the owner as at creation, then sent in place
 * of the stored one (`PUT /api/mandates/{id}/note`). `after`: the `created` of the name shown.
 * Refuses a name the note cannot hold (`malformed`) before sending anything.
 */
export async function renameMandate(
  session: Unlocked,
  mandate: string,
  name: string,
  after = 0,
  m: Pick<MandatesApi, 'putNote'> = mandatesApi,
): Promise<SavedName> {
  const { now } = await api.instance();
  const created = Math.max(now, after + 1, (savedNote(session, mandate)?.created ?? -1) + 1);
  const file = await sealMandateNote(
    session.keys.signing,
    { ...ctxOf(session), mandate, name, created },
    session.keys.recipient,
  );
  await m.putNote(mandate, b64encode(file));
  rememberName(session, mandate, name, created);
  return { name, created };
}

/**
 * An owner journal entry about `object`, sent with `send`; signed again on the head the
 * server gives when the journal moved meanwhile (`409`).
 */
export async function withOwnerEntry<T>(
  session: Unlocked,
  action: string,
  object: string,
  send: (journal: NewEntryBody) => Promise<T>,
): Promise<T> {
  const body = await sealPayload('journal_body', { kind: 'journal_body', v: 1 }, [session.keys.recipient]);
  const bodySha = b64encode(sha256(body));
  let last: unknown;
  for (let attempt = 0; attempt < 4; attempt++) {
    const head = await api.journalHead();
    const entry: Omit<JournalEntry, 'kind' | 'v' | 'actor'> = {
      action,
      object,
      body_sha256: bodySha,
      coffre: session.coffre,
      epoch: session.epoch,
      instance: session.instance,
      prev: head.prev,
      seq: head.next_seq,
      time: head.time,
    };
    const signed = signJournalEntry(session.keys.signing, entry);
    try {
      return await send({ entry: b64encode(signed), body: b64encode(body) });
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 409)) throw e;
      last = e;
    }
  }
  throw last;
}

export interface GrantChoice {
  categories: readonly PaperCategory[];
  rights: Rights;
  notBefore: number;
  notAfter: number;
  textSha256: string;
  mandate: string;
  /** What the owner calls the grantee ('' for none): sealed to the owner as the mandate's note. */
  name?: string;
}

/** The owner's note naming the grantee, sealed to the owner alone; none for an empty or refused name. */
async function sealedNote(
  session: Unlocked,
  mandate: string,
  name: string,
  created: number,
): Promise<string | undefined> {
  if (!name) return undefined;
  try {
    return b64encode(
      await sealMandateNote(
        session.keys.signing,
        { ...ctxOf(session), mandate, name, created },
        session.keys.recipient,
      ),
    );
  } catch (e) {
    // A name the note cannot hold (a control character pasted in): the mandate goes without it.
    if (!(e instanceof CoffreCryptoError)) throw e;
    console.warn('no note for this name', e.code);
    return undefined;
  }
}

/**
 * Signs and stores the mandate with its `mandate_granted` entry, then (consult rights) wraps
 * the covered categories' current keys to the grantee. Returns the mandate's number.
 */
export async function giveMandate(
  session: Unlocked,
  who: ResolvedGrantee,
  choice: GrantChoice,
  m: MandatesApi = mandatesApi,
): Promise<number> {
  const statement = signMandate(session.keys.signing, {
    ...ctxOf(session),
    mandate: choice.mandate,
    grantee: who.grantee,
    categories: choice.categories.map((c) => c.id),
    rights: choice.rights,
    not_before: choice.notBefore,
    not_after: choice.notAfter,
    text_sha256: choice.textSha256,
    created: choice.notBefore,
  });
  const note = await sealedNote(session, choice.mandate, choice.name ?? '', choice.notBefore);
  const granted = await withOwnerEntry(session, 'mandate_granted', choice.mandate, (journal) =>
    m.grant(b64encode(statement), journal, note),
  );
  if (choice.name) rememberName(session, choice.mandate, choice.name, choice.notBefore);
  if (choice.rights !== 'deposit') await giveKeys(session, choice.mandate, choice.categories, who.wrapTo, m);
  // The names are a courtesy (the mandate stands without them): a failure is only logged,
  // and the grantee then sees « Démarche 1 sur N ».
  await giveLabels(session, choice.mandate, choice.categories, who.wrapTo, choice.notBefore, m).catch((e) => {
    if (!(e instanceof ApiError)) throw e;
    console.warn('labels not given', e.code);
  });
  return granted.number;
}

/**
 * Each covered category's label (its name and icon, owner-signed), sealed to the grantee
 * (`PUT /api/mandates/{id}/labels`): the grantee's workspace then names the démarche.
 */
export async function giveLabels(
  session: Unlocked,
  mandate: string,
  categories: readonly PaperCategory[],
  recipient: string,
  created: number,
  m: MandatesApi = mandatesApi,
): Promise<void> {
  const labels = await Promise.all(
    categories.map(async (c) => {
      const file = await sealCategoryLabel(
        session.keys.signing,
        { ...ctxOf(session), category: c.id, name: c.name, icon: c.icon, created },
        [recipient],
      );
      return { category: c.id, label: b64encode(file) };
    }),
  );
  await m.putLabels(mandate, labels);
}

/** The covered categories' current keys, wrapped to the grantee (`PUT /api/mandates/{id}/keys`). */
export async function giveKeys(
  session: Unlocked,
  mandate: string,
  categories: readonly PaperCategory[],
  recipient: string,
  m: MandatesApi = mandatesApi,
): Promise<void> {
  const wraps = await Promise.all(
    categories.map(async (c) => {
      const identity = c.current.key.identity;
      if (typeof identity !== 'string') fail('recipient_mismatch', 'a category key this page cannot wrap');
      const wrap = await wrapCategoryKey(
        { coffre: session.coffre, category: c.id, generation: c.current.generation, identity },
        [recipient],
      );
      return { category: c.id, generation: c.current.generation, wrap: b64encode(wrap) };
    }),
  );
  await m.putKeys(mandate, wraps);
}

/** Revokes a mandate now, with its `mandate_revoked` entry. */
export async function revokeMandate(session: Unlocked, mandate: string, m: MandatesApi = mandatesApi): Promise<void> {
  await withOwnerEntry(session, 'mandate_revoked', mandate, async (journal) => {
    const head = await api.journalHead();
    const revocation = signRevocation(session.keys.signing, { ...ctxOf(session), mandate, created: head.time });
    return m.revoke(mandate, b64encode(revocation), journal);
  });
  // So that a restore from an older backup cannot bring it back (revocations.ts).
  rememberRevocation(session, mandate);
}

/** One given mandate, verified, with what was done under it. */
export interface GivenMandate {
  item: MandateItem;
  /** The verified statement, or the code it failed with (then nothing else is shown). */
  mandate?: Verified<Mandate>;
  refused?: string;
  receipts: AccessReceipt[];
  /** The receipts' check failed (a gap, a bad signature…): shown as a warning. */
  receiptsProblem?: string;
  /**
   * The grantee-signed statements served for this mandate whose signature verified (access
   * receipts, deposits' uploads, a renunciation), as the journal's proofs are matched to them.
   */
  statements: GranteeStatement[];
  /** An organisation mandate: the organisation's name as the server says it (not signed; its root is). */
  orgName?: string;
  /**
   * The name the owner gave the grantee: from the owner's note once it verified (any
   * device), else this device's cache; '' when neither.
   */
  name: string;
  /** The `created` of the note that name came from (0 when none, or not known): a rename is dated after it. */
  nameCreated: number;
}

/**
 * Who may sign under a mandate: the person, or every key the organisation's chain ever named
 * (a removed aidant's earlier receipts stay valid), with the chain's current state.
 */
export async function granteeSide(
  session: Unlocked,
  m: Mandate,
): Promise<{ signers: string[]; org?: OrgState; orgName?: string }> {
  if (m.grantee.type === 'person') return { signers: [m.grantee.key] };
  const { info, state } = await verifiedOrganisation(session, m.grantee.id);
  if (info.root !== m.grantee.key) fail('root_mismatch', 'the organisation has another root');
  const keys = new Set<string>();
  for (const c of info.chain) keys.add(openStatement<OrgChainEntry>(b64decode(c), 'org_chain').body.member.key);
  // The name is the server's (not signed); the root the mandate pinned is what is verified.
  return { signers: [...keys], org: state, orgName: info.name };
}

/** The mandate's end, verified: the owner's revocation, or the grantee's renunciation. */
export function endsOf(item: MandateItem, session: Unlocked, m: Verified<Mandate>, org?: OrgState): MandateEnd[] {
  if (!item.end) return [];
  const bytes = b64decode(item.end);
  // The server says which; a statement of the other kind fails its parser (`wrong_kind`).
  return item.state === 'renounced'
    ? [verifyRenunciation(bytes, m.body, org)]
    : [verifyRevocation(bytes, session.keys.publicKey, m.body)];
}

/**
 * Every mandate this coffre gave, each verified with the owner key, and its access receipts
 * verified in this browser. Counters are per (grantee key, coffre) across all mandates, so
 * the gap check runs on the receipts of all mandates together, per grantee key.
 */
export async function loadGiven(session: Unlocked, m: MandatesApi = mandatesApi): Promise<GivenMandate[]> {
  const { given } = await m.list();
  const ctx = ctxOf(session);
  const out: GivenMandate[] = [];
  const all: { key: string; counter: number; index: number }[] = [];
  await preverifyStatements(given.flatMap((item) => [item.statement, item.end]));
  for (const item of given) {
    const one: GivenMandate = { item, receipts: [], statements: [], name: '', nameCreated: 0 };
    out.push(one);
    try {
      one.mandate = openMandate(b64decode(item.statement), session.keys.publicKey, ctx, item.grantee.key);
    } catch (e) {
      one.refused = e instanceof CoffreCryptoError ? e.code : 'malformed';
      continue;
    }
    const named = await ownerName(session, item);
    one.name = named?.name ?? '';
    one.nameCreated = named?.created ?? 0;
    try {
      const mandate = one.mandate;
      const { signers, org, orgName } = await granteeSide(session, mandate.body);
      one.orgName = orgName;
      const ends = endsOf(item, session, mandate, org);
      const envelopes = (await m.receipts(item.mandate)).receipts.map((r) => b64decode(r));
      await preverifyStatements(envelopes);
      // Each receipt verified on its own here; the counters are checked below, all mandates together.
      for (const bytes of envelopes) {
        const peek = openStatement<AccessReceipt>(bytes, 'access_receipt').body;
        const [v] = verifyAccessReceipts(
          [bytes],
          signers,
          ctx,
          mandate,
          ends,
          new Map([[peek.grantee_key, peek.counter - 1]]),
        );
        if (v) {
          one.receipts.push(v.body);
          one.statements.push(granteeStatement('access_receipt', bytes));
        }
      }
      if (item.end && item.state === 'renounced')
        one.statements.push(granteeStatement('renunciation', b64decode(item.end)));
      if (mandate.body.rights !== 'consult') {
        for (const d of (await m.deposits(item.mandate)).deposits) {
          const bytes = b64decode(d.statement);
          const up = openStatement<{ uploader: string; mandate?: string }>(bytes, 'upload').body;
          if (!signers.includes(up.uploader) || up.mandate !== item.mandate)
            fail('unauthorised_signer', 'a deposit not signed under this mandate');
          verifyStatement(bytes, 'upload', [up.uploader]);
          one.statements.push(granteeStatement('upload', bytes));
        }
      }
      for (const r of one.receipts) all.push({ key: r.grantee_key, counter: r.counter, index: out.length - 1 });
    } catch (e) {
      one.receiptsProblem = e instanceof CoffreCryptoError ? e.code : e instanceof ApiError ? e.code : 'malformed';
    }
  }
  // A dropped receipt leaves a gap in its key's counters: every mandate of that key is warned.
  const byKey = new Map<string, typeof all>();
  for (const r of all) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
  for (const list of byKey.values()) {
    list.sort((a, b) => a.counter - b.counter);
    try {
      checkReceiptCounters(list.map((r) => ({ grantee_key: r.key, counter: r.counter })));
    } catch (e) {
      const code = e instanceof CoffreCryptoError ? e.code : 'counter_gap';
      for (const r of list) {
        const g = out[r.index];
        if (g) g.receiptsProblem ??= code;
      }
    }
  }
  return out;
}
