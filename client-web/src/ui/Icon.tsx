import type { JSX } from 'preact';

/** Small line pictograms (24 × 24, drawn with `currentColor`). Always decorative: the text says it. */
const SHAPES = {
  lock: (
    <>
      <rect x="5" y="11" width="14" height="10" rx="2" />
      <path d="M8 11V7a4 4 0 0 1 8 0v4" />
      <path d="M12 15v2" />
    </>
  ),
  papers: (
    <>
      <path d="M6 3h8l4 4v14H6z" />
      <path d="M14 3v4h4M9 12h6M9 16h6" />
    </>
  ),
  eye: (
    <>
      <path d="M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12z" />
      <circle cx="12" cy="12" r="3" />
    </>
  ),
  'eye-off': (
    <>
      <path d="M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12z" />
      <circle cx="12" cy="12" r="3" />
      <path d="M4 4l16 16" />
    </>
  ),
  key: (
    <>
      <circle cx="8" cy="15" r="4" />
      <path d="M10.8 12.2L20 3M16 7l3 3M13.5 9.5l2 2" />
    </>
  ),
  alert: (
    <>
      <path d="M12 3L2 20h20z" />
      <path d="M12 10v4M12 17v.01" />
    </>
  ),
  globe: (
    <>
      <circle cx="12" cy="12" r="9" />
      <path d="M3 12h18M12 3c3 3.5 3 14.5 0 18M12 3c-3 3.5-3 14.5 0 18" />
    </>
  ),
  clock: (
    <>
      <circle cx="12" cy="12" r="9" />
      <path d="M12 7v5l3 3" />
    </>
  ),
  help: (
    <>
      <circle cx="12" cy="12" r="9" />
      <path d="M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 .9-1 1.7M12 17v.01" />
    </>
  ),
  camera: (
    <>
      <path d="M3 8h4l2-3h6l2 3h4v11H3z" />
      <circle cx="12" cy="13" r="3.5" />
    </>
  ),
  photo: (
    <>
      <rect x="3" y="4" width="18" height="16" rx="2" />
      <circle cx="9" cy="9" r="1.5" />
      <path d="M3 17l5-5 4 4 3-3 6 6" />
    </>
  ),
  phone: (
    <>
      <rect x="6" y="2" width="12" height="20" rx="2" />
      <path d="M11 18h2" />
    </>
  ),
  keyboard: (
    <>
      <rect x="2" y="6" width="20" height="12" rx="2" />
      <path d="M6 10h.01M10 10h.01M14 10h.01M18 10h.01M7 14h10" />
    </>
  ),
  printer: (
    <>
      <path d="M6 9V3h12v6" />
      <rect x="3" y="9" width="18" height="8" rx="1" />
      <path d="M7 14h10v7H7z" />
    </>
  ),
  logout: (
    <>
      <path d="M10 4H5v16h5" />
      <path d="M14 8l4 4-4 4M18 12H9" />
    </>
  ),
  check: <path d="M4 12l5 5L20 6" />,
  /** Points "forward" in the reading direction: mirrored in right-to-left pages by the CSS. */
  forward: <path d="M5 12h14M13 6l6 6-6 6" />,
  /** Points "back" in the reading direction: mirrored in right-to-left pages by the CSS. */
  back: <path d="M19 12H5M11 6l-6 6 6 6" />,
  plus: <path d="M12 5v14M5 12h14" />,
  /** A pencil: write or change a name. */
  edit: <path d="M4 20h4L19 9l-4-4L4 16zM13 7l4 4" />,
  rotate: <path d="M20 12a8 8 0 1 1-2.3-5.7M20 4v5h-5" />,
  crop: <path d="M6 2v16h16M2 6h16v16" />,
  trash: <path d="M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13" />,
  download: <path d="M12 4v11M7 10l5 5 5-5M5 20h14" />,
  search: (
    <>
      <circle cx="11" cy="11" r="6" />
      <path d="M16 16l4 4" />
    </>
  ),
  'zoom-in': (
    <>
      <circle cx="11" cy="11" r="6" />
      <path d="M16 16l4 4M8 11h6M11 8v6" />
    </>
  ),
  'zoom-out': (
    <>
      <circle cx="11" cy="11" r="6" />
      <path d="M16 16l4 4M8 11h6" />
    </>
  ),
  contrast: (
    <>
      <circle cx="12" cy="12" r="9" />
      <path class="icon-fill" d="M12 3a9 9 0 0 1 0 18z" />
    </>
  ),
  more: <path d="M5 12h.01M12 12h.01M19 12h.01" />,
  close: <path d="M6 6l12 12M18 6L6 18" />,
  // The ten categories (coffre/categories.ts: the label's icon slug).
  identity: (
    <>
      <rect x="3" y="5" width="18" height="14" rx="2" />
      <circle cx="9" cy="11" r="2" />
      <path d="M6 16c.5-1.5 1.7-2.2 3-2.2s2.5.7 3 2.2M14 10h4M14 14h3" />
    </>
  ),
  residence: (
    <>
      <rect x="5" y="3" width="14" height="18" rx="2" />
      <circle cx="12" cy="10" r="3.5" />
      <path d="M8.5 10h7M9 17h6" />
    </>
  ),
  health: <path d="M9 3h6v6h6v6h-6v6H9v-6H3V9h6z" />,
  income: (
    <>
      <circle cx="12" cy="12" r="9" />
      <path d="M15.5 8.5a4 4 0 1 0 0 7M7.5 11h6M7.5 13.5h5" />
    </>
  ),
  housing: <path d="M3 11l9-7 9 7M5 9.5V20h14V9.5M10 20v-5h4v5" />,
  work: (
    <>
      <rect x="3" y="7" width="18" height="13" rx="2" />
      <path d="M9 7V5h6v2M3 12h18" />
    </>
  ),
  'tax-bank': <path d="M3 9l9-5 9 5M5 9v8M9.5 9v8M14.5 9v8M19 9v8M3 20h18" />,
  justice: <path d="M12 4v16M7 20h10M5 7h14M5 7l-3 6a3 3 0 0 0 6 0zM19 7l-3 6a3 3 0 0 0 6 0z" />,
  family: (
    <>
      <circle cx="8" cy="8" r="3" />
      <circle cx="17" cy="9" r="2.5" />
      <path d="M3 20c0-3 2.2-5 5-5s5 2 5 5M13.5 20c0-2.5 1.5-4.5 3.5-4.5s3.5 2 3.5 4.5" />
    </>
  ),
  other: <path d="M3 6h6l2 2h10v11H3z" />,
} satisfies Record<string, JSX.Element>;

export type IconName = keyof typeof SHAPES;

export function Icon({ name }: { name: IconName }) {
  return (
    <svg class={`icon icon-${name}`} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      {SHAPES[name]}
    </svg>
  );
}
