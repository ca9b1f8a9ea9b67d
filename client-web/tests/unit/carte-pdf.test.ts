// The carte as a PDF (own device only): one A4 page that says what the screen's carte says —
// the typed form in groups, the site, the QR code drawn from the same path as on screen and
// scanning back to the identity — and nothing more: never the full `AGE-SECRET-KEY-1…` text,
// no author, no date, no tool name.
import { readFileSync } from 'node:fs';
import jsQR from 'jsqr';
import { decodePDFRawStream, PDFArray, PDFDocument, PDFRawStream } from 'pdf-lib';
import { encode } from 'uqr';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { A4, cartePdf, cartePdfTexts, qrPlacement } from '../../src/carte/pdf';
import { IDENTITY_PREFIX, typedGroups } from '../../src/carte/typed';
import { generateCarte } from '../../src/crypto/unlock';
import { showBundleForTests } from '../../src/i18n';
import { createBundle } from '../../src/i18n/bundle';
import type { Locale } from '../../src/i18n/locales';

const { identity } = generateCarte();
const carte = { identity, name: 'Zoé', site: 'https://coffre.example.org' };

function showLocale(locale: Locale) {
  const source = readFileSync(new URL(`../../src/i18n/${locale}.ftl`, import.meta.url), 'utf8');
  showBundleForTests(locale, createBundle(locale, source).bundle);
}

/** The page's content stream, decoded (pdf-lib writes one operator a line). */
async function contentOf(bytes: Uint8Array): Promise<{ doc: PDFDocument; lines: string[] }> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const contents = doc.getPage(0).node.Contents();
  const streams = contents instanceof PDFArray ? contents.asArray().map((ref) => doc.context.lookup(ref)) : [contents];
  let text = '';
  for (const stream of streams) {
    if (!(stream instanceof PDFRawStream)) throw new Error('unexpected content stream');
    text += new TextDecoder('latin1').decode(decodePDFRawStream(stream).decode());
  }
  return { doc, lines: text.split('\n') };
}

/** WinAnsi's 0x80–0x9F that these texts use (Node's windows-1252 decoder reads them as C1 controls). */
const WIN_ANSI_HIGH: Record<number, string> = { 133: '…', 145: '‘', 146: '’', 147: '“', 148: '”', 150: '–' };

/** Every string shown with Tj, decoded from WinAnsi. */
function shownText(lines: string[]): string[] {
  return lines
    .map((line) => /^<([0-9A-Fa-f]*)> Tj$/.exec(line)?.[1])
    .filter((hex): hex is string => hex !== undefined)
    .map((hex) =>
      (hex.match(/../g) ?? [])
        .map((h) => parseInt(h, 16))
        .map((code) => WIN_ANSI_HIGH[code] ?? String.fromCharCode(code))
        .join(''),
    );
}

/** The dark modules of the filled path drawn with a `s 0 0 -s 0 0 cm` (drawSvgPath's flip). */
function drawnModules(lines: string[]): { scale: number; modules: Set<string> } {
  const start = lines.findIndex((line) => /^[\d.]+ 0 0 -[\d.]+ 0 0 cm$/.test(line));
  expect(start).toBeGreaterThan(-1);
  const scale = Number(lines[start]?.split(' ')[0]);
  const modules = new Set<string>();
  let points: [number, number][] = [];
  for (const line of lines.slice(start + 1)) {
    if (line === 'f') break;
    const op = line.split(' ');
    const name = op.at(-1);
    if (name === 'm' || name === 'l') points.push([Number(op[0]), Number(op[1])]);
    else if (name === 'h') {
      // One run of dark modules on one row: an axis-aligned rectangle one module high.
      expect(points).toHaveLength(4);
      const xs = points.map((p) => p[0]);
      const ys = points.map((p) => p[1]);
      const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
      expect(y1 - y0).toBe(1);
      for (let x = x0; x < x1; x++) modules.add(`${x},${y0}`);
      points = [];
    }
  }
  return { scale, modules };
}

describe('carte PDF', () => {
  let bytes: Uint8Array;
  let doc: PDFDocument;
  let lines: string[];

  afterEach(() => showLocale('fr'));
  beforeAll(async () => {
    showLocale('fr');
    bytes = await cartePdf(carte, await cartePdfTexts(carte));
    ({ doc, lines } = await contentOf(bytes));
  });

  it('is one A4 page, small', () => {
    expect(new TextDecoder('latin1').decode(bytes.slice(0, 5))).toBe('%PDF-');
    expect(doc.getPageCount()).toBe(1);
    const { width, height } = doc.getPage(0).getSize();
    expect(width).toBeCloseTo(A4[0], 1);
    expect(height).toBeCloseTo(595.28 * Math.SQRT2, 0);
    expect(bytes.length).toBeLessThan(200 * 1024);
  });

  it('says only "Coffre" in its metadata: no author, no date, no tool', () => {
    expect(doc.getTitle()).toBe('Carte Coffre');
    expect(doc.getProducer()).toBe('Coffre');
    expect(doc.getCreator()).toBe('Coffre');
    expect(doc.getAuthor()).toBeUndefined();
    expect(doc.getSubject()).toBeUndefined();
    expect(doc.getKeywords()).toBeUndefined();
    expect(doc.getCreationDate()).toBeUndefined();
    expect(doc.getModificationDate()).toBeUndefined();
    expect(new TextDecoder('latin1').decode(bytes)).not.toMatch(/pdf-lib/i);
  });

  it('has the heading, the name, the site and the typed form in groups, as on screen', () => {
    const text = shownText(lines);
    expect(text).toContain('Carte Coffre');
    expect(text).toContain('Carte de Zoé');
    expect(text).toContain('Site : https://coffre.example.org');
    expect(text).toContain('Le code de la carte :');
    const groups = typedGroups(identity);
    const typedLines = [0, 3, 6, 9, 12].map((i) => groups.slice(i, i + 3).join(' '));
    for (const line of typedLines) expect(text).toContain(line);
    expect(text).toContain('Secret. Ne montrez cette carte à personne.');
  });

  it('never writes the secret in another form than the 58-character typed one', () => {
    const text = shownText(lines).join('\n');
    const body = identity.slice(IDENTITY_PREFIX.length);
    expect(text).not.toContain(IDENTITY_PREFIX);
    expect(text.replace(/\s/g, '')).not.toContain(identity);
    expect(text.toLowerCase()).not.toContain(body.toLowerCase());
    // Nor anywhere in the file's bytes, compressed or not.
    const raw = new TextDecoder('latin1').decode(bytes);
    expect(raw).not.toContain(identity);
    expect(raw).not.toContain(body);
    expect(lines.join('\n')).not.toContain(identity);
  });

  it('draws the QR code as exactly the path qrPath gives, and it scans back to the identity', () => {
    const { scale, modules } = drawnModules(lines);
    const { size, module } = qrPlacement(identity);
    expect(scale).toBeCloseTo(module, 3);
    const { data } = encode(identity, { ecc: 'M', border: 0 });
    const expected = new Set<string>();
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) if (data[y]?.[x]) expected.add(`${x},${y}`);
    expect(modules).toEqual(expected);

    // Rendered black on white with a quiet zone of 4 modules, as printed: jsQR reads it.
    const quiet = 4;
    const px = 4;
    const side = (size + 2 * quiet) * px;
    const rgba = new Uint8ClampedArray(side * side * 4).fill(255);
    for (const key of modules) {
      const [mx, my] = key.split(',').map(Number) as [number, number];
      for (let dy = 0; dy < px; dy++)
        for (let dx = 0; dx < px; dx++) {
          const i = 4 * ((my + quiet) * px + dy) * side + 4 * ((mx + quiet) * px + dx);
          rgba[i] = rgba[i + 1] = rgba[i + 2] = 0;
        }
    }
    expect(jsQR(rgba, side, side)?.data).toBe(identity);
  });

  it('is written in French in the Arabic locale (the PDF fonts have no Arabic letters)', async () => {
    showLocale('ar');
    const texts = await cartePdfTexts(carte);
    expect(texts.heading).toContain('Carte');
    expect(texts.secret).toContain('Ne montrez cette carte à personne');
    const arabic = shownText((await contentOf(await cartePdf(carte, texts))).lines);
    expect(arabic).toContain('Site : https://coffre.example.org');
  });

  it('speaks English in English', async () => {
    showLocale('en');
    const texts = await cartePdfTexts(carte);
    expect(texts.typedLabel).toBe('The card’s code:');
    expect(shownText((await contentOf(await cartePdf(carte, texts))).lines)).toContain('The card’s code:');
  });

  it('leaves out a name the PDF fonts cannot write, and keeps the rest', async () => {
    const named = { ...carte, name: 'كريم' };
    const text = shownText((await contentOf(await cartePdf(named, await cartePdfTexts(named)))).lines);
    expect(text.some((line) => line.startsWith('Carte de'))).toBe(false);
    expect(text).toContain('Carte Coffre');
  });
});
