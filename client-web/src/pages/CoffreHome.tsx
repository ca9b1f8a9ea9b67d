// /coffre: the open coffre: its papers (the categories, adding one), the connected devices,
// the six words of rescue, the journal, and closing.

import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { ApiError, api, type SessionListItem } from '../api';
import { b64encode } from '../crypto/encoding';
import { wrapSeedPassphraseInWorker } from '../crypto/passphrase-rpc';
import {
  generatePassphrase,
  ownerSeedPayload,
  Passphrase,
  passphraseAuthKey,
  signAuthChallenge,
} from '../crypto/unlock';
import { currentLocale, t } from '../i18n';
import { appendOwnerEntry, type JournalLine, type JournalResult, loadJournal, SHOWN_LINES } from '../journal';
import { filterChoices, lineMatches } from '../journal/filter';
import type { GranteeCheck } from '../journal/grantee';
import { t as mt } from '../mandates/strings';
import { paperStoreFor } from '../paper-store';
import { forgetDevice, rememberedHere } from '../remembered';
import { lock, signOut, type Unlocked, unlocked } from '../session';
import { describedBy, ErrorText, Working } from '../ui/Form';
import { Icon } from '../ui/Icon';
import { Page } from '../ui/Page';
import { ROUTES } from '../ui/routes';
import { Lines, Section } from '../ui/Section';
import { FingerprintSection } from './FingerprintSection';
import { MandatesSection } from './MandatesSection';
import { problemText } from './messages';
import { OrganisationSection } from './OrganisationSection';
import { PapersSection } from './PapersSection';
import { PasskeySection } from './PasskeySection';
import { RememberedSection } from './RememberedSection';
import { passphraseWorker } from './signin';

export default function CoffreHome() {
  const session = unlocked.value;
  if (!session) return <Locked />;
  return <Open session={session} />;
}

function Locked() {
  return (
    <Page titleId="home-locked-title">
      <p>{t('home-locked-1')}</p>
      <div class="actions">
        <a class="button button-primary" href={ROUTES.unlock}>
          <span>{t('home-locked-open')}</span>
          <Icon name="forward" />
        </a>
      </div>
    </Page>
  );
}

function Open({ session }: { session: Unlocked }) {
  const { route, query } = useLocation();
  return (
    <Page titleId="home-title">
      <p class="status-line status-open with-icon">
        <Icon name="check" />
        <span>{t('home-open-1')}</span>
      </p>
      {query?.['nouvelle-carte'] && (
        <p class="status-line with-icon" role="status">
          <Icon name="check" />
          <span>{t('home-lost-done')}</span>
        </p>
      )}

      {(session.role === 'professional' || session.role === 'admin') && <FingerprintSection session={session} />}

      <PapersSection />

      <OrganisationSection session={session} />

      <MandatesSection session={session} />

      <PasskeySection session={session} />

      <RememberedSection session={session} />

      <Words session={session} />

      <Devices onSignedOutHere={() => route(ROUTES.unlock)} />

      <Journal session={session} />

      <Section titleId="home-lost-title" icon="alert">
        <Lines ids={['home-lost-1', 'home-lost-2']} />
        {session.remembered ? (
          <p>{t('home-remembered-keys')}</p>
        ) : (
          <div class="actions">
            <a class="button button-secondary" href={ROUTES.newCarte}>
              {t('home-lost-start')}
            </a>
          </div>
        )}
      </Section>

      <Section titleId="home-close-title" icon="lock">
        <Lines ids={['home-close-1', 'home-close-2']} />
        <div class="actions">
          <button
            type="button"
            class="button button-primary"
            onClick={() => {
              lock('lock');
              route(ROUTES.unlock);
            }}
          >
            <Icon name="lock" />
            <span>{t('home-lock')}</span>
          </button>
          <button
            type="button"
            class="button button-secondary"
            onClick={async () => {
              // Signing out wipes this browser's storage: a remembered phone is forgotten on
              // the server first, so no orphan half stays there.
              const mine = await rememberedHere().catch(() => null);
              if (mine?.coffre === session.coffre)
                await forgetDevice(session, mine.id, t('home-phone-this-phone')).catch(() => undefined);
              await signOut();
              route(ROUTES.unlock);
            }}
          >
            <Icon name="logout" />
            <span>{t('home-signout')}</span>
          </button>
        </div>
      </Section>
    </Page>
  );
}

type WordsState = 'idle' | 'shown' | 'saving' | 'done';

function Words({ session }: { session: Unlocked }) {
  const [state, setState] = useState<WordsState>('idle');
  const [words, setWords] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const save = async () => {
    if (!confirmed) return setError(t('home-words-confirm-error'));
    setError(null);
    setState('saving');
    const passphrase = Passphrase.parse(words);
    const worker = passphraseWorker();
    const authKey = passphraseAuthKey(passphrase);
    try {
      const wrap = await wrapSeedPassphraseInWorker(
        worker,
        ownerSeedPayload(session.coffre, session.epoch, session.seed),
        passphrase,
      );
      const { nonce } = await api.nonce();
      const instance = await api.instance();
      await api.addPassphrase({
        auth_key: authKey.publicB64,
        wrap: b64encode(wrap),
        nonce,
        signature: signAuthChallenge(authKey, instance.origin, nonce),
      });
      await appendOwnerEntry(session, 'key_added', { factor: 'passphrase' });
      setWords('');
      setState('done');
    } catch (e) {
      setError(problemText(e));
      setState('shown');
    } finally {
      authKey.destroy();
      worker.terminate();
    }
  };

  return (
    <Section titleId="home-words-title" icon="key">
      {state === 'idle' && (
        <>
          <Lines ids={['home-words-1', 'home-words-2', 'home-words-3']} />
          {session.remembered ? (
            <p>{t('home-remembered-keys')}</p>
          ) : (
            <div class="actions">
              <button
                type="button"
                class="button button-primary"
                onClick={() => {
                  setWords(generatePassphrase());
                  setConfirmed(false);
                  setState('shown');
                }}
              >
                {t('home-words-add')}
              </button>
            </div>
          )}
        </>
      )}
      {(state === 'shown' || state === 'saving') && (
        <>
          <p>{t('home-words-show-1')}</p>
          <ol class="passphrase" lang="fr" dir="ltr" translate={false} aria-label={t('home-words-list')}>
            {words.split(' ').map((word, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a word can come twice; the order is the key
              <li key={i}>{word}</li>
            ))}
          </ol>
          <Lines ids={['home-words-show-2', 'home-words-show-3']} />
          <div class="field field-check">
            <input
              id="words-written"
              type="checkbox"
              checked={confirmed}
              aria-describedby={describedBy(error && 'words-error')}
              onChange={(e) => setConfirmed(e.currentTarget.checked)}
            />
            <label for="words-written">{t('home-words-confirm')}</label>
          </div>
          {error && <ErrorText id="words-error">{error}</ErrorText>}
          {state === 'saving' ? (
            <Working messageId="home-words-saving" />
          ) : (
            <div class="actions">
              <button type="button" class="button button-primary" onClick={save}>
                {t('home-words-save')}
              </button>
              <button
                type="button"
                class="button button-secondary"
                onClick={() => {
                  setWords('');
                  setError(null);
                  setState('idle');
                }}
              >
                {t('home-words-cancel')}
              </button>
            </div>
          )}
        </>
      )}
      {state === 'done' && (
        <p class="status-line status-open with-icon" role="status">
          <Icon name="check" />
          <span>{t('home-words-done')}</span>
        </p>
      )}
    </Section>
  );
}

const FACTORS: Record<string, string> = {
  carte: 'home-device-factor-carte',
  passphrase: 'home-device-factor-passphrase',
  passkey: 'home-device-factor-passkey',
  device: 'home-device-factor-device',
};

function Devices({ onSignedOutHere }: { onSignedOutHere: () => void }) {
  const [list, setList] = useState<SessionListItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = async () => {
    try {
      setList(await api.sessions());
      setError(null);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        lock('expired');
        onSignedOutHere();
      } else setError(problemText(e));
    }
  };
  useEffect(() => {
    void load();
  }, []);

  const dateFormat = new Intl.DateTimeFormat(currentLocale.value, { dateStyle: 'medium', timeStyle: 'short' });
  const date = (seconds: number) => dateFormat.format(new Date(seconds * 1000));

  const signOutOne = async (item: SessionListItem) => {
    try {
      await api.signOutSession(item.id);
      if (item.current) {
        api.setCsrf(undefined);
        lock('signed_out');
        onSignedOutHere();
      } else await load();
    } catch (e) {
      setError(problemText(e));
    }
  };

  const signOutAll = async () => {
    try {
      await api.signOutEverywhere();
      lock('signed_out');
      onSignedOutHere();
    } catch (e) {
      setError(problemText(e));
    }
  };

  return (
    <Section titleId="home-devices-title" icon="globe">
      <p>{t('home-devices-1')}</p>
      {error && <ErrorText id="devices-error">{error}</ErrorText>}
      {list === null && !error && <Working messageId="home-devices-loading" />}
      {list && (
        <ul class="devices">
          {list.map((item) => (
            <li key={item.id} class="device">
              <p class="device-label" id={`device-${item.id}`}>
                <strong>{item.label}</strong>
                {item.current && <span class="badge">{t('home-device-this')}</span>}
              </p>
              <p class="device-meta">
                {t(FACTORS[item.factor] ?? 'home-device-factor-other')}
                {item.shared && ` · ${t('home-device-shared')}`}
              </p>
              <p class="device-meta">{t('home-device-since', { date: date(item.created) })}</p>
              <p class="device-meta">{t('home-device-seen', { date: date(item.last_seen) })}</p>
              <button
                type="button"
                class="button button-secondary button-small"
                aria-describedby={`device-${item.id}`}
                onClick={() => signOutOne(item)}
              >
                {t('home-device-signout')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div class="actions">
        <button type="button" class="button button-secondary" aria-describedby="signout-all-hint" onClick={signOutAll}>
          <Icon name="logout" />
          <span>{t('home-devices-signout-all')}</span>
        </button>
      </div>
      <p id="signout-all-hint" class="hint">
        {t('home-devices-signout-all-hint')}
      </p>
    </Section>
  );
}

const MANDATE_ACTIONS: ReadonlySet<string> = new Set([
  'mandate_granted',
  'mandate_revoked',
  'mandate_accessed',
  'paper_deposited',
  'mandate_renounced',
]);

/** The owner's journal, newest first, verified in this browser. */
function Journal({ session }: { session: Unlocked }) {
  const [result, setResult] = useState<JournalResult | null>(null);
  const [failed, setFailed] = useState(false);
  const [full, setFull] = useState(false);
  // The grantee acts matched with the statements of the mandates given (lazy: most coffres
  // have none); `failed` when they could not be fetched or verified.
  const [acts, setActs] = useState<GranteeCheck | 'failed' | null>(null);
  // The filters (a mandate given, a paper) and the papers' titles they offer: the verified
  // listing this session has, else listed when the paper filter is first used (the coffre
  // page itself lists nothing).
  const [who, setWho] = useState('');
  const [paper, setPaper] = useState('');
  const store = paperStoreFor(session);
  const [titles, setTitles] = useState(() => titlesOf(store.lastListing));
  const wantTitles = () => {
    if (titles.length > 0) return;
    (store.lastListing ? Promise.resolve(store.lastListing) : store.list())
      .then((l) => setTitles(titlesOf(l)))
      .catch(() => undefined);
  };
  useEffect(() => {
    let live = true;
    setResult(null);
    setActs(null);
    api
      .instance()
      .then((instance) => loadJournal(session, instance, undefined, full))
      .then((r) => {
        if (!live) return;
        setResult(r);
        // Only a journal that names a mandate has grantee acts to match: no request (and
        // nothing to load) for the others.
        if (!r.ok || !r.lines.some((line) => MANDATE_ACTIONS.has(line.action))) return;
        // A mandate given: an end since the last unlock rotates its categories' keys.
        void import('../mandates/rotation').then((rot) => rot.rotateOnceAfterUnlock(session));
        import('../journal/grantee')
          .then((g) => g.loadGranteeCheck(session))
          .then((c) => live && setActs(c ?? null))
          .catch(() => live && setActs('failed'));
      })
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [session, full]);
  const when = new Intl.DateTimeFormat(currentLocale.value, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <Section titleId="home-journal-title" icon="clock">
      <p>{t('home-journal-1')}</p>
      {!result && !failed && <p role="status">{t('home-journal-loading')}</p>}
      {failed && <ErrorText id="journal-error">{t('home-journal-unavailable')}</ErrorText>}
      {result && !result.ok && (
        <div role="alert" class="journal-broken">
          <p>
            <strong>{t('home-journal-broken-1')}</strong>
          </p>
          <p>{t('home-journal-broken-2')}</p>
          <p class="hint">{t('home-journal-broken-code', { code: result.code })}</p>
        </div>
      )}
      {result?.ok && (
        <>
          <p class="status-line with-icon" role="status">
            <Icon name="check" />
            <span>{t('home-journal-verified')}</span>
          </p>
          {result.since !== undefined && <p>{t('home-journal-since')}</p>}
          {result.vouched && (
            <p>{t('home-journal-vouched', { date: when.format(new Date(result.vouched.created * 1000)) })}</p>
          )}
          {result.lines.length === SHOWN_LINES && <p>{t('home-journal-newest', { count: SHOWN_LINES })}</p>}
          {acts === 'failed' && (
            <p role="alert" class="journal-broken" id="journal-acts-unchecked">
              {mt('journal-acts-unchecked')}
            </p>
          )}
          {acts && acts !== 'failed' && acts.invented.length > 0 && (
            <p role="alert" class="journal-broken" id="journal-proof-missing">
              <strong>{mt('journal-proof-missing')}</strong>
            </p>
          )}
          {acts && acts !== 'failed' && acts.hidden && (
            <p role="alert" class="journal-broken" id="journal-entry-missing">
              <strong>{mt('journal-entry-missing')}</strong>
            </p>
          )}
          <JournalFilters
            lines={result.lines}
            titles={titles}
            onWantTitles={wantTitles}
            numbers={acts && acts !== 'failed' ? acts.numbers : undefined}
            who={who}
            paper={paper}
            onWho={setWho}
            onPaper={setPaper}
          />
          {(who || paper) && !result.lines.some((line) => lineMatches(line, { mandate: who, paper })) && (
            <p id="journal-filter-none">{mt('journal-filter-none')}</p>
          )}
          <ol class="journal" aria-label={t('home-journal-list')}>
            {result.lines
              .filter((line) => lineMatches(line, { mandate: who, paper }))
              .map((line) => (
                <li key={line.seq}>
                  <span class="journal-what">{lineText(line, when, acts && acts !== 'failed' ? acts : undefined)}</span>
                  <span class="hint">
                    {' · '}
                    {when.format(new Date(line.time * 1000))}
                    {line.device ? ` · ${line.device}` : ''}
                  </span>
                </li>
              ))}
          </ol>
          {!full && result.head.seq + 1 > result.lines.length && (
            <div class="actions">
              <button type="button" class="button button-secondary" onClick={() => setFull(true)}>
                {t('home-journal-all')}
              </button>
            </div>
          )}
        </>
      )}
    </Section>
  );
}

const titlesOf = (listing?: { papers: readonly { id: string; meta: { title: string } }[] }) =>
  (listing?.papers ?? []).map((p) => ({ id: p.id, title: p.meta.title }));

/** Filter the lines shown by person (a mandate given, named by its number) and by paper. */
function JournalFilters({
  lines,
  titles,
  onWantTitles,
  numbers,
  who,
  paper,
  onWho,
  onPaper,
}: {
  lines: readonly JournalLine[];
  titles: readonly { id: string; title: string }[];
  /** The paper filter is used: its titles are wanted. */
  onWantTitles: () => void;
  numbers?: ReadonlyMap<string, number>;
  who: string;
  paper: string;
  onWho: (mandate: string) => void;
  onPaper: (paper: string) => void;
}) {
  const choices = filterChoices(lines, titles);
  const mandates = choices.mandates.flatMap((id) => {
    const number = numbers?.get(id);
    return number === undefined ? [] : [{ id, number }];
  });
  if (mandates.length === 0 && !choices.aboutObjects) return null;
  return (
    <div class="journal-filters">
      {mandates.length > 0 && (
        <div class="field">
          <label for="journal-filter-person">{mt('journal-filter-person')}</label>
          <select id="journal-filter-person" class="input" value={who} onChange={(e) => onWho(e.currentTarget.value)}>
            <option value="">{mt('journal-filter-everyone')}</option>
            {mandates.map((m) => (
              <option key={m.id} value={m.id}>
                {mt('journal-filter-mandate', { number: m.number })}
              </option>
            ))}
          </select>
        </div>
      )}
      {choices.aboutObjects && (
        <div class="field">
          <label for="journal-filter-paper">{mt('journal-filter-paper')}</label>
          <select
            id="journal-filter-paper"
            class="input"
            value={paper}
            onFocus={onWantTitles}
            onPointerDown={onWantTitles}
            onChange={(e) => onPaper(e.currentTarget.value)}
          >
            <option value="">{mt('journal-filter-all-papers')}</option>
            {choices.papers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.title}
              </option>
            ))}
          </select>
        </div>
      )}
    </div>
  );
}

const KNOWN_ACTIONS = [
  'coffre_created',
  'sign_in',
  'sign_in_failed',
  'carte_locked',
  'restored',
  'key_added',
  'key_removed',
  'carte_revoked',
  'paper_added',
  'paper_deleted',
  'mandate_granted',
  'mandate_revoked',
  'mandate_accessed',
  'paper_deposited',
  'mandate_renounced',
  'category_rotated',
];
const KNOWN_FACTORS = ['carte', 'passphrase', 'passkey', 'device'];

const GRANTEE_LINES = ['mandate_accessed', 'paper_deposited', 'mandate_renounced'];

function lineText(line: JournalLine, when: Intl.DateTimeFormat, acts?: GranteeCheck): string {
  const action = KNOWN_ACTIONS.includes(line.action) ? line.action : 'other';
  const number = line.mandate === undefined ? undefined : acts?.numbers.get(line.mandate);
  if (acts && GRANTEE_LINES.includes(action)) {
    const text = number === undefined ? t(`journal-${action}`) : mt(`journal-grantee-${action}`, { number });
    return acts.invented.includes(line.seq) ? mt('journal-grantee-no-proof', { what: text }) : text;
  }
  const factor = line.factor && KNOWN_FACTORS.includes(line.factor) ? line.factor : 'none';
  if (action === 'restored')
    return line.backup_time === undefined
      ? t('journal-restored-undated')
      : t('journal-restored', { date: when.format(new Date(line.backup_time * 1000)) });
  return t(`journal-${action}`, { factor });
}
