import { useLocation } from 'preact-iso/router';
import { t, tAttr } from '../i18n';
import { lock, unlocked } from '../session';
import { Icon } from './Icon';
import { LanguageSwitcher } from './LanguageSwitcher';
import { ROUTES } from './routes';

const NAV_ITEMS = [
  { href: ROUTES.welcome, labelId: 'nav-home' },
  { href: ROUTES.help, labelId: 'nav-help' },
  { href: ROUTES.about, labelId: 'nav-about' },
] as const;

const COFFRE_ITEM = { href: ROUTES.coffre, labelId: 'nav-coffre' } as const;

export function Header() {
  const { path, route } = useLocation();
  const open = unlocked.value !== null;
  const items = open ? [COFFRE_ITEM, ...NAV_ITEMS] : NAV_ITEMS;
  return (
    <header class="site-header">
      <div class="container header-top">
        <a href={ROUTES.welcome} class="brand">
          <Icon name="lock" />
          <span class="brand-text">
            <span class="brand-name">{t('brand-home')}</span> <span class="brand-tagline">{t('brand-tagline')}</span>
          </span>
        </a>
        <div class="header-tools">
          {open && (
            <button
              type="button"
              class="button button-secondary button-small header-lock"
              onClick={() => {
                lock('lock');
                route(ROUTES.unlock);
              }}
            >
              <Icon name="lock" />
              <span>{t('header-lock')}</span>
            </button>
          )}
          <LanguageSwitcher />
        </div>
      </div>
      <nav class="main-nav" aria-label={tAttr('main-nav', 'aria-label')}>
        <ul class="container">
          {items.map(({ href, labelId }) => (
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
