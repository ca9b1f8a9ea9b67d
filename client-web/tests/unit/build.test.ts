// The production build, as the server embeds it: everything under assets/ with hashed
// names, nothing inline (the CSP forbids inline script and style), nothing from another
// origin, and a small first load.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Gzip budget for the first page load (HTML + entry script + CSS + French strings). Was 35 KiB;
 * the papers screens' strings (one translation file per language, ~2.7 KiB gzip more) took it
 * to 38 KiB, their CSS being loaded with their own chunks. Splitting the strings per screen
 * would bring it back down. (The issue's goal for the first screen is 100 KB.)
 */
const FIRST_LOAD_BUDGET_BYTES = 40 * 1024;

const root = fileURLToPath(new URL('../..', import.meta.url));
let outDir: string;
let html: string;
let assets: string[];

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'coffre-build-'));
  await build({ root, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  html = await readFile(join(outDir, 'index.html'), 'utf8');
  assets = await readdir(join(outDir, 'assets'));
}, 60_000);

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

const gzipSize = async (path: string) => gzipSync(await readFile(join(outDir, path)), { level: 9 }).length;

describe('production build', () => {
  it('has no inline script or style in index.html', () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\ssrc="\/assets\//);
      expect(body.trim()).toBe('');
    }
    expect(html).not.toMatch(/<style\b/);
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).not.toMatch(/\son[a-z]+=/); // no inline event handler either
  });

  it('loads only files of its own, under hashed names', () => {
    const references = [...html.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    for (const reference of references)
      expect(reference).toMatch(/^\/(assets\/[\w.-]+-[\w-]{8}\.(js|css)|favicon\.svg)$/);
    for (const file of assets) expect(file).toMatch(/^[\w.-]+-[\w-]{8}\.(js|css)$/);
  });

  it('imports nothing from another origin', async () => {
    // (Any address in a message or comment is harmless; what matters is what gets loaded.
    // The browser suite also watches every request the page makes.)
    const found: string[] = [];
    for (const file of assets) {
      const text = await readFile(join(outDir, 'assets', file), 'utf8');
      const loads = file.endsWith('.css')
        ? [...text.matchAll(/(?:url\(\s*|@import\s+)["']?([^"')\s]+)/g)].map((m) => m[1])
        : [...text.matchAll(/\b(?:import|from)\s*\(?\s*["'`]([^"'`]+)["'`]/g)].map((m) => m[1]);
      for (const url of loads) {
        // pdf.js, in the PDF frame's script: the word import in a list of names, which the pattern takes for a load,
        // and its worker loader's `import(\`${new URL(src, window.location).href}\`)`, never run
        // (the frame hands pdf.js its parser; the frame's own CSP allows no other script).
        if (file.startsWith('pdf-frame-') && /^(,|\$\{new URL\(\w+,window\.location\)\.href\})$/.test(url)) continue;
        if (!/^(\.{0,2}\/(?!\/)|data:)/.test(url)) found.push(`${file}: ${url}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('keeps the first load small', async () => {
    const entry = [...html.matchAll(/\s(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]);
    const french = assets.filter((file) => file.startsWith('fr-')).map((file) => `assets/${file}`);
    expect(french).toHaveLength(1);
    const files = ['index.html', ...entry, ...french];
    const sizes = await Promise.all(files.map(gzipSize));
    const total = sizes.reduce((a, b) => a + b, 0);
    console.info(`first load: ${(total / 1024).toFixed(1)} KiB gzip (${files.join(', ')})`);
    expect(total).toBeLessThan(FIRST_LOAD_BUDGET_BYTES);
  });
});
