// What a file really is, from its bytes only: never its name or its declared type.
// Images are recognised by their signatures, HEIC/HEIF/AVIF by the ISO BMFF `ftyp` box,
// PDFs by `%PDF-` in the first 1024 bytes. Then two cheap checks before anything is decoded:
// that the file is not cut short, and how many pixels an image declares.

export type ImageType = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/heic' | 'image/avif';
export type SniffedType = ImageType | 'application/pdf';

/** How many leading bytes `sniffType` looks at. */
export const SNIFF_BYTES = 1024;

const ascii = (bytes: Uint8Array, at: number, length: number) =>
  String.fromCharCode(...bytes.subarray(at, at + length));

const startsWith = (bytes: Uint8Array, at: number, signature: readonly number[]) =>
  bytes.length >= at + signature.length && signature.every((b, i) => bytes[at + i] === b);

const u16be = (b: Uint8Array, at: number) => (b[at] << 8) | b[at + 1];
const u32be = (b: Uint8Array, at: number) => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
const u24le = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16);
const u32le = (b: Uint8Array, at: number) => (u24le(b, at) | (b[at + 3] << 24)) >>> 0;

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];

/** Brands of HEIF images as phones write them (HEVC-coded, or the generic image brands). */
const HEIF_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs', 'mif1', 'msf1', 'mif2']);
const AVIF_BRANDS = new Set(['avif', 'avis']);

/** The brands of an ISO BMFF `ftyp` box at the start of the file, or null. */
function ftypBrands(head: Uint8Array): string[] | null {
  if (head.length < 16 || ascii(head, 4, 4) !== 'ftyp') return null;
  const size = u32be(head, 0);
  if (size < 16 || size % 4 !== 0 || size > head.length) return null;
  const brands = [ascii(head, 8, 4)];
  for (let at = 16; at < size; at += 4) brands.push(ascii(head, at, 4));
  return brands;
}

/**
 * Where `%PDF-n.n` starts in the first 1024 bytes, or -1. Readers accept a PDF header
 * anywhere there; to keep out HTML/SVG/XML that also carries one (a polyglot a browser
 * could render), nothing before it may contain `<`.
 */
function pdfHeaderAt(head: Uint8Array): number {
  const end = Math.min(head.length, SNIFF_BYTES) - 8;
  for (let at = 0; at <= end; at++) {
    if (head[at] === 0x3c) return -1; // '<'
    if (ascii(head, at, 5) === '%PDF-' && /^\d\.\d$/.test(ascii(head, at + 5, 3))) return at;
  }
  return -1;
}

/** The type of a file from its first bytes (at least `SNIFF_BYTES` of them when it is that long), or null. */
export function sniffType(head: Uint8Array): SniffedType | null {
  if (startsWith(head, 0, JPEG)) return 'image/jpeg';
  if (startsWith(head, 0, PNG)) return 'image/png';
  if (head.length >= 16 && ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 4) === 'WEBP') {
    return /^VP8[ LX]$/.test(ascii(head, 12, 4)) ? 'image/webp' : null;
  }
  const brands = ftypBrands(head);
  if (brands) {
    if (brands.some((b) => AVIF_BRANDS.has(b))) return 'image/avif';
    if (brands.some((b) => HEIF_BRANDS.has(b))) return 'image/heic';
    return null; // a video, or another ISO BMFF file
  }
  return pdfHeaderAt(head) >= 0 ? 'application/pdf' : null;
}

function lastIndexOf(bytes: Uint8Array, pattern: readonly number[], from: number): number {
  const first = pattern[0];
  for (let at = bytes.length - pattern.length; at >= from; at--) {
    if (bytes[at] === first && startsWith(bytes, at, pattern)) return at;
  }
  return -1;
}

/** Offset of the first start-of-scan marker of a JPEG, or -1 (walks the marker segments). */
function jpegScanStart(b: Uint8Array): number {
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return -1;
    const marker = b[at + 1];
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xda) return at;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    at += 2 + u16be(b, at + 2);
  }
  return -1;
}

/**
 * False when a file of a known type is visibly cut short: a JPEG without an end-of-image
 * marker after its first scan (the embedded EXIF thumbnail has one of its own, before it),
 * a PNG without `IEND`, a WebP shorter than its RIFF size, a PDF without `%%EOF` in its last
 * 1024 bytes. HEIC/AVIF are left to the decoder.
 */
export function isComplete(bytes: Uint8Array, type: SniffedType): boolean {
  switch (type) {
    case 'image/jpeg': {
      const scan = jpegScanStart(bytes);
      return scan > 0 && lastIndexOf(bytes, [0xff, 0xd9], scan) > scan;
    }
    case 'image/png':
      return lastIndexOf(bytes, [0x49, 0x45, 0x4e, 0x44], 8) > 8;
    case 'image/webp':
      return bytes.length >= 8 && bytes.length >= u32le(bytes, 4) + 8;
    case 'application/pdf':
      return lastIndexOf(bytes, [0x25, 0x25, 0x45, 0x4f, 0x46], Math.max(0, bytes.length - SNIFF_BYTES)) >= 0;
    default:
      return true;
  }
}

const JPEG_FRAMES = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

function jpegSize(b: Uint8Array): { width: number; height: number } | null {
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1];
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return null; // a scan before any frame header
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    if (JPEG_FRAMES.has(marker)) {
      return at + 9 <= b.length ? { height: u16be(b, at + 5), width: u16be(b, at + 7) } : null;
    }
    at += 2 + u16be(b, at + 2);
  }
  return null;
}

function webpSize(b: Uint8Array): { width: number; height: number } | null {
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8X' && b.length >= 30) return { width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
  if (chunk === 'VP8L' && b.length >= 25 && b[20] === 0x2f) {
    const bits = u32le(b, 21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8 ' && b.length >= 30 && startsWith(b, 23, [0x9d, 0x01, 0x2a])) {
    return { width: (b[26] | (b[27] << 8)) & 0x3fff, height: (b[28] | (b[29] << 8)) & 0x3fff };
  }
  return null;
}

/**
 * The stored size (before any EXIF orientation) an image's header declares, or null when
 * the header cannot be read. Not known for HEIC/AVIF here (their size is in nested boxes):
 * null as well.
 */
export function imageSize(bytes: Uint8Array, type: ImageType): { width: number; height: number } | null {
  switch (type) {
    case 'image/jpeg':
      return jpegSize(bytes);
    case 'image/png':
      return bytes.length >= 24 && ascii(bytes, 12, 4) === 'IHDR'
        ? { width: u32be(bytes, 16), height: u32be(bytes, 20) }
        : null;
    case 'image/webp':
      return webpSize(bytes);
    default:
      return null;
  }
}
