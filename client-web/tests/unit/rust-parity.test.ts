// The browser's copies of what the Rust side defines, read from the Rust sources themselves:
// the Content-Security-Policy (`vite preview` sends the server's policy) and the protocol's
// error codes (`coffre_crypto::Error::code()` and `ERROR_CODES`).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLIENT_ERROR_CODES, ERROR_CODES, errorName } from '../../src/crypto/errors';
import { CONTENT_SECURITY_POLICY } from '../../vite.config';

const repo = (path: string) => readFileSync(fileURLToPath(new URL(`../../../${path}`, import.meta.url)), 'utf8');

/** The text between `start` and the first `end` after it. */
function between(text: string, start: string, end: string): string {
  const from = text.indexOf(start);
  expect(from, `${start} not found`).toBeGreaterThanOrEqual(0);
  const to = text.indexOf(end, from + start.length);
  expect(to, `${end} after ${start} not found`).toBeGreaterThan(from);
  return text.slice(from + start.length, to);
}

/** Directive name → its sources, sorted (the order of sources has no meaning in CSP). */
type Policy = Record<string, string[]>;

function policyOf(pairs: [string, string][]): Policy {
  const policy: Policy = {};
  for (const [name, value] of pairs) {
    const key = name.toLowerCase();
    expect(policy, `directive ${key} twice`).not.toHaveProperty(key);
    policy[key] = value.split(/\s+/).filter(Boolean).sort();
  }
  return policy;
}

/** `server/src/http/headers.rs`: `CSP_DIRECTIVES: &[(&str, &str)] = &[("name", "value"), …];` */
function rustPolicy(source: string): Policy {
  const table = between(source, 'pub const CSP_DIRECTIVES: &[(&str, &str)] = &[', '];');
  const pairs = [...table.matchAll(/\(\s*"([^"]+)"\s*,\s*"([^"]*)"\s*,?\s*\)/g)].map((m): [string, string] => [
    m[1],
    m[2],
  ]);
  expect(pairs.length, 'directives parsed from headers.rs').toBe(table.match(/\(/g)?.length ?? 0);
  return policyOf(pairs);
}

/** A header value: `name source source; name source; …`. */
function headerPolicy(header: string): Policy {
  const pairs = header
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part): [string, string] => {
      const [name, ...sources] = part.split(/\s+/);
      return [name, sources.join(' ')];
    });
  return policyOf(pairs);
}

/** `crypto/src/error.rs`: the arms `Error::Variant… => "code",` of `fn code(&self)`. */
function rustErrorCodes(source: string): { variant: string; code: string }[] {
  const body = between(source, "pub fn code(&self) -> &'static str {", '\n    }\n');
  const arms = [...body.matchAll(/Error::(\w+)\b[^=]*=>\s*"([^"]+)"/g)].map((m) => ({ variant: m[1], code: m[2] }));
  expect(arms.length, 'match arms parsed from error.rs').toBe(body.match(/=>/g)?.length ?? 0);
  return arms;
}

describe('the Content-Security-Policy', () => {
  it('is the same in vite.config.ts (vite preview) as the server sends', () => {
    const server = rustPolicy(repo('server/src/http/headers.rs'));
    expect(Object.keys(server)).toContain('script-src');
    expect(headerPolicy(CONTENT_SECURITY_POLICY)).toEqual(server);
  });

  it('is compared directive by directive', () => {
    const rust =
      'pub const CSP_DIRECTIVES: &[(&str, &str)] = &[\n    ("script-src", "\'self\'"),\n    ("img-src", "\'self\' blob:"),\n];';
    expect(rustPolicy(rust)).toEqual(headerPolicy("img-src blob: 'self'; script-src 'self'"));
    expect(rustPolicy(rust)).not.toEqual(headerPolicy("script-src 'self'; img-src 'self'"));
    expect(rustPolicy(rust)).not.toEqual(headerPolicy("script-src 'self' 'unsafe-inline'; img-src 'self' blob:"));
  });
});

describe('the protocol error codes', () => {
  it('ERROR_CODES lists exactly the codes of coffre_crypto::Error::code()', () => {
    const rust = rustErrorCodes(repo('crypto/src/error.rs'));
    expect(rust.length).toBeGreaterThan(10);
    const rustCodes = rust.map((arm) => arm.code);
    const onlyInRust = rustCodes.filter((code) => !(ERROR_CODES as readonly string[]).includes(code));
    const onlyInTypeScript = ERROR_CODES.filter((code) => !rustCodes.includes(code));
    expect({ onlyInRust, onlyInTypeScript }).toEqual({ onlyInRust: [], onlyInTypeScript: [] });
    expect(new Set(ERROR_CODES).size, 'no code twice in ERROR_CODES').toBe(ERROR_CODES.length);
  });

  it('names each code after its Rust variant, as errorName() expects', () => {
    const rust = rustErrorCodes(repo('crypto/src/error.rs'));
    expect(rust.filter(({ variant, code }) => errorName(code) !== variant)).toEqual([]);
  });

  it('keeps the browser-only codes out of the Rust enum', () => {
    const rustCodes = rustErrorCodes(repo('crypto/src/error.rs')).map((arm) => arm.code);
    expect(CLIENT_ERROR_CODES.filter((code) => rustCodes.includes(code))).toEqual([]);
  });

  it('reads every arm, including variants with fields', () => {
    const source = `impl Error {
    pub fn code(&self) -> &'static str {
        match self {
            Error::TooLarge { .. } => "too_large",
            Error::NonCanonical(_) => "non_canonical",
            Error::Fork => "fork",
        }
    }
}`;
    expect(rustErrorCodes(source)).toEqual([
      { variant: 'TooLarge', code: 'too_large' },
      { variant: 'NonCanonical', code: 'non_canonical' },
      { variant: 'Fork', code: 'fork' },
    ]);
  });
});
