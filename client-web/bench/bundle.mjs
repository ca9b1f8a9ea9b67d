// Bundles src/crypto (and bench/harness.ts) into one ES module with Vite's own builder, so
// the benchmarks run the same code the app ships. Output: bench/.out/<name>.mjs
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export const OUT = fileURLToPath(new URL('./.out/', import.meta.url));

export async function bundle(entry, name) {
  await build({
    configFile: false,
    logLevel: 'warn',
    root: fileURLToPath(new URL('..', import.meta.url)),
    build: {
      outDir: OUT,
      emptyOutDir: false,
      minify: false,
      target: 'es2022',
      lib: { entry: fileURLToPath(new URL(entry, import.meta.url)), formats: ['es'], fileName: () => `${name}.mjs` },
      rollupOptions: { external: [] },
    },
  });
  return `${OUT}${name}.mjs`;
}
