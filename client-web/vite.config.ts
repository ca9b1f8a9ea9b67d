/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { shellWorker } from './src/offline/shell-plugin';

// A copy of the policy the server sends (server/src/http/headers.rs, CSP_DIRECTIVES; a unit
// test keeps the two the same). `vite preview` sends it too, so a local preview of the built
// app fails the way the real server would if the build ever needed an inline script or style,
// or another origin. (Not the dev server: Vite injects styles there as inline <style>.)
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "frame-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export default defineConfig({
  // The app shell's service worker, /sw.js (docs/design/papers-offline.md).
  plugins: [shellWorker()],
  // JSX through Vite's own (oxc) transform, with Preact's automatic runtime.
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    // `npm run build -- --outDir <dir>` (the server's build.rs) overrides this.
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // Everything is a file under assets/: no `data:` inlining into JS/CSS.
    assetsInlineLimit: 0,
    // The polyfill is only for browsers without <link rel=modulepreload>; we don't need it
    // and it must never become an inline script (CSP: script-src 'self').
    modulePreload: { polyfill: false },
    target: 'es2020',
    sourcemap: false,
    reportCompressedSize: true,
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
  preview: {
    host: '127.0.0.1',
    headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
  },
  test: {
    // tests/unit (this shell) and tests/crypto (the crypto module) both run under `npm test`.
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    environment: 'node',
    // Replays every signature a test verifies with WebCrypto's shortcut (tests/preverify-replay.ts).
    setupFiles: ['tests/preverify-replay.ts'],
  },
});
