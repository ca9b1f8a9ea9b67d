// The owner's side of deposits (docs/design/mandates-screens.md): the papers a grantee put
// in this coffre under a deposit mandate are opened with the mandate as `UploaderPolicy`
// (protocol.md section 6: the grantee's upload statement, the server's deposit receipt
// dating it, the mandate in force then) and shown « Déposé par … ». Loaded by the papers
// store only when the host lists an upload that names a mandate.
import { api } from '../api';
import { b64decode } from '../crypto/encoding';
import { CoffreCryptoError } from '../crypto/errors';
import { openMandate } from '../crypto/mandate';
import type { MandateGrant, UploaderPolicy } from '../crypto/paper';
import { preverifyStatements } from '../crypto/statement';
import type { Unlocked } from '../session';
import { type MandatesApi, mandatesApi } from './api';
import { endsOf, granteeSide } from './owner';

export interface DepositPolicy {
  /** The deposit mandates this coffre gave, verified, and the instance's server key. */
  policy: Omit<UploaderPolicy, 'owner'>;
  /** The deposit receipt of each deposited paper (by paper id). */
  receipts: Map<string, Uint8Array>;
  /** Mandate id → its number (« mandat n° 12 »). */
  numbers: Map<string, number>;
  /** Mandate id → the organisation's name, for a mandate to an organisation (as the server names it). */
  organisations?: Map<string, string>;
}

/**
 * The deposit mandates this coffre gave, each verified with the owner key (a mandate that
 * does not verify is left out: its deposits are then refused), who may sign under each,
 * their ends, and the deposit receipts the server keeps for them.
 */
export async function loadDepositPolicy(session: Unlocked, m: MandatesApi = mandatesApi): Promise<DepositPolicy> {
  const [{ given }, instance] = await Promise.all([m.list(), api.instance()]);
  const ctx = { instance: session.instance, coffre: session.coffre, epoch: session.epoch };
  const mandates: MandateGrant[] = [];
  const receipts = new Map<string, Uint8Array>();
  const numbers = new Map<string, number>();
  await preverifyStatements(given.flatMap((item) => (item.rights === 'consult' ? [] : [item.statement, item.end])));
  const organisations = new Map<string, string>();
  for (const item of given) {
    numbers.set(item.mandate, item.number);
    if (item.rights === 'consult') continue;
    try {
      const mandate = openMandate(b64decode(item.statement), session.keys.publicKey, ctx, item.grantee.key);
      const { signers, org, orgName } = await granteeSide(session, mandate.body);
      if (orgName) organisations.set(item.mandate, orgName);
      mandates.push({ mandate, keys: signers, ends: endsOf(item, session, mandate, org) });
      for (const d of (await m.deposits(item.mandate)).deposits) receipts.set(d.paper, b64decode(d.deposit_receipt));
    } catch (e) {
      if (!(e instanceof CoffreCryptoError)) throw e;
    }
  }
  return { policy: { mandates, serverKey: instance.server_key }, receipts, numbers, organisations };
}
