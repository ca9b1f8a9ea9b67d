// Category rotation after a mandate ends (protocol.md section 5, "Rotation";
// docs/design/mandates-screens.md). A grantee who could consult a category held its key
// CK[c, g]; once the mandate ends (revoked, renounced, expired) or an aidant leaves the
// organisation that holds it, the owner's client makes CK[c, g+1], signs its certificate,
// wraps it to the owner and to the consult grantees still in force, and sends it in one
// request with the owner's `category_rotated` journal entry
// (`POST /api/coffre/categories/{c}/generations`). New papers are then sealed to g+1;
// old papers stay under g (not re-encrypted), readable by the owner.
//
// Safe to retry: which categories to rotate is decided again from what the server serves
// (a category whose newest certificate is older than an end), the server stores the new
// generation with every wrap in one transaction, and a generation that exists (`409`) means
// an earlier try went through. Nothing is lost between two steps: until the request is
// stored the old generation stays the newest, and after it the owner's own wrap is stored.
import { ApiError, api } from '../api';
import { tenYearsAfter } from '../coffre/categories';
import { generateCategoryKey, sealCategoryLabel, signCategoryCert, wrapCategoryKey } from '../crypto/category';
import { b64decode, b64encode } from '../crypto/encoding';
import { type Mandate, openMandate } from '../crypto/mandate';
import { newestOrgKey, type OrgChainEntry } from '../crypto/organisation';
import { openStatement, type Verified } from '../crypto/statement';
import { verifiedJournal } from '../journal';
import { type PaperCategory, paperStoreFor } from '../paper-store';
import type { Unlocked } from '../session';
import { type MandateItem, type MandatesApi, mandatesApi } from './api';
import { endsOf, granteeSide, revokeMandate, verifiedOrganisation, withOwnerEntry } from './owner';
import { revokeAgainWhatARestoreLost } from './revocations';

/** A category as the decision needs it: its newest generation and when it was certified. */
export interface NewestGeneration {
  id: string;
  generation: number;
  /** The newest certificate's `created` (Unix seconds). */
  created: number;
}

/** A mandate this coffre gave, as the decision needs it. */
export interface MandateFacts {
  categories: readonly string[];
  rights: Mandate['rights'];
  /** When it ended: its revocation's or renunciation's signed `created`, or its `not_after` once expired. */
  endedAt?: number;
  /** An organisation mandate that has not ended: when its chain last removed a member. */
  lastRemovalAt?: number;
}

/**
 * The categories to rotate: those a consult mandate covered whose newest generation was
 * certified before that mandate ended, or before its organisation last removed a member.
 * A deposit-only grantee never held a category key: its end rotates nothing. Sorted.
 */
export function categoriesToRotate(
  categories: readonly NewestGeneration[],
  mandates: readonly MandateFacts[],
): string[] {
  const out = new Set<string>();
  for (const m of mandates) {
    if (m.rights === 'deposit') continue;
    const since = m.endedAt ?? m.lastRemovalAt;
    if (since === undefined) continue;
    for (const id of m.categories) {
      const newest = categories.find((c) => c.id === id);
      if (newest && since > newest.created) out.add(id);
    }
  }
  return [...out].sort();
}

/** A consult mandate still in force: where the new key goes (`null`: nowhere safe yet). */
export interface LiveGrantee {
  mandate: string;
  categories: readonly string[];
  /** The person's recipient or the organisation's current key; `null` while the organisation has no key made after its last removal. */
  wrapTo: string | null;
}

export interface RotationApi {
  journalHead(): Promise<{ time: number }>;
  /** Sends `body` with the owner's `category_rotated` entry about `category` (signed again if the journal moved). */
  addGeneration(category: string, body: Omit<Parameters<MandatesApi['addGeneration']>[1], 'journal'>): Promise<unknown>;
}

export interface RotationResult {
  /** Rotated now, or found rotated already (`409`). */
  rotated: string[];
  /** Left for the next unlock: an organisation grantee has no key made after its last removal. */
  waiting: string[];
}

/**
 * Makes and sends the next generation of each of `ids` (owner's categories `categories`),
 * its key wrapped to the owner and to each live consult grantee covering it.
 */
export async function rotateCategories(
  session: Pick<Unlocked, 'instance' | 'coffre' | 'epoch' | 'keys'>,
  categories: readonly PaperCategory[],
  ids: readonly string[],
  live: readonly LiveGrantee[],
  api: RotationApi,
): Promise<RotationResult> {
  const result: RotationResult = { rotated: [], waiting: [] };
  const ctx = { instance: session.instance, coffre: session.coffre, epoch: session.epoch };
  for (const id of ids) {
    const category = categories.find((c) => c.id === id);
    if (!category) continue;
    const grantees = live.filter((g) => g.categories.includes(id));
    if (grantees.some((g) => g.wrapTo === null)) {
      result.waiting.push(id);
      continue;
    }
    // The server's time: the certificate must be valid on its clock, and it is what the
    // ends it is compared with are dated by.
    const now = (await api.journalHead()).time;
    const generation = category.current.generation + 1;
    const key = generateCategoryKey();
    const ck = { coffre: session.coffre, category: id, generation, identity: key.identity };
    const cert = signCategoryCert(session.keys.signing, {
      ...ctx,
      category: id,
      generation,
      recipient: key.recipient,
      not_before: now,
      not_after: tenYearsAfter(now),
      created: now,
    });
    const [label, wrap, mandateWraps] = await Promise.all([
      sealCategoryLabel(
        session.keys.signing,
        { ...ctx, category: id, name: category.name, icon: category.icon, created: now },
        [session.keys.recipient],
      ),
      wrapCategoryKey(ck, [session.keys.recipient]),
      Promise.all(
        grantees.map(async (g) => ({
          mandate: g.mandate,
          wrap: b64encode(await wrapCategoryKey(ck, [g.wrapTo as string])),
        })),
      ),
    ]);
    try {
      await api.addGeneration(id, {
        cert: b64encode(cert),
        label: b64encode(label),
        wrap: b64encode(wrap),
        mandate_wraps: mandateWraps,
      });
    } catch (e) {
      // That generation exists: an earlier try (or another device) made it.
      if (!(e instanceof ApiError && e.status === 409)) throw e;
    }
    result.rotated.push(id);
  }
  return result;
}

/** When an organisation's chain last removed a member (its statement's `created`). */
function lastRemovalTime(chain: readonly string[]): number | undefined {
  let at: number | undefined;
  for (const c of chain) {
    const body = openStatement<OrgChainEntry>(b64decode(c), 'org_chain').body;
    if (body.action === 'remove_member') at = Math.max(at ?? 0, body.created);
  }
  return at;
}

const ENDED = new Set(['expired', 'revoked', 'renounced']);

/** What the decision and the wraps need of one given mandate (verified here). */
async function factsOf(
  session: Unlocked,
  item: MandateItem,
  m: MandatesApi,
): Promise<{ facts: MandateFacts; live?: LiveGrantee } | undefined> {
  let mandate: Verified<Mandate>;
  try {
    mandate = openMandate(b64decode(item.statement), session.keys.publicKey, {
      instance: session.instance,
      coffre: session.coffre,
      epoch: session.epoch,
    });
  } catch {
    // Another epoch's mandate (ended on the server) or one that does not verify: the
    // mandates screen says so; nothing is wrapped to it.
    return undefined;
  }
  const body = mandate.body;
  const facts: MandateFacts = { categories: body.categories, rights: body.rights };
  if (ENDED.has(item.state)) {
    if (item.state === 'expired') facts.endedAt = body.not_after;
    else {
      try {
        const { org } = await granteeSide(session, body);
        const [end] = endsOf(item, session, mandate, org);
        if (end) facts.endedAt = end.body.created;
      } catch (e) {
        // An end that does not verify is shown as such on « Mes mandats »; it dates nothing here.
        console.warn('an end that does not verify', item.mandate, e);
      }
    }
    return { facts };
  }
  if (body.rights === 'deposit') return { facts };
  if (body.grantee.type === 'person') {
    return {
      facts,
      live: { mandate: body.mandate, categories: body.categories, wrapTo: body.grantee.recipient ?? null },
    };
  }
  let org: Awaited<ReturnType<typeof verifiedOrganisation>>;
  try {
    org = await verifiedOrganisation(session, body.grantee.id, m);
  } catch (e) {
    // A chain that does not verify: nothing is wrapped to it, its categories wait.
    console.warn('an organisation chain that does not verify', body.grantee.id, e);
    return { facts, live: { mandate: body.mandate, categories: body.categories, wrapTo: null } };
  }
  const { info, state } = org;
  const at = lastRemovalTime(info.chain);
  if (at !== undefined) facts.lastRemovalAt = at;
  let wrapTo: string | null = null;
  try {
    wrapTo = newestOrgKey(
      info.keys.map((k) => b64decode(k.cert)),
      body.grantee.key,
      body.grantee.id,
      state,
    ).body.recipient;
  } catch {
    // No key made since the last removal (`rollback`): a removed aidant still holds the
    // current one. The category waits for the responsable to make a new one.
  }
  return { facts, live: { mandate: body.mandate, categories: body.categories, wrapTo } };
}

/**
 * At unlock, and right after « Arrêter ce mandat »: rotates every category that a mandate's
 * end (or an organisation's removal) left under a key someone no longer entitled holds.
 * `after`: categories to rotate whatever the decision says (the mandate just revoked).
 */
export async function rotateAfterEnds(
  session: Unlocked,
  after: readonly string[] = [],
  m: MandatesApi = mandatesApi,
): Promise<RotationResult> {
  const store = paperStoreFor(session);
  store.forgetCategories();
  const [{ given }, categories] = await Promise.all([m.list(), store.categories()]);
  const all = await Promise.all(given.map((item) => factsOf(session, item, m)));
  const facts = all.flatMap((f) => (f ? [f.facts] : []));
  const live = all.flatMap((f) => (f?.live ? [f.live] : []));
  const newest = categories.map((c) => ({
    id: c.id,
    generation: c.current.generation,
    created: c.current.body.created,
  }));
  const ids = [...new Set([...categoriesToRotate(newest, facts), ...after])].sort();
  if (ids.length === 0) return { rotated: [], waiting: [] };
  const result = await rotateCategories(session, categories, ids, live, {
    journalHead: () => api.journalHead(),
    addGeneration: (id, body) =>
      withOwnerEntry(session, 'category_rotated', id, (journal) => m.addGeneration(id, { ...body, journal })),
  });
  // New papers are sealed to the new generations from now on.
  store.forgetCategories();
  return result;
}

const checked = new WeakSet<Unlocked>();

/**
 * Once per unlock (the coffre home asks when the journal names a mandate): rotates what an
 * expiry, a renunciation or a removal left behind since the last time, and what a
 * revocation's own rotation did not finish. A failure is only logged: the next unlock tries
 * again, and the server keeps the ended grantee out meanwhile.
 */
export async function rotateOnceAfterUnlock(session: Unlocked): Promise<RotationResult | undefined> {
  if (checked.has(session)) return undefined;
  checked.add(session);
  try {
    // A restore from an older backup may have brought back a mandate this device stopped:
    // stopped again first (dated now), so the rotation below sees that end too. Only when the
    // verified journal shows a restore: otherwise a running mandate this device stopped is the
    // host's lie, which « Mes mandats » warns of. (Its failure must not hold the rotation back.)
    if (verifiedJournal(session)?.some((e) => e.action === 'restored')) {
      await revokeAgainWhatARestoreLost(session, (mandate) => revokeMandate(session, mandate)).catch((e) =>
        console.warn('a revocation the server forgot is left for the next unlock', e),
      );
    }
    return await rotateAfterEnds(session);
  } catch (e) {
    checked.delete(session);
    console.warn('rotation left for the next unlock', e);
    return undefined;
  }
}
