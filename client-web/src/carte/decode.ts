// Reads a QR code from a camera frame or a photo: the browser's BarcodeDetector where it
// exists, otherwise jsQR, loaded only then.

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource | ImageBitmap | ImageData): Promise<DetectedBarcode[]>;
}
interface BarcodeDetectorClass {
  new (options: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats?(): Promise<string[]>;
}

let detector: Promise<BarcodeDetectorLike | null> | undefined;

function nativeDetector(): Promise<BarcodeDetectorLike | null> {
  detector ??= (async () => {
    const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
    if (!Detector) return null;
    try {
      const formats = (await Detector.getSupportedFormats?.()) ?? ['qr_code'];
      return formats.includes('qr_code') ? new Detector({ formats: ['qr_code'] }) : null;
    } catch {
      return null;
    }
  })();
  return detector;
}

type JsQr = typeof import('jsqr').default;
let jsQr: Promise<JsQr> | undefined;
const loadJsQr = () => {
  jsQr ??= import('jsqr').then((m) => m.default);
  return jsQr;
};

/** Largest side given to jsQR: a phone photo is far bigger than a QR code needs. */
const MAX_SIDE = 1280;

function pixelsOf(source: CanvasImageSource, width: number, height: number, canvas?: HTMLCanvasElement): ImageData {
  const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const c = canvas ?? document.createElement('canvas');
  c.width = w;
  c.height = h;
  const context = c.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('no 2d canvas');
  context.drawImage(source, 0, 0, w, h);
  return context.getImageData(0, 0, w, h);
}

/** The text of the first QR code in the image, or null. */
export async function decodeQr(
  source: CanvasImageSource,
  width: number,
  height: number,
  canvas?: HTMLCanvasElement,
): Promise<string | null> {
  if (width === 0 || height === 0) return null;
  const native = await nativeDetector();
  if (native) {
    try {
      const found = await native.detect(source);
      return found[0]?.rawValue ?? null;
    } catch {
      // fall through to jsQR
    }
  }
  const decode = await loadJsQr();
  const image = pixelsOf(source, width, height, canvas);
  return decode(image.data, image.width, image.height, { inversionAttempts: 'attemptBoth' })?.data ?? null;
}

/** The text of the QR code in a photo file, or null. */
export async function decodeQrFile(file: Blob): Promise<string | null> {
  const bitmap = await createImageBitmap(file);
  try {
    return await decodeQr(bitmap, bitmap.width, bitmap.height);
  } finally {
    bitmap.close();
  }
}
