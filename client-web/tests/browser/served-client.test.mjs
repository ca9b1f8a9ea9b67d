// The suite's guard against the placeholder page: a server built without npm serves a
// "client not built" page (server/build_support/web.rs, PLACEHOLDER_HTML), and nothing in
// this suite may pass against it. Checked here on plain HTTP servers, without a browser.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { it } from 'node:test';
import { assertBuiltClient } from './server.mjs';

const WEB_RS = new URL('../../../server/build_support/web.rs', import.meta.url);

/** Serves `files` (path → [content type, body]) on 127.0.0.1:0 while `body` runs. */
async function serving(files, body) {
  const server = createServer((request, response) => {
    const file = files[new URL(request.url, 'http://x').pathname];
    response.writeHead(file ? 200 : 404, { 'content-type': file?.[0] ?? 'text/plain' });
    response.end(file?.[1] ?? 'not found');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await body(`http://127.0.0.1:${server.address().port}`);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

const BUILT_INDEX =
  '<!doctype html><html lang="fr"><head>' +
  '<script type="module" crossorigin src="/assets/index-AbCd1234.js"></script></head>' +
  '<body><div id="app"></div></body></html>';

it('refuses the placeholder page the server shows when it was built without the client', async () => {
  const rust = await readFile(WEB_RS, 'utf8');
  const placeholder = /pub const PLACEHOLDER_HTML: &str = r#"([\s\S]*?)"#;/.exec(rust)?.[1];
  assert.ok(placeholder?.includes('</html>'), 'PLACEHOLDER_HTML read from web.rs');
  await serving({ '/': ['text/html', placeholder] }, async (baseUrl) => {
    await assert.rejects(assertBuiltClient(baseUrl), /does not serve the built web client/);
  });
});

it('refuses a page whose entry script is not served', async () => {
  await serving({ '/': ['text/html', BUILT_INDEX] }, async (baseUrl) => {
    await assert.rejects(assertBuiltClient(baseUrl), /the built client is incomplete/);
  });
});

it('accepts the built client', async () => {
  const files = {
    '/': ['text/html', BUILT_INDEX],
    '/assets/index-AbCd1234.js': ['text/javascript', 'export {};'],
  };
  await serving(files, async (baseUrl) => {
    await assert.doesNotReject(assertBuiltClient(baseUrl));
  });
});
