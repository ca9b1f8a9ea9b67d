// The page of the papers browser test and benchmark: src/papers loaded the way the papers
// screens will load it (a dynamic import; its worker a file of its own), served with the
// app's CSP. It only passes the picked files in and the bytes out (base64).
import type { PageInput, PageOptions } from '../../../src/papers';

type Papers = typeof import('../../../src/papers');
interface Spec {
  /** Index in the input's files. */
  file: number;
  rotation?: PageInput['rotation'];
  crop?: PageInput['crop'];
}
interface Out {
  base64: string;
  type: string;
  width?: number;
  height?: number;
}

function base64(bytes: Uint8Array): string {
  let text = '';
  for (let at = 0; at < bytes.length; at += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  }
  return btoa(text);
}

const picked = () => [...((document.getElementById('pick') as HTMLInputElement).files ?? [])];

let papers: Papers | undefined;
const load = async () => {
  papers ??= await import('../../../src/papers');
  return papers;
};

/** Runs preparePages on the picked files; the pages, the time it took, or the error's code. */
async function run(specs: Spec[], options: PageOptions) {
  const { preparePages, PageError } = await load();
  const files = picked();
  const inputs = specs.map((s) => ({ file: files[s.file]!, rotation: s.rotation, crop: s.crop }));
  const t0 = performance.now();
  try {
    const pages = await preparePages(inputs, options);
    const ms = performance.now() - t0;
    const out: Out[] = pages.map((p) => ({ base64: base64(p.bytes), type: p.type, width: p.width, height: p.height }));
    return { ms, pages: out };
  } catch (error) {
    if (error instanceof PageError) {
      const { code, page, limit } = error;
      return { error: limit === undefined ? { code, page } : { code, page, limit } };
    }
    throw error;
  }
}

/** The time of each page through one pipeline (its first page starts the worker). */
async function pipelineTimes(specs: Spec[], options: PageOptions) {
  const { createPagePipeline } = await load();
  const files = picked();
  const pipeline = createPagePipeline(options);
  const times: number[] = [];
  try {
    for (const s of specs) {
      const t0 = performance.now();
      await pipeline.prepare({ file: files[s.file]!, rotation: s.rotation, crop: s.crop });
      times.push(performance.now() - t0);
    }
  } finally {
    pipeline.close();
  }
  return times;
}

/**
 * The reference for time: the same photo through createImageBitmap, one scaled drawImage on
 * an OffscreenCanvas and convertToBlob, with no Coffre code (no sniffing, no checks, no worker).
 */
async function reference(file: number, type: string, quality: number, maxSide: number) {
  const t0 = performance.now();
  const bitmap = await createImageBitmap(picked()[file]!);
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  const canvas = new OffscreenCanvas(Math.round(bitmap.width * scale), Math.round(bitmap.height * scale));
  const context = canvas.getContext('2d')!;
  context.imageSmoothingQuality = 'high';
  context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const blob = await canvas.convertToBlob({ type, quality });
  return { ms: performance.now() - t0, bytes: blob.size, type: blob.type, width: canvas.width, height: canvas.height };
}

Object.assign(window, { papersPage: { load: () => load().then(() => true), run, pipelineTimes, reference } });
