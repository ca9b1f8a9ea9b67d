// The key hints a worker makes for a batch of statements (ed25519.ts, `keyHint`): the message
// protocol of key-hints.worker.ts, kept free of worker globals so it runs in Node's tests too.
// Nothing here decides a verdict: the hints are checked where they are used
// (`acceptKeyHints`), and a key without one is checked in full there.
import { type KeyHint, keyHint } from './ed25519';
import { b64decode } from './encoding';

export interface KeyHintRequest {
  id: number;
  /** The statements' envelopes, as the wire bytes. */
  envelopes: Uint8Array[];
  /** The body fields that hold keys, each a path (`[['member', 'key']]`). */
  fields: string[][];
  /** This worker's share: the keys at positions `part`, `part + parts`, … */
  part: number;
  parts: number;
}

export interface KeyHintResponse {
  id: number;
  hints: KeyHint[];
}

const text = new TextDecoder();
const json = (bytes: Uint8Array): unknown => JSON.parse(text.decode(bytes));

/**
 * The b64 keys at `fields` in the envelopes' bodies, each once, in order of first
 * appearance. Read loosely (the engine's JSON parser, no canonical check): what is read only
 * chooses which keys get a hint; the verifier parses every statement strictly itself.
 */
export function bodyKeys(envelopes: readonly Uint8Array[], fields: readonly (readonly string[])[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const bytes of envelopes) {
    let body: unknown;
    try {
      const env = json(bytes) as { body?: unknown };
      if (typeof env?.body !== 'string') continue;
      body = json(b64decode(env.body));
    } catch {
      continue;
    }
    for (const path of fields) {
      let v: unknown = body;
      for (const k of path)
        v = typeof v === 'object' && v !== null && Object.hasOwn(v, k) ? (v as never)[k] : undefined;
      // 43 characters: the unpadded b64url of 32 bytes.
      if (typeof v === 'string' && v.length === 43 && !seen.has(v)) {
        seen.add(v);
        out.push(v);
      }
    }
  }
  return out;
}

/** The hints of this request's share of the keys (keys that are not acceptable get none). */
export function handleKeyHintRequest(req: KeyHintRequest): KeyHintResponse {
  const hints: KeyHint[] = [];
  const parts = Number.isSafeInteger(req.parts) && req.parts > 0 ? req.parts : 1;
  const part = Number.isSafeInteger(req.part) && req.part >= 0 ? req.part : 0;
  const keys = bodyKeys(Array.isArray(req.envelopes) ? req.envelopes : [], Array.isArray(req.fields) ? req.fields : []);
  for (let i = part; i < keys.length; i += parts) {
    try {
      const h = keyHint(b64decode(keys[i] as string, 32));
      if (h) hints.push(h);
    } catch {
      // not a key: the verifier says why
    }
  }
  return { id: req.id, hints };
}
