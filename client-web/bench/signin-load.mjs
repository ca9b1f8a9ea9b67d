// Sign-ins per second on one `coffre serve` over loopback, rate limits on (they are always on).
// Starts the real server (tests/browser/server.mjs: COFFRE_TEST_BIN, default
// target/debug/coffre, a fresh SQLite data directory) and, from Node, with the client's own
// code (src/coffre/create.ts, src/crypto/unlock.ts, bundled by Vite):
//  0. reference: GET /api/health, C concurrent keep-alive clients;
//  1. Argon2 per PIN check: one client, one after the other, an unknown carte on
//     /api/sessions/carte (the server runs a dummy Argon2 verification) against an unknown key
//     on /api/sessions/passphrase (the same path without Argon2); the difference is Argon2;
//  2. sign-ins completed per second before any limit: K coffres opened first, then nonce +
//     carte + PIN sign-ins, C concurrent, every coffre signing in 10 times (the per-key
//     limit) and every source address at most 25 times (under the per-IP limits);
//  3. requests answered per second including 429s: C concurrent clients from ONE address and
//     ONE carte, nonce + sign-in in a bounded loop; past the first 30 sign-ins (per IP) and
//     60 nonces, every answer is a 429.
// Distinct clients use distinct loopback source addresses (127.0.x.y): the server sees them
// as distinct IPs, as it would distinct people. Only loopback is ever contacted.
// Usage: node bench/signin-load.mjs [concurrency=16] [coffres=24] [floodRequests=3000]
import http from 'node:http';
import { startServer } from '../tests/browser/server.mjs';
import { bundle } from './bundle.mjs';

const C = Number(process.argv[2] ?? 16);
const K = Number(process.argv[3] ?? 24);
const FLOOD = Number(process.argv[4] ?? 3000);
const PIN = '73915604';
const PER_KEY = 10;
const PER_IP = 25;

const client = await import(await bundle('./load-entry.ts', 'load-entry'));
const server = await startServer();
const { port } = new URL(server.baseUrl);

let nextIp = 2;
/** A fresh loopback source address, with its own keep-alive agent. */
function newAddress() {
  const n = nextIp++;
  const ip = `127.0.${Math.floor(n / 250)}.${(n % 250) + 1}`;
  return { ip, agent: new http.Agent({ keepAlive: true, localAddress: ip }) };
}

/** One request; resolves to {status, body}. */
function call(from, method, path, body) {
  const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: from.agent,
        localAddress: from.ip,
        headers: data ? { 'content-type': 'application/json', 'content-length': data.length } : {},
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          resolve({ status: res.statusCode, body: text.startsWith('{') ? JSON.parse(text) : text });
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

/** Runs `tasks` (functions) with `c` at a time; returns the wall time in ms. */
async function pool(tasks, c) {
  let i = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: c }, async () => {
      while (i < tasks.length) await tasks[i++]();
    }),
  );
  return performance.now() - t0;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const device = { label: 'bench', shared: false };
const local = newAddress();
const { origin: instance, now } = (await call(local, 'GET', '/api/instance')).body;

/** A signed carte challenge for `identity`, from `from`'s own nonce. */
async function carteChallenge(from, identity) {
  const n = await call(from, 'POST', '/api/auth/nonce');
  if (n.status !== 200) return { status: n.status };
  const key = client.carteAuthKey(identity);
  const signed = {
    auth_key: key.publicB64,
    nonce: n.body.nonce,
    signature: client.signAuthChallenge(key, instance, n.body.nonce),
  };
  key.destroy();
  return { status: 200, signed };
}

try {
  console.log(`coffre serve on ${server.baseUrl}; ${C} concurrent clients; Node ${process.version}`);

  // 0. reference: GET /api/health
  {
    const from = newAddress();
    await pool(
      Array.from({ length: 200 }, () => () => call(from, 'GET', '/api/health')),
      C,
    );
    const n = 4000;
    const ms = await pool(
      Array.from({ length: n }, () => () => call(from, 'GET', '/api/health')),
      C,
    );
    console.log(`\nref: GET /api/health: ${n} requests in ${ms.toFixed(0)} ms = ${((n / ms) * 1000).toFixed(0)} req/s`);
  }

  // 1. Argon2 per PIN check, sequential
  {
    const carte = [];
    const phrase = [];
    let from = newAddress();
    for (let i = 0; i < 20; i++) {
      if (i % 10 === 0) from = newAddress(); // 2 sign-in attempts per round; ≤ 30 per IP
      const stranger = client.generateCarte().identity;
      let c = await carteChallenge(from, stranger);
      let t0 = performance.now();
      const a = await call(from, 'POST', '/api/sessions/carte', { ...c.signed, pin: PIN, device });
      carte.push(performance.now() - t0);
      c = await carteChallenge(from, client.generateCarte().identity);
      t0 = performance.now();
      const b = await call(from, 'POST', '/api/sessions/passphrase', { ...c.signed, device });
      phrase.push(performance.now() - t0);
      if (a.status !== 401 || b.status !== 401) throw new Error(`expected 401s, got ${a.status} ${b.status}`);
    }
    const [mc, mp] = [median(carte.slice(2)), median(phrase.slice(2))];
    console.log(
      `\nArgon2 per PIN check (unknown carte ${mc.toFixed(1)} ms − unknown passphrase key ${mp.toFixed(1)} ms, medians of 18, one client): ${(mc - mp).toFixed(1)} ms`,
    );
  }

  // 2. completed sign-ins per second, under every limit
  {
    const t0 = performance.now();
    const cartes = [];
    await pool(
      Array.from({ length: K }, () => async () => {
        const from = newAddress(); // 10 coffres per IP per hour
        const made = await client.makeCoffre(instance, now);
        const n = await call(from, 'POST', '/api/auth/nonce');
        const r = await call(from, 'POST', '/api/coffres', client.createBody(made, PIN, n.body.nonce, device));
        if (r.status !== 201) throw new Error(`create: ${r.status} ${JSON.stringify(r.body)}`);
        cartes.push(made.carte.identity);
      }),
      2,
    );
    console.log(`\nopened ${K} coffres in ${((performance.now() - t0) / 1000).toFixed(1)} s (client crypto included)`);
    // Each carte signs in PER_KEY - 1 more times (its creation counted once against its key).
    const jobs = [];
    let from = newAddress();
    let used = 0;
    for (let round = 0; round < PER_KEY - 1; round++) {
      for (const identity of cartes) {
        if (used++ === PER_IP) {
          from = newAddress();
          used = 1;
        }
        jobs.push({ from, identity });
      }
    }
    const statuses = {};
    const latencies = [];
    const ms = await pool(
      jobs.map(({ from, identity }) => async () => {
        const t = performance.now();
        const c = await carteChallenge(from, identity);
        const r =
          c.status === 200 ? await call(from, 'POST', '/api/sessions/carte', { ...c.signed, pin: PIN, device }) : c;
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        latencies.push(performance.now() - t);
      }),
      C,
    );
    const ok = statuses[200] ?? 0;
    latencies.sort((a, b) => a - b);
    console.log(
      `completed sign-ins (nonce + carte + PIN): ${ok} of ${jobs.length} in ${ms.toFixed(0)} ms = ${((ok / ms) * 1000).toFixed(1)} sign-ins/s; statuses ${JSON.stringify(statuses)}; latency median ${median(latencies).toFixed(0)} ms, p95 ${latencies[Math.floor(latencies.length * 0.95)].toFixed(0)} ms`,
    );
  }

  // 3. flood from one address and one carte: requests answered per second, 429s included
  {
    const from = newAddress();
    const made = await client.makeCoffre(instance, now);
    const n0 = await call(from, 'POST', '/api/auth/nonce');
    await call(from, 'POST', '/api/coffres', client.createBody(made, PIN, n0.body.nonce, device));
    const key = client.carteAuthKey(made.carte.identity);
    const fixedNonce = Buffer.alloc(32, 1).toString('base64url');
    const fixedSignature = client.signAuthChallenge(key, instance, fixedNonce);
    const statuses = {};
    const count = (path, s) => {
      const k = `${path} ${s}`;
      statuses[k] = (statuses[k] ?? 0) + 1;
    };
    const rounds = Math.floor(FLOOD / 2);
    const ms = await pool(
      Array.from({ length: rounds }, () => async () => {
        const n = await call(from, 'POST', '/api/auth/nonce');
        count('nonce', n.status);
        // Once nonces are refused, a well-formed unknown one (signed once, so the client's own
        // Ed25519 work does not bound the rate): the per-IP check answers first.
        const fresh = n.status === 200;
        const nonce = fresh ? n.body.nonce : fixedNonce;
        const r = await call(from, 'POST', '/api/sessions/carte', {
          auth_key: key.publicB64,
          nonce,
          signature: fresh ? client.signAuthChallenge(key, instance, nonce) : fixedSignature,
          pin: PIN,
          device,
        });
        count('carte', r.status);
      }),
      C,
    );
    key.destroy();
    console.log(
      `\nflood, one address + one carte: ${rounds * 2} requests answered in ${ms.toFixed(0)} ms = ${(((rounds * 2) / ms) * 1000).toFixed(0)} req/s; ${JSON.stringify(statuses)}`,
    );
  }
} finally {
  await server.stop();
}
