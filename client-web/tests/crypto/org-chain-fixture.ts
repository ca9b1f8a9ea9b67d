// A chain of n members (a root, three responsables, then aidants), optionally with a member
// key outside the acceptance set at one seq: shared by tests/crypto/key-hints.test.ts and the
// browser page tests/browser/key-hints-page.ts (so it imports nothing of vitest).
import {
  b64encode,
  generateIdentity,
  type Member,
  recipientOf,
  SigningKey,
  signOrgChainEntry,
  statementHash,
} from '../../src/crypto';
import { canonicalEncode } from '../../src/crypto/encoding';
import { signedMessage } from '../../src/crypto/statement';
import { mixedKey } from './ed25519-cases';

const INSTANCE = 'http://localhost:8080';
const T0 = 1_780_000_000;
export const ORG = '11111111-2222-4333-8444-555555555555';
export const ORG_CTX = { instance: INSTANCE, organisation: ORG };
const key = (n: number) => new SigningKey(new Uint8Array(32).fill(n));
/** The n-th aidant's key (no byte pattern of `key`'s). */
const aidant = (n: number) =>
  new SigningKey(Uint8Array.from({ length: 32 }, (_, i) => (i < 2 ? (n >> (8 * i)) & 255 : 201)));
export const ROOT = key(100).publicB64;

/** A chain founded by the root, three responsables, then aidants up to `n` members. */
export function chainOf(n: number, badAt?: number): Uint8Array[] {
  const root = key(100);
  const [a, b, c] = [key(101), key(102), key(103)];
  const out: Uint8Array[] = [];
  const prev = () => b64encode(out.length ? statementHash(out[out.length - 1] as Uint8Array) : new Uint8Array(32));
  const member = (k: Uint8Array, role: Member['role']): Member => ({
    key: b64encode(k),
    recipient: recipientOf(generateIdentity()),
    role,
  });
  const entry = (m: Member) => ({
    instance: INSTANCE,
    organisation: ORG,
    seq: out.length,
    prev: prev(),
    action: out.length === 0 ? ('found' as const) : ('add_member' as const),
    member: m,
    created: T0 + out.length,
  });
  out.push(signOrgChainEntry(entry(member(a.publicKey, 'responsable')), root));
  out.push(signOrgChainEntry(entry(member(b.publicKey, 'responsable')), a));
  out.push(signOrgChainEntry(entry(member(c.publicKey, 'responsable')), a, b));
  while (out.length < n) {
    const signers = [out.length % 2 ? a : b, c];
    if (out.length !== badAt) {
      out.push(signOrgChainEntry(entry(member(aidant(out.length).publicKey, 'aidant')), ...signers));
      continue;
    }
    // signStatement refuses a body with a bad key: this one is signed by hand, as an attacker would.
    const body = { ...entry(member(mixedKey, 'aidant')), kind: 'org_chain', v: 1 };
    const bodyBytes = canonicalEncode(body);
    const sigs = signers
      .map((s) => ({ key: s.publicB64, sig: b64encode(s.sign(signedMessage(bodyBytes))) }))
      .sort((x, y) => (x.key < y.key ? -1 : 1));
    out.push(canonicalEncode({ body: b64encode(bodyBytes), sigs }));
  }
  return out;
}
