// The Coffre protocol in the browser — mirrors the Rust crate `coffre-crypto`.
export * from './errors';
export * from './encoding';
export * from './fields';
export * from './ed25519';
export * from './keys';
export * from './statement';
export * from './ageio';
export * from './payload';
export * from './unlock';
export * from './category';
export * from './paper';
export * from './organisation';
export * from './mandate';
export * from './journal';
export * from './epoch';
export * from './share';
export { WORDS, WORDLIST_SHA256 } from './wordlist';
export * from './passphrase-rpc';
