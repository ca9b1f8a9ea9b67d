import { describe, expect, it } from 'vitest';
import { generateShareSecret, openShared, parseShareLink, sealForShare, shareLink } from '../../src/crypto';
import { expectCode, INSTANCE } from './fixtures';

describe('share links', () => {
  it('link carries the secret in the fragment; the file opens with it', async () => {
    const s = generateShareSecret();
    const id = crypto.randomUUID();
    const link = shareLink('https://coffre.example.org', id, s);
    expect(link).toMatch(new RegExp(`^https://coffre.example.org/p/${id}#[A-Za-z0-9_-]{43}$`));
    const parsed = parseShareLink(link);
    expect(parsed.secret).toEqual(s);
    const file = await sealForShare(new Uint8Array([1, 2, 3]), s);
    expect(await openShared(file, parsed.secret)).toEqual(new Uint8Array([1, 2, 3]));
    await expectCode(openShared(file, generateShareSecret()), 'decryption_failed');
    await expectCode(() => parseShareLink(`${INSTANCE}/p/${id}`), 'malformed');
  });
});
