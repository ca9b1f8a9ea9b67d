import { t } from '../i18n';
import { Icon } from './Icon';
import { ROUTES } from './routes';

export function Footer() {
  return (
    <footer class="site-footer">
      <div class="container">
        <p class="with-icon">
          <Icon name="lock" />
          <span>{t('footer-text')}</span>
        </p>
        <p>{t('footer-free-software')}</p>
        <p>
          <a href={ROUTES.about}>{t('footer-privacy-link')}</a>
        </p>
      </div>
    </footer>
  );
}
