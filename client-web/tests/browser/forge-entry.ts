// What organisations.test.mjs needs to play a malicious admin from Node, bundled from src/
// (the code the app ships): a key of his own, and chain statements signed with it.
export { b64decode, b64encode } from '../../src/crypto/encoding';
export { SigningKey } from '../../src/crypto/keys';
export { signOrgChainEntry } from '../../src/crypto/organisation';
export { openStatement, statementHash } from '../../src/crypto/statement';
