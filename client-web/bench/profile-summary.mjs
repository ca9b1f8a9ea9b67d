// Sums a V8 CPU profile (.cpuprofile, as bench/org-chain.mjs's BENCH_PROFILE writes it): the
// self time of each function, and the total time (self and callees) of each, the top rows.
// Usage: node bench/profile-summary.mjs FILE [rows=25]
import { readFileSync } from 'node:fs';

const profile = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const rows = Number(process.argv[3] ?? 25);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const name = (n) => {
  const f = n.callFrame;
  const file = f.url.split('/').pop();
  return `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
};
// Each sample's duration: the delta to the next sample.
const self = new Map();
const total = new Map();
let all = 0;
profile.samples.forEach((id, i) => {
  const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
  all += dt;
  const leaf = byId.get(id);
  self.set(name(leaf), (self.get(name(leaf)) ?? 0) + dt);
  const seen = new Set();
  for (let n = leaf; n; n = byId.get(parent.get(n.id))) {
    const k = name(n);
    if (seen.has(k)) continue; // recursion counted once
    seen.add(k);
    total.set(k, (total.get(k) ?? 0) + dt);
  }
});
const top = (m) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, rows)
    .map(([k, v]) => `${v.toFixed(1).padStart(8)} ms ${((100 * v) / all).toFixed(1).padStart(5)} %  ${k}`)
    .join('\n');
console.log(`${all.toFixed(1)} ms sampled\n\nself:\n${top(self)}\n\ntotal:\n${top(total)}`);
