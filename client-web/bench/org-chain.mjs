// An organisation chain of N members verified in Chromium with the CPU throttled 4× (issue
// 14: ≤ 200 ms for 200 members). bench/org-chain-page.ts builds the chain unthrottled in the
// page (setup), then each run verifies it whole, from seq 0, in a fresh browser.
// Usage: [BENCH_RATE=4] [BENCH_MODE=noble|preverified] node bench/org-chain.mjs [runs=5] [members=200]
// BENCH_MODE=preverified times what the client runs, WebCrypto's preverify then the verifier;
// BENCH_KEYS=cold forgets the member keys the build checked (a first contact checks them all).
// BENCH_REMEMBERED=k: a returning device that verified the chain without its last k entries
// (its checkpoint and `rememberOrgChain` kept), in a fresh page: keys cold, nothing preverified.
// BENCH_PROFILE=FILE.cpuprofile: the first run's measure is also recorded by V8's sampling
// profiler (200 µs, throttled) into FILE; `node bench/profile-summary.mjs FILE` sums it.
// BENCH_WORKERS=n: n key-hint workers (0: none, the keys checked on the page's thread; unset:
// the page's default, one per spare core); BENCH_WORKER_SLOWDOWN=k: each worker spins (k − 1)×
// its own time before answering, a core k× slower (CDP does not throttle workers);
// BENCH_PREPARED=1: the workers made and loaded before the measure, as when the page calls
// `prepareKeyHintWorkers` before it fetches the chain.
import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { bundle } from './bundle.mjs';
import { servePage } from './page.mjs';

const runs = Number(process.argv[2] ?? 5);
const N = Number(process.argv[3] ?? 200);
const RATE = Number(process.env.BENCH_RATE ?? 4);
const MODE = process.env.BENCH_MODE ?? 'noble';
const COLD = process.env.BENCH_KEYS === 'cold';
const REMEMBERED = Number(process.env.BENCH_REMEMBERED ?? -1);
const PROFILE = process.env.BENCH_PROFILE;
const WORKERS = Number(process.env.BENCH_WORKERS ?? -1);
const SLOWDOWN = Number(process.env.BENCH_WORKER_SLOWDOWN ?? 1);
const PREPARED = process.env.BENCH_PREPARED === '1';
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const { openPage, close } = await servePage('./org-chain-page.ts', 'org-chain');
await bundle('./key-hints-bench.worker.ts', 'key-hints-worker');
try {
  const times = [];
  for (let run = 0; run < runs; run++) {
    const { browser, page } = await openPage();
    const built = await page.evaluate((n) => window.bench.build(n), N);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: RATE });
    const profiled = PROFILE && run === 0;
    if (profiled) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    const first = await page.evaluate(
      ([mode, cold, remembered, workers, slowdown, prepared]) =>
        window.bench.measure(mode, cold, remembered, workers, slowdown, prepared),
      [MODE, COLD, REMEMBERED, WORKERS, SLOWDOWN, PREPARED],
    );
    if (profiled) await writeFile(PROFILE, JSON.stringify((await cdp.send('Profiler.stop')).profile));
    if (first.members !== N) throw new Error(`${first.members} members, expected ${N}`);
    times.push(first.ms);
    const f = (x) => x.toFixed(0);
    const workers = first.answers
      .map(
        (a) =>
          `; a worker loaded at ${f(a.loaded)} ms, asked at ${f(a.received)}, worked ${f(a.ms)} ms${SLOWDOWN > 1 ? ` ×${SLOWDOWN}` : ''}, answered at ${f(a.answered)}`,
      )
      .join('');
    console.log(
      `run ${run + 1}: ${built.entries} entries (${built.bytes} bytes), verified (${MODE}${COLD ? ', keys cold' : ''}${REMEMBERED >= 0 ? `, remembered but ${REMEMBERED} new` : ''}) in ${first.ms.toFixed(1)} ms at ${RATE}×${workers}, load ${loadavg()[0].toFixed(2)}`,
    );
    await browser.close();
  }
  console.log(
    JSON.stringify({
      members: N,
      mode: MODE,
      keys: COLD ? 'cold' : 'warm',
      rememberedNew: REMEMBERED >= 0 ? REMEMBERED : null,
      workers: WORKERS >= 0 ? WORKERS : 'default',
      workerSlowdown: SLOWDOWN,
      workersPrepared: PREPARED,
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
