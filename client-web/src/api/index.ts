// A small typed client for the accounts API (docs/design/accounts.md). JSON in and out,
// same-origin cookies, and the session's CSRF token on every state-changing request once it
// is known. Every failure becomes an ApiError.

/** b64 = base64url without padding. Times are Unix seconds. */
export interface InstanceInfo {
  /** The `instance` field of every statement. */
  origin: string;
  rp_id: string;
  server_key: string;
  /** The server's time (Unix seconds): what the client signs as `created` / `not_before`. */
  now: number;
}

export interface SessionInfo {
  coffre: string;
  epoch: number;
  /** `person`, `professional` (aidant, responsable) or `admin`. */
  role?: string;
  csrf: string;
  factor: string;
  shared: boolean;
  /** Opened by a remembered device with the PIN: it cannot change the coffre's keys. */
  remembered?: boolean;
  expires: number;
  idle_expires: number;
  /** The server's idle lifetime for this session (minutes): the client locks after as long. */
  idle_minutes?: number;
}

export interface Device {
  label: string;
  shared: boolean;
}

export interface SessionListItem {
  id: string;
  label: string;
  factor: string;
  shared: boolean;
  created: number;
  last_seen: number;
  current: boolean;
}

export interface CreateCoffreBody {
  coffre: string;
  owner_key: string;
  owner_recipient: string;
  categories: { cert: string; label: string; wrap: string }[];
  carte: { auth_key: string; wrap: string; pin: string; nonce: string; signature: string };
  device: Device;
  /** The token of a one-time invitation link (a professional's or the admin's account). */
  invitation?: string;
}

export interface CarteSignIn {
  auth_key: string;
  nonce: string;
  signature: string;
  pin: string;
  device: Device;
}

export interface PassphraseSignIn {
  auth_key: string;
  nonce: string;
  signature: string;
  device: Device;
}

export interface SignedIn {
  session: SessionInfo;
  /** b64 of the age file that wraps the seed to the factor used. */
  wrap: string;
}

export interface CoffreInfo {
  coffre: string;
  epoch: number;
  owner_key: string;
  owner_recipient: string;
  categories: { cert: string; label: string; wrap: string }[];
  factors: { id: string; kind: string; created: number; last_used: number | null }[];
  /** The coffre's passkeys; `unlocks`: it has a PRF wrap (else it signs in only). */
  passkeys?: PasskeyInfo[];
  /** The coffre's remembered devices ("se souvenir de ce téléphone"). */
  remembered?: { id: string; label: string; created: number; last_used: number | null }[];
  /** `epoch_succession` envelopes (b64), oldest first. */
  successions: string[];
}

export interface PasskeyInfo {
  id: string;
  label: string;
  unlocks: boolean;
  created: number;
  last_used: number | null;
}

/**
 * A WebAuthn ceremony the server started: its id, and webauthn-rs's options
 * (`{publicKey: …}`, binary fields in base64url) for `create()` or `get()`.
 */
export interface Ceremony<T> {
  ceremony: string;
  options: { publicKey: T };
}

export interface PasskeySignedIn {
  session: SessionInfo;
  /** b64 of the age file the PRF output opens; null: this passkey signs in only. */
  wrap: string | null;
  /** With a remembered device's proof: the server's half of its wrap key (b64). */
  server_half?: string | null;
}

export interface AuthProof {
  auth_key: string;
  nonce: string;
  signature: string;
}

/** A failed call: the server's `{code, message}`, or `network` / `bad_response` made here. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Seconds, from `Retry-After` (429). */
  readonly retryAfter?: number;

  constructor(status: number, code: string, message: string, retryAfter?: number) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    if (retryAfter !== undefined) this.retryAfter = retryAfter;
  }
}

/** `Retry-After` in seconds (a number of seconds or an HTTP date), or undefined. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
const STATE_CHANGING: ReadonlySet<Method> = new Set(['POST', 'PUT', 'DELETE']);

export interface ApiOptions {
  fetch?: typeof fetch;
  /** Prefix of every path (tests; the app uses the same origin). */
  base?: string;
}

export class Api {
  readonly #fetch: typeof fetch;
  readonly #base: string;
  #csrf: string | undefined;

  constructor(options: ApiOptions = {}) {
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#base = options.base ?? '';
  }

  /**
   * The CSRF token sent as `X-Coffre-Csrf`: set from every session answer, cleared on sign-out.
   * (Not a secret from this page: `GET /api/session` gives it to any same-origin script.)
   */
  get csrf(): string | undefined {
    return this.#csrf;
  }

  setCsrf(token: string | undefined): void {
    this.#csrf = token;
  }

  /**
   * One call. A state-changing request refused with `403 csrf` (this browser still holds a
   * session cookie whose token this tab does not know, e.g. after a reload) learns the token
   * from `GET /api/session` and is sent once more.
   */
  async request<T>(method: Method, path: string, body?: unknown): Promise<T> {
    try {
      return await this.#send<T>(method, path, body);
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 403 && e.code === 'csrf' && STATE_CHANGING.has(method))) throw e;
      await this.probeSession();
      return this.#send<T>(method, path, body);
    }
  }

  async #send<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (STATE_CHANGING.has(method) && this.#csrf) headers['X-Coffre-Csrf'] = this.#csrf;
    let response: Response;
    try {
      response = await this.#fetch(`${this.#base}${path}`, {
        method,
        headers,
        credentials: 'same-origin',
        cache: 'no-store',
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
    }
    const text = await response.text().catch(() => '');
    let json: unknown;
    if (text !== '') {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    if (!response.ok) {
      const error = (json ?? {}) as { code?: unknown; message?: unknown };
      throw new ApiError(
        response.status,
        typeof error.code === 'string' ? error.code : `http_${response.status}`,
        typeof error.message === 'string' ? error.message : response.statusText,
        parseRetryAfter(response.headers.get('Retry-After')),
      );
    }
    if (text === '') return undefined as T;
    if (json === undefined) throw new ApiError(response.status, 'bad_response', 'the answer is not JSON');
    const session = (json as { session?: Partial<SessionInfo> }).session;
    if (session && typeof session.csrf === 'string') this.#csrf = session.csrf;
    return json as T;
  }

  instance(): Promise<InstanceInfo> {
    return this.request('GET', '/api/instance');
  }

  nonce(): Promise<{ nonce: string; expires: number; now: number }> {
    return this.request('POST', '/api/auth/nonce');
  }

  checkInvitation(token: string): Promise<{ role: string }> {
    return this.request('POST', '/api/invitations/check', { token });
  }

  createCoffre(body: CreateCoffreBody): Promise<{ session: SessionInfo }> {
    return this.request('POST', '/api/coffres', body);
  }

  signInCarte(body: CarteSignIn): Promise<SignedIn> {
    return this.request('POST', '/api/sessions/carte', body);
  }

  signInPassphrase(body: PassphraseSignIn): Promise<SignedIn> {
    return this.request('POST', '/api/sessions/passphrase', body);
  }

  session(): Promise<{ session: SessionInfo }> {
    return this.#send('GET', '/api/session');
  }

  /** Learns the CSRF token of the session this browser's cookie holds, if any. */
  async probeSession(): Promise<SessionInfo | undefined> {
    try {
      return (await this.session()).session;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        this.#csrf = undefined;
        return undefined;
      }
      throw e;
    }
  }

  async signOut(): Promise<void> {
    try {
      await this.request('DELETE', '/api/session');
    } finally {
      this.#csrf = undefined;
    }
  }

  async sessions(): Promise<SessionListItem[]> {
    const answer = await this.request<SessionListItem[] | { sessions: SessionListItem[] }>('GET', '/api/sessions');
    return Array.isArray(answer) ? answer : answer.sessions;
  }

  signOutSession(id: string): Promise<void> {
    return this.request('DELETE', `/api/sessions/${encodeURIComponent(id)}`);
  }

  async signOutEverywhere(): Promise<void> {
    await this.request('DELETE', '/api/sessions');
    this.#csrf = undefined;
  }

  coffre(): Promise<CoffreInfo> {
    return this.request('GET', '/api/coffre');
  }

  journal(
    from = 0,
  ): Promise<{ entries: { seq: number; entry: string; body: string; receipt: string }[]; more: boolean }> {
    return this.request('GET', `/api/journal?from=${from}`);
  }

  journalHead(): Promise<{ next_seq: number; prev: string; time: number }> {
    return this.request('GET', '/api/journal/head');
  }

  appendJournal(body: { entry: string; body: string }): Promise<{ seq: number; receipt: string }> {
    return this.request('POST', '/api/journal', body);
  }

  /** The owner-signed journal checkpoint the server keeps (if any) and the next seq. */
  journalCheckpoint(): Promise<{ checkpoint: string | null; next_seq: number }> {
    return this.request('GET', '/api/journal/checkpoint');
  }

  putJournalCheckpoint(checkpoint: string): Promise<void> {
    return this.request('PUT', '/api/journal/checkpoint', { checkpoint });
  }

  changeEpoch(body: {
    succession: string;
    rewraps: { category: string; generation: number; wrap: string }[];
    categories: { cert: string; label: string; wrap: string }[];
    carte: { auth_key: string; wrap: string; pin: string; nonce: string; signature: string };
    passphrase?: { auth_key: string; wrap: string; nonce: string; signature: string };
  }): Promise<void> {
    return this.request('POST', '/api/coffre/epoch', body);
  }

  startPasskeyRegistration<T>(): Promise<Ceremony<T>> {
    return this.request('POST', '/api/passkeys/registration');
  }

  /** `credential`: the `create()` answer as JSON, PRF results removed. */
  addPasskey(body: { ceremony: string; credential: unknown; wrap?: string; label: string }): Promise<PasskeyInfo> {
    return this.request('POST', '/api/passkeys', body);
  }

  removePasskey(id: string): Promise<void> {
    return this.request('DELETE', `/api/passkeys/${encodeURIComponent(id)}`);
  }

  startPasskeySignIn<T>(): Promise<Ceremony<T>> {
    return this.request('POST', '/api/sessions/passkey/challenge');
  }

  /** `credential`: the `get()` answer as JSON, PRF results removed. */
  signInPasskey(body: {
    ceremony: string;
    credential: unknown;
    device: Device;
    remembered?: AuthProof;
  }): Promise<PasskeySignedIn> {
    return this.request('POST', '/api/sessions/passkey', body);
  }

  /** Remembers this device: the answer carries the server's half, once. */
  remember(body: AuthProof & { label: string }): Promise<{ id: string; server_half: string }> {
    return this.request('POST', '/api/remembered', body);
  }

  forgetDevice(id: string): Promise<void> {
    return this.request('DELETE', `/api/remembered/${encodeURIComponent(id)}`);
  }

  signInRemembered(
    body: AuthProof & { pin: string; device: Device },
  ): Promise<{ session: SessionInfo; server_half: string }> {
    return this.request('POST', '/api/sessions/remembered', body);
  }

  addPassphrase(body: { auth_key: string; wrap: string; nonce: string; signature: string }): Promise<void> {
    return this.request('POST', '/api/coffre/passphrase', body);
  }
}

/** The app's one client. */
export const api = new Api();
