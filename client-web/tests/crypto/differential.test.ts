// Differential test against the Rust implementation (hardening 7): thousands of mutants of
// the vectors' envelopes, bodies and payload plaintexts, from a seeded PRNG, must be accepted
// or refused alike by both parsers, with the same code (`malformed` and `non_canonical` are
// interchangeable, protocol section 13). The Rust peer runs once per batch
// (`{"op":"batch","requests":[…]}`, ops `parse` and `verify_envelope`).
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  b64encode,
  CoffreCryptoError,
  decodePaperIndexBody,
  decodePayload,
  type PayloadKind,
  parseEnvelope,
  peekBody,
  type StatementKind,
  verifyStatement,
} from '../../src/crypto';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const TARGET = process.env.CARGO_TARGET_DIR ?? `${REPO}target`;
const PEER_BIN = `${TARGET}/debug/examples/peer`;
const MUTANTS = 6000;
const BATCH = 1500;

// biome-ignore lint/suspicious/noExplicitAny: the vector files are untyped JSON read by shape
type Any = any;
const load = (name: string): Any =>
  JSON.parse(readFileSync(new URL(`../../../crypto/vectors/${name}.json`, import.meta.url), 'utf8'));
const enc = (s: string) => new TextEncoder().encode(s);

/** mulberry32: a small deterministic PRNG (the seed fixes every mutant). */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
  };
}
type Rng = ReturnType<typeof prng>;

const PROTO = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'kind', 'v', 'zz', 'Kind', 'a'];
const NUMBERS = [
  '1.0',
  '-0',
  '-1',
  '01',
  '1e0',
  '1E2',
  '0.5',
  '9007199254740991',
  '9007199254740992',
  '18446744073709551615',
  '18446744073709551616',
  '00',
  '2',
];

/** Members `"key":` positions at depth 1 of a JSON object text (for key-level mutations). */
function keySpans(t: string): [number, number][] {
  const out: [number, number][] = [];
  const re = /"([a-z0-9_]+)":/g;
  for (let m = re.exec(t); m; m = re.exec(t)) out.push([m.index, m.index + m[0].length]);
  return out;
}

function mutateText(t: string, r: Rng): string {
  const spans = keySpans(t);
  switch (r.int(9)) {
    case 0: {
      // rename a key (prototype names included)
      const [a, b] = r.pick(spans);
      return `${t.slice(0, a)}"${r.pick(PROTO)}":${t.slice(b)}`;
    }
    case 1: {
      // duplicate a member (key and a short value copy)
      const m = /"([a-z0-9_]+)":("[^"]*"|[0-9]+|true|false)/g;
      const all = [...t.matchAll(m)];
      if (!all.length) return `${t} `;
      const x = r.pick(all);
      const at = x.index! + x[0].length;
      return `${t.slice(0, at)},${x[0]}${t.slice(at)}`;
    }
    case 2: {
      // swap two adjacent members' keys (reorder)
      if (spans.length < 2) return t;
      const i = r.int(spans.length - 1);
      const [a1, b1] = spans[i]!;
      const [a2, b2] = spans[i + 1]!;
      return t.slice(0, a1) + t.slice(a2, b2) + t.slice(b1, a2) + t.slice(a1, b1) + t.slice(b2);
    }
    case 3: {
      // number edge cases
      const nums = [...t.matchAll(/:([0-9]+)/g)];
      if (!nums.length) return t.replace('"v":1', `"v":${r.pick(NUMBERS)}`);
      const x = r.pick(nums);
      return t.slice(0, x.index! + 1) + r.pick(NUMBERS) + t.slice(x.index! + x[0].length);
    }
    case 4: {
      // a unicode escape inside a string (same value, another encoding), or a lone surrogate
      const strs = [...t.matchAll(/"([A-Za-z0-9_:/.-]{2,})"/g)];
      if (!strs.length) return t;
      const x = r.pick(strs);
      const i = x.index! + 1 + r.int(x[1]!.length);
      const c = t.charCodeAt(i);
      const esc = r.pick([
        `\\u${c.toString(16).padStart(4, '0')}`,
        `\\u${c.toString(16).padStart(4, '0').toUpperCase()}`,
        '\\ud800',
        '\\/',
        '\\u0000',
      ]);
      return t.slice(0, i) + esc + t.slice(i + 1);
    }
    case 5:
      // whitespace
      return t.replace(r.pick([',', ':', '{']), (m) => (r.int(2) ? ` ${m}` : `${m} `));
    case 6:
      // null for a value
      return t.replace(/:("[^"]*"|[0-9]+)/, ':null');
    default:
      return t; // byte-level below
  }
}

function mutateBytes(b: Uint8Array, r: Rng): Uint8Array {
  const i = r.int(Math.max(1, b.length));
  switch (r.int(3)) {
    case 0: {
      const out = b.slice();
      out[i] ^= 1 << r.int(8);
      return out;
    }
    case 1:
      return new Uint8Array([
        ...b.subarray(0, i),
        r.pick([0x22, 0x2c, 0x7b, 0x7d, 0x5c, 0x30, 0x41, 0xc3, 0x80, 0x20]),
        ...b.subarray(i),
      ]);
    default:
      return new Uint8Array([...b.subarray(0, i), ...b.subarray(i + 1)]);
  }
}

/** One change per mutant: a text-level one, or (when that changed nothing) a byte-level one. */
function mutate(text: string, r: Rng): Uint8Array {
  const t = mutateText(text, r);
  return t === text ? mutateBytes(enc(t), r) : enc(t);
}

/** Envelope-level mutations: duplicated or reordered signatures, a mutated body inside. */
function mutateEnvelope(envText: string, r: Rng): Uint8Array {
  const env = JSON.parse(envText);
  const choice = r.int(5);
  if (choice === 0) return enc(JSON.stringify({ body: env.body, sigs: [...env.sigs, env.sigs[0]] }));
  if (choice === 1 && env.sigs.length > 1)
    return enc(JSON.stringify({ body: env.body, sigs: [...env.sigs].reverse() }));
  if (choice === 2) {
    const body = new TextDecoder().decode(
      Uint8Array.from(atob(env.body.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)),
    );
    return enc(JSON.stringify({ body: b64encode(mutate(body, r)), sigs: env.sigs }));
  }
  return mutate(envText, r);
}

interface Case {
  req: { op: string; kind: string; bytes: string; key?: string };
  ts: () => unknown;
  what: string;
}

function tsOutcome(f: () => unknown): string {
  try {
    f();
    return 'ok';
  } catch (e) {
    if (e instanceof CoffreCryptoError) return e.code;
    return `threw ${String(e)}`;
  }
}
const norm = (c: string) => (c === 'non_canonical' ? 'malformed' : c);

/** Not JSON at all (strict UTF-8 and JSON.parse both required). */
function notJson(bytes: Uint8Array): boolean {
  try {
    JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return false;
  } catch {
    return true;
  }
}

/**
 * The one known difference of order: serde_json stops at the first error in document order,
 * so a field-level error (unknown or repeated key, bad key value) *before* a syntax error is
 * reported by Rust, while the TS parser checks the whole syntax first (`malformed`). Two
 * checks fail in such a mutant, so protocol section 13 leaves the order free.
 */
function syntaxAfterFieldError(ts: string, rs: string, bytes: Uint8Array): boolean {
  return (
    ts === 'malformed' &&
    ['unknown_field', 'duplicate_field', 'bad_key', 'wrong_kind', 'unknown_version'].includes(rs) &&
    notJson(bytes)
  );
}

function buildCases(): Case[] {
  const r = prng(0xc0ff3e);
  const st: Any = load('statements');
  const wraps: Any = load('wraps');
  const paper: Any = load('paper');
  const bodies: { kind: StatementKind; text: string }[] = st.cases.map((c: Any) => ({
    kind: c.kind as StatementKind,
    text: c.body_canonical as string,
  }));
  const envelopes: { kind: StatementKind; text: string; key: string }[] = st.cases.map((c: Any) => ({
    kind: c.kind as StatementKind,
    text: c.envelope as string,
    key: c.signers[0].ed25519_public as string,
  }));
  const payloads: { kind: PayloadKind; text: string }[] = [];
  for (const c of wraps.cases) {
    const kind = (() => {
      try {
        return JSON.parse(c.plaintext).kind;
      } catch {
        return undefined;
      }
    })();
    if (['owner_seed', 'category_key', 'org_key_wrap', 'journal_body'].includes(kind))
      payloads.push({ kind, text: c.plaintext });
  }
  for (const c of paper.cases) if (c.meta_plaintext) payloads.push({ kind: 'paper_meta', text: c.meta_plaintext });
  // Index plaintexts: the honest ones and those that break a rule after parsing.
  const indexBodies: string[] = load('index')
    .cases.filter((c: Any) => c.index_plaintext)
    .map((c: Any) => c.index_plaintext);
  const out: Case[] = [];
  for (let n = 0; n < MUTANTS; n++) {
    const which = r.int(5);
    if (which === 0) {
      const b = r.pick(bodies);
      const bytes = mutate(b.text, r);
      out.push({
        what: `body ${b.kind}`,
        req: { op: 'parse', kind: b.kind, bytes: b64encode(bytes) },
        ts: () => peekBody(bytes, b.kind),
      });
    } else if (which === 1) {
      const p = r.pick(payloads);
      const bytes = mutate(p.text, r);
      out.push({
        what: `payload ${p.kind}`,
        req: { op: 'parse', kind: p.kind, bytes: b64encode(bytes) },
        ts: () => decodePayload(p.kind, bytes),
      });
    } else if (which === 2) {
      const e = r.pick(envelopes);
      const bytes = mutateEnvelope(e.text, r);
      out.push({
        what: `envelope`,
        req: { op: 'parse', kind: 'envelope', bytes: b64encode(bytes) },
        ts: () => parseEnvelope(bytes),
      });
    } else if (which === 4) {
      const bytes = mutate(r.pick(indexBodies), r);
      out.push({
        what: 'payload paper_index_body',
        req: { op: 'parse', kind: 'paper_index_body', bytes: b64encode(bytes) },
        ts: () => decodePaperIndexBody(bytes),
      });
    } else {
      const e = r.pick(envelopes);
      const bytes = mutateEnvelope(e.text, r);
      out.push({
        what: `verify ${e.kind}`,
        req: { op: 'verify_envelope', kind: e.kind, key: e.key, bytes: b64encode(bytes) },
        ts: () => verifyStatement(bytes, e.kind, e.key),
      });
    }
  }
  return out;
}

function rustOutcomes(reqs: object[]): string[] {
  const r = spawnSync(PEER_BIN, [], {
    input: JSON.stringify({ op: 'batch', requests: reqs }),
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 256 << 20,
  });
  if (r.status !== 0) throw new Error(`peer exited ${r.status} ${r.signal ?? ''}: ${r.stderr}`);
  const { responses } = JSON.parse(r.stdout) as { responses?: Any[] };
  if (!Array.isArray(responses) || responses.length !== reqs.length)
    throw new Error(`peer has no batch mode: ${r.stdout.slice(0, 200)}`);
  return responses.map((x) => (typeof x.error === 'string' ? x.error : 'ok'));
}

describe('differential: TS and Rust parsers agree on mutants', () => {
  beforeAll(() => {
    execFileSync('cargo', ['build', '-q', '-p', 'coffre-crypto', '--example', 'peer'], {
      cwd: REPO,
      env: { ...process.env, CARGO_TARGET_DIR: TARGET },
      stdio: 'inherit',
      timeout: 900_000,
    });
  }, 900_000);

  it(`${MUTANTS} seeded mutants: same verdict, same code`, () => {
    const cases = buildCases();
    const disagreements: string[] = [];
    const codes = new Map<string, number>();
    let tolerated = 0;
    for (let i = 0; i < cases.length; i += BATCH) {
      const chunk = cases.slice(i, i + BATCH);
      const rust = rustOutcomes(chunk.map((c) => c.req));
      chunk.forEach((c, j) => {
        const ts = tsOutcome(c.ts);
        const rs = rust[j]!;
        codes.set(rs, (codes.get(rs) ?? 0) + 1);
        if (norm(ts) === norm(rs)) return;
        if (
          syntaxAfterFieldError(
            ts,
            rs,
            Uint8Array.from(atob(c.req.bytes.replace(/-/g, '+').replace(/_/g, '/')), (x) => x.charCodeAt(0)),
          )
        ) {
          tolerated++;
          return;
        }
        disagreements.push(`${c.what}: ts=${ts} rust=${rs} ${JSON.stringify(c.req).slice(0, 400)}`);
      });
    }
    // The mutants must exercise many outcomes, not just one.
    expect(codes.get('ok') ?? 0, JSON.stringify([...codes])).toBeGreaterThan(50);
    expect(codes.size, JSON.stringify([...codes])).toBeGreaterThan(8);
    expect(disagreements.slice(0, 30), `${disagreements.length} disagreements`).toEqual([]);
    expect(tolerated, 'syntax-after-field-error mutants should stay rare').toBeLessThan(MUTANTS / 100);
  }, 120_000);
});
