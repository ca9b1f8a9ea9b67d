// A paper and its older versions (protocol.md section 6, `replaces`): the list shows the
// newest version of each paper, the ones it replaces (and those they replace…) under it as
// its history, newest first, until they are deleted. Deleting the newest version makes the
// one before it the newest again: nothing here is stored, it is worked out from the
// metadata every time the list is read.

/** What the grouping reads of a listed paper. */
export interface Versioned {
  id: string;
  meta: { replaces?: string };
  item: { created: number };
}

export interface PaperVersions<P extends Versioned> {
  /** The newest version. */
  paper: P;
  /** The versions it replaces, newest first. */
  older: P[];
}

/**
 * Groups `papers` (in the order shown) by version. A paper replaced by a listed paper is
 * not a group of its own; two papers replacing the same one each stay a group (the older
 * one goes under the first, in `papers`' order). A loop of papers replacing each other
 * (which only the owner could sign) is shown as it is, each paper on its own.
 */
export function groupVersions<P extends Versioned>(papers: readonly P[]): PaperVersions<P>[] {
  const byId = new Map(papers.map((p) => [p.id, p]));
  const replaced = new Set<string>();
  for (const p of papers) {
    if (p.meta.replaces && p.meta.replaces !== p.id && byId.has(p.meta.replaces)) replaced.add(p.meta.replaces);
  }
  const placed = new Set<string>();
  const groups: PaperVersions<P>[] = [];
  for (const p of papers) {
    if (replaced.has(p.id)) continue;
    placed.add(p.id);
    const older: P[] = [];
    for (let at = byId.get(p.meta.replaces ?? ''); at && !placed.has(at.id); at = byId.get(at.meta.replaces ?? '')) {
      placed.add(at.id);
      older.push(at);
    }
    groups.push({ paper: p, older });
  }
  // Whatever no newest version reached (a loop): each on its own.
  for (const p of papers) if (!placed.has(p.id)) groups.push({ paper: p, older: [] });
  return groups;
}

/** The listed paper that replaces `id`, if any (the newer version of a paper shown). */
export function newerVersion<P extends Versioned>(papers: readonly P[], id: string): P | undefined {
  return papers.find((p) => p.meta.replaces === id && p.id !== id);
}
