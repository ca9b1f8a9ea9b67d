// The French 7,776-word list (crypto/wordlist/fr-7776.txt), for passphrases and
// fingerprint words. The module is generated at build time by gen-wordlist.mjs.
import { WORDLIST_FILE_SHA256, WORDLIST_TEXT } from './wordlist-fr';

/** SHA-256 (hex) of crypto/wordlist/fr-7776.txt, checked by both test suites. */
export const WORDLIST_SHA256 = '775472db6bfdd34e721706cb1a1379427a480008e8ea503b2f620bc88814b07e';
export const WORDS: readonly string[] = Object.freeze(WORDLIST_TEXT.split('\n'));

if (WORDS.length !== 7776 || WORDLIST_FILE_SHA256 !== WORDLIST_SHA256) {
  throw new Error('coffre: the generated word list does not match crypto/wordlist/fr-7776.txt');
}
