// Two responsables signing together (docs/design/organisations-screens.md): a change signed
// on one responsable's device waits on the server as a proposal; another responsable's client
// reads it, checks it against the chain this browser verified (never the server's word: the
// one signature, a current responsable's other than hers, the statement right after the
// verified head, and the whole chain with her countersignature), shows what it does, and
// countersigns it: the two-signature statement is appended like any other. Then, as after a
// change made alone: an added aidant gets the key generations this responsable holds
// (`completeKeys`, which gives any current member what she lacks); a
// removal makes a new organisation key if this account is the founder (only the founder
// certifies keys; otherwise « Mon organisation » asks the founder to make it).
import { b64decode, b64encode } from '../crypto/encoding';
import { fingerprint, fingerprintWords } from '../crypto/keys';
import { type Member, type OrgChainEntry, type OrgState, verifyOrgChain } from '../crypto/organisation';
import { countersignStatement, openStatement, peekStatement } from '../crypto/statement';
import type { OrganisationInfo } from '../mandates/api';
import { verifiedOrganisation } from '../mandates/owner';
import type { Unlocked } from '../session';
import { type OrganisationsApi, type OrgProposal, organisationsApi } from './api';
import { asResponsable, completeKeys, isFounder, OrganisationError, rotateKey } from './manage';

/** A proposal this client checked, as the screen shows it. */
export interface CheckedProposal {
  proposal: string;
  action: Exclude<OrgChainEntry['action'], 'found'>;
  /** The member as the statement names her (with her new role for `set_role`). */
  member: Member;
  /** Her five words (key and recipient). */
  words: string;
  /** The proposing responsable's five words, as the verified chain names her. */
  proposerWords: string;
  /** Signed by this account: it waits for another responsable. */
  mine: boolean;
  /** The chain seq it would take. */
  seq: number;
}

/** One of this account's own proposals, as this device saw it waiting. */
export interface RememberedRequest {
  proposal: string;
  seq: number;
  action: CheckedProposal['action'];
  member: Member;
}

/** What became of a proposal this account made, once it no longer waits. */
export interface RequestOutcome {
  request: RememberedRequest;
  words: string;
  /** Countersigned: the other responsable's five words (null if she is no member now). */
  signedBy: string | null;
  /** In the verified chain as proposed; otherwise refused, or overtaken by another change. */
  signed: boolean;
}

const sameMember = (a: Member, b: Member) => a.key === b.key && a.recipient === b.recipient && a.role === b.role;

/**
 * The outcomes of `remembered` requests that no longer wait (not among `pending`), read from
 * the chain this browser verified (`entries`, every one from seq 0): signed if the entry at
 * its seq is that very change with this account's signature and another's; else it was
 * refused or the chain moved first (the host could also have dropped it: the same words).
 */
export function requestOutcomes(
  remembered: readonly RememberedRequest[],
  pending: readonly CheckedProposal[],
  entries: readonly Uint8Array[],
  state: OrgState,
  me: string,
): RequestOutcome[] {
  const waiting = new Set(pending.map((p) => p.proposal));
  const outcomes: RequestOutcome[] = [];
  for (const r of remembered) {
    if (waiting.has(r.proposal)) continue;
    let signedBy: string | null = null;
    let signed = false;
    const at = entries[r.seq];
    if (at) {
      const peeked = peekStatement<OrgChainEntry>(at, 'org_chain');
      const keys = peeked.parsed.env.sigs.map((x) => x.key);
      const e = peeked.body;
      if (e.seq === r.seq && e.action === r.action && sameMember(e.member, r.member) && keys.includes(me)) {
        signed = true;
        const other = state.members.get(keys.find((k) => k !== me) ?? '');
        signedBy = other ? memberWords(other) : null;
      }
    }
    outcomes.push({ request: r, words: memberWords(r.member), signedBy, signed });
  }
  return outcomes;
}

// This account's waiting proposals, per organisation: in the browser's storage on a personal
// device, in this page's memory on a shared computer (forgotten with the session).
const sharedRequests = new Map<string, RememberedRequest[]>();
const requestsKey = (organisation: string, me: string) => `coffre-org-requests:${organisation}:${me}`;

function loadRequests(session: Unlocked, organisation: string): RememberedRequest[] {
  const key = requestsKey(organisation, session.keys.publicKey);
  if (session.shared) return sharedRequests.get(key) ?? [];
  try {
    const kept = JSON.parse(localStorage.getItem(key) ?? '[]');
    return Array.isArray(kept) ? kept : [];
  } catch {
    return [];
  }
}

function saveRequests(session: Unlocked, organisation: string, requests: RememberedRequest[]): void {
  const key = requestsKey(organisation, session.keys.publicKey);
  if (session.shared) {
    sharedRequests.set(key, requests);
    return;
  }
  try {
    if (requests.length === 0) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(requests));
  } catch {
    // storage full: the news of these requests is lost, nothing else
  }
}

const memberWords = (m: Member) => fingerprintWords(fingerprint(m.key, m.recipient));

/**
 * Checks one proposal against the verified chain; returns what it does and, when this
 * account may countersign it, the countersigned statement (not sent). Throws
 * `proposal_changed` for one that does not apply, whatever the reason.
 */
function check(
  session: Unlocked,
  organisation: string,
  info: OrganisationInfo,
  state: OrgState,
  p: OrgProposal,
): { shown: CheckedProposal; countersigned: Uint8Array | null } {
  try {
    const bytes = b64decode(p.statement);
    const v = openStatement<OrgChainEntry>(bytes, 'org_chain');
    const e = v.body;
    const proposer = v.signers.length === 1 ? state.members.get(v.signers[0] ?? '') : undefined;
    if (!proposer || proposer.role !== 'responsable') throw new OrganisationError('proposal_changed');
    if (e.action === 'found' || e.seq !== state.checkpoint.seq + 1 || e.prev !== state.checkpoint.hash)
      throw new OrganisationError('proposal_changed');
    const mine = proposer.key === session.keys.publicKey;
    let countersigned: Uint8Array | null = null;
    if (!mine) {
      countersigned = countersignStatement(bytes, session.keys.signing);
      // The whole chain with it, as every client will verify it.
      verifyOrgChain([...info.chain.map((c) => b64decode(c)), countersigned], info.root, state.checkpoint, {
        instance: session.instance,
        organisation,
      });
    }
    const shown: CheckedProposal = {
      proposal: p.proposal,
      action: e.action,
      member: e.member,
      words: memberWords(e.member),
      proposerWords: memberWords(proposer),
      mine,
      seq: e.seq,
    };
    return { shown, countersigned };
  } catch {
    throw new OrganisationError('proposal_changed');
  }
}

/** The proposals that apply to the chain this browser verified (the others are not shown). */
export async function pendingProposals(
  session: Unlocked,
  organisation: string,
  m: OrganisationsApi = organisationsApi,
): Promise<CheckedProposal[]> {
  return (await proposalsAndNews(session, organisation, m)).pending;
}

/**
 * The pending proposals, and what became of this account's own ones this device saw waiting
 * (each told once: then forgotten; the ones still waiting are remembered for next time).
 */
export async function proposalsAndNews(
  session: Unlocked,
  organisation: string,
  m: OrganisationsApi = organisationsApi,
): Promise<{ pending: CheckedProposal[]; news: RequestOutcome[] }> {
  const { info, state } = await verifiedOrganisation(session, organisation, m);
  if (state.members.get(session.keys.publicKey)?.role !== 'responsable') return { pending: [], news: [] };
  const { proposals } = await m.proposals(organisation);
  const pending: CheckedProposal[] = [];
  for (const p of proposals) {
    try {
      pending.push(check(session, organisation, info, state, p).shown);
    } catch {
      // Does not apply to the verified chain: not offered for signing.
    }
  }
  const news = requestOutcomes(
    loadRequests(session, organisation),
    pending,
    info.chain.map((c) => b64decode(c)),
    state,
    session.keys.publicKey,
  );
  saveRequests(
    session,
    organisation,
    pending
      .filter((p) => p.mine)
      .map((p) => ({ proposal: p.proposal, seq: p.seq, action: p.action, member: p.member })),
  );
  return { pending, news };
}

/** What countersigning did after the statement was appended. */
export type Countersigned =
  | {
      action: 'add_member';
      /** How many members were given key generations they lacked (`completeKeys`). */
      given: number;
    }
  | { action: 'remove_member'; generation: number | null }
  | { action: 'set_role' };

/**
 * Countersigns a proposal after checking it again against a freshly verified chain, and
 * appends it. A proposal that no longer applies is refused (deleted) and `proposal_changed`.
 */
export async function countersign(
  session: Unlocked,
  organisation: string,
  proposal: string,
  m: OrganisationsApi = organisationsApi,
): Promise<Countersigned> {
  const { info, state } = await verifiedOrganisation(session, organisation, m);
  asResponsable(session, state);
  const p = (await m.proposals(organisation)).proposals.find((x) => x.proposal === proposal);
  if (!p) throw new OrganisationError('proposal_changed');
  let checked: ReturnType<typeof check>;
  try {
    checked = check(session, organisation, info, state, p);
  } catch (e) {
    await m.refuseProposal(organisation, proposal).catch(() => {});
    throw e;
  }
  const { shown, countersigned } = checked;
  if (!countersigned) throw new OrganisationError('own_proposal');
  await m.append(organisation, b64encode(countersigned));
  if (shown.action === 'add_member') {
    // She is a member now: the chain read again gives her the generations this responsable
    // holds (and anyone else what they lack). Appended already, so a failure here is no
    // failure to sign: the next opening of « Mon organisation » gives them again.
    const given = await completeKeys(session, organisation, m).catch(() => 0);
    return { action: 'add_member', given };
  }
  if (shown.action === 'remove_member') {
    const founder = isFounder(session, organisation, info.root);
    return { action: 'remove_member', generation: founder ? await rotateKey(session, organisation, m) : null };
  }
  return { action: 'set_role' };
}

/** Refuses (or, for one's own, withdraws) a proposal: the server deletes it. */
export async function refuseProposal(
  session: Unlocked,
  organisation: string,
  proposal: string,
  m: OrganisationsApi = organisationsApi,
): Promise<void> {
  const { state } = await verifiedOrganisation(session, organisation, m);
  asResponsable(session, state);
  await m.refuseProposal(organisation, proposal);
}
