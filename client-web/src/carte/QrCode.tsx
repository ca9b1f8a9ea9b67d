import { encode } from 'uqr';

/**
 * The path of a QR code's dark modules, one `M x y h1 v1 h-1 z` square each (runs on a row
 * merged): drawn as one SVG path, with no inline style and no `data:` image (CSP).
 */
export function qrPath(text: string): { size: number; d: string } {
  const { data, size } = encode(text, { ecc: 'M', border: 0 });
  let d = '';
  for (let y = 0; y < size; y++) {
    const row = data[y] ?? [];
    let x = 0;
    while (x < size) {
      if (!row[x]) {
        x++;
        continue;
      }
      let end = x;
      while (end < size && row[end]) end++;
      d += `M${x} ${y}h${end - x}v1h${x - end}z`;
      x = end;
    }
  }
  return { size, d };
}

const QUIET = 4;

/** A QR code as SVG. Decorative to assistive technology when `label` is not given. */
export function QrCode({ text, label }: { text: string; label?: string }) {
  const { size, d } = qrPath(text);
  const box = size + 2 * QUIET;
  return (
    <svg
      class="qr"
      viewBox={`${-QUIET} ${-QUIET} ${box} ${box}`}
      role={label ? 'img' : undefined}
      aria-label={label}
      aria-hidden={label ? undefined : 'true'}
      focusable="false"
      shape-rendering="crispEdges"
    >
      <rect x={-QUIET} y={-QUIET} width={box} height={box} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
