// The mandate screens' own strings (src/i18n/screens/mandates-LOCALE.ftl), loaded with these
// screens rather than with the first page. `t` looks here first, then in the app's strings.
import { t as appT } from '../i18n';
import { screenStrings } from '../i18n/screen-strings';

const strings = screenStrings(
  'mandates',
  import.meta.glob<string>('../i18n/screens/mandates-*.ftl', { query: '?raw', import: 'default' }),
  { t: appT },
);

export const t = strings.t;
export const stringsReady = strings.ready;
export const loadStrings = strings.load;
