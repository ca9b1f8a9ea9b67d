import { describe, expect, it } from 'vitest';
import { b64encode } from '../../src/crypto/encoding';
import { base64Patterns, mayNameMandate } from '../../src/paper-store/mandate-hint';

const utf8 = (s: string) => new TextEncoder().encode(s);

/** A statement as listed: base64 of an envelope whose `body` is the body's base64. */
const listed = (body: string, before = '{"body":"', after = '","sigs":[{"key":"k","sig":"s"}]}') =>
  b64encode(utf8(`${before}${b64encode(utf8(body))}${after}`));

/** A deterministic pseudo-random generator (the cases are the same on every run). */
function random(seed: number) {
  let x = seed >>> 0;
  return () => {
    x = (x * 1664525 + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

describe('the « Déposé par » hint on a statement’s base64', () => {
  it('finds the key at every offset of the body and of the envelope', () => {
    const next = random(7);
    const word = () => Math.floor(next() * 1e9).toString(36);
    for (let body = 0; body < 3; body++) {
      for (let env = 0; env < 3; env++) {
        for (let i = 0; i < 20; i++) {
          const head = 'x'.repeat(body) + `{"epoch":${word()},"kind":"upload",`;
          const text = `${head}"mandate":"${word()}","paper":"${word()}"}`;
          expect(mayNameMandate(listed(text, `${'y'.repeat(env)}{"body":"`)), text).toBe(true);
        }
      }
    }
  });

  it('says no for bodies without the key, whatever else they hold', () => {
    const next = random(11);
    let maybes = 0;
    for (let i = 0; i < 500; i++) {
      const v = Math.floor(next() * 1e12).toString(36);
      const text = `{"content_sha256":"${v}","epoch":${i},"kind":"upload","mandates":"${v}","paper":"${v}"}`;
      if (mayNameMandate(listed(text, `${'y'.repeat(i % 3)}{"body":"`))) maybes++;
    }
    expect(maybes).toBe(0);
    // The same body with the key is found.
    expect(mayNameMandate(listed('{"kind":"upload","mandate":"m1"}'))).toBe(true);
  });

  it('each pattern is the needle’s own characters at its alignment', () => {
    const needle = utf8('"mandate":"');
    const patterns = base64Patterns(needle);
    expect(patterns).toHaveLength(3);
    for (let offset = 0; offset < 6; offset++) {
      const bytes = new Uint8Array([...utf8('abcdef'.slice(0, offset)), ...needle, ...utf8('tail')]);
      expect(b64encode(bytes)).toContain(patterns[offset % 3]);
    }
    for (const p of patterns) expect(p.length).toBeGreaterThanOrEqual(12);
  });
});
