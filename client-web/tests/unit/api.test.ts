// The API client: JSON, same-origin cookies, the CSRF header on state-changing requests
// once a session's token is known, and errors mapped to ApiError.
import { describe, expect, it } from 'vitest';
import { Api, ApiError, parseRetryAfter } from '../../src/api';

interface Call {
  url: string;
  init: RequestInit;
}

function mockFetch(responses: (() => Response)[]) {
  const calls: Call[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const next = responses.shift();
    if (!next) throw new Error('no more responses');
    return next();
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

const header = (call: Call, name: string) => (call.init.headers as Record<string, string>)[name];

const SESSION = { coffre: 'c', epoch: 0, csrf: 'token-1', factor: 'carte', shared: false, expires: 1, idle_expires: 1 };

describe('api client', () => {
  it('sends no CSRF header before a session is known, then on every POST/PUT/DELETE but not GET', async () => {
    const { fetch, calls } = mockFetch([
      json(200, { nonce: 'n', expires: 1 }),
      json(201, { session: SESSION }),
      json(200, [{ id: 's' }]),
      () => new Response(null, { status: 204 }),
    ]);
    const api = new Api({ fetch });
    await api.nonce();
    expect(header(calls[0]!, 'X-Coffre-Csrf')).toBeUndefined();
    await api.createCoffre({} as never);
    expect(api.csrf).toBe('token-1');
    expect(await api.sessions()).toEqual([{ id: 's' }]);
    expect(header(calls[2]!, 'X-Coffre-Csrf')).toBeUndefined();
    await api.signOutSession('a/b');
    expect(calls[3]!.url).toBe('/api/sessions/a%2Fb');
    expect(calls[3]!.init.method).toBe('DELETE');
    expect(header(calls[3]!, 'X-Coffre-Csrf')).toBe('token-1');
  });

  it('posts JSON with same-origin credentials', async () => {
    const { fetch, calls } = mockFetch([json(200, { session: SESSION, wrap: 'w' })]);
    const api = new Api({ fetch });
    const body = { auth_key: 'k', nonce: 'n', signature: 's', pin: '1234', device: { label: 'x', shared: true } };
    const answer = await api.signInCarte(body);
    expect(answer.wrap).toBe('w');
    expect(calls[0]!.url).toBe('/api/sessions/carte');
    expect(calls[0]!.init.credentials).toBe('same-origin');
    expect(header(calls[0]!, 'Content-Type')).toBe('application/json');
    expect(JSON.parse(calls[0]!.init.body as string)).toEqual(body);
  });

  it('clears the token when setCsrf(undefined)', async () => {
    const { fetch, calls } = mockFetch([json(200, { nonce: 'n', expires: 1 })]);
    const api = new Api({ fetch });
    api.setCsrf('t');
    api.setCsrf(undefined);
    await api.nonce();
    expect(header(calls[0]!, 'X-Coffre-Csrf')).toBeUndefined();
  });

  it('maps a JSON error to ApiError with its code, and Retry-After to seconds', async () => {
    const { fetch } = mockFetch([
      json(401, { code: 'sign_in_failed', message: 'no' }),
      json(429, { code: 'too_many_attempts', message: 'slow down' }, { 'Retry-After': '120' }),
      json(423, { code: 'carte_locked', message: 'locked' }),
    ]);
    const api = new Api({ fetch });
    const first = await api.signInPassphrase({} as never).catch((e) => e);
    expect(first).toBeInstanceOf(ApiError);
    expect(first).toMatchObject({ status: 401, code: 'sign_in_failed', message: 'no' });
    expect(first.retryAfter).toBeUndefined();
    await expect(api.nonce()).rejects.toMatchObject({ status: 429, code: 'too_many_attempts', retryAfter: 120 });
    await expect(api.nonce()).rejects.toMatchObject({ status: 423, code: 'carte_locked' });
  });

  it('maps a non-JSON error, a network failure and a non-JSON success', async () => {
    const { fetch } = mockFetch([
      () => new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
      () => {
        throw new TypeError('Failed to fetch');
      },
      () => new Response('not json', { status: 200 }),
    ]);
    const api = new Api({ fetch });
    await expect(api.instance()).rejects.toMatchObject({ status: 502, code: 'http_502' });
    await expect(api.instance()).rejects.toMatchObject({ status: 0, code: 'network' });
    await expect(api.instance()).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('probeSession learns the token of a live session, and forgets it on 401', async () => {
    const { fetch } = mockFetch([json(200, { session: SESSION }), json(401, { code: 'unauthenticated', message: '' })]);
    const api = new Api({ fetch });
    expect(await api.probeSession()).toEqual(SESSION);
    expect(api.csrf).toBe('token-1');
    expect(await api.probeSession()).toBeUndefined();
    expect(api.csrf).toBeUndefined();
  });

  it("after 403 csrf, learns the token of the cookie's session and sends the request once more", async () => {
    const { fetch, calls } = mockFetch([
      json(403, { code: 'csrf', message: 'csrf' }),
      json(200, { session: SESSION }),
      json(200, { nonce: 'n', expires: 1 }),
      json(403, { code: 'csrf', message: 'csrf' }),
      json(200, { session: SESSION }),
      json(403, { code: 'csrf', message: 'csrf' }),
    ]);
    const api = new Api({ fetch });
    expect(await api.nonce()).toEqual({ nonce: 'n', expires: 1 });
    expect(calls.map((c) => `${c.init.method} ${c.url} ${header(c, 'X-Coffre-Csrf') ?? '-'}`)).toEqual([
      'POST /api/auth/nonce -',
      'GET /api/session -',
      'POST /api/auth/nonce token-1',
    ]);
    // Only once: a second refusal is the caller's.
    await expect(api.nonce()).rejects.toMatchObject({ status: 403, code: 'csrf' });
    expect(calls).toHaveLength(6);
  });

  it('sign-out forgets the token', async () => {
    const { fetch } = mockFetch([() => new Response(null, { status: 204 })]);
    const api = new Api({ fetch });
    api.setCsrf('t');
    await api.signOut();
    expect(api.csrf).toBeUndefined();
  });

  it('asks for the listing again with its ETag and takes a 304 as the listing it holds', async () => {
    const first = { papers: [{ paper: 'p1' }], indexes: [], deletions: [], space: { used: 1 } };
    const second = { papers: [], indexes: [], deletions: ['d'], space: { used: 0 } };
    const { fetch, calls } = mockFetch([
      json(200, first, { ETag: 'W/"one"' }),
      () => new Response(null, { status: 304, headers: { ETag: 'W/"one"' } }),
      json(200, second, { ETag: 'W/"two"' }),
      json(200, second),
      json(200, second),
    ]);
    const api = new Api({ fetch });
    expect(await api.papers()).toEqual(first);
    expect(header(calls[0]!, 'If-None-Match')).toBeUndefined();
    expect(calls[0]!.init.cache).toBe('no-store');
    // The 304: the listing held.
    expect(await api.papers()).toEqual(first);
    expect(header(calls[1]!, 'If-None-Match')).toBe('W/"one"');
    // A newer listing replaces it; one without an ETag leaves nothing to ask with.
    expect(await api.papers()).toEqual(second);
    expect(header(calls[2]!, 'If-None-Match')).toBe('W/"one"');
    await api.papers();
    expect(header(calls[3]!, 'If-None-Match')).toBe('W/"two"');
    await api.papers();
    expect(header(calls[4]!, 'If-None-Match')).toBeUndefined();
  });

  it('forgets the listing it holds with the session, and takes no 304 it did not ask for', async () => {
    const listing = { papers: [], indexes: [], deletions: [], space: { used: 0 } };
    const { fetch, calls } = mockFetch([
      json(200, listing, { ETag: 'W/"one"' }),
      () => new Response(null, { status: 204 }),
      () => new Response(null, { status: 304 }),
    ]);
    const api = new Api({ fetch });
    await api.papers();
    await api.signOut();
    await expect(api.papers()).rejects.toMatchObject({ status: 304 });
    expect(header(calls[2]!, 'If-None-Match')).toBeUndefined();
  });

  it('reads Retry-After as seconds or as a date', () => {
    expect(parseRetryAfter('30')).toBe(30);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(parseRetryAfter('Tue, 01 Jan 2030 00:02:00 GMT', now)).toBe(120);
  });
});
