// The coffre page's "Ce téléphone" section: remember this device (own device only), forget
// it, and "mon téléphone a été volé" for the coffre's other remembered devices.

import { useEffect, useState } from 'preact/hooks';
import { api, type CoffreInfo } from '../api';
import { currentLocale, t } from '../i18n';
import { forgetDevice, type RememberedHere, rememberedHere, rememberThisDevice } from '../remembered';
import type { Unlocked } from '../session';
import { ErrorText, Working } from '../ui/Form';
import { Icon } from '../ui/Icon';
import { Lines, Section } from '../ui/Section';
import { problemText } from './messages';

type Device = NonNullable<CoffreInfo['remembered']>[number];

export function RememberedSection({ session }: { session: Unlocked }) {
  const [list, setList] = useState<Device[] | null>(null);
  const [here, setHere] = useState<RememberedHere | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = async () => {
    try {
      const [coffre, mine] = await Promise.all([api.coffre(), rememberedHere()]);
      setList(coffre.remembered ?? []);
      setHere(mine?.coffre === session.coffre ? mine : null);
    } catch (e) {
      setError(problemText(e));
    }
  };
  useEffect(() => {
    void load();
  }, []);

  const dateFormat = new Intl.DateTimeFormat(currentLocale.value, { dateStyle: 'medium' });
  const date = (seconds: number) => dateFormat.format(new Date(seconds * 1000));

  const act = async (work: () => Promise<void>, message: string) => {
    setError(null);
    setDone(null);
    setBusy(true);
    try {
      await work();
      setDone(message);
      await load();
    } catch (e) {
      setError(problemText(e));
    } finally {
      setBusy(false);
    }
  };

  if (session.shared)
    return (
      <Section titleId="home-phone-title" icon="phone">
        <p>{t('home-phone-shared')}</p>
      </Section>
    );
  const others = (list ?? []).filter((d) => d.id !== here?.id);
  return (
    <Section titleId="home-phone-title" icon="phone">
      {here ? (
        <>
          <p class="status-line with-icon">
            <Icon name="check" />
            <span>{t('home-phone-remembered')}</span>
          </p>
          <div class="actions">
            <button
              type="button"
              class="button button-secondary"
              disabled={busy}
              onClick={() =>
                act(() => forgetDevice(session, here.id, t('home-phone-this-phone')), t('home-phone-forgotten'))
              }
            >
              {t('home-phone-forget')}
            </button>
          </div>
        </>
      ) : (
        <>
          <Lines ids={['home-phone-1', 'home-phone-2', 'home-phone-3']} />
          {!session.remembered && (
            <div class="actions">
              <button
                type="button"
                class="button button-primary"
                disabled={busy}
                onClick={() => act(() => rememberThisDevice(session), t('home-phone-done'))}
              >
                {t('home-phone-remember')}
              </button>
            </div>
          )}
        </>
      )}
      {busy && <Working messageId="home-phone-working" />}
      {done && (
        <p class="status-line with-icon" role="status">
          <Icon name="check" />
          <span>{done}</span>
        </p>
      )}
      {error && <ErrorText id="remembered-error">{error}</ErrorText>}
      {others.length > 0 && (
        <>
          <p>{t('home-phone-others')}</p>
          <ul class="devices">
            {others.map((d) => (
              <li key={d.id} class="device">
                <p class="device-label" id={`remembered-${d.id}`}>
                  <strong>{d.label}</strong>
                </p>
                <p class="device-meta">{t('home-phone-since', { date: date(d.created) })}</p>
                <button
                  type="button"
                  class="button button-secondary button-small"
                  aria-describedby={`remembered-${d.id}`}
                  disabled={busy}
                  onClick={() => act(() => forgetDevice(session, d.id, d.label), t('home-phone-stolen-done'))}
                >
                  {t('home-phone-stolen')}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </Section>
  );
}
