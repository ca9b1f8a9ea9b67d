// The Coffre protocol in the browser — mirrors the Rust crate `coffre-crypto`.

export * from './ageio';
export * from './category';
export * from './deposit';
export * from './ed25519';
export * from './encoding';
export * from './epoch';
export * from './errors';
export * from './fields';
export * from './journal';
export * from './keys';
export * from './mandate';
export * from './note';
export * from './organisation';
export * from './paper';
export * from './paper-index';
export * from './passphrase-rpc';
export * from './payload';
export * from './share';
export * from './statement';
export * from './unlock';
export { WORDLIST_SHA256, WORDS } from './wordlist';
