// Cutting a page's edges by hand: the whole photo (turned as chosen), the part kept in a
// frame, and one handle in the middle of each edge of it. A handle is dragged (mouse,
// finger or pen: pointer events) or moved with the arrow keys once focused (1 %, 5 % with
// Shift), like a slider (role="slider", its value the edge's place in %). Each handle is
// a 44 px target. "Couper" gives the crop (fractions of the turned photo) to the page
// pipeline, which cuts the full-resolution photo.
import { useRef, useState } from 'preact/hooks';
import { t } from '../i18n';
import type { Crop } from '../papers';
import { Icon } from '../ui/Icon';
import { type CropEdge, edgeAt, FULL_CROP, moveEdge } from './crop-geometry';

const EDGES: readonly CropEdge[] = ['top', 'right', 'bottom', 'left'];
const horizontal = (edge: CropEdge) => edge === 'left' || edge === 'right';

export function CropEditor({
  id,
  name,
  url,
  initial,
  busy,
  onCrop,
  onCancel,
}: {
  /** A prefix for the editor's element ids. */
  id: string;
  /** The page's name ("Page 2"), for the handles' labels. */
  name: string;
  /** The whole photo, turned, not cut. */
  url: string;
  initial?: Crop;
  busy: boolean;
  onCrop: (crop: Crop | undefined) => void;
  onCancel: () => void;
}) {
  const [crop, setCrop] = useState<Crop>(initial ?? FULL_CROP);
  const stage = useRef<HTMLDivElement>(null);
  const dragging = useRef<CropEdge | null>(null);

  const at = (edge: CropEdge, event: PointerEvent) => {
    const box = stage.current?.getBoundingClientRect();
    if (!box || box.width === 0 || box.height === 0) return;
    const value = horizontal(edge) ? (event.clientX - box.left) / box.width : (event.clientY - box.top) / box.height;
    setCrop((c) => moveEdge(c, edge, value));
  };

  const onKey = (edge: CropEdge, event: KeyboardEvent) => {
    const step = event.shiftKey ? 0.05 : 0.01;
    const keys: Record<string, number> = horizontal(edge)
      ? { ArrowLeft: -step, ArrowRight: step }
      : { ArrowUp: -step, ArrowDown: step };
    let value: number | undefined;
    if (event.key in keys) value = edgeAt(crop, edge) + (keys[event.key] ?? 0);
    else if (event.key === 'Home') value = edge === 'left' || edge === 'top' ? 0 : -1;
    else if (event.key === 'End') value = edge === 'right' || edge === 'bottom' ? 1 : 2;
    if (value === undefined) return;
    event.preventDefault();
    setCrop((c) => moveEdge(c, edge, value));
  };

  const percent = (v: number) => Math.round(v * 100);
  return (
    <div class="crop-editor">
      <p id={`${id}-help`} class="hint">
        {t('crop-help')}
      </p>
      {/* The photo's own left and right, whatever the language's direction. */}
      <div class="crop-stage" dir="ltr" ref={stage}>
        <img class="crop-photo" src={url} alt={t('crop-photo-alt', { name })} draggable={false} />
        <div class="crop-clip">
          <div
            class="crop-frame"
            style={{
              left: `${crop.x * 100}%`,
              top: `${crop.y * 100}%`,
              width: `${crop.width * 100}%`,
              height: `${crop.height * 100}%`,
            }}
          />
        </div>
        {EDGES.map((edge) => {
          const value = edgeAt(crop, edge);
          const across = horizontal(edge) ? crop.y + crop.height / 2 : crop.x + crop.width / 2;
          return (
            <div
              key={edge}
              class={`crop-handle crop-handle-${edge}`}
              role="slider"
              tabIndex={busy ? -1 : 0}
              aria-label={t(`crop-edge-${edge}`, { name })}
              aria-describedby={`${id}-help`}
              aria-orientation={horizontal(edge) ? 'horizontal' : 'vertical'}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={percent(value)}
              aria-valuetext={t('crop-edge-value', { percent: percent(value) })}
              aria-disabled={busy ? 'true' : undefined}
              style={
                horizontal(edge)
                  ? { left: `${value * 100}%`, top: `${across * 100}%` }
                  : { left: `${across * 100}%`, top: `${value * 100}%` }
              }
              onKeyDown={(e) => !busy && onKey(edge, e)}
              onPointerDown={(e) => {
                if (busy) return;
                e.preventDefault();
                dragging.current = edge;
                e.currentTarget.setPointerCapture(e.pointerId);
                e.currentTarget.focus();
              }}
              onPointerMove={(e) => dragging.current === edge && at(edge, e)}
              onPointerUp={(e) => {
                if (dragging.current === edge) at(edge, e);
                dragging.current = null;
              }}
              onPointerCancel={() => {
                dragging.current = null;
              }}
            >
              <span class="crop-grip" aria-hidden="true" />
            </div>
          );
        })}
      </div>
      <div class="page-tools">
        <button
          type="button"
          class="button button-primary button-small"
          disabled={busy}
          onClick={() => {
            const whole = crop.x === 0 && crop.y === 0 && crop.width === 1 && crop.height === 1;
            onCrop(whole ? undefined : crop);
          }}
        >
          <Icon name="crop" />
          <span>{t('crop-apply')}</span>
        </button>
        <button
          type="button"
          class="button button-secondary button-small"
          disabled={busy}
          onClick={() => setCrop(FULL_CROP)}
        >
          <span>{t('crop-reset')}</span>
        </button>
        <button type="button" class="button button-secondary button-small" disabled={busy} onClick={onCancel}>
          <span>{t('crop-cancel')}</span>
        </button>
      </div>
    </div>
  );
}
