// The printable attestation of a mandate (issue 14), made in the browser with pdf-lib and
// loaded only when « Télécharger l’attestation » is pressed. It is written in French, the
// language of the mandate text of record (and the only one the standard PDF fonts, WinAnsi,
// can write besides English): number, who gives it to whom, scope, dates, both sides' five
// words. No metadata: no author, no date, no tool name.
import { PDFDocument, rgb, StandardFonts } from 'pdf-lib';
import { frenchDate, type Rights } from './text';

export interface Attestation {
  number: number;
  mandate: string;
  ownerWords: string;
  granteeWords: string;
  /** The grantee as the one who prints it knows it (a name, or empty). */
  granteeName: string;
  granteeType: 'person' | 'organisation';
  rights: Rights;
  /** The categories' French names, or, for the grantee who does not know them, how many. */
  categories: readonly string[] | number;
  notBefore: number;
  notAfter: number;
}

const RIGHTS: Record<Rights, string> = {
  consult: 'voir les papiers',
  deposit: 'déposer des papiers',
  consult_deposit: 'voir les papiers et déposer des papiers',
};

/** Characters the WinAnsi fonts cannot write become plain spaces or are dropped. */
const winAnsi = (s: string) => s.replace(/[\u202f\u00a0\u2009]/g, ' ').replace(/[^\x20-\x7e\u00a0-\u00ff’«»–—…·]/g, '');

export function attestationLines(a: Attestation): string[] {
  const scope =
    typeof a.categories === 'number'
      ? `${a.categories} démarche(s) choisie(s) par la personne`
      : a.categories.join(', ');
  return [
    `Mandat n° ${a.number}`,
    `Identifiant : ${a.mandate}`,
    '',
    `La personne qui donne le mandat. Ses cinq mots : ${a.ownerWords}`,
    `${a.granteeType === 'organisation' ? 'La structure' : 'La personne'} qui reçoit le mandat : ${a.granteeName || '(sans nom)'}`,
    `Ses cinq mots : ${a.granteeWords}`,
    '',
    `Ce mandat permet de : ${RIGHTS[a.rights]}.`,
    `Démarches : ${scope}.`,
    `Début : ${frenchDate(a.notBefore)}`,
    `Fin : ${frenchDate(a.notAfter)}`,
    '',
    'La personne peut arrêter ce mandat quand elle veut, dans son coffre.',
    'Chaque accès avec ce mandat est écrit dans le journal de son coffre.',
    'Pour vérifier : comparez les cinq mots avec ceux des deux écrans.',
  ];
}

/** Splits a line to fit `width` points in `font` at `size`. */
function wrap(line: string, width: number, measure: (s: string) => number): string[] {
  const out: string[] = [];
  let current = '';
  for (const word of line.split(' ')) {
    const next = current ? `${current} ${word}` : word;
    if (measure(next) > width && current) {
      out.push(current);
      current = word;
    } else current = next;
  }
  out.push(current);
  return out;
}

export async function attestationPdf(a: Attestation): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const page = doc.addPage([595.28, 841.89]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const margin = 56;
  let y = 841.89 - margin;
  page.drawText(winAnsi('Attestation de mandat Coffre'), { x: margin, y, size: 20, font: bold, color: rgb(0, 0, 0) });
  y -= 36;
  const size = 12;
  for (const line of attestationLines(a)) {
    if (line === '') {
      y -= size;
      continue;
    }
    for (const part of wrap(winAnsi(line), 595.28 - 2 * margin, (s) => font.widthOfTextAtSize(s, size))) {
      page.drawText(part, { x: margin, y, size, font, color: rgb(0, 0, 0) });
      y -= size * 1.5;
    }
  }
  return doc.save();
}

/** Makes the PDF and hands it to the browser as `attestation-mandat-N.pdf`. */
export async function downloadAttestation(a: Attestation): Promise<void> {
  const bytes = await attestationPdf(a);
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }));
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = `attestation-mandat-${a.number}.pdf`;
    link.rel = 'noopener';
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
