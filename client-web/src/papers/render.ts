// One photo to one page: decode with its orientation applied, turn, crop, scale, re-encode
// through a canvas. Runs in the page worker (OffscreenCanvas) or, where there is none, on
// the main thread (<canvas>). The canvas writes pixels only: the EXIF block (GPS, camera,
// serial number), its thumbnail, XMP and comments stay behind in the original.
import { hasMagicOf, onceFormat, type PageImageType, WEBP_QUALITY } from './encode';
import { PageError } from './errors';
import { type Crop, planPage, type Rotation } from './geometry';
import type { ImageType } from './sniff';

export interface RenderRequest {
  blob: Blob;
  type: ImageType;
  rotation: Rotation;
  crop?: Crop;
  maxSide: number;
  maxPixels: number;
  /** 'auto': WebP where the canvas really writes it, else JPEG. */
  format: 'auto' | PageImageType;
  webpQuality: number;
  jpegQuality: number;
}

export interface RenderedPage {
  bytes: Uint8Array;
  type: PageImageType;
  width: number;
  height: number;
}

type Context2D = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;

interface Surface {
  context: Context2D;
  encode(type: PageImageType, quality: number): Promise<Uint8Array | null>;
  /** Frees the pixels now rather than at the next garbage collection. */
  release(): void;
}

const blobBytes = async (blob: Blob | null) => (blob ? new Uint8Array(await blob.arrayBuffer()) : null);

/** A canvas of `width` × `height`: a `<canvas>` on the main thread, an OffscreenCanvas in a worker. */
function surface(width: number, height: number): Surface | null {
  if (typeof document !== 'undefined') {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d');
    if (!context) return null;
    return {
      context,
      encode: (type, quality) =>
        new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, type, quality)).then(blobBytes),
      release: () => {
        canvas.width = 0;
        canvas.height = 0;
      },
    };
  }
  if (typeof OffscreenCanvas === 'undefined') return null;
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d');
  if (!context) return null;
  return {
    context,
    encode: (type, quality) => canvas.convertToBlob({ type, quality }).then(blobBytes, () => null),
    release: () => {
      canvas.width = 0;
      canvas.height = 0;
    },
  };
}

/** Whether this worker can draw and encode at all (Safari before 16.4 has no 2d OffscreenCanvas). */
export function canDrawOffscreen(): boolean {
  try {
    return typeof OffscreenCanvas !== 'undefined' && new OffscreenCanvas(1, 1).getContext('2d') !== null;
  } catch {
    return false;
  }
}

/** WebP if this realm's canvas really writes WebP (checked once, on a 1×1 canvas), else JPEG. */
export const detectFormat = onceFormat(async () => {
  const s = surface(1, 1);
  if (!s) return null;
  s.context.fillRect(0, 0, 1, 1);
  const bytes = await s.encode('image/webp', WEBP_QUALITY);
  s.release();
  return bytes;
});

async function decode(blob: Blob, type: ImageType): Promise<ImageBitmap> {
  try {
    // 'from-image' is the default in today's browsers (it turns an EXIF orientation 6 photo
    // upright); older ones took 'none' as the default, so it is asked for explicitly.
    return await createImageBitmap(blob, { imageOrientation: 'from-image' });
  } catch {
    throw new PageError(type === 'image/heic' ? 'heic_unsupported' : 'file_damaged');
  }
}

export async function renderPage(request: RenderRequest): Promise<RenderedPage> {
  const bitmap = await decode(request.blob, request.type);
  let page: Surface | null = null;
  try {
    if (bitmap.width * bitmap.height > request.maxPixels) throw new PageError('image_too_large', request.maxPixels);
    const plan = planPage(bitmap.width, bitmap.height, {
      rotation: request.rotation,
      crop: request.crop,
      maxSide: request.maxSide,
    });
    page = surface(plan.width, plan.height);
    if (!page) throw new PageError('processing_failed');
    const { context } = page;
    context.fillStyle = '#fff'; // a transparent PNG's background, which JPEG cannot keep
    context.fillRect(0, 0, plan.width, plan.height);
    context.imageSmoothingEnabled = true;
    context.imageSmoothingQuality = 'high';
    context.setTransform(...plan.transform);
    const s = plan.source;
    context.drawImage(bitmap, s.x, s.y, s.width, s.height, s.x, s.y, s.width, s.height);
    bitmap.close();

    let type = request.format === 'auto' ? await detectFormat() : request.format;
    let bytes = await page.encode(type, type === 'image/webp' ? request.webpQuality : request.jpegQuality);
    if (type === 'image/webp' && !(bytes && hasMagicOf(bytes, type))) {
      type = 'image/jpeg';
      bytes = await page.encode(type, request.jpegQuality);
    }
    if (!(bytes && hasMagicOf(bytes, type))) throw new PageError('processing_failed');
    return { bytes, type, width: plan.width, height: plan.height };
  } finally {
    bitmap.close();
    page?.release();
  }
}
