// The coffre page's "Clé d'accès" section: the coffre's passkeys, adding one on this device
// (never on a shared computer), removing one.

import { useEffect, useState } from 'preact/hooks';
import { api, type PasskeyInfo } from '../api';
import { currentLocale, t } from '../i18n';
import { appendOwnerEntry } from '../journal';
import { addPasskey, passkeysAvailable } from '../passkey';
import type { Unlocked } from '../session';
import { ErrorText, Working } from '../ui/Form';
import { Icon } from '../ui/Icon';
import { Lines, Section } from '../ui/Section';
import { problemText } from './messages';

type State = 'idle' | 'adding' | 'added' | 'added-signin-only';

export function PasskeySection({ session }: { session: Unlocked }) {
  const [list, setList] = useState<PasskeyInfo[] | null>(null);
  const [state, setState] = useState<State>('idle');
  const [error, setError] = useState<string | null>(null);

  const load = async () => {
    try {
      setList((await api.coffre()).passkeys ?? []);
    } catch (e) {
      setError(problemText(e));
    }
  };
  useEffect(() => {
    void load();
  }, []);

  const dateFormat = new Intl.DateTimeFormat(currentLocale.value, { dateStyle: 'medium' });
  const date = (seconds: number) => dateFormat.format(new Date(seconds * 1000));

  const add = async () => {
    setError(null);
    setState('adding');
    try {
      const added = await addPasskey(session);
      setState(added.unlocks ? 'added' : 'added-signin-only');
      await load();
    } catch (e) {
      setState('idle');
      setError(
        e instanceof Error && (e.name === 'NotAllowedError' || e.name === 'AbortError')
          ? t('home-passkey-cancelled')
          : e instanceof Error && e.name === 'InvalidStateError'
            ? t('home-passkey-already')
            : problemText(e),
      );
    }
  };

  const remove = async (item: PasskeyInfo) => {
    setError(null);
    try {
      await api.removePasskey(item.id);
      await appendOwnerEntry(session, 'key_removed', { factor: 'passkey', device: item.label });
      setState('idle');
      await load();
    } catch (e) {
      setError(problemText(e));
    }
  };

  const canAdd = !session.shared && !session.remembered && passkeysAvailable();
  return (
    <Section titleId="home-passkey-title" icon="phone">
      <Lines ids={['home-passkey-1', 'home-passkey-2']} />
      {error && <ErrorText id="passkey-error">{error}</ErrorText>}
      {list && list.length > 0 && (
        <ul class="devices">
          {list.map((item) => (
            <li key={item.id} class="device">
              <p class="device-label" id={`passkey-${item.id}`}>
                <strong>{item.label}</strong>
              </p>
              <p class="device-meta">{t(item.unlocks ? 'home-passkey-unlocks' : 'home-passkey-signin-only')}</p>
              <p class="device-meta">{t('home-passkey-since', { date: date(item.created) })}</p>
              <button
                type="button"
                class="button button-secondary button-small"
                aria-describedby={`passkey-${item.id}`}
                onClick={() => remove(item)}
              >
                {t('home-passkey-remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {state === 'added' && (
        <p class="status-line with-icon" role="status">
          <Icon name="check" />
          <span>{t('home-passkey-added')}</span>
        </p>
      )}
      {state === 'added-signin-only' && (
        <p class="status-line with-icon" role="status">
          <Icon name="alert" />
          <span>{t('home-passkey-added-signin-only')}</span>
        </p>
      )}
      {state === 'adding' && <Working messageId="home-passkey-adding" />}
      {canAdd && state !== 'adding' && (
        <div class="actions">
          <button type="button" class="button button-primary" onClick={add}>
            <Icon name="phone" />
            <span>{t('home-passkey-add')}</span>
          </button>
        </div>
      )}
      {session.shared && <p>{t('home-passkey-shared')}</p>}
      {!session.shared && !passkeysAvailable() && <p>{t('home-passkey-unavailable')}</p>}
    </Section>
  );
}
