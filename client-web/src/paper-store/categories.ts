// The coffre's categories as the papers screens need them, from `GET /api/coffre`: every
// generation's certificate verified with the owner key of its epoch (the successions
// followed to this session's key), its key unwrapped with the owner identity and checked
// against the certificate, the newest generation's label opened (its icon and name).
import type { CoffreInfo } from '../api';
import { DEFAULT_CATEGORIES } from '../coffre/categories';
import {
  type CategoryCert,
  type CategoryKey,
  decryptCategoryLabel,
  unwrapCategoryKey,
  verifyCategoryLabel,
  verifyCertStatement,
} from '../crypto/category';
import { b64decode } from '../crypto/encoding';
import { type EpochKey, type EpochSuccession, followSuccessions } from '../crypto/epoch';
import { fail } from '../crypto/errors';
import { openStatement, parseEnvelope, peekBody, preverifyStatements } from '../crypto/statement';
import type { Unlocked } from '../session';

export interface CategoryGeneration {
  generation: number;
  epoch: number;
  /** The owner-signed certificate (envelope bytes), verified. */
  cert: Uint8Array;
  body: CategoryCert;
  key: CategoryKey;
}

export interface PaperCategory {
  id: string;
  /** The label's icon slug (`identity`, `residence`…): also what picks its name and colour. */
  icon: string;
  /** The label's own name (the reference language), for a category the app does not know. */
  name: string;
  /** The newest generation: what a new paper is sealed to. */
  current: CategoryGeneration;
  generations: Map<number, CategoryGeneration>;
}

type Session = Pick<Unlocked, 'instance' | 'coffre' | 'epoch' | 'keys'>;

/**
 * The owner key of each epoch: the successions followed from the first one's `from_key`,
 * which must end at this session's key (`bad_succession` otherwise).
 */
export function ownerKeysByEpoch(session: Session, successions: readonly Uint8Array[]): Map<number, string> {
  const keys = new Map<number, string>();
  const first = successions[0];
  let current: EpochKey = first
    ? { epoch: 0, key: openStatement<EpochSuccession>(first, 'epoch_succession').body.from_key }
    : { epoch: session.epoch, key: session.keys.publicKey };
  keys.set(current.epoch, current.key);
  for (const step of successions) {
    current = followSuccessions(current, [step], { instance: session.instance, coffre: session.coffre });
    keys.set(current.epoch, current.key);
  }
  if (current.epoch !== session.epoch || current.key !== session.keys.publicKey)
    fail('bad_succession', 'the successions do not end at this coffre’s key');
  return keys;
}

const ICON_ORDER: readonly string[] = DEFAULT_CATEGORIES.map((c) => c.icon);

/** The categories, in the order of the ten defaults (any other after them). */
export async function loadCategories(
  session: Session,
  info: Pick<CoffreInfo, 'categories' | 'successions'>,
): Promise<{ categories: PaperCategory[]; ownerKeys: Map<number, string> }> {
  const ownerKeys = ownerKeysByEpoch(
    session,
    info.successions.map((s) => b64decode(s)),
  );
  const ctxOf = (epoch: number) => ({ instance: session.instance, coffre: session.coffre, epoch });
  const certs = info.categories.map((c) => b64decode(c.cert));
  // WebCrypto checks the certificates' signatures at once (the verdicts stay verifyStrict's).
  await preverifyStatements(certs);
  const generations = await Promise.all(
    info.categories.map(async (c, i) => {
      const cert = certs[i] as Uint8Array;
      const peeked = peekBody<CategoryCert>(parseEnvelope(cert).bodyBytes, 'category_cert');
      const owner = ownerKeys.get(peeked.epoch);
      if (owner === undefined) fail('context_mismatch', `no owner key for epoch ${peeked.epoch}`);
      const body = verifyCertStatement(cert, owner, ctxOf(peeked.epoch)).body;
      const key = await unwrapCategoryKey(b64decode(c.wrap), [session.keys.identity], body);
      return { gen: { generation: body.generation, epoch: body.epoch, cert, body, key }, label: c.label, owner };
    }),
  );
  const byId = new Map<string, { gens: Map<number, CategoryGeneration>; newest: (typeof generations)[number] }>();
  for (const g of generations) {
    const id = g.gen.body.category;
    const entry = byId.get(id);
    if (!entry) byId.set(id, { gens: new Map([[g.gen.generation, g.gen]]), newest: g });
    else {
      if (entry.gens.has(g.gen.generation)) fail('context_mismatch', 'a category generation listed twice');
      entry.gens.set(g.gen.generation, g.gen);
      if (g.gen.generation > entry.newest.gen.generation) entry.newest = g;
    }
  }
  // The newest labels opened, their signatures checked by WebCrypto at once, then verified.
  const newest = [...byId.entries()];
  const labels = await Promise.all(
    newest.map(([, n]) => decryptCategoryLabel(b64decode(n.newest.label), [session.keys.identity])),
  );
  await preverifyStatements(labels);
  const categories = newest.map(([id, { gens, newest }], i) => {
    const label = verifyCategoryLabel(labels[i] as Uint8Array, newest.owner, ctxOf(newest.gen.epoch), id);
    return { id, icon: label.icon, name: label.name, current: newest.gen, generations: gens };
  });
  const rank = (c: PaperCategory) => {
    const i = ICON_ORDER.indexOf(c.icon);
    return i < 0 ? ICON_ORDER.length : i;
  };
  categories.sort((a, b) => rank(a) - rank(b));
  return { categories, ownerKeys };
}
