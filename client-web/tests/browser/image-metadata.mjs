// What an image file carries besides its pixels, read from its own structure (independently
// of src/papers): a WebP's RIFF chunks and VP8X flags, a JPEG's marker segments up to its
// first scan, and any second JPEG inside it (an embedded thumbnail). For the papers browser
// test and the benchmark: a re-encoded page must carry none of the original's EXIF, GPS,
// XMP or thumbnail. (Allowed: JFIF, and the sRGB colour profile the browser's canvas writes.)

/**
 * @param {Uint8Array} bytes
 * @returns {{ format: 'webp', chunks: string[], vp8xFlags: number | null }}
 */
export function webpChunks(bytes) {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.toString('latin1', 0, 4) !== 'RIFF' || b.toString('latin1', 8, 12) !== 'WEBP') throw new Error('not a WebP');
  const end = Math.min(b.length, b.readUInt32LE(4) + 8);
  const chunks = [];
  let vp8xFlags = null;
  for (let at = 12; at + 8 <= end; ) {
    const name = b.toString('latin1', at, at + 4);
    const size = b.readUInt32LE(at + 4);
    chunks.push(name);
    if (name === 'VP8X') vp8xFlags = b[at + 8];
    at += 8 + size + (size & 1);
  }
  return { format: 'webp', chunks, vp8xFlags };
}

/**
 * The marker segments before the first scan: `APP1 Exif`, `APP1 http://ns.adobe.com/xap/1.0/`,
 * `APP0 JFIF`, `DQT`, `SOF0`…, and how many start-of-image markers follow the first one
 * (an EXIF thumbnail is a whole JPEG inside APP1; entropy-coded data never holds FF D8).
 * @param {Uint8Array} bytes
 */
export function jpegSegments(bytes) {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b[0] !== 0xff || b[1] !== 0xd8) throw new Error('not a JPEG');
  const segments = [];
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) throw new Error(`no marker at ${at}`);
    const marker = b[at + 1];
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    const length = b.readUInt16BE(at + 2);
    if (marker >= 0xe0 && marker <= 0xef) {
      const id = b.toString('latin1', at + 4, at + 4 + Math.min(length - 2, 40)).split('\0')[0];
      segments.push(`APP${marker - 0xe0} ${id}`);
    } else if (marker === 0xfe) segments.push('COM');
    else if (marker === 0xda) {
      segments.push('SOS');
      break;
    } else segments.push(`0x${marker.toString(16).toUpperCase()}`);
    at += 2 + length;
  }
  let embeddedImages = 0;
  for (let i = 1; i + 2 < b.length; i++) {
    if (b[i] === 0xff && b[i + 1] === 0xd8 && b[i + 2] === 0xff) embeddedImages++;
  }
  return { format: 'jpeg', segments, embeddedImages };
}

/** Strings of the fixtures' fake EXIF block (camera make, serial number). */
export const EXIF_MARKERS = ['SpecimenPhone', 'SPECIMEN-0000', 'Exif\0\0'];

/**
 * What in `bytes` is not pixels: a list of findings, empty for a clean page.
 * @param {Uint8Array} bytes
 */
export function metadataFindings(bytes) {
  const found = [];
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  for (const marker of EXIF_MARKERS)
    if (text.includes(marker)) found.push(`the bytes contain ${JSON.stringify(marker)}`);
  if (text.startsWith('RIFF')) {
    const { chunks, vp8xFlags } = webpChunks(bytes);
    // Chromium writes its canvas's sRGB profile (ICCP): the same for everyone, nothing about the photo.
    for (const chunk of chunks)
      if (!['VP8 ', 'VP8L', 'VP8X', 'ALPH', 'ICCP'].includes(chunk)) found.push(`chunk ${chunk}`);
    // VP8X flags: 0x08 EXIF, 0x04 XMP (an ICC colour profile, 0x20, says nothing about the person).
    if (vp8xFlags !== null && vp8xFlags & 0x0c) found.push(`VP8X flags 0x${vp8xFlags.toString(16)}`);
  } else {
    const { segments, embeddedImages } = jpegSegments(bytes);
    for (const segment of segments) {
      if (/^APP(?!0 JFIF$|2 ICC_PROFILE$)|^COM$/.test(segment)) found.push(segment);
    }
    if (embeddedImages > 0) found.push(`${embeddedImages} embedded JPEG image(s)`);
  }
  return found;
}

/**
 * The stored size of a WebP or JPEG, from its own header.
 * @param {Uint8Array} bytes
 */
export function storedSize(bytes) {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.toString('latin1', 0, 4) === 'RIFF') {
    const chunk = b.toString('latin1', 12, 16);
    if (chunk === 'VP8 ') return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
    if (chunk === 'VP8L') {
      const bits = b.readUInt32LE(21);
      return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
    }
    return { width: b.readUIntLE(24, 3) + 1, height: b.readUIntLE(27, 3) + 1 };
  }
  for (let at = 2; at + 9 < b.length; ) {
    const marker = b[at + 1];
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return { height: b.readUInt16BE(at + 5), width: b.readUInt16BE(at + 7) };
    }
    at += 2 + b.readUInt16BE(at + 2);
  }
  throw new Error('no frame header');
}
