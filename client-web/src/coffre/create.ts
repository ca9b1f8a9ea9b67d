// Everything a new coffre needs, made in the browser (accounts.md, "Opening a coffre"): the
// seed and the epoch-0 owner keys, the coffre id, the carte and its seed wrap, the ten
// categories. Nothing is sent before the carte has been scanned back.
import type { CreateCoffreBody, Device } from '../api';
import { b64encode } from '../crypto/encoding';
import { OwnerKeys, randomBytes } from '../crypto/keys';
import { carteAuthKey, generateCarte, ownerSeedPayload, signAuthChallenge, wrapSeed } from '../crypto/unlock';
import { categoriesBody, type MadeCategory, makeDefaultCategories } from './categories';

export interface NewCoffre {
  instance: string;
  coffre: string;
  epoch: 0;
  seed: Uint8Array;
  keys: OwnerKeys;
  carte: { identity: string; recipient: string };
  carteWrap: Uint8Array;
  categories: MadeCategory[];
}

export async function makeCoffre(instance: string, now: number = Math.floor(Date.now() / 1000)): Promise<NewCoffre> {
  const seed = randomBytes(32);
  const keys = OwnerKeys.fromSeed(seed);
  const coffre = crypto.randomUUID();
  const carte = generateCarte();
  const [carteWrap, categories] = await Promise.all([
    wrapSeed(ownerSeedPayload(coffre, 0, seed), carte.recipient),
    makeDefaultCategories(keys, { instance, coffre, epoch: 0, now }),
  ]);
  return { instance, coffre, epoch: 0, seed, keys, carte, carteWrap, categories };
}

/** The body of `POST /api/coffres`, with the carte's answer to the server's nonce. */
export function createBody(made: NewCoffre, pin: string, nonce: string, device: Device): CreateCoffreBody {
  const authKey = carteAuthKey(made.carte.identity);
  try {
    return {
      coffre: made.coffre,
      owner_key: made.keys.publicKey,
      owner_recipient: made.keys.recipient,
      categories: categoriesBody(made.categories),
      carte: {
        auth_key: authKey.publicB64,
        wrap: b64encode(made.carteWrap),
        pin,
        nonce,
        signature: signAuthChallenge(authKey, made.instance, nonce),
      },
      device,
    };
  } finally {
    authKey.destroy();
  }
}
