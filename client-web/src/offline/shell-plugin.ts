// The Vite plugin that writes the service worker (./service-worker.js) into the build as
// `/sw.js`, with the list of files of the app shell and a version drawn from their names
// (content-hashed: a new build gives a new version). Build only: the dev server has none.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';

export const WORKER_FILE = 'sw.js';

const isPdfFrame = (f: string) => f.startsWith('assets/pdf-frame-');

/**
 * The files the worker keeps when it is installed: index.html, the favicon, and every file of
 * the build under `assets/` but the PDF frame's script (pdf.js, 1.7 MB: kept once a PDF is
 * shown, `lazyFiles`).
 */
export function shellFiles(bundleFiles: readonly string[]): string[] {
  const assets = bundleFiles
    .filter((f) => f.startsWith('assets/') && !isPdfFrame(f))
    .sort()
    .map((f) => `/${f}`);
  return ['/index.html', '/favicon.svg', ...assets];
}

/** The files the worker keeps the first time the app fetches them: the PDF frame's script. */
export function lazyFiles(bundleFiles: readonly string[]): string[] {
  return bundleFiles
    .filter(isPdfFrame)
    .sort()
    .map((f) => `/${f}`);
}

/** The worker's source for these files. */
export function shellWorkerSource(template: string, files: readonly string[], lazy: readonly string[] = []): string {
  const version = createHash('sha256')
    .update([...files, '', ...lazy].join('\n'))
    .digest('hex')
    .slice(0, 16);
  const list = JSON.stringify(files);
  const lazyList = JSON.stringify(lazy);
  if (/['\\]/.test(list + lazyList)) throw new Error('a shell file name the worker cannot carry');
  return template
    .replace('__SHELL_VERSION__', version)
    .replace('__SHELL_FILES__', list)
    .replace('__LAZY_FILES__', lazyList);
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
        source: shellWorkerSource(template, shellFiles(Object.keys(bundle)), lazyFiles(Object.keys(bundle))),
      });
    },
  };
}
