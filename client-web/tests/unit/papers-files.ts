// Small files for the papers unit tests, made byte by byte: the headers of each accepted
// type, and files that pose as one.

export const bytes = (...parts: (string | number[] | Uint8Array)[]) => {
  const chunks = parts.map((p) =>
    typeof p === 'string'
      ? Uint8Array.from(p, (c) => c.charCodeAt(0))
      : p instanceof Uint8Array
        ? p
        : Uint8Array.from(p),
  );
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
};

const u16be = (n: number) => [n >> 8, n & 0xff];
const u32be = (n: number) => [n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
const u32le = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24];
const u24le = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff];

/** A JPEG's structure: SOI, an APP1 "Exif" segment of `exifBytes`, a frame header, a scan, EOI. */
export function jpeg({ width = 4000, height = 3000, exifBytes = 200, eoi = true } = {}) {
  return bytes(
    [0xff, 0xd8],
    [0xff, 0xe1, ...u16be(exifBytes + 2)],
    'Exif\0\0',
    new Uint8Array(exifBytes - 6),
    [0xff, 0xc0, ...u16be(17), 8, ...u16be(height), ...u16be(width), 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1],
    [0xff, 0xda, ...u16be(12), 3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3f, 0],
    [0x12, 0x34, 0xff, 0x00, 0x56, 0xff, 0xd0, 0x78], // entropy-coded data: a stuffed FF, a restart marker
    eoi ? [0xff, 0xd9] : [],
  );
}

/** A PNG's signature, IHDR and (unless cut) IEND. */
export function png({ width = 640, height = 480, iend = true } = {}) {
  return bytes(
    [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    [...u32be(13)],
    'IHDR',
    [...u32be(width), ...u32be(height), 8, 6, 0, 0, 0],
    [0, 0, 0, 0],
    [...u32be(4)],
    'IDAT',
    [1, 2, 3, 4, 0, 0, 0, 0],
    iend ? bytes([...u32be(0)], 'IEND', [0xae, 0x42, 0x60, 0x82]) : [],
  );
}

/** A lossy WebP ('VP8 '), lossless ('VP8L') or extended ('VP8X') file header; `cut` drops bytes from the end. */
export function webp(kind: 'VP8 ' | 'VP8L' | 'VP8X', { width = 1800, height = 2400, cut = 0 } = {}) {
  let chunk: Uint8Array;
  if (kind === 'VP8 ') {
    chunk = bytes('VP8 ', u32le(10), [0, 0, 0, 0x9d, 0x01, 0x2a, width & 0xff, width >> 8, height & 0xff, height >> 8]);
  } else if (kind === 'VP8L') {
    const bits = (width - 1) | ((height - 1) << 14);
    chunk = bytes('VP8L', u32le(6), [0x2f, ...u32le(bits >>> 0), 0]);
  } else {
    chunk = bytes('VP8X', u32le(10), [0x08, 0, 0, 0, ...u24le(width - 1), ...u24le(height - 1)]);
  }
  const whole = bytes('RIFF', u32le(4 + chunk.length), 'WEBP', chunk);
  return whole.subarray(0, whole.length - cut);
}

/** An ISO BMFF file-type box with `major` and `compatible` brands, then some bytes. */
export function ftyp(major: string, compatible: string[]) {
  const size = 16 + 4 * compatible.length;
  return bytes(u32be(size), 'ftyp', major, [0, 0, 0, 0], ...compatible, [0, 0, 0, 8], 'meta', new Uint8Array(64));
}

export const pdf = (prefix = '', { eof = true } = {}) =>
  bytes(
    prefix,
    '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n',
    eof ? '%%EOF\n' : '',
  );

export const HTML = '<!doctype html><html><body><script>window.pwned = 1</script>%PDF-1.7</body></html>';
export const SVG =
  '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>parent.pwned = 1</script><!-- %PDF-1.4 --></svg>';
