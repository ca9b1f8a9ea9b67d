import { t } from '../i18n';
import { Icon } from '../ui/Icon';
import { Page } from '../ui/Page';
import { ROUTES } from '../ui/routes';
import { Lines } from '../ui/Section';

/** Accounts are not built yet: the page says so plainly instead of pretending. */
function ComingSoon({ titleId }: { titleId: string }) {
  return (
    <Page titleId={titleId}>
      <p class="status with-icon">
        <Icon name="clock" />
        <span>{t('soon-status')}</span>
      </p>
      <Lines ids={['soon-1', 'soon-2', 'soon-3']} />
      <div class="actions">
        <a class="button button-primary" href={ROUTES.welcome}>
          {t('soon-back')}
        </a>
        <a class="button button-secondary" href={ROUTES.help}>
          {t('soon-help')}
        </a>
      </div>
    </Page>
  );
}

export const Create = () => <ComingSoon titleId="create-title" />;
export const Unlock = () => <ComingSoon titleId="unlock-title" />;
