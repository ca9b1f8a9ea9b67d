// A small typed client for the accounts and papers API (docs/design/accounts.md,
// docs/design/papers-server.md). JSON in and out (raw bytes for a paper's chunks and
// content), same-origin cookies, and the session's CSRF token on every state-changing
// request once it is known. Every failure becomes an ApiError.

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

/** Where an upload stands (`POST /api/uploads`, `GET /api/uploads/{id}`). */
export interface UploadState {
  upload: string;
  content_size: number;
  /** Every chunk but the last has this many bytes. */
  chunk_size: number;
  chunks: number;
  /** Indexes of the chunks the server holds. */
  received: number[];
  expires: number;
}

/** An owner journal entry sent with a paper's commit or deletion (base64url of each file). */
export interface NewEntryBody {
  entry: string;
  body: string;
}

export interface NewPaperBody {
  statement: string;
  meta: string;
  journal: NewEntryBody;
}

export interface PaperGoneBody {
  deletion: string;
  journal: NewEntryBody;
}

export interface PaperRecorded {
  paper: string;
  seq: number;
  receipt: string;
}

/**
 * One paper as the server lists it: what the owner's client checks against its index. Its
 * metadata file comes from `paperMetas`, for the papers the index does not hold.
 */
export interface PaperItem {
  paper: string;
  category: string;
  generation: number;
  content_size: number;
  /** The signed `upload` (b64). */
  statement: string;
  created: number;
}

/** The newest metadata index of one category generation (protocol.md section 6.1). */
export interface IndexItem {
  category: string;
  generation: number;
  /** The owner's `paper_index` (b64). */
  statement: string;
  /** Bytes of the index file. */
  size: number;
}

/** The header that carries a `paper_index` statement (b64) with its file. */
export const INDEX_STATEMENT_HEADER = 'X-Coffre-Index-Statement';

/** At most this many ids per `paperMetas` call. */
export const METAS_PER_REQUEST = 1000;

/** A coffre's space, in bytes. */
export interface Space {
  used: number;
  reserved: number;
  quota: number;
  /** The largest paper the instance takes (content bytes). */
  paper_max: number;
}

export interface PaperList {
  papers: PaperItem[];
  /** The newest index of each category generation that has one. */
  indexes: IndexItem[];
  /** The owner's signed `deletion` statements (b64), oldest first. */
  deletions: string[];
  space: Space;
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
  /** The last listing received and its ETag (`papers()`); dropped with the session. */
  #listing: { etag: string; text: string } | undefined;

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
    if (token === undefined) this.#listing = undefined;
  }

  /**
   * One call. A state-changing request refused with `403 csrf` (this browser still holds a
   * session cookie whose token this tab does not know, e.g. after a reload) learns the token
   * from `GET /api/session` and is sent once more.
   */
  async request<T>(method: Method, path: string, body?: unknown): Promise<T> {
    return this.#withCsrfRetry(method, () => this.#send<T>(method, path, body));
  }

  /** Runs `call`; a state-changing one refused with `403 csrf` learns the token and runs once more. */
  async #withCsrfRetry<T>(method: Method, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 403 && e.code === 'csrf' && STATE_CHANGING.has(method))) throw e;
      await this.probeSession();
      return call();
    }
  }

  /**
   * One HTTP exchange: the CSRF header on state-changing requests, same-origin cookies, no
   * cache; a failure (network, or a status that is not 2xx) becomes an ApiError.
   */
  async #exchange(
    method: Method,
    path: string,
    body: { type: string; data: BodyInit } | undefined,
    accept: string,
    extra: Record<string, string> = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { ...extra, Accept: accept };
    if (body !== undefined) headers['Content-Type'] = body.type;
    if (STATE_CHANGING.has(method) && this.#csrf) headers['X-Coffre-Csrf'] = this.#csrf;
    let response: Response;
    try {
      response = await this.#fetch(`${this.#base}${path}`, {
        method,
        headers,
        credentials: 'same-origin',
        cache: 'no-store',
        body: body?.data,
      });
    } catch (e) {
      throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
    }
    // A 304 only answers a conditional request: the caller holds the listing it names.
    if (!response.ok && !(response.status === 304 && 'If-None-Match' in extra)) {
      const text = await response.text().catch(() => '');
      let error: { code?: unknown; message?: unknown } = {};
      try {
        error = (text === '' ? {} : JSON.parse(text)) ?? {};
      } catch {
        error = {};
      }
      throw new ApiError(
        response.status,
        typeof error.code === 'string' ? error.code : `http_${response.status}`,
        typeof error.message === 'string' ? error.message : response.statusText,
        parseRetryAfter(response.headers.get('Retry-After')),
      );
    }
    return response;
  }

  async #send<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const response = await this.#exchange(
      method,
      path,
      body === undefined ? undefined : { type: 'application/json', data: JSON.stringify(body) },
      'application/json',
    );
    const text = await response.text().catch(() => '');
    if (text === '') return undefined as T;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ApiError(response.status, 'bad_response', 'the answer is not JSON');
    }
    const session = (json as { session?: Partial<SessionInfo> } | null)?.session;
    if (session && typeof session.csrf === 'string') this.#csrf = session.csrf;
    return json as T;
  }

  /** Sends raw bytes (`application/octet-stream`), with the CSRF header and its retry. */
  sendBytes(
    method: 'PUT' | 'POST',
    path: string,
    bytes: Uint8Array,
    headers: Record<string, string> = {},
  ): Promise<void> {
    return this.#withCsrfRetry(method, async () => {
      const response = await this.#exchange(
        method,
        path,
        { type: 'application/octet-stream', data: bytes as Uint8Array<ArrayBuffer> },
        'application/json',
        headers,
      );
      await response.arrayBuffer().catch(() => undefined);
    });
  }

  /** Reads raw bytes (a paper's content file). A cut transfer is `network`. */
  async getBytes(path: string): Promise<Uint8Array> {
    const response = await this.#exchange('GET', path, undefined, 'application/octet-stream');
    try {
      return new Uint8Array(await response.arrayBuffer());
    } catch (e) {
      throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
    }
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
      this.setCsrf(undefined);
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
    this.setCsrf(undefined);
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

  /**
   * Announces an upload of `content_size` bytes of content ciphertext, sent in chunks of
   * `chunkSize` bytes (the server's default, 256 KiB, if left out).
   */
  startUpload(contentSize: number, chunkSize?: number): Promise<UploadState> {
    return this.request('POST', '/api/uploads', { content_size: contentSize, chunk_size: chunkSize });
  }

  upload(id: string): Promise<UploadState> {
    return this.request('GET', `/api/uploads/${encodeURIComponent(id)}`);
  }

  abandonUpload(id: string): Promise<void> {
    return this.request('DELETE', `/api/uploads/${encodeURIComponent(id)}`);
  }

  /** One chunk: exactly `chunk_size` bytes, the last one what is left. */
  putChunk(id: string, idx: number, bytes: Uint8Array): Promise<void> {
    return this.sendBytes('PUT', `/api/uploads/${encodeURIComponent(id)}/chunks/${idx}`, bytes);
  }

  /** Makes the upload a paper: the signed `upload`, the metadata file, the owner's journal entry. */
  commitPaper(id: string, body: NewPaperBody): Promise<PaperRecorded> {
    return this.request('POST', `/api/uploads/${encodeURIComponent(id)}/paper`, body);
  }

  /**
   * The coffre's listing. The last one received is kept with its `ETag` and asked for again
   * with `If-None-Match`: a `304` answers it from here, without the bytes. Either way the
   * caller verifies what it gets (the same checks a fresh listing goes through).
   */
  async papers(): Promise<PaperList> {
    const held = this.#listing;
    const response = await this.#exchange(
      'GET',
      '/api/papers',
      undefined,
      'application/json',
      held ? { 'If-None-Match': held.etag } : {},
    );
    if (response.status === 304 && held) {
      // Read to its (empty) end: a response left unread is cancelled later, a failed request.
      await response.arrayBuffer().catch(() => undefined);
      return JSON.parse(held.text) as PaperList;
    }
    const text = await response.text();
    let answer: PaperList;
    try {
      answer = JSON.parse(text) as PaperList;
    } catch {
      throw new ApiError(response.status, 'bad_response', 'the answer is not JSON');
    }
    const etag = response.headers.get('ETag');
    this.#listing = etag ? { etag, text } : undefined;
    return answer;
  }

  /** The metadata files (b64) of some papers, at most METAS_PER_REQUEST; unknown ids are left out. */
  paperMetas(papers: readonly string[]): Promise<{ metas: { paper: string; meta: string }[] }> {
    return this.request('POST', '/api/papers/metas', { papers });
  }

  /** The index file of a category generation. */
  paperIndex(category: string, generation: number): Promise<Uint8Array> {
    return this.getBytes(`/api/papers/indexes/${encodeURIComponent(category)}/${generation}`);
  }

  /**
   * Replaces a category generation's index: its owner-signed statement (b64) and file, or no
   * file when the statement is over the stored one (a new epoch's signature).
   */
  putPaperIndex(category: string, generation: number, statement: string, file?: Uint8Array): Promise<void> {
    return this.sendBytes(
      'PUT',
      `/api/papers/indexes/${encodeURIComponent(category)}/${generation}`,
      file ?? new Uint8Array(0),
      { [INDEX_STATEMENT_HEADER]: statement },
    );
  }

  /** The content age file of a paper. */
  paperContent(id: string): Promise<Uint8Array> {
    return this.getBytes(`/api/papers/${encodeURIComponent(id)}/content`);
  }

  deletePaper(id: string, body: PaperGoneBody): Promise<PaperRecorded> {
    return this.request('DELETE', `/api/papers/${encodeURIComponent(id)}`, body);
  }
}

/** The app's one client. */
export const api = new Api();
