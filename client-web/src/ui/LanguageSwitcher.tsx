import { AUTONYMS, currentLocale, directionOf, LOCALES, setLocale, tAttr } from '../i18n';
import { Icon } from './Icon';

/** One button per language, each named in its own language; the choice is remembered. */
export function LanguageSwitcher() {
  const active = currentLocale.value;
  return (
    // biome-ignore lint/a11y/useSemanticElements: a toolbar of buttons, not a form: a <fieldset> would need a <legend> and undoing its default styles
    <div class="language-switcher" role="group" aria-label={tAttr('language-switcher', 'aria-label')}>
      <Icon name="globe" />
      {LOCALES.map((locale) => (
        <button
          key={locale}
          type="button"
          class="language-button"
          lang={locale}
          dir={directionOf(locale)}
          aria-pressed={locale === active ? 'true' : 'false'}
          onClick={() => void setLocale(locale, true)}
        >
          {AUTONYMS[locale]}
        </button>
      ))}
    </div>
  );
}
