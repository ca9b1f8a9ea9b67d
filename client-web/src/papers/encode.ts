// Which format the browser's canvas really writes. Asked for WebP, Safari (every iOS
// browser) silently returns a PNG, and a Blob's `type` cannot be trusted to say so: the
// answer is in the output's first bytes. Measured qualities: docs/design/papers-pages.md.

export type PageImageType = 'image/webp' | 'image/jpeg';

/** WebP quality where the browser writes WebP (≤ 300 KB per A4 page on the fixtures). */
export const WEBP_QUALITY = 0.7;
/** JPEG quality otherwise (≤ 375 KB per A4 page). */
export const JPEG_QUALITY = 0.6;

export const isWebp = (b: Uint8Array) =>
  b.length >= 16 &&
  b[0] === 0x52 && // RIFF
  b[1] === 0x49 &&
  b[2] === 0x46 &&
  b[3] === 0x46 &&
  b[8] === 0x57 && // WEBP
  b[9] === 0x45 &&
  b[10] === 0x42 &&
  b[11] === 0x50;

export const isJpeg = (b: Uint8Array) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

/** Whether `bytes` are what an encoder asked for `type` should have written. */
export const hasMagicOf = (bytes: Uint8Array, type: PageImageType) =>
  type === 'image/webp' ? isWebp(bytes) : isJpeg(bytes);

/** Encodes a 1×1 canvas, asked for WebP; resolves to its bytes, or null if it produced nothing. */
export type WebpProbe = () => Promise<Uint8Array | null>;

/** The format to write, given what the probe produced. */
export async function formatFromProbe(probe: WebpProbe): Promise<PageImageType> {
  try {
    const bytes = await probe();
    return bytes && isWebp(bytes) ? 'image/webp' : 'image/jpeg';
  } catch {
    return 'image/jpeg';
  }
}

/** Runs the probe once per realm (the page, each worker), then answers from memory. */
export function onceFormat(probe: WebpProbe): () => Promise<PageImageType> {
  let found: Promise<PageImageType> | undefined;
  return () => {
    found ??= formatFromProbe(probe);
    return found;
  };
}
