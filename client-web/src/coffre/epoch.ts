// A lost carte (docs/design/accounts.md, "A lost carte"): everything a new owner epoch needs,
// made in the browser from the unlocked coffre — a new seed and owner keys, the succession
// signed by the current key, every category key re-wrapped to the new owner, one new
// generation per category (certificate and label signed by the new key), a new carte and
// new six words (the old ones wrap the old seed and cannot be re-wrapped without them).
import type { CoffreInfo } from '../api';
import {
  type CategoryCert,
  CategoryKey,
  type CategoryKeyPayload,
  generateCategoryKey,
  openCategoryLabel,
  sealCategoryLabel,
  signCategoryCert,
  verifyCertStatement,
  wrapCategoryKey,
} from '../crypto/category';
import { b64decode, b64encode } from '../crypto/encoding';
import { signSuccession } from '../crypto/epoch';
import { OwnerKeys, randomBytes } from '../crypto/keys';
import { openPayload } from '../crypto/payload';
import { parseEnvelope, peekBody } from '../crypto/statement';
import {
  carteAuthKey,
  generateCarte,
  generatePassphrase,
  ownerSeedPayload,
  signAuthChallenge,
  wrapSeed,
} from '../crypto/unlock';
import type { Unlocked } from '../session';
import { tenYearsAfter } from './categories';

export interface MadeEpoch {
  instance: string;
  coffre: string;
  epoch: number;
  seed: Uint8Array;
  keys: OwnerKeys;
  carte: { identity: string; recipient: string };
  carteWrap: Uint8Array;
  /** New six words, shown once (the server gets only their auth key and wrap). */
  words: string;
  succession: Uint8Array;
  rewraps: { category: string; generation: number; wrap: string }[];
  categories: { cert: string; label: string; wrap: string }[];
}

/** Makes the new epoch from the coffre as the server serves it (checked here first). */
export async function makeNewEpoch(session: Unlocked, info: CoffreInfo, now: number): Promise<MadeEpoch> {
  const seed = randomBytes(32);
  const keys = OwnerKeys.fromSeed(seed);
  const epoch = session.epoch + 1;
  const ctx = { instance: session.instance, coffre: session.coffre, epoch: session.epoch };
  const next = { ...ctx, epoch };
  const succession = signSuccession(session.keys, keys, {
    instance: session.instance,
    coffre: session.coffre,
    from_epoch: session.epoch,
    reason: 'carte_lost',
    created: now,
  });
  // The newest generation of each category is the current epoch's: its certificate and
  // label verify with the current key. Older ones only need their key checked against
  // their certificate before it is re-wrapped.
  const latest = new Map<string, { cert: CategoryCert; label: string }>();
  const rewraps = await Promise.all(
    info.categories.map(async (c) => {
      const certBytes = b64decode(c.cert);
      const cert = peekBody<CategoryCert>(parseEnvelope(certBytes).bodyBytes, 'category_cert');
      if (cert.epoch === session.epoch) verifyCertStatement(certBytes, session.keys.publicKey, ctx);
      const payload = await openPayload<CategoryKeyPayload>('category_key', b64decode(c.wrap), [session.keys.identity]);
      CategoryKey.checked(payload, cert);
      const seen = latest.get(cert.category);
      if (!seen || seen.cert.generation < cert.generation) latest.set(cert.category, { cert, label: c.label });
      const wrap = await wrapCategoryKey(payload, [keys.recipient]);
      return { category: cert.category, generation: cert.generation, wrap: b64encode(wrap) };
    }),
  );
  const categories = await Promise.all(
    [...latest.values()].map(async ({ cert, label }) => {
      const old = await openCategoryLabel(b64decode(label), [session.keys.identity], session.keys.publicKey, ctx);
      const ck = generateCategoryKey();
      const generation = cert.generation + 1;
      const newCert = signCategoryCert(keys.signing, {
        ...next,
        category: cert.category,
        generation,
        recipient: ck.recipient,
        not_before: now,
        not_after: tenYearsAfter(now),
        created: now,
      });
      const [newLabel, wrap] = await Promise.all([
        sealCategoryLabel(
          keys.signing,
          { ...next, category: cert.category, name: old.name, icon: old.icon, created: now },
          [keys.recipient],
        ),
        wrapCategoryKey({ coffre: session.coffre, category: cert.category, generation, identity: ck.identity }, [
          keys.recipient,
        ]),
      ]);
      return { cert: b64encode(newCert), label: b64encode(newLabel), wrap: b64encode(wrap) };
    }),
  );
  const carte = generateCarte();
  const carteWrap = await wrapSeed(ownerSeedPayload(session.coffre, epoch, seed), carte.recipient);
  return {
    instance: session.instance,
    coffre: session.coffre,
    epoch,
    seed,
    keys,
    carte,
    carteWrap,
    words: generatePassphrase(),
    succession,
    rewraps,
    categories,
  };
}

/** The carte part of `POST /api/coffre/epoch`, answering `nonce`. */
export function carteBody(made: MadeEpoch, pin: string, nonce: string) {
  const authKey = carteAuthKey(made.carte.identity);
  try {
    return {
      auth_key: authKey.publicB64,
      wrap: b64encode(made.carteWrap),
      pin,
      nonce,
      signature: signAuthChallenge(authKey, made.instance, nonce),
    };
  } finally {
    authKey.destroy();
  }
}
