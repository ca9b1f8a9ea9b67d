// Starts the real Coffre server for the browser suite:
//   COFFRE_TEST_BIN serve   with COFFRE_LISTEN=127.0.0.1:0 and a fresh COFFRE_DATA_DIR,
// waits for "coffre: listening on http://127.0.0.1:PORT" on its stdout, and returns the
// address to browse: http://localhost:PORT (WebAuthn needs a secure context; localhost is one).
//
// COFFRE_TEST_BIN     the server binary (default: ../target/debug/coffre, from client-web/).
// COFFRE_TEST_URL  development only: browse an already running server instead (for example
//                  `npm run build && npx vite preview`, which sends the same CSP header).
//
// Either way the suite refuses to run against anything but the built client: a server built
// without npm serves a "client not built" placeholder page, and the tests must not pass on it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const CLIENT_WEB = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DEFAULT_BIN = resolve(CLIENT_WEB, '../target/debug/coffre');
const LISTENING = /^coffre: listening on http:\/\/127\.0\.0\.1:(\d+)\/?\s*$/;
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

/**
 * @param {{ dataDir?: string, port?: number }} [options] `dataDir`: serve this existing data
 * directory (a restored one) instead of a fresh one — it is then left in place on stop;
 * `port`: listen on this port (a restored instance keeps its origin, http://localhost:PORT).
 * @returns {Promise<{ baseUrl: string, port: number, stop: () => Promise<void>, dataDir?: string, log: () => string, setClockOffset?: (seconds: number) => Promise<void> }>}
 * `dataDir` is the server's data directory (its database files); `log()` everything the
 * server wrote on stdout and stderr (up to 4 MiB); `setClockOffset(s)` moves the server's
 * clock `s` seconds ahead of the system's (a debug build of the server only).
 */
export async function startServer({ dataDir: given, port: wanted = 0 } = {}) {
  if (process.env.COFFRE_TEST_URL) {
    const baseUrl = process.env.COFFRE_TEST_URL.replace(/\/$/, '');
    await assertBuiltClient(baseUrl);
    return { baseUrl, stop: async () => {}, log: () => '' };
  }

  const bin = resolve(CLIENT_WEB, process.env.COFFRE_TEST_BIN ?? DEFAULT_BIN);
  if (!existsSync(bin)) {
    throw new Error(
      `The Coffre server binary is missing: ${bin}\n` +
        'Build it first (cargo build, from the repository root) or set COFFRE_TEST_BIN.',
    );
  }

  const dataDir = given ?? (await mkdtemp(join(tmpdir(), 'coffre-browser-')));
  // The server's clock, shifted by the seconds this file holds (debug builds only:
  // `coffre_server::clock::OffsetFileClock`); `setClockOffset` moves it.
  const clockFile = `${dataDir}-clock-offset`;
  const removeData = async () => {
    await rm(clockFile, { force: true });
    if (!given) await rm(dataDir, { recursive: true, force: true });
  };
  const child = spawn(bin, ['serve'], {
    env: {
      ...process.env,
      COFFRE_LISTEN: `127.0.0.1:${wanted}`,
      COFFRE_DATA_DIR: dataDir,
      COFFRE_TEST_CLOCK_OFFSET_FILE: clockFile,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  // Keep both pipes drained for the server's whole life (a full pipe would block it), and
  // keep the end of its output to explain a failure.
  let output = '';
  let log = '';
  const remember = (line) => {
    output = `${output}${line}\n`.slice(-8_000);
    if (log.length < 4 * 1024 * 1024) log = `${log}${line}\n`;
  };
  createInterface({ input: child.stderr }).on('line', remember);
  const stdout = createInterface({ input: child.stdout });

  const exited = new Promise((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));

  let timer;
  try {
    const port = await new Promise((resolvePort, reject) => {
      stdout.on('line', (line) => {
        remember(line);
        const match = LISTENING.exec(line);
        if (match) resolvePort(Number(match[1]));
      });
      child.once('error', reject);
      exited.then(({ code, signal }) =>
        reject(new Error(`coffre serve exited (${signal ?? code}) before listening:\n${output}`)),
      );
      timer = setTimeout(
        () => reject(new Error(`coffre serve did not say it was listening within ${START_TIMEOUT_MS} ms:\n${output}`)),
        START_TIMEOUT_MS,
      );
    });
    clearTimeout(timer);

    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(killer);
      }
      await removeData();
    };
    const baseUrl = `http://localhost:${port}`;
    await assertBuiltClient(baseUrl);
    const setClockOffset = (seconds) => writeFile(clockFile, `${Math.trunc(seconds)}\n`);
    return { baseUrl, port, stop, dataDir, log: () => log, setClockOffset };
  } catch (error) {
    clearTimeout(timer);
    child.kill('SIGKILL');
    await exited;
    await removeData();
    throw error;
  }
}

/**
 * Fails unless `baseUrl` serves the built client: its index.html (with the app's root element
 * and a hashed entry script under /assets/, itself served as JavaScript), not the placeholder.
 * @param {string} baseUrl
 */
export async function assertBuiltClient(baseUrl) {
  const response = await fetch(`${baseUrl}/`);
  const html = await response.text();
  const entry = /<script type="module"[^>]*\ssrc="(\/assets\/[\w.-]+\.js)"/.exec(html)?.[1];
  if (response.status !== 200 || html.includes('coffre-placeholder') || !html.includes('<div id="app">') || !entry) {
    throw new Error(
      `${baseUrl} does not serve the built web client (HTTP ${response.status}); this server was built ` +
        'without it (npm missing or its build failed) and shows a placeholder page. Install Node.js >= 20.19 ' +
        'and npm, or set COFFRE_WEB_DIST to a prebuilt client, then rebuild the server.\n' +
        html.slice(0, 500),
    );
  }
  const script = await fetch(baseUrl + entry);
  const type = script.headers.get('content-type') ?? '';
  await script.arrayBuffer();
  if (script.status !== 200 || !/javascript/.test(type)) {
    throw new Error(`${baseUrl}${entry}: HTTP ${script.status}, ${type}: the built client is incomplete`);
  }
}
