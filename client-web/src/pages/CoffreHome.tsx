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
import { appendOwnerEntry } from '../journal';
import { forgetDevice, rememberedHere } from '../remembered';
import { lock, signOut, type Unlocked, unlocked } from '../session';
import { describedBy, ErrorText, Working } from '../ui/Form';
import { Icon } from '../ui/Icon';
import { Page } from '../ui/Page';
import { ROUTES } from '../ui/routes';
import { Lines, Section } from '../ui/Section';
import { FingerprintSection } from './FingerprintSection';
import { Journal } from './JournalSection';
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

      <PapersSection session={session} />

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
