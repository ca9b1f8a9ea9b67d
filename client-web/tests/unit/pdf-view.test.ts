import { describe, expect, it } from 'vitest';
import { frameDocument } from '../../src/pdf-view/protocol';

describe('the PDF frame’s page', () => {
  it('allows its one script and forbids requests, workers, styles and forms', () => {
    const html = frameDocument('http://localhost:8080/assets/pdf-frame-abc.js', 'ar');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    const directives = Object.fromEntries(
      csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')] as const),
    );
    expect(directives).toEqual({
      'default-src': "'none'",
      'script-src': 'http://localhost:8080/assets/pdf-frame-abc.js',
      'img-src': 'blob: data:',
      'style-src': "'none'",
      'connect-src': "'none'",
      'worker-src': "'none'",
      'form-action': "'none'",
      'base-uri': "'none'",
    });
    // The policy comes before the script, and the script is the only one.
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'));
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain('<script src="http://localhost:8080/assets/pdf-frame-abc.js"></script>');
    expect(html).toContain('<html lang="ar">');
    expect(frameDocument('x', 'fr"><script>')).toContain('<html lang="frscript">');
  });
});
