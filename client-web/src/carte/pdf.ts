// The carte Coffre as a PDF file, made in the browser, for the person's own device only
// (issue 12: on a shared computer the carte is printed from the page and never becomes a
// file, so the carte screen offers no download there). This module, and pdf-lib with it,
// is loaded only when "Télécharger la carte (PDF)" is pressed.
//
// What is printed is what the screen shows (CarteCard): the heading, the optional name, the
// site, the QR code of the whole age identity (vectors, from the same `qrPath`) and the
// 58-character typed form in groups of four — never the full `AGE-SECRET-KEY-1…` string as
// text. Nothing else: no author, no date, no tool name in the metadata.
import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
import { currentLocale, t } from '../i18n';
import { createBundle, formatMessage } from '../i18n/bundle';
import { qrPath } from './QrCode';
import { typedGroups } from './typed';

export interface Carte {
  identity: string;
  /** The first name or pseudonym, or ''. */
  name: string;
  site: string;
}

/** The words printed on the PDF, already translated. */
export interface CarteTexts {
  heading: string;
  /** "Carte de Karim", or '' when there is no name. */
  name: string;
  site: string;
  typedLabel: string;
  secret: string;
  pinNote: string;
  printHelp: string;
}

/** Millimetres to PDF points. */
const mm = (value: number) => (value * 72) / 25.4;
/** ISO A4, portrait. */
export const A4: [number, number] = [mm(210), mm(297)];
/** ISO/IEC 7810 ID-1, the size of a bank card. */
const CARD_WIDTH = mm(85.6);
const CARD_HEIGHT = mm(54);
const PADDING = mm(3.5);
/** The QR code's side, quiet zone included. */
const QR_SIDE = mm(30);
const QUIET = 4;
const GROUPS_PER_LINE = 3;
const BLACK = rgb(0, 0, 0);
const WHITE = rgb(1, 1, 1);

// The standard PDF fonts (Helvetica, Courier) encode WinAnsi only: French and English are
// fine, Arabic is not. No font is ever embedded from elsewhere, so in the Arabic locale the
// PDF's words are written in French (the screen itself stays in Arabic).
const PDF_LOCALES = new Set(['fr', 'en']);

/** The PDF's words in the current language, or in French where the PDF fonts cannot write it. */
export async function cartePdfTexts(carte: Carte): Promise<CarteTexts> {
  let text = t;
  if (!PDF_LOCALES.has(currentLocale.value)) {
    const { default: source } = await import('../i18n/fr.ftl?raw');
    const { bundle } = createBundle('fr', source);
    text = (id, args) => formatMessage(bundle, id, args);
  }
  return {
    heading: text('carte-heading'),
    name: carte.name ? text('carte-name', { name: carte.name }) : '',
    site: text('carte-site', { site: carte.site }),
    typedLabel: text('carte-typed-label'),
    secret: text('carte-secret'),
    pinNote: text('carte-pin-note'),
    printHelp: text('create-carte-print-help'),
  };
}

/**
 * The carte on an A4 page, at bank-card size near the top (to print and cut out), with the
 * advice to print it below. Returns the PDF file's bytes.
 */
export async function cartePdf(carte: Carte, texts: CarteTexts): Promise<Uint8Array> {
  // updateMetadata: false, or pdf-lib writes its own name and the creation date.
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle('Carte Coffre');
  doc.setProducer('Coffre');
  doc.setCreator('Coffre');
  const fonts = {
    regular: await doc.embedFont(StandardFonts.Helvetica),
    bold: await doc.embedFont(StandardFonts.HelveticaBold),
    mono: await doc.embedFont(StandardFonts.CourierBold),
  };
  const page = doc.addPage(A4);
  const [pageWidth, pageHeight] = A4;
  const left = (pageWidth - CARD_WIDTH) / 2;
  const top = pageHeight - mm(25);
  const bottom = top - CARD_HEIGHT;

  // The card's outline (where to cut), dashed.
  page.drawRectangle({
    x: left,
    y: bottom,
    width: CARD_WIDTH,
    height: CARD_HEIGHT,
    color: WHITE,
    borderColor: BLACK,
    borderWidth: 0.75,
    borderDashArray: [3, 2],
  });

  const inner = CARD_WIDTH - 2 * PADDING;
  const x = left + PADDING;
  let y = top - PADDING;
  y = line(page, printable(texts.heading, fonts.bold) ?? 'Carte Coffre', {
    x,
    y,
    font: fonts.bold,
    size: 11,
    width: inner,
  });
  const name = printable(texts.name, fonts.bold);
  if (name) y = line(page, name, { x, y, font: fonts.bold, size: 7.5, width: inner, gap: 1.5 });
  y = line(page, printable(texts.site, fonts.regular) ?? '', { x, y, font: fonts.regular, size: 7, width: inner });

  // The QR code, black on white with its quiet zone, drawn as the same path as on screen.
  const qrTop = y - mm(1.5);
  drawQr(page, carte.identity, { x, y: qrTop });

  // The typed form beside it, three groups a line.
  const column = x + QR_SIDE + mm(2.5);
  const columnWidth = left + CARD_WIDTH - PADDING - column;
  let ty = line(page, printable(texts.typedLabel, fonts.bold) ?? '', {
    x: column,
    y: qrTop - mm(2),
    font: fonts.bold,
    size: 7,
    width: columnWidth,
  });
  const groups = typedGroups(carte.identity);
  for (let i = 0; i < groups.length; i += GROUPS_PER_LINE) {
    const text = groups.slice(i, i + GROUPS_PER_LINE).join(' ');
    ty = line(page, text, { x: column, y: ty, font: fonts.mono, size: 9.5, width: columnWidth, gap: 2.5 });
  }

  // The advice, under the QR code.
  let ay = qrTop - QR_SIDE;
  for (const [text, font] of [
    [texts.secret, fonts.bold],
    [texts.pinNote, fonts.regular],
  ] as const) {
    const printed = printable(text, font);
    if (printed) ay = paragraph(page, printed, { x, y: ay, font, size: 6.5, width: inner, gap: 1 });
  }

  const help = printable(texts.printHelp, fonts.regular);
  if (help) paragraph(page, help, { x: left, y: bottom - mm(8), font: fonts.regular, size: 11, width: mm(120) });

  return doc.save();
}

/** The SVG path `qrPath` gives, placed and scaled as `cartePdf` draws it (for the tests). */
export function qrPlacement(identity: string): { d: string; size: number; module: number } {
  const { d, size } = qrPath(identity);
  return { d, size, module: QR_SIDE / (size + 2 * QUIET) };
}

function drawQr(page: PDFPage, identity: string, at: { x: number; y: number }): void {
  const { d, module } = qrPlacement(identity);
  page.drawRectangle({ x: at.x, y: at.y - QR_SIDE, width: QR_SIDE, height: QR_SIDE, color: WHITE });
  // drawSvgPath puts the path's origin at (x, y) with y going down, as in SVG.
  page.drawSvgPath(d, { x: at.x + QUIET * module, y: at.y - QUIET * module, scale: module, color: BLACK });
}

interface TextBox {
  x: number;
  /** The top of the line. */
  y: number;
  font: PDFFont;
  size: number;
  width: number;
  /** Space after the line, in points. */
  gap?: number;
}

/** One line, shrunk to fit `width`; returns the top of the next line. */
function line(page: PDFPage, text: string, box: TextBox): number {
  let size = box.size;
  while (size > 4 && box.font.widthOfTextAtSize(text, size) > box.width) size -= 0.25;
  page.drawText(text, { x: box.x, y: box.y - size, font: box.font, size, color: BLACK });
  return box.y - size * 1.2 - (box.gap ?? 0);
}

/** Words wrapped to `width`; returns the top of the next line. */
function paragraph(page: PDFPage, text: string, box: TextBox): number {
  let y = box.y;
  let current = '';
  for (const word of text.split(' ')) {
    const next = current ? `${current} ${word}` : word;
    if (current && box.font.widthOfTextAtSize(next, box.size) > box.width) {
      y = line(page, current, { ...box, y, gap: 0 });
      current = word;
    } else current = next;
  }
  if (current) y = line(page, current, { ...box, y, gap: 0 });
  return y - (box.gap ?? 0);
}

/**
 * `text` as the font can write it: without Fluent's direction isolates, thin spaces as
 * spaces; `null` if a character is still not in the font (a name in Arabic script, say:
 * the name is optional, so that line is left out rather than printed wrong).
 */
function printable(text: string, font: PDFFont): string | null {
  const cleaned = text
    .replace(/[\u2066-\u2069\u200e\u200f\u061c]/g, '')
    .replace(/[\u2000-\u200b\u202f\u205f]/g, ' ')
    .trim();
  if (!cleaned) return null;
  try {
    font.encodeText(cleaned);
    return cleaned;
  } catch {
    return null;
  }
}

/**
 * Makes the PDF and hands it to the browser as a download named carte-coffre.pdf. The bytes
 * are wiped and the object URL revoked at once; nothing here keeps the file afterwards.
 */
export async function downloadCartePdf(carte: Carte): Promise<void> {
  const bytes = await cartePdf(carte, await cartePdfTexts(carte));
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }));
  bytes.fill(0); // the Blob holds its own copy
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = 'carte-coffre.pdf';
    link.rel = 'noopener';
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    URL.revokeObjectURL(url);
  }
}
