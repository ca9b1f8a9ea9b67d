// The names the owner gives the grantees of its mandates, as this device caches them.

/**
 * This device's cache of the name the owner gave a grantee (nothing on a shared computer).
 * The source is the owner's note on the mandate, served by the server and verified
 * (`noteName` in owner.ts): what a new device or a shared computer reads.
 */
export const nameKey = (mandate: string) => `coffre:mandate-name:${mandate}`;

/** The name this device remembers for a mandate's grantee ('' when none, or on a shared computer). */
export function savedName(session: { shared: boolean }, mandate: string): string {
  if (session.shared) return '';
  try {
    return localStorage.getItem(nameKey(mandate)) ?? '';
  } catch {
    return '';
  }
}

/** Caches a name on this device (not on a shared computer; a full storage keeps nothing). */
export function rememberName(session: { shared: boolean }, mandate: string, name: string): void {
  if (session.shared || !name) return;
  try {
    localStorage.setItem(nameKey(mandate), name);
  } catch {
    // storage full or refused: the note on the server still holds it
  }
}
