// The carte's typed form: groups of four, and reading it back (spaces, hyphens, case, O → 0,
// the bech32 checksum).
import { describe, expect, it } from 'vitest';
import { normaliseTyped, parseTyped, TYPED_LENGTH, typedGroups } from '../../src/carte/typed';
import { generateCarte } from '../../src/crypto/unlock';

const { identity } = generateCarte();
const body = identity.slice('AGE-SECRET-KEY-1'.length);

describe('carte typed form', () => {
  it('is the 58 characters after the prefix, in groups of four', () => {
    const groups = typedGroups(identity);
    expect(groups.join('')).toBe(body);
    expect(body).toHaveLength(TYPED_LENGTH);
    expect(groups).toHaveLength(15);
    expect(groups.slice(0, 14).every((g) => g.length === 4)).toBe(true);
    expect(groups[14]).toHaveLength(2);
  });

  it('reads back what was printed', () => {
    expect(parseTyped(typedGroups(identity).join(' '))).toEqual({ ok: true, identity });
    expect(parseTyped(identity)).toEqual({ ok: true, identity }); // the QR code's text
  });

  it('ignores spaces, hyphens, line breaks and case', () => {
    const messy = `  ${typedGroups(identity).join('-').toLowerCase()}\n`.replace(/(.{7})/g, '$1 \t');
    expect(parseTyped(messy)).toEqual({ ok: true, identity });
  });

  it('reads O as 0', () => {
    const withZeros = generateCarteWithZero();
    const typed = withZeros.slice(16).replace(/0/g, 'O');
    expect(typed).toContain('O');
    expect(parseTyped(typed)).toEqual({ ok: true, identity: withZeros });
    expect(normaliseTyped('o0O')).toBe('000');
  });

  it('finds one wrong character, wherever it is', () => {
    const alphabet = '023456789ACDEFGHJKLMNPQRSTUVWXYZ';
    for (let i = 0; i < body.length; i++) {
      const wrong = alphabet[(alphabet.indexOf(body[i]!) + 1) % alphabet.length]!;
      const typed = body.slice(0, i) + wrong + body.slice(i + 1);
      expect(parseTyped(typed), `position ${i}`).toEqual({ ok: false, reason: 'checksum' });
    }
  });

  it('says when a character is missing or extra, or nothing was typed', () => {
    expect(parseTyped(body.slice(1))).toEqual({ ok: false, reason: 'length', length: 57 });
    expect(parseTyped(`${body}A`)).toEqual({ ok: false, reason: 'length', length: 59 });
    expect(parseTyped('  - ')).toEqual({ ok: false, reason: 'empty' });
  });

  it('refuses a character bech32 never uses', () => {
    expect(parseTyped(`B${body.slice(1)}`)).toEqual({ ok: false, reason: 'checksum' });
  });
});

/** A fresh carte whose typed form has at least one 0. */
function generateCarteWithZero(): string {
  for (;;) {
    const { identity: candidate } = generateCarte();
    if (candidate.slice(16).includes('0')) return candidate;
  }
}
