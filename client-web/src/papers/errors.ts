// What can go wrong with a file the person picked, as stable codes the UI translates.

export const PAGE_ERROR_CODES = [
  /** The file has no bytes. */
  'empty_file',
  /** Not a JPEG, PNG, WebP, HEIC/HEIF, AVIF or PDF by its content (whatever its name or declared type). */
  'unsupported_type',
  /** A HEIC/HEIF photo this browser cannot decode (the camera's "most compatible" setting, or a screenshot, helps). */
  'heic_unsupported',
  /** A known type, but cut short or not decodable (a truncated download, a corrupt file). */
  'file_damaged',
  /** A PDF over the size cap (`limit` is the cap in bytes). */
  'pdf_too_large',
  /** An image over the byte cap or the pixel cap (`limit` is the cap that was passed). */
  'image_too_large',
  /** The browser could not draw or encode the page (often: not enough memory). */
  'processing_failed',
] as const;

export type PageErrorCode = (typeof PAGE_ERROR_CODES)[number];

export class PageError extends Error {
  override readonly name = 'PageError';
  constructor(
    readonly code: PageErrorCode,
    /** For the `*_too_large` codes: the cap that was exceeded (bytes, or pixels for an image's size). */
    readonly limit?: number,
    /** In a batch, the index of the file at fault. */
    readonly page?: number,
  ) {
    super(
      [code, limit === undefined ? '' : ` (limit ${limit})`, page === undefined ? '' : ` on page ${page}`].join(''),
    );
  }
}

export const isPageErrorCode = (value: unknown): value is PageErrorCode =>
  typeof value === 'string' && (PAGE_ERROR_CODES as readonly string[]).includes(value);
