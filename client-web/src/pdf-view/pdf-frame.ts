// The script of the PDF frame: pdf.js, without scripting and without a worker of its own,
// reads the PDF and draws one page at a time to a canvas, sent back to the app as a PNG.
// Built as one self-contained classic script (`?worker&url`: Vite's worker bundling) and
// loaded by a `blob:` page inside `<iframe sandbox="allow-scripts">` (src/pdf-view/index.ts):
// it runs in an opaque origin, and the page's own Content-Security-Policy forbids it any
// request. See docs/design/papers-screens.md, "A PDF".
import 'pdfjs-dist/build/pdf.worker.mjs'; // sets globalThis.pdfjsWorker: pdf.js's "worker" runs here, no fetch
import { getDocument, type PDFDocumentProxy } from 'pdfjs-dist';
import { FRAME_READY, type FromFrame, MAX_PAGE_PIXELS, type PdfErrorCode, type ToFrame } from './protocol';

let doc: PDFDocumentProxy | null = null;

function codeOf(error: unknown): PdfErrorCode {
  return error instanceof Error && error.name === 'PasswordException' ? 'password' : 'damaged';
}

async function open(bytes: Uint8Array): Promise<FromFrame> {
  try {
    doc = await getDocument({
      data: bytes,
      // Nothing of the PDF runs: pdf.js runs a PDF's JavaScript only through its viewer's
      // scripting sandbox (pdf.sandbox), never loaded here; no XFA forms (HTML) either.
      enableXfa: false,
      // Nothing is fetched: no standard fonts, no cMaps, no WebAssembly decoders (a page
      // that needs them is drawn with what is there), no range requests, no worker.
      useWasm: false,
      useWorkerFetch: false,
      disableWorkerRendering: true,
      disableAutoFetch: true,
      maxImageSize: MAX_PAGE_PIXELS,
      disableStream: true,
      disableRange: true,
      useSystemFonts: false,
      stopAtErrors: false,
    }).promise;
    return { type: 'opened', pages: doc.numPages };
  } catch (error) {
    return { type: 'failed', code: codeOf(error) };
  }
}

/** The canvas as a PNG; through an OffscreenCanvas where there is one (its encoding does not wait for the frame to be drawn). */
async function toPng(canvas: HTMLCanvasElement): Promise<Blob | null> {
  if (typeof OffscreenCanvas !== 'undefined') {
    const off = new OffscreenCanvas(canvas.width, canvas.height);
    const context = off.getContext('2d');
    if (context) {
      context.drawImage(canvas, 0, 0);
      return off.convertToBlob({ type: 'image/png' });
    }
  }
  return new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
}

async function render(id: number, n: number, width: number): Promise<FromFrame> {
  if (!doc) return { type: 'failed', id, code: 'damaged' };
  try {
    const page = await doc.getPage(n);
    const base = page.getViewport({ scale: 1 });
    let scale = Math.max(0.1, width / base.width);
    if (base.width * base.height * scale * scale > MAX_PAGE_PIXELS) {
      scale = Math.sqrt(MAX_PAGE_PIXELS / (base.width * base.height));
    }
    const viewport = page.getViewport({ scale });
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.floor(viewport.width));
    canvas.height = Math.max(1, Math.floor(viewport.height));
    // White under the page: a PDF without a background is not black on a dark screen.
    const context = canvas.getContext('2d');
    if (!context) return { type: 'failed', id, code: 'too_many_pixels' };
    context.fillStyle = '#fff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    // `print`: pdf.js then draws without requestAnimationFrame, which Chromium does not run in
    // a frame nobody sees (this one); no annotation is drawn (annotationMode 0: DISABLE).
    await page.render({ canvas, canvasContext: context, viewport, annotationMode: 0, intent: 'print' }).promise;
    page.cleanup();
    const blob = await toPng(canvas);
    if (!blob) return { type: 'failed', id, code: 'too_many_pixels' };
    const png = new Uint8Array(await blob.arrayBuffer());
    const { width: w, height: h } = canvas;
    canvas.width = 0; // its memory back at once
    canvas.height = 0;
    return { type: 'page', id, png, width: w, height: h };
  } catch (error) {
    return { type: 'failed', id, code: codeOf(error) };
  }
}

function serve(port: MessagePort) {
  port.onmessage = async (event: MessageEvent<ToFrame>) => {
    const message = event.data;
    if (message?.type === 'open' && !doc) {
      port.postMessage(await open(message.bytes));
    } else if (message?.type === 'render') {
      const reply = await render(message.id, message.page, message.width);
      port.postMessage(reply, reply.type === 'page' ? [reply.png.buffer] : []);
    }
  };
}

// The app hands over its port once: the first message from the parent window with one.
window.addEventListener('message', function onPort(event) {
  if (event.source !== window.parent || !event.ports[0]) return;
  window.removeEventListener('message', onPort);
  serve(event.ports[0]);
});
window.parent.postMessage(FRAME_READY, '*');
