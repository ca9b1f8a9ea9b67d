// Coffre's service worker (docs/design/papers-offline.md): it keeps the app shell
// (index.html and the build's hashed files; the PDF frame's script once fetched) so that the
// app opens without a network. Nothing else: the API (/api/*) never goes through its cache,
// and no paper, key or answer of the host is ever put there. The build (src/offline/shell-plugin.ts) writes the list of files and a
// version of its own into this file: a new build is a new worker, which replaces the old
// one's cache as soon as it is installed.
/* global self, caches, fetch, Response, URL */
const VERSION = '__SHELL_VERSION__';
const SHELL = JSON.parse('__SHELL_FILES__');
// Kept the first time the app fetches them (the PDF frame's script: a PDF shown once online
// is shown offline too), not at install: most people never open a PDF.
const LAZY = JSON.parse('__LAZY_FILES__');
const CACHE = `coffre-shell-${VERSION}`;
const PREFIX = 'coffre-shell-';

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      // Where the browser can, /api/* does not even reach this worker.
      if (typeof event.addRoutes === 'function') {
        await event.addRoutes([{ condition: { urlPattern: '/api/*' }, source: 'network' }]).catch(() => undefined);
      }
      const cache = await caches.open(CACHE);
      await cache.addAll(SHELL);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate' && request.destination === 'document') {
    // The network first (the host's page is the one to show); the kept shell without one.
    event.respondWith(
      fetch(request).catch(async () => (await caches.match('/index.html', { cacheName: CACHE })) ?? Response.error()),
    );
    return;
  }
  if (SHELL.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname, { cacheName: CACHE }).then((kept) => kept ?? fetch(request)));
  } else if (LAZY.includes(url.pathname)) {
    event.respondWith(
      (async () => {
        const kept = await caches.match(url.pathname, { cacheName: CACHE });
        if (kept) return kept;
        const response = await fetch(request);
        if (response.ok) {
          const cache = await caches.open(CACHE);
          await cache.put(url.pathname, response.clone()).catch(() => undefined);
        }
        return response;
      })(),
    );
  }
});
