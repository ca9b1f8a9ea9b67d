// preparePages before any pixel is drawn: what is refused and with which code, whatever the
// file's name or declared type; PDFs kept byte for byte. (Drawing is papers-encode's and the
// browser test's; here Node has no Worker, so photos would go to the main-thread path.)
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PAGE_ERROR_CODES, type PageError, type PageOptions, preparePage, preparePages } from '../../src/papers';
import { bytes, ftyp, HTML, jpeg, pdf, png, SVG, webp } from './papers-files';

const OPTIONS: PageOptions = { maxPdfBytes: 10 * 1024 * 1024 };
const file = (content: Uint8Array | string, name: string, type: string) =>
  new File([typeof content === 'string' ? content : (content as Uint8Array<ArrayBuffer>)], name, { type });

async function refusal(input: File, options: PageOptions = OPTIONS): Promise<PageError> {
  const error = await preparePage({ file: input }, options).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `${input.name} should be refused`).not.toBeNull();
  return error as PageError;
}

afterEach(() => vi.unstubAllGlobals());

describe('preparePages refuses', () => {
  it('HTML and SVG posing as a photo or a PDF, and plain text', async () => {
    expect((await refusal(file(HTML, 'attestation.jpg', 'image/jpeg'))).code).toBe('unsupported_type');
    expect((await refusal(file(SVG, 'attestation.pdf', 'application/pdf'))).code).toBe('unsupported_type');
    expect((await refusal(file(SVG, 'photo.jpg', 'image/jpeg'))).code).toBe('unsupported_type');
    expect((await refusal(file(HTML, 'releve.pdf', 'application/pdf'))).code).toBe('unsupported_type');
    expect((await refusal(file('RSA 2026\n', 'note.png', 'image/png'))).code).toBe('unsupported_type');
    expect((await refusal(file(ftyp('isom', ['mp41']), 'video.heic', 'image/heic'))).code).toBe('unsupported_type');
  });

  it('the empty file', async () => {
    expect((await refusal(file('', 'photo.jpg', 'image/jpeg'))).code).toBe('empty_file');
  });

  it('files cut short, before decoding them', async () => {
    const decode = vi.fn();
    vi.stubGlobal('createImageBitmap', decode);
    const whole = jpeg();
    expect((await refusal(file(whole.subarray(0, whole.length - 2), 'a.jpg', ''))).code).toBe('file_damaged');
    expect((await refusal(file(png({ iend: false }), 'a.png', ''))).code).toBe('file_damaged');
    expect((await refusal(file(webp('VP8 ', { cut: 2 }), 'a.webp', ''))).code).toBe('file_damaged');
    expect((await refusal(file(pdf('', { eof: false }), 'a.pdf', ''))).code).toBe('file_damaged');
    expect(decode).not.toHaveBeenCalled();
  });

  it('a PDF over the cap, and an image over the byte or pixel cap (with the cap)', async () => {
    const big = file(bytes(pdf(), new Uint8Array(2000)), 'a.pdf', 'application/pdf');
    expect(await refusal(big, { maxPdfBytes: 1000 })).toMatchObject({ code: 'pdf_too_large', limit: 1000 });
    const photo = file(jpeg(), 'a.jpg', 'image/jpeg');
    expect(await refusal(photo, { ...OPTIONS, maxImageBytes: 100 })).toMatchObject({
      code: 'image_too_large',
      limit: 100,
    });
    // 20,000 × 20,000 declared in 300 bytes: 1.6 GB once decoded.
    const bomb = file(jpeg({ width: 20_000, height: 20_000 }), 'a.jpg', 'image/jpeg');
    expect(await refusal(bomb)).toMatchObject({ code: 'image_too_large', limit: 100_000_000 });
  });

  it('tells which file of a batch is at fault', async () => {
    const inputs = [{ file: file(pdf(), 'p1.pdf', '') }, { file: file(HTML, 'p2.jpg', 'image/jpeg') }];
    await expect(preparePages(inputs, OPTIONS)).rejects.toMatchObject({ code: 'unsupported_type', page: 1 });
  });

  it('only with codes the UI knows', async () => {
    const error = await refusal(file(SVG, 'x.pdf', 'application/pdf'));
    expect(PAGE_ERROR_CODES).toContain(error.code);
    expect(error.name).toBe('PageError');
  });
});

describe('preparePages keeps', () => {
  it('a PDF byte for byte, whatever its declared type', async () => {
    const content = pdf('\xef\xbb\xbf');
    const pages = await preparePages([{ file: file(content, 'scan', 'application/octet-stream') }], OPTIONS);
    expect(pages).toHaveLength(1);
    expect(pages[0]!.type).toBe('application/pdf');
    expect(pages[0]!.bytes).toEqual(content);
  });

  it('refuses to turn or crop a PDF (a programming error, not the person’s)', async () => {
    await expect(preparePage({ file: file(pdf(), 'a.pdf', ''), rotation: 90 }, OPTIONS)).rejects.toThrow(RangeError);
  });

  it('decodes a photo as its sniffed type, not its declared one', async () => {
    const seen: string[] = [];
    vi.stubGlobal('createImageBitmap', async (blob: Blob) => {
      seen.push(blob.type);
      throw new DOMException('no decoder in this test', 'InvalidStateError');
    });
    const heic = file(ftyp('heic', ['mif1']), 'IMG_0001.jpg', 'image/jpeg');
    expect(await refusal(heic)).toMatchObject({ code: 'heic_unsupported' });
    expect(await refusal(file(jpeg(), 'scan.png', 'image/png'))).toMatchObject({ code: 'file_damaged' });
    expect(seen).toEqual(['image/heic', 'image/jpeg']);
  });

  it('asks for a worker only where one exists', async () => {
    await expect(preparePages([{ file: file(pdf(), 'a.pdf', '') }], { ...OPTIONS, where: 'worker' })).rejects.toThrow(
      /no worker/,
    );
  });
});

describe('lazy loading', () => {
  it('no module outside src/papers imports it statically (only `import()`, or types)', () => {
    const src = fileURLToPath(new URL('../../src/', import.meta.url));
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter(
      (f) => /\.tsx?$/.test(f) && !f.startsWith('papers'),
    );
    expect(files.length).toBeGreaterThan(10);
    const staticImport = /^\s*(?:import|export)\s+(?!type\b)[^;]*?\bfrom\s+['"][^'"]*\bpapers(?:\/[^'"]*)?['"]/m;
    const offenders = files.filter((f) => staticImport.test(readFileSync(join(src, f), 'utf8')));
    expect(offenders).toEqual([]);
    expect(staticImport.test("import { preparePages } from '../papers';")).toBe(true);
    expect(staticImport.test("import type { Page } from '../papers';")).toBe(false);
  });
});
