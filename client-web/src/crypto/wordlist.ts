// The French 7,776-word list (crypto/wordlist/fr-7776.txt), for passphrases and
// fingerprint words. The module is generated at build time by gen-wordlist.mjs.
import { RETIRED_WORDS_TEXT, WORDLIST_FILE_SHA256, WORDLIST_TEXT } from './wordlist-fr';

/** SHA-256 (hex) of crypto/wordlist/fr-7776.txt, checked by both test suites. */
export const WORDLIST_SHA256 = 'c4ef25d477ec0b93adad61adcd1bbfeed82e8df10455bf87a7700939172c05b0';
export const WORDS: readonly string[] = Object.freeze(WORDLIST_TEXT.split('\n'));
/** Words earlier lists had (crypto/wordlist/retired-fr.txt): never drawn nor shown, but a
 * typed passphrase may hold them, so one made with an earlier list still unlocks. */
export const RETIRED_WORDS: readonly string[] = Object.freeze(RETIRED_WORDS_TEXT.split('\n'));

if (WORDS.length !== 7776 || WORDLIST_FILE_SHA256 !== WORDLIST_SHA256) {
  throw new Error('coffre: the generated word list does not match crypto/wordlist/fr-7776.txt');
}
