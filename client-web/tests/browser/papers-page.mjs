// Builds tests/browser/papers-page (src/papers behind a dynamic import, as the papers screens
// will load it) with Vite's builder, and serves it on 127.0.0.1 with the app's own CSP (the
// one `vite preview` and the server send), for papers-pages.test.mjs and bench/papers-pages.mjs.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, loadConfigFromFile } from 'vite';

const CLIENT_WEB = fileURLToPath(new URL('../..', import.meta.url));
const PAGE = fileURLToPath(new URL('./papers-page/', import.meta.url));
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript' };

/** The CSP of vite.config.ts's preview (kept equal to the server's by a unit test). */
async function appCsp() {
  const loaded = await loadConfigFromFile({ command: 'serve', mode: 'production' }, join(CLIENT_WEB, 'vite.config.ts'));
  const csp = loaded?.config.preview?.headers?.['Content-Security-Policy'];
  if (!csp) throw new Error('vite.config.ts sends no Content-Security-Policy');
  return csp;
}

/** @returns {Promise<{ url: string, csp: string, stop: () => Promise<void> }>} */
export async function servePapersPage() {
  const outDir = await mkdtemp(join(tmpdir(), 'coffre-papers-page-'));
  await build({
    configFile: false,
    logLevel: 'warn',
    root: PAGE,
    build: {
      outDir,
      emptyOutDir: true,
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
      target: 'es2020',
      minify: false,
    },
  });
  const csp = await appCsp();
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/favicon.ico') return res.writeHead(204).end();
    const file = normalize(join(outDir, path === '/' ? 'index.html' : path));
    const type = TYPES[extname(file)];
    if (!file.startsWith(outDir) || !type) return res.writeHead(404).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': type, 'content-security-policy': csp, 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://localhost:${server.address().port}/`,
    csp,
    stop: async () => {
      await new Promise((resolve) => server.close(resolve));
      await rm(outDir, { recursive: true, force: true });
    },
  };
}
