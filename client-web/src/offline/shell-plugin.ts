// The Vite plugin that writes the service worker (./service-worker.js) into the build as
// `/sw.js`, with the list of files of the app shell and a version drawn from their names
// (content-hashed: a new build gives a new version). Build only: the dev server has none.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';

export const WORKER_FILE = 'sw.js';

/**
 * The files the worker keeps: index.html, the favicon, and every file of the build under
 * `assets/` but the PDF frame's script (the frame has an opaque origin: it never asks this
 * worker for anything).
 */
export function shellFiles(bundleFiles: readonly string[]): string[] {
  const assets = bundleFiles
    .filter((f) => f.startsWith('assets/') && !f.startsWith('assets/pdf-frame-'))
    .sort()
    .map((f) => `/${f}`);
  return ['/index.html', '/favicon.svg', ...assets];
}

/** The worker's source for these files. */
export function shellWorkerSource(template: string, files: readonly string[]): string {
  const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 16);
  const list = JSON.stringify(files);
  if (/['\\]/.test(list)) throw new Error('a shell file name the worker cannot carry');
  return template.replace('__SHELL_VERSION__', version).replace('__SHELL_FILES__', list);
}

export function shellWorker(): Plugin {
  return {
    name: 'coffre-shell-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      const template = readFileSync(new URL('./service-worker.js', import.meta.url), 'utf8');
      this.emitFile({
        type: 'asset',
        fileName: WORKER_FILE,
        source: shellWorkerSource(template, shellFiles(Object.keys(bundle))),
      });
    },
  };
}
