// A PDF shown safely: its pages drawn to PNG images by pdf.js inside an iframe sandboxed with
// `allow-scripts` only (no `allow-same-origin`), whose page is a `blob:` document this module
// writes. That frame runs in an opaque origin: neither pdf.js nor anything in the PDF can
// reach the app's cookies, storage, keys or DOM, and the frame's own Content-Security-Policy
// (on top of the app's, which it inherits) forbids it any request, worker, form or style.
// The app only ever gets PNG images back (checked by their first bytes) and shows them with
// `<img>`, which runs nothing. pdf.js (about 450 kB gzip) is loaded by the frame, only when
// a PDF is shown or added. See docs/design/papers-screens.md, "A PDF".
import { base64 } from '@scure/base';
import { t } from '../i18n';
import frameScript from './pdf-frame.ts?worker&url';
import { FRAME_READY, type FromFrame, frameDocument, type PdfErrorCode, type ToFrame } from './protocol';

export { frameDocument, MAX_PAGE_PIXELS, type PdfErrorCode } from './protocol';

/** `unavailable`: the frame did not start (or stopped answering). */
export class PdfError extends Error {
  override readonly name = 'PdfError';
  constructor(readonly code: PdfErrorCode | 'unavailable') {
    super(`PDF: ${code}`);
  }
}

export interface PdfPageImage {
  png: Uint8Array;
  width: number;
  height: number;
}

export interface PdfDocument {
  readonly pages: number;
  /** Page `page` (1-based) as a PNG about `width` pixels wide. */
  render(page: number, width: number): Promise<PdfPageImage>;
  /** Removes the frame (and pdf.js with it). */
  close(): void;
}

/** How long the frame may take to start and read the PDF, or to draw a page. */
const FRAME_TIMEOUT_MS = 30_000;
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const isPng = (bytes: unknown): bytes is Uint8Array =>
  bytes instanceof Uint8Array && bytes.length > PNG.length && PNG.every((b, i) => bytes[i] === b);

const withTimeout = <T>(promise: Promise<T>, close: () => void): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      close();
      reject(new PdfError('unavailable'));
    }, FRAME_TIMEOUT_MS);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });

let code: Promise<{ code: string; sha256: string }> | undefined;

/**
 * The frame's script and its SHA-256, fetched once by the app (so through its service worker,
 * which keeps it for offline use once fetched: src/offline/service-worker.js).
 */
function frameCode(): Promise<{ code: string; sha256: string }> {
  code ??= (async () => {
    const response = await fetch(new URL(frameScript, location.href).href);
    if (!response.ok) throw new PdfError('unavailable');
    const text = await response.text();
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
    // Standard base64, as a CSP hash source spells it.
    return { code: text, sha256: base64.encode(digest) };
  })().catch((e) => {
    code = undefined;
    throw e instanceof PdfError ? e : new PdfError('unavailable');
  });
  return code;
}

/**
 * Opens a PDF in a new sandboxed frame (appended, invisible, to `document.body`). `bytes`
 * is copied: the caller keeps its own. Rejects with a PdfError.
 */
export async function openPdf(bytes: Uint8Array): Promise<PdfDocument> {
  const page = frameDocument(await frameCode(), document.documentElement.lang || 'fr');
  const pageUrl = URL.createObjectURL(new Blob([page], { type: 'text/html;charset=utf-8' }));
  const frame = document.createElement('iframe');
  frame.setAttribute('sandbox', 'allow-scripts');
  frame.setAttribute('referrerpolicy', 'no-referrer');
  frame.setAttribute('aria-hidden', 'true');
  frame.tabIndex = -1;
  frame.title = t('pdf-frame-title');
  frame.className = 'pdf-frame';
  const channel = new MessageChannel();
  const port = channel.port1;
  const waiting = new Map<number, { resolve: (p: PdfPageImage) => void; reject: (e: PdfError) => void }>();
  let nextId = 1;
  let closed = false;
  let onOpened: ((reply: FromFrame) => void) | null = null;

  const onReady = (event: MessageEvent) => {
    if (event.source !== frame.contentWindow || event.data !== FRAME_READY) return;
    window.removeEventListener('message', onReady);
    frame.contentWindow?.postMessage('port', '*', [channel.port2]);
    const copy = bytes.slice();
    port.postMessage({ type: 'open', bytes: copy } satisfies ToFrame, [copy.buffer]);
  };
  const close = () => {
    if (closed) return;
    closed = true;
    window.removeEventListener('message', onReady);
    port.close();
    frame.remove();
    URL.revokeObjectURL(pageUrl);
    for (const w of waiting.values()) w.reject(new PdfError('unavailable'));
    waiting.clear();
  };

  port.onmessage = (event: MessageEvent<FromFrame>) => {
    const reply = event.data;
    if (!reply || typeof reply !== 'object') return;
    if (reply.type === 'opened' || (reply.type === 'failed' && reply.id === undefined)) {
      onOpened?.(reply);
      return;
    }
    const w = typeof reply.id === 'number' ? waiting.get(reply.id) : undefined;
    if (!w || reply.id === undefined) return;
    waiting.delete(reply.id);
    if (reply.type === 'page' && isPng(reply.png) && reply.width > 0 && reply.height > 0) {
      w.resolve({ png: reply.png, width: reply.width, height: reply.height });
    } else w.reject(new PdfError(reply.type === 'failed' ? reply.code : 'damaged'));
  };

  const opened = new Promise<number>((resolve, reject) => {
    onOpened = (reply) => {
      onOpened = null;
      if (reply.type === 'opened' && Number.isInteger(reply.pages) && reply.pages >= 1) resolve(reply.pages);
      else reject(new PdfError(reply.type === 'failed' ? reply.code : 'damaged'));
    };
  });
  window.addEventListener('message', onReady);
  frame.src = pageUrl;
  document.body.append(frame);

  return withTimeout(opened, close).then(
    (pages) => ({
      pages,
      render(page: number, width: number) {
        if (closed) return Promise.reject(new PdfError('unavailable'));
        const id = nextId++;
        const drawn = new Promise<PdfPageImage>((resolve, reject) => waiting.set(id, { resolve, reject }));
        port.postMessage({ type: 'render', id, page, width: Math.round(width) } satisfies ToFrame);
        return withTimeout(drawn, () => waiting.delete(id));
      },
      close,
    }),
    (error) => {
      close();
      throw error;
    },
  );
}
