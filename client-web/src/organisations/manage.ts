// What a responsable's client does with an organisation (docs/design/organisations-screens.md):
// found it (the root key made on this device, the genesis, organisation key generation 0),
// add an aidant after the face-to-face check (`add_member`, then the key generations this
// responsable holds wrapped to her too), remove one (`remove_member`, then at once a new
// `org_key` certified by the root), change a role (`set_role`). Once there are two
// responsables, each change is a proposal another responsable countersigns (./proposals.ts).
// New keys are wrapped to each member of the chain as this
// client verified it, never to the members the server lists: an admin who adds a row in the
// database gets no wrap from here.
import { ApiError, api } from '../api';
import { b64decode, b64encode, zeroize } from '../crypto/encoding';
import { generateIdentity, hkdf32, recipientOf, SigningKey } from '../crypto/keys';
import {
  type Member,
  type OrgState,
  requiredSignatures,
  signOrgChainEntry,
  signOrgKey,
  unwrapOrgKey,
  verifyOrgChain,
  verifyOrgKey,
  wrapOrgKey,
} from '../crypto/organisation';
import { ZERO_HASH_B64 } from '../crypto/statement';
import type { OrganisationInfo } from '../mandates/api';
import type { GranteeCode } from '../mandates/code';
import { verifiedOrganisation } from '../mandates/owner';
import type { Unlocked } from '../session';
import { type OrganisationsApi, organisationsApi } from './api';

/** The HKDF `info` of an organisation's root key, derived from the founder's owner seed. */
export const INFO_ORG_ROOT = 'coffre/v1/organisation/root';

/**
 * The organisation's root signing key: HKDF-SHA-256(seed, salt = the organisation id,
 * info = INFO_ORG_ROOT). Nothing is stored: the founder's account (its current epoch's seed)
 * makes it again whenever a new organisation key must be certified.
 */
export function organisationRoot(seed: Uint8Array, organisation: string): SigningKey {
  const bytes = hkdf32(seed, organisation, INFO_ORG_ROOT);
  try {
    return new SigningKey(bytes);
  } finally {
    zeroize(bytes);
  }
}

/** Something this client will not do, with a stable code for the screen. */
export class OrganisationError extends Error {
  readonly code:
    | 'not_founder'
    | 'not_responsable'
    | 'own_proposal'
    | 'proposal_changed'
    | 'already_member'
    | 'not_a_member'
    | 'not_a_person_code';
  constructor(code: OrganisationError['code']) {
    super(code);
    this.code = code;
  }
}

/**
 * Founds the organisation of a founding link; returns its id and name. `onFounded` runs once
 * the genesis is stored (the link is used up then, even if making the key fails after it).
 */
export async function foundOrganisation(
  session: Unlocked,
  token: string,
  m: OrganisationsApi = organisationsApi,
  onFounded: () => void = () => {},
): Promise<{ organisation: string; name: string }> {
  const { organisation, name } = await m.checkFounding(token);
  const { now } = await api.instance();
  const root = organisationRoot(session.seed, organisation);
  try {
    const genesis = signOrgChainEntry(
      {
        instance: session.instance,
        organisation,
        seq: 0,
        prev: ZERO_HASH_B64,
        action: 'found',
        member: { key: session.keys.publicKey, recipient: session.keys.recipient, role: 'responsable' },
        created: now,
      },
      root,
    );
    // Checked here as every client will check it, before it is sent.
    verifyOrgChain([genesis], root.publicB64, null, { instance: session.instance, organisation });
    await m.found(token, b64encode(genesis));
    onFounded();
  } finally {
    root.destroy();
  }
  await rotateKey(session, organisation, m);
  return { organisation, name };
}

/**
 * Makes the next organisation key: certified by the root (this account must be the founder),
 * made at the chain's head, wrapped to every member of the verified chain.
 */
export async function rotateKey(
  session: Unlocked,
  organisation: string,
  m: OrganisationsApi = organisationsApi,
): Promise<number> {
  const { info, state } = await verifiedOrganisation(session, organisation, m);
  const root = organisationRoot(session.seed, organisation);
  try {
    if (root.publicB64 !== info.root) throw new OrganisationError('not_founder');
    const ctx = { instance: session.instance, organisation };
    let next = 0;
    for (const k of info.keys)
      next = Math.max(next, verifyOrgKey(b64decode(k.cert), info.root, ctx).body.generation + 1);
    const { now } = await api.instance();
    const identity = generateIdentity();
    const cert = signOrgKey(root, {
      instance: session.instance,
      organisation,
      generation: next,
      recipient: recipientOf(identity),
      chain_seq: state.checkpoint.seq,
      created: now,
    });
    const wraps = await Promise.all(
      [...state.members.values()].map(async (member) => ({
        member: member.key,
        wrap: b64encode(await wrapOrgKey({ organisation, generation: next, identity }, [member.recipient])),
      })),
    );
    return (await m.addKey(organisation, b64encode(cert), wraps)).generation;
  } finally {
    root.destroy();
  }
}

export function asResponsable(session: Unlocked, state: OrgState): void {
  if (state.members.get(session.keys.publicKey)?.role !== 'responsable') throw new OrganisationError('not_responsable');
}

/** A change signed: appended (one responsable), or kept as a proposal for a second one. */
export type Signed = 'appended' | 'proposed';

/**
 * Signs the next chain statement with this responsable's key. With one responsable it is
 * appended; with two or more it is posted as a proposal that another responsable countersigns.
 * Checked first as every client will check it (the chain with it, once countersigned).
 */
async function signChange(
  session: Unlocked,
  organisation: string,
  action: 'add_member' | 'remove_member' | 'set_role',
  member: Member,
  state: OrgState,
  m: OrganisationsApi,
): Promise<Signed> {
  const { now } = await api.instance();
  const statement = signOrgChainEntry(
    {
      instance: session.instance,
      organisation,
      seq: state.checkpoint.seq + 1,
      prev: state.checkpoint.hash,
      action,
      member,
      created: now,
    },
    session.keys.signing,
  );
  if (requiredSignatures(state) > 1) {
    await m.propose(organisation, b64encode(statement));
    return 'proposed';
  }
  await m.append(organisation, b64encode(statement));
  return 'appended';
}

/** One organisation key generation wrapped to one member, as `POST …/wraps` takes it. */
export interface GenerationWrap {
  generation: number;
  member: string;
  wrap: string;
}

/** An organisation key generation this account holds, opened. */
export type HeldKey = Awaited<ReturnType<typeof unwrapOrgKey>>;

/**
 * The key generations this account holds: its own wraps, each opened once and checked against
 * its root-signed certificate (one that does not verify throws). A wrap without a certificate
 * is left out.
 */
export async function heldKeys(session: Unlocked, organisation: string, info: OrganisationInfo): Promise<HeldKey[]> {
  const ctx = { instance: session.instance, organisation };
  const held: HeldKey[] = [];
  for (const w of info.wraps) {
    const cert = info.keys.find((k) => k.generation === w.generation);
    if (!cert) continue;
    const body = verifyOrgKey(b64decode(cert.cert), info.root, ctx).body;
    held.push(await unwrapOrgKey(b64decode(w.wrap), [session.keys.identity], body));
  }
  return held;
}

/** Wraps each of `held` again to `member`. */
async function wrapHeldTo(organisation: string, held: readonly HeldKey[], member: Member): Promise<GenerationWrap[]> {
  return Promise.all(
    held.map(async ({ generation, identity }) => ({
      generation,
      member: member.key,
      wrap: b64encode(await wrapOrgKey({ organisation, generation, identity }, [member.recipient])),
    })),
  );
}

/**
 * The key generations this account holds (its own wraps, each checked against its root-signed
 * certificate), wrapped again to `member`: a new member then opens the category keys owners
 * wrapped to organisation keys made before she joined. Generations this account lacks are
 * skipped (she cannot get them from here).
 */
export async function heldKeysFor(
  session: Unlocked,
  organisation: string,
  info: OrganisationInfo,
  member: Member,
): Promise<GenerationWrap[]> {
  return wrapHeldTo(organisation, await heldKeys(session, organisation, info), member);
}

/** Most wraps in one `POST …/wraps` (the server's `MAX_WRAPS`). */
export const MAX_WRAPS_PER_REQUEST = 256;

/**
 * Gives every current member the organisation key generations this responsable holds and the
 * server does not list as wrapped to her (`wrapped`): what a wraps post that never arrived
 * (a cut connection after the `add_member`, a closed tab), a countersigning responsable who
 * lacked a generation, or a new key whose wraps missed someone left out. Returns how many
 * members were given at least one generation.
 *
 * The members are those of the chain this client verified, with the recipients it names,
 * never a member the server lists on its own; the generations are this account's own wraps,
 * each checked against its root-signed certificate (`heldKeys`: each opened once, not once
 * per member). The server's `wrapped` list only decides what is left out: a server that lies
 * in it can make this client post a wrap it already holds — it refuses it (`409`) — or skip
 * one, and then the member lacks that generation: availability only, never a key to someone
 * the verified chain does not name.
 *
 * A `409` (another responsable's device gave one first; the server stores a request all or
 * nothing) reads the organisation again and gives what is still missing, once; a second `409`
 * is left for the next opening. Any other failure throws (nothing is lost: the next call
 * gives it again).
 */
export async function completeKeys(
  session: Unlocked,
  organisation: string,
  m: OrganisationsApi = organisationsApi,
  verified?: { info: OrganisationInfo; state: OrgState },
): Promise<number> {
  const given = new Set<string>();
  let current = verified ?? (await verifiedOrganisation(session, organisation, m));
  for (let attempt = 0; attempt < 2; attempt++) {
    const { info, state } = current;
    if (state.members.get(session.keys.publicKey)?.role !== 'responsable') break;
    const missing = await missingWraps(session, organisation, info, state);
    if (missing.length === 0) break;
    try {
      for (let i = 0; i < missing.length; i += MAX_WRAPS_PER_REQUEST) {
        const batch = missing.slice(i, i + MAX_WRAPS_PER_REQUEST);
        await m.addWraps(organisation, batch);
        for (const w of batch) given.add(w.member);
      }
      break;
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 409)) throw e;
      if (attempt === 0) current = await verifiedOrganisation(session, organisation, m);
    }
  }
  return given.size;
}

/**
 * The wraps `completeKeys` posts: each generation this account holds, to each other member of
 * the verified chain the server does not list it as wrapped to.
 */
async function missingWraps(
  session: Unlocked,
  organisation: string,
  info: OrganisationInfo,
  state: OrgState,
): Promise<GenerationWrap[]> {
  const stored = new Set(info.wrapped.map((w) => `${w.generation} ${w.member}`));
  const members = [...state.members.values()].filter((x) => x.key !== session.keys.publicKey);
  const lacking = (member: Member, generation: number) => !stored.has(`${generation} ${member.key}`);
  if (!members.some((x) => info.wraps.some((w) => lacking(x, w.generation)))) return [];
  const held = await heldKeys(session, organisation, info);
  const wraps: GenerationWrap[] = [];
  for (const member of members)
    wraps.push(
      ...(await wrapHeldTo(
        organisation,
        held.filter((k) => lacking(member, k.generation)),
        member,
      )),
    );
  return wraps;
}

/**
 * Habilitates the aidant whose « Mon code » was read and whose five words were compared:
 * the `add_member` statement, then the organisation key generations this responsable holds
 * wrapped to her (no new generation: an arrival does not need one). Everything is checked
 * and wrapped before anything is sent. Returns how many generations she was given.
 */
export async function addAidant(
  session: Unlocked,
  organisation: string,
  code: GranteeCode,
  m: OrganisationsApi = organisationsApi,
): Promise<number | 'proposed'> {
  if (code.type !== 'person') throw new OrganisationError('not_a_person_code');
  const { info, state } = await verifiedOrganisation(session, organisation, m);
  asResponsable(session, state);
  if (state.members.has(code.key)) throw new OrganisationError('already_member');
  const member: Member = { key: code.key, recipient: code.recipient, role: 'aidant' };
  const wraps = await heldKeysFor(session, organisation, info, member);
  // A proposal: the countersigning responsable gives her the keys once she is a member.
  if ((await signChange(session, organisation, 'add_member', member, state, m)) === 'proposed') return 'proposed';
  if (wraps.length > 0) await m.addWraps(organisation, wraps);
  return wraps.length;
}

/**
 * Removes a member (as the verified chain names it), then rotates the key at once; with two
 * responsables, proposes the removal (the key changes once it is countersigned).
 */
export async function removeMember(
  session: Unlocked,
  organisation: string,
  key: string,
  m: OrganisationsApi = organisationsApi,
): Promise<number | 'proposed'> {
  const { state } = await verifiedOrganisation(session, organisation, m);
  asResponsable(session, state);
  const member = state.members.get(key);
  if (!member) throw new OrganisationError('not_a_member');
  if ((await signChange(session, organisation, 'remove_member', member, state, m)) === 'proposed') return 'proposed';
  return rotateKey(session, organisation, m);
}

/**
 * Gives a member another role (`set_role`: « Nommer responsable », or the reverse): her key
 * and recipient exactly as the verified chain names them. Not a removal: no new key.
 */
export async function setRole(
  session: Unlocked,
  organisation: string,
  key: string,
  role: Member['role'],
  m: OrganisationsApi = organisationsApi,
): Promise<Signed> {
  const { state } = await verifiedOrganisation(session, organisation, m);
  asResponsable(session, state);
  const member = state.members.get(key);
  if (!member) throw new OrganisationError('not_a_member');
  return signChange(session, organisation, 'set_role', { ...member, role }, state, m);
}

/** Is this account the founder (the root derived from its seed is the organisation's)? */
export function isFounder(session: Unlocked, organisation: string, root: string): boolean {
  const key = organisationRoot(session.seed, organisation);
  try {
    return key.publicB64 === root;
  } finally {
    key.destroy();
  }
}
