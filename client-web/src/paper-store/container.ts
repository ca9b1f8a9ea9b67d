// How the pages of a paper become its one content file, and back (docs/design/papers-screens.md).
//
// - One photo: the page itself (WebP or JPEG, as the page pipeline made it).
// - Several photos: a ZIP archive, "stored" (no compression: the pages are compressed
//   already), one entry per page named `page-01.webp`, `page-02.jpg`…, in order, with no
//   date (1980-01-01 00:00), no extra field and no comment. Any unzip tool opens it, so a
//   paper taken out of the coffre (`age -d`) is still a normal file.
// - A PDF: the PDF itself, alone (a PDF is never mixed with photos).
//
// Reading accepts only what writing makes: a strict ZIP reader (sizes, offsets, CRC-32,
// stored entries only) whose pages must be JPEG or WebP by their first bytes.

export type ImagePageType = 'image/webp' | 'image/jpeg';
export type ContentMime = ImagePageType | 'application/zip' | 'application/pdf';

export interface ContentPage {
  bytes: Uint8Array;
  type: ImagePageType | 'application/pdf';
}

/** A paper holds at most this many pages (a ZIP with more is refused on opening). */
export const MAX_PAGES = 40;

export class ContainerError extends Error {
  override readonly name = 'ContainerError';
}

const EXTENSIONS: Record<ContentPage['type'], string> = {
  'image/webp': 'webp',
  'image/jpeg': 'jpg',
  'application/pdf': 'pdf',
};

/** The file extension of a content file of this type (for a downloaded file's name). */
export function extensionOf(mime: string): string {
  if (mime === 'application/zip') return 'zip';
  return EXTENSIONS[mime as ContentPage['type']] ?? 'bin';
}

/** The type of a page by its first bytes: JPEG, WebP, or PDF header; otherwise undefined. */
export function pageTypeOf(bytes: Uint8Array): ContentPage['type'] | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  if (bytes.length >= 5 && ascii(0, 5) === '%PDF-') return 'application/pdf';
  return undefined;
}

/** The content file of a paper made of `pages`, and its type (the metadata's `mime`). */
export function packPages(pages: readonly ContentPage[]): { bytes: Uint8Array; mime: ContentMime } {
  if (pages.length === 0) throw new ContainerError('a paper has at least one page');
  if (pages.length > MAX_PAGES) throw new ContainerError(`at most ${MAX_PAGES} pages`);
  const [first] = pages as [ContentPage];
  if (pages.some((p) => p.type === 'application/pdf')) {
    if (pages.length !== 1) throw new ContainerError('a PDF is a paper of its own');
    return { bytes: first.bytes, mime: 'application/pdf' };
  }
  if (pages.length === 1) return { bytes: first.bytes, mime: first.type as ImagePageType };
  return {
    bytes: zipStored(
      pages.map((p, i) => ({ name: `page-${String(i + 1).padStart(2, '0')}.${EXTENSIONS[p.type]}`, data: p.bytes })),
    ),
    mime: 'application/zip',
  };
}

/**
 * The pages of a content file of type `mime`: the file itself for a photo or a PDF, the
 * entries of the ZIP otherwise. Throws a ContainerError on anything else.
 */
export function unpackPages(bytes: Uint8Array, mime: string): ContentPage[] {
  if (mime === 'application/zip') {
    const pages = unzipStored(bytes).map((data) => {
      const type = pageTypeOf(data);
      if (type !== 'image/webp' && type !== 'image/jpeg') throw new ContainerError('a page is not a photo');
      return { bytes: data, type };
    });
    if (pages.length === 0) throw new ContainerError('no page');
    return pages;
  }
  const type = pageTypeOf(bytes);
  if (type === undefined || type !== mime) throw new ContainerError(`the content is not ${mime}`);
  return [{ bytes, type }];
}

// --- ZIP, stored entries only ---------------------------------------------------------

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const DOS_DATE_1980_01_01 = (0 << 9) | (1 << 5) | 1;
const VERSION = 20;

let crcTable: Uint32Array | undefined;

export function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of data) crc = (crcTable[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function zipStored(entries: readonly { name: string; data: Uint8Array }[]): Uint8Array {
  const encoder = new TextEncoder();
  const named = entries.map((e) => ({ ...e, nameBytes: encoder.encode(e.name), crc: crc32(e.data) }));
  const localSize = named.reduce((n, e) => n + 30 + e.nameBytes.length + e.data.length, 0);
  const centralSize = named.reduce((n, e) => n + 46 + e.nameBytes.length, 0);
  if (localSize + centralSize + 22 > 0xffffffff) throw new ContainerError('too large for a ZIP without ZIP64');
  const out = new Uint8Array(localSize + centralSize + 22);
  const view = new DataView(out.buffer);
  let at = 0;
  const u16 = (v: number) => {
    view.setUint16(at, v, true);
    at += 2;
  };
  const u32 = (v: number) => {
    view.setUint32(at, v, true);
    at += 4;
  };
  const offsets: number[] = [];
  for (const e of named) {
    offsets.push(at);
    u32(LOCAL);
    u16(VERSION);
    u16(0); // flags
    u16(0); // stored
    u16(0); // time
    u16(DOS_DATE_1980_01_01);
    u32(e.crc);
    u32(e.data.length);
    u32(e.data.length);
    u16(e.nameBytes.length);
    u16(0); // extra
    out.set(e.nameBytes, at);
    at += e.nameBytes.length;
    out.set(e.data, at);
    at += e.data.length;
  }
  const centralStart = at;
  for (const [i, e] of named.entries()) {
    u32(CENTRAL);
    u16(VERSION); // made by
    u16(VERSION); // needed
    u16(0);
    u16(0);
    u16(0);
    u16(DOS_DATE_1980_01_01);
    u32(e.crc);
    u32(e.data.length);
    u32(e.data.length);
    u16(e.nameBytes.length);
    u16(0); // extra
    u16(0); // comment
    u16(0); // disk
    u16(0); // internal attributes
    u32(0); // external attributes
    u32(offsets[i] as number);
    out.set(e.nameBytes, at);
    at += e.nameBytes.length;
  }
  const centralEnd = at;
  u32(END);
  u16(0);
  u16(0);
  u16(named.length);
  u16(named.length);
  u32(centralEnd - centralStart);
  u32(centralStart);
  u16(0);
  return out;
}

/** The entries' data, in order, of a ZIP made by `zipStored` (and nothing looser). */
function unzipStored(bytes: Uint8Array): Uint8Array[] {
  const bad = (why: string): never => {
    throw new ContainerError(`not a paper's ZIP: ${why}`);
  };
  if (bytes.length < 22) bad('too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length - 22;
  if (view.getUint32(end, true) !== END || view.getUint16(end + 20, true) !== 0) bad('no end record');
  const count = view.getUint16(end + 10, true);
  if (count !== view.getUint16(end + 8, true) || view.getUint16(end + 4, true) !== 0) bad('several disks');
  if (count === 0 || count > MAX_PAGES) bad(`${count} entries`);
  const centralSize = view.getUint32(end + 12, true);
  const centralStart = view.getUint32(end + 16, true);
  if (centralStart + centralSize !== end) bad('central directory out of place');
  const pages: Uint8Array[] = [];
  let at = centralStart;
  let expectedLocal = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || view.getUint32(at, true) !== CENTRAL) bad('central entry');
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    const size = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const extra = view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    if (method !== 0 || size !== view.getUint32(at + 24, true) || extra !== 0) bad('not a stored entry');
    if (local !== expectedLocal) bad('entries out of order');
    if (local + 30 > centralStart || view.getUint32(local, true) !== LOCAL) bad('local entry');
    if (
      view.getUint16(local + 8, true) !== 0 ||
      view.getUint32(local + 14, true) !== crc ||
      view.getUint32(local + 18, true) !== size ||
      view.getUint32(local + 22, true) !== size ||
      view.getUint16(local + 26, true) !== nameLength ||
      view.getUint16(local + 28, true) !== 0
    )
      bad('local entry does not match');
    const dataStart = local + 30 + nameLength;
    const dataEnd = dataStart + size;
    if (dataEnd > centralStart) bad('entry out of bounds');
    const data = bytes.subarray(dataStart, dataEnd);
    if (crc32(data) !== crc) bad('CRC-32');
    pages.push(data);
    expectedLocal = dataEnd;
    at += 46 + nameLength;
  }
  if (expectedLocal !== centralStart || at !== end) bad('bytes left over');
  return pages;
}
