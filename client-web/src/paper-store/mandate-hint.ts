// « Déposé par »: whether a listed upload statement may name a mandate, read on its base64
// text without decoding it. An upload body is canonical JSON, whose other values hold no
// quote, so it names a mandate exactly when its bytes hold `"mandate":"`; the body is base64
// inside the envelope (canonical JSON too, the body's text unescaped), and the envelope is
// base64 in the listing. Bytes holding a needle at some offset have, in their base64 text,
// the characters made only of the needle's bits for that offset modulo 3: so a statement
// whose text holds none of those patterns (three alignments of the body's base64, each at
// three alignments of the envelope's) cannot name a mandate, and is not decoded for it. Any
// hit is only a maybe: the body is then parsed (`PaperStore`, `#depositedBy`).
import { b64encode } from '../crypto/encoding';

/**
 * The base64 texts that the base64 of any bytes holding `needle` contains: one per
 * alignment of the needle (its offset modulo 3), the characters whose six bits all come
 * from the needle.
 */
export function base64Patterns(needle: Uint8Array): string[] {
  const patterns: string[] = [];
  for (let k = 0; k < 3; k++) {
    const placed = new Uint8Array(k + needle.length);
    placed.set(needle, k);
    const text = b64encode(placed);
    const first = Math.ceil((8 * k) / 6);
    const end = Math.floor((8 * (k + needle.length)) / 6);
    patterns.push(text.slice(first, end));
  }
  return patterns;
}

const ascii = (s: string) => new TextEncoder().encode(s);

const MANDATE_PATTERNS: readonly string[] = base64Patterns(ascii('"mandate":"')).flatMap((inner) =>
  base64Patterns(ascii(inner)),
);

/** False only when the base64 statement's body cannot hold `"mandate":"` (see the file's comment). */
export function mayNameMandate(statement: string): boolean {
  return MANDATE_PATTERNS.some((p) => statement.includes(p));
}
