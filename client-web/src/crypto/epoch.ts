// Owner-key epochs (spec section 3): succession statements and following them from the
// pinned key.
import { fail } from './errors';
import type { OwnerKeys } from './keys';
import { openStatement, signStatement, verifyStatement } from './statement';

export interface EpochSuccession {
  kind: 'epoch_succession';
  v: 1;
  instance: string;
  coffre: string;
  from_epoch: number;
  from_key: string;
  to_epoch: number;
  to_key: string;
  to_recipient: string;
  authority: 'previous' | 'recovery';
  reason: string;
  created: number;
}

export interface EpochKey {
  epoch: number;
  key: string;
  recipient?: string;
}

/** Epoch e announces epoch e + 1 (`authority: "previous"`). */
export function signSuccession(
  previous: OwnerKeys,
  next: OwnerKeys,
  s: { instance: string; coffre: string; from_epoch: number; reason: string; created: number },
): Uint8Array {
  const body: EpochSuccession = {
    kind: 'epoch_succession',
    v: 1,
    instance: s.instance,
    coffre: s.coffre,
    from_epoch: s.from_epoch,
    from_key: previous.publicKey,
    to_epoch: s.from_epoch + 1,
    to_key: next.publicKey,
    to_recipient: next.recipient,
    authority: 'previous',
    reason: s.reason,
    created: s.created,
  };
  return signStatement(body, previous.signing);
}

/**
 * Follows successions from the pinned key. Each must be signed by the current key
 * (`unauthorised_signer` otherwise) and move exactly one epoch forward. Recovery-signed
 * successions are refused until recovery's threshold rules exist.
 */
export function followSuccessions(
  pinned: EpochKey,
  successions: readonly Uint8Array[],
  ctx: { instance: string; coffre: string },
): EpochKey {
  if (!ctx || typeof ctx.instance !== 'string' || typeof ctx.coffre !== 'string')
    fail('context_mismatch', 'instance and coffre are required');
  let current = pinned;
  for (const bytes of successions) {
    const peek = openStatement<EpochSuccession>(bytes, 'epoch_succession').body;
    if (peek.authority !== 'previous') fail('bad_succession', 'recovery successions are not supported yet');
    const s = verifyStatement<EpochSuccession>(bytes, 'epoch_succession', current.key).body;
    if (s.instance !== ctx.instance) fail('context_mismatch', 'instance');
    // Hardening 6: a succession naming another coffre does not follow from the pinned key.
    if (s.coffre !== ctx.coffre) fail('bad_succession', 'another coffre');
    if (s.from_key !== current.key || s.from_epoch !== current.epoch || s.to_epoch !== current.epoch + 1) {
      fail('bad_succession', `from epoch ${s.from_epoch} to ${s.to_epoch}`);
    }
    current = { epoch: s.to_epoch, key: s.to_key, recipient: s.to_recipient };
  }
  return current;
}
