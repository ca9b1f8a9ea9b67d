// The raw cost under the workspace (bench/workspace.mjs), evaluated in the app's page once a
// run is measured, still throttled: the aidant's received mandate statements, fetched again
// from `GET /api/mandates`, each verified with the client's `verifyStatement` (what
// `openMandate` does before its context and rule checks), nothing drawn.
import { b64decode } from '../src/crypto/encoding';
import { verifyStatement } from '../src/crypto/statement';

export async function verifyReceived(): Promise<{ n: number; ms: number }> {
  const response = await fetch('/api/mandates', { headers: { Accept: 'application/json' } });
  const { received } = (await response.json()) as { received: { statement: string; owner_key: string }[] };
  const items = received.map((i) => [b64decode(i.statement), i.owner_key] as const);
  const t0 = performance.now();
  for (const [bytes, key] of items) verifyStatement(bytes, 'mandate', key);
  return { n: items.length, ms: performance.now() - t0 };
}
