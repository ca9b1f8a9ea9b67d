// A PDF's pages for a screen: opens the PDF in its sandboxed frame (./index.ts), draws the
// page asked for (once: each page's image is kept while the screen is there) and hands back
// its `blob:` URL (a PNG checked by its first bytes). Closes the frame and revokes the URLs
// when the screen goes, or when `bytes` changes.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PdfDocument } from './index';

export type PdfView =
  | { kind: 'none' }
  | { kind: 'opening' }
  | { kind: 'ready'; pages: number; url?: string; width?: number; height?: number }
  | { kind: 'failed'; code: string };

/** The width a page is drawn at: sharp at 300 % zoom on a phone, never huge. */
export function renderWidth(): number {
  const w = Math.round((globalThis.innerWidth || 800) * (globalThis.devicePixelRatio || 1) * 1.5);
  return Math.min(2000, Math.max(800, w));
}

/** `page` is 0-based; `bytes` null: no PDF here. */
export function usePdfPages(bytes: Uint8Array | null, page: number, width = renderWidth()): PdfView {
  const [doc, setDoc] = useState<PdfDocument | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [images, setImages] = useState<Map<number, { url: string; width: number; height: number }>>(new Map());
  const drawing = useRef(new Set<number>());
  const urls = useRef<string[]>([]);

  useEffect(() => {
    if (!bytes) return;
    let live = true;
    let opened: PdfDocument | null = null;
    setDoc(null);
    setFailed(null);
    setImages(new Map());
    drawing.current = new Set();
    import('./index')
      .then(({ openPdf }) => openPdf(bytes))
      .then((d) => {
        opened = d;
        if (live) setDoc(d);
        else d.close();
      })
      .catch((e) => live && setFailed(e?.code ?? 'unavailable'));
    return () => {
      live = false;
      opened?.close();
      for (const url of urls.current) URL.revokeObjectURL(url);
      urls.current = [];
    };
  }, [bytes]);

  useEffect(() => {
    if (!doc || page < 0 || page >= doc.pages || images.has(page) || drawing.current.has(page)) return;
    drawing.current.add(page);
    doc
      .render(page + 1, width)
      .then((image) => {
        const url = URL.createObjectURL(new Blob([image.png as Uint8Array<ArrayBuffer>], { type: 'image/png' }));
        urls.current.push(url); // revoked with the others when the PDF goes
        setImages((m) => new Map(m).set(page, { url, width: image.width, height: image.height }));
      })
      .catch((e) => setFailed(e?.code ?? 'unavailable'));
  }, [doc, page, images]);

  if (!bytes) return { kind: 'none' };
  if (failed) return { kind: 'failed', code: failed };
  if (!doc) return { kind: 'opening' };
  const image = images.get(page);
  return { kind: 'ready', pages: doc.pages, ...image };
}
