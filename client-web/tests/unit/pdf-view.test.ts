import { describe, expect, it } from 'vitest';
import { frameDocument } from '../../src/pdf-view/protocol';

const script = { code: 'self.ran = 1;', sha256: 'ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=' };

describe('the PDF frame’s page', () => {
  it('allows its one inline script by its hash and forbids requests, workers, styles and forms', () => {
    const html = frameDocument(script, 'ar');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    const directives = Object.fromEntries(
      csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')] as const),
    );
    expect(directives).toEqual({
      'default-src': "'none'",
      'script-src': `'sha256-${script.sha256}'`,
      'img-src': 'blob: data:',
      'style-src': "'none'",
      'connect-src': "'none'",
      'worker-src': "'none'",
      'form-action': "'none'",
      'base-uri': "'none'",
    });
    // The policy comes before the script, and the script is the only one, inline: the frame
    // asks nothing of the network.
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'));
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain('<script>self.ran = 1;</script>');
    expect(html).not.toMatch(/src=/);
    expect(html).toContain('<html lang="ar">');
    expect(frameDocument(script, 'fr"><script>')).toContain('<html lang="frscript">');
  });

  it('refuses a script that would end early, and a hash that is not one', () => {
    for (const code of ['a = "</script><img src=x>"', 'a = "</SCRIPT"', '<!-- x'])
      expect(() => frameDocument({ ...script, code })).toThrow(/inlined/);
    for (const sha256 of ['', "x' 'unsafe-inline", `${script.sha256}x`])
      expect(() => frameDocument({ ...script, sha256 })).toThrow(/SHA-256/);
  });
});
