import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../i18n';
import { Icon } from './Icon';
import { focusPageTitle } from './Page';

/** An error said in words, announced as soon as it appears, linked to its field by id. */
export function ErrorText({ id, children }: { id: string; children: ComponentChildren }) {
  return (
    <p id={id} class="error with-icon" role="alert">
      <Icon name="alert" />
      <span>{children}</span>
    </p>
  );
}

/** A progress message, read out by screen readers. */
export function Working({ messageId }: { messageId: string }) {
  return (
    <p class="working with-icon" role="status">
      <span class="spinner" aria-hidden="true" />
      <span>{t(messageId)}</span>
    </p>
  );
}

/** `aria-describedby` from the ids that are present. */
export const describedBy = (...ids: (string | false | null | undefined)[]) =>
  ids.filter(Boolean).join(' ') || undefined;

/**
 * Moves the focus to the page title each time `step` changes (a new screen of the same page),
 * as the router does after a navigation.
 */
export function useFocusOnStep(step: unknown): void {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    focusPageTitle();
  }, [step]);
}

/** "Je suis sur un ordinateur partagé", with what it changes. */
export function SharedCheckbox({ checked, onChange }: { checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <div class="field field-check">
      <input
        id="device-shared"
        type="checkbox"
        checked={checked}
        aria-describedby="device-shared-hint"
        onChange={(e) => onChange(e.currentTarget.checked)}
      />
      <label for="device-shared">{t('device-shared-label')}</label>
      <p id="device-shared-hint" class="hint">
        {t('device-shared-hint')}
      </p>
    </div>
  );
}

/** A PIN field: digits only, never remembered by the browser. */
export function PinInput(props: {
  id: string;
  labelId: string;
  value: string;
  onInput: (v: string) => void;
  errorId?: string;
  hintId?: string;
  autoFocus?: boolean;
}) {
  return (
    <div class="field">
      <label for={props.id}>{t(props.labelId)}</label>
      <input
        id={props.id}
        class="input input-pin"
        type="password"
        inputMode="numeric"
        pattern="[0-9]*"
        autocomplete="off"
        maxLength={8}
        value={props.value}
        aria-invalid={props.errorId ? 'true' : undefined}
        aria-describedby={describedBy(props.hintId, props.errorId)}
        onInput={(e) => props.onInput(e.currentTarget.value.replace(/\D/g, ''))}
      />
    </div>
  );
}

export const PIN_PATTERN = /^\d{4,8}$/;
