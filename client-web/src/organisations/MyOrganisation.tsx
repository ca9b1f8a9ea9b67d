// /coffre/organisation: « Mon organisation ». Every member sees the organisation's name, its
// five words (its root's) and the members of its chain as this browser verified it; a
// responsable adds a person (her « Mon code » read, the five words compared face to face),
// removes one (then the organisation key changes), names one responsable (or aidant again),
// signs what another responsable proposed (« À signer », ./Proposals.tsx, once there are two)
// and sees the organisation's mandates (who, scope, days left; never papers). Opening it, a
// responsable's browser gives each member the key generations she lacks (`completeKeys`).
import { useEffect, useState } from 'preact/hooks';
import { b64decode } from '../crypto/encoding';
import { fingerprint, fingerprintWords } from '../crypto/keys';
import { type Member, type OrgState, responsables, verifyOrgKey } from '../crypto/organisation';
import type { GranteeCode } from '../mandates/code';
import { rightsText, Words } from '../mandates/common';
import { ReadCode } from '../mandates/Give';
import { verifiedOrganisation } from '../mandates/owner';
import { NeedsOpen } from '../pages/paper-common';
import { type Unlocked, unlocked } from '../session';
import { ErrorText, useFocusOnStep } from '../ui/Form';
import { Icon } from '../ui/Icon';
import { ROUTES } from '../ui/routes';
import { type Membership, type OrgMandate, organisationsApi } from './api';
import { addAidant, completeKeys, isFounder, removeMember, rotateKey, setRole } from './manage';
import { ToSign } from './Proposals';
import { stringsReady, t } from './strings';
import { orgProblem, Page, Section, Working } from './ui';

export default function MyOrganisation() {
  const session = unlocked.value;
  if (!stringsReady()) return null;
  if (!session) return <NeedsOpen />;
  return <Loaded session={session} />;
}

interface Shown {
  membership: Membership;
  state: OrgState;
  rootWords: string;
  generation: number | null;
  /** The newest key was made before the chain's last removal: a new one is needed. */
  keyStale: boolean;
  /** This account derives the root (it alone certifies keys). */
  founder: boolean;
  mandates: OrgMandate[];
  /** How many members this opening gave the key generations they lacked (`completeKeys`). */
  given: number;
}

type Load = { kind: 'loading' } | { kind: 'none' } | { kind: 'failed'; error: unknown } | { kind: 'shown'; org: Shown };

async function load(session: Unlocked): Promise<Load> {
  const { organisations } = await organisationsApi.mine();
  const wanted = new URLSearchParams(window.location.search).get('id');
  const membership = organisations.find((o) => o.organisation === wanted) ?? organisations[0];
  if (!membership) return { kind: 'none' };
  const id = membership.organisation;
  const { info, state } = await verifiedOrganisation(session, id);
  const ctx = { instance: session.instance, organisation: id };
  let generation: number | null = null;
  let madeAt = -1;
  for (const k of info.keys) {
    const body = verifyOrgKey(b64decode(k.cert), info.root, ctx).body;
    if (body.generation >= (generation ?? 0)) madeAt = body.chain_seq;
    generation = Math.max(generation ?? 0, body.generation);
  }
  const keyStale = generation !== null && state.lastRemoval !== undefined && madeAt < state.lastRemoval;
  // What this browser verified decides the role shown, not what the server says.
  const role = state.members.get(session.keys.publicKey)?.role;
  const mandates = role === 'responsable' ? (await organisationsApi.mandates(id)).mandates : [];
  // A responsable gives each member of the verified chain the generations she lacks (a wraps
  // post that never arrived); a failure shows nothing: the next opening tries again.
  const given =
    role === 'responsable' ? await completeKeys(session, id, organisationsApi, { info, state }).catch(() => 0) : 0;
  return {
    kind: 'shown',
    org: {
      membership: { ...membership, role: role ?? membership.role },
      state,
      rootWords: fingerprintWords(fingerprint(info.root)),
      generation,
      keyStale,
      founder: isFounder(session, id, info.root),
      mandates,
      given,
    },
  };
}

function Loaded({ session }: { session: Unlocked }) {
  const [loaded, setLoaded] = useState<Load>({ kind: 'loading' });
  const [notice, setNotice] = useState<string | null>(null);
  const reload = () =>
    load(session)
      .then(setLoaded)
      .catch((error) => setLoaded({ kind: 'failed', error }));
  useEffect(() => {
    void reload();
  }, [session]);

  return (
    <Page titleId="org-title">
      {loaded.kind === 'loading' && <Working messageId="org-loading" />}
      {loaded.kind === 'none' && <p id="org-none">{t('org-none')}</p>}
      {loaded.kind === 'failed' && <ErrorText id="org-error">{orgProblem(loaded.error)}</ErrorText>}
      {notice && (
        <p class="status-line with-icon" role="status" id="org-notice">
          <Icon name="check" />
          <span>{notice}</span>
        </p>
      )}
      {loaded.kind === 'shown' && (
        <Organisation
          session={session}
          org={loaded.org}
          onChanged={async (message) => {
            setNotice(message);
            await reload();
          }}
        />
      )}
      <div class="actions">
        <a class="button button-secondary" href={ROUTES.coffre}>
          <Icon name="back" />
          <span>{t('org-back')}</span>
        </a>
      </div>
    </Page>
  );
}

function Organisation({
  session,
  org,
  onChanged,
}: {
  session: Unlocked;
  org: Shown;
  onChanged: (message: string) => Promise<void>;
}) {
  const responsable = org.membership.role === 'responsable';
  return (
    <>
      <p class="org-name">
        <strong>{org.membership.name}</strong>
      </p>
      <p id="org-role">{t(responsable ? 'org-role-responsable' : 'org-role-aidant')}</p>
      {org.given > 0 && (
        <p class="status-line with-icon" role="status" id="org-keys-given">
          <Icon name="key" />
          <span>{t('org-keys-given', { count: org.given })}</span>
        </p>
      )}
      <Section title={t('org-words-title')} icon="eye">
        <p>{t('org-words-1')}</p>
        <Words words={org.rootWords} id="org-words" />
      </Section>
      {responsable && responsables(org.state).length >= 2 && (
        <ToSign
          session={session}
          organisation={org.membership.organisation}
          chain={org.state}
          founder={org.founder}
          onChanged={onChanged}
        />
      )}
      <Members session={session} org={org} onChanged={onChanged} />
      {responsable && <AddPerson session={session} org={org} onChanged={onChanged} />}
      <Section title={t('org-key-title')} icon="key">
        <p id="org-key">
          {org.generation === null ? t('org-key-none') : t('org-key-generation', { generation: org.generation })}
        </p>
        {org.keyStale && <p id="org-key-stale">{t('org-key-stale')}</p>}
        {responsable && (org.generation === null || org.keyStale) && !org.founder && (
          <p id="org-key-founder-only">{t('org-problem-not_founder')}</p>
        )}
        {responsable && (org.generation === null || org.keyStale) && org.founder && (
          <MakeKey session={session} org={org} onChanged={onChanged} />
        )}
      </Section>
      {responsable && <Mandates mandates={org.mandates} />}
      {!responsable && (
        <div class="actions">
          <a class="button button-primary" href={ROUTES.helped}>
            <Icon name="papers" />
            <span>{t('org-helped')}</span>
          </a>
        </div>
      )}
    </>
  );
}

/**
 * The founding stopped before key generation 0 was stored (the network, a closed tab): the
 * founder makes it here. Nobody can give the organisation a mandate until it has a key.
 */
function MakeKey({
  session,
  org,
  onChanged,
}: {
  session: Unlocked;
  org: Shown;
  onChanged: (message: string) => Promise<void>;
}) {
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const make = async () => {
    setWorking(true);
    setError(null);
    try {
      const generation = await rotateKey(session, org.membership.organisation);
      await onChanged(t('org-key-made', { generation }));
    } catch (e) {
      setError(e);
    } finally {
      setWorking(false);
    }
  };
  return (
    <>
      {error !== null && <ErrorText id="org-key-error">{orgProblem(error)}</ErrorText>}
      {working ? (
        <Working messageId="org-key-making" />
      ) : (
        <div class="actions">
          <button type="button" class="button button-primary" onClick={() => void make()}>
            <Icon name="key" />
            <span>{t('org-key-make')}</span>
          </button>
        </div>
      )}
    </>
  );
}

const memberWords = (m: Member) => fingerprintWords(fingerprint(m.key, m.recipient));

function Members({
  session,
  org,
  onChanged,
}: {
  session: Unlocked;
  org: Shown;
  onChanged: (message: string) => Promise<void>;
}) {
  const [removing, setRemoving] = useState<Member | null>(null);
  const [naming, setNaming] = useState<Member | null>(null);
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useFocusOnStep(removing?.key ?? naming?.key ?? (working ? 'working' : 'list'));
  const responsable = org.membership.role === 'responsable';
  const run = async (change: () => Promise<string>) => {
    setWorking(true);
    setError(null);
    try {
      const message = await change();
      setRemoving(null);
      setNaming(null);
      await onChanged(message);
    } catch (e) {
      setError(e);
    } finally {
      setWorking(false);
    }
  };
  const remove = (m: Member) =>
    run(async () =>
      (await removeMember(session, org.membership.organisation, m.key)) === 'proposed'
        ? t('org-proposed')
        : t('org-removed'),
    );
  const rename = (m: Member) => {
    const role = m.role === 'responsable' ? 'aidant' : 'responsable';
    return run(async () =>
      (await setRole(session, org.membership.organisation, m.key, role)) === 'proposed'
        ? t('org-proposed')
        : t(role === 'responsable' ? 'org-promoted' : 'org-demoted'),
    );
  };
  return (
    <Section title={t('org-members-title')} icon="identity">
      <p>{t('org-members-1')}</p>
      <ul class="org-list" aria-label={t('org-members-title')}>
        {[...org.state.members.values()].map((m) => {
          const me = m.key === session.keys.publicKey;
          return (
            <li key={m.key}>
              <h3>
                {t(m.role === 'responsable' ? 'org-member-responsable' : 'org-member-aidant')}
                {me && ` ${t('org-member-you')}`}
              </h3>
              <Words words={memberWords(m)} />
              {responsable && !me && removing?.key !== m.key && naming?.key !== m.key && (
                <div class="actions">
                  <button type="button" class="button button-secondary" onClick={() => setNaming(m)}>
                    <Icon name="identity" />
                    <span>{t(m.role === 'responsable' ? 'org-member-demote' : 'org-member-promote')}</span>
                  </button>
                  <button type="button" class="button button-secondary" onClick={() => setRemoving(m)}>
                    <Icon name="trash" />
                    <span>{t('org-member-remove')}</span>
                  </button>
                </div>
              )}
              {naming?.key === m.key && (
                <div class="org-confirm">
                  <h4>{t(m.role === 'responsable' ? 'org-demote-title' : 'org-promote-title')}</h4>
                  <p>{t(m.role === 'responsable' ? 'org-demote-1' : 'org-promote-1')}</p>
                  {error !== null && <ErrorText id="org-role-error">{orgProblem(error)}</ErrorText>}
                  {working ? (
                    <Working messageId="org-signing" />
                  ) : (
                    <div class="actions">
                      <button type="button" class="button button-primary" onClick={() => void rename(m)}>
                        <span>{t('org-role-yes')}</span>
                      </button>
                      <button type="button" class="button button-secondary" onClick={() => setNaming(null)}>
                        <span>{t('org-role-no')}</span>
                      </button>
                    </div>
                  )}
                </div>
              )}
              {removing?.key === m.key && (
                <div class="org-confirm">
                  <h4>{t('org-remove-title')}</h4>
                  <p>{t('org-remove-1')}</p>
                  <p>{t(org.founder ? 'org-remove-2' : 'org-sign-remove-founder')}</p>
                  {error !== null && <ErrorText id="org-remove-error">{orgProblem(error)}</ErrorText>}
                  {working ? (
                    <Working messageId="org-removing" />
                  ) : (
                    <div class="actions">
                      <button type="button" class="button button-primary" onClick={() => void remove(m)}>
                        <span>{t('org-remove-yes')}</span>
                      </button>
                      <button type="button" class="button button-secondary" onClick={() => setRemoving(null)}>
                        <span>{t('org-remove-no')}</span>
                      </button>
                    </div>
                  )}
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </Section>
  );
}

type AddStep =
  | { kind: 'idle' }
  | { kind: 'read'; problem?: string }
  | { kind: 'compare'; code: Extract<GranteeCode, { type: 'person' }> }
  | { kind: 'different' }
  | { kind: 'adding' };

function AddPerson({
  session,
  org,
  onChanged,
}: {
  session: Unlocked;
  org: Shown;
  onChanged: (message: string) => Promise<void>;
}) {
  const [step, setStep] = useState<AddStep>({ kind: 'idle' });
  useFocusOnStep(step.kind);
  const add = async (code: Extract<GranteeCode, { type: 'person' }>) => {
    setStep({ kind: 'adding' });
    try {
      const added = await addAidant(session, org.membership.organisation, code);
      setStep({ kind: 'idle' });
      await onChanged(t(added === 'proposed' ? 'org-proposed' : 'org-added'));
    } catch (e) {
      setStep({ kind: 'read', problem: orgProblem(e) });
    }
  };
  return (
    <Section title={t('org-add-title')} icon="plus">
      <p>{t('org-add-1')}</p>
      <p>{t('org-add-2')}</p>
      {step.kind === 'idle' && (
        <div class="actions">
          <button type="button" class="button button-primary" onClick={() => setStep({ kind: 'read' })}>
            <Icon name="plus" />
            <span>{t('org-add-start')}</span>
          </button>
        </div>
      )}
      {step.kind === 'read' && (
        <>
          <ReadCode
            problem={step.problem}
            onCode={(code) => {
              if (code.type !== 'person') setStep({ kind: 'read', problem: t('org-problem-not_a_person_code') });
              else if (code.key === session.keys.publicKey || org.state.members.has(code.key))
                setStep({ kind: 'read', problem: t('org-problem-already_member') });
              else setStep({ kind: 'compare', code });
            }}
          />
          <div class="actions">
            <button type="button" class="button button-secondary" onClick={() => setStep({ kind: 'idle' })}>
              <span>{t('org-add-cancel')}</span>
            </button>
          </div>
        </>
      )}
      {step.kind === 'compare' && (
        <>
          <p>{t('org-add-compare')}</p>
          <Words words={fingerprintWords(fingerprint(step.code.key, step.code.recipient))} id="org-add-words" />
          <p>
            <strong>{t('org-add-question')}</strong>
          </p>
          <div class="actions">
            <button type="button" class="button button-primary" onClick={() => void add(step.code)}>
              <Icon name="check" />
              <span>{t('org-add-yes')}</span>
            </button>
            <button type="button" class="button button-secondary" onClick={() => setStep({ kind: 'different' })}>
              <Icon name="close" />
              <span>{t('org-add-no')}</span>
            </button>
          </div>
        </>
      )}
      {step.kind === 'different' && (
        <div role="alert" class="journal-broken">
          <p>{t('org-add-different')}</p>
          <div class="actions">
            <button type="button" class="button button-secondary" onClick={() => setStep({ kind: 'idle' })}>
              <span>{t('org-add-cancel')}</span>
            </button>
          </div>
        </div>
      )}
      {step.kind === 'adding' && <Working messageId="org-adding" />}
    </Section>
  );
}

function Mandates({ mandates }: { mandates: OrgMandate[] }) {
  return (
    <Section title={t('org-mandates-title')} icon="papers">
      <p>{t('org-mandates-1')}</p>
      {mandates.length === 0 ? (
        <p id="org-mandates-none">{t('org-mandates-none')}</p>
      ) : (
        <ul class="org-list" aria-label={t('org-mandates-title')}>
          {mandates.map((m) => (
            <li key={m.mandate}>
              <h3>{t('org-mandate-line', { number: m.number })}</h3>
              <Words words={fingerprintWords(fingerprint(m.owner_key))} />
              <p>{t('org-mandate-scope', { count: m.categories, rights: rightsText(m.rights) })}</p>
              <p>
                {m.state === 'in_force' ? t('org-mandate-days', { days: m.days_left }) : t(`mandate-state-${m.state}`)}
              </p>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
