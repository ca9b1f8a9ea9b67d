// Node benchmark: seal/open a 5 MB paper with src/crypto vs raw age-encryption, median of
// several runs. Usage: node bench/throughput.mjs [sizeMB=5] [runs=7]
import { bundle } from './bundle.mjs';

const sizeMB = Number(process.argv[2] ?? 5);
const runs = Number(process.argv[3] ?? 7);
const mod = await import(await bundle('./harness.ts', 'harness-node'));
await mod.throughput(1 << 20, 1); // warm-up
const r = await mod.throughput(Math.round(sizeMB * 1e6), runs);
const mbps = (ms) => (r.size / 1e6 / (ms / 1000)).toFixed(1);
console.log(`Node ${process.version}, ${r.size} bytes, median of ${runs}`);
console.log('| operation | median ms | MB/s |');
console.log('|---|---:|---:|');
for (const [k, label] of [
  ['seal', 'sealPaper (Coffre)'],
  ['ageEncrypt', 'age-encryption encrypt'],
  ['open', 'openPaper (Coffre)'],
  ['ageDecrypt', 'age-encryption decrypt'],
]) {
  console.log(`| ${label} | ${r[k].toFixed(1)} | ${mbps(r[k])} |`);
}

const [viaString, viaKey] = await mod.listingCost(1000);
console.log(
  `\nListing: open 1,000 metadata envelopes — identity string ${viaString.toFixed(0)} ms, WebCrypto key ${viaKey.toFixed(0)} ms`,
);

const l = await mod.indexListing(1000);
console.log(`\nListing ${l.n} papers of one category generation (index file ${l.indexBytes} bytes)`);
console.log('| how | ms |\n|---|---:|');
console.log(`| ${l.n} envelopes, \`openPaperMeta\` each, CK as an identity string | ${l.envelopesString.toFixed(0)} |`);
console.log(`| ${l.n} envelopes, \`openPaperMeta\` each, CK as a WebCrypto key | ${l.envelopesCryptoKey.toFixed(0)} |`);
console.log(`| the index: \`openPaperIndex\` + \`checkIndexListing\` | ${l.index.toFixed(0)} |`);
console.log(`| the index + ${l.newer} newer envelopes | ${l.indexPlusNewer.toFixed(0)} |`);
