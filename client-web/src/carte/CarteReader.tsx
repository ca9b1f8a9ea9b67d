import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n';
import { describedBy, ErrorText } from '../ui/Form';
import { Icon } from '../ui/Icon';
import { decodeQr, decodeQrFile } from './decode';
import { parseTyped, TYPED_LENGTH } from './typed';

/** The ways a reader offers: the choice first, then the camera or the typed form. */
export type ReaderMode = 'choose' | 'camera' | 'type';

interface CarteReaderProps {
  /** The identity read from the carte (already checked: bech32 checksum, format). */
  onRead: (identity: string) => void;
  /** A message of the page about the carte read (e.g. "not the carte we just made"). */
  error?: string;
}

/** Reads a carte Coffre three ways: the camera, a photo of the carte, or its typed form. */
export function CarteReader({ onRead, error }: CarteReaderProps) {
  const [mode, setMode] = useState<ReaderMode>('choose');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const fromQr = (text: string | null): boolean => {
    if (text === null) return false;
    const parsed = parseTyped(text);
    if (parsed.ok) {
      setProblem(null);
      onRead(parsed.identity);
      return true;
    }
    setProblem(t('reader-not-carte'));
    return false;
  };

  const onPhoto = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    setBusy(true);
    setProblem(null);
    try {
      const text = await decodeQrFile(file);
      if (text === null) setProblem(t('reader-photo-none'));
      else fromQr(text);
    } catch {
      setProblem(t('reader-photo-none'));
    } finally {
      setBusy(false);
    }
  };

  const shownError = problem ?? error;

  return (
    <div class="reader">
      {shownError && <ErrorText id="reader-error">{shownError}</ErrorText>}
      <ReaderModes
        mode={mode}
        onMode={(m) => {
          if (m === 'choose') setProblem(null);
          setMode(m);
        }}
        cameraLabel={t('reader-camera')}
        typeLabel={t('reader-type')}
        extra={
          <>
            <label class="button button-secondary file-button" for="reader-photo">
              <Icon name="photo" />
              <span>{t('reader-photo')}</span>
            </label>
            <input
              id="reader-photo"
              class="visually-hidden"
              type="file"
              accept="image/*"
              capture="environment"
              aria-describedby={describedBy(shownError && 'reader-error')}
              onChange={(e) => void onPhoto(e.currentTarget)}
            />
          </>
        }
        after={busy && <p role="status">{t('reader-photo-reading')}</p>}
        camera={
          <CameraScan
            onText={fromQr}
            onFail={() => {
              setProblem(t('reader-camera-failed'));
              setMode('choose');
            }}
          />
        }
        typed={<TypedEntry onRead={onRead} />}
      />
    </div>
  );
}

/**
 * What every code reader shares (the carte's, the mandate code's): the choice with its
 * buttons (the camera, `extra`, typing; `after` below them), then the camera or the typed
 * form once chosen, and « Choisir une autre façon » back to the choice.
 */
export function ReaderModes({
  mode,
  onMode,
  cameraLabel,
  typeLabel,
  extra,
  after,
  camera,
  typed,
}: {
  mode: ReaderMode;
  onMode: (mode: ReaderMode) => void;
  cameraLabel: string;
  typeLabel: string;
  extra?: ComponentChildren;
  after?: ComponentChildren;
  camera: ComponentChildren;
  typed: ComponentChildren;
}) {
  return (
    <>
      {mode === 'choose' && (
        <div class="actions actions-column">
          <button type="button" class="button button-primary" onClick={() => onMode('camera')}>
            <Icon name="camera" />
            <span>{cameraLabel}</span>
          </button>
          {extra}
          <button type="button" class="button button-secondary" onClick={() => onMode('type')}>
            <Icon name="keyboard" />
            <span>{typeLabel}</span>
          </button>
          {after}
        </div>
      )}
      {mode === 'camera' && camera}
      {mode === 'type' && typed}
      {mode !== 'choose' && (
        <div class="actions">
          <button type="button" class="button button-secondary" onClick={() => onMode('choose')}>
            {t('reader-other-way')}
          </button>
        </div>
      )}
    </>
  );
}

/** A typed code's text area (a carte's, a mandate code's): long, left to right, never corrected. */
export function TypedArea({
  id,
  value,
  invalid,
  describedby,
  onInput,
}: {
  id: string;
  value: string;
  invalid: boolean;
  describedby?: string;
  onInput: (value: string) => void;
}) {
  return (
    <textarea
      id={id}
      class="input input-typed"
      rows={4}
      dir="ltr"
      autocomplete="off"
      autocapitalize="characters"
      spellcheck={false}
      value={value}
      aria-invalid={invalid ? 'true' : undefined}
      aria-describedby={describedby}
      onInput={(e) => onInput(e.currentTarget.value)}
    />
  );
}

/** How often a camera frame is looked at (ms): enough for a card held still, light on a cheap phone. */
const SCAN_EVERY_MS = 250;

export function CameraScan({ onText, onFail }: { onText: (text: string) => boolean; onFail: () => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const onTextRef = useRef(onText);
  onTextRef.current = onText;
  const onFailRef = useRef(onFail);
  onFailRef.current = onFail;

  useEffect(() => {
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const canvas = document.createElement('canvas');
    const tick = async () => {
      const v = video.current;
      if (stopped || !v) return;
      let text: string | null = null;
      if (v.readyState >= 2) {
        try {
          text = await decodeQr(v, v.videoWidth, v.videoHeight, canvas);
        } catch {
          text = null;
        }
      }
      if (stopped) return;
      if (text !== null && onTextRef.current(text)) return;
      timer = setTimeout(() => void tick(), SCAN_EVERY_MS);
    };
    (async () => {
      try {
        if (!navigator.mediaDevices?.getUserMedia) throw new Error('no camera');
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
        if (stopped) return;
        const v = video.current;
        if (!v) return;
        v.srcObject = stream;
        await v.play().catch(() => undefined);
        void tick();
      } catch {
        if (!stopped) onFailRef.current();
      }
    })();
    return () => {
      stopped = true;
      clearTimeout(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, []);

  return (
    <div class="camera">
      <p role="status">{t('reader-camera-looking')}</p>
      <video ref={video} class="camera-video" muted playsInline aria-label={t('reader-camera-video')} />
    </div>
  );
}

function TypedEntry({ onRead }: { onRead: (identity: string) => void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (e: Event) => {
    e.preventDefault();
    const parsed = parseTyped(value);
    if (parsed.ok) {
      setError(null);
      onRead(parsed.identity);
    } else if (parsed.reason === 'empty') setError(t('reader-typed-empty'));
    else if (parsed.reason === 'length')
      setError(t('reader-typed-length', { count: parsed.length, expected: TYPED_LENGTH }));
    else setError(t('reader-typed-checksum'));
  };
  return (
    <form class="form" onSubmit={submit} noValidate>
      <div class="field">
        <label for="carte-typed">{t('reader-typed-label')}</label>
        <p id="carte-typed-hint" class="hint">
          {t('reader-typed-hint')}
        </p>
        <TypedArea
          id="carte-typed"
          value={value}
          invalid={error !== null}
          describedby={describedBy('carte-typed-hint', error && 'carte-typed-error')}
          onInput={setValue}
        />
      </div>
      {error && <ErrorText id="carte-typed-error">{error}</ErrorText>}
      <div class="actions">
        <button type="submit" class="button button-primary">
          {t('reader-typed-submit')}
        </button>
      </div>
    </form>
  );
}
