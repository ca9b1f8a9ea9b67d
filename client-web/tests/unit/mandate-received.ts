// A mandate as the grantee's list serves it (`GET /api/mandates/received`), for the grantee's
// side of the unit tests (mandate-grantee, mandate-names): a one-day consult mandate on one
// category, signed by `signer` (the owner unless a test forges it), to the person `to`.
import { b64encode } from '../../src/crypto/encoding';
import { type OwnerKeys, randomBytes } from '../../src/crypto/keys';
import { signMandate } from '../../src/crypto/mandate';
import type { MandateItem } from '../../src/mandates/api';

export function receivedMandate(opts: {
  instance: string;
  coffre: string;
  owner: OwnerKeys;
  signer?: OwnerKeys;
  /** The grantee's account. */
  account: string;
  to: OwnerKeys;
  category: string;
  now: number;
  notAfter?: number;
}): MandateItem {
  const { coffre, owner, to, category, now } = opts;
  const id = crypto.randomUUID();
  const notAfter = opts.notAfter ?? now + 86400;
  const statement = signMandate((opts.signer ?? owner).signing, {
    instance: opts.instance,
    coffre,
    epoch: 0,
    mandate: id,
    grantee: { type: 'person', id: opts.account, key: to.publicKey, recipient: to.recipient },
    categories: [category],
    rights: 'consult',
    not_before: now - 60,
    not_after: notAfter,
    text_sha256: b64encode(randomBytes(32)),
    created: now - 60,
  });
  return {
    mandate: id,
    number: 7,
    coffre,
    owner_key: owner.publicKey,
    grantee: { type: 'person', id: opts.account, key: to.publicKey },
    rights: 'consult',
    categories: [category],
    not_before: now - 60,
    not_after: notAfter,
    state: 'in_force',
    days_left: 1,
    statement: b64encode(statement),
    end: null,
  };
}
