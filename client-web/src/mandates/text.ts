// The mandate text the owner reads before signing, version `mandat-v1`: plain French (the
// text of record, whatever the screen's language), built from the mandate's own fields, so
// either side can build it again from the signed statement and the names. Its SHA-256 is the
// signed `text_sha256` (protocol.md section 8).
import { sha256 } from '@noble/hashes/sha2.js';
import { b64encode, utf8Encode } from '../crypto/encoding';

export const MANDATE_TEXT_VERSION = 'mandat-v1';

/** The durations a person picks from (mandates-and-law.md): seconds. */
export const DURATIONS = {
  day: 24 * 3600,
  month: 31 * 24 * 3600,
  six_months: 182 * 24 * 3600,
  year: 365 * 24 * 3600,
} as const;
export type Duration = keyof typeof DURATIONS;

export type Rights = 'consult' | 'deposit' | 'consult_deposit';

export interface MandateTextInput {
  /** The number is not known before the server stores the mandate: the text names the id. */
  mandate: string;
  /** What the owner calls the grantee (may be empty), and the grantee's five words. */
  granteeName: string;
  granteeWords: string;
  granteeType: 'person' | 'organisation';
  ownerWords: string;
  /** The categories' French names, in the order shown. */
  categories: readonly string[];
  rights: Rights;
  notBefore: number;
  notAfter: number;
}

const RIGHTS_TEXT: Record<Rights, string> = {
  consult: 'voir mes papiers',
  deposit: 'déposer des papiers dans mon coffre',
  consult_deposit: 'voir mes papiers et déposer des papiers dans mon coffre',
};

/** A date and time in French, in Paris time (the same text on every device). */
export function frenchDate(seconds: number): string {
  return new Intl.DateTimeFormat('fr-FR', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Paris',
  }).format(new Date(seconds * 1000));
}

export function mandateText(m: MandateTextInput): string {
  const who =
    m.granteeType === 'organisation'
      ? `la structure ${m.granteeName || '(sans nom)'}, et ses aidants habilités`
      : `la personne ${m.granteeName || '(sans nom)'}`;
  return [
    `Mandat Coffre (${MANDATE_TEXT_VERSION}), numéro ${m.mandate}.`,
    `Je donne un mandat à ${who}. Ses cinq mots : ${m.granteeWords}.`,
    `Avec ce mandat, elle peut ${RIGHTS_TEXT[m.rights]}.`,
    `Seulement pour ces démarches : ${m.categories.join(', ')}.`,
    `Le mandat commence le ${frenchDate(m.notBefore)}. Il finit le ${frenchDate(m.notAfter)}.`,
    'Je peux arrêter ce mandat quand je veux, dans mon coffre.',
    'Chaque fois que quelqu’un ouvre un papier avec ce mandat, mon coffre le garde en mémoire.',
    `Mes cinq mots : ${m.ownerWords}.`,
  ].join('\n');
}

/** `text_sha256`: SHA-256 of the text's UTF-8 bytes, b64. */
export function textSha256(text: string): string {
  return b64encode(sha256(utf8Encode(text)));
}
