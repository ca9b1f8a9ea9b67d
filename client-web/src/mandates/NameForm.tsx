// « Donner un nom » / « Changer le nom » on a mandate of « Mes mandats »: the owner names or
// renames the grantee afterwards (a new owner's note, protocol.md section 8.1; `renameMandate`).
// A button that opens a small form in place (60 characters, as when giving the mandate); the
// focus goes to the field, back to the button on « Annuler » or Échap, and a status line says
// when the name is saved.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { CoffreCryptoError } from '../crypto/errors';
import type { Unlocked } from '../session';
import { describedBy, ErrorText } from '../ui/Form';
import { Icon } from '../ui/Icon';
import { mandateProblem } from './common';
import type { SavedName } from './names';
import { type GivenMandate, renameMandate } from './owner';
import { t } from './strings';
import { Working } from './ui';

/** The longest name, as the form that gives a mandate holds it. */
export const NAME_MAX_LENGTH = 60;

export function NameForm({
  session,
  g,
  heading,
  onNamed,
  rename = renameMandate,
}: {
  session: Unlocked;
  g: GivenMandate;
  /** The id of the mandate's heading, which the button is about. */
  heading: string;
  onNamed: (saved: SavedName) => void;
  rename?: typeof renameMandate;
}) {
  const id = g.item.mandate;
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const back = useRef(false);

  // A layout effect: the focus moves in the same task as the render that removes the element
  // holding it, so it never rests on the page's body in between (a screen reader would say so).
  useLayoutEffect(() => {
    if (open) input.current?.focus();
    else if (back.current) {
      back.current = false;
      toggle.current?.focus();
    }
  }, [open]);

  const close = () => {
    back.current = true;
    setOpen(false);
    setError(null);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    const name = value.trim();
    if (!name) {
      setError(t('mandate-name-empty'));
      input.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const one = await rename(session, id, name, g.nameCreated);
      onNamed(one);
      setSaved(one.name);
      close();
    } catch (err) {
      setError(
        err instanceof CoffreCryptoError && err.code === 'malformed' ? t('mandate-name-bad') : mandateProblem(err),
      );
    } finally {
      setBusy(false);
    }
  };

  const formId = `mandate-name-form-${id}`;
  const inputId = `mandate-name-${id}`;
  const hintId = `mandate-name-hint-${id}`;
  const errorId = `mandate-name-error-${id}`;
  return (
    <div class="mandate-name">
      <div role="status" id={`mandate-name-status-${id}`}>
        {saved && (
          <p class="status-line status-open with-icon">
            <Icon name="check" />
            <span>{t('mandate-name-saved', { name: saved })}</span>
          </p>
        )}
      </div>
      {!open && (
        <button
          ref={toggle}
          type="button"
          class="button button-secondary"
          aria-describedby={heading}
          aria-expanded="false"
          onClick={() => {
            setValue(g.name);
            setSaved(null);
            setOpen(true);
          }}
        >
          <Icon name="edit" />
          <span>{t(g.name ? 'mandate-name-change' : 'mandate-name-give')}</span>
        </button>
      )}
      {open && (
        <form
          id={formId}
          class="form mandate-name-form"
          aria-labelledby={`${formId}-title`}
          noValidate
          onSubmit={(e) => void submit(e)}
          onKeyDown={(e) => {
            if (e.key === 'Escape' && !busy) {
              e.preventDefault();
              close();
            }
          }}
        >
          <h3 id={`${formId}-title`}>{t(g.name ? 'mandate-name-change' : 'mandate-name-give')}</h3>
          <div class="field">
            <label for={inputId}>{t('give-name-label')}</label>
            <p id={hintId} class="hint">
              {t('mandate-name-hint')}
            </p>
            <input
              ref={input}
              id={inputId}
              class="input"
              type="text"
              maxLength={NAME_MAX_LENGTH}
              autocomplete="off"
              value={value}
              aria-invalid={error ? 'true' : undefined}
              aria-describedby={describedBy(hintId, error && errorId)}
              onInput={(e) => setValue(e.currentTarget.value)}
            />
            {error && <ErrorText id={errorId}>{error}</ErrorText>}
          </div>
          {busy ? (
            <Working messageId="mandate-name-saving" />
          ) : (
            <div class="actions">
              <button type="submit" class="button button-primary">
                <Icon name="check" />
                <span>{t('mandate-name-save')}</span>
              </button>
              <button type="button" class="button button-secondary" onClick={close}>
                <Icon name="close" />
                <span>{t('mandate-name-cancel')}</span>
              </button>
            </div>
          )}
        </form>
      )}
    </div>
  );
}
