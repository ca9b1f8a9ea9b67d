// « Mon code » (src/mandates/code.ts) and the mandate text (src/mandates/text.ts): the QR and
// typed forms read back what was shown, a typo or another text is refused, and the text's
// hash changes with every field it names.
import { describe, expect, it } from 'vitest';
import { fingerprint, OwnerKeys, randomBytes } from '../../src/crypto/keys';
import { codeQr, codeTyped, parseCodeQr, parseCodeTyped } from '../../src/mandates/code';
import { DURATIONS, mandateText, textSha256 } from '../../src/mandates/text';

const keys = OwnerKeys.fromSeed(randomBytes(32));
const person = { type: 'person' as const, id: crypto.randomUUID(), key: keys.publicKey, recipient: keys.recipient };
const org = { type: 'organisation' as const, id: crypto.randomUUID(), root: fingerprint(keys.publicKey) };

describe('« Mon code »', () => {
  it('a QR reads back what it carries, a person and an organisation', () => {
    expect(parseCodeQr(codeQr(person))).toEqual(person);
    expect(parseCodeQr(codeQr(org))).toEqual(org);
    expect(codeQr(person).startsWith('coffre:code:1:')).toBe(true);
  });

  it('refuses another QR: the carte, a fingerprint, a cut or longer payload', () => {
    expect(parseCodeQr('AGE-SECRET-KEY-1QQQQ')).toBeNull();
    expect(parseCodeQr(`coffre:fp:1:${'A'.repeat(43)}`)).toBeNull();
    const qr = codeQr(person);
    expect(parseCodeQr(qr.slice(0, -4))).toBeNull();
    expect(parseCodeQr(`${qr}AAAA`)).toBeNull();
  });

  it('the typed form reads back, whatever the spaces and case', () => {
    expect(parseCodeTyped(codeTyped(person).join(' '))).toEqual({ ok: true, code: person });
    expect(parseCodeTyped(codeTyped(person).join('-').toLowerCase())).toEqual({ ok: true, code: person });
    // An organisation's typed form is short: the root is pinned by the five words compared.
    const typed = codeTyped(org).join('');
    expect(typed.length).toBeLessThanOrEqual(32);
    expect(parseCodeTyped(typed)).toEqual({ ok: true, code: { type: 'organisation', id: org.id } });
  });

  it('a typo is caught by the checksum', () => {
    const typed = codeTyped(person).join('');
    for (const i of [0, 10, 50, typed.length - 1]) {
      const c = typed[i] === 'A' ? 'B' : 'A';
      const wrong = typed.slice(0, i) + c + typed.slice(i + 1);
      expect(parseCodeTyped(wrong)).toEqual({ ok: false, reason: 'checksum' });
    }
    expect(parseCodeTyped('   ')).toEqual({ ok: false, reason: 'empty' });
  });
});

describe('the mandate text', () => {
  const base = {
    mandate: crypto.randomUUID(),
    granteeName: 'Inès',
    granteeWords: 'a-b-c-d-e',
    granteeType: 'person' as const,
    ownerWords: 'f-g-h-i-j',
    categories: ['Séjour', 'Santé'],
    rights: 'consult' as const,
    notBefore: 1_800_000_000,
    notAfter: 1_800_000_000 + DURATIONS.month,
  };

  it('is versioned, names the scope and the dates, and its hash is 32 bytes', () => {
    const text = mandateText(base);
    expect(text).toContain('mandat-v1');
    expect(text).toContain('Séjour, Santé');
    expect(text).toContain('voir mes papiers');
    expect(textSha256(text)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('any change of scope, grantee or dates changes the hash', () => {
    const h = textSha256(mandateText(base));
    for (const change of [
      { rights: 'consult_deposit' as const },
      { categories: ['Séjour'] },
      { granteeWords: 'a-b-c-d-f' },
      { notAfter: base.notAfter + 3600 },
    ]) {
      expect(textSha256(mandateText({ ...base, ...change }))).not.toBe(h);
    }
  });
});
