// Sniffing by content: each accepted type from its own bytes, everything posing as one
// refused, cut files caught before any decoder sees them.
import { describe, expect, it } from 'vitest';
import { imageSize, isComplete, SNIFF_BYTES, sniffType } from '../../src/papers/sniff';
import { bytes, ftyp, HTML, jpeg, pdf, png, SVG, webp } from './papers-files';

describe('sniffType', () => {
  it('recognises each accepted type by its bytes', () => {
    expect(sniffType(jpeg())).toBe('image/jpeg');
    expect(sniffType(png())).toBe('image/png');
    expect(sniffType(webp('VP8 '))).toBe('image/webp');
    expect(sniffType(webp('VP8L'))).toBe('image/webp');
    expect(sniffType(webp('VP8X'))).toBe('image/webp');
    expect(sniffType(pdf())).toBe('application/pdf');
  });

  it('recognises HEIC/HEIF by the ftyp brands phones write, and AVIF apart', () => {
    expect(sniffType(ftyp('heic', ['mif1', 'heic']))).toBe('image/heic');
    expect(sniffType(ftyp('heix', []))).toBe('image/heic');
    expect(sniffType(ftyp('mif1', ['heic', 'miaf']))).toBe('image/heic');
    expect(sniffType(ftyp('msf1', ['hevc']))).toBe('image/heic');
    expect(sniffType(ftyp('avif', ['mif1', 'miaf']))).toBe('image/avif');
    expect(sniffType(ftyp('mif1', ['avif']))).toBe('image/avif');
  });

  it('refuses other ISO BMFF files (videos) and broken ftyp boxes', () => {
    expect(sniffType(ftyp('isom', ['iso2', 'mp41']))).toBeNull();
    expect(sniffType(ftyp('qt  ', []))).toBeNull();
    const huge = ftyp('heic', []);
    huge[3] = 0xfc; // a box larger than the bytes read
    expect(sniffType(huge)).toBeNull();
  });

  it('accepts a PDF header after a few bytes of junk, within the first 1024', () => {
    expect(sniffType(pdf('\xef\xbb\xbf'))).toBe('application/pdf');
    expect(sniffType(pdf(' '.repeat(1000)))).toBe('application/pdf');
    expect(sniffType(pdf(' '.repeat(SNIFF_BYTES)))).toBeNull();
  });

  it('refuses HTML, SVG, XML and text, even when they carry a PDF header', () => {
    const text = (s: string) => bytes(s);
    expect(sniffType(text(HTML))).toBeNull();
    expect(sniffType(text(SVG))).toBeNull();
    expect(sniffType(pdf('<html><body>'))).toBeNull();
    expect(sniffType(pdf('<svg xmlns="http://www.w3.org/2000/svg">'))).toBeNull();
    expect(sniffType(text('Attestation CAF\nMontant : 412,00 €\n'))).toBeNull();
    expect(sniffType(text('%PDF-'))).toBeNull(); // no version
    expect(sniffType(text('%PDF-x.y\n%%EOF'))).toBeNull();
    expect(sniffType(text('GIF89a\x01\x00\x01\x00'))).toBeNull();
    expect(sniffType(text('BM6\x00\x00\x00'))).toBeNull();
  });

  it('refuses files cut inside their signature, and the empty file', () => {
    expect(sniffType(new Uint8Array())).toBeNull();
    expect(sniffType(bytes([0xff, 0xd8]))).toBeNull();
    expect(sniffType(png().subarray(0, 7))).toBeNull();
    expect(sniffType(webp('VP8 ').subarray(0, 14))).toBeNull();
    expect(sniffType(bytes('RIFF\x10\x00\x00\x00WAVEfmt '))).toBeNull();
    expect(sniffType(ftyp('heic', []).subarray(0, 12))).toBeNull();
    expect(sniffType(bytes('%PDF-1'))).toBeNull();
  });
});

describe('isComplete', () => {
  it('accepts whole files', () => {
    expect(isComplete(jpeg(), 'image/jpeg')).toBe(true);
    expect(isComplete(png(), 'image/png')).toBe(true);
    expect(isComplete(webp('VP8 '), 'image/webp')).toBe(true);
    expect(isComplete(pdf(), 'application/pdf')).toBe(true);
    expect(isComplete(bytes(pdf(), ' '.repeat(1000)), 'application/pdf')).toBe(true);
  });

  it('catches files cut short', () => {
    const whole = jpeg();
    expect(isComplete(jpeg({ eoi: false }), 'image/jpeg')).toBe(false);
    expect(isComplete(whole.subarray(0, 100), 'image/jpeg')).toBe(false); // inside the EXIF block
    expect(isComplete(png({ iend: false }), 'image/png')).toBe(false);
    expect(isComplete(webp('VP8 ', { cut: 3 }), 'image/webp')).toBe(false);
    expect(isComplete(pdf('', { eof: false }), 'application/pdf')).toBe(false);
    expect(isComplete(bytes(pdf(), ' '.repeat(SNIFF_BYTES)), 'application/pdf')).toBe(false);
  });

  it('does not take an EXIF thumbnail’s end for the photo’s', () => {
    // A cut photo whose APP1 holds a whole thumbnail (FF D8 … FF D9) before the scan.
    const thumbnail = bytes('Exif\0\0', [0xff, 0xd8, 0xff, 0xdb, 0, 2, 0xff, 0xd9], new Uint8Array(10));
    const cut = bytes(
      [0xff, 0xd8, 0xff, 0xe1, 0, thumbnail.length + 2],
      thumbnail,
      [0xff, 0xda, 0, 2, 0x12, 0x34, 0x56],
    );
    expect(sniffType(cut)).toBe('image/jpeg');
    expect(isComplete(cut, 'image/jpeg')).toBe(false);
    expect(isComplete(bytes(cut, [0xff, 0xd9]), 'image/jpeg')).toBe(true);
  });
});

describe('imageSize', () => {
  it('reads the stored size from each header', () => {
    expect(imageSize(jpeg({ width: 4000, height: 3000, exifBytes: 30_000 }), 'image/jpeg')).toEqual({
      width: 4000,
      height: 3000,
    });
    expect(imageSize(png({ width: 1234, height: 567 }), 'image/png')).toEqual({ width: 1234, height: 567 });
    for (const kind of ['VP8 ', 'VP8L', 'VP8X'] as const) {
      expect(imageSize(webp(kind, { width: 1800, height: 2400 }), 'image/webp')).toEqual({ width: 1800, height: 2400 });
    }
    expect(imageSize(webp('VP8X', { width: 16_000, height: 12_000 }), 'image/webp')).toEqual({
      width: 16_000,
      height: 12_000,
    });
  });

  it('gives null when the header cannot be read', () => {
    expect(imageSize(jpeg().subarray(0, 150), 'image/jpeg')).toBeNull();
    expect(imageSize(bytes([0xff, 0xd8, 0xff, 0xda, 0, 2, 1, 2, 0xff, 0xd9]), 'image/jpeg')).toBeNull();
    expect(imageSize(png().subarray(0, 20), 'image/png')).toBeNull();
    expect(imageSize(ftyp('heic', []), 'image/heic')).toBeNull();
  });
});
