import { t } from '../i18n';
import { Page } from '../ui/Page';
import { ROUTES } from '../ui/routes';

export function NotFound() {
  return (
    <Page titleId="not-found-title">
      <p>{t('not-found-1')}</p>
      <div class="actions">
        <a class="button button-primary" href={ROUTES.welcome}>
          {t('not-found-back')}
        </a>
      </div>
    </Page>
  );
}
