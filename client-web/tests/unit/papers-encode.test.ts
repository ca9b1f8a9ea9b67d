// Which format the canvas really writes, and what renderPage does with the answer, on a fake
// canvas: Chromium's (WebP works) and Safari's (asked for WebP, it returns a PNG).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatFromProbe, hasMagicOf, isJpeg, isWebp, onceFormat } from '../../src/papers/encode';
import type { RenderRequest } from '../../src/papers/render';
import { bytes, png, webp } from './papers-files';

const JPEG_BYTES = bytes([0xff, 0xd8, 0xff, 0xe0, 0, 16], 'JFIF\0', new Uint8Array(20), [0xff, 0xd9]);

describe('the WebP probe', () => {
  it('reads the format from the bytes, not from what was asked', async () => {
    expect(await formatFromProbe(async () => webp('VP8 '))).toBe('image/webp');
    expect(await formatFromProbe(async () => png())).toBe('image/jpeg'); // Safari
    expect(await formatFromProbe(async () => null)).toBe('image/jpeg'); // toBlob gave nothing
    expect(await formatFromProbe(async () => bytes('RIFF\0\0\0\0WAVE'))).toBe('image/jpeg');
    expect(await formatFromProbe(() => Promise.reject(new Error('SecurityError')))).toBe('image/jpeg');
  });

  it('runs once, however many pages ask', async () => {
    const probe = vi.fn(async () => webp('VP8L'));
    const format = onceFormat(probe);
    expect(await Promise.all([format(), format(), format()])).toEqual(['image/webp', 'image/webp', 'image/webp']);
    expect(await format()).toBe('image/webp');
    expect(probe).toHaveBeenCalledTimes(1);
  });

  it('checks magic bytes', () => {
    expect(isWebp(webp('VP8X'))).toBe(true);
    expect(isWebp(png())).toBe(false);
    expect(isJpeg(JPEG_BYTES)).toBe(true);
    expect(isJpeg(png())).toBe(false);
    expect(hasMagicOf(JPEG_BYTES, 'image/webp')).toBe(false);
    expect(hasMagicOf(JPEG_BYTES, 'image/jpeg')).toBe(true);
  });
});

interface FakeCanvas {
  width: number;
  height: number;
  calls: unknown[][];
}

/** A `document` whose canvases encode as `writes` says (null: the browser gave no blob). */
function fakeBrowser(writes: (type: string) => Uint8Array | null) {
  const canvases: FakeCanvas[] = [];
  const asked: string[] = [];
  const bitmaps: { closed: number }[] = [];
  vi.stubGlobal('document', {
    createElement: (tag: string) => {
      expect(tag).toBe('canvas');
      const calls: unknown[][] = [];
      const record =
        (name: string) =>
        (...args: unknown[]) =>
          calls.push([name, ...args]);
      const context = {
        fillRect: record('fillRect'),
        setTransform: record('setTransform'),
        drawImage: record('drawImage'),
        set fillStyle(v: string) {
          calls.push(['fillStyle', v]);
        },
        imageSmoothingEnabled: false,
        imageSmoothingQuality: 'low',
      };
      const canvas = {
        width: 0,
        height: 0,
        calls,
        getContext: () => context,
        toBlob: (done: (b: Blob | null) => void, type: string, quality: number) => {
          asked.push(`${type} ${quality}`);
          const out = writes(type);
          queueMicrotask(() => done(out ? new Blob([out as Uint8Array<ArrayBuffer>]) : null));
        },
      };
      canvases.push(canvas);
      return canvas;
    },
  });
  vi.stubGlobal('createImageBitmap', async (blob: Blob, options: ImageBitmapOptions) => {
    expect(options.imageOrientation).toBe('from-image');
    if (blob.type === 'image/heic' || blob.size === 0) throw new DOMException('cannot decode', 'InvalidStateError');
    const bitmap = { width: 3000, height: 4000, closed: 0, close: () => bitmap.closed++ };
    bitmaps.push(bitmap);
    return bitmap;
  });
  return { canvases, asked, bitmaps };
}

const chromiumWrites = (type: string) => (type === 'image/webp' ? webp('VP8 ') : JPEG_BYTES);
const safariWrites = (type: string) => (type === 'image/jpeg' ? JPEG_BYTES : png());

const request = (over: Partial<RenderRequest> = {}): RenderRequest => ({
  blob: new Blob([JPEG_BYTES], { type: 'image/jpeg' }),
  type: 'image/jpeg',
  rotation: 0,
  maxSide: 2400,
  maxPixels: 100_000_000,
  format: 'auto',
  webpQuality: 0.7,
  jpegQuality: 0.6,
  ...over,
});

/** A fresh render module: its once-per-realm format answer starts empty. */
async function render() {
  vi.resetModules();
  return import('../../src/papers/render');
}

describe('renderPage on a fake canvas', () => {
  beforeEach(() => vi.unstubAllGlobals());
  afterEach(() => vi.unstubAllGlobals());

  it('writes WebP where the canvas really writes it', async () => {
    const browser = fakeBrowser(chromiumWrites);
    const { renderPage } = await render();
    const page = await renderPage(request());
    expect(page).toMatchObject({ type: 'image/webp', width: 1800, height: 2400 });
    expect(isWebp(page.bytes)).toBe(true);
    expect(browser.asked).toEqual(['image/webp 0.7', 'image/webp 0.7']); // the 1×1 probe, then the page
  });

  it('falls back to JPEG where WebP comes out as PNG (Safari), asking only once', async () => {
    const browser = fakeBrowser(safariWrites);
    const { renderPage } = await render();
    const first = await renderPage(request());
    const second = await renderPage(request({ rotation: 90 }));
    expect(first.type).toBe('image/jpeg');
    expect(isJpeg(first.bytes)).toBe(true);
    expect(second).toMatchObject({ type: 'image/jpeg', width: 2400, height: 1800 });
    expect(browser.asked).toEqual(['image/webp 0.7', 'image/jpeg 0.6', 'image/jpeg 0.6']);
  });

  it('re-encodes as JPEG when WebP was asked for and something else came out', async () => {
    const browser = fakeBrowser(safariWrites);
    const { renderPage } = await render();
    const page = await renderPage(request({ format: 'image/webp', jpegQuality: 0.55 }));
    expect(page.type).toBe('image/jpeg');
    expect(browser.asked).toEqual(['image/webp 0.7', 'image/jpeg 0.55']);
  });

  it('says processing_failed when the canvas gives no blob (out of memory)', async () => {
    fakeBrowser(() => null);
    const { renderPage } = await render();
    await expect(renderPage(request())).rejects.toMatchObject({ code: 'processing_failed' });
  });

  it('says heic_unsupported for a HEIC the browser cannot decode, file_damaged for others', async () => {
    fakeBrowser(chromiumWrites);
    const { renderPage } = await render();
    await expect(
      renderPage(request({ type: 'image/heic', blob: new Blob(['x'], { type: 'image/heic' }) })),
    ).rejects.toMatchObject({
      code: 'heic_unsupported',
    });
    await expect(renderPage(request({ blob: new Blob([]) }))).rejects.toMatchObject({ code: 'file_damaged' });
  });

  it('draws the plan on white, closes the bitmap and frees the canvas', async () => {
    const browser = fakeBrowser(chromiumWrites);
    const { renderPage } = await render();
    await renderPage(request({ rotation: 90, crop: { x: 0, y: 0, width: 0.5, height: 1 } }));
    const page = browser.canvases.find((c) => c.calls.some(([name]) => name === 'drawImage'))!;
    expect(page.calls).toEqual([
      ['fillStyle', '#fff'],
      ['fillRect', 0, 0, 1600, 2400],
      // Turned a quarter, the photo's left half is its lower half: rows 2000–4000.
      ['setTransform', 0, 0.8, -0.8, 0, 3200, 0],
      ['drawImage', expect.anything(), 0, 2000, 3000, 2000, 0, 2000, 3000, 2000],
    ]);
    expect(browser.bitmaps[0]!.closed).toBeGreaterThan(0);
    expect([page.width, page.height]).toEqual([0, 0]);
  });

  it('refuses a decoded image over the pixel cap (HEIC sizes are known only then)', async () => {
    const browser = fakeBrowser(chromiumWrites);
    const { renderPage } = await render();
    await expect(renderPage(request({ maxPixels: 1_000_000 }))).rejects.toMatchObject({
      code: 'image_too_large',
      limit: 1_000_000,
    });
    expect(browser.bitmaps[0]!.closed).toBeGreaterThan(0);
  });
});
