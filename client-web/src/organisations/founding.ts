// The founding link's token, kept in this tab (sessionStorage) between the link and the
// moment the account is open: the unlocked keys live in memory only, so the responsable
// opens the link, signs in, and comes back from the coffre home to found.
const KEY = 'coffre:founding-token';

export function keepFoundingToken(token: string): void {
  try {
    sessionStorage.setItem(KEY, token);
  } catch {
    // Storage refused: the link must then be opened once the account is open.
  }
}

export function foundingToken(): string | null {
  try {
    const token = sessionStorage.getItem(KEY);
    return token && /^[A-Za-z0-9_-]{43}$/.test(token) ? token : null;
  } catch {
    return null;
  }
}

export function forgetFoundingToken(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // nothing kept
  }
}
