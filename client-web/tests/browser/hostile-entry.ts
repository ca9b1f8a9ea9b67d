// What tests/browser/mandates-hostile.test.mjs needs of the client's own code to play a
// malicious host that holds the instance's server key (read from its database): the entry
// and inclusion receipt it signs, and the body it seals to the owner's public recipient.
export { b64decode, b64encode } from '../../src/crypto/encoding';
export { signInclusionReceipt, signJournalEntry } from '../../src/crypto/journal';
export { SigningKey } from '../../src/crypto/keys';
export { sealPayload } from '../../src/crypto/payload';
export { statementHash } from '../../src/crypto/statement';
