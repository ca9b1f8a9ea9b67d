// The messages between the app and the PDF frame (src/pdf-view/pdf-frame.ts). The frame is an
// iframe sandboxed with `allow-scripts` only: it runs in an opaque origin, so pdf.js and the
// PDF it reads can reach nothing of the app (no cookie, no storage, no key, no DOM). They
// talk over one MessageChannel the app hands over once the frame says it is ready.

/** The first message of the frame, to its parent, before anything else. */
export const FRAME_READY = 'coffre-pdf-frame-ready';

export type ToFrame =
  /** The PDF's bytes (transferred): the frame answers `opened` or `failed`. */
  | { type: 'open'; bytes: Uint8Array }
  /** Page `page` (1-based) drawn `width` pixels wide at most: the frame answers `page` or `failed`. */
  | { type: 'render'; id: number; page: number; width: number };

export type FromFrame =
  | { type: 'opened'; pages: number }
  | { type: 'page'; id: number; png: Uint8Array; width: number; height: number }
  | { type: 'failed'; id?: number; code: PdfErrorCode };

/** `damaged`: pdf.js could not read it; `password`: it is locked with a password. */
export type PdfErrorCode = 'damaged' | 'password' | 'too_many_pixels';

/** The largest page drawn, in pixels (about 4 bytes each while it is drawn). */
export const MAX_PAGE_PIXELS = 16_000_000;

/**
 * The frame's page: its own policy (added to the app's, which a `blob:` page inherits) allows
 * its one script — inline, by its hash, which the app's policy names too (the server takes it
 * from the build) — and images from blobs, nothing else: no request, worker, style or form.
 * The script comes inline so that the frame asks nothing of the network: its opaque origin
 * has no cache of its own and no service worker, and a PDF must show offline too.
 * `code` must hold no `</script` nor `<!--` (the build's frame script holds neither; an HTML
 * parser would read them as the script's end): refused otherwise.
 */
export function frameDocument(script: { code: string; sha256: string }, lang = 'fr'): string {
  if (/<\/script|<!--/i.test(script.code)) throw new Error('the frame script cannot be inlined');
  if (!/^[A-Za-z0-9+/]{43}=$/.test(script.sha256)) throw new Error('not a base64 SHA-256');
  const csp = [
    "default-src 'none'",
    `script-src 'sha256-${script.sha256}'`,
    'img-src blob: data:',
    "style-src 'none'",
    "connect-src 'none'",
    "worker-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
  return [
    `<!doctype html><html lang="${lang.replace(/[^a-zA-Z-]/g, '')}"><head><meta charset="utf-8">`,
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<title>PDF</title>',
    `<script>${script.code}</script>`,
    '</head><body></body></html>',
  ].join('');
}
