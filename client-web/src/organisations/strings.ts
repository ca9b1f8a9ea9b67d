// The organisation screens' own strings (src/i18n/screens/organisations-LOCALE.ftl), loaded
// with these screens, not with the first page. `t` looks here first, then in the mandate
// screens' strings (these screens reuse their code reader and words), then in the app's.
import { screenStrings } from '../i18n/screen-strings';
import { stringsReady as mandateStringsReady, t as mandateT } from '../mandates/strings';

const strings = screenStrings(
  'organisations',
  import.meta.glob<string>('../i18n/screens/organisations-*.ftl', { query: '?raw', import: 'default' }),
  { t: mandateT, ready: mandateStringsReady },
);

export const t = strings.t;
export const stringsReady = strings.ready;
