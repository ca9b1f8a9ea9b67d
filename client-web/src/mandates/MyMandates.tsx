// /coffre/mandats: « Mes mandats », the owner's list of every mandate given: to whom (the
// name the owner gave, which « Donner un nom » / « Changer le nom » sets: NameForm.tsx; the
// five words), scope, state, days left; what was done under each
// (access receipts verified in this browser, a missing one shown as a warning); the list
// checked against the signed mandates and the journal (list-check.ts); stop one in one tap,
// then a screen that says honestly what stopping cannot undo, while the client changes the
// key of the categories the mandate could read (`rotation.ts`).
import { useEffect, useState } from 'preact/hooks';
import { fingerprint, fingerprintWords } from '../crypto/keys';
import { NeedsOpen } from '../pages/paper-common';
import { type PaperCategory, paperStoreFor } from '../paper-store';
import { type Unlocked, unlocked } from '../session';
import { ErrorText, useFocusOnStep } from '../ui/Form';
import { Icon } from '../ui/Icon';
import { ROUTES } from '../ui/routes';
import { categoryName, dateText, mandateProblem, rightsText, stateText, Words } from './common';
import { type ListCheck, type ListProblem, loadListCheck } from './list-check';
import { NameForm } from './NameForm';
import type { SavedName } from './names';
import { type GivenMandate, loadGiven, revokeMandate } from './owner';
import { revokeAgainWhatARestoreLost, runsAgain, stoppedAgain } from './revocations';
import { rotateAfterEnds, rotateOnceAfterUnlock } from './rotation';
import { stringsReady, t } from './strings';
import { Lines, Page, Working } from './ui';

export default function MyMandates() {
  const session = unlocked.value;
  if (!stringsReady()) return null;
  if (!session) return <NeedsOpen />;
  return <List session={session} />;
}

type State =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | {
      kind: 'list';
      given: GivenMandate[];
      categories: PaperCategory[];
      check: ListCheck | 'unchecked';
      /** Numbers of the mandates stopped again here: a restore had brought them back (revocations.ts). */
      stoppedAgain: number[];
    }
  | { kind: 'revoked'; number: number };

/** The rotation after a revocation: running, done, nothing to do, or left for the next unlock. */
type Rotation = 'working' | 'rotated' | 'none' | 'later';

function List({ session }: { session: Unlocked }) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [rotation, setRotation] = useState<Rotation>('none');
  useFocusOnStep(state.kind === 'revoked');

  const load = async () => {
    try {
      const store = paperStoreFor(session);
      // The papers' titles, to say which paper a receipt opened (the listing verified as on « Mes papiers »).
      const [listed, categories] = await Promise.all([
        loadGiven(session),
        store.categories(),
        store.lastListing ? undefined : store.list().catch(() => undefined),
      ]);
      let given = listed;
      // The list says states and windows nothing signs: checked against the journal.
      let check = await loadListCheck(session, given).catch(() => 'unchecked' as const);
      // A mandate this device stopped that the server lists as running is stopped again —
      // what a restore from an older backup does — unless the journal still holds its end
      // (then the list lies, and the check above says so: `end_hidden`). (The coffre home may
      // have done it already, in this session: both are said.)
      const hidden = check === 'unchecked' ? new Map() : check.problems;
      const again = await revokeAgainWhatARestoreLost(session, (id) => revokeMandate(session, id), {
        skip: (item) => hidden.get(item.mandate) === 'end_hidden',
      }).catch(() => []);
      // Reloaded too when the home's pass, awaited above, stopped one this list showed running.
      const stopped = new Set(stoppedAgain(session).map((m) => m.mandate));
      if (again.length > 0 || given.some((g) => stopped.has(g.item.mandate) && runsAgain(g.item))) {
        given = await loadGiven(session);
        check = await loadListCheck(session, given).catch(() => 'unchecked' as const);
      }
      setState({ kind: 'list', given, categories, check, stoppedAgain: stoppedAgain(session).map((m) => m.number) });
      // Once per unlock, if the coffre home has not asked already (its journal names no mandate).
      void rotateOnceAfterUnlock(session);
    } catch (e) {
      setState({ kind: 'failed', message: mandateProblem(e) });
    }
  };
  useEffect(() => {
    void load();
  }, [session]);

  // A name given or changed (NameForm): shown at once, on this mandate only.
  const named = (mandate: string, saved: SavedName) =>
    setState((s) =>
      s.kind === 'list'
        ? {
            ...s,
            given: s.given.map((g) =>
              g.item.mandate === mandate ? { ...g, name: saved.name, nameCreated: saved.created } : g,
            ),
          }
        : s,
    );

  const revoke = async (g: GivenMandate) => {
    setBusy(g.item.mandate);
    setError(null);
    try {
      await revokeMandate(session, g.item.mandate);
      setState({ kind: 'revoked', number: g.item.number });
      // At once: the categories it could read get a new key (a deposit-only grantee held none).
      const covered = g.mandate && g.mandate.body.rights !== 'deposit' ? g.mandate.body.categories : [];
      setRotation('working');
      rotateAfterEnds(session, covered).then(
        (r) => setRotation(r.waiting.length > 0 ? 'later' : r.rotated.length > 0 ? 'rotated' : 'none'),
        (e) => {
          console.warn('rotation left for the next unlock', e);
          setRotation('later');
        },
      );
    } catch (e) {
      setError(mandateProblem(e));
    } finally {
      setBusy(null);
    }
  };

  if (state.kind === 'revoked') {
    return (
      <Page titleId="revoked-title">
        <p class="status-line status-open with-icon" role="status">
          <Icon name="check" />
          <span>{t('revoked-1', { number: state.number })}</span>
        </p>
        <Lines ids={['revoked-2', 'revoked-3']} />
        <p class="note note-warning with-icon">
          <Icon name="alert" />
          <span>{t('revoked-copied')}</span>
        </p>
        {rotation === 'working' && <Working messageId="revoked-rotating" />}
        {rotation === 'rotated' && (
          <div class="note with-icon" role="status" id="revoked-rotated">
            <Icon name="lock" />
            <div>
              <p>{t('revoked-rotated-1')}</p>
              <p>{t('revoked-rotated-2')}</p>
            </div>
          </div>
        )}
        {rotation === 'later' && (
          <p class="note with-icon" role="status" id="revoked-rotation-later">
            <Icon name="clock" />
            <span>{t('revoked-rotation-later')}</span>
          </p>
        )}
        <div class="actions">
          <button
            type="button"
            class="button button-primary"
            onClick={() => {
              setState({ kind: 'loading' });
              void load();
            }}
          >
            {t('revoked-back')}
          </button>
        </div>
      </Page>
    );
  }

  return (
    <Page titleId="mandates-title">
      <p>{t('mandates-1')}</p>
      <div class="actions">
        <a class="button button-primary" href={ROUTES.giveMandate}>
          <Icon name="plus" />
          <span>{t('home-mandates-give')}</span>
        </a>
      </div>
      {state.kind === 'loading' && <Working messageId="mandates-loading" />}
      {state.kind === 'failed' && <ErrorText id="mandates-error">{state.message}</ErrorText>}
      {error && <ErrorText id="mandates-revoke-error">{error}</ErrorText>}
      {state.kind === 'list' && state.stoppedAgain.length > 0 && (
        <p class="note note-warning with-icon" role="status" id="mandates-stopped-again">
          <Icon name="alert" />
          <span>{t('mandates-stopped-again', { numbers: state.stoppedAgain.join(', ') })}</span>
        </p>
      )}
      {state.kind === 'list' && state.check === 'unchecked' && (
        <p role="alert" class="error" id="mandates-list-unchecked">
          {t('mandates-list-unchecked')}
        </p>
      )}
      {state.kind === 'list' && state.check !== 'unchecked' && state.check.missing.length > 0 && (
        <p role="alert" class="error" id="mandates-list-missing">
          {t('mandates-list-missing', { count: state.check.missing.length })}
        </p>
      )}
      {state.kind === 'list' && state.given.length === 0 && <p>{t('mandates-none')}</p>}
      {state.kind === 'list' && state.given.length > 0 && (
        <ul class="mandate-list">
          {[...state.given].reverse().map((g) => (
            <Item
              key={g.item.mandate}
              session={session}
              g={g}
              categories={state.categories}
              problem={state.check === 'unchecked' ? undefined : state.check.problems.get(g.item.mandate)}
              busy={busy === g.item.mandate}
              onRevoke={() => void revoke(g)}
              onNamed={(saved) => named(g.item.mandate, saved)}
            />
          ))}
        </ul>
      )}
      <div class="actions">
        <a class="button button-secondary" href={ROUTES.coffre}>
          <Icon name="back" />
          <span>{t('mandate-back-home')}</span>
        </a>
      </div>
    </Page>
  );
}

const ACTIONS = ['unwrap_key', 'list', 'download'];

function Item({
  session,
  g,
  categories,
  problem,
  busy,
  onRevoke,
  onNamed,
}: {
  session: Unlocked;
  g: GivenMandate;
  categories: PaperCategory[];
  /** What the list says that the signed mandate or the journal contradicts. */
  problem?: ListProblem;
  busy: boolean;
  onRevoke: () => void;
  onNamed: (saved: SavedName) => void;
}) {
  const { item } = g;
  const heading = `mandate-${item.mandate}`;
  const m = g.mandate?.body;
  const name = g.name;
  const words =
    m?.grantee.type === 'person' && m.grantee.recipient
      ? fingerprintWords(fingerprint(m.grantee.key, m.grantee.recipient))
      : m
        ? fingerprintWords(fingerprint(m.grantee.key))
        : '';
  // What is shown comes from the signed mandate once it verified, not from the list.
  const names = (m?.categories ?? item.categories)
    .map((id) => categories.find((c) => c.id === id))
    .map((c) => (c ? categoryName(c) : t('mandate-category-unknown')));
  const titles = new Map((paperStoreFor(session).lastListing?.papers ?? []).map((p) => [p.id, p.meta.title]));
  const cats = new Map(categories.map((c) => [c.id, categoryName(c)]));
  return (
    <li aria-labelledby={heading}>
      <h2 id={heading}>
        {t('mandate-number', { number: item.number })}
        {name ? ` · ${name}` : ''}
      </h2>
      {g.refused ? (
        <p role="alert" class="error">
          {t('mandate-refused', { code: g.refused })}
        </p>
      ) : (
        <>
          <p>{t(item.grantee.type === 'organisation' ? 'mandate-to-organisation' : 'mandate-to-person')}</p>
          <Words words={words} />
          <NameForm session={session} g={g} heading={heading} onNamed={onNamed} />
          <p>
            {t('mandate-scope', { rights: rightsText(m?.rights ?? item.rights) })} {names.join(', ')}
          </p>
          <p>
            <span class="badge">{stateText(item.state)}</span>{' '}
            {item.state === 'in_force' && !problem && t('mandate-days-left', { days: item.days_left })}
          </p>
          <p class="hint">
            {t('mandate-window', {
              from: dateText(m?.not_before ?? item.not_before),
              to: dateText(m?.not_after ?? item.not_after),
            })}
          </p>
          {problem && (
            <p role="alert" class="error" id={`mandate-list-problem-${item.mandate}`}>
              {t(`mandate-list-${problem}`, { state: stateText(item.state) })}
            </p>
          )}
          {g.receiptsProblem && (
            <p role="alert" class="error">
              {t(g.receiptsProblem === 'counter_gap' ? 'mandate-receipts-gap' : 'mandate-receipts-bad', {
                code: g.receiptsProblem,
              })}
            </p>
          )}
          <h3>{t('mandate-receipts-title')}</h3>
          {g.receipts.length === 0 ? (
            <p>{t('mandate-receipts-none')}</p>
          ) : (
            <ol class="receipts" aria-label={t('mandate-receipts-title')}>
              {g.receipts.map((r) => (
                <li key={`${r.grantee_key}-${r.counter}`}>
                  {t(`mandate-receipt-${ACTIONS.includes(r.action) ? r.action : 'other'}`, {
                    what: titles.get(r.paper) ?? cats.get(r.paper) ?? t('mandate-receipt-a-paper'),
                  })}
                  <span class="hint"> · {dateText(r.created)}</span>
                </li>
              ))}
            </ol>
          )}
          {(item.state === 'in_force' || item.state === 'upcoming' || item.state === 'expired') && (
            <div class="actions">
              {item.state !== 'expired' &&
                (busy ? (
                  <Working messageId="mandate-revoking" />
                ) : (
                  <button type="button" class="button button-danger" aria-describedby={heading} onClick={onRevoke}>
                    <Icon name="close" />
                    <span>{t('mandate-revoke')}</span>
                  </button>
                ))}
              {item.state !== 'upcoming' && m && (
                // A new mandate to the same grantee, the scope chosen as this one's (Give.tsx): from the
                // signed mandate, whatever the list says of its state.
                <a
                  class="button button-secondary"
                  href={`${ROUTES.giveMandate}?renouveler=${item.mandate}`}
                  aria-describedby={heading}
                >
                  <Icon name="clock" />
                  <span>{t('mandate-renew')}</span>
                </a>
              )}
            </div>
          )}
        </>
      )}
    </li>
  );
}
