// What bench/workspace.mjs needs of the client, bundled from src/ (the code the app ships) and
// run from Node against the real server: owners' coffres as the browser makes them, their
// categories, and mandates given as « Donner un mandat » gives them (owner.ts `giveMandate`:
// the owner-signed mandate with its journal entry, the category keys and labels wrapped to
// the grantee). Node has no page origin: the bench points the app's one `api` at the server.
export { api } from '../src/api';
export { createBody, makeCoffre } from '../src/coffre/create';
export { fingerprintWords } from '../src/crypto/keys';
export { parseCodeTyped } from '../src/mandates/code';
export { giveMandate, resolveGrantee } from '../src/mandates/owner';
export { DURATIONS, mandateText, textSha256 } from '../src/mandates/text';
export { memoryIndexCheckpoints, PaperStore } from '../src/paper-store';
