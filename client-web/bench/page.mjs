// Serves bench/.out (the bundled harness) on localhost and opens it in headless Debian
// Chromium driven by playwright-core; `window.bench` is the harness module.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { bundle, OUT } from './bundle.mjs';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--enable-precise-memory-info',
];

/**
 * Bundles a harness (default bench/harness.ts, into bench/.out/NAME.mjs), writes the page and
 * serves bench/.out; `window.bench` is the harness module.
 */
export async function servePage(entry = './harness.ts', name = 'harness') {
  const harnessPath = await bundle(entry, name);
  writeFileSync(
    join(OUT, 'index.html'),
    `<!doctype html><meta charset="utf-8"><script type="module">import * as b from "./${name}.mjs"; window.bench = b; window.ready = true;</script>`,
  );
  const server = createServer((req, res) => {
    const name = req.url === '/' ? 'index.html' : req.url.slice(1);
    // assets/: what the bundle emits beside itself (a module worker, key-hint-workers.ts).
    if (!/^(assets\/)?[\w.-]+$/.test(name)) return res.writeHead(404).end();
    try {
      const body = readFileSync(join(OUT, name));
      res.writeHead(200, { 'content-type': name.endsWith('.html') ? 'text/html' : 'text/javascript' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://localhost:${server.address().port}/`;
  /** A fresh browser on the page, once the harness has loaded. */
  async function openPage() {
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForFunction(() => window.ready === true);
    return { browser, page };
  }
  return { harnessPath, openPage, close: () => server.close() };
}
