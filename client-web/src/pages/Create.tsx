// /create: opening a coffre, one action per screen. Everything is made here, in the browser;
// nothing is sent before the new carte has been scanned back.

import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { api } from '../api';
import { CarteCard } from '../carte/CarteCard';
import { CarteReader } from '../carte/CarteReader';
import { createBody, makeCoffre, type NewCoffre } from '../coffre/create';
import type { OwnerKeys } from '../crypto/keys';
import { t } from '../i18n';
import { openSession, unlocked } from '../session';
import { deviceLabel } from '../session/device';
import { describedBy, ErrorText, PIN_PATTERN, PinInput, SharedCheckbox, useFocusOnStep, Working } from '../ui/Form';
import { Icon } from '../ui/Icon';
import { Page } from '../ui/Page';
import { ROUTES } from '../ui/routes';
import { Lines } from '../ui/Section';
import { problemText } from './messages';

type Step = 'name' | 'pin' | 'making' | 'carte' | 'scan' | 'sending';

/** An invited account: the link's token and the role it opens. */
export interface Invited {
  token: string;
  role: string;
}

export default function Create() {
  return <CreateAccount />;
}

/** The steps of opening a coffre (or an invited account: the invitation is sent with it). */
export function CreateAccount({ invited }: { invited?: Invited }) {
  const { route } = useLocation();
  const [step, setStep] = useState<Step>('name');
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);
  const [pin, setPin] = useState('');
  const [made, setMade] = useState<NewCoffre | null>(null);
  const [error, setError] = useState<string | null>(null);
  useFocusOnStep(step);

  useForgetOnLeave(made);

  const go = (next: Step) => {
    setError(null);
    setStep(next);
  };

  const make = async () => {
    go('making');
    try {
      const instance = await api.instance();
      setMade(await makeCoffre(instance.origin, instance.now));
      go('carte');
    } catch (e) {
      setError(problemText(e));
    }
  };

  const send = async (coffre: NewCoffre) => {
    go('sending');
    try {
      const { nonce } = await api.nonce();
      const device = { label: deviceLabel(navigator.userAgent), shared };
      const body = createBody(coffre, pin, nonce, device);
      const { session } = await api.createCoffre(invited ? { ...body, invitation: invited.token } : body);
      openSession({
        instance: coffre.instance,
        coffre: coffre.coffre,
        epoch: coffre.epoch,
        seed: coffre.seed,
        keys: coffre.keys,
        csrf: session.csrf,
        shared: session.shared,
        factor: session.factor,
        ...(session.role ? { role: session.role } : {}),
        idleMinutes: session.idle_minutes,
      });
      route(ROUTES.coffre);
    } catch (e) {
      setError(problemText(e));
    }
  };

  if (step === 'name') return <NameStep {...{ name, setName, shared, setShared }} onNext={() => go('pin')} />;
  if (step === 'pin') return <PinStep pin={pin} setPin={setPin} onBack={() => go('name')} onNext={make} />;
  if (step === 'making' || step === 'sending' || !made) {
    const making = step === 'making' || !made;
    return (
      <Page titleId={making ? 'create-making-title' : 'create-sending-title'}>
        {error ? (
          <>
            <ErrorText id="create-error">{error}</ErrorText>
            <div class="actions">
              <button
                type="button"
                class="button button-primary"
                onClick={() => (making || !made ? make() : send(made))}
              >
                {t('create-retry')}
              </button>
            </div>
          </>
        ) : (
          <Working messageId="create-making-1" />
        )}
      </Page>
    );
  }
  if (step === 'carte')
    return (
      <CarteStep
        identity={made.carte.identity}
        name={name.trim()}
        site={made.instance}
        shared={shared}
        onNext={() => go('scan')}
      />
    );
  return (
    <ScanStep
      expected={made.carte.identity}
      error={error}
      setError={setError}
      onMatch={() => void send(made)}
      onBack={() => go('carte')}
    />
  );
}

/**
 * Leaving the page before what was made here is in use (the unlocked coffre's keys) forgets
 * it: the new keys are destroyed, the new seed wiped.
 */
export function useForgetOnLeave(made: { keys: OwnerKeys; seed: Uint8Array } | null): void {
  const ref = useRef(made);
  ref.current = made;
  useEffect(
    () => () => {
      const m = ref.current;
      if (m && unlocked.value?.keys !== m.keys) {
        m.keys.destroy();
        m.seed.fill(0);
      }
    },
    [],
  );
}

/**
 * The new carte on screen, to print before it is scanned back. On the person's own device it
 * can also be downloaded as a PDF; on a shared computer it is printed from this page only and
 * never becomes a file.
 */
export function CarteStep(props: {
  identity: string;
  name: string;
  site: string;
  shared: boolean;
  onNext: () => void;
}) {
  const [pdf, setPdf] = useState<'idle' | 'working' | 'error'>('idle');
  const download = async () => {
    setPdf('working');
    try {
      const { downloadCartePdf } = await import('../carte/pdf');
      await downloadCartePdf({ identity: props.identity, name: props.name, site: props.site });
      setPdf('idle');
    } catch {
      setPdf('error');
    }
  };
  return (
    <Page titleId="create-carte-title">
      <Lines ids={['create-carte-1', 'create-carte-2', 'create-carte-3']} />
      <CarteCard identity={props.identity} name={props.name} site={props.site} />
      <p class="note with-icon">
        <Icon name="printer" />
        <span>{t('create-carte-print-help')}</span>
      </p>
      {props.shared ? (
        <p class="note note-warning with-icon">
          <Icon name="alert" />
          <span>{t('create-carte-no-file')}</span>
        </p>
      ) : (
        <p id="carte-pdf-hint" class="note note-warning with-icon">
          <Icon name="alert" />
          <span>{t('carte-pdf-hint')}</span>
        </p>
      )}
      {pdf === 'error' && <ErrorText id="carte-pdf-error">{t('carte-pdf-error')}</ErrorText>}
      <div class="actions">
        <button type="button" class="button button-secondary" onClick={() => window.print()}>
          <Icon name="printer" />
          <span>{t('create-print')}</span>
        </button>
        {!props.shared && (
          <button
            type="button"
            class="button button-secondary"
            disabled={pdf === 'working'}
            aria-describedby={describedBy('carte-pdf-hint', pdf === 'error' && 'carte-pdf-error')}
            onClick={download}
          >
            <span>{t('carte-pdf-download')}</span>
          </button>
        )}
        <button type="button" class="button button-primary" onClick={props.onNext}>
          <span>{t('create-carte-next')}</span>
          <Icon name="forward" />
        </button>
      </div>
    </Page>
  );
}

/** The new carte scanned back: it must be the one just made. */
export function ScanStep(props: {
  expected: string;
  error: string | null;
  setError: (e: string) => void;
  onMatch: () => void;
  onBack: () => void;
}) {
  return (
    <Page titleId="create-scan-title">
      <Lines ids={['create-scan-1', 'create-scan-2']} />
      <CarteReader
        error={props.error ?? undefined}
        onRead={(identity) => {
          if (identity === props.expected) props.onMatch();
          else props.setError(t('create-scan-mismatch'));
        }}
      />
      <div class="actions">
        <button type="button" class="button button-secondary" onClick={props.onBack}>
          {t('create-scan-back')}
        </button>
      </div>
    </Page>
  );
}

function NameStep(props: {
  name: string;
  setName: (v: string) => void;
  shared: boolean;
  setShared: (v: boolean) => void;
  onNext: () => void;
}) {
  return (
    <Page titleId="create-name-title">
      <form
        class="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          props.onNext();
        }}
      >
        <Lines ids={['create-name-1', 'create-name-2']} />
        <div class="field">
          <label for="create-name">{t('create-name-label')}</label>
          <p id="create-name-hint" class="hint">
            {t('create-name-3')}
          </p>
          <input
            id="create-name"
            class="input"
            type="text"
            autocomplete="off"
            maxLength={40}
            value={props.name}
            aria-describedby="create-name-hint"
            onInput={(e) => props.setName(e.currentTarget.value)}
          />
        </div>
        <SharedCheckbox checked={props.shared} onChange={props.setShared} />
        <div class="actions">
          <button type="submit" class="button button-primary">
            <span>{t('create-next')}</span>
            <Icon name="forward" />
          </button>
        </div>
      </form>
    </Page>
  );
}

export function PinStep(props: { pin: string; setPin: (v: string) => void; onBack: () => void; onNext: () => void }) {
  const [first, setFirst] = useState(props.pin);
  const [again, setAgain] = useState(props.pin);
  const [error, setError] = useState<'format' | 'different' | null>(null);
  const submit = (e: Event) => {
    e.preventDefault();
    if (!PIN_PATTERN.test(first)) return setError('format');
    if (first !== again) {
      setAgain('');
      return setError('different');
    }
    setError(null);
    props.setPin(first);
    props.onNext();
  };
  return (
    <Page titleId="create-pin-title">
      <form class="form" noValidate onSubmit={submit}>
        <Lines ids={['create-pin-1', 'create-pin-2', 'create-pin-3', 'create-pin-4']} />
        <PinInput
          id="pin"
          labelId="pin-label"
          value={first}
          onInput={setFirst}
          errorId={error === 'format' ? 'pin-error' : undefined}
        />
        <PinInput
          id="pin-again"
          labelId="pin-again-label"
          value={again}
          onInput={setAgain}
          errorId={error === 'different' ? 'pin-error' : undefined}
        />
        {error && (
          <ErrorText id="pin-error">{t(error === 'format' ? 'pin-error-format' : 'pin-error-different')}</ErrorText>
        )}
        <div class="actions">
          <button type="submit" class="button button-primary" aria-describedby={describedBy(error && 'pin-error')}>
            <span>{t('create-pin-submit')}</span>
            <Icon name="forward" />
          </button>
          <button type="button" class="button button-secondary" onClick={props.onBack}>
            {t('create-back')}
          </button>
        </div>
      </form>
    </Page>
  );
}
