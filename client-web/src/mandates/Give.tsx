// /coffre/mandats/donner: « Donner un mandat », face to face. The owner reads the other's
// « Mon code » (camera, or typed), the client checks who it is (an organisation's chain
// against the root the code pinned), both compare the five words aloud, the owner chooses
// the scope, reads the mandate text, signs. Then the category keys go to the grantee
// (consult) and the attestation can be downloaded. `?renouveler=<mandate>`: a renewal — the
// grantee of a mandate the owner gave (its signed statement), the scope chosen as it was.
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { api } from '../api';
import { CameraScan, type ReaderMode, ReaderModes, TypedArea } from '../carte/CarteReader';
import { fingerprintWords } from '../crypto/keys';
import { CategoryBadge, NeedsOpen } from '../pages/paper-common';
import { type PaperCategory, paperStoreFor } from '../paper-store';
import { type Unlocked, unlocked } from '../session';
import { describedBy, ErrorText, useFocusOnStep } from '../ui/Form';
import { Icon } from '../ui/Icon';
import { ROUTES } from '../ui/routes';
import { type GranteeCode, parseCodeQr, parseCodeTyped } from './code';
import { categoryName, dateText, frenchCategoryName, mandateProblem, rightsText, Words } from './common';
import { giveMandate, type Renewal, type ResolvedGrantee, renewalOf, resolveGrantee } from './owner';
import { stringsReady, t } from './strings';
import { DURATIONS, type Duration, MANDATE_TEXT_VERSION, mandateText, type Rights, textSha256 } from './text';
import { Lines, Page, Section, Working } from './ui';

export default function Give() {
  const session = unlocked.value;
  if (!stringsReady()) return null;
  if (!session) return <NeedsOpen />;
  return <Flow session={session} />;
}

interface Scope {
  name: string;
  categories: PaperCategory[];
  rights: Rights;
  notBefore: number;
  notAfter: number;
  mandate: string;
  text: string;
}

type Step =
  | { kind: 'read'; problem?: string }
  | { kind: 'resolving' }
  | { kind: 'compare'; who: ResolvedGrantee }
  | { kind: 'different' }
  | { kind: 'renewing' }
  | { kind: 'scope'; who: ResolvedGrantee; renewal?: Renewal }
  | { kind: 'review'; who: ResolvedGrantee; scope: Scope; error?: string }
  | { kind: 'signing' }
  | { kind: 'done'; who: ResolvedGrantee; scope: Scope; number: number };

function Flow({ session }: { session: Unlocked }) {
  // « Renouveler » on « Mes mandats »: the same grantee, from the mandate the owner signed.
  const renewing = useLocation().query.renouveler;
  const [step, setStep] = useState<Step>(renewing ? { kind: 'renewing' } : { kind: 'read' });
  useFocusOnStep(step.kind);
  useEffect(() => {
    if (!renewing) return;
    let live = true;
    renewalOf(session, renewing).then(
      (renewal) => live && setStep({ kind: 'scope', who: renewal.who, renewal }),
      (e) => live && setStep({ kind: 'read', problem: mandateProblem(e) }),
    );
    return () => {
      live = false;
    };
  }, [session, renewing]);

  const onCode = async (code: GranteeCode) => {
    setStep({ kind: 'resolving' });
    try {
      setStep({ kind: 'compare', who: await resolveGrantee(session, code) });
    } catch (e) {
      setStep({ kind: 'read', problem: mandateProblem(e) });
    }
  };

  const sign = async (who: ResolvedGrantee, scope: Scope) => {
    setStep({ kind: 'signing' });
    try {
      const number = await giveMandate(session, who, {
        categories: scope.categories,
        rights: scope.rights,
        notBefore: scope.notBefore,
        notAfter: scope.notAfter,
        textSha256: textSha256(scope.text),
        mandate: scope.mandate,
        name: scope.name,
      });
      setStep({ kind: 'done', who, scope, number });
    } catch (e) {
      setStep({ kind: 'review', who, scope, error: mandateProblem(e) });
    }
  };

  return (
    <Page titleId="give-title">
      {step.kind === 'read' && <ReadCode problem={step.problem} onCode={(c) => void onCode(c)} />}
      {(step.kind === 'resolving' || step.kind === 'renewing') && <Working messageId="give-resolving" />}
      {step.kind === 'compare' && (
        <Section titleId="give-compare-title" icon="eye">
          {step.who.name && <p>{t('give-compare-organisation', { name: step.who.name })}</p>}
          <p>{t('give-compare-1')}</p>
          <Words words={step.who.words} id="give-words" />
          <p>{t(step.who.pinned ? 'give-compare-2' : 'give-compare-typed')}</p>
          <p>
            <strong>{t('give-compare-question')}</strong>
          </p>
          <div class="actions">
            <button
              type="button"
              class="button button-primary"
              onClick={() => setStep({ kind: 'scope', who: step.who })}
            >
              <Icon name="check" />
              <span>{t('give-compare-yes')}</span>
            </button>
            <button type="button" class="button button-secondary" onClick={() => setStep({ kind: 'different' })}>
              <Icon name="close" />
              <span>{t('give-compare-no')}</span>
            </button>
          </div>
        </Section>
      )}
      {step.kind === 'different' && (
        <div role="alert" class="journal-broken">
          <Lines ids={['give-different-1', 'give-different-2']} />
          <div class="actions">
            <button type="button" class="button button-secondary" onClick={() => setStep({ kind: 'read' })}>
              {t('give-again')}
            </button>
          </div>
        </div>
      )}
      {step.kind === 'scope' && step.renewal && (
        <div class="note with-icon" id="give-renewal">
          <Icon name="check" />
          <div>
            <p>{t('give-renewal-1', { number: step.renewal.number })}</p>
            <p>{t('give-renewal-2')}</p>
            <Words words={step.who.words} id="give-renewal-words" />
          </div>
        </div>
      )}
      {step.kind === 'scope' && (
        <ScopeForm
          session={session}
          who={step.who}
          renewal={step.renewal}
          onDone={(scope) => setStep({ kind: 'review', who: step.who, scope })}
        />
      )}
      {step.kind === 'review' && (
        <Section titleId="give-review-title" icon="papers">
          <p>{t('give-review-1')}</p>
          <p class="mandate-text" lang="fr" dir="ltr" id="mandate-text">
            {step.scope.text}
          </p>
          <p class="hint">{t('give-review-version', { version: MANDATE_TEXT_VERSION })}</p>
          {step.error && <ErrorText id="give-error">{step.error}</ErrorText>}
          <div class="actions">
            <button
              type="button"
              class="button button-primary"
              aria-describedby={describedBy(step.error && 'give-error')}
              onClick={() => void sign(step.who, step.scope)}
            >
              <Icon name="key" />
              <span>{t('give-sign')}</span>
            </button>
            <button
              type="button"
              class="button button-secondary"
              onClick={() => setStep({ kind: 'scope', who: step.who })}
            >
              {t('give-change')}
            </button>
          </div>
        </Section>
      )}
      {step.kind === 'signing' && <Working messageId="give-signing" />}
      {step.kind === 'done' && <Done session={session} who={step.who} scope={step.scope} number={step.number} />}
      {step.kind !== 'done' && step.kind !== 'signing' && (
        <div class="actions">
          <a class="button button-secondary" href={ROUTES.coffre}>
            <Icon name="back" />
            <span>{t('give-cancel')}</span>
          </a>
        </div>
      )}
    </Page>
  );
}

/** Reads « Mon code »: the camera, or the typed code (also used to add a member to an organisation). */
export function ReadCode({ problem, onCode }: { problem?: string; onCode: (c: GranteeCode) => void }) {
  const [mode, setMode] = useState<ReaderMode>('choose');
  const [error, setError] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const shown = error ?? problem;
  const submit = (e: Event) => {
    e.preventDefault();
    const read = parseCodeTyped(typed);
    if (read.ok) onCode(read.code);
    else setError(t(read.reason === 'empty' ? 'give-typed-empty' : 'give-typed-wrong'));
  };
  return (
    <Section titleId="give-read-title" icon="camera">
      <Lines ids={['give-read-1', 'give-read-2']} />
      {shown && <ErrorText id="give-read-error">{shown}</ErrorText>}
      <ReaderModes
        mode={mode}
        onMode={(m) => {
          if (m === 'choose') setError(null);
          setMode(m);
        }}
        cameraLabel={t('give-read-camera')}
        typeLabel={t('give-read-type')}
        camera={
          <CameraScan
            onText={(text) => {
              const code = parseCodeQr(text);
              if (!code) {
                setError(t('give-not-code'));
                return false;
              }
              onCode(code);
              return true;
            }}
            onFail={() => {
              setError(t('give-camera-failed'));
              setMode('type');
            }}
          />
        }
        typed={
          <form class="form" onSubmit={submit} noValidate>
            <div class="field">
              <label for="give-typed">{t('give-typed-label')}</label>
              <p id="give-typed-hint" class="hint">
                {t('give-typed-hint')}
              </p>
              <TypedArea
                id="give-typed"
                value={typed}
                invalid={error !== null}
                describedby={describedBy('give-typed-hint', shown && 'give-read-error')}
                onInput={setTyped}
              />
            </div>
            <div class="actions">
              <button type="submit" class="button button-primary">
                {t('give-typed-submit')}
              </button>
            </div>
          </form>
        }
      />
    </Section>
  );
}

const DURATION_CHOICES: readonly (Duration | 'date')[] = ['day', 'month', 'six_months', 'year', 'date'];
const RIGHTS_CHOICES: readonly Rights[] = ['consult', 'deposit', 'consult_deposit'];

/** `YYYY-MM-DD` of a Unix time, in this browser's time zone. */
function isoDay(seconds: number): string {
  const d = new Date(seconds * 1000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function ScopeForm({
  session,
  who,
  renewal,
  onDone,
}: {
  session: Unlocked;
  who: ResolvedGrantee;
  /** A renewal: the earlier mandate's categories, rights and name are chosen already. */
  renewal?: Renewal;
  onDone: (scope: Scope) => void;
}) {
  const [categories, setCategories] = useState<PaperCategory[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(renewal?.categories ?? []));
  const [rights, setRights] = useState<Rights>(renewal?.rights ?? 'consult');
  const [duration, setDuration] = useState<Duration | 'date'>('month');
  const [endDate, setEndDate] = useState('');
  const [name, setName] = useState(() => renewal?.name || (who.name ?? ''));
  const [error, setError] = useState<{ field: string; message: string } | null>(null);
  const [now, setNow] = useState<number | null>(null);

  useEffect(() => {
    let live = true;
    Promise.all([paperStoreFor(session).categories(), api.instance()])
      .then(([c, instance]) => {
        if (!live) return;
        setCategories(c);
        setNow(instance.now);
      })
      .catch((e) => live && setLoadError(mandateProblem(e)));
    return () => {
      live = false;
    };
  }, [session]);

  if (loadError) return <ErrorText id="give-load-error">{loadError}</ErrorText>;
  if (!categories || now === null) return <Working messageId="give-loading" />;

  const submit = async (e: Event) => {
    e.preventDefault();
    const picked = categories.filter((c) => chosen.has(c.id));
    if (picked.length === 0) return setError({ field: 'categories', message: t('give-error-categories') });
    const { now: at } = await api.instance();
    let notAfter: number;
    if (duration === 'date') {
      const end = /^\d{4}-\d{2}-\d{2}$/.test(endDate) ? new Date(`${endDate}T23:59:59`) : null;
      notAfter = end && !Number.isNaN(end.getTime()) ? Math.floor(end.getTime() / 1000) : 0;
      if (notAfter <= at || notAfter - at > DURATIONS.year)
        return setError({ field: 'date', message: t('give-error-date') });
    } else notAfter = at + DURATIONS[duration];
    setError(null);
    const mandate = crypto.randomUUID();
    const text = mandateText({
      mandate,
      granteeName: name.trim(),
      granteeWords: who.words,
      granteeType: who.grantee.type,
      ownerWords: fingerprintWords(session.keys.fingerprint()),
      categories: picked.map(frenchCategoryName),
      rights,
      notBefore: at,
      notAfter,
    });
    onDone({ name: name.trim(), categories: picked, rights, notBefore: at, notAfter, mandate, text });
  };

  const toggle = (id: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(id);
    else next.delete(id);
    setChosen(next);
  };

  return (
    <form class="form" onSubmit={(e) => void submit(e)} noValidate>
      <h2>{t('give-scope-title')}</h2>
      <div class="field">
        <label for="give-name">{t('give-name-label')}</label>
        <p id="give-name-hint" class="hint">
          {t('give-name-hint')}
        </p>
        <input
          id="give-name"
          class="input"
          type="text"
          maxLength={60}
          autocomplete="off"
          value={name}
          aria-describedby="give-name-hint"
          onInput={(e) => setName(e.currentTarget.value)}
        />
      </div>
      <fieldset class="field" aria-describedby={describedBy(error?.field === 'categories' && 'give-categories-error')}>
        <legend>{t('give-categories-legend')}</legend>
        <ul class="category-choices">
          {categories.map((c) => (
            <li key={c.id}>
              <label class={`category-tile cat-${c.icon}`} for={`give-cat-${c.icon}`}>
                <input
                  id={`give-cat-${c.icon}`}
                  type="checkbox"
                  checked={chosen.has(c.id)}
                  onChange={(e) => toggle(c.id, e.currentTarget.checked)}
                />
                <CategoryBadge icon={c.icon} />
                <span>{categoryName(c)}</span>
              </label>
            </li>
          ))}
        </ul>
        {error?.field === 'categories' && <ErrorText id="give-categories-error">{error.message}</ErrorText>}
      </fieldset>
      <fieldset class="field">
        <legend>{t('give-rights-legend')}</legend>
        {RIGHTS_CHOICES.map((r) => (
          <div class="field-check" key={r}>
            <input
              id={`give-rights-${r}`}
              type="radio"
              name="rights"
              checked={rights === r}
              onChange={() => setRights(r)}
            />
            <label for={`give-rights-${r}`}>{rightsText(r)}</label>
          </div>
        ))}
      </fieldset>
      <fieldset class="field" aria-describedby={describedBy(error?.field === 'date' && 'give-date-error')}>
        <legend>{t('give-duration-legend')}</legend>
        {DURATION_CHOICES.map((d) => (
          <div class="field-check" key={d}>
            <input
              id={`give-duration-${d}`}
              type="radio"
              name="duration"
              checked={duration === d}
              onChange={() => setDuration(d)}
            />
            <label for={`give-duration-${d}`}>{t(`give-duration-${d}`)}</label>
          </div>
        ))}
        {duration === 'date' && (
          <div class="field">
            <label for="give-end">{t('give-end-label')}</label>
            <input
              id="give-end"
              class="input input-date"
              type="date"
              min={isoDay(now + 24 * 3600)}
              max={isoDay(now + DURATIONS.year)}
              value={endDate}
              aria-invalid={error?.field === 'date' ? 'true' : undefined}
              aria-describedby={describedBy(error?.field === 'date' && 'give-date-error')}
              onInput={(e) => setEndDate(e.currentTarget.value)}
            />
          </div>
        )}
        {error?.field === 'date' && <ErrorText id="give-date-error">{error.message}</ErrorText>}
      </fieldset>
      <div class="actions">
        <button type="submit" class="button button-primary">
          <span>{t('give-scope-next')}</span>
          <Icon name="forward" />
        </button>
      </div>
    </form>
  );
}

function Done({
  session,
  who,
  scope,
  number,
}: {
  session: Unlocked;
  who: ResolvedGrantee;
  scope: Scope;
  number: number;
}) {
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    try {
      const { downloadAttestation } = await import('./attestation');
      await downloadAttestation({
        number,
        mandate: scope.mandate,
        ownerWords: fingerprintWords(session.keys.fingerprint()),
        granteeWords: who.words,
        granteeName: scope.name,
        granteeType: who.grantee.type,
        rights: scope.rights,
        categories: scope.categories.map(frenchCategoryName),
        notBefore: scope.notBefore,
        notAfter: scope.notAfter,
      });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section titleId="give-done-title" icon="check">
      <p class="status-line status-open with-icon" role="status">
        <Icon name="check" />
        <span>{t('give-done-1', { number })}</span>
      </p>
      <p>{t('give-done-scope', { rights: rightsText(scope.rights), count: scope.categories.length })}</p>
      <p>{t('give-done-until', { date: dateText(scope.notAfter) })}</p>
      <p>{t('give-done-2')}</p>
      <div class="actions">
        <button type="button" class="button button-primary" disabled={busy} onClick={() => void download()}>
          <Icon name="download" />
          <span>{t('mandate-attestation')}</span>
        </button>
        <a class="button button-secondary" href={ROUTES.mandates}>
          {t('give-done-list')}
        </a>
      </div>
    </Section>
  );
}
