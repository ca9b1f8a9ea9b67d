// /unlock: signing in with the carte (+ PIN) or the six words, then opening the seed here.

import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { ApiError } from '../api';
import { CarteReader } from '../carte/CarteReader';
import type { SigningKey } from '../crypto/keys';
import { carteAuthKey } from '../crypto/unlock';
import { t } from '../i18n';
import { OfflineNotice } from '../offline/Notice';
import { passkeysAvailable } from '../passkey';
import { type RememberedHere, rememberedHere } from '../remembered';
import { lastLock } from '../session';
import { describedBy, ErrorText, PIN_PATTERN, PinInput, SharedCheckbox, useFocusOnStep, Working } from '../ui/Form';
import { Icon } from '../ui/Icon';
import { Page } from '../ui/Page';
import { ROUTES } from '../ui/routes';
import { minutesOf, problemText } from './messages';
import {
  signInOnThisDevice,
  signInWithCarte,
  signInWithPasskeyHere,
  signInWithWords,
  wordsAreWellFormed,
} from './signin';

type Step = 'choose' | 'carte' | 'pin' | 'words' | 'working' | 'locked' | 'passkey-only' | 'device-pin';

const LOCK_MESSAGES = {
  lock: 'unlock-locked',
  idle: 'unlock-locked-idle',
  signed_out: 'unlock-signed-out',
  expired: 'unlock-expired',
};

export default function Unlock() {
  const { route } = useLocation();
  const [step, setStep] = useState<Step>('choose');
  const [shared, setShared] = useState(false);
  const [identity, setIdentity] = useState<string | null>(null);
  const [pin, setPin] = useState('');
  const [words, setWords] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [usingWords, setUsingWords] = useState(false);
  /** This device, if it remembers a coffre ("se souvenir de ce téléphone"). */
  const [here, setHere] = useState<RememberedHere | null>(null);
  useFocusOnStep(step);
  useEffect(() => {
    rememberedHere()
      .then(setHere)
      .catch(() => setHere(null));
    // The coffre's home comes next: its code is loaded while the person signs in.
    const timer = setTimeout(() => void import('./CoffreHome').catch(() => undefined), 0);
    return () => clearTimeout(timer);
  }, []);

  // The carte's sign-in key does not depend on the PIN: derived while the PIN is typed (a
  // slow phone's tenth of a second less after "Ouvrir mon coffre"), destroyed when unused.
  const carteKey = useRef<SigningKey | null>(null);
  useEffect(() => {
    if (step !== 'pin' || !identity) return;
    const timer = setTimeout(() => {
      carteKey.current ??= carteAuthKey(identity);
    }, 0);
    return () => {
      clearTimeout(timer);
      carteKey.current?.destroy();
      carteKey.current = null;
    };
  }, [step, identity]);

  const go = (next: Step) => {
    setError(null);
    setStep(next);
  };

  /** What a failed sign-in says, and which screen says it. */
  const failed = (e: unknown, back: Step) => {
    if (e instanceof ApiError && e.status === 423) return go('locked');
    let message: string;
    if (e instanceof ApiError && e.status === 401)
      message = t(
        back === 'device-pin' ? 'unlock-error-pin' : usingWords ? 'unlock-error-words' : 'unlock-error-carte',
      );
    else if (e instanceof ApiError && e.status === 429)
      message = t('error-too-many', { minutes: minutesOf(e.retryAfter) });
    else if (e instanceof ApiError) message = problemText(e);
    else message = t('unlock-error-open');
    setPin('');
    setStep(back);
    setError(message);
  };

  const withCarte = async (e: Event) => {
    e.preventDefault();
    if (!identity) return go('carte');
    if (!PIN_PATTERN.test(pin)) return setError(t('pin-error-format'));
    const ahead = carteKey.current ?? undefined;
    carteKey.current = null;
    go('working');
    try {
      await signInWithCarte(identity, pin, shared, ahead);
      route(ROUTES.coffre);
    } catch (err) {
      failed(err, 'pin');
    }
  };

  const onThisDevice = async (e: Event) => {
    e.preventDefault();
    if (!here) return go('choose');
    if (!PIN_PATTERN.test(pin)) return setError(t('pin-error-format'));
    go('working');
    try {
      await signInOnThisDevice(here, pin);
      route(ROUTES.coffre);
    } catch (err) {
      if (err instanceof ApiError && err.status === 410) {
        setHere(null);
        setPin('');
        setStep('choose');
        return setError(t('unlock-device-forgotten'));
      }
      failed(err, 'device-pin');
    }
  };

  const withPasskey = async () => {
    go('working');
    try {
      const result = await signInWithPasskeyHere(shared, here);
      if (result === 'open') route(ROUTES.coffre);
      else go('passkey-only');
    } catch (err) {
      setStep('choose');
      // The person closed the prompt, or the device refused: say it plainly.
      if (err instanceof Error && (err.name === 'NotAllowedError' || err.name === 'AbortError'))
        setError(t('unlock-passkey-cancelled'));
      else if (err instanceof ApiError && err.status === 401) setError(t('unlock-passkey-unknown'));
      else if (err instanceof ApiError && err.status === 429)
        setError(t('error-too-many', { minutes: minutesOf(err.retryAfter) }));
      else if (err instanceof ApiError) setError(problemText(err));
      else setError(t('unlock-error-open'));
    }
  };

  const withWords = async (e: Event) => {
    e.preventDefault();
    if (!wordsAreWellFormed(words)) return setError(t('unlock-words-error'));
    go('working');
    try {
      await signInWithWords(words, shared);
      route(ROUTES.coffre);
    } catch (err) {
      failed(err, 'words');
    }
  };

  const backButton = (to: Step = 'choose') => (
    <button type="button" class="button button-secondary" onClick={() => go(to)}>
      {t('unlock-back')}
    </button>
  );

  if (step === 'choose') {
    const reason = lastLock.value;
    return (
      <Page titleId="unlock-title">
        {reason && (
          <p class="status-line with-icon" role="status">
            <Icon name="lock" />
            <span>{t(LOCK_MESSAGES[reason])}</span>
          </p>
        )}
        <OfflineNotice id="unlock-offline" lines={['offline-unlock-1', 'offline-unlock-2']} />
        <p>{t('unlock-intro')}</p>
        <SharedCheckbox checked={shared} onChange={setShared} />
        {error && <ErrorText id="unlock-error">{error}</ErrorText>}
        <div class="actions actions-column">
          {here && !shared && (
            <button
              type="button"
              class="button button-primary"
              onClick={() => {
                setUsingWords(false);
                go('device-pin');
              }}
            >
              <Icon name="lock" />
              <span>{t('unlock-with-device')}</span>
            </button>
          )}
          {passkeysAvailable() && (
            <button
              type="button"
              class={here && !shared ? 'button button-secondary' : 'button button-primary'}
              aria-describedby={describedBy('unlock-passkey-hint', error && 'unlock-error')}
              onClick={withPasskey}
            >
              <Icon name="phone" />
              <span>{t('unlock-with-passkey')}</span>
            </button>
          )}
          <button
            type="button"
            class={passkeysAvailable() ? 'button button-secondary' : 'button button-primary'}
            onClick={() => {
              setUsingWords(false);
              go('carte');
            }}
          >
            <Icon name="key" />
            <span>{t('unlock-with-carte')}</span>
          </button>
          <button
            type="button"
            class="button button-secondary"
            onClick={() => {
              setUsingWords(true);
              go('words');
            }}
          >
            <Icon name="keyboard" />
            <span>{t('unlock-with-words')}</span>
          </button>
        </div>
        {passkeysAvailable() && (
          <p id="unlock-passkey-hint" class="hint">
            {t('unlock-passkey-hint')}
          </p>
        )}
        <div class="actions">
          <a class="button button-secondary" href={ROUTES.create}>
            {t('unlock-create')}
          </a>
        </div>
      </Page>
    );
  }
  /** The PIN step: after the carte, or on a remembered phone (its own hint). */
  const pinStep = (onSubmit: (e: Event) => void, hintId: string, hintKey: string, back: Step) => (
    <Page titleId="unlock-pin-title">
      <form class="form" noValidate onSubmit={onSubmit}>
        <p id={hintId}>{t(hintKey)}</p>
        <PinInput
          id="pin"
          labelId="pin-label"
          value={pin}
          onInput={setPin}
          hintId={hintId}
          errorId={error ? 'unlock-error' : undefined}
        />
        {error && <ErrorText id="unlock-error">{error}</ErrorText>}
        <div class="actions">
          <button type="submit" class="button button-primary">
            <span>{t('unlock-open')}</span>
            <Icon name="forward" />
          </button>
          {backButton(back)}
        </div>
      </form>
    </Page>
  );
  if (step === 'device-pin') return pinStep(onThisDevice, 'unlock-device-hint', 'unlock-device-1', 'choose');
  if (step === 'passkey-only')
    return (
      <Page titleId="unlock-passkey-only-title">
        <p>{t('unlock-passkey-only-1')}</p>
        <p>{t('unlock-passkey-only-2')}</p>
        <div class="actions actions-column">
          <button
            type="button"
            class="button button-primary"
            onClick={() => {
              setUsingWords(false);
              go('carte');
            }}
          >
            <Icon name="key" />
            <span>{t('unlock-with-carte')}</span>
          </button>
          <button
            type="button"
            class="button button-secondary"
            onClick={() => {
              setUsingWords(true);
              go('words');
            }}
          >
            <Icon name="keyboard" />
            <span>{t('unlock-with-words')}</span>
          </button>
        </div>
      </Page>
    );
  if (step === 'carte')
    return (
      <Page titleId="unlock-carte-title">
        <p>{t('unlock-carte-1')}</p>
        <CarteReader
          onRead={(read) => {
            setIdentity(read);
            go('pin');
          }}
        />
        <div class="actions">{backButton()}</div>
      </Page>
    );
  if (step === 'pin') return pinStep(withCarte, 'unlock-pin-hint', 'unlock-pin-1', 'carte');
  if (step === 'words')
    return (
      <Page titleId="unlock-words-title">
        <form class="form" noValidate onSubmit={withWords}>
          <div class="field">
            <label for="words">{t('unlock-words-label')}</label>
            <p id="words-hint" class="hint">
              {t('unlock-words-hint')}
            </p>
            <input
              id="words"
              class="input input-words"
              type="text"
              lang="fr"
              autocomplete="off"
              autocapitalize="none"
              spellcheck={false}
              value={words}
              aria-invalid={error ? 'true' : undefined}
              aria-describedby={describedBy('words-hint', error && 'unlock-error')}
              onInput={(e) => setWords(e.currentTarget.value)}
            />
          </div>
          {error && <ErrorText id="unlock-error">{error}</ErrorText>}
          <div class="actions">
            <button type="submit" class="button button-primary">
              <span>{t('unlock-open')}</span>
              <Icon name="forward" />
            </button>
            {backButton()}
          </div>
        </form>
      </Page>
    );
  if (step === 'locked')
    return (
      <Page titleId="unlock-carte-locked-title">
        <ErrorText id="unlock-error">{t('unlock-error-locked-1')}</ErrorText>
        <p>{t('unlock-error-locked-2')}</p>
        <p>{t('unlock-error-locked-3')}</p>
        <div class="actions">
          <button
            type="button"
            class="button button-primary"
            onClick={() => {
              setUsingWords(true);
              go('words');
            }}
          >
            {t('unlock-with-words')}
          </button>
          <a class="button button-secondary" href={ROUTES.help}>
            {t('unlock-help')}
          </a>
        </div>
      </Page>
    );
  return (
    <Page titleId="unlock-working-title">
      <Working messageId={usingWords ? 'unlock-working-words' : 'unlock-working'} />
    </Page>
  );
}
