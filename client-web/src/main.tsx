import { render } from 'preact';
import { browserStorage, DEFAULT_LOCALE, negotiateLocale, readSavedLocale, setLocale } from './i18n';
import { registerShellWorker } from './offline/register';
import { App } from './ui/App';

const root = document.getElementById('app');
const requested = navigator.languages?.length ? navigator.languages : [navigator.language];
const locale = negotiateLocale(readSavedLocale(browserStorage()), requested);

// The translations come first, so the page never flashes message ids.
setLocale(locale, false)
  .catch(() => setLocale(DEFAULT_LOCALE, false))
  .finally(() => {
    if (root) render(<App />, root);
    registerShellWorker();
  });
