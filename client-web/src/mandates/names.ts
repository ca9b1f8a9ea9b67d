// The names the owner gives the grantees of its mandates, as this device remembers them: each
// with the `created` of the owner's note it came from, so that an older note the host serves
// back (after a rename) is not taken over a newer one (protocol.md section 8.1).

/** A name the owner gave a grantee, and when the note naming it was made (Unix seconds). */
export interface SavedName {
  name: string;
  /** The note's `created`; 0 for a name cached before the date was kept. */
  created: number;
}

/**
 * This device's cache of the name the owner gave a grantee (nothing on a shared computer),
 * as JSON `{"name":…,"created":…}`; a bare string is a name cached before dates were kept.
 * The source is the owner's note on the mandate, served by the server and verified
 * (`ownerName` in owner.ts): what a new device or a shared computer reads.
 */
export const nameKey = (mandate: string) => `coffre:mandate-name:${mandate}`;

/**
 * What this session has seen, also on a shared computer (where nothing is written): kept
 * in memory with the session object, gone with it.
 */
const seen = new WeakMap<object, Map<string, SavedName>>();

function parsed(raw: string | null): SavedName | undefined {
  if (!raw) return undefined;
  try {
    const v: unknown = JSON.parse(raw);
    if (v && typeof v === 'object') {
      const { name, created } = v as { name?: unknown; created?: unknown };
      if (typeof name === 'string' && name && Number.isSafeInteger(created) && (created as number) >= 0)
        return { name, created: created as number };
      return undefined;
    }
  } catch {
    // not JSON: a bare name, below
  }
  return { name: raw, created: 0 };
}

const newer = (a: SavedName | undefined, b: SavedName | undefined) => (!a ? b : !b ? a : b.created > a.created ? b : a);

/** The newest name this device (or, on a shared computer, this session) knows for a mandate's grantee. */
export function savedNote(session: { shared: boolean }, mandate: string): SavedName | undefined {
  const inSession = seen.get(session)?.get(mandate);
  if (session.shared) return inSession;
  let stored: SavedName | undefined;
  try {
    stored = parsed(localStorage.getItem(nameKey(mandate)));
  } catch {
    stored = undefined;
  }
  return newer(stored, inSession);
}

/** The name this device remembers for a mandate's grantee ('' when none). */
export function savedName(session: { shared: boolean }, mandate: string): string {
  return savedNote(session, mandate)?.name ?? '';
}

/**
 * Remembers a name with its note's `created`, unless this device knows a newer one: for
 * this session, and on this device's storage unless it is a shared computer (a full storage
 * keeps nothing).
 */
export function rememberName(session: { shared: boolean }, mandate: string, name: string, created: number): void {
  if (!name) return;
  const known = savedNote(session, mandate);
  if (known && known.created > created) return;
  const one = { name, created };
  const map = seen.get(session) ?? new Map<string, SavedName>();
  map.set(mandate, one);
  seen.set(session, map);
  if (session.shared) return;
  try {
    localStorage.setItem(nameKey(mandate), JSON.stringify(one));
  } catch {
    // storage full or refused: the note on the server still holds it
  }
}
