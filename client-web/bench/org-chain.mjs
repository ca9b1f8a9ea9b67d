// An organisation chain of N members verified in Chromium with the CPU throttled 4× (issue
// 14: ≤ 200 ms for 200 members). bench/org-chain-page.ts builds the chain unthrottled in the
// page (setup), then each run verifies it whole, from seq 0, in a fresh browser.
// Usage: [BENCH_RATE=4] [BENCH_MODE=noble|preverified] node bench/org-chain.mjs [runs=5] [members=200]
// BENCH_MODE=preverified times what the client runs, WebCrypto's preverify then the verifier;
// BENCH_KEYS=cold forgets the member keys the build checked (a first contact checks them all).
// BENCH_REMEMBERED=k: a returning device that verified the chain without its last k entries
// (its checkpoint and `rememberOrgChain` kept), in a fresh page: keys cold, nothing preverified.
import { loadavg } from 'node:os';
import { servePage } from './page.mjs';

const runs = Number(process.argv[2] ?? 5);
const N = Number(process.argv[3] ?? 200);
const RATE = Number(process.env.BENCH_RATE ?? 4);
const MODE = process.env.BENCH_MODE ?? 'noble';
const COLD = process.env.BENCH_KEYS === 'cold';
const REMEMBERED = Number(process.env.BENCH_REMEMBERED ?? -1);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const { openPage, close } = await servePage('./org-chain-page.ts', 'org-chain');
try {
  const times = [];
  for (let run = 0; run < runs; run++) {
    const { browser, page } = await openPage();
    const built = await page.evaluate((n) => window.bench.build(n), N);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: RATE });
    const first = await page.evaluate(
      ([mode, cold, remembered]) => window.bench.measure(mode, cold, remembered),
      [MODE, COLD, REMEMBERED],
    );
    if (first.members !== N) throw new Error(`${first.members} members, expected ${N}`);
    times.push(first.ms);
    console.log(
      `run ${run + 1}: ${built.entries} entries (${built.bytes} bytes), verified (${MODE}${COLD ? ', keys cold' : ''}${REMEMBERED >= 0 ? `, remembered but ${REMEMBERED} new` : ''}) in ${first.ms.toFixed(1)} ms at ${RATE}×, load ${loadavg()[0].toFixed(2)}`,
    );
    await browser.close();
  }
  console.log(
    JSON.stringify({
      members: N,
      mode: MODE,
      keys: COLD ? 'cold' : 'warm',
      rememberedNew: REMEMBERED >= 0 ? REMEMBERED : null,
      rate: RATE,
      runs,
      medianMs: Number(median(times).toFixed(1)),
      minMs: Number(Math.min(...times).toFixed(1)),
      maxMs: Number(Math.max(...times).toFixed(1)),
      load1: loadavg()[0],
    }),
  );
} finally {
  close();
}
