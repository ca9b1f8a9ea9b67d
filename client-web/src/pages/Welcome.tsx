import { t } from '../i18n';
import { HostVisibility } from '../ui/HostVisibility';
import { Icon } from '../ui/Icon';
import { Page } from '../ui/Page';
import { ROUTES } from '../ui/routes';
import { Lines, Section } from '../ui/Section';

const EXAMPLES = [
  'welcome-what-example-1',
  'welcome-what-example-2',
  'welcome-what-example-3',
  'welcome-what-example-4',
];

/** First screen: what Coffre is, what the host sees, the limits — before anything else. */
export function Welcome() {
  return (
    <Page titleId="welcome-title" tabTitleId="nav-home">
      <p class="lead">{t('welcome-lead')}</p>

      <Section titleId="welcome-what-title" icon="papers">
        <Lines ids={['welcome-what-1', 'welcome-what-2']} />
        <ul>
          {EXAMPLES.map((id) => (
            <li key={id}>{t(id)}</li>
          ))}
        </ul>
        <Lines ids={['welcome-what-3', 'welcome-what-4']} />
      </Section>

      <Section titleId="welcome-lock-title" icon="lock">
        <Lines ids={['welcome-lock-1', 'welcome-lock-2', 'welcome-lock-3']} />
      </Section>

      <Section titleId="welcome-host-title" icon="eye">
        <p>{t('welcome-host-intro')}</p>
        <HostVisibility />
      </Section>

      <Section titleId="welcome-limits-title" icon="alert" class="notice">
        <Lines ids={['welcome-limits-keys-1', 'welcome-limits-keys-2', 'welcome-limits-keys-3']} />
        <Lines ids={['welcome-limits-code-1', 'welcome-limits-code-2']} />
      </Section>

      <Section titleId="welcome-start-title" icon="key">
        <div class="actions">
          <a class="button button-primary" href={ROUTES.create}>
            <span>{t('welcome-create')}</span>
            <Icon name="forward" />
          </a>
          <a class="button button-secondary" href={ROUTES.unlock}>
            <span>{t('welcome-unlock')}</span>
            <Icon name="forward" />
          </a>
        </div>
        <p class="note with-icon">
          <Icon name="clock" />
          <span>{t('welcome-preview-note')}</span>
        </p>
      </Section>
    </Page>
  );
}
