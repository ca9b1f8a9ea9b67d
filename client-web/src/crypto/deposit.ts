// Deposit receipts (hardening 3): the server's signed word on when it accepted an upload.
// A reader opening an upload made under a mandate checks the mandate window, its
// revocations and renunciations, and the category certificate's window at the receipt's
// `time`, never at the uploader's own `created`.
import { b64encode } from './encoding';
import { fail } from './errors';
import type { SigningKey } from './keys';
import type { Upload } from './paper';
import { type Context, expectContext, signStatement, type Verified, verifyStatement } from './statement';

export interface DepositReceipt {
  kind: 'deposit_receipt';
  v: 1;
  instance: string;
  coffre: string;
  paper: string;
  /** statement_hash of the upload envelope (b64). */
  upload: string;
  /** When the server accepted the upload. */
  time: number;
}

/** The server signs, when it accepts an upload, the receipt of that exact upload envelope. */
export function signDepositReceipt(server: SigningKey, upload: Verified<Upload>, time: number): Uint8Array {
  const u = upload.body;
  const body: DepositReceipt = {
    kind: 'deposit_receipt',
    v: 1,
    instance: u.instance,
    coffre: u.coffre,
    paper: u.paper,
    upload: b64encode(upload.hash),
    time,
  };
  return signStatement(body, server);
}

/**
 * A receipt by the instance's server key for exactly this upload: instance and coffre of the
 * context (`context_mismatch`), the upload's paper (`paper_id_mismatch`) and its statement
 * hash (`hash_mismatch`).
 */
export function verifyDepositReceipt(
  envelope: Uint8Array,
  serverKey: string,
  ctx: Context,
  upload: Verified<Upload>,
): Verified<DepositReceipt> {
  const v = verifyStatement<DepositReceipt>(envelope, 'deposit_receipt', serverKey);
  expectContext(v.body, ctx);
  if (v.body.paper !== upload.body.paper) fail('paper_id_mismatch', 'deposit receipt of another paper');
  if (v.body.upload !== b64encode(upload.hash)) fail('hash_mismatch', 'deposit receipt of another upload');
  return v;
}
