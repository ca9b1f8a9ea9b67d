// The ten default categories of a new coffre (protocol.md section 5; product.md). Each one
// gets a random v4 id, its own key, an owner-signed certificate, an owner-signed label
// sealed to the owner, and its key wrapped to the owner. The order is shuffled, so the
// order of the ids on the server says nothing about which category is which.

import { generateCategoryKey, sealCategoryLabel, signCategoryCert, wrapCategoryKey } from '../crypto/category';
import { b64encode } from '../crypto/encoding';
import type { OwnerKeys } from '../crypto/keys';
import { uniformIndex } from '../crypto/unlock';

/** `name` is what the label says (French, the reference language); `icon` is a stable slug. */
export const DEFAULT_CATEGORIES = [
  { icon: 'identity', name: 'Identité et état civil' },
  { icon: 'residence', name: 'Séjour' },
  { icon: 'health', name: 'Santé' },
  { icon: 'income', name: 'Ressources et aides' },
  { icon: 'housing', name: 'Logement et domiciliation' },
  { icon: 'work', name: 'Travail et formation' },
  { icon: 'tax-bank', name: 'Impôts et banque' },
  { icon: 'justice', name: 'Justice' },
  { icon: 'family', name: 'Famille et scolarité' },
  { icon: 'other', name: 'Autres' },
] as const;

/** A certificate is valid for ten years (of the calendar) from the coffre's creation. */
export const CERT_LIFETIME_YEARS = 10;

export function tenYearsAfter(seconds: number): number {
  const date = new Date(seconds * 1000);
  date.setUTCFullYear(date.getUTCFullYear() + CERT_LIFETIME_YEARS);
  return Math.floor(date.getTime() / 1000);
}

/** Fisher–Yates with a uniform index function (crypto.getRandomValues by default). */
export function shuffled<T>(items: readonly T[], index: (n: number) => number = uniformIndex): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = index(i + 1);
    const a = out[i] as T;
    out[i] = out[j] as T;
    out[j] = a;
  }
  return out;
}

export interface MadeCategory {
  id: string;
  icon: string;
  name: string;
  /** The signed certificate envelope. */
  cert: Uint8Array;
  /** The label age file (sealed to the owner). */
  label: Uint8Array;
  /** The category key wrapped to the owner. */
  wrap: Uint8Array;
}

export interface CategoryContext {
  instance: string;
  coffre: string;
  epoch: number;
  /** Unix seconds. */
  now: number;
}

async function makeCategory(
  owner: OwnerKeys,
  ctx: CategoryContext,
  def: { icon: string; name: string },
): Promise<MadeCategory> {
  const id = crypto.randomUUID();
  const key = generateCategoryKey();
  const cert = signCategoryCert(owner.signing, {
    instance: ctx.instance,
    coffre: ctx.coffre,
    epoch: ctx.epoch,
    category: id,
    generation: 0,
    recipient: key.recipient,
    not_before: ctx.now,
    not_after: tenYearsAfter(ctx.now),
    created: ctx.now,
  });
  const [label, wrap] = await Promise.all([
    sealCategoryLabel(
      owner.signing,
      {
        instance: ctx.instance,
        coffre: ctx.coffre,
        epoch: ctx.epoch,
        category: id,
        name: def.name,
        icon: def.icon,
        created: ctx.now,
      },
      [owner.recipient],
    ),
    wrapCategoryKey({ coffre: ctx.coffre, category: id, generation: 0, identity: key.identity }, [owner.recipient]),
  ]);
  return { id, icon: def.icon, name: def.name, cert, label, wrap };
}

/** The ten default categories, in shuffled order, made in parallel. */
export function makeDefaultCategories(owner: OwnerKeys, ctx: CategoryContext): Promise<MadeCategory[]> {
  return Promise.all(shuffled(DEFAULT_CATEGORIES).map((def) => makeCategory(owner, ctx, def)));
}

/** As `POST /api/coffres` takes them. */
export function categoriesBody(categories: readonly MadeCategory[]): { cert: string; label: string; wrap: string }[] {
  return categories.map((c) => ({ cert: b64encode(c.cert), label: b64encode(c.label), wrap: b64encode(c.wrap) }));
}
