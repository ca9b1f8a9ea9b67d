import { useLocation } from 'preact-iso/router';
import { t, tAttr } from '../i18n';
import { Icon } from './Icon';
import { LanguageSwitcher } from './LanguageSwitcher';
import { ROUTES } from './routes';

const NAV_ITEMS = [
  { href: ROUTES.welcome, labelId: 'nav-home' },
  { href: ROUTES.help, labelId: 'nav-help' },
  { href: ROUTES.about, labelId: 'nav-about' },
] as const;

export function Header() {
  const { path } = useLocation();
  return (
    <header class="site-header">
      <div class="container header-top">
        <a href={ROUTES.welcome} class="brand">
          <Icon name="lock" />
          <span class="brand-text">
            <span class="brand-name">{t('brand-home')}</span> <span class="brand-tagline">{t('brand-tagline')}</span>
          </span>
        </a>
        <LanguageSwitcher />
      </div>
      <nav class="main-nav" aria-label={tAttr('main-nav', 'aria-label')}>
        <ul class="container">
          {NAV_ITEMS.map(({ href, labelId }) => (
            <li key={href}>
              <a href={href} aria-current={path === href ? 'page' : undefined}>
                {t(labelId)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}
