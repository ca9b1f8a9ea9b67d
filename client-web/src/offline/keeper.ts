// When this device keeps encrypted copies, and which copies stay valid
// (docs/design/papers-offline.md). Only on a remembered phone: the session is not on a
// shared computer and this device remembers this very coffre ("se souvenir de ce
// téléphone", protocol.md 4.5). Any other session keeps none and drops what is there.
import { rememberedHere } from '../remembered';
import type { Unlocked } from '../session';
import { dropCoffre, dropCopies, keepCopy, keptPapers, type OfflineCopy } from './copies';

/** What pruning reads of a listed paper. */
export interface ListedForCopies {
  id: string;
  contentSha256: string;
  meta: { replaces?: string };
}

export type Remembered = () => Promise<{ coffre: string } | null>;

/** Whether this session may keep copies on this device. */
export async function keepsCopies(
  session: Pick<Unlocked, 'shared' | 'coffre'>,
  remembered: Remembered = rememberedHere,
): Promise<boolean> {
  if (session.shared) return false;
  const here = await remembered().catch(() => null);
  return here?.coffre === session.coffre;
}

/** Keeps the copy of a paper just opened and verified, when this session may. Never throws. */
export async function keepOpened(
  session: Pick<Unlocked, 'shared' | 'coffre'>,
  copy: Omit<OfflineCopy, 'coffre'>,
  remembered?: Remembered,
): Promise<boolean> {
  try {
    if (!(await keepsCopies(session, remembered))) return false;
    return await keepCopy({ ...copy, coffre: session.coffre });
  } catch {
    return false;
  }
}

/**
 * After a verified listing: drops the copies of papers it no longer lists (deleted), whose
 * signed content hash changed, or that a listed paper replaces; every copy when this session
 * may not keep any. Returns the papers whose copies stay. Never throws.
 */
export async function pruneCopies(
  session: Pick<Unlocked, 'shared' | 'coffre'>,
  papers: readonly ListedForCopies[],
  remembered?: Remembered,
): Promise<Set<string>> {
  try {
    if (!(await keepsCopies(session, remembered))) {
      await dropCoffre(session.coffre);
      return new Set();
    }
    const kept = await keptPapers(session.coffre);
    const byId = new Map(papers.map((p) => [p.id, p]));
    const replaced = new Set(
      papers.flatMap((p) => (p.meta.replaces && p.meta.replaces !== p.id ? [p.meta.replaces] : [])),
    );
    const stale = [...kept].filter(([id, hash]) => byId.get(id)?.contentSha256 !== hash || replaced.has(id));
    await dropCopies(
      session.coffre,
      stale.map(([id]) => id),
    );
    return new Set([...kept.keys()].filter((id) => !stale.some(([s]) => s === id)));
  } catch {
    return new Set();
  }
}

/** The papers of the listing this device has a copy of (with the hash the listing verified). */
export async function availableOffline(coffre: string, papers: readonly ListedForCopies[]): Promise<Set<string>> {
  try {
    const kept = await keptPapers(coffre);
    return new Set(papers.filter((p) => kept.get(p.id) === p.contentSha256).map((p) => p.id));
  } catch {
    return new Set();
  }
}

/** The network is not there and this device keeps no valid copy of the paper. */
export class NotKeptOffline extends Error {
  constructor() {
    super('no offline copy of this paper');
    this.name = 'NotKeptOffline';
  }
}
