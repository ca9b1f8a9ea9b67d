// The pages of a paper, from the files the person picked (camera or file chooser), ready to
// encrypt. Lazy-loaded: only the papers screens import it, with `import('../papers')`.
//
// Each file is recognised by its content. A PDF is kept byte for byte (it is only ever shown
// in a sandboxed frame). A photo (JPEG, PNG, WebP, HEIC where the browser decodes it) is
// turned upright by its EXIF orientation, turned and cropped as the person chose, scaled to
// at most 2400 px on its longer side and re-encoded: WebP where the browser writes it, else
// JPEG, with no EXIF, GPS or thumbnail left. See docs/design/papers-pages.md.
import { JPEG_QUALITY, type PageImageType, WEBP_QUALITY } from './encode';
import { PageError } from './errors';
import type { Crop, Rotation } from './geometry';
import { type RenderedPage, type RenderRequest, renderPage } from './render';
import { type ImageType, imageSize, isComplete, SNIFF_BYTES, sniffType } from './sniff';
import { PageWorker, WorkerUnavailable, workersAvailable } from './worker-client';

export { PAGE_ERROR_CODES, PageError, type PageErrorCode } from './errors';
export { type Crop, planPage, type Rotation, rotate, rotatedSize } from './geometry';
export { type SniffedType, sniffType } from './sniff';

export type PageType = PageImageType | 'application/pdf';

export interface Page {
  bytes: Uint8Array;
  type: PageType;
  /** An image page's size in pixels (not known for a PDF). */
  width?: number;
  height?: number;
}

export interface PageInput {
  file: Blob;
  /** Clockwise, applied to the upright photo. */
  rotation?: Rotation;
  /** In fractions of the upright, rotated photo. */
  crop?: Crop;
}

export interface PageOptions {
  /** The largest PDF accepted, in bytes (the instance's largest paper, say). */
  maxPdfBytes: number;
  /** The largest photo file accepted, in bytes. Default 40 MiB. */
  maxImageBytes?: number;
  /** The most pixels a photo may decode to (each costs 4 bytes of memory). Default 100 million. */
  maxPixels?: number;
  /** Longer side of an output page. Default 2400 px. */
  maxSide?: number;
  /** 'auto' (default): WebP where the browser really writes it, else JPEG. */
  format?: 'auto' | PageImageType;
  webpQuality?: number;
  jpegQuality?: number;
  /** Where photos are drawn: 'auto' (default) is a worker where OffscreenCanvas exists. */
  where?: 'auto' | 'worker' | 'main';
}

export const MAX_SIDE = 2400;
const MAX_IMAGE_BYTES = 40 * 1024 * 1024;
const MAX_PIXELS = 100_000_000;

const readBytes = async (blob: Blob) => new Uint8Array(await blob.arrayBuffer());

type Checked = { kind: 'pdf'; bytes: Uint8Array } | { kind: 'image'; type: ImageType; blob: Blob };

/** Sniffs and checks one file; throws a PageError for what cannot become a page. */
async function check(file: Blob, options: PageOptions): Promise<Checked> {
  if (file.size === 0) throw new PageError('empty_file');
  const type = sniffType(await readBytes(file.slice(0, SNIFF_BYTES)));
  if (!type) throw new PageError('unsupported_type');
  if (type === 'application/pdf') {
    if (file.size > options.maxPdfBytes) throw new PageError('pdf_too_large', options.maxPdfBytes);
    const bytes = await readBytes(file);
    if (!isComplete(bytes, type)) throw new PageError('file_damaged');
    return { kind: 'pdf', bytes };
  }
  const maxImageBytes = options.maxImageBytes ?? MAX_IMAGE_BYTES;
  if (file.size > maxImageBytes) throw new PageError('image_too_large', maxImageBytes);
  const bytes = await readBytes(file);
  if (!isComplete(bytes, type)) throw new PageError('file_damaged');
  if (type === 'image/jpeg' || type === 'image/png' || type === 'image/webp') {
    const size = imageSize(bytes, type);
    if (!size || size.width === 0 || size.height === 0) throw new PageError('file_damaged');
    const maxPixels = options.maxPixels ?? MAX_PIXELS;
    if (size.width * size.height > maxPixels) throw new PageError('image_too_large', maxPixels);
  }
  // The decoder gets the checked type, not whatever the file claimed to be.
  return { kind: 'image', type, blob: new Blob([bytes], { type }) };
}

function renderRequest(input: PageInput, type: ImageType, blob: Blob, options: PageOptions): RenderRequest {
  return {
    blob,
    type,
    rotation: input.rotation ?? 0,
    crop: input.crop,
    maxSide: options.maxSide ?? MAX_SIDE,
    maxPixels: options.maxPixels ?? MAX_PIXELS,
    format: options.format ?? 'auto',
    webpQuality: options.webpQuality ?? WEBP_QUALITY,
    jpegQuality: options.jpegQuality ?? JPEG_QUALITY,
  };
}

export interface PagePipeline {
  /** One page from one file; rejects with a PageError for a file that cannot become a page. */
  prepare(input: PageInput): Promise<Page>;
  /** Stops the worker (the pipeline can still be used: a new one starts on the next photo). */
  close(): void;
}

/**
 * A pipeline for the pages of one paper, photo after photo, as the person takes them: one
 * worker kept for all of them (its start and its WebP check are paid once), one photo at a
 * time. Close it when the person is done with the paper.
 */
export function createPagePipeline(options: PageOptions): PagePipeline {
  const where = options.where ?? 'auto';
  if (where === 'worker' && !workersAvailable()) throw new Error('no worker with OffscreenCanvas here');
  let worker: PageWorker | null = null;
  let mainThread = where === 'main' || !workersAvailable();
  let queue: Promise<unknown> = Promise.resolve();

  async function draw(request: RenderRequest): Promise<RenderedPage> {
    if (!mainThread) {
      worker ??= new PageWorker();
      try {
        return await worker.render(request);
      } catch (error) {
        if (!(error instanceof WorkerUnavailable) || where === 'worker') throw error;
        worker.close();
        worker = null;
        mainThread = true; // no worker can do it here: draw on the main thread from now on
      }
    }
    return renderPage(request);
  }

  async function prepare(input: PageInput): Promise<Page> {
    const checked = await check(input.file, options);
    if (checked.kind === 'pdf') {
      if (input.rotation || input.crop) throw new RangeError('a PDF cannot be turned or cropped here');
      return { bytes: checked.bytes, type: 'application/pdf' };
    }
    return draw(renderRequest(input, checked.type, checked.blob, options));
  }

  return {
    prepare(input) {
      // One photo at a time, in the order asked: a single decoded bitmap in memory.
      const page = queue.then(() => prepare(input));
      queue = page.catch(() => undefined);
      return page;
    },
    close() {
      worker?.close();
      worker = null;
    },
  };
}

/**
 * The pages of one paper, in the order given. Rejects with a PageError (its `page` is the
 * index of the file at fault) if any file cannot become a page; a rotation or crop on a PDF
 * is a programming error (RangeError).
 */
export async function preparePages(inputs: readonly PageInput[], options: PageOptions): Promise<Page[]> {
  const pipeline = createPagePipeline(options);
  const pages: Page[] = [];
  try {
    for (const [index, input] of inputs.entries()) {
      try {
        pages.push(await pipeline.prepare(input));
      } catch (error) {
        if (error instanceof PageError) throw new PageError(error.code, error.limit, index);
        throw error;
      }
    }
  } finally {
    pipeline.close();
  }
  return pages;
}

/** One page (a photo or a PDF): `preparePages` for a single file. */
export async function preparePage(input: PageInput, options: PageOptions): Promise<Page> {
  const [page] = await preparePages([input], options);
  return page;
}
