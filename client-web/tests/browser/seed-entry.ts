// What tests/browser/seed.mjs needs of the client, bundled from src/ (the code the app ships):
// a new coffre as the browser makes it, and the papers store that seals, sends and files
// papers and keeps the metadata index, run from Node against the real server.
export { Api } from '../../src/api';
export { typedGroups } from '../../src/carte/typed';
export { createBody, makeCoffre } from '../../src/coffre/create';
export { b64decode, b64encode } from '../../src/crypto/encoding';
export { signJournalCheckpoint } from '../../src/crypto/journal';
export { statementHash } from '../../src/crypto/statement';
export { memoryIndexCheckpoints, PaperStore } from '../../src/paper-store';
